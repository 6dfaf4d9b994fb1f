//===- IVPLPDive.cpp - IVP's last step: an LP dive over the stripes -------===//
//
// Part of the hinm project. MLIR-free.
//
// Opt-in (PruneOptions::ivpLP), 2:4 only. The local searches before it end
// in one basin; the LP dive of StripeDive.h builds a partition from the
// block's LP relaxation instead, which on the shared weights lands closer to
// the LP bound (docs/permutation.md). It runs last and is kept only when the
// block then keeps more, as every IVP step.
//
//===----------------------------------------------------------------------===//

#include "PruneDetail.h"

#include "hinm/Algorithm/StripeDive.h"

#include <cmath>

using namespace hinm;

bool hinm::detail::lpDiveOrder(const float *data, int64_t V,
                               std::vector<int32_t> &order,
                               std::vector<float> &val, double effort) {
  const int64_t K = int64_t(order.size()), S = K / 4;
  double maxWork = kLPDiveWork * effort;
  // A block whose one pricing round would take more than a share of the
  // cap could not finish the dive: skip it (docs/permutation.md).
  if (S < 2 || stripePricingWork(K, V) * kLPDiveMinRounds > maxWork)
    return false;
  // Row-major V x K over the kept columns in IVP order.
  std::vector<float> x(V * K);
  for (int64_t j = 0; j < K; ++j)
    for (int64_t v = 0; v < V; ++v)
      x[v * K + j] = data[int64_t(order[j]) * V + v];
  std::vector<std::array<int32_t, 4>> start(S);
  for (int64_t s = 0; s < S; ++s)
    for (int k = 0; k < 4; ++k)
      start[s][k] = int32_t(s * 4 + k);
  // One thread: IVP already runs one block per worker.
  auto dive = diveStripes(x, V, K, start, maxWork, 1);
  if (!dive) {
    // The cap or the LP solver stopped it; IVP's order stands.
    llvm::consumeError(dive.takeError());
    return false;
  }
  std::vector<float> newVal(S);
  double before = 0, after = 0;
  const float *ptr[4];
  for (int64_t s = 0; s < S; ++s) {
    for (int k = 0; k < 4; ++k)
      ptr[k] = data + int64_t(order[(*dive)[s][k]]) * V;
    newVal[s] = stripeKept(ptr, V, 2, 4);
    after += newVal[s];
    before += val[s];
  }
  if (!(after > before + 1e-6 * std::abs(before)))
    return false;
  std::vector<int32_t> newOrder(K);
  for (int64_t s = 0; s < S; ++s)
    for (int k = 0; k < 4; ++k)
      newOrder[s * 4 + k] = order[(*dive)[s][k]];
  order.swap(newOrder);
  val.swap(newVal);
  return true;
}
