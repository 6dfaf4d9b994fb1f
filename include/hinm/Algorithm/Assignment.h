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

/// Total cost of an assignment.
double assignmentCost(const std::vector<double> &cost, int64_t n,
                      const std::vector<int64_t> &assignment);

} // namespace hinm

#endif // HINM_ALGORITHM_ASSIGNMENT_H
