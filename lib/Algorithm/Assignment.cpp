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

#include <algorithm>
#include <limits>

using namespace hinm;

std::vector<int64_t> hinm::solveAssignment(const std::vector<double> &cost,
                                           int64_t n) {
  return solveRectAssignment(cost, n, n);
}

// The square solver's rows-one-at-a-time scheme needs only a free column at
// the end of each path, which n <= m guarantees; columns no row takes keep
// rowOfCol == 0.
std::vector<int64_t> hinm::solveRectAssignment(const std::vector<double> &cost,
                                               int64_t n, int64_t m) {
  const double inf = std::numeric_limits<double>::infinity();
  // 1-based arrays; column 0 is a virtual start column.
  std::vector<double> u(n + 1, 0.0), v(m + 1, 0.0);
  std::vector<int64_t> rowOfCol(m + 1, 0), way(m + 1, 0);
  std::vector<double> minv(m + 1);
  std::vector<char> used(m + 1);
  for (int64_t i = 1; i <= n; ++i) {
    rowOfCol[0] = i;
    int64_t j0 = 0;
    std::fill(minv.begin(), minv.end(), inf);
    std::fill(used.begin(), used.end(), 0);
    do {
      used[j0] = 1;
      int64_t i0 = rowOfCol[j0], j1 = 0;
      double delta = inf;
      const double *row = &cost[(i0 - 1) * m];
      for (int64_t j = 1; j <= m; ++j) {
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
      for (int64_t j = 0; j <= m; ++j) {
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
  for (int64_t j = 1; j <= m; ++j)
    if (rowOfCol[j])
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

// Successive shortest paths on the bins. The residual graph of the
// rows-to-bins flow is collapsed onto the bins: a path enters bin b1 and
// leaves it through one of its rows r moving to b2, at cost
// cost[r][b2] - cost[r][b1]; `edge[b1][b2]` keeps the cheapest such row.
// Bin potentials `phi` keep reduced edge costs non-negative (the bin
// potentials of the uncollapsed graph's Johnson potentials), so each new
// row takes one Dijkstra over the k bins. Only the bins a path touched get
// their edges recomputed.
std::vector<int64_t> hinm::solveBinAssignment(const std::vector<double> &cost,
                                              int64_t n, int64_t k,
                                              int64_t capacity) {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<int64_t> bin(n, -1);
  std::vector<std::vector<int64_t>> members(k);
  std::vector<double> phi(k, 0.0), edge(k * k, inf), dist(k);
  std::vector<int64_t> edgeRow(k * k, -1), prevBin(k), prevRow(k);
  std::vector<char> done(k), dirty(k, 0);
  auto rebuild = [&](int64_t b1) {
    for (int64_t b2 = 0; b2 < k; ++b2) {
      edge[b1 * k + b2] = inf;
      edgeRow[b1 * k + b2] = -1;
    }
    for (int64_t r : members[b1])
      for (int64_t b2 = 0; b2 < k; ++b2) {
        if (b2 == b1)
          continue;
        double w = cost[r * k + b2] - cost[r * k + b1];
        if (w < edge[b1 * k + b2]) {
          edge[b1 * k + b2] = w;
          edgeRow[b1 * k + b2] = r;
        }
      }
  };
  for (int64_t i = 0; i < n; ++i) {
    // Dijkstra from the new row: entering bin b costs cost[i][b].
    const double *ci = &cost[i * k];
    double phiS = -inf;
    for (int64_t b = 0; b < k; ++b)
      phiS = std::max(phiS, phi[b] - ci[b]);
    for (int64_t b = 0; b < k; ++b) {
      dist[b] = ci[b] + phiS - phi[b]; // reduced, >= 0
      prevBin[b] = -1;
      prevRow[b] = i;
      done[b] = 0;
    }
    for (int64_t step = 0; step < k; ++step) {
      int64_t u = -1;
      for (int64_t b = 0; b < k; ++b)
        if (!done[b] && (u < 0 || dist[b] < dist[u]))
          u = b;
      done[u] = 1;
      for (int64_t v = 0; v < k; ++v) {
        if (done[v] || edgeRow[u * k + v] < 0)
          continue;
        double d = dist[u] + std::max(0.0, edge[u * k + v] + phi[u] - phi[v]);
        if (d < dist[v]) {
          dist[v] = d;
          prevBin[v] = u;
          prevRow[v] = edgeRow[u * k + v];
        }
      }
    }
    // The free bin at the smallest true distance ends the path.
    int64_t t = -1;
    double best = inf;
    for (int64_t b = 0; b < k; ++b) {
      if (int64_t(members[b].size()) >= capacity)
        continue;
      double d = dist[b] - phiS + phi[b];
      if (d < best) {
        best = d;
        t = b;
      }
    }
    for (int64_t b = 0; b < k; ++b)
      phi[b] += dist[b];
    // Move the rows along the path, from its end back to the new row.
    for (int64_t b = t; b >= 0;) {
      int64_t r = prevRow[b], from = prevBin[b];
      if (from >= 0) {
        auto &mf = members[from];
        mf.erase(std::find(mf.begin(), mf.end(), r));
        dirty[from] = 1;
      }
      members[b].push_back(r);
      bin[r] = b;
      dirty[b] = 1;
      b = from;
    }
    for (int64_t b = 0; b < k; ++b)
      if (dirty[b]) {
        rebuild(b);
        dirty[b] = 0;
      }
  }
  return bin;
}
