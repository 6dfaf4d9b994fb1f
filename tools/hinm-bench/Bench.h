//===- Bench.h - hinm-bench: cases, data, floor model, GPU runner -*- C++ -*-===//
//
// Part of the hinm project. The MLIR-free half of the GPU benchmark harness
// (issue 5), shared by two executables:
//
//   hinm-bench      compiles every case in-process through --hinm-gpu-pipeline
//                   (MLIR), then either analyses it without a GPU (--dry-run:
//                   ptxas registers/shared memory/spills and the floor model),
//                   writes a plan (--emit-plan: PTX, cubin, launch records), or
//                   runs it on the GPU;
//   hinm-bench-run  runs a plan on the GPU. It links no MLIR and no LLVM
//                   shared library, so it also runs on GPU machines that lack
//                   LLVM 22 (the build machine makes the plan, the GPU machine
//                   runs it).
//
// The CUDA driver (libcuda.so.1) and cuBLAS are opened at run time (dlopen),
// so both executables start, and the dry run works, on machines without a
// driver. docs/benchmarks-gpu.md describes the variants and the floor model.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_TOOLS_HINM_BENCH_BENCH_H
#define HINM_TOOLS_HINM_BENCH_BENCH_H

#include "hinm/Algorithm/Format.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace hinm {
namespace bench {

//===----------------------------------------------------------------------===//
// Cases
//===----------------------------------------------------------------------===//

/// Y[rows, n] = W[rows, k] * X[k, n].
struct Shape {
  int64_t rows = 0, k = 0, n = 0;
  std::string str() const; // "RxKxN"
  double denseFlops() const { return 2.0 * rows * k * n; }
};

/// One implementation of a shape's product.
struct Variant {
  enum class Kind { CuBLAS, HiNM };
  std::string name;
  Kind kind = Kind::HiNM;
  /// cuBLAS: FP16 output instead of FP32 (accumulation is FP32 either way).
  bool f16Out = false;
  /// HiNM: vector size V and total sparsity (0.5 = 2:4 only, 0.75 = half the
  /// columns of each V-block dropped, then 2:4).
  int64_t vectorSize = 64;
  double totalSparsity = 0.5;

  bool isCuBLAS() const { return kind == Kind::CuBLAS; }
  /// The HiNM format for a shape ("" in `err` if it fits the GPU kernel).
  HiNMFormat formatFor(const Shape &s, std::string &err) const;
};

/// Parses "1024x1024x1024,4096x4096x16" or the names "issue5" (the shapes of
/// issue 5) and "small" (one quick shape).
llvm::Expected<std::vector<Shape>> parseShapes(llvm::StringRef spec);
/// Parses "cublas,sp24,hinm-v32-s75,hinm-v64-s75" (see docs); "all" = the
/// default set plus cublas-f16.
llvm::Expected<std::vector<Variant>> parseVariants(llvm::StringRef spec);
/// The default lists.
extern const char *const kDefaultShapes;
extern const char *const kDefaultVariants;

//===----------------------------------------------------------------------===//
// Kernels as recorded by the compiler
//===----------------------------------------------------------------------===//

/// The buffers a kernel can take, in hinm.assemble order, then X and Y.
enum class BufferId { Values, VectorIndex, Metadata, RowPerm, X, Out };
const char *bufferName(BufferId id);
std::optional<BufferId> bufferFromName(llvm::StringRef name);

/// One kernel operand as gpu-kernel-outlining left it, before the LLVM
/// lowering fixed its calling convention.
struct KernelParam {
  enum class Kind {
    /// A memref: lowered to the descriptor fields (allocated ptr, aligned
    /// ptr, offset, sizes..., strides...; 64-bit index), one PTX parameter
    /// each, or to one pointer under the bare-pointer convention.
    Buffer,
    /// A memref descriptor already converted to an LLVM struct before
    /// outlining (the NVGPU-to-NVVM conversion runs first): passed by value
    /// as one PTX parameter of 8 * (3 + 2 * rank) bytes.
    BufferStruct,
    /// A constant (index, integer, float, vector), passed by value.
    Bytes,
  };
  Kind kind = Kind::Buffer;
  BufferId buffer = BufferId::Values;
  std::vector<int64_t> shape;
  int64_t elementBytes = 0;
  std::vector<uint8_t> bytes;
};

/// ptxas -v figures of one entry function.
struct PtxasInfo {
  bool valid = false;
  int64_t registers = 0, sharedBytes = 0, stackBytes = 0;
  int64_t spillStores = 0, spillLoads = 0, constBytes = 0;
};

/// One gpu.launch_func of a case, launched in order.
struct KernelLaunch {
  std::string name; // the PTX .entry name
  int64_t grid[3] = {1, 1, 1};
  int64_t block[3] = {1, 1, 1};
  int64_t dynamicSharedBytes = 0;
  bool barePointers = false;
  std::vector<KernelParam> params;
  PtxasInfo ptxas;
};

/// A case ready to run: shape, variant, the kernels (HiNM) and their code.
struct CompiledCase {
  Shape shape;
  Variant variant;
  HiNMFormat format;          // HiNM only
  std::string pipeline;       // the pass pipeline that made the PTX
  /// Extra tile options of this case (--tile-configs), "" for the defaults.
  std::string tiles;
  std::string chip;           // e.g. sm_90
  std::string ptx;            // HiNM only
  std::string cubin;          // from ptxas, when it ran (binary)
  std::vector<KernelLaunch> kernels;
  double compileSeconds = 0;
  std::string error; // set when the case could not be compiled
  std::string id() const;    // file-name-safe identifier
  std::string label() const; // variant name, plus "@<tiles>" when set
};

/// The byte layout of each 32/64-bit kernel argument after lowering, and a
/// check against the PTX .entry signature ("" if they agree).
std::vector<int64_t> expandedParamSizes(const KernelLaunch &k);
std::string checkPtxSignature(llvm::StringRef ptx, const KernelLaunch &k);

//===----------------------------------------------------------------------===//
// ptxas
//===----------------------------------------------------------------------===//

/// Finds ptxas: `explicitPath`, $CUDA_HOME/bin, the toolkit found at build
/// time, then PATH. Empty if none.
std::string findPtxas(llvm::StringRef explicitPath);
/// Runs `ptxas -arch=<chip> -v` on the PTX, fills each kernel's PtxasInfo and
/// `cubin` (when `wantCubin`). Returns "" or an error text.
std::string runPtxas(llvm::StringRef ptxas, CompiledCase &c, bool wantCubin);
/// Parses ptxas -v output for entry `name`.
PtxasInfo parsePtxasInfo(llvm::StringRef log, llvm::StringRef name);

//===----------------------------------------------------------------------===//
// Floor model
//===----------------------------------------------------------------------===//

struct Machine {
  double hbmBytesPerSec = 3.35e12;   // H100 SXM HBM3
  double denseFlopsPerSec = 989e12;  // H100 SXM FP16 tensor, FP32 accumulate
  double sparseFlopsPerSec = 1979e12; // 2:4 sparse tensor rate
};

struct Floor {
  double weightBytes = 0, metaBytes = 0, indexBytes = 0, xBytes = 0,
         outBytes = 0;
  double totalBytes() const {
    return weightBytes + metaBytes + indexBytes + xBytes + outBytes;
  }
  double memorySeconds = 0, mathSeconds = 0;
  double seconds() const {
    return memorySeconds > mathSeconds ? memorySeconds : mathSeconds;
  }
  const char *bound() const {
    return memorySeconds >= mathSeconds ? "memory" : "math";
  }
};

/// The lower bound on the latency of a case: the compulsory DRAM bytes at
/// HBM bandwidth, or the tensor-core math at its peak, whichever is larger.
Floor floorFor(const Shape &s, const Variant &v, const HiNMFormat &fmt,
               const Machine &m);

//===----------------------------------------------------------------------===//
// Running on the GPU
//===----------------------------------------------------------------------===//


/// Timing and check results of one case.
struct CaseResult {
  bool compiled = false, ran = false, checked = false, correct = false;
  /// A non-default tile configuration that does not fit this case: reported,
  /// but not a failure.
  bool skipped = false;
  std::string error;
  std::string timingMethod; // "graph" or "stream"
  std::string loadedFrom;   // "ptx" or "cubin"
  int cublasVersion = 0;    // cuBLAS cases
  double medianUs = 0, minUs = 0, p10Us = 0, p90Us = 0;
  int samples = 0;
  double maxAbsErr = 0, maxRelErr = 0;
  int64_t mismatches = 0, elements = 0;
  std::string firstMismatch;
};

struct RunOptions {
  int iters = 100;         // timed samples (graph replays)
  int graphLaunches = 20;  // launches captured per graph
  int warmup = 10;
  uint64_t seed = 1;
  int device = 0;
  std::string load = "ptx"; // ptx | cubin
  std::string cublasPath;   // explicit libcublas path
  int threads = 0;          // CPU threads for the reference (0 = all)
  bool verbose = false;
  bool prepareOnly = false; // data and references only, no device
  /// Called after each case with the results so far (to save partial
  /// reports: a hung kernel ends the process).
  std::function<void(const std::vector<CaseResult> &)> afterCase;
};

struct DeviceInfo {
  std::string name;
  int ccMajor = 0, ccMinor = 0, smCount = 0, driverVersion = 0;
  int64_t l2Bytes = 0;
};

/// Opens the CUDA driver and the device. The error says what is missing
/// (driver library, device) in words.
llvm::Expected<DeviceInfo> openDevice(const RunOptions &o);
/// Runs, checks and times every case (cases that failed to compile are
/// reported, not run). Prints progress to `log`.
std::vector<CaseResult> runCases(const std::vector<CompiledCase> &cases,
                                 const RunOptions &o, llvm::raw_ostream &log);

//===----------------------------------------------------------------------===//
// Data (deterministic from the seed; also used by the dry run's checks)
//===----------------------------------------------------------------------===//

/// Rounds to the nearest FP16 value (ties to even) and back.
uint16_t floatToHalf(float f);
float halfToFloat(uint16_t h);

/// A random valid selection for `fmt` (rows, cols): random row permutation,
/// random kept columns per block in random order, random n of m. For
/// kept == cols with `identityColumns`, the vector index is the identity.
HiNMSelection randomSelection(const HiNMFormat &fmt, int64_t rows,
                              int64_t cols, uint64_t seed,
                              bool identityColumns);
/// Random FP16-representable values in [-1, 1].
std::vector<float> randomHalfValues(int64_t count, uint64_t seed);
/// referenceMatmul over column chunks on `threads` threads (same result).
void parallelReference(const HiNMStorage &w, const std::vector<float> &x,
                       int64_t n, std::vector<float> &y, int threads);

//===----------------------------------------------------------------------===//
// Reports
//===----------------------------------------------------------------------===//

/// Plan files: plan.json + <id>.ptx (+ <id>.cubin) in `dir`.
llvm::Error writePlan(llvm::StringRef dir,
                      const std::vector<CompiledCase> &cases);
llvm::Expected<std::vector<CompiledCase>> readPlan(llvm::StringRef dir);

/// The dry-run table: kernels and ptxas figures, and the floor per case.
void printDryRun(llvm::raw_ostream &os, const std::vector<CompiledCase> &cases,
                 const Machine &m);
/// The timing table; `results` parallel to `cases`.
void printResults(llvm::raw_ostream &os, const std::vector<CompiledCase> &cases,
                  const std::vector<CaseResult> &results, const Machine &m,
                  const DeviceInfo *dev);
/// One target of issue 5 evaluated on the results (or an informative
/// comparison with the figures).
struct TargetRow {
  std::string shape, target, label;
  double us = 0, boundUs = 0;
  bool info = false; // a comparison, not a pass/fail target
  bool pass = false;
};
/// The targets on the shapes it names, from the best correct result
/// of each variant over its tile configurations.
std::vector<TargetRow> evaluateTargets(const std::vector<CompiledCase> &cases,
                                       const std::vector<CaseResult> &results);
/// The JSON report (results may be empty for a dry run).
llvm::json::Value toJSON(const std::vector<CompiledCase> &cases,
                         const std::vector<CaseResult> &results,
                         const Machine &m, const DeviceInfo *dev,
                         llvm::StringRef mode);
llvm::Error writeJSON(llvm::StringRef path, const llvm::json::Value &v);

//===----------------------------------------------------------------------===//
// Command-line options shared by both tools (llvm::cl, category below)
//===----------------------------------------------------------------------===//

llvm::StringRef shapesFlag();   // --shapes ("" if not given)
llvm::StringRef variantsFlag(); // --variants ("" if not given)
llvm::StringRef jsonFlag();     // --json ("" if not given)
llvm::Expected<RunOptions> runOptionsFromFlags();
llvm::Expected<Machine> machineFromFlags();
const llvm::cl::OptionCategory &optionCategory();

} // namespace bench
} // namespace hinm

#endif // HINM_TOOLS_HINM_BENCH_BENCH_H
