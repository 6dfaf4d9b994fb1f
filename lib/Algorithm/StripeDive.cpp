//===- StripeDive.cpp - An LP dive for a block's 2:4 stripes --------------===//
//
// Part of the hinm project. MLIR-free. See StripeDive.h.
//
// One CLP model holds the whole dive. Its rows are the block's columns, each
// covered exactly once. Its columns are, first, one artificial singleton per
// row at a large penalty, so that the LP stays feasible while the stripe
// pool cannot yet cover a row (their prices then send the pricing to the
// stripes it lacks), then the stripes found so far. Fixing a stripe sets its
// lower bound to 1 and the upper bound of every stripe it overlaps to 0; the
// LP of the columns left is the same model, warm-started. The pricing of a
// residual LP enumerates the free columns only.
//
//===----------------------------------------------------------------------===//

#include "hinm/Algorithm/StripeDive.h"
#include "hinm/Algorithm/StripeBound.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>

#ifdef HINM_HAVE_CLP
#include "ClpSimplex.hpp"
#include "CoinError.hpp"
#endif

using namespace hinm;

namespace {

using Stripe = std::array<int32_t, 4>;

llvm::Error diveError(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "stripe dive: " + msg);
}

llvm::Error checkArguments(const std::vector<float> &x, int64_t rows,
                           int64_t cols,
                           const std::vector<std::array<int32_t, 4>> &start) {
  if (rows < 1 || cols < 4 || cols % 4 != 0 || cols > 65535)
    return diveError("rows must be >= 1 and cols a multiple of 4 in [4, "
                     "65535], got " +
                     llvm::Twine(rows) + " x " + llvm::Twine(cols));
  if (int64_t(x.size()) != rows * cols)
    return diveError("x holds " + llvm::Twine(x.size()) +
                     " values, not rows * cols = " + llvm::Twine(rows * cols));
  for (float v : x)
    if (!std::isfinite(v) || v < 0)
      return diveError("x must be finite and non-negative");
  if (int64_t(start.size()) * 4 != cols)
    return diveError("the start partition has " + llvm::Twine(start.size()) +
                     " stripes, not cols / 4 = " + llvm::Twine(cols / 4));
  std::vector<char> seen(cols, 0);
  for (const Stripe &q : start)
    for (int32_t c : q) {
      if (c < 0 || c >= cols || seen[c])
        return diveError("the start stripes are not a partition of the "
                         "columns (column " +
                         llvm::Twine(c) + ")");
      seen[c] = 1;
    }
  return llvm::Error::success();
}

} // namespace

#ifndef HINM_HAVE_CLP

bool hinm::stripeDiveAvailable() { return false; }

llvm::Expected<std::vector<std::array<int32_t, 4>>>
hinm::diveStripes(const std::vector<float> &x, int64_t rows, int64_t cols,
                  const std::vector<std::array<int32_t, 4>> &start, double,
                  unsigned) {
  if (llvm::Error err = checkArguments(x, rows, cols, start))
    return std::move(err);
  return diveError("this build has no LP solver (configure with COIN-OR CLP "
                   "installed: coinor-libclp-dev)");
}

#else

bool hinm::stripeDiveAvailable() { return true; }

namespace {

/// What 2:4 keeps of the rows of x on the columns of q, summed in double.
double stripeValue(const std::vector<float> &x, int64_t rows, int64_t cols,
                   const Stripe &q) {
  double sum = 0;
  for (int64_t r = 0; r < rows; ++r) {
    const float *row = x.data() + r * cols;
    float a = row[q[0]], b = row[q[1]], c = row[q[2]], d = row[q[3]];
    float hi1 = std::max(a, b), lo1 = std::min(a, b);
    float hi2 = std::max(c, d), lo2 = std::min(c, d);
    sum += double(std::max(hi1, hi2)) +
           double(std::max(std::min(hi1, hi2), std::max(lo1, lo2)));
  }
  return sum;
}

/// Rounding slack of LP values: a stripe is "whole" above 1 - this.
constexpr double kWhole = 1e-6;
/// A priced stripe joins the pool when its reduced cost is above this.
constexpr double kImproving = 1e-7;
/// Stripes the pricing returns per round.
constexpr int64_t kPricedPerRound = 200;

/// The dive's state: the CLP model, the stripe pool and what is fixed.
class Dive {
public:
  Dive(const std::vector<float> &x, int64_t rows, int64_t cols, double maxWork,
       unsigned threads)
      : x(x), rows(rows), cols(cols), maxWork(maxWork), threads(threads),
        covered(cols, 0) {
    model.setLogLevel(0);
    model.setOptimizationDirection(-1); // maximize
    model.resize(int(cols), 0);
    for (int64_t c = 0; c < cols; ++c)
      model.setRowBounds(int(c), 1.0, 1.0);
    // Above any stripe's value: each row keeps at most twice its largest.
    double big = 1;
    for (int64_t r = 0; r < rows; ++r)
      big += 2.0 * *std::max_element(x.begin() + r * cols,
                                     x.begin() + (r + 1) * cols);
    std::vector<double> lo(cols, 0.0), up(cols, 1.0), obj(cols, -big),
        one(cols, 1.0);
    std::vector<int> starts(cols + 1), idx(cols);
    for (int64_t c = 0; c <= cols; ++c)
      starts[c] = int(c);
    for (int64_t c = 0; c < cols; ++c)
      idx[c] = int(c);
    model.addColumns(int(cols), lo.data(), up.data(), obj.data(), starts.data(),
                     idx.data(), one.data());
  }

  /// Adds q to the pool (and the model) unless it is there already.
  void addStripe(const Stripe &q) {
    if (!index.emplace(q, int(pool.size())).second)
      return;
    pool.push_back(q);
    double lo = 0, obj = stripeValue(x, rows, cols, q);
    // A stripe overlapping a fixed one cannot be taken any more.
    double up = std::any_of(q.begin(), q.end(),
                            [&](int32_t c) { return covered[c] != 0; })
                    ? 0.0
                    : 1.0;
    int starts[2] = {0, 4};
    int idx[4] = {q[0], q[1], q[2], q[3]};
    double one[4] = {1, 1, 1, 1};
    model.addColumns(1, &lo, &up, &obj, starts, idx, one);
  }

  /// Column generation on the free columns until no stripe improves the
  /// LP (or the work cap stops the pricing).
  llvm::Error solveResidual() {
    std::vector<int32_t> free;
    for (int64_t c = 0; c < cols; ++c)
      if (!covered[c])
        free.push_back(int32_t(c));
    int64_t nf = int64_t(free.size());
    std::vector<float> xf(rows * nf);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t j = 0; j < nf; ++j)
        xf[r * nf + j] = x[r * cols + free[j]];
    double roundWork = stripePricingWork(nf, rows);
    while (true) {
      model.primal();
      if (!model.isProvenOptimal())
        return diveError("the LP solver did not reach an optimum (status " +
                         llvm::Twine(model.status()) + ")");
      if (nf < 4 || work + roundWork > maxWork)
        return llvm::Error::success();
      work += roundWork;
      // CLP's row duals of this maximization are the prices y with
      // f(q) - sum y[c] <= 0 for every stripe at the optimum (the other sign
      // sends the pricing to the worst stripes; the unit tests catch it).
      const double *dual = model.dualRowSolution();
      std::vector<double> y(nf);
      for (int64_t j = 0; j < nf; ++j)
        y[j] = dual[free[j]];
      auto priced = priceStripes(xf, rows, nf, y, kPricedPerRound, threads);
      if (!priced)
        return priced.takeError();
      size_t before = pool.size();
      for (const PricedStripe &p : priced->best) {
        if (p.reducedCost <= kImproving + priced->errorBound)
          break;
        Stripe q;
        for (int k = 0; k < 4; ++k)
          q[k] = free[p.columns[k]];
        addStripe(q);
      }
      if (pool.size() == before)
        return llvm::Error::success();
    }
  }

  /// Fixes the stripes the LP takes whole, or its largest fractional one.
  /// False when the LP takes no stripe at all (artificials cover the rest).
  bool fixStripes() {
    const double *sol = model.primalColumnSolution();
    std::vector<int> take;
    int best = -1;
    for (int i = 0; i < int(pool.size()); ++i) {
      double v = sol[cols + i];
      if (fixed.count(i) || !free(pool[i]))
        continue;
      if (v > 1 - kWhole)
        take.push_back(i);
      if (v > kWhole && (best < 0 || v > sol[cols + best]))
        best = i;
    }
    if (take.empty() && best >= 0)
      take.push_back(best);
    for (int i : take) {
      if (!free(pool[i]))
        continue; // overlaps one fixed in this same step
      fixed.insert(i);
      for (int32_t c : pool[i])
        covered[c] = 1;
      model.setColumnLower(int(cols) + i, 1.0);
    }
    for (int i = 0; i < int(pool.size()); ++i)
      if (!fixed.count(i) && !free(pool[i]))
        model.setColumnUpper(int(cols) + i, 0.0);
    return !take.empty();
  }

  bool done() const { return int64_t(fixed.size()) * 4 == cols; }

  std::vector<Stripe> result() const {
    std::vector<Stripe> out;
    for (int i : fixed)
      out.push_back(pool[i]);
    std::sort(out.begin(), out.end());
    return out;
  }

private:
  bool free(const Stripe &q) const {
    return std::none_of(q.begin(), q.end(),
                        [&](int32_t c) { return covered[c] != 0; });
  }

  const std::vector<float> &x;
  int64_t rows, cols;
  double maxWork, work = 0;
  unsigned threads;
  ClpSimplex model;
  std::vector<Stripe> pool;
  std::map<Stripe, int> index;
  std::vector<char> covered;
  std::set<int> fixed;
};

} // namespace

llvm::Expected<std::vector<std::array<int32_t, 4>>>
hinm::diveStripes(const std::vector<float> &x, int64_t rows, int64_t cols,
                  const std::vector<std::array<int32_t, 4>> &start,
                  double maxPricingWork, unsigned threads) {
  if (llvm::Error err = checkArguments(x, rows, cols, start))
    return std::move(err);
  // CLP reports its own failures by throwing CoinError: they become errors
  // here, never escape into the (exception-free) rest of the library.
  try {
    Dive dive(x, rows, cols, maxPricingWork, threads);
    for (Stripe q : start) {
      std::sort(q.begin(), q.end());
      dive.addStripe(q);
    }
    while (!dive.done()) {
      if (llvm::Error err = dive.solveResidual())
        return std::move(err);
      if (!dive.fixStripes())
        return diveError("the pricing work cap (" +
                         std::to_string(maxPricingWork) +
                         " subset-row visits) was spent before the stripes "
                         "found could cover every column");
    }
    return dive.result();
  } catch (const CoinError &e) {
    return diveError("the LP solver failed: " + e.message());
  }
}

#endif // HINM_HAVE_CLP
