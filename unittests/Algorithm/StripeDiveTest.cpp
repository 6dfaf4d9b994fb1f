//===- StripeDiveTest.cpp - the LP dive vs exhaustive partitions ----------===//
//
// Part of the hinm project.
//
//===----------------------------------------------------------------------===//
#include "hinm/Algorithm/StripeDive.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <functional>
#include <random>

using namespace hinm;

namespace {

using Stripe = std::array<int32_t, 4>;

double value(const std::vector<float> &x, int64_t rows, int64_t cols,
             const Stripe &q) {
  double f = 0;
  for (int64_t r = 0; r < rows; ++r) {
    float v[4] = {x[r * cols + q[0]], x[r * cols + q[1]], x[r * cols + q[2]],
                  x[r * cols + q[3]]};
    std::sort(v, v + 4);
    f += double(v[3]) + double(v[2]);
  }
  return f;
}

double value(const std::vector<float> &x, int64_t rows, int64_t cols,
             const std::vector<Stripe> &p) {
  double f = 0;
  for (const Stripe &q : p)
    f += value(x, rows, cols, q);
  return f;
}

/// The best partition's value, by listing every partition (the first free
/// column always opens the next stripe).
double bestPartition(const std::vector<float> &x, int64_t rows, int64_t cols) {
  std::vector<char> used(cols, 0);
  std::vector<double> memo(cols * cols * cols * cols, -1);
  auto f = [&](const Stripe &q) {
    double &v = memo[((q[0] * cols + q[1]) * cols + q[2]) * cols + q[3]];
    if (v < 0)
      v = value(x, rows, cols, q);
    return v;
  };
  std::function<double()> rec = [&]() -> double {
    int32_t a = 0;
    while (a < cols && used[a])
      ++a;
    if (a == cols)
      return 0;
    double best = -1;
    used[a] = 1;
    for (int32_t b = a + 1; b < cols; ++b)
      for (int32_t c = b + 1; c < cols; ++c)
        for (int32_t d = c + 1; d < cols; ++d) {
          if (used[b] || used[c] || used[d])
            continue;
          used[b] = used[c] = used[d] = 1;
          best = std::max(best, f(Stripe{a, b, c, d}) + rec());
          used[b] = used[c] = used[d] = 0;
        }
    used[a] = 0;
    return best;
  };
  return rec();
}

std::vector<float> randomBlock(int64_t rows, int64_t cols, unsigned seed) {
  std::mt19937 rng(seed);
  std::exponential_distribution<float> dist(1.0f);
  std::vector<float> x(rows * cols);
  for (float &v : x)
    v = dist(rng);
  return x;
}

std::vector<Stripe> inOrder(int64_t cols) {
  std::vector<Stripe> p;
  for (int32_t c = 0; c < cols; c += 4)
    p.push_back({c, c + 1, c + 2, c + 3});
  return p;
}

bool isPartition(const std::vector<Stripe> &p, int64_t cols) {
  std::vector<int> seen(cols, 0);
  for (const Stripe &q : p) {
    if (!std::is_sorted(q.begin(), q.end()))
      return false;
    for (int32_t c : q)
      if (c < 0 || c >= cols || seen[c]++)
        return false;
  }
  return int64_t(p.size()) * 4 == cols;
}

constexpr double kNoCap = 1e18;

TEST(StripeDiveTest, FindsTheBestPartitionOfSmallBlocks) {
  if (!stripeDiveAvailable())
    GTEST_SKIP() << "built without an LP solver";
  // 16 columns: 2627625 partitions listed, against one dive each.
  int optimal = 0;
  for (unsigned seed = 0; seed < 8; ++seed) {
    std::vector<float> x = randomBlock(8, 16, seed);
    auto dive = diveStripes(x, 8, 16, inOrder(16), kNoCap, 1);
    ASSERT_TRUE(bool(dive)) << llvm::toString(dive.takeError());
    ASSERT_TRUE(isPartition(*dive, 16));
    double got = value(x, 8, 16, *dive), best = bestPartition(x, 8, 16);
    EXPECT_LE(got, best + 1e-9);
    optimal += got >= best - 1e-6;
  }
  // A heuristic: it found the optimum on 7 of the 8 seeds when this test
  // was written (with the dual prices' sign flipped, on none).
  EXPECT_GE(optimal, 6);
}

TEST(StripeDiveTest, BeatsTheStartWhereTheStartIsPoor) {
  if (!stripeDiveAvailable())
    GTEST_SKIP() << "built without an LP solver";
  std::vector<float> x = randomBlock(32, 64, 11);
  auto dive = diveStripes(x, 32, 64, inOrder(64), kNoCap, 2);
  ASSERT_TRUE(bool(dive)) << llvm::toString(dive.takeError());
  ASSERT_TRUE(isPartition(*dive, 64));
  EXPECT_GT(value(x, 32, 64, *dive), value(x, 32, 64, inOrder(64)) * 1.01);
}

TEST(StripeDiveTest, WithoutPricingReturnsTheStart) {
  if (!stripeDiveAvailable())
    GTEST_SKIP() << "built without an LP solver";
  // The first LP holds only the start's stripes: it takes all of them.
  std::vector<float> x = randomBlock(8, 32, 3);
  std::vector<Stripe> start = {
      {0, 9, 17, 30},   {1, 2, 3, 4},     {5, 6, 7, 8},     {10, 11, 12, 13},
      {14, 15, 16, 18}, {19, 20, 21, 22}, {23, 24, 25, 26}, {27, 28, 29, 31}};
  auto dive = diveStripes(x, 8, 32, start, 0, 1);
  ASSERT_TRUE(bool(dive)) << llvm::toString(dive.takeError());
  std::sort(start.begin(), start.end());
  EXPECT_EQ(*dive, start);
}

TEST(StripeDiveTest, DoesNotDependOnThreads) {
  if (!stripeDiveAvailable())
    GTEST_SKIP() << "built without an LP solver";
  std::vector<float> x = randomBlock(16, 48, 5);
  for (float &v : x)
    v = std::round(v * 2); // ties
  auto one = diveStripes(x, 16, 48, inOrder(48), kNoCap, 1);
  auto four = diveStripes(x, 16, 48, inOrder(48), kNoCap, 4);
  ASSERT_TRUE(one && four);
  EXPECT_EQ(*one, *four);
}

TEST(StripeDiveTest, NamesBadArguments) {
  std::vector<float> x = randomBlock(2, 8, 1);
  auto message = [&](std::vector<float> xs, int64_t rows, int64_t cols,
                     std::vector<Stripe> start) {
    auto r = diveStripes(xs, rows, cols, start, kNoCap, 1);
    EXPECT_FALSE(bool(r));
    return r ? std::string() : llvm::toString(r.takeError());
  };
  EXPECT_NE(message(x, 2, 6, inOrder(8)).find("multiple of 4"),
            std::string::npos);
  EXPECT_NE(message(x, 3, 8, inOrder(8)).find("rows * cols"),
            std::string::npos);
  std::vector<float> neg = x;
  neg[3] = -1;
  EXPECT_NE(message(neg, 2, 8, inOrder(8)).find("non-negative"),
            std::string::npos);
  EXPECT_NE(message(x, 2, 8, {{0, 1, 2, 3}}).find("cols / 4"),
            std::string::npos);
  EXPECT_NE(message(x, 2, 8, {{0, 1, 2, 3}, {3, 4, 5, 6}}).find("partition"),
            std::string::npos);
  if (!stripeDiveAvailable()) {
    EXPECT_NE(message(x, 2, 8, inOrder(8)).find("no LP solver"),
              std::string::npos);
  }
}

} // namespace
