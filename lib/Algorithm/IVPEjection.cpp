//===- IVPEjection.cpp - Ejection-assignment rounds of IVP ----------------===//
//
// Part of the hinm project. A large-neighbourhood step of IVP, beyond the
// paper (docs/permutation.md): every stripe of a group gives up one column,
// and an exact linear assignment gives each stripe's other m-1 columns one
// column back, chosen among the given-up columns and pruned ones.
//
// Why it works where pair steps stall: the N:M cost of a stripe is not a sum
// over its columns, but with m-1 columns fixed the value of a stripe is an
// exact function of the one column added. So the assignment prices every
// (stripe, column) pair exactly and its optimum is the best of all G!
// re-pairings of the group (times the choices of pruned columns) at once:
// cyclic exchanges through many stripes and kept/pruned exchanges together,
// which no sequence of improving pair steps has to reach. The current order
// is one of the assignments, so a round never loses.
//
//===----------------------------------------------------------------------===//
#include "PruneDetail.h"

#include "hinm/Algorithm/Assignment.h"

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace hinm;
using namespace hinm::detail;

/// Stripes per round: all of them up to this many, else a random group of
/// this size (the assignment is O(G^2 (G + candidates))).
static constexpr int64_t kEjectGroup = 96;
/// Pruned columns offered per round, per stripe of the group.
static constexpr int64_t kEjectOutsidePerStripe = 4;

void hinm::detail::ejectionRounds(const float *data, int64_t V, int64_t n,
                                  int64_t m, std::vector<int32_t> &order,
                                  std::vector<int32_t> &outside,
                                  std::vector<float> &val, bool useOutside,
                                  int64_t patience, int64_t evalBudget,
                                  std::mt19937_64 &rng) {
  const int64_t S = int64_t(val.size());
  const int64_t O = useOutside ? int64_t(outside.size()) : 0;
  if (patience <= 0 || S < 1 || (S < 2 && O == 0))
    return;
  const int64_t G = std::min(S, kEjectGroup);
  const int64_t Og = std::min(O, kEjectOutsidePerStripe * G);
  const int64_t width = G + Og;
  auto col = [&](int32_t c) { return data + int64_t(c) * V; };

  std::vector<int64_t> stripeIds(S), outIds(O), group(G), eject(G), outPick(Og);
  std::iota(stripeIds.begin(), stripeIds.end(), 0);
  std::iota(outIds.begin(), outIds.end(), 0);
  std::vector<int32_t> cand(width);
  std::vector<double> cost(G * width);
  std::vector<float> kept(G * width), t2(V), savedVal(G);
  std::vector<char> taken(width);
  const float *ptr[64];
  int64_t evals = 0, fails = 0;
  while (fails < patience && evals < evalBudget) {
    // The group: every stripe, or a random subset; each ejects one random
    // member. Then the offered pruned columns, a random subset.
    for (int64_t i = 0; i < G; ++i) {
      if (G < S)
        std::swap(stripeIds[i],
                  stripeIds[i + int64_t(rng() % uint64_t(S - i))]);
      group[i] = stripeIds[i];
      eject[i] = int64_t(rng() % uint64_t(m));
      cand[i] = order[group[i] * m + eject[i]];
    }
    for (int64_t i = 0; i < Og; ++i) {
      if (Og < O)
        std::swap(outIds[i], outIds[i + int64_t(rng() % uint64_t(O - i))]);
      outPick[i] = outIds[i];
      cand[G + i] = outside[outPick[i]];
    }
    // Price every (stripe remainder, candidate) pair exactly.
    double current = 0;
    for (int64_t i = 0; i < G; ++i) {
      current += val[group[i]];
      int64_t e = eject[i];
      for (int64_t j = 0; j < m; ++j)
        ptr[j] = col(order[group[i] * m + j]);
      if (n == 2 && m == 4) {
        // With the remainder's largest t1 and second t2 in a row, adding x
        // keeps t1 + t2 + max(0, x - t2): 2 operations a row.
        const float *r[3];
        for (int64_t j = 0, k = 0; j < 4; ++j)
          if (j != e)
            r[k++] = ptr[j];
        float base = 0;
        for (int64_t v = 0; v < V; ++v) {
          float a = r[0][v], b = r[1][v], c = r[2][v];
          float hi = std::max(a, b), lo = std::min(a, b);
          t2[v] = std::max(lo, std::min(hi, c));
          base += std::max(hi, c) + t2[v];
        }
        for (int64_t c = 0; c < width; ++c)
          kept[i * width + c] = base + addedKept24(col(cand[c]), t2.data(), V);
      } else {
        for (int64_t c = 0; c < width; ++c) {
          ptr[e] = col(cand[c]);
          kept[i * width + c] = stripeKept(ptr, V, n, m);
        }
      }
      for (int64_t c = 0; c < width; ++c)
        cost[i * width + c] = -double(kept[i * width + c]);
    }
    // The pricing costs G * width stripe evaluations; the assignment, about
    // G * G * width steps, is charged as that many row visits (a stripe
    // evaluation visits V rows), so the budget follows the real work also
    // in large blocks, where the assignment dominates.
    evals += G * (width - 1) + G * G * width / V;
    std::vector<int64_t> a = solveRectAssignment(cost, G, width);
    double proposed = 0;
    for (int64_t i = 0; i < G; ++i)
      proposed += kept[i * width + a[i]];
    if (!(proposed > current + 1e-6 * std::abs(current) + 1e-30)) {
      ++fails;
      continue;
    }
    // Apply: each stripe takes its assigned column, priced again with the
    // stripe evaluation every other step uses (the sums above round
    // differently); a round that does not gain by that price is undone.
    double exact = 0;
    for (int64_t i = 0; i < G; ++i) {
      savedVal[i] = val[group[i]];
      order[group[i] * m + eject[i]] = cand[a[i]];
      for (int64_t j = 0; j < m; ++j)
        ptr[j] = col(order[group[i] * m + j]);
      val[group[i]] = stripeKept(ptr, V, n, m);
      exact += val[group[i]];
    }
    evals += G;
    if (!(exact > current)) {
      for (int64_t i = 0; i < G; ++i) {
        order[group[i] * m + eject[i]] = cand[i];
        val[group[i]] = savedVal[i];
      }
      ++fails;
      continue;
    }
    fails = 0;
    // The candidates nobody took go back to the offered pruned slots.
    std::fill(taken.begin(), taken.end(), 0);
    for (int64_t i = 0; i < G; ++i)
      taken[a[i]] = 1;
    int64_t slot = 0;
    for (int64_t c = 0; c < width; ++c)
      if (!taken[c])
        outside[outPick[slot++]] = cand[c];
  }
}
