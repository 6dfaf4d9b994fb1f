//===- StripeBound.cpp - Pricing for an LP bound on 2:4 stripes -----------===//
//
// Part of the hinm project. MLIR-free. See StripeBound.h.
//
// The enumeration fixes three columns a < b < c, takes per row the largest
// of the three (m1) and the second largest (m2), and then for every d > c
// the row keeps m1 + max(m2, x[d]): one max and one add per row for the
// innermost column, so all C(cols, 4) subsets cost about 2 * rows flops each.
// Rows are padded to lanes of 8 zeros (a zero never changes the two largest
// of non-negative values) and summed lane by lane in a fixed order, so the
// AVX2 clone and the plain build give the same sums.
//
//===----------------------------------------------------------------------===//
#include "hinm/Algorithm/StripeBound.h"

#include "PruneDetail.h"
#include "SimdClones.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <queue>
#include <string>

using namespace hinm;

namespace {

constexpr int64_t kLanes = 8;

/// Sums 8 lanes in a fixed order.
float laneSum(const float *lane) {
  return ((lane[0] + lane[1]) + (lane[2] + lane[3])) +
         ((lane[4] + lane[5]) + (lane[6] + lane[7]));
}

/// For columns a, b, c (padded rows): writes each row's second largest of
/// the three to m2, its sum to `secondSum`, and returns the summed largest.
HINM_SIMD_CLONES float tripleTops(const float *a, const float *b,
                                  const float *c, float *m2, int64_t rows,
                                  float &secondSum) {
  float lane[kLanes] = {0, 0, 0, 0, 0, 0, 0, 0};
  float lane2[kLanes] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (int64_t r0 = 0; r0 < rows; r0 += kLanes)
    for (int64_t l = 0; l < kLanes; ++l) {
      int64_t r = r0 + l;
      float hi = std::max(a[r], b[r]), lo = std::min(a[r], b[r]);
      lane[l] += std::max(hi, c[r]);
      m2[r] = std::max(lo, std::min(hi, c[r]));
      lane2[l] += m2[r];
    }
  secondSum = laneSum(lane2);
  return laneSum(lane);
}

/// For each column d in [dBegin, dEnd): sums[d] = sum over rows of
/// max(m2, x[d]), the second kept value of every row once d joins.
HINM_SIMD_CLONES void fourthSums(const float *m2, const float *x,
                                 int64_t dBegin, int64_t dEnd, int64_t rows,
                                 float *sums) {
  for (int64_t d = dBegin; d < dEnd; ++d) {
    const float *col = x + d * rows;
    float lane[kLanes] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (int64_t r0 = 0; r0 < rows; r0 += kLanes)
      for (int64_t l = 0; l < kLanes; ++l)
        lane[l] += std::max(m2[r0 + l], col[r0 + l]);
    sums[d] = laneSum(lane);
  }
}

constexpr int kLevels = 4;

/// For each level t[j]: gaps[j] = sum over rows of max(0, t[j] - m2), how
/// far the rows' second kept values lie below the level.
HINM_SIMD_CLONES void levelGaps(const float *m2, int64_t rows,
                                const float *levels, float *gaps) {
  for (int j = 0; j < kLevels; ++j) {
    float lane[kLanes] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (int64_t r0 = 0; r0 < rows; r0 += kLanes)
      for (int64_t l = 0; l < kLanes; ++l)
        lane[l] += std::max(0.0f, levels[j] - m2[r0 + l]);
    gaps[j] = laneSum(lane);
  }
}

/// Subsets packed 16 bits per column: ascending keys are lexicographic.
uint64_t packKey(int64_t a, int64_t b, int64_t c, int64_t d) {
  return (uint64_t(a) << 48) | (uint64_t(b) << 32) | (uint64_t(c) << 16) |
         uint64_t(d);
}

struct Entry {
  double rc;
  uint64_t key;
};

/// True when `l` ranks before `r`: larger reduced cost, then smaller key.
bool ranksBefore(const Entry &l, const Entry &r) {
  return l.rc > r.rc || (l.rc == r.rc && l.key < r.key);
}

/// The `keep` best entries seen, worst on top.
class BestSet {
public:
  explicit BestSet(int64_t keep) : keep(keep) {}
  /// The reduced cost an entry must beat to enter (ties decided by key).
  bool wouldEnter(const Entry &e) const {
    return int64_t(heap.size()) < keep || ranksBefore(e, heap.top());
  }
  /// No entry of a lower reduced cost can enter (an equal one may, by key).
  double threshold() const {
    return int64_t(heap.size()) < keep ? -HUGE_VAL : heap.top().rc;
  }
  void offer(const Entry &e) {
    if (!wouldEnter(e))
      return;
    heap.push(e);
    if (int64_t(heap.size()) > keep)
      heap.pop();
  }
  std::vector<Entry> take() {
    std::vector<Entry> out;
    while (!heap.empty()) {
      out.push_back(heap.top());
      heap.pop();
    }
    return out;
  }

private:
  int64_t keep;
  std::priority_queue<Entry, std::vector<Entry>, decltype(&ranksBefore)> heap{
      &ranksBefore};
};

llvm::Error argError(const std::string &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "priceStripes: " + message);
}

} // namespace

llvm::Expected<StripePricing>
hinm::priceStripes(const std::vector<float> &x, int64_t rows, int64_t cols,
                   const std::vector<double> &duals, int64_t keep,
                   unsigned threads) {
  if (rows < 1)
    return argError("rows must be at least 1, got " + std::to_string(rows));
  if (cols < 4 || cols > 65535)
    return argError("cols must be in [4, 65535], got " + std::to_string(cols));
  if (keep < 1)
    return argError("keep must be at least 1, got " + std::to_string(keep));
  if (int64_t(x.size()) != rows * cols)
    return argError(
        "x holds " + std::to_string(x.size()) +
        " values, expected rows * cols = " + std::to_string(rows * cols));
  if (int64_t(duals.size()) != cols)
    return argError("duals hold " + std::to_string(duals.size()) +
                    " prices, expected one per column (" +
                    std::to_string(cols) + ")");
  float xmax = 0;
  for (int64_t i = 0; i < rows * cols; ++i) {
    if (!std::isfinite(x[i]) || x[i] < 0)
      return argError("x[" + std::to_string(i / cols) + "][" +
                      std::to_string(i % cols) + "] is " +
                      std::to_string(x[i]) +
                      "; values must be finite and non-negative");
    xmax = std::max(xmax, x[i]);
  }
  double dualMax = 0;
  for (int64_t c = 0; c < cols; ++c) {
    if (!std::isfinite(duals[c]))
      return argError("duals[" + std::to_string(c) + "] is not finite");
    dualMax = std::max(dualMax, std::fabs(duals[c]));
  }

  // Column-major, rows padded with zeros to whole lanes.
  int64_t padded = (rows + kLanes - 1) / kLanes * kLanes;
  std::vector<float> xt(padded * cols, 0.0f);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      xt[c * padded + r] = x[r * cols + c];

  // Two float32 lane sums of at most rows * xmax each (the top and the
  // second kept values), each off by at most (rows/8 - 1 + 3) units of
  // 2^-24 of its size; plus the double arithmetic with the duals.
  double lanes = double(padded / kLanes) + 3;
  double errorBound =
      2 * lanes * std::ldexp(1.0, -24) * double(rows) * xmax +
      16 * std::ldexp(1.0, -52) * (2 * double(rows) * xmax + 4 * dualMax);

  // Skipping. With three columns fixed, a fourth column d lifts row r's
  // second kept value from m2[r] to max(m2[r], x[d][r]), a gain of at most
  //   max(0, x[d][r] - t) + max(0, t - m2[r])   for any level t >= 0.
  // Summed over rows, with G_t(d) = sum_r max(0, x[d][r] - t) and
  // H_t = sum_r max(0, t - m2[r]), no subset {a, b, c, d} beats
  //   top + sum(m2) + H_t + max over d > c of (G_t(d) - duals[d])
  // minus the three duals. t = 0 gives the column sums; the levels above
  // it (quantiles of the values) are tighter for triples whose second
  // values are large. Where the bound is below the worst of the best `keep`
  // found so far (by any task: a valid floor for the final cut), the whole
  // d loop is skipped. Only subsets that cannot be in the result are
  // skipped, so the result stays the same on any thread count.
  std::array<float, kLevels> levels{};
  {
    std::vector<float> sorted(x);
    std::sort(sorted.begin(), sorted.end());
    const double quantile[kLevels] = {0.0, 0.5, 0.75, 0.9};
    for (int j = 1; j < kLevels; ++j)
      levels[j] = sorted[size_t(quantile[j] * double(sorted.size() - 1))];
  }
  // suffix[j * (cols + 1) + d]: max over d' >= d of G_t(d') - duals[d'].
  std::vector<double> suffix(kLevels * (cols + 1), -HUGE_VAL);
  for (int j = 0; j < kLevels; ++j)
    for (int64_t d = cols - 1; d >= 0; --d) {
      float lane[kLanes] = {0, 0, 0, 0, 0, 0, 0, 0};
      for (int64_t r0 = 0; r0 < padded; r0 += kLanes)
        for (int64_t l = 0; l < kLanes; ++l)
          lane[l] += std::max(0.0f, xt[d * padded + r0 + l] - levels[j]);
      double *row = &suffix[j * (cols + 1)];
      row[d] = std::max(row[d + 1], double(laneSum(lane)) - duals[d]);
    }
  std::atomic<double> floor(-HUGE_VAL);
  auto raiseFloor = [&](double t) {
    double cur = floor.load(std::memory_order_relaxed);
    while (t > cur && !floor.compare_exchange_weak(cur, t))
      ;
  };

  // One task per first column a; each keeps its own best set, merged below
  // in a fixed order, so the thread count changes nothing.
  int64_t firsts = cols - 3;
  std::vector<std::vector<Entry>> perFirst(firsts);
  detail::Runner runner(threads);
  runner.forEach(firsts, [&](int64_t a) {
    BestSet bestSet(keep);
    std::vector<float> m2(padded), sums(cols);
    const float *xa = &xt[a * padded];
    for (int64_t b = a + 1; b < cols; ++b)
      for (int64_t c = b + 1; c + 1 < cols; ++c) {
        float secondSum;
        float top = tripleTops(xa, &xt[b * padded], &xt[c * padded], m2.data(),
                               padded, secondSum);
        double base = double(top) - duals[a] - duals[b] - duals[c];
        double threshold = std::max(bestSet.threshold(),
                                    floor.load(std::memory_order_relaxed));
        // Nothing can be skipped before some best set is full.
        if (threshold > -HUGE_VAL) {
          float gaps[kLevels];
          levelGaps(m2.data(), padded, levels.data(), gaps);
          double lift = HUGE_VAL;
          for (int j = 0; j < kLevels; ++j)
            lift = std::min(lift,
                            double(gaps[j]) + suffix[j * (cols + 1) + c + 1]);
          if (base + double(secondSum) + lift + 3 * errorBound < threshold)
            continue;
        }
        fourthSums(m2.data(), xt.data(), c + 1, cols, padded, sums.data());
        // Most subsets fall below the worst kept one: one compare each.
        for (int64_t d = c + 1; d < cols; ++d) {
          double rc = base + double(sums[d]) - duals[d];
          if (rc >= threshold) {
            bestSet.offer({rc, packKey(a, b, c, d)});
            threshold = std::max(threshold, bestSet.threshold());
          }
        }
        raiseFloor(bestSet.threshold());
      }
    perFirst[a] = bestSet.take();
  });
  BestSet merged(keep);
  for (const std::vector<Entry> &entries : perFirst)
    for (const Entry &e : entries)
      merged.offer(e);
  std::vector<Entry> entries = merged.take();
  std::reverse(entries.begin(), entries.end());

  StripePricing result;
  for (const Entry &e : entries) {
    PricedStripe s;
    s.reducedCost = e.rc;
    for (int i = 0; i < 4; ++i)
      s.columns[i] = int32_t((e.key >> (48 - 16 * i)) & 0xffff);
    result.best.push_back(s);
  }
  result.errorBound = errorBound;
  return result;
}
