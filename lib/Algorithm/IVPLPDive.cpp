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
// The pricing costs C(K, 4) * V per round, so a block of more kept columns
// than the work cap admits is dived in windows: random sets of its stripes,
// as many as the cap admits, each re-partitioned by a dive of its own and
// kept when it keeps more. The windows are as large as the cap allows
// because the gains come from exchanges through many stripes at once: on
// the shared weights, windows of 16, 24 and 32 stripes gained 0.05, 0.2 and
// 0.43 points where 41 (the cap at V=64) gained 0.88.
//
//===----------------------------------------------------------------------===//

#include "PruneDetail.h"

#include "hinm/Algorithm/StripeDive.h"

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace hinm;
using namespace hinm::detail;

namespace {

/// Dives the stripes `which` of the block (their columns order[s*4 ..]) and
/// writes the dive's stripes back in their place when they keep more.
bool diveWindow(const float *data, int64_t V, std::vector<int32_t> &order,
                std::vector<float> &val, const std::vector<int64_t> &which,
                double maxWork, unsigned threads) {
  const int64_t W = int64_t(which.size()), K = 4 * W;
  // Row-major V x K over the window's columns; local column j = 4 * i + k
  // is member k of stripe which[i].
  std::vector<int32_t> cols(K);
  for (int64_t i = 0; i < W; ++i)
    for (int k = 0; k < 4; ++k)
      cols[4 * i + k] = order[which[i] * 4 + k];
  std::vector<float> x(V * K);
  for (int64_t j = 0; j < K; ++j)
    for (int64_t v = 0; v < V; ++v)
      x[v * K + j] = data[int64_t(cols[j]) * V + v];
  std::vector<std::array<int32_t, 4>> start(W);
  for (int64_t i = 0; i < W; ++i)
    for (int k = 0; k < 4; ++k)
      start[i][k] = int32_t(4 * i + k);
  auto dive = diveStripes(x, V, K, start, maxWork, threads);
  if (!dive) {
    // The cap or the LP solver stopped it; IVP's order stands.
    llvm::consumeError(dive.takeError());
    return false;
  }
  std::vector<float> newVal(W);
  double before = 0, after = 0;
  const float *ptr[4];
  for (int64_t i = 0; i < W; ++i) {
    for (int k = 0; k < 4; ++k)
      ptr[k] = data + int64_t(cols[(*dive)[i][k]]) * V;
    newVal[i] = stripeKept(ptr, V, 2, 4);
    after += newVal[i];
    before += val[which[i]];
  }
  if (!(after > before + 1e-6 * std::abs(before)))
    return false;
  for (int64_t i = 0; i < W; ++i) {
    for (int k = 0; k < 4; ++k)
      order[which[i] * 4 + k] = cols[(*dive)[i][k]];
    val[which[i]] = newVal[i];
  }
  return true;
}

} // namespace

bool hinm::detail::lpDiveOrder(const float *data, int64_t V,
                               std::vector<int32_t> &order,
                               std::vector<float> &val, double effort,
                               std::mt19937_64 &rng, unsigned threads) {
  const int64_t S = int64_t(order.size()) / 4;
  const double maxWork = kLPDiveWork * effort;
  // The most stripes a dive may take: a dive cut short by the cap gains
  // nothing, so it must afford kLPDiveMinRounds full pricing rounds.
  int64_t window = 0;
  while (window < S &&
         stripePricingWork(4 * (window + 1), V) * kLPDiveMinRounds <= maxWork)
    ++window;
  if (S < 2 || window < 2)
    return false;
  // One dive over the whole block when it fits; otherwise windows, each
  // stripe in about kLPDiveWindowCover of them on average.
  int64_t windows =
      window == S ? 1
                  : int64_t(std::ceil(kLPDiveWindowCover * double(S) /
                                      double(window)));
  std::vector<int64_t> ids(S);
  std::iota(ids.begin(), ids.end(), int64_t(0));
  bool changed = false;
  for (int64_t w = 0; w < windows; ++w) {
    // A partial Fisher-Yates shuffle picks the window (the RNG is the
    // block's own, so the result does not depend on the thread count).
    for (int64_t i = 0; i < window; ++i)
      std::swap(ids[i], ids[i + int64_t(rng() % uint64_t(S - i))]);
    std::vector<int64_t> which(ids.begin(), ids.begin() + window);
    std::sort(which.begin(), which.end());
    changed |= diveWindow(data, V, order, val, which, maxWork, threads);
  }
  return changed;
}
