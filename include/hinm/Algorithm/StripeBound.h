//===- StripeBound.h - Pricing for an LP bound on 2:4 stripes ---*- C++ -*-===//
//
// Part of the hinm project. MLIR-free.
//
// How far is a permutation search from the best possible? For one block of
// rows and a set of columns, HiNM with 2:4 groups the columns into stripes of
// four; each row keeps its two largest values in every stripe. Choosing the
// stripes is a set-packing problem over all 4-column subsets q, each worth
//   f(q) = sum over rows r of the two largest of x[r][q],
// and its linear relaxation bounds the best choice from above. Column
// generation solves that relaxation: a master LP over the subsets found so
// far gives dual prices y (one per column), and the pricing step below finds
// the subsets of largest reduced cost f(q) - sum_{c in q} y[c] among all of
// them. Whatever the prices, for Q disjoint stripes
//   sum_q f(q) <= sum_c y[c] + Q * max_q (f(q) - sum_{c in q} y[c])
// (when every column is used at most once and y >= 0, or every column
// exactly once and y is free), so every pricing call yields a valid bound;
// scripts/stripe-bound.py drives the master LP (scipy) and reports it.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_ALGORITHM_STRIPEBOUND_H
#define HINM_ALGORITHM_STRIPEBOUND_H

#include "llvm/Support/Error.h"

#include <array>
#include <cstdint>
#include <vector>

namespace hinm {

/// A 4-column subset (ascending column indices) and its reduced cost.
struct PricedStripe {
  double reducedCost = 0;
  std::array<int32_t, 4> columns{};
};

/// The result of one pricing step.
struct StripePricing {
  /// The `keep` subsets of largest reduced cost, largest first; ties are
  /// ordered by their column indices (lexicographically smallest first), so
  /// the result does not depend on the thread count.
  std::vector<PricedStripe> best;
  /// An upper bound on the rounding error of any reduced cost above: the
  /// sums over rows run in float32 lanes. A bound built from `best` should
  /// add it once per stripe.
  double errorBound = 0;
};

/// Prices every 4-column subset of `x` (rows x cols, row-major, finite and
/// non-negative) against `duals` (one finite price per column): returns
/// the `keep` subsets of largest f(q) - sum_{c in q} duals[c] (see the file
/// comment). O(cols^4 / 24 * rows) work, split over `threads` (0 = all
/// hardware threads). Errors name the bad argument: cols < 4 or over 65535,
/// rows < 1, keep < 1, a negative, NaN or infinite value, a dual count
/// other than cols.
llvm::Expected<StripePricing> priceStripes(const std::vector<float> &x,
                                           int64_t rows, int64_t cols,
                                           const std::vector<double> &duals,
                                           int64_t keep, unsigned threads);

} // namespace hinm

#endif // HINM_ALGORITHM_STRIPEBOUND_H
