//===- StripeDive.h - An LP dive for a block's 2:4 stripes ------*- C++ -*-===//
//
// Part of the hinm project. MLIR-free.
//
// IVP's local searches (pair steps, kicks, annealing, ejection rounds) stop
// at partitions that the LP bound of StripeBound.h shows to be 0.3-0.7% of
// kept importance short of what the block allows. The partitions an LP dive
// finds lie in other basins: on a measured 128-column block it shares 3 of
// 32 stripes with the local optimum, in one exchange through 29 of them, so
// no move of a few stripes reaches it (docs/permutation.md).
//
// The dive: column generation solves the set-partitioning LP over all
// 4-column subsets (master LP by CLP, pricing by priceStripes), then fixes
// the stripes the LP takes whole (or, when none is whole, its largest
// fractional one), solves the LP of the columns left, again by column
// generation, and repeats until every column is in a fixed stripe.
//
//===----------------------------------------------------------------------===//

#ifndef HINM_ALGORITHM_STRIPEDIVE_H
#define HINM_ALGORITHM_STRIPEDIVE_H

#include "llvm/Support/Error.h"

#include <array>
#include <cstdint>
#include <vector>

namespace hinm {

/// Whether this build has the LP solver the dive needs (COIN-OR CLP, found
/// at configure time; docs/permutation.md, "LP dive").
bool stripeDiveAvailable();

/// The work of one pricing round over `cols` columns of `rows` rows, in the
/// unit of diveStripes' cap: subset-row visits, C(cols, 4) * rows.
inline double stripePricingWork(int64_t cols, int64_t rows) {
  return double(cols) * double(cols - 1) * double(cols - 2) * double(cols - 3) /
         24.0 * double(rows);
}

/// Partitions the `cols` columns of `x` (rows x cols, row-major, finite and
/// non-negative; cols a multiple of 4, at most 65535) into cols / 4 stripes
/// of ascending column indices by the LP dive above, for 2:4 (each row keeps
/// its two largest values in every stripe). `start` is a partition the
/// master LP starts from (IVP's result), so the first LP is at least as good
/// as it; the dive itself may still end below it, and the caller keeps the
/// better. `maxPricingWork` caps the pricing, in subset-row visits
/// (stripePricingWork of the free columns per pricing round); past it the dive
/// goes on with the stripes found so far and fails when those cannot finish the
/// partition. Deterministic: CLP runs single-threaded and the pricing's
/// result does not depend on `threads`. Errors: bad arguments, no LP solver
/// in this build, a failed LP, the work cap.
llvm::Expected<std::vector<std::array<int32_t, 4>>>
diveStripes(const std::vector<float> &x, int64_t rows, int64_t cols,
            const std::vector<std::array<int32_t, 4>> &start,
            double maxPricingWork, unsigned threads);

} // namespace hinm

#endif // HINM_ALGORITHM_STRIPEDIVE_H
