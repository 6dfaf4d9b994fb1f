//===- Prune.cpp - HiNM pruning and 2CP channel permutation ---------------===//
//
// Part of the hinm project. See include/hinm/Algorithm/Prune.h and
// docs/permutation.md. The options, the driver that runs the steps of a
// method, and efficacy. The searches are in OCP.cpp, IVP.cpp and
// JointRefinement.cpp, the pruning steps in VectorPruning.cpp;
// PruneDetail.h says how the result stays deterministic.
//
//===----------------------------------------------------------------------===//
#include "PruneDetail.h"
#include "hinm/Algorithm/StripeDive.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <memory>
#include <numeric>
#include <random>

using namespace hinm;
using namespace hinm::detail;

const char *hinm::permuteMethodName(PermuteMethod method) {
  switch (method) {
  case PermuteMethod::None:
    return "none";
  case PermuteMethod::OCP:
    return "ocp";
  case PermuteMethod::IVP:
    return "ivp";
  case PermuteMethod::TwoCP:
    return "2cp";
  }
  return "?";
}

llvm::Expected<PermuteMethod> hinm::parsePermuteMethod(llvm::StringRef name) {
  for (int i = 0; i < kNumPermuteMethods; ++i)
    if (name == permuteMethodName(PermuteMethod(i)))
      return PermuteMethod(i);
  return llvm::createStringError(
      "unknown permutation method '" + name.str() +
      "' (expected one of: none, ocp, ivp, 2cp)");
}

std::string PruneOptions::validate() const {
  if (!(vectorSparsity >= 0.0 && vectorSparsity < 1.0))
    return "vector sparsity " + std::to_string(vectorSparsity) +
           " must be in [0, 1)";
  if (ocpIterations < 0 || ocpPatience < 0 || ivpSweeps < 0)
    return "iteration counts must be non-negative (0 = automatic)";
  if (ocpAnneal < -1 || ivpKicks < -1 || ivpAnneal < -1 || ivpEject < -1 ||
      jointRounds < -1)
    return "move, kick and round counts must be >= -1 (0 = automatic, "
           "-1 = none)";
  if (restarts < 0 || restarts > 1000)
    return "restarts must be in [0, 1000]";
  if (!(effort >= 0.01 && effort <= 1000.0))
    return "effort must be in [0.01, 1000] (1 = the default budgets)";
  if (ivpLP && !stripeDiveAvailable())
    return "the IVP LP dive needs an LP solver, and this build has none "
           "(configure with COIN-OR CLP installed: coinor-libclp-dev)";
  if (ivpLP && (n != 2 || m != 4))
    return "the IVP LP dive handles 2:4 only, not " + std::to_string(n) + ":" +
           std::to_string(m);
  HiNMFormat f;
  f.vectorSize = vectorSize;
  f.n = n;
  f.m = m;
  f.kept = m; // any valid count: only the other fields are checked here
  return f.validate();
}

llvm::Expected<HiNMFormat> hinm::formatFor(const PruneOptions &opts,
                                           int64_t rows, int64_t cols) {
  std::string err = opts.validate();
  if (!err.empty())
    return llvm::createStringError(err);
  if (rows <= 0 || cols <= 0)
    return llvm::createStringError("matrix shape " + std::to_string(rows) +
                                   "x" + std::to_string(cols) +
                                   " must be non-empty");
  if (cols < opts.m)
    return llvm::createStringError(
        "matrix has " + std::to_string(cols) +
        " columns, fewer than M = " + std::to_string(opts.m));
  // Checked before multiplying, so nothing overflows: the padded row count
  // is below rows + V.
  const int64_t V = opts.vectorSize;
  if (rows > kMaxPrunedElements || cols > kMaxPrunedElements ||
      V > kMaxPrunedElements ||
      (rows + V - 1) / V * V * cols > kMaxPrunedElements)
    return llvm::createStringError(
        "matrix " + std::to_string(rows) + "x" + std::to_string(cols) +
        " with its rows padded to a multiple of V = " + std::to_string(V) +
        " has more than " + std::to_string(kMaxPrunedElements) +
        " elements, the most hinm prunes");
  HiNMFormat f;
  f.vectorSize = opts.vectorSize;
  f.n = opts.n;
  f.m = opts.m;
  f.kept = keptForVectorSparsity(cols, opts.vectorSparsity, opts.m);
  err = f.validateFor(rows, cols);
  if (!err.empty())
    return llvm::createStringError(err);
  return f;
}

llvm::Error hinm::checkMatrix(const float *data, int64_t rows, int64_t cols,
                              llvm::StringRef what, bool nonNegative) {
  for (int64_t i = 0; i < rows * cols; ++i) {
    float x = data[i];
    const char *bad = std::isnan(x)   ? "NaN"
                      : std::isinf(x) ? "infinite"
                      : (nonNegative && x < 0) ? "negative"
                                               : nullptr;
    if (bad)
      return llvm::createStringError(
          what.str() + " at [" + std::to_string(i / cols) + ", " +
          std::to_string(i % cols) + "] is " + bad);
  }
  return llvm::Error::success();
}

double hinm::keptImportance(const float *importance, int64_t rows,
                            int64_t cols, const HiNMFormat &fmt,
                            const HiNMSelection &sel) {
  double s = 0;
  int64_t P = fmt.paddedRows(rows);
  for (int64_t p = 0; p < P; ++p) {
    int64_t r = sel.rowPerm[p];
    if (r >= rows)
      continue;
    const int32_t *vi = &sel.vectorIndex[(p / fmt.vectorSize) * fmt.kept];
    for (int64_t c = 0; c < fmt.kept; ++c)
      if (sel.nmMask[p * fmt.kept + c])
        s += importance[r * cols + vi[c]];
  }
  return s;
}

double hinm::idealKeptImportance(const float *importance, int64_t rows,
                                 int64_t cols, int64_t keptPerRow) {
  std::vector<float> tmp(cols);
  double s = 0;
  for (int64_t r = 0; r < rows; ++r) {
    std::copy(importance + r * cols, importance + (r + 1) * cols, tmp.begin());
    s += topSum(tmp.data(), cols, keptPerRow);
  }
  return s;
}

double hinm::efficacyPercent(double kept, double baseline, double ideal) {
  double room = ideal - baseline;
  if (!(room > 1e-12 * std::max(1.0, std::abs(ideal))))
    return 0.0;
  return 100.0 * (kept - baseline) / room;
}

/// One run of the search with `opts.seed` (prune() adds the restarts).
static llvm::Expected<PruneResult> pruneOnce(const float *weights, int64_t rows,
                                             int64_t cols,
                                             const PruneOptions &opts,
                                             const float *importance) {
  auto fmtOr = formatFor(opts, rows, cols);
  if (!fmtOr)
    return fmtOr.takeError();
  if (auto err = checkMatrix(weights, rows, cols, "weight", false))
    return std::move(err);
  if (importance)
    if (auto err = checkMatrix(importance, rows, cols, "importance", true))
      return std::move(err);

  Problem pb;
  pb.rows = rows;
  pb.cols = cols;
  pb.V = fmtOr->vectorSize;
  pb.P = fmtOr->paddedRows(rows);
  pb.B = pb.P / pb.V;
  pb.kept = fmtOr->kept;
  pb.n = fmtOr->n;
  pb.m = fmtOr->m;
  pb.imp.assign(pb.P * cols, 0.0f);
  for (int64_t i = 0; i < rows * cols; ++i)
    pb.imp[i] = importance ? importance[i] : std::abs(weights[i]);

  Runner runner(opts.threads);
  PruneResult res;
  res.format = *fmtOr;
  HiNMSelection &sel = res.selection;
  sel.rowPerm.resize(pb.P);
  std::iota(sel.rowPerm.begin(), sel.rowPerm.end(), 0);
  bool ocp = opts.method == PermuteMethod::OCP ||
             opts.method == PermuteMethod::TwoCP;
  bool ivp = opts.method == PermuteMethod::IVP ||
             opts.method == PermuteMethod::TwoCP;
  if (ocp)
    runOCP(pb, sel.rowPerm, opts, runner);

  // IVP work budget per block in stripe evaluations: ~1.5e9 row visits over
  // the matrix, at least 1e5 stripe evaluations per block, times the effort.
  int64_t evalBudget =
      int64_t(opts.effort * std::max(1e5, 1.5e9 / double(pb.V) / double(pb.B)));
  // Vector refinement: skipped when one sweep would visit more than 3e8
  // elements (its gain is small: docs/permutation.md).
  bool refineSel = opts.refineVectors &&
                   double(pb.B) * double(pb.kept) *
                           double(pb.cols - pb.kept) * double(pb.V) <=
                       3e8;
  // Vector pruning, IVP and N:M of every block for a row placement; returns
  // the kept importance.
  auto finish = [&](HiNMSelection &out) {
    out.vectorIndex.assign(pb.B * pb.kept, 0);
    out.nmMask.assign(pb.P * pb.kept, 0);
    std::vector<double> blockKept(pb.B);
    runner.forEach(pb.B, [&](int64_t b) {
      const int32_t *blockRows = &out.rowPerm[b * pb.V];
      std::vector<int32_t> vidx = selectVectors(pb, blockRows);
      if (ivp && refineSel)
        vidx = refineSelection(pb, blockRows, std::move(vidx), 10);
      if (ivp)
        vidx = runIVP(pb, blockRows, vidx, opts, b, evalBudget,
                      opts.refineVectors);
      blockKept[b] = storeBlock(pb, out, b, vidx);
    });
    double kept = 0;
    for (double s : blockKept)
      kept += s;
    return kept;
  };
  res.keptImportance = finish(sel);
  // The annealed placement is scored by the bound, which IVP does not always
  // reach: it replaces the OCP placement only when the finished result keeps
  // more (ties keep the OCP placement).
  if (ocp) {
    HiNMSelection annealed;
    annealed.rowPerm = sel.rowPerm;
    if (runAnnealOCP(pb, annealed.rowPerm, opts)) {
      double kept = finish(annealed);
      if (kept > res.keptImportance) {
        res.keptImportance = kept;
        sel = std::move(annealed);
      }
    }
  }
  if (ocp && ivp)
    res.keptImportance =
        refineJointly(pb, sel, res.keptImportance, opts, evalBudget, runner);
  for (int64_t i = 0; i < rows * cols; ++i)
    res.totalImportance += pb.imp[i];
  return res;
}

llvm::Expected<PruneResult> hinm::prune(const float *weights, int64_t rows,
                                        int64_t cols, const PruneOptions &opts,
                                        const float *importance) {
  auto best = pruneOnce(weights, rows, cols, opts, importance);
  if (!best || opts.method == PermuteMethod::None)
    return best;
  // Restarts: the same search from other seeds. The seeds are derived from
  // (seed, restart), not drawn in sequence, so restart r is the same run
  // whatever the restart count.
  for (int64_t r = 1; r <= opts.restarts; ++r) {
    PruneOptions o = opts;
    o.seed = detail::taskSeed(opts.seed, 9, uint64_t(r));
    auto next = pruneOnce(weights, rows, cols, o, importance);
    if (!next)
      return next.takeError();
    if (next->keptImportance > best->keptImportance)
      best = std::move(next);
  }
  return best;
}

llvm::Expected<EfficacyReport>
hinm::measureEfficacy(const float *weights, int64_t rows, int64_t cols,
                      const PruneOptions &opts,
                      llvm::ArrayRef<PermuteMethod> methods,
                      const float *importance) {
  EfficacyReport rep;
  std::vector<float> absW;
  if (!importance) {
    absW.resize(rows * cols);
    for (int64_t i = 0; i < rows * cols; ++i)
      absW[i] = std::abs(weights[i]);
  }
  const float *imp = importance ? importance : absW.data();
  std::vector<PermuteMethod> todo{PermuteMethod::None};
  for (PermuteMethod m : methods)
    if (m != PermuteMethod::None)
      todo.push_back(m);
  for (PermuteMethod m : todo) {
    PruneOptions o = opts;
    o.method = m;
    auto t0 = std::chrono::steady_clock::now();
    auto res = prune(weights, rows, cols, o, importance);
    if (!res)
      return res.takeError();
    auto t1 = std::chrono::steady_clock::now();
    int i = int(m);
    rep.format = res->format;
    rep.totalImportance = res->totalImportance;
    rep.ran[i] = true;
    rep.kept[i] = res->keptImportance;
    rep.seconds[i] = std::chrono::duration<double>(t1 - t0).count();
  }
  rep.idealImportance = idealKeptImportance(imp, rows, cols,
                                            rep.format.compressedCols());
  for (int i = 0; i < kNumPermuteMethods; ++i)
    if (rep.ran[i])
      rep.efficacy[i] = efficacyPercent(rep.kept[i], rep.kept[0],
                                        rep.idealImportance);
  return rep;
}
