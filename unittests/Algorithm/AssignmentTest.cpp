//===- AssignmentTest.cpp - assignment solver vs brute force --------------===//
//
// Part of the hinm project.
//
//===----------------------------------------------------------------------===//
#include "hinm/Algorithm/Assignment.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <numeric>
#include <random>

using namespace hinm;

namespace {

double bruteForce(const std::vector<double> &cost, int64_t n) {
  std::vector<int64_t> p(n);
  std::iota(p.begin(), p.end(), 0);
  double best = 1e300;
  do
    best = std::min(best, assignmentCost(cost, n, p));
  while (std::next_permutation(p.begin(), p.end()));
  return best;
}

TEST(Assignment, MatchesBruteForceOnRandomMatrices) {
  std::mt19937_64 rng(7);
  for (int64_t n = 1; n <= 7; ++n) {
    int trials = n <= 5 ? 200 : 40;
    for (int t = 0; t < trials; ++t) {
      std::vector<double> cost(n * n);
      // Alternate continuous costs and small integers (many ties).
      std::uniform_real_distribution<double> real(-5.0, 10.0);
      std::uniform_int_distribution<int> small(0, 3);
      for (double &c : cost)
        c = t % 2 ? real(rng) : double(small(rng));
      std::vector<int64_t> a = solveAssignment(cost, n);
      std::vector<char> seen(n, 0);
      for (int64_t x : a) {
        ASSERT_GE(x, 0);
        ASSERT_LT(x, n);
        ASSERT_FALSE(seen[x]) << "not a permutation";
        seen[x] = 1;
      }
      EXPECT_NEAR(assignmentCost(cost, n, a), bruteForce(cost, n), 1e-9)
          << "n = " << n << ", trial " << t;
    }
  }
}

TEST(Assignment, KnownExample) {
  // Optimum: 0->1, 1->0, 2->2 with cost 1 + 2 + 2 = 5.
  std::vector<double> cost = {4, 1, 3, 2, 0, 5, 3, 2, 2};
  std::vector<int64_t> a = solveAssignment(cost, 3);
  EXPECT_EQ(assignmentCost(cost, 3, a), 5);
}

TEST(Assignment, LargerMatrixNotWorseThanIdentityOrGreedy) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> d(0, 1);
  int64_t n = 60;
  std::vector<double> cost(n * n);
  for (double &c : cost)
    c = d(rng);
  std::vector<int64_t> id(n);
  std::iota(id.begin(), id.end(), 0);
  double opt = assignmentCost(cost, n, solveAssignment(cost, n));
  EXPECT_LE(opt, assignmentCost(cost, n, id));
  // Random n x n uniform costs: the optimum is known to be below 2.
  EXPECT_LT(opt, 2.0);
}

// The rectangular solver against the square one on the matrix padded with
// zero-cost dummy rows (which the extra columns then absorb): same optimum,
// distinct columns in range.
TEST(Assignment, RectangularMatchesPaddedSquare) {
  std::mt19937_64 rng(13);
  std::uniform_real_distribution<double> real(-5.0, 10.0);
  std::uniform_int_distribution<int> small(0, 3);
  for (int t = 0; t < 300; ++t) {
    int64_t n = 1 + int64_t(rng() % 8), m = n + int64_t(rng() % 9);
    if (t % 50 == 0) {
      n = 30;
      m = 75;
    }
    std::vector<double> cost(n * m), square(m * m, 0.0);
    for (double &c : cost)
      c = t % 2 ? real(rng) : double(small(rng));
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < m; ++j)
        square[i * m + j] = cost[i * m + j];
    std::vector<int64_t> a = solveRectAssignment(cost, n, m);
    ASSERT_EQ(int64_t(a.size()), n);
    std::vector<char> seen(m, 0);
    double total = 0;
    for (int64_t i = 0; i < n; ++i) {
      ASSERT_GE(a[i], 0);
      ASSERT_LT(a[i], m);
      ASSERT_FALSE(seen[a[i]]) << "column used twice, trial " << t;
      seen[a[i]] = 1;
      total += cost[i * m + a[i]];
    }
    double opt = assignmentCost(square, m, solveAssignment(square, m));
    EXPECT_NEAR(total, opt, 1e-9 * std::max(1.0, std::abs(opt)))
        << "n = " << n << ", m = " << m << ", trial " << t;
  }
}

// The bin solver must reach the optimum of the square assignment with every
// bin's column repeated `capacity` times, and fill every bin exactly.
TEST(Assignment, BinAssignmentMatchesExpandedSquareAssignment) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> real(-5.0, 10.0);
  std::uniform_int_distribution<int> small(0, 3);
  for (int t = 0; t < 300; ++t) {
    int64_t k = 1 + int64_t(rng() % 9), cap = 1 + int64_t(rng() % 8);
    if (t % 50 == 0) {
      k = 40;
      cap = 16;
    }
    int64_t n = k * cap;
    std::vector<double> cost(n * k), square(n * n);
    for (double &c : cost)
      c = t % 2 ? real(rng) : double(small(rng));
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < n; ++j)
        square[i * n + j] = cost[i * k + j / cap];
    std::vector<int64_t> bin = solveBinAssignment(cost, n, k, cap);
    std::vector<int64_t> fill(k, 0);
    double total = 0;
    for (int64_t i = 0; i < n; ++i) {
      ASSERT_GE(bin[i], 0);
      ASSERT_LT(bin[i], k);
      ++fill[bin[i]];
      total += cost[i * k + bin[i]];
    }
    for (int64_t b = 0; b < k; ++b)
      ASSERT_EQ(fill[b], cap) << "bin " << b << ", trial " << t;
    double opt = assignmentCost(square, n, solveAssignment(square, n));
    EXPECT_NEAR(total, opt, 1e-9 * std::max(1.0, std::abs(opt)))
        << "k = " << k << ", capacity = " << cap << ", trial " << t;
  }
}

TEST(Assignment, BinAssignmentIsDeterministic) {
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<int> small(0, 2);
  int64_t k = 12, cap = 32, n = k * cap;
  std::vector<double> cost(n * k);
  for (double &c : cost)
    c = small(rng);
  EXPECT_EQ(solveBinAssignment(cost, n, k, cap),
            solveBinAssignment(cost, n, k, cap));
}

} // namespace
