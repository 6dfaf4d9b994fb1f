//===- IVPEjectionTest.cpp - IVP's ejection-assignment rounds -------------===//
//
// Part of the hinm project. Tests the library-internal step directly
// (lib/Algorithm/PruneDetail.h): what it may change, that it never loses,
// that its 2:4 pricing matches the stripe evaluation, and that it finds
// a planted stripe structure.
//
//===----------------------------------------------------------------------===//
#include "../../lib/Algorithm/PruneDetail.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <numeric>
#include <random>

using namespace hinm::detail;

namespace {

struct Block {
  int64_t V, C, n, m;
  std::vector<float> data; // column-major: column c at data[c * V]
  std::vector<int32_t> order, outside;
  std::vector<float> val;

  float stripe(int64_t s) const {
    const float *p[64];
    for (int64_t j = 0; j < m; ++j)
      p[j] = &data[int64_t(order[s * m + j]) * V];
    return stripeKept(p, V, n, m);
  }
  void price() {
    val.resize(order.size() / m);
    for (size_t s = 0; s < val.size(); ++s)
      val[s] = stripe(int64_t(s));
  }
  double total() const {
    double t = 0;
    for (float x : val)
      t += x;
    return t;
  }
};

/// A random block of |normal| importance whose first `kept` columns (in a
/// random order) are kept.
Block randomBlock(int64_t V, int64_t C, int64_t kept, int64_t n, int64_t m,
                  uint64_t seed) {
  Block b{V, C, n, m, {}, {}, {}, {}};
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> d(0.0f, 1.0f);
  b.data.resize(V * C);
  for (float &x : b.data)
    x = std::abs(d(rng));
  std::vector<int32_t> cols(C);
  std::iota(cols.begin(), cols.end(), 0);
  std::shuffle(cols.begin(), cols.end(), rng);
  b.order.assign(cols.begin(), cols.begin() + kept);
  b.outside.assign(cols.begin() + kept, cols.end());
  b.price();
  return b;
}

TEST(IVPEjection, NeverLosesKeepsTheColumnsAndTheStripeValues) {
  const int64_t nm[][2] = {{2, 4}, {1, 4}, {2, 8}, {4, 8}};
  for (const auto &f : nm)
    for (bool useOutside : {true, false})
      for (uint64_t seed = 0; seed < 3; ++seed) {
        int64_t n = f[0], m = f[1], V = 16 * (1 + int64_t(seed));
        int64_t kept = m * (6 + 5 * int64_t(seed)), C = 2 * kept + 3;
        Block b = randomBlock(V, C, kept, n, m, seed * 31 + uint64_t(n * m));
        std::vector<int32_t> keptBefore = b.order;
        std::sort(keptBefore.begin(), keptBefore.end());
        double before = b.total();
        std::mt19937_64 rng(seed);
        ejectionRounds(b.data.data(), V, n, m, b.order, b.outside, b.val,
                       useOutside, /*patience=*/20, /*evalBudget=*/100000000,
                       rng);
        std::string where = std::to_string(n) + ":" + std::to_string(m) +
                            ", seed " + std::to_string(seed) +
                            (useOutside ? ", with pruned columns" : "");
        // Every column is kept or pruned exactly once.
        std::vector<int32_t> all(b.order);
        all.insert(all.end(), b.outside.begin(), b.outside.end());
        std::sort(all.begin(), all.end());
        for (int64_t c = 0; c < C; ++c)
          ASSERT_EQ(all[c], c) << where;
        // Without pruned columns the kept set is the same, only reordered.
        if (!useOutside) {
          std::vector<int32_t> keptAfter = b.order;
          std::sort(keptAfter.begin(), keptAfter.end());
          EXPECT_EQ(keptAfter, keptBefore) << where;
        }
        // The stripe values it hands back are what the stripes keep.
        for (size_t s = 0; s < b.val.size(); ++s)
          ASSERT_EQ(b.val[s], b.stripe(int64_t(s)))
              << where << ", stripe " << s;
        // Random orders leave a lot to gain; a round never loses.
        EXPECT_GT(b.total(), before) << where;
      }
}

TEST(IVPEjection, RecoversPlantedStripes) {
  // Hidden 2:4 stripes: column j * S + s is member j of hidden stripe s, so
  // the natural order mixes them, and every row has exactly two large values
  // in each hidden stripe. Only the hidden order keeps all of them. The
  // rounds alone (no pair steps) stop at a local optimum near it: they must
  // close most of the gap from the mixed start.
  const int64_t V = 16, n = 2, m = 4, S = 12, C = m * S;
  Block b{V, C, n, m, std::vector<float>(V * C, 0.0f), {}, {}, {}};
  std::mt19937_64 rng(4);
  std::uniform_real_distribution<float> big(1.0f, 2.0f);
  double perfect = 0;
  for (int64_t r = 0; r < V; ++r)
    for (int64_t s = 0; s < S; ++s) {
      int64_t members[4] = {0, 1, 2, 3};
      std::shuffle(members, members + m, rng);
      for (int64_t j = 0; j < n; ++j) {
        float x = big(rng);
        b.data[(members[j] * S + s) * V + r] = x;
        perfect += x;
      }
    }
  b.order.resize(C);
  std::iota(b.order.begin(), b.order.end(), 0);
  b.price();
  double before = b.total();
  ASSERT_LT(before, 0.9 * perfect);
  std::mt19937_64 erng(0);
  ejectionRounds(b.data.data(), V, n, m, b.order, b.outside, b.val,
                 /*useOutside=*/false, /*patience=*/40,
                 /*evalBudget=*/10000000, erng);
  double closed = (b.total() - before) / (perfect - before);
  EXPECT_GT(closed, 0.8) << "before " << before << ", after " << b.total()
                         << ", perfect " << perfect;
}

} // namespace
