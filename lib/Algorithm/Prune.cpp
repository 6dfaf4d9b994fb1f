//===- Prune.cpp - HiNM pruning and 2CP channel permutation ----------------===//
//
// Part of the hinm project. See include/hinm/Algorithm/Prune.h and
// docs/permutation.md.
//
// Determinism: every random choice comes from a std::mt19937_64 seeded from
// (seed, stage, task id) and owned by one task; parallel tasks write disjoint
// outputs; sums that decide anything run in a fixed order. The result is the
// same for any thread count.
//
//===----------------------------------------------------------------------===//
#include "hinm/Algorithm/Prune.h"
#include "hinm/Algorithm/Assignment.h"

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

namespace {

uint64_t splitmix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
/// Seed of the RNG of one task: (seed, stage, id) hashed.
uint64_t taskSeed(uint64_t seed, uint64_t stage, uint64_t id) {
  return splitmix(splitmix(splitmix(seed) ^ stage) ^ id);
}

/// Runs fn(0..count) inline or on an LLVM thread pool. Each fn(i) must write
/// only its own outputs.
class Runner {
public:
  explicit Runner(unsigned threads) {
    if (threads == 1)
      return;
    pool = std::make_unique<llvm::DefaultThreadPool>(
        llvm::hardware_concurrency(threads));
    if (pool->getMaxConcurrency() <= 1)
      pool.reset();
  }
  template <typename Fn> void forEach(int64_t count, Fn &&fn) {
    if (!pool || count <= 1) {
      for (int64_t i = 0; i < count; ++i)
        fn(i);
      return;
    }
    int64_t tasks =
        std::min<int64_t>(count, 4 * int64_t(pool->getMaxConcurrency()));
    for (int64_t t = 0; t < tasks; ++t)
      pool->async([&fn, t, tasks, count] {
        for (int64_t i = t; i < count; i += tasks)
          fn(i);
      });
    pool->wait();
  }

private:
  std::unique_ptr<llvm::DefaultThreadPool> pool;
};

/// The matrix being pruned: importance by original row, padded with zero
/// rows up to a multiple of V.
struct Problem {
  int64_t rows = 0, cols = 0, V = 0, P = 0, B = 0, kept = 0, n = 0, m = 0;
  std::vector<float> imp;
  const float *row(int64_t r) const { return &imp[r * cols]; }
};

/// Sum of the k largest of x[0, len); x is reordered.
double topSum(float *x, int64_t len, int64_t k) {
  if (k < len)
    std::nth_element(x, x + k, x + len, std::greater<float>());
  double s = 0;
  for (int64_t i = 0, e = std::min(k, len); i < e; ++i)
    s += x[i];
  return s;
}

/// Column sums of the V rows stored in a block.
void blockColSums(const Problem &pb, const int32_t *blockRows, double *out) {
  std::fill(out, out + pb.cols, 0.0);
  for (int64_t v = 0; v < pb.V; ++v) {
    const float *r = pb.row(blockRows[v]);
    for (int64_t c = 0; c < pb.cols; ++c)
      out[c] += r[c];
  }
}

/// Vector pruning of one block: the `kept` columns of largest summed
/// importance (ties: lower column), ascending.
std::vector<int32_t> selectVectors(const Problem &pb,
                                   const int32_t *blockRows) {
  std::vector<double> sums(pb.cols);
  blockColSums(pb, blockRows, sums.data());
  std::vector<int32_t> idx(pb.cols);
  std::iota(idx.begin(), idx.end(), 0);
  auto better = [&](int32_t a, int32_t b) {
    return sums[a] > sums[b] || (sums[a] == sums[b] && a < b);
  };
  std::nth_element(idx.begin(), idx.begin() + pb.kept, idx.end(), better);
  idx.resize(pb.kept);
  std::sort(idx.begin(), idx.end());
  return idx;
}

/// Improves a block's vector selection for the N:M level (beyond the paper):
/// maximizes sum over rows of the top h = kept/m*n kept values (what N:M
/// could keep with a perfect IVP) by exchanging a kept column a for a pruned
/// column b. With t_r / u_r the h-th / (h+1)-th largest kept value of row r,
/// the exchange changes row r by max(I_rb, u_r) - I_ra when a is in the row's
/// top h, else by max(I_rb, t_r) - t_r: exact, O(V) per candidate.
/// First improvement per kept column, sweeps until none improves.
std::vector<int32_t> refineSelection(const Problem &pb,
                                     const int32_t *blockRows,
                                     std::vector<int32_t> vidx,
                                     int64_t maxSweeps) {
  const int64_t V = pb.V, C = pb.cols, K = pb.kept;
  const int64_t h = K / pb.m * pb.n;
  if (K >= C || h >= K)
    return vidx;
  std::vector<float> data(C * V);
  for (int64_t v = 0; v < V; ++v) {
    const float *r = pb.row(blockRows[v]);
    for (int64_t c = 0; c < C; ++c)
      data[c * V + v] = r[c];
  }
  std::vector<char> in(C, 0);
  for (int32_t c : vidx)
    in[c] = 1;
  std::vector<int32_t> outside;
  for (int64_t c = 0; c < C; ++c)
    if (!in[c])
      outside.push_back(int32_t(c));
  std::vector<float> t(V), u(V), tmp(K), lim(V);
  // Per-row h-th and (h+1)-th largest kept value.
  auto rowStats = [&](int64_t v) {
    for (int64_t k = 0; k < K; ++k)
      tmp[k] = data[int64_t(vidx[k]) * V + v];
    std::nth_element(tmp.begin(), tmp.begin() + h, tmp.end(),
                     std::greater<float>());
    u[v] = tmp[h];
    t[v] = *std::min_element(tmp.begin(), tmp.begin() + h);
  };
  for (int64_t v = 0; v < V; ++v)
    rowStats(v);
  for (int64_t sweep = 0; sweep < maxSweeps; ++sweep) {
    bool improved = false;
    for (int64_t k = 0; k < K; ++k) {
      const float *ca = &data[int64_t(vidx[k]) * V];
      // a counts as in the row's top h when above t, or tied with t while
      // t > u (then every value equal to t is in the top h).
      double base = 0;
      for (int64_t v = 0; v < V; ++v) {
        bool inTop = ca[v] > t[v] || (ca[v] == t[v] && t[v] > u[v]);
        lim[v] = inTop ? u[v] : t[v];
        base += inTop ? ca[v] : t[v];
      }
      double best = base + 1e-6 * std::abs(base) + 1e-12;
      int64_t bestO = -1;
      for (int64_t o = 0; o < int64_t(outside.size()); ++o) {
        const float *cb = &data[int64_t(outside[o]) * V];
        float lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        for (int64_t v0 = 0; v0 < V; v0 += 8)
          for (int64_t l = 0; l < 8; ++l)
            lane[l] += std::max(cb[v0 + l], lim[v0 + l]);
        double g = ((lane[0] + lane[1]) + (lane[2] + lane[3])) +
                   ((lane[4] + lane[5]) + (lane[6] + lane[7]));
        if (g > best) {
          best = g;
          bestO = o;
        }
      }
      if (bestO < 0)
        continue;
      std::swap(vidx[k], outside[bestO]);
      for (int64_t v = 0; v < V; ++v)
        rowStats(v);
      improved = true;
    }
    if (!improved)
      break;
  }
  std::sort(vidx.begin(), vidx.end());
  return vidx;
}

/// N:M pruning of one stored row over the block's kept columns in `order`:
/// per group of m keep the n of largest importance (ties: earlier position).
/// Writes the mask; returns the kept importance.
double selectNM(const float *rowImp, const int32_t *order, int64_t kept,
                int64_t n, int64_t m, uint8_t *mask) {
  double s = 0;
  int32_t pos[32];
  for (int64_t g = 0; g < kept; g += m) {
    for (int64_t j = 0; j < m; ++j)
      pos[j] = int32_t(j);
    std::partial_sort(pos, pos + n, pos + m, [&](int32_t a, int32_t b) {
      float va = rowImp[order[g + a]], vb = rowImp[order[g + b]];
      return va > vb || (va == vb && a < b);
    });
    for (int64_t j = 0; j < m; ++j)
      mask[g + j] = 0;
    for (int64_t j = 0; j < n; ++j) {
      mask[g + pos[j]] = 1;
      s += rowImp[order[g + pos[j]]];
    }
  }
  return s;
}

//===----------------------------------------------------------------------===//
// OCP: output channel permutation (paper, section 2CP).
//===----------------------------------------------------------------------===//

/// Importance that vector pruning removes from a block whose column sums
/// are base + x. `scratch` has cols floats.
double vectorRemoved(const double *base, const float *x, int64_t cols,
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
void swapRowsBetween(const Problem &pb, int32_t *rowsA, int32_t *rowsB,
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
void refineOCPBySwaps(const Problem &pb, std::vector<int32_t> &perm,
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

/// What N:M could keep of one row if its block kept the columns `kept`: the
/// sum of its h largest importances there (the perfect-IVP bound).
double rowBound(const Problem &pb, int64_t row, const std::vector<int32_t> &kept,
                int64_t h, std::vector<float> &tmp) {
  const float *r = pb.row(row);
  tmp.resize(kept.size());
  for (size_t k = 0; k < kept.size(); ++k)
    tmp[k] = r[kept[k]];
  return topSum(tmp.data(), int64_t(tmp.size()), h);
}

/// The N:M-aware objective of a row placement: per block, vector pruning by
/// summed importance, then every row's perfect-IVP bound.
double placementBound(const Problem &pb, const std::vector<int32_t> &perm,
                      Runner &runner) {
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
/// by an exact assignment of rows to the P = B*V row slots; the kept columns
/// are then recomputed. A step is kept only if the whole placement's bound
/// improves. Restarts from seeded random placements for small matrices;
/// the best placement wins. Skipped above 1024 rows (O(P^3) assignment).
void runGlobalOCP(const Problem &pb, std::vector<int32_t> &perm,
                  const PruneOptions &opts, Runner &runner) {
  const int64_t B = pb.B, V = pb.V, P = pb.P;
  if (B < 2 || P > 1024)
    return;
  const int64_t h = pb.kept / pb.m * pb.n;
  auto improve = [&](std::vector<int32_t> &pl, double cur) {
    for (int64_t it = 0; it < 30; ++it) {
      std::vector<std::vector<int32_t>> kept(B);
      runner.forEach(B, [&](int64_t b) { kept[b] = selectVectors(pb, &pl[b * V]); });
      // value[r * B + b], r indexes slots' current rows (pl order).
      std::vector<double> value(P * B);
      runner.forEach(P, [&](int64_t i) {
        std::vector<float> tmp;
        for (int64_t b = 0; b < B; ++b)
          value[i * B + b] = rowBound(pb, pl[i], kept[b], h, tmp);
      });
      std::vector<double> cost(P * P);
      for (int64_t i = 0; i < P; ++i)
        for (int64_t j = 0; j < P; ++j)
          cost[i * P + j] = -value[i * B + j / V];
      std::vector<int64_t> a = solveAssignment(cost, P);
      std::vector<int32_t> next(P);
      for (int64_t i = 0; i < P; ++i)
        next[a[i]] = pl[i];
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
constexpr double kOCPAnnealStartFactor = 0.15;
constexpr double kOCPAnnealEndRatio = 1e-3;

/// Annealed row placement (beyond the paper): simulated annealing over
/// exchanges of two rows between two blocks, each move priced exactly by the
/// two blocks' perfect-IVP bound (vector pruning by summed importance, then
/// every row's top h over the kept columns). Escapes the local optima of the
/// k-means (runGlobalOCP) on layers with few blocks, where a single row
/// decides which columns a block can keep. The move count follows a work
/// budget of about 3e7 element visits (at most 2000 moves); skipped above
/// 1024 rows like the global step. Sequential with one seeded RNG:
/// deterministic. True when the placement's bound improved.
bool runAnnealOCP(const Problem &pb, std::vector<int32_t> &perm,
                  const PruneOptions &opts) {
  const int64_t B = pb.B, V = pb.V, P = pb.P, C = pb.cols, K = pb.kept;
  const int64_t h = K / pb.m * pb.n;
  if (B < 2 || P > 1024 || K >= C || opts.ocpAnneal < 0)
    return false;
  int64_t moves = opts.ocpAnneal;
  if (moves == 0)
    moves = std::min<int64_t>(2000,
                              int64_t(3e7 / double(2 * (V * K + 4 * C))));
  if (moves <= 0)
    return false;
  std::vector<int32_t> idx(C);
  std::vector<float> tmp(K);
  // Bound of a block holding rows[0, V) whose column sums are `sums`.
  auto bound = [&](const int32_t *rows, const double *sums) {
    std::iota(idx.begin(), idx.end(), 0);
    std::nth_element(idx.begin(), idx.begin() + K, idx.end(),
                     [&](int32_t a, int32_t b) {
                       return sums[a] > sums[b] || (sums[a] == sums[b] && a < b);
                     });
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
void runOCP(const Problem &pb, std::vector<int32_t> &perm,
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

//===----------------------------------------------------------------------===//
// IVP: input vector permutation, per block.
//===----------------------------------------------------------------------===//

/// Importance N:M keeps in one stripe: m column pointers, V rows each.
float stripeKept(const float *const *c, int64_t V, int64_t n, int64_t m) {
  if (n == 2 && m == 4) {
    // Lanes of 8 rows so the compiler can vectorize without reassociation.
    float lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (int64_t v0 = 0; v0 < V; v0 += 8)
      for (int64_t l = 0; l < 8; ++l) {
        int64_t v = v0 + l;
        float a = c[0][v], b = c[1][v], x = c[2][v], d = c[3][v];
        float hi1 = std::max(a, b), lo1 = std::min(a, b);
        float hi2 = std::max(x, d), lo2 = std::min(x, d);
        float top = std::max(hi1, hi2);
        float sec = std::max(std::min(hi1, hi2), std::max(lo1, lo2));
        lane[l] += top + sec;
      }
    return ((lane[0] + lane[1]) + (lane[2] + lane[3])) +
           ((lane[4] + lane[5]) + (lane[6] + lane[7]));
  }
  // General N:M: keep the n largest in a small descending array.
  float s = 0, top[32];
  for (int64_t v = 0; v < V; ++v) {
    int64_t filled = 0;
    for (int64_t j = 0; j < m; ++j) {
      float x = c[j][v];
      if (filled == n && x <= top[n - 1])
        continue;
      int64_t k = filled < n ? filled++ : n - 1;
      while (k > 0 && top[k - 1] < x) {
        top[k] = top[k - 1];
        --k;
      }
      top[k] = x;
    }
    for (int64_t j = 0; j < n; ++j)
      s += top[j];
  }
  return s;
}

/// Candidate splits of the 2m columns of two stripes into two stripes, as
/// bit masks of the first stripe's members. m <= 4: every split (35 for
/// m = 4, so a pair step is exact); larger m: the m*m single swaps.
std::vector<uint32_t> pairSplits(int64_t m) {
  std::vector<uint32_t> out;
  uint32_t identity = (1u << m) - 1;
  if (m <= 4) {
    for (uint32_t mask = 1; mask < (1u << (2 * m)); ++mask)
      if ((mask & 1) && __builtin_popcount(mask) == m && mask != identity)
        out.push_back(mask);
  } else {
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = m; j < 2 * m; ++j)
        out.push_back((identity & ~(1u << i)) | (1u << j));
  }
  return out;
}

/// Annealing schedule of IVP (docs/permutation.md): moves per kept column
/// when automatic, start temperature as a share of the mean worsening move,
/// and end temperature as a share of the start.
constexpr int64_t kAnnealMovesPerColumn = 10000;
constexpr double kAnnealStartFactor = 0.03;
constexpr double kAnnealEndRatio = 1e-3;

/// Reorders one block's kept vectors (IVP) and, with `refine`, exchanges
/// kept vectors for pruned ones. Local search, every move priced exactly
/// (importance the final N:M keeps):
///  - pair step: for two stripes, the best of the candidate splits of their
///    2m columns (every split for m <= 4) replaces them if it keeps more;
///  - refine step (beyond the paper): a pruned column replaces one member of
///    a stripe when the stripe then keeps more (vector selection that sees
///    the N:M level, not only summed importance).
/// Small blocks try every stripe pair until none improves; large ones try
/// random partners. All work is capped by `evalBudget` stripe evaluations
/// (a count, not a time: the result does not depend on the machine).
std::vector<int32_t> runIVP(const Problem &pb, const int32_t *blockRows,
                            const std::vector<int32_t> &vidx,
                            const PruneOptions &opts, int64_t blockId,
                            int64_t evalBudget, bool refine) {
  const int64_t K = pb.kept, V = pb.V, n = pb.n, m = pb.m, S = K / m;
  const int64_t C = pb.cols;
  // Column-major copy of the block: column c's V rows are contiguous.
  std::vector<float> data(C * V);
  for (int64_t v = 0; v < V; ++v) {
    const float *r = pb.row(blockRows[v]);
    for (int64_t c = 0; c < C; ++c)
      data[c * V + v] = r[c];
  }
  auto col = [&](int32_t c) { return &data[int64_t(c) * V]; };
  std::vector<int32_t> order(vidx), outside;
  {
    std::vector<char> in(C, 0);
    for (int32_t c : vidx)
      in[c] = 1;
    for (int64_t c = 0; c < C; ++c)
      if (!in[c])
        outside.push_back(int32_t(c));
  }
  if (outside.empty())
    refine = false;
  if (S < 2 && !refine)
    return order;
  std::vector<float> val(S);
  const float *ptr[64];
  for (int64_t s = 0; s < S; ++s) {
    for (int64_t j = 0; j < m; ++j)
      ptr[j] = col(order[s * m + j]);
    val[s] = stripeKept(ptr, V, n, m);
  }
  const std::vector<uint32_t> splits = pairSplits(m);
  int64_t evals = 0;
  auto better = [](float cand, float cur) {
    return cand > cur + 1e-6f * std::abs(cur) + 1e-30f;
  };

  // One pair step; true when it improved.
  auto pairStep = [&](int64_t s, int64_t t) {
    int32_t u[64];
    for (int64_t j = 0; j < m; ++j) {
      u[j] = order[s * m + j];
      u[m + j] = order[t * m + j];
    }
    float cur = val[s] + val[t];
    float best = cur;
    uint32_t bestMask = 0;
    float bestA = 0, bestB = 0;
    const float *pa[32], *pbp[32];
    for (uint32_t mask : splits) {
      int64_t ia = 0, ib = 0;
      for (int64_t k = 0; k < 2 * m; ++k)
        (mask >> k & 1 ? pa[ia++] : pbp[ib++]) = col(u[k]);
      float a = stripeKept(pa, V, n, m), b = stripeKept(pbp, V, n, m);
      evals += 2;
      if (a + b > best) {
        best = a + b;
        bestMask = mask;
        bestA = a;
        bestB = b;
      }
    }
    if (!bestMask || !better(best, cur))
      return false;
    int64_t ia = 0, ib = 0;
    for (int64_t k = 0; k < 2 * m; ++k) {
      if (bestMask >> k & 1)
        order[s * m + ia++] = u[k];
      else
        order[t * m + ib++] = u[k];
    }
    val[s] = bestA;
    val[t] = bestB;
    return true;
  };

  // One refine step on stripe s over outside candidates [0, count) of
  // `cand`; true when it improved.
  auto refineStep = [&](int64_t s, const int32_t *cand, int64_t count) {
    float best = val[s];
    int64_t bestJ = -1, bestO = -1;
    for (int64_t j = 0; j < m; ++j)
      ptr[j] = col(order[s * m + j]);
    for (int64_t j = 0; j < m; ++j) {
      const float *saved = ptr[j];
      for (int64_t o = 0; o < count; ++o) {
        ptr[j] = col(outside[cand[o]]);
        float x = stripeKept(ptr, V, n, m);
        ++evals;
        if (x > best) {
          best = x;
          bestJ = j;
          bestO = cand[o];
        }
      }
      ptr[j] = saved;
    }
    if (bestJ < 0 || !better(best, val[s]))
      return false;
    std::swap(order[s * m + bestJ], outside[bestO]);
    val[s] = best;
    return true;
  };

  const int64_t numPairs = S * (S - 1) / 2;
  const int64_t pairCost = 2 * int64_t(splits.size());
  // Every pair in a sweep when a sweep costs at most a quarter of the budget.
  const bool allPairs = numPairs * pairCost <= evalBudget / 4;
  // Refine candidates per stripe: a refine sweep costs K * refineCand.
  const int64_t O = int64_t(outside.size());
  const int64_t refineCand = std::min<int64_t>(
      O, std::max<int64_t>(1, evalBudget / 16 / (K + 1)));
  int64_t sweeps = opts.ivpSweeps;
  if (sweeps == 0)
    sweeps = allPairs ? 100 : 8;
  std::vector<char> changed(S, 1), next(S, 0);
  std::vector<int32_t> cand(O);
  for (int64_t sweep = 0; sweep < sweeps; ++sweep) {
    bool improved = false;
    std::fill(next.begin(), next.end(), 0);
    std::mt19937_64 rng(
        taskSeed(opts.seed, 2, uint64_t(blockId) << 20 | uint64_t(sweep)));
    if (refine) {
      std::iota(cand.begin(), cand.end(), 0);
      for (int64_t s = 0; s < S; ++s) {
        if (refineCand < O) // a fresh random subset per stripe
          for (int64_t i = 0; i < refineCand; ++i)
            std::swap(cand[i], cand[i + int64_t(rng() % uint64_t(O - i))]);
        if (refineStep(s, cand.data(), refineCand)) {
          next[s] = 1;
          improved = true;
        }
      }
    }
    if (S >= 2 && allPairs) {
      for (int64_t s = 0; s < S; ++s)
        for (int64_t t = s + 1; t < S; ++t) {
          if (!(changed[s] || changed[t] || next[s] || next[t]))
            continue;
          if (pairStep(s, t)) {
            next[s] = next[t] = 1;
            improved = true;
          }
        }
    } else if (S >= 2) {
      int64_t partners =
          std::max<int64_t>(1, evalBudget / 16 / (S * pairCost));
      for (int64_t s = 0; s < S; ++s)
        for (int64_t r = 0; r < partners; ++r) {
          int64_t t = int64_t(rng() % uint64_t(S - 1));
          if (t >= s)
            ++t;
          improved |= pairStep(s, t);
        }
    }
    if (!improved || evals > evalBudget)
      break;
    std::swap(changed, next);
  }
  if (S >= 3 && allPairs) {
    // Iterated local search (beyond the paper): kick = shuffle the columns of
    // `q` random stripes, re-converge with pair steps on the touched stripes,
    // keep the result only if the block keeps more. Escapes the pair-step
    // local optimum; the number of kicks follows a work budget.
    auto total = [&] {
      double t = 0;
      for (float x : val)
        t += x;
      return t;
    };
    int64_t kicks = opts.ivpKicks;
    if (kicks < 0)
      kicks = 0;
    else if (kicks == 0)
      kicks = std::min<int64_t>(2000, 10 * S);
    const int64_t q = std::min<int64_t>(3, S);
    const int64_t kickPartners = std::min<int64_t>(8, S - 1);
    std::mt19937_64 krng(taskSeed(opts.seed, 3, uint64_t(blockId)));
    double cur = total();
    std::vector<int32_t> savedOrder;
    std::vector<float> savedVal;
    int32_t pool[3 * 64];
    for (int64_t kick = 0; kick < kicks && evals < evalBudget; ++kick) {
      savedOrder = order;
      savedVal = val;
      std::fill(changed.begin(), changed.end(), 0);
      int64_t picked[3];
      for (int64_t i = 0; i < q; ++i) {
        int64_t x;
        do
          x = int64_t(krng() % uint64_t(S));
        while (std::find(picked, picked + i, x) != picked + i);
        picked[i] = x;
        changed[x] = 1;
        for (int64_t j = 0; j < m; ++j)
          pool[i * m + j] = order[x * m + j];
      }
      for (int64_t i = q * m - 1; i > 0; --i)
        std::swap(pool[i], pool[int64_t(krng() % uint64_t(i + 1))]);
      for (int64_t i = 0; i < q; ++i) {
        for (int64_t j = 0; j < m; ++j) {
          order[picked[i] * m + j] = pool[i * m + j];
          ptr[j] = col(pool[i * m + j]);
        }
        val[picked[i]] = stripeKept(ptr, V, n, m);
      }
      // Re-converge locally: the kicked stripes against each other and
      // against a few random partners, while that improves.
      for (int64_t round = 0; round < 4; ++round) {
        bool improved = false;
        for (int64_t i = 0; i < q; ++i)
          for (int64_t j = i + 1; j < q; ++j)
            improved |= pairStep(picked[i], picked[j]);
        for (int64_t i = 0; i < q; ++i)
          for (int64_t r = 0; r < kickPartners; ++r) {
            int64_t t = int64_t(krng() % uint64_t(S - 1));
            if (t >= picked[i])
              ++t;
            improved |= pairStep(picked[i], t);
          }
        if (!improved)
          break;
      }
      double after = total();
      if (after > cur + 1e-7 * std::abs(cur)) {
        cur = after;
      } else {
        order.swap(savedOrder);
        val.swap(savedVal);
      }
    }
  }
  // Simulated annealing (beyond the paper): random moves priced exactly; a
  // worse state is accepted with probability exp(delta / T), T cools
  // geometrically over a fixed move count. Moves: swap two columns of two
  // stripes (2 stripe evaluations) and, with `refine`, swap a kept column
  // with a pruned one (1 evaluation: joint vector selection and IVP). The
  // best state seen wins. Counts only, per-block RNG: deterministic.
  int64_t moves = opts.ivpAnneal;
  if (moves == 0)
    moves = kAnnealMovesPerColumn * K;
  if (moves > 0)
    moves = std::min<int64_t>(
        moves, std::max<int64_t>(0, evalBudget - evals) / 2);
  if (moves > 0 && (S >= 2 || refine)) {
    std::mt19937_64 arng(taskSeed(opts.seed, 6, uint64_t(blockId)));
    const float *pa[32], *pbp[32];
    int kind = 0;
    int64_t ms = 0, mt = 0, mi = 0, mj = 0;
    float newA = 0, newB = 0;
    // Draws one move, prices it, and returns the change of the block's kept
    // importance; `apply` then performs it.
    auto propose = [&]() -> double {
      if (refine && (S < 2 || (arng() & 3) == 0)) {
        kind = 1;
        ms = int64_t(arng() % uint64_t(S));
        mi = int64_t(arng() % uint64_t(m));
        mj = int64_t(arng() % uint64_t(O));
        for (int64_t j = 0; j < m; ++j)
          pa[j] = col(order[ms * m + j]);
        pa[mi] = col(outside[mj]);
        newA = stripeKept(pa, V, n, m);
        evals += 1;
        return double(newA) - double(val[ms]);
      }
      kind = 0;
      ms = int64_t(arng() % uint64_t(S));
      mt = int64_t(arng() % uint64_t(S - 1));
      if (mt >= ms)
        ++mt;
      mi = int64_t(arng() % uint64_t(m));
      mj = int64_t(arng() % uint64_t(m));
      for (int64_t j = 0; j < m; ++j) {
        pa[j] = col(order[ms * m + j]);
        pbp[j] = col(order[mt * m + j]);
      }
      std::swap(pa[mi], pbp[mj]);
      newA = stripeKept(pa, V, n, m);
      newB = stripeKept(pbp, V, n, m);
      evals += 2;
      return double(newA) + double(newB) - double(val[ms]) - double(val[mt]);
    };
    auto apply = [&] {
      if (kind == 1) {
        std::swap(order[ms * m + mi], outside[mj]);
        val[ms] = newA;
      } else {
        std::swap(order[ms * m + mi], order[mt * m + mj]);
        val[ms] = newA;
        val[mt] = newB;
      }
    };
    // Starting temperature: a fraction of the mean worsening move.
    double worse = 0;
    int64_t nWorse = 0;
    for (int64_t k = 0; k < 64; ++k) {
      double d = propose();
      if (d < 0) {
        worse -= d;
        ++nWorse;
      }
    }
    if (nWorse > 0) {
      double t0 = kAnnealStartFactor * worse / double(nWorse);
      double cool = std::pow(kAnnealEndRatio, 1.0 / double(moves));
      double temp = t0, tot = 0;
      for (float x : val)
        tot += x;
      double best = tot;
      bool atBest = true;
      std::vector<int32_t> bestOrder, bestOutside;
      for (int64_t it = 0; it < moves; ++it, temp *= cool) {
        double d = propose();
        if (d < 0 && !(d > -30 * temp &&
                       double(arng() >> 11) * 0x1.0p-53 < std::exp(d / temp)))
          continue;
        if (d < 0 && atBest) {
          bestOrder = order;
          bestOutside = outside;
          atBest = false;
        }
        apply();
        tot += d;
        if (tot > best) {
          best = tot;
          atBest = true;
        }
      }
      if (!atBest) {
        order.swap(bestOrder);
        outside.swap(bestOutside);
      }
      // Exact values again (tot accumulated rounded deltas), then polish.
      for (int64_t s = 0; s < S; ++s) {
        for (int64_t j = 0; j < m; ++j)
          ptr[j] = col(order[s * m + j]);
        val[s] = stripeKept(ptr, V, n, m);
      }
      if (S >= 2 && allPairs) {
        std::fill(changed.begin(), changed.end(), 1);
        for (int64_t sweep = 0; sweep < 100; ++sweep) {
          bool improved = false;
          std::fill(next.begin(), next.end(), 0);
          for (int64_t s = 0; s < S; ++s)
            for (int64_t t = s + 1; t < S; ++t)
              if ((changed[s] || changed[t]) && pairStep(s, t)) {
                next[s] = next[t] = 1;
                improved = true;
              }
          if (!improved)
            break;
          std::swap(changed, next);
        }
      }
    }
  }
  return order;
}

} // namespace

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

llvm::Expected<PruneResult> hinm::prune(const float *weights, int64_t rows,
                                        int64_t cols, const PruneOptions &opts,
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
  // the matrix, at least 1e5 stripe evaluations per block.
  int64_t evalBudget =
      std::max<int64_t>(100000, int64_t(1.5e9 / double(pb.V) / double(pb.B)));
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
      std::copy(vidx.begin(), vidx.end(), &out.vectorIndex[b * pb.kept]);
      double s = 0;
      for (int64_t v = 0; v < pb.V; ++v)
        s += selectNM(pb.row(blockRows[v]), vidx.data(), pb.kept, pb.n, pb.m,
                      &out.nmMask[(b * pb.V + v) * pb.kept]);
      blockKept[b] = s;
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
  for (int64_t i = 0; i < rows * cols; ++i)
    res.totalImportance += pb.imp[i];
  return res;
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
