//===- JointRefinement.cpp - Rows re-placed against finished blocks -------===//
//
// Part of the hinm project. The joint refinement that follows 2CP
// (beyond the paper; docs/permutation.md).
//
//===----------------------------------------------------------------------===//
#include "PruneDetail.h"

#include "hinm/Algorithm/Assignment.h"

#include <algorithm>
#include <cmath>

using namespace hinm;
using namespace hinm::detail;

//===----------------------------------------------------------------------===//
// Joint refinement of 2CP: rows re-placed against the finished blocks.
//===----------------------------------------------------------------------===//

/// Alternating 2CP (beyond the paper; docs/permutation.md). A finished 2CP
/// result is a set of block *structures* (kept columns in IVP order). With
/// the structures fixed, the importance a row keeps in block b is exact and
/// independent of the other rows, so the best placement of all rows is one
/// linear assignment of rows to the P row slots. After the rows move, IVP
/// re-optimizes every block starting from its structure. Neither step can
/// lose (the assignment contains the current placement; IVP keeps its start
/// when it finds nothing better), so the result only improves. Repeats
/// while a round gains. Returns the kept importance of `sel`.
double hinm::detail::refineJointly(const Problem &pb, HiNMSelection &sel,
                                   double kept, const PruneOptions &opts,
                                   int64_t evalBudget, Runner &runner) {
  const int64_t B = pb.B, V = pb.V, P = pb.P, K = pb.kept;
  int64_t rounds = opts.jointRounds;
  // One round: P*B N:M prunings of K elements and the assignment's P*B*B
  // (then an IVP pass, which has its own budget).
  const double roundWork = double(P) * double(B) * double(K + B);
  if (rounds == 0)
    rounds = std::clamp<int64_t>(int64_t(4 * kGlobalOCPWork / roundWork), 1, 8);
  if (rounds < 0 || B < 2 || roundWork > kGlobalOCPWork || K < pb.m)
    return kept;
  for (int64_t round = 0; round < rounds; ++round) {
    // cost[i * B + b]: minus what the row in slot i keeps under block b's
    // structure (selectNM's mask output is scratch here).
    std::vector<double> cost(P * B);
    runner.forEach(P, [&](int64_t i) {
      std::vector<uint8_t> mask(K);
      for (int64_t b = 0; b < B; ++b)
        cost[i * B + b] = -selectNM(pb.row(sel.rowPerm[i]),
                                    &sel.vectorIndex[b * K], K, pb.n, pb.m,
                                    mask.data());
    });
    std::vector<int64_t> bin = solveBinAssignment(cost, P, B, V);
    double placed = 0;
    for (int64_t i = 0; i < P; ++i)
      placed -= cost[i * B + bin[i]];
    if (!(placed > kept + 1e-9 * std::abs(kept)))
      break;
    HiNMSelection next;
    next.rowPerm = placeInBlocks(sel.rowPerm, bin, B, V);
    next.vectorIndex.resize(B * K);
    next.nmMask.assign(P * K, 0);
    std::vector<double> blockKept(B);
    PruneOptions o = opts;
    o.seed = taskSeed(opts.seed, 7, uint64_t(round));
    runner.forEach(B, [&](int64_t b) {
      const int32_t *blockRows = &next.rowPerm[b * V];
      std::vector<int32_t> start(&sel.vectorIndex[b * K],
                                 &sel.vectorIndex[(b + 1) * K]);
      std::vector<int32_t> order =
          runIVP(pb, blockRows, start, o, b, evalBudget, opts.refineVectors);
      blockKept[b] = storeBlock(pb, next, b, order);
    });
    double total = 0;
    for (double s : blockKept)
      total += s;
    if (!(total > kept))
      break;
    kept = total;
    sel = std::move(next);
  }
  return kept;
}
