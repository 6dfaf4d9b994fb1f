//===- hinm-prune.cpp - HiNM pruning and 2CP efficacy on .npy weights -----===//
//
// Part of the hinm project. Reads every float32 2-D .npy matrix of a
// directory (rows = output channels; manifest.json, when present, gives the
// order), prunes it to HiNM with each permutation method and reports the
// kept importance and efficacy per layer (table on stdout, optional JSON).
// `--bench-shape RxC` instead times the methods on a random matrix.
//
//===----------------------------------------------------------------------===//
#include "hinm/Algorithm/Npy.h"
#include "hinm/Algorithm/Prune.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <random>

using namespace hinm;
using namespace llvm;

static cl::opt<std::string> inputDir(cl::Positional, cl::desc("<dir>"),
                                     cl::init(""));
static cl::opt<int64_t> vectorSize("vector-size",
                                   cl::desc("rows per block (V)"),
                                   cl::init(32));
static cl::opt<double> vectorSparsity("vector-sparsity",
                                      cl::desc("share of vectors pruned"),
                                      cl::init(0.5));
static cl::opt<int64_t> nOpt("n", cl::desc("N of N:M"), cl::init(2));
static cl::opt<int64_t> mOpt("m", cl::desc("M of N:M"), cl::init(4));
static cl::opt<std::string>
    methodsOpt("methods", cl::desc("comma list of none,ocp,ivp,2cp"),
               cl::init("none,ocp,ivp,2cp"));
static cl::opt<uint64_t> seedOpt("seed", cl::desc("random seed"),
                                 cl::init(0));
// libLLVM.so already registers a global "threads" option, so --threads is
// taken out of argv before cl parsing (see extractThreads).
static unsigned threadsOpt = 0;
static cl::opt<int64_t> ocpIterations("ocp-iterations",
                                      cl::desc("OCP iteration cap (0 = auto)"),
                                      cl::init(0));
static cl::opt<int64_t> ivpSweeps("ivp-sweeps",
                                  cl::desc("IVP sweep cap (0 = auto)"),
                                  cl::init(0));
static cl::opt<int64_t>
    ivpKicks("ivp-kicks",
             cl::desc("IVP iterated-local-search kicks per block (0 = auto, "
                      "-1 = none)"),
             cl::init(0));
static cl::opt<int64_t>
    ivpAnneal("ivp-anneal",
              cl::desc("IVP simulated-annealing moves per block (0 = auto, "
                       "-1 = none)"),
              cl::init(0));
static cl::opt<int64_t>
    ivpEject("ivp-eject",
             cl::desc("IVP ejection-assignment rounds without gain before "
                      "that step stops (0 = auto, -1 = none)"),
             cl::init(0));
static cl::opt<int64_t>
    ocpAnneal("ocp-anneal",
              cl::desc("OCP simulated-annealing row exchanges (0 = auto, "
                       "-1 = none)"),
              cl::init(0));
static cl::opt<int64_t> jointRounds(
    "joint-rounds",
    cl::desc("2CP joint refinement rounds: rows re-placed against the "
             "finished blocks, then IVP again (0 = auto, -1 = none)"),
    cl::init(0));
static cl::opt<int64_t> restarts(
    "restarts",
    cl::desc("extra runs of each search from derived seeds; the best wins "
             "(0 = one run)"),
    cl::init(0));
static cl::opt<double> effort(
    "effort",
    cl::desc("multiplier of the annealing searches' automatic work budgets, "
             "in [0.01, 1000] (default 1; slower, usually keeps more)"),
    cl::init(1.0));
static cl::opt<bool> ocpSwaps(
    "ocp-swaps",
    cl::desc("after OCP, exchange rows between block pairs (default off)"),
    cl::init(false));
static cl::opt<bool> ocpGlobal(
    "ocp-global",
    cl::desc("after OCP, reassign all rows by the N:M-aware bound "
             "(default on; off = the paper's OCP)"),
    cl::init(true));
static cl::opt<bool> refineVectors(
    "refine-vectors",
    cl::desc("with IVP, also exchange kept vectors for pruned ones when N:M "
             "then keeps more (default on; off = the paper's IVP)"),
    cl::init(true));
static cl::opt<bool>
    ivpLP("ivp-lp",
          cl::desc("end IVP with an LP dive over each block's stripes (2:4, "
                   "needs a build with COIN-OR CLP; slow: seconds to minutes "
                   "per block, larger blocks in windows of stripes)"),
          cl::init(false));
static cl::opt<std::string> jsonOut("json", cl::desc("write results as JSON"),
                                    cl::value_desc("file"), cl::init(""));
static cl::opt<std::string>
    benchShape("bench-shape",
               cl::desc("time the methods on a random RxC matrix instead"),
               cl::value_desc("RxC"), cl::init(""));

static int fail(const Twine &msg) {
  errs() << "hinm-prune: error: " << msg << "\n";
  return 1;
}

/// The .npy files to run, in manifest order when manifest.json exists.
static Expected<std::vector<std::string>> listInputs(StringRef dir) {
  SmallString<256> manifest(dir);
  sys::path::append(manifest, "manifest.json");
  std::vector<std::string> files;
  if (sys::fs::exists(manifest)) {
    auto buf = MemoryBuffer::getFile(manifest);
    if (!buf)
      return createStringError(manifest + ": " + buf.getError().message());
    auto val = json::parse((*buf)->getBuffer());
    if (!val)
      return createStringError(manifest + ": " + toString(val.takeError()));
    const json::Object *obj = val->getAsObject();
    const json::Array *layers = obj ? obj->getArray("layers") : nullptr;
    if (!layers)
      return createStringError(manifest + ": no \"layers\" array");
    for (const json::Value &l : *layers) {
      const json::Object *lo = l.getAsObject();
      std::optional<StringRef> f = lo ? lo->getString("file") : std::nullopt;
      if (!f)
        return createStringError(manifest +
                                 ": a layer without a \"file\" string");
      files.push_back(f->str());
    }
    return files;
  }
  std::error_code ec;
  for (sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec))
    if (StringRef(it->path()).ends_with(".npy"))
      files.push_back(sys::path::filename(it->path()).str());
  if (ec)
    return createStringError(dir + ": " + ec.message());
  std::sort(files.begin(), files.end());
  return files;
}

/// Removes `--threads N` / `--threads=N` (one or two dashes) from args and
/// parses N; false with a message when N is not a non-negative integer.
static bool extractThreads(SmallVectorImpl<const char *> &args) {
  for (size_t i = 1; i < args.size();) {
    StringRef a = args[i];
    StringRef rest = a;
    if (!rest.consume_front("--") && !rest.consume_front("-")) {
      ++i;
      continue;
    }
    StringRef value;
    size_t drop = 1;
    if (rest == "threads") {
      if (i + 1 >= args.size()) {
        errs() << "hinm-prune: error: --threads needs a value\n";
        return false;
      }
      value = args[i + 1];
      drop = 2;
    } else if (rest.consume_front("threads=")) {
      value = rest;
    } else {
      ++i;
      continue;
    }
    if (value.getAsInteger(10, threadsOpt)) {
      errs() << "hinm-prune: error: --threads '" << value
             << "' is not a non-negative integer\n";
      return false;
    }
    args.erase(args.begin() + i, args.begin() + i + drop);
  }
  return true;
}

int main(int argc, char **argv) {
  InitLLVM y(argc, argv);
  SmallVector<const char *> args(argv, argv + argc);
  if (!extractThreads(args))
    return 1;
  cl::ParseCommandLineOptions(
      int(args.size()), args.data(),
      "hinm-prune: HiNM pruning and 2CP channel-permutation efficacy\n\n"
      "  --threads=<N>  worker threads (0 = all hardware threads; the result\n"
      "                 does not depend on it)\n");

  PruneOptions opts;
  opts.vectorSize = vectorSize;
  opts.vectorSparsity = vectorSparsity;
  opts.n = nOpt;
  opts.m = mOpt;
  opts.seed = seedOpt;
  opts.threads = threadsOpt;
  opts.ocpIterations = ocpIterations;
  opts.ivpSweeps = ivpSweeps;
  opts.refineVectors = refineVectors;
  opts.ivpKicks = ivpKicks;
  opts.ivpAnneal = ivpAnneal;
  opts.ivpEject = ivpEject;
  opts.ivpLP = ivpLP;
  opts.ocpAnneal = ocpAnneal;
  opts.jointRounds = jointRounds;
  opts.restarts = restarts;
  opts.effort = effort;
  opts.ocpSwapRefine = ocpSwaps;
  opts.ocpGlobal = ocpGlobal;
  std::string err = opts.validate();
  if (!err.empty())
    return fail(err);

  std::vector<PermuteMethod> methods;
  SmallVector<StringRef> names;
  StringRef(methodsOpt).split(names, ',', -1, false);
  for (StringRef nm : names) {
    auto m = parsePermuteMethod(nm.trim());
    if (!m)
      return fail("--methods: " + toString(m.takeError()));
    if (!llvm::is_contained(methods, *m))
      methods.push_back(*m);
  }
  const PermuteMethod shown[] = {PermuteMethod::OCP, PermuteMethod::IVP,
                                 PermuteMethod::TwoCP};

  if (!benchShape.empty()) {
    auto [rs, cs] = StringRef(benchShape).split('x');
    int64_t rows, cols;
    if (rs.getAsInteger(10, rows) || cs.getAsInteger(10, cols) || rows <= 0 ||
        cols <= 0)
      return fail("--bench-shape '" + benchShape + "' is not RxC");
    std::vector<float> w(rows * cols);
    std::mt19937_64 rng(seedOpt);
    std::normal_distribution<float> dist(0.0f, 1.0f);
    for (float &x : w)
      x = dist(rng);
    auto rep = measureEfficacy(w.data(), rows, cols, opts, methods);
    if (!rep)
      return fail(toString(rep.takeError()));
    outs() << "bench " << rows << "x" << cols << " V=" << opts.vectorSize
           << " threads=" << (opts.threads ? opts.threads : 0) << "\n";
    for (int i = 0; i < kNumPermuteMethods; ++i)
      if (rep->ran[i])
        outs() << format("  %-4s %8.3f s  efficacy %6.2f %%\n",
                         permuteMethodName(PermuteMethod(i)),
                         rep->seconds[i], rep->efficacy[i]);
    return 0;
  }

  if (inputDir.empty())
    return fail("no input directory (or --bench-shape) given");
  if (!sys::fs::is_directory(inputDir))
    return fail("'" + inputDir + "' is not a directory");
  auto files = listInputs(inputDir);
  if (!files)
    return fail(toString(files.takeError()));

  json::Array layersJson, skippedJson;
  double sumEff[kNumPermuteMethods] = {};
  int ran = 0;
  outs() << format("%-56s %6s %6s %12s %12s", "file", "rows", "cols",
                   "kept-none", "kept-ideal");
  for (PermuteMethod m : shown)
    if (is_contained(methods, m))
      outs() << format(" %7s%%", permuteMethodName(m));
  outs() << "\n";
  for (const std::string &f : *files) {
    SmallString<256> path(inputDir.getValue());
    sys::path::append(path, f);
    auto skip = [&](const std::string &reason) {
      errs() << "hinm-prune: skipping " << path << ": " << reason << "\n";
      skippedJson.push_back(json::Object{{"file", f}, {"reason", reason}});
    };
    auto buf = MemoryBuffer::getFile(path, /*IsText=*/false,
                                     /*RequiresNullTerminator=*/false);
    if (!buf) {
      skip(buf.getError().message());
      continue;
    }
    auto mat = parseNpy((*buf)->getBuffer());
    if (!mat) {
      skip(toString(mat.takeError()));
      continue;
    }
    auto rep =
        measureEfficacy(mat->data.data(), mat->rows, mat->cols, opts, methods);
    if (!rep) {
      skip(toString(rep.takeError()));
      continue;
    }
    ++ran;
    outs() << format("%-56s %6lld %6lld %12.4f %12.4f", f.c_str(),
                     (long long)mat->rows, (long long)mat->cols, rep->kept[0],
                     rep->idealImportance);
    json::Object kept{{"none", rep->kept[0]},
                      {"ideal", rep->idealImportance}};
    json::Object eff, secs;
    for (PermuteMethod m : shown) {
      int i = int(m);
      if (!rep->ran[i])
        continue;
      outs() << format(" %8.2f", rep->efficacy[i]);
      kept[permuteMethodName(m)] = rep->kept[i];
      eff[permuteMethodName(m)] = rep->efficacy[i];
      secs[permuteMethodName(m)] = rep->seconds[i];
      sumEff[i] += rep->efficacy[i];
    }
    outs() << "\n";
    layersJson.push_back(json::Object{{"file", f},
                                      {"rows", mat->rows},
                                      {"cols", mat->cols},
                                      {"kept", std::move(kept)},
                                      {"efficacy", std::move(eff)},
                                      {"seconds", std::move(secs)}});
  }
  json::Object avg;
  if (ran) {
    outs() << format("%-56s %6s %6s %12s %12s", "average", "", "", "", "");
    for (PermuteMethod m : shown) {
      if (!is_contained(methods, m))
        continue;
      double a = sumEff[int(m)] / ran;
      outs() << format(" %8.2f", a);
      avg[permuteMethodName(m)] = a;
    }
    outs() << "\n";
  }
  outs() << "layers: " << ran << " run, " << skippedJson.size()
         << " skipped\n";

  if (!jsonOut.empty()) {
    json::Array methodNames;
    for (PermuteMethod m : methods)
      methodNames.push_back(permuteMethodName(m));
    json::Object options{{"vector_size", opts.vectorSize},
                         {"vector_sparsity", opts.vectorSparsity},
                         {"n", opts.n},
                         {"m", opts.m},
                         {"methods", std::move(methodNames)},
                         {"seed", int64_t(opts.seed)},
                         {"refine_vectors", opts.refineVectors},
                         {"ivp_kicks", opts.ivpKicks},
                         {"ivp_anneal", opts.ivpAnneal},
                         {"ivp_eject", opts.ivpEject},
                         {"ivp_lp", opts.ivpLP},
                         {"ocp_anneal", opts.ocpAnneal},
                         {"joint_rounds", opts.jointRounds},
                         {"restarts", opts.restarts},
                         {"effort", opts.effort},
                         {"ocp_swaps", opts.ocpSwapRefine},
                         {"ocp_global", opts.ocpGlobal},
                         {"threads", int64_t(opts.threads)}};
    json::Value root = json::Object{{"options", std::move(options)},
                                    {"layers", std::move(layersJson)},
                                    {"average_efficacy", std::move(avg)},
                                    {"skipped", std::move(skippedJson)}};
    std::error_code ec;
    raw_fd_ostream os(jsonOut, ec);
    if (ec)
      return fail(jsonOut + ": " + ec.message());
    os << formatv("{0:2}", root) << "\n";
  }
  if (!ran)
    return fail("no layer could be run");
  return 0;
}
