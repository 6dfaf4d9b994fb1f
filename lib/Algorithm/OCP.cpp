//===- OCP.cpp - Output channel permutation -------------------------------===//
//
// Part of the hinm project. OCP as in the paper (sampled rows, exact
// assignment), and beyond it: row swaps, the global k-means placement and
// the annealed placement (docs/permutation.md).
//
//===----------------------------------------------------------------------===//
#include "PruneDetail.h"

#include "hinm/Algorithm/Assignment.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

using namespace hinm;
using namespace hinm::detail;

//===----------------------------------------------------------------------===//
// OCP: output channel permutation (paper, section 2CP).
//===----------------------------------------------------------------------===//

/// Importance that vector pruning removes from a block whose column sums
/// are base + x. `scratch` has cols floats.
static double vectorRemoved(const double *base, const float *x, int64_t cols,
                     int64_t kept, float *scratch) {
  double total = 0;
  for (int64_t c = 0; c < cols; ++c) {
    float y = float(base[c] + x[c]);
    scratch[c] = y;
    total += y;
  }
  return total - topSum(scratch, cols, kept);
}

/// Exchanges single rows between two blocks while that lowers the
/// importance vector pruning removes from the pair (first improvement,
/// exact cost, at most `passes` scans of the V*V exchanges).
static void swapRowsBetween(const Problem &pb, int32_t *rowsA, int32_t *rowsB,
                     double *sumA, double *sumB, int64_t passes) {
  const int64_t V = pb.V, cols = pb.cols, kept = pb.kept;
  std::vector<double> ta(cols), tb(cols);
  std::vector<float> scratch(cols);
  const float zero = 0;
  (void)zero;
  std::vector<float> none(cols, 0.0f);
  double cur = vectorRemoved(sumA, none.data(), cols, kept, scratch.data()) +
               vectorRemoved(sumB, none.data(), cols, kept, scratch.data());
  for (int64_t pass = 0; pass < passes; ++pass) {
    bool improved = false;
    for (int64_t i = 0; i < V; ++i)
      for (int64_t j = 0; j < V; ++j) {
        const float *ri = pb.row(rowsA[i]), *rj = pb.row(rowsB[j]);
        for (int64_t c = 0; c < cols; ++c) {
          double d = double(rj[c]) - double(ri[c]);
          ta[c] = sumA[c] + d;
          tb[c] = sumB[c] - d;
        }
        double cost =
            vectorRemoved(ta.data(), none.data(), cols, kept, scratch.data()) +
            vectorRemoved(tb.data(), none.data(), cols, kept, scratch.data());
        if (cost < cur - 1e-9 * std::max(1.0, std::abs(cur))) {
          std::swap(rowsA[i], rowsB[j]);
          blockColSums(pb, rowsA, sumA);
          blockColSums(pb, rowsB, sumB);
          cur = vectorRemoved(sumA, none.data(), cols, kept, scratch.data()) +
                vectorRemoved(sumB, none.data(), cols, kept, scratch.data());
          improved = true;
        }
      }
    if (!improved)
      break;
  }
}

/// OCP refinement beyond the paper: row exchanges between block pairs.
/// Block pairs follow a round-robin schedule (circle method): the pairs of
/// a round are disjoint, so they run in parallel without changing the
/// result. Rounds are capped by a work budget (~3e8 element visits).
static void refineOCPBySwaps(const Problem &pb, std::vector<int32_t> &perm,
                      std::vector<double> &colSum, const PruneOptions &opts,
                      Runner &runner) {
  const int64_t B = pb.B, V = pb.V, cols = pb.cols;
  const int64_t T = B + (B & 1); // teams incl. a bye when B is odd
  double perRound = double(T / 2) * double(V * V) * 2.0 * double(cols);
  int64_t rounds = std::min<int64_t>(
      T - 1, std::max<int64_t>(1, int64_t(3e8 / perRound)));
  std::mt19937_64 rng(taskSeed(opts.seed, 4, 0));
  int64_t offset = int64_t(rng() % uint64_t(T - 1));
  for (int64_t rr = 0; rr < rounds; ++rr) {
    int64_t r = (rr + offset) % (T - 1);
    std::vector<std::pair<int64_t, int64_t>> pairs;
    for (int64_t k = 0; k < T / 2; ++k) {
      int64_t a = k == 0 ? T - 1 : (r + k) % (T - 1);
      int64_t b = (r + T - 1 - k) % (T - 1);
      if (k == 0)
        b = r;
      if (a < B && b < B && a != b)
        pairs.push_back({std::min(a, b), std::max(a, b)});
    }
    runner.forEach(int64_t(pairs.size()), [&](int64_t i) {
      auto [a, b] = pairs[i];
      swapRowsBetween(pb, &perm[a * V], &perm[b * V], &colSum[a * cols],
                      &colSum[b * cols], 2);
    });
  }
}

std::vector<int32_t> hinm::detail::placeInBlocks(
    const std::vector<int32_t> &rows, const std::vector<int64_t> &bin,
    int64_t B, int64_t V) {
  std::vector<int32_t> out(rows.size());
  std::vector<int64_t> fill(B, 0);
  for (size_t i = 0; i < rows.size(); ++i)
    out[bin[i] * V + fill[bin[i]]++] = rows[i];
  return out;
}

/// What N:M could keep of one row if its block kept the columns `kept`: the
/// sum of its h largest importances there (the perfect-IVP bound).
static double rowBound(const Problem &pb, int64_t row,
                       const std::vector<int32_t> &kept, int64_t h,
                       std::vector<float> &tmp) {
  const float *r = pb.row(row);
  tmp.resize(kept.size());
  for (size_t k = 0; k < kept.size(); ++k)
    tmp[k] = r[kept[k]];
  return topSum(tmp.data(), int64_t(tmp.size()), h);
}

/// The N:M-aware objective of a row placement: per block, vector pruning by
/// summed importance, then every row's perfect-IVP bound.
static double placementBound(const Problem &pb,
                             const std::vector<int32_t> &perm, Runner &runner) {
  const int64_t h = pb.kept / pb.m * pb.n;
  std::vector<double> per(pb.B);
  runner.forEach(pb.B, [&](int64_t b) {
    std::vector<int32_t> kept = selectVectors(pb, &perm[b * pb.V]);
    std::vector<float> tmp;
    double s = 0;
    for (int64_t v = 0; v < pb.V; ++v)
      s += rowBound(pb, perm[b * pb.V + v], kept, h, tmp);
    per[b] = s;
  });
  double s = 0;
  for (double x : per)
    s += x;
  return s;
}

/// Global OCP (beyond the paper), a balanced k-means over rows: with every
/// block's kept columns fixed, the value of row r in block b is its
/// perfect-IVP bound over b's kept columns; all rows are reassigned at once
/// by an exact assignment of rows to the B blocks of V slots
/// (solveBinAssignment); the kept columns are then recomputed. A step is
/// kept only if the whole placement's bound improves. Restarts from seeded
/// random placements for small matrices; the best placement wins. The
/// number of steps follows a work budget (kGlobalOCPWork element visits),
/// and the step is skipped when a single one exceeds it.
static void runGlobalOCP(const Problem &pb, std::vector<int32_t> &perm,
                  const PruneOptions &opts, Runner &runner) {
  const int64_t B = pb.B, V = pb.V, P = pb.P;
  // One step: P*B row bounds of K elements, and the assignment's P*B*B.
  const double stepWork =
      double(P) * double(B) * double(pb.kept + B);
  if (B < 2 || stepWork > kGlobalOCPWork)
    return;
  const int64_t maxSteps =
      std::clamp<int64_t>(int64_t(4 * kGlobalOCPWork / stepWork), 1, 30);
  const int64_t h = pb.kept / pb.m * pb.n;
  auto improve = [&](std::vector<int32_t> &pl, double cur) {
    for (int64_t it = 0; it < maxSteps; ++it) {
      std::vector<std::vector<int32_t>> kept(B);
      runner.forEach(B, [&](int64_t b) {
        kept[b] = selectVectors(pb, &pl[b * V]);
      });
      // cost[i * B + b]: minus the bound of the row in slot i under block b.
      std::vector<double> cost(P * B);
      runner.forEach(P, [&](int64_t i) {
        std::vector<float> tmp;
        for (int64_t b = 0; b < B; ++b)
          cost[i * B + b] = -rowBound(pb, pl[i], kept[b], h, tmp);
      });
      std::vector<int32_t> next =
          placeInBlocks(pl, solveBinAssignment(cost, P, B, V), B, V);
      double nb = placementBound(pb, next, runner);
      if (!(nb > cur + 1e-9 * std::abs(cur)))
        break;
      pl.swap(next);
      cur = nb;
    }
    return cur;
  };
  double best = improve(perm, placementBound(pb, perm, runner));
  int64_t restarts = P <= 256 ? 6 : 0;
  for (int64_t r = 0; r < restarts; ++r) {
    std::vector<int32_t> pl(perm);
    std::mt19937_64 rng(taskSeed(opts.seed, 5, uint64_t(r)));
    std::shuffle(pl.begin(), pl.end(), rng);
    double v = improve(pl, placementBound(pb, pl, runner));
    if (v > best + 1e-9 * std::abs(best)) {
      best = v;
      perm = pl;
    }
  }
}

/// Annealing schedule of the row placement: start temperature as a share of
/// the mean worsening move, end temperature as a share of the start.
static constexpr double kOCPAnnealStartFactor = 0.15;
static constexpr double kOCPAnnealEndRatio = 1e-3;

/// Annealed row placement (beyond the paper): simulated annealing over
/// exchanges of two rows between two blocks, each move priced exactly by the
/// two blocks' perfect-IVP bound (vector pruning by summed importance, then
/// every row's top h over the kept columns). Escapes the local optima of the
/// k-means (runGlobalOCP) on layers with few blocks, where a single row
/// decides which columns a block can keep. The move count follows a work
/// budget of about 3e7 element visits (at most 2000 moves), both times the
/// effort option; skipped above 1024 rows like the global step. Sequential
/// with one seeded RNG: deterministic. True when the placement's bound
/// improved.
bool hinm::detail::runAnnealOCP(const Problem &pb, std::vector<int32_t> &perm,
                  const PruneOptions &opts) {
  const int64_t B = pb.B, V = pb.V, P = pb.P, C = pb.cols, K = pb.kept;
  const int64_t h = K / pb.m * pb.n;
  if (B < 2 || P > 1024 || K >= C || opts.ocpAnneal < 0)
    return false;
  int64_t moves = opts.ocpAnneal;
  if (moves == 0)
    moves = int64_t(opts.effort *
                    std::min(2000.0, 3e7 / double(2 * (V * K + 4 * C))));
  if (moves <= 0)
    return false;
  std::vector<int32_t> idx(C);
  std::vector<float> tmp(K);
  // Bound of a block holding rows[0, V) whose column sums are `sums`.
  auto bound = [&](const int32_t *rows, const double *sums) {
    std::iota(idx.begin(), idx.end(), 0);
    auto higher = [&](int32_t a, int32_t b) {
      return sums[a] > sums[b] || (sums[a] == sums[b] && a < b);
    };
    std::nth_element(idx.begin(), idx.begin() + K, idx.end(), higher);
    double s = 0;
    for (int64_t v = 0; v < V; ++v) {
      const float *r = pb.row(rows[v]);
      for (int64_t k = 0; k < K; ++k)
        tmp[k] = r[idx[k]];
      s += topSum(tmp.data(), K, h);
    }
    return s;
  };
  std::vector<double> sums(B * C), val(B);
  for (int64_t b = 0; b < B; ++b) {
    blockColSums(pb, &perm[b * V], &sums[b * C]);
    val[b] = bound(&perm[b * V], &sums[b * C]);
  }
  std::mt19937_64 rng(taskSeed(opts.seed, 7, 0));
  std::vector<double> sa(C), sb(C);
  std::vector<int32_t> ra(V), rb(V);
  int64_t ba = 0, bb = 0, ia = 0, ib = 0;
  double newA = 0, newB = 0;
  // Draws and prices one exchange; returns the change of the total bound.
  auto propose = [&] {
    ba = int64_t(rng() % uint64_t(B));
    bb = int64_t(rng() % uint64_t(B - 1));
    if (bb >= ba)
      ++bb;
    ia = int64_t(rng() % uint64_t(V));
    ib = int64_t(rng() % uint64_t(V));
    std::copy(&perm[ba * V], &perm[ba * V] + V, ra.begin());
    std::copy(&perm[bb * V], &perm[bb * V] + V, rb.begin());
    std::swap(ra[ia], rb[ib]);
    const float *x = pb.row(perm[ba * V + ia]), *y = pb.row(perm[bb * V + ib]);
    for (int64_t c = 0; c < C; ++c) {
      sa[c] = sums[ba * C + c] - x[c] + y[c];
      sb[c] = sums[bb * C + c] - y[c] + x[c];
    }
    newA = bound(ra.data(), sa.data());
    newB = bound(rb.data(), sb.data());
    return newA + newB - val[ba] - val[bb];
  };
  double worse = 0;
  int64_t nWorse = 0;
  for (int64_t k = 0; k < 32; ++k) {
    double d = propose();
    if (d < 0) {
      worse -= d;
      ++nWorse;
    }
  }
  if (nWorse == 0)
    return false;
  double temp = kOCPAnnealStartFactor * worse / double(nWorse);
  const double cool = std::pow(kOCPAnnealEndRatio, 1.0 / double(moves));
  double tot = 0;
  for (double x : val)
    tot += x;
  const double start = tot;
  double best = tot;
  bool atBest = true;
  std::vector<int32_t> bestPerm;
  for (int64_t it = 0; it < moves; ++it, temp *= cool) {
    double d = propose();
    if (d < 0 && !(d > -30 * temp &&
                   double(rng() >> 11) * 0x1.0p-53 < std::exp(d / temp)))
      continue;
    if (d < 0 && atBest) {
      bestPerm = perm;
      atBest = false;
    }
    std::swap(perm[ba * V + ia], perm[bb * V + ib]);
    // Exact sums again for the two blocks: no drift from running updates.
    blockColSums(pb, &perm[ba * V], &sums[ba * C]);
    blockColSums(pb, &perm[bb * V], &sums[bb * C]);
    val[ba] = newA;
    val[bb] = newB;
    tot += d;
    if (tot > best) {
      best = tot;
      atBest = true;
    }
  }
  if (!atBest)
    perm.swap(bestPerm);
  return best > start;
}

/// Permutes rows among blocks: each iteration samples one row from every
/// block, prices every (sampled row, block) pair exactly, and moves the rows
/// as the optimal assignment says. Only improving steps are applied.
void hinm::detail::runOCP(const Problem &pb, std::vector<int32_t> &perm,
            const PruneOptions &opts, Runner &runner) {
  const int64_t B = pb.B, V = pb.V, cols = pb.cols;
  if (B < 2)
    return;
  // Automatic iteration cap: a work budget of ~3e8 element visits, between
  // 2 and 2000 iterations; patience a fifth of it, at least 20.
  int64_t iters = opts.ocpIterations;
  if (iters == 0) {
    double work = double(B) * double(B) * double(cols);
    iters = std::clamp<int64_t>(int64_t(3e8 / work), 2, 2000);
  }
  int64_t patience = opts.ocpPatience;
  if (patience == 0)
    patience = std::max<int64_t>(20, iters / 5);

  std::vector<double> colSum(B * cols);
  for (int64_t b = 0; b < B; ++b)
    blockColSums(pb, &perm[b * V], &colSum[b * cols]);

  std::vector<double> base(B * cols), cost(B * B);
  std::vector<int64_t> slot(B);
  std::vector<int32_t> sampled(B);
  int64_t sinceGain = 0;
  for (int64_t it = 0; it < iters && sinceGain < patience; ++it) {
    std::mt19937_64 rng(taskSeed(opts.seed, 1, it));
    for (int64_t b = 0; b < B; ++b) {
      slot[b] = int64_t(rng() % uint64_t(V));
      sampled[b] = perm[b * V + slot[b]];
      const float *r = pb.row(sampled[b]);
      for (int64_t c = 0; c < cols; ++c)
        base[b * cols + c] = colSum[b * cols + c] - r[c];
    }
    auto priceRow = [&](int64_t i) {
      std::vector<float> scratch(cols);
      const float *x = pb.row(sampled[i]);
      for (int64_t b = 0; b < B; ++b)
        cost[i * B + b] =
            vectorRemoved(&base[b * cols], x, cols, pb.kept, scratch.data());
    };
    // Small iterations run inline: dispatch would cost more than the work.
    if (B * B * cols >= 100000)
      runner.forEach(B, priceRow);
    else
      for (int64_t i = 0; i < B; ++i)
        priceRow(i);
    std::vector<int64_t> assign = solveAssignment(cost, B);
    double before = 0, after = 0;
    for (int64_t b = 0; b < B; ++b) {
      before += cost[b * B + b];
      after += cost[b * B + assign[b]];
    }
    if (!(after < before - 1e-9 * std::max(1.0, std::abs(before)))) {
      ++sinceGain;
      continue;
    }
    sinceGain = 0;
    for (int64_t i = 0; i < B; ++i)
      perm[assign[i] * V + slot[assign[i]]] = sampled[i];
    // Recompute changed blocks from scratch: no drift from running updates.
    for (int64_t i = 0; i < B; ++i)
      if (assign[i] != i)
        blockColSums(pb, &perm[assign[i] * V], &colSum[assign[i] * cols]);
  }
  if (opts.ocpSwapRefine)
    refineOCPBySwaps(pb, perm, colSum, opts, runner);
  if (opts.ocpGlobal)
    runGlobalOCP(pb, perm, opts, runner);
}
