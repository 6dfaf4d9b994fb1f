//===- StripeKernelsTest.cpp - IVP's multiversioned 2:4 kernels -----------===//
//
// Part of the hinm project. The 2:4 loops of stripeKept and addedKept24 are
// built for AVX2
// and for the baseline x86-64 and picked at load time (PruneDetail.h); the
// pruning is the same on every CPU only if each clone returns exactly what
// a plain scalar loop in the same lane order returns. These tests compare
// the dispatched clone with that loop, bit for bit.
//
//===----------------------------------------------------------------------===//
#include "../../lib/Algorithm/PruneDetail.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <random>

using namespace hinm::detail;

namespace {

/// Sum of the two largest of four, per row, accumulated in 8 lanes (row v
/// into lane v % 8) and the lanes added in a fixed tree: the order the
/// kernels promise, with no vectorization.
float scalarStripe24(const float *const *c, int64_t V) {
  volatile float lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (int64_t v = 0; v < V; ++v) {
    float x[4] = {c[0][v], c[1][v], c[2][v], c[3][v]};
    std::sort(x, x + 4);
    lane[v % 8] = lane[v % 8] + (x[3] + x[2]);
  }
  return ((lane[0] + lane[1]) + (lane[2] + lane[3])) +
         ((lane[4] + lane[5]) + (lane[6] + lane[7]));
}

float scalarAdded24(const float *x, const float *t2, int64_t V) {
  volatile float lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (int64_t v = 0; v < V; ++v)
    lane[v % 8] = lane[v % 8] + std::max(0.0f, x[v] - t2[v]);
  return ((lane[0] + lane[1]) + (lane[2] + lane[3])) +
         ((lane[4] + lane[5]) + (lane[6] + lane[7]));
}

TEST(StripeKernelsTest, MatchScalarLoopBitForBit) {
  std::mt19937_64 rng(11);
  // Magnitudes over many octaves, and ties, so rounding differences between
  // summation orders would show.
  std::uniform_real_distribution<float> mant(0.0f, 1.0f);
  std::uniform_int_distribution<int> expo(-20, 20), tie(0, 9);
  for (int64_t V : {8, 16, 32, 64, 128}) {
    for (int trial = 0; trial < 200; ++trial) {
      std::vector<float> data(5 * V);
      for (float &x : data)
        x = tie(rng) == 0 ? 1.0f : std::ldexp(mant(rng), expo(rng));
      const float *c[4] = {&data[0], &data[V], &data[2 * V], &data[3 * V]};
      ASSERT_EQ(stripeKept(c, V, 2, 4), scalarStripe24(c, V))
          << "V=" << V << " trial " << trial;
      const float *x = &data[4 * V], *t2 = &data[0];
      ASSERT_EQ(addedKept24(x, t2, V), scalarAdded24(x, t2, V))
          << "V=" << V << " trial " << trial;
    }
  }
}

} // namespace
