//===- StripeBoundTest.cpp - stripe pricing vs brute force ----------------===//
//
// Part of the hinm project.
//
//===----------------------------------------------------------------------===//
#include "hinm/Algorithm/StripeBound.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <random>

using namespace hinm;

namespace {

struct Quad {
  double rc;
  std::array<int32_t, 4> cols;
};

/// Every 4-column subset with its reduced cost in double, best first
/// (ties: smaller columns first), computed the obvious way.
std::vector<Quad> bruteForce(const std::vector<float> &x, int64_t rows,
                             int64_t cols, const std::vector<double> &duals) {
  std::vector<Quad> all;
  for (int32_t a = 0; a < cols; ++a)
    for (int32_t b = a + 1; b < cols; ++b)
      for (int32_t c = b + 1; c < cols; ++c)
        for (int32_t d = c + 1; d < cols; ++d) {
          double f = 0;
          for (int64_t r = 0; r < rows; ++r) {
            float v[4] = {x[r * cols + a], x[r * cols + b], x[r * cols + c],
                          x[r * cols + d]};
            std::sort(v, v + 4);
            f += double(v[3]) + double(v[2]);
          }
          all.push_back(
              {f - duals[a] - duals[b] - duals[c] - duals[d], {a, b, c, d}});
        }
  std::stable_sort(all.begin(), all.end(),
                   [](const Quad &l, const Quad &r) { return l.rc > r.rc; });
  return all;
}

std::vector<float> randomMatrix(std::mt19937_64 &rng, int64_t rows,
                                int64_t cols, bool smallIntegers) {
  std::uniform_real_distribution<float> real(0.0f, 1.0f);
  std::uniform_int_distribution<int> small(0, 3);
  std::vector<float> x(rows * cols);
  for (float &v : x)
    v = smallIntegers ? float(small(rng)) : real(rng);
  return x;
}

TEST(StripeBound, PricingMatchesBruteForce) {
  std::mt19937_64 rng(3);
  for (int trial = 0; trial < 40; ++trial) {
    int64_t rows = 1 + trial % 13, cols = 4 + trial % 7;
    // Integer values and integer duals make many exact ties, which the
    // documented order (smaller columns first) must settle.
    bool ties = trial % 2 == 0;
    std::vector<float> x = randomMatrix(rng, rows, cols, ties);
    std::vector<double> duals(cols);
    std::uniform_real_distribution<double> price(-1.0, 2.0);
    for (double &y : duals)
      y = ties ? std::round(price(rng)) : price(rng);
    std::vector<Quad> expected = bruteForce(x, rows, cols, duals);
    for (int64_t keep : {int64_t(1), int64_t(3), int64_t(expected.size()),
                         int64_t(expected.size() + 5)}) {
      auto got = priceStripes(x, rows, cols, duals, keep, 1);
      ASSERT_TRUE(bool(got)) << llvm::toString(got.takeError());
      size_t n = std::min<size_t>(keep, expected.size());
      ASSERT_EQ(got->best.size(), n);
      for (size_t i = 0; i < n; ++i) {
        EXPECT_NEAR(got->best[i].reducedCost, expected[i].rc,
                    got->errorBound + 1e-12)
            << "trial " << trial << ", rank " << i;
        if (ties) {
          EXPECT_EQ(got->best[i].columns, expected[i].cols)
              << "trial " << trial << ", rank " << i;
        }
      }
    }
  }
}

TEST(StripeBound, SkippedSubsetsCannotBeAmongTheBest) {
  // A few strong columns among weak ones: once the best sets fill up, most
  // triples are skipped without pricing their fourth column. What is
  // returned must still be the best: every subset's exact value within the
  // error bound of what is reported, and none left out that beats the
  // reported sixth by more than the rounding. (A weak fourth column adds
  // nothing to a strong triple, so many subsets tie up to rounding and the
  // order among them is not checked here.)
  std::mt19937_64 rng(9);
  int64_t rows = 16, cols = 24;
  std::vector<float> x = randomMatrix(rng, rows, cols, false);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c : {3, 7, 8, 15, 20})
      x[r * cols + c] += 10.0f;
  std::vector<double> duals(cols, 0.0);
  duals[7] = 5.0;
  std::vector<Quad> expected = bruteForce(x, rows, cols, duals);
  for (unsigned threads : {1u, 2u}) {
    auto got = priceStripes(x, rows, cols, duals, 6, threads);
    ASSERT_TRUE(bool(got));
    ASSERT_EQ(got->best.size(), 6u);
    double eps = got->errorBound;
    for (const PricedStripe &s : got->best) {
      auto it =
          std::find_if(expected.begin(), expected.end(),
                       [&](const Quad &q) { return q.cols == s.columns; });
      ASSERT_NE(it, expected.end());
      EXPECT_NEAR(s.reducedCost, it->rc, eps);
    }
    double sixth = got->best.back().reducedCost;
    for (const Quad &q : expected) {
      bool returned = std::any_of(
          got->best.begin(), got->best.end(),
          [&](const PricedStripe &s) { return s.columns == q.cols; });
      if (!returned) {
        EXPECT_LE(q.rc, sixth + 2 * eps);
      }
    }
    EXPECT_NEAR(got->best.front().reducedCost, expected.front().rc, eps);
  }
}

TEST(StripeBound, ErrorBoundCoversFloatSums) {
  // Many rows of values of mixed size: the float32 lane sums round, and
  // every reduced cost must stay within the reported bound of the double
  // one.
  std::mt19937_64 rng(11);
  int64_t rows = 300, cols = 9;
  std::vector<float> x = randomMatrix(rng, rows, cols, false);
  for (size_t i = 0; i < x.size(); i += 7)
    x[i] *= 1000.0f;
  std::vector<double> duals(cols, 0.5);
  std::vector<Quad> expected = bruteForce(x, rows, cols, duals);
  auto got = priceStripes(x, rows, cols, duals, expected.size(), 2);
  ASSERT_TRUE(bool(got));
  for (const PricedStripe &s : got->best) {
    auto it = std::find_if(expected.begin(), expected.end(),
                           [&](const Quad &q) { return q.cols == s.columns; });
    ASSERT_NE(it, expected.end());
    EXPECT_LE(std::fabs(s.reducedCost - it->rc), got->errorBound);
  }
  EXPECT_GT(got->errorBound, 0);
}

TEST(StripeBound, SameResultOnAnyThreadCount) {
  std::mt19937_64 rng(5);
  int64_t rows = 24, cols = 40;
  std::vector<float> x = randomMatrix(rng, rows, cols, true);
  std::vector<double> duals(cols, 1.0);
  auto one = priceStripes(x, rows, cols, duals, 50, 1);
  auto two = priceStripes(x, rows, cols, duals, 50, 2);
  auto four = priceStripes(x, rows, cols, duals, 50, 4);
  ASSERT_TRUE(one && two && four);
  for (const auto *other : {&*two, &*four}) {
    ASSERT_EQ(other->best.size(), one->best.size());
    for (size_t i = 0; i < one->best.size(); ++i) {
      EXPECT_EQ(other->best[i].columns, one->best[i].columns);
      EXPECT_EQ(other->best[i].reducedCost, one->best[i].reducedCost);
    }
  }
}

TEST(StripeBound, RejectsBadArguments) {
  std::vector<float> x(2 * 5, 1.0f);
  std::vector<double> duals(5, 0.0);
  auto message = [](llvm::Expected<StripePricing> r) {
    EXPECT_FALSE(bool(r));
    return r ? std::string() : llvm::toString(r.takeError());
  };
  EXPECT_NE(message(priceStripes(x, 2, 5, duals, 0, 1)).find("keep"),
            std::string::npos);
  EXPECT_NE(message(priceStripes(x, 5, 2, duals, 1, 1)).find("cols"),
            std::string::npos);
  EXPECT_NE(message(priceStripes(x, 2, 5, {0.0}, 1, 1)).find("duals"),
            std::string::npos);
  EXPECT_NE(message(priceStripes(x, 3, 5, duals, 1, 1)).find("x holds"),
            std::string::npos);
  std::vector<float> bad = x;
  bad[7] = std::nanf("");
  EXPECT_NE(message(priceStripes(bad, 2, 5, duals, 1, 1)).find("x[1][2]"),
            std::string::npos);
  bad[7] = -1.0f;
  EXPECT_NE(message(priceStripes(bad, 2, 5, duals, 1, 1)).find("non-negative"),
            std::string::npos);
  std::vector<double> badDuals = duals;
  badDuals[3] = INFINITY;
  EXPECT_NE(message(priceStripes(x, 2, 5, badDuals, 1, 1)).find("duals[3]"),
            std::string::npos);
}

} // namespace
