//===- Prune.h - HiNM pruning and 2CP channel permutation -------*- C++ -*-===//
//
// Part of the hinm project. MLIR-free: the hinm-sparsify pass, the hinm-prune
// tool and the tests share this implementation. docs/permutation.md
// describes the algorithms.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_ALGORITHM_PRUNE_H
#define HINM_ALGORITHM_PRUNE_H

#include "hinm/Algorithm/Format.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <array>
#include <cstdint>
#include <string>

namespace hinm {

/// Which channel permutation runs before HiNM pruning.
///   None   vector pruning + N:M in natural order (the efficacy baseline W_s)
///   OCP    output channel permutation only
///   IVP    input vector permutation only
///   TwoCP  OCP, then vector pruning, then IVP, then N:M (2CP)
enum class PermuteMethod { None = 0, OCP = 1, IVP = 2, TwoCP = 3 };
constexpr int kNumPermuteMethods = 4;

/// "none", "ocp", "ivp", "2cp".
const char *permuteMethodName(PermuteMethod method);
/// Parses a name of permuteMethodName; an error naming the valid ones.
llvm::Expected<PermuteMethod> parsePermuteMethod(llvm::StringRef name);

/// Options of a HiNM pruning run. Zero for an iteration count means "choose
/// from the matrix size" (see docs/permutation.md).
struct PruneOptions {
  int64_t vectorSize = 32;
  double vectorSparsity = 0.5;
  int64_t n = 2;
  int64_t m = 4;
  PermuteMethod method = PermuteMethod::TwoCP;
  /// OCP: iteration cap and patience (iterations without gain before stop).
  int64_t ocpIterations = 0;
  int64_t ocpPatience = 0;
  /// OCP: after the paper's sampled Hungarian steps, exchange single rows
  /// between block pairs while vector pruning then removes less.
  bool ocpSwapRefine = false;
  /// OCP: then reassign all rows at once by the N:M-aware bound (balanced
  /// k-means with an exact assignment; docs/permutation.md).
  bool ocpGlobal = true;
  /// OCP: then anneal the placement by exchanging rows between blocks,
  /// priced by the same bound (moves; 0 = automatic, -1 = none).
  int64_t ocpAnneal = 0;
  /// IVP: cap on local-search sweeps per block.
  int64_t ivpSweeps = 0;
  /// IVP: iterated-local-search kicks per block (0 = automatic, -1 = none).
  int64_t ivpKicks = 0;
  /// IVP: simulated-annealing moves per block (0 = automatic, -1 = none).
  int64_t ivpAnneal = 0;
  /// IVP: ejection-assignment rounds without gain before that step stops
  /// (0 = automatic, -1 = none; docs/permutation.md).
  int64_t ivpEject = 0;
  /// IVP: end with an LP dive over each block's stripes (2:4 only; needs a
  /// build with COIN-OR CLP; slow: seconds to minutes per block, blocks too
  /// large for one dive under its work cap are dived in windows of stripes;
  /// docs/permutation.md).
  bool ivpLP = false;
  /// 2CP: rounds of joint refinement, rows re-placed by an exact assignment
  /// against the finished blocks, then IVP again (0 = automatic, -1 = none).
  int64_t jointRounds = 0;
  /// Extra runs of the whole search from other seeds (derived from `seed`);
  /// the run that keeps the most wins (ties: the earlier). 0 = one run. Costs
  /// (1 + restarts) times the time; deterministic for a given seed.
  int64_t restarts = 0;
  /// Multiplier of the automatic work budgets of the annealing searches
  /// (IVP's evaluation budget and move count, OCP's row exchanges), in
  /// [0.01, 1000]. Explicit move counts are used as given. More effort is
  /// slower and usually, not always, keeps more (docs/permutation.md).
  double effort = 1.0;
  /// With IVP (ivp, 2cp): also exchange kept vectors for pruned ones when
  /// the N:M level then keeps more (beyond the paper; docs/permutation.md).
  bool refineVectors = true;
  uint64_t seed = 0;
  /// Worker threads; 0 = all hardware threads, 1 = run inline. The result
  /// does not depend on this.
  unsigned threads = 0;

  /// Error text for options unusable on their own ("" if fine).
  std::string validate() const;
};

/// The largest matrix `prune` takes, in elements after the rows are padded
/// to a multiple of V (2^30: a 4 GB f32 weight, past the largest layers of
/// today's models; the search keeps several copies of it). Larger ones are an
/// error, not an out-of-memory abort.
constexpr int64_t kMaxPrunedElements = int64_t(1) << 30;

/// The HiNM format the options give for a matrix with `cols` columns, or an
/// error when the options or the shape do not fit (fewer than M columns,
/// more than kMaxPrunedElements once padded to a multiple of V...).
llvm::Expected<HiNMFormat> formatFor(const PruneOptions &opts, int64_t rows,
                                     int64_t cols);

/// Checks that `data` ([rows, cols]) holds only finite values (and, when
/// `nonNegative`, no negative ones); the error names the first bad element.
/// `what` names the matrix in the message ("weight", "importance").
llvm::Error checkMatrix(const float *data, int64_t rows, int64_t cols,
                        llvm::StringRef what, bool nonNegative);

/// The result of a pruning run.
struct PruneResult {
  HiNMFormat format;
  HiNMSelection selection;
  /// Summed importance of the kept weights, and of all weights.
  double keptImportance = 0;
  double totalImportance = 0;
};

/// Prunes a row-major [rows, cols] matrix (rows = output channels) to HiNM
/// with the chosen permutation. `importance` ([rows, cols], non-negative)
/// defaults to |w|. Rejects NaN/Inf weights or importance, negative
/// importance, and bad options with an error naming the problem.
/// Pack the result with hinm::pack(weights, ..., result.selection).
llvm::Expected<PruneResult> prune(const float *weights, int64_t rows,
                                  int64_t cols, const PruneOptions &opts,
                                  const float *importance = nullptr);

/// Summed importance that a selection keeps.
double keptImportance(const float *importance, int64_t rows, int64_t cols,
                      const HiNMFormat &fmt, const HiNMSelection &sel);

/// The efficacy ideal W_opt: per-row top-`keptPerRow` importance, summed.
double idealKeptImportance(const float *importance, int64_t rows, int64_t cols,
                           int64_t keptPerRow);

/// Efficacy in percent: (kept - baseline) / (ideal - baseline) * 100;
/// 0 when the ideal equals the baseline (nothing to gain).
double efficacyPercent(double kept, double baseline, double ideal);

/// Kept importance of every method and the ideal, for efficacy tables.
struct EfficacyReport {
  HiNMFormat format;
  double totalImportance = 0;
  double idealImportance = 0;
  std::array<bool, kNumPermuteMethods> ran{};
  std::array<double, kNumPermuteMethods> kept{};
  std::array<double, kNumPermuteMethods> efficacy{};
  std::array<double, kNumPermuteMethods> seconds{};
};

/// Runs the `methods` (None always runs: it is the baseline) with `opts`
/// (opts.method is ignored) and fills the report.
llvm::Expected<EfficacyReport>
measureEfficacy(const float *weights, int64_t rows, int64_t cols,
                const PruneOptions &opts,
                llvm::ArrayRef<PermuteMethod> methods,
                const float *importance = nullptr);

} // namespace hinm

#endif // HINM_ALGORITHM_PRUNE_H
