//===- Options.cpp - hinm-bench: shared command-line options --------------===//
//
// Part of the hinm project. See Options.h.
//
//===----------------------------------------------------------------------===//
#include "Options.h"

using namespace llvm;
using namespace hinm;
using namespace hinm::bench;

namespace {
cl::OptionCategory benchCategory("hinm-bench options");

cl::opt<std::string> shapesOpt(
    "shapes",
    cl::desc("Comma-separated ROWSxKxN shapes (weight ROWSxK, activations "
             "KxN), or 'issue5' (default for hinm-bench) or 'small'"),
    cl::init(""), cl::cat(benchCategory));
cl::opt<std::string> variantsOpt(
    "variants",
    cl::desc("Comma-separated variants: cublas, cublas-f16, sp24, "
             "hinm-v<V>-s<total sparsity %> (e.g. hinm-v64-s75), or 'all'; "
             "default cublas,sp24,hinm-v32-s75,hinm-v64-s75"),
    cl::init(""), cl::cat(benchCategory));
cl::opt<std::string> jsonOpt("json", cl::desc("Write the JSON report here"),
                             cl::value_desc("file"), cl::init(""),
                             cl::cat(benchCategory));
cl::opt<int> itersOpt("iters", cl::desc("Timed samples per case"),
                      cl::init(100), cl::cat(benchCategory));
cl::opt<int> graphOpt("graph-launches",
                      cl::desc("Launches captured per CUDA graph (one timed "
                               "sample is one graph replay)"),
                      cl::init(20), cl::cat(benchCategory));
cl::opt<int> warmupOpt("warmup", cl::desc("Untimed graph replays first"),
                       cl::init(10), cl::cat(benchCategory));
cl::opt<uint64_t> seedOpt("seed", cl::desc("Seed of the random data"),
                          cl::init(1), cl::cat(benchCategory));
cl::opt<int> deviceOpt("device", cl::desc("CUDA device ordinal"), cl::init(0),
                       cl::cat(benchCategory));
cl::opt<std::string> loadOpt(
    "load",
    cl::desc("Load kernels from 'ptx' (driver JIT; the cubin is the fallback "
             "when it fails) or 'cubin' (ptxas output, when present)"),
    cl::init("ptx"), cl::cat(benchCategory));
cl::opt<std::string> cublasOpt("cublas-lib",
                               cl::desc("Path of libcublas.so to use"),
                               cl::init(""), cl::cat(benchCategory));
cl::opt<int> threadsOpt("ref-threads",
                        cl::desc("CPU threads for the reference (0 = all)"),
                        cl::init(0), cl::cat(benchCategory));
cl::opt<bool> prepareOnlyOpt(
    "prepare-only",
    cl::desc("Make the data and the CPU references, run nothing on the GPU "
             "(to time the CPU part without a device)"),
    cl::init(false), cl::Hidden, cl::cat(benchCategory));
cl::opt<double> hbmOpt("hbm-tbps", cl::desc("Floor model: DRAM TB/s"),
                       cl::init(3.35), cl::cat(benchCategory));
cl::opt<double> denseOpt("dense-tflops",
                         cl::desc("Floor model: dense FP16 tensor TFLOP/s"),
                         cl::init(989), cl::cat(benchCategory));
cl::opt<double> sparseOpt("sparse-tflops",
                          cl::desc("Floor model: 2:4 sparse tensor TFLOP/s"),
                          cl::init(1979), cl::cat(benchCategory));
} // namespace

StringRef hinm::bench::shapesFlag() { return shapesOpt; }
StringRef hinm::bench::variantsFlag() { return variantsOpt; }
StringRef hinm::bench::jsonFlag() { return jsonOpt; }

Expected<RunOptions> hinm::bench::runOptionsFromFlags() {
  RunOptions o;
  o.iters = itersOpt;
  o.graphLaunches = graphOpt;
  o.warmup = warmupOpt;
  o.seed = seedOpt;
  o.device = deviceOpt;
  o.load = loadOpt;
  o.cublasPath = cublasOpt;
  o.threads = threadsOpt;
  o.prepareOnly = prepareOnlyOpt;
  if (o.iters < 1 || o.graphLaunches < 1 || o.warmup < 0)
    return createStringError("--iters and --graph-launches must be >= 1, "
                             "--warmup >= 0");
  if (o.load != "ptx" && o.load != "cubin")
    return createStringError("--load must be 'ptx' or 'cubin', got '%s'",
                             o.load.c_str());
  return o;
}

Expected<Machine> hinm::bench::machineFromFlags() {
  Machine m;
  if (!(hbmOpt > 0) || !(denseOpt > 0) || !(sparseOpt > 0))
    return createStringError("--hbm-tbps, --dense-tflops and --sparse-tflops "
                             "must be positive");
  m.hbmBytesPerSec = hbmOpt * 1e12;
  m.denseFlopsPerSec = denseOpt * 1e12;
  m.sparseFlopsPerSec = sparseOpt * 1e12;
  return m;
}

const cl::OptionCategory &hinm::bench::optionCategory() {
  return benchCategory;
}
