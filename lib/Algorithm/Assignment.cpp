//===- Assignment.cpp - Linear assignment solver ---------------------------===//
//
// Part of the hinm project. See include/hinm/Algorithm/Assignment.h.
//
// Shortest augmenting paths with row/column potentials: rows are added one at
// a time; each addition runs a Dijkstra-like search over reduced costs
// (cost - u[row] - v[col] >= 0) from the new row to a free column, then
// flips the path and updates the potentials. O(n^3) total.
//
//===----------------------------------------------------------------------===//
#include "hinm/Algorithm/Assignment.h"

#include <limits>

using namespace hinm;

std::vector<int64_t> hinm::solveAssignment(const std::vector<double> &cost,
                                           int64_t n) {
  const double inf = std::numeric_limits<double>::infinity();
  // 1-based arrays; column 0 is a virtual start column.
  std::vector<double> u(n + 1, 0.0), v(n + 1, 0.0);
  std::vector<int64_t> rowOfCol(n + 1, 0), way(n + 1, 0);
  std::vector<double> minv(n + 1);
  std::vector<char> used(n + 1);
  for (int64_t i = 1; i <= n; ++i) {
    rowOfCol[0] = i;
    int64_t j0 = 0;
    std::fill(minv.begin(), minv.end(), inf);
    std::fill(used.begin(), used.end(), 0);
    do {
      used[j0] = 1;
      int64_t i0 = rowOfCol[j0], j1 = 0;
      double delta = inf;
      const double *row = &cost[(i0 - 1) * n];
      for (int64_t j = 1; j <= n; ++j) {
        if (used[j])
          continue;
        double cur = row[j - 1] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (int64_t j = 0; j <= n; ++j) {
        if (used[j]) {
          u[rowOfCol[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (rowOfCol[j0] != 0);
    do {
      int64_t j1 = way[j0];
      rowOfCol[j0] = rowOfCol[j1];
      j0 = j1;
    } while (j0);
  }
  std::vector<int64_t> a(n);
  for (int64_t j = 1; j <= n; ++j)
    a[rowOfCol[j] - 1] = j - 1;
  return a;
}

double hinm::assignmentCost(const std::vector<double> &cost, int64_t n,
                            const std::vector<int64_t> &assignment) {
  double s = 0;
  for (int64_t i = 0; i < n; ++i)
    s += cost[i * n + assignment[i]];
  return s;
}
