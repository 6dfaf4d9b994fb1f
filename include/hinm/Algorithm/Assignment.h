//===- Assignment.h - Linear assignment (Hungarian / Jonker-Volgenant) -*- C++ -*-===//
//
// Part of the hinm project. MLIR-free.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_ALGORITHM_ASSIGNMENT_H
#define HINM_ALGORITHM_ASSIGNMENT_H

#include <cstdint>
#include <vector>

namespace hinm {

/// Solves the square linear assignment problem: returns `a` with a[i] = the
/// column assigned to row i, a permutation of [0, n), minimizing
/// sum_i cost[i * n + a[i]]. Shortest augmenting paths with dual potentials
/// (the Jonker-Volgenant / Kuhn-Munkres O(n^3) scheme). Costs must be finite.
/// Ties are broken deterministically (lowest column index first).
std::vector<int64_t> solveAssignment(const std::vector<double> &cost,
                                     int64_t n);

/// Solves the rectangular assignment of n rows to m >= n columns: returns
/// `a` with a[i] = the column of row i, distinct columns, minimizing
/// sum_i cost[i * m + a[i]]; m - n columns stay unused. Same scheme as
/// solveAssignment, O(n^2 m). Costs must be finite; ties are deterministic.
std::vector<int64_t> solveRectAssignment(const std::vector<double> &cost,
                                         int64_t n, int64_t m);

/// Solves the assignment of n rows to k bins of `capacity` slots each
/// (n == k * capacity): returns `bin` with bin[i] in [0, k), every bin used
/// `capacity` times, minimizing sum_i cost[i * k + bin[i]]. This is the
/// square assignment with every bin's column repeated `capacity` times, but
/// solved on the k bins: rows are added one at a time, each along a
/// shortest path of row moves between bins (Dijkstra over the k bins with
/// potentials; the edge b1 -> b2 is the cheapest move of a row in b1 to b2).
/// O(n k^2 + n k capacity) instead of O(n^3), so it scales to the thousands
/// of rows of a real layer. Costs must be finite; ties are deterministic.
std::vector<int64_t> solveBinAssignment(const std::vector<double> &cost,
                                        int64_t n, int64_t k,
                                        int64_t capacity);

/// Total cost of an assignment.
double assignmentCost(const std::vector<double> &cost, int64_t n,
                      const std::vector<int64_t> &assignment);

} // namespace hinm

#endif // HINM_ALGORITHM_ASSIGNMENT_H
