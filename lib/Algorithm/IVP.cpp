//===- IVP.cpp - Input vector permutation of one block --------------------===//
//
// Part of the hinm project. IVP: the exact pair step, iterated local search
// (kicks), N:M-aware vector exchanges and simulated annealing, every move
// priced with the exact N:M cost (docs/permutation.md).
//
//===----------------------------------------------------------------------===//
#include "PruneDetail.h"
#include "SimdClones.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

using namespace hinm;
using namespace hinm::detail;

//===----------------------------------------------------------------------===//
// IVP: input vector permutation, per block.
//===----------------------------------------------------------------------===//

// The innermost loops of IVP (2:4 stripe values, ejection pricing) have an
// AVX2 and a baseline build (SimdClones.h) with bit-identical results. The
// clones stay local to this file: callers elsewhere call the plain
// functions below.
HINM_SIMD_CLONES static float stripe24Loop(const float *const *c, int64_t V) {
  // Lanes of 8 rows so the compiler can vectorize without reassociation.
  float lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (int64_t v0 = 0; v0 < V; v0 += 8)
    for (int64_t l = 0; l < 8; ++l) {
      int64_t v = v0 + l;
      float a = c[0][v], b = c[1][v], x = c[2][v], d = c[3][v];
      float hi1 = std::max(a, b), lo1 = std::min(a, b);
      float hi2 = std::max(x, d), lo2 = std::min(x, d);
      float top = std::max(hi1, hi2);
      float sec = std::max(std::min(hi1, hi2), std::max(lo1, lo2));
      lane[l] += top + sec;
    }
  return ((lane[0] + lane[1]) + (lane[2] + lane[3])) +
         ((lane[4] + lane[5]) + (lane[6] + lane[7]));
}

HINM_SIMD_CLONES static float added24Loop(const float *x, const float *t2,
                                          int64_t V) {
  float lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (int64_t v0 = 0; v0 < V; v0 += 8)
    for (int64_t l = 0; l < 8; ++l) {
      int64_t v = v0 + l;
      lane[l] += std::max(0.0f, x[v] - t2[v]);
    }
  return ((lane[0] + lane[1]) + (lane[2] + lane[3])) +
         ((lane[4] + lane[5]) + (lane[6] + lane[7]));
}

float hinm::detail::addedKept24(const float *x, const float *t2, int64_t V) {
  return added24Loop(x, t2, V);
}

float hinm::detail::stripeKept(const float *const *c, int64_t V, int64_t n,
                               int64_t m) {
  if (n == 2 && m == 4)
    return stripe24Loop(c, V);
  // General N:M: keep the n largest in a small descending array.
  float s = 0, top[32];
  for (int64_t v = 0; v < V; ++v) {
    int64_t filled = 0;
    for (int64_t j = 0; j < m; ++j) {
      float x = c[j][v];
      if (filled == n && x <= top[n - 1])
        continue;
      int64_t k = filled < n ? filled++ : n - 1;
      while (k > 0 && top[k - 1] < x) {
        top[k] = top[k - 1];
        --k;
      }
      top[k] = x;
    }
    for (int64_t j = 0; j < n; ++j)
      s += top[j];
  }
  return s;
}

/// Candidate splits of the 2m columns of two stripes into two stripes, as
/// bit masks of the first stripe's members. m <= 4: every split (35 for
/// m = 4, so a pair step is exact); larger m: the m*m single swaps.
static std::vector<uint32_t> pairSplits(int64_t m) {
  std::vector<uint32_t> out;
  uint32_t identity = (1u << m) - 1;
  if (m <= 4) {
    for (uint32_t mask = 1; mask < (1u << (2 * m)); ++mask)
      if ((mask & 1) && __builtin_popcount(mask) == m && mask != identity)
        out.push_back(mask);
  } else {
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = m; j < 2 * m; ++j)
        out.push_back((identity & ~(1u << i)) | (1u << j));
  }
  return out;
}

/// Annealing schedule of IVP (docs/permutation.md): moves per kept column
/// when automatic (times the effort), start temperature as a share of the
/// mean worsening move, and end temperature as a share of the start. The
/// move count was 10000 before the ejection rounds; with them, 2500 keeps
/// as much on the shared weights for less time (docs/benchmarks.md).
static constexpr int64_t kAnnealMovesPerColumn = 2500;
static constexpr double kAnnealStartFactor = 0.03;
static constexpr double kAnnealEndRatio = 1e-3;
/// Ejection-assignment rounds without gain before the step stops, when
/// automatic (times the effort).
static constexpr double kEjectPatience = 30;

/// The start factor for an effort: a longer anneal gains from a hotter
/// start (measured on esrgan at V=64: 0.1 beats 0.03 from 4x the moves on,
/// while at 1x the two tie), so it grows with sqrt(effort) up to 0.1.
static double annealStartFactor(double effort) {
  return std::min(0.1, kAnnealStartFactor * std::sqrt(std::max(1.0, effort)));
}

/// Reorders one block's kept vectors (IVP) and, with `refine`, exchanges
/// kept vectors for pruned ones. Local search, every move priced exactly
/// (importance the final N:M keeps):
///  - pair step: for two stripes, the best of the candidate splits of their
///    2m columns (every split for m <= 4) replaces them if it keeps more;
///  - refine step (beyond the paper): a pruned column replaces one member of
///    a stripe when the stripe then keeps more (vector selection that sees
///    the N:M level, not only summed importance).
/// Small blocks try every stripe pair until none improves; large ones try
/// random partners. Then kicks, simulated annealing and ejection-assignment
/// rounds escape that local optimum. All work is capped by `evalBudget`
/// stripe evaluations, the ejection rounds by as many again (counts, not
/// times: the result does not depend on the machine).
std::vector<int32_t> hinm::detail::runIVP(const Problem &pb,
                                          const int32_t *blockRows,
                                          const std::vector<int32_t> &vidx,
                                          const PruneOptions &opts,
                                          int64_t blockId, int64_t evalBudget,
                                          bool refine) {
  const int64_t K = pb.kept, V = pb.V, n = pb.n, m = pb.m, S = K / m;
  const int64_t C = pb.cols;
  // Column-major copy of the block: column c's V rows are contiguous.
  std::vector<float> data(C * V);
  for (int64_t v = 0; v < V; ++v) {
    const float *r = pb.row(blockRows[v]);
    for (int64_t c = 0; c < C; ++c)
      data[c * V + v] = r[c];
  }
  auto col = [&](int32_t c) { return &data[int64_t(c) * V]; };
  std::vector<int32_t> order(vidx), outside;
  {
    std::vector<char> in(C, 0);
    for (int32_t c : vidx)
      in[c] = 1;
    for (int64_t c = 0; c < C; ++c)
      if (!in[c])
        outside.push_back(int32_t(c));
  }
  if (outside.empty())
    refine = false;
  if (S < 2 && !refine)
    return order;
  std::vector<float> val(S);
  const float *ptr[64];
  for (int64_t s = 0; s < S; ++s) {
    for (int64_t j = 0; j < m; ++j)
      ptr[j] = col(order[s * m + j]);
    val[s] = stripeKept(ptr, V, n, m);
  }
  const std::vector<uint32_t> splits = pairSplits(m);
  int64_t evals = 0;
  auto better = [](float cand, float cur) {
    return cand > cur + 1e-6f * std::abs(cur) + 1e-30f;
  };

  // One pair step; true when it improved.
  auto pairStep = [&](int64_t s, int64_t t) {
    int32_t u[64];
    for (int64_t j = 0; j < m; ++j) {
      u[j] = order[s * m + j];
      u[m + j] = order[t * m + j];
    }
    float cur = val[s] + val[t];
    float best = cur;
    uint32_t bestMask = 0;
    float bestA = 0, bestB = 0;
    const float *pa[32], *pbp[32];
    for (uint32_t mask : splits) {
      int64_t ia = 0, ib = 0;
      for (int64_t k = 0; k < 2 * m; ++k)
        (mask >> k & 1 ? pa[ia++] : pbp[ib++]) = col(u[k]);
      float a = stripeKept(pa, V, n, m), b = stripeKept(pbp, V, n, m);
      evals += 2;
      if (a + b > best) {
        best = a + b;
        bestMask = mask;
        bestA = a;
        bestB = b;
      }
    }
    if (!bestMask || !better(best, cur))
      return false;
    int64_t ia = 0, ib = 0;
    for (int64_t k = 0; k < 2 * m; ++k) {
      if (bestMask >> k & 1)
        order[s * m + ia++] = u[k];
      else
        order[t * m + ib++] = u[k];
    }
    val[s] = bestA;
    val[t] = bestB;
    return true;
  };

  // One refine step on stripe s over outside candidates [0, count) of
  // `cand`; true when it improved.
  auto refineStep = [&](int64_t s, const int32_t *cand, int64_t count) {
    float best = val[s];
    int64_t bestJ = -1, bestO = -1;
    for (int64_t j = 0; j < m; ++j)
      ptr[j] = col(order[s * m + j]);
    for (int64_t j = 0; j < m; ++j) {
      const float *saved = ptr[j];
      for (int64_t o = 0; o < count; ++o) {
        ptr[j] = col(outside[cand[o]]);
        float x = stripeKept(ptr, V, n, m);
        ++evals;
        if (x > best) {
          best = x;
          bestJ = j;
          bestO = cand[o];
        }
      }
      ptr[j] = saved;
    }
    if (bestJ < 0 || !better(best, val[s]))
      return false;
    std::swap(order[s * m + bestJ], outside[bestO]);
    val[s] = best;
    return true;
  };

  const int64_t numPairs = S * (S - 1) / 2;
  const int64_t pairCost = 2 * int64_t(splits.size());
  // Every pair in a sweep when a sweep costs at most a quarter of the budget.
  const bool allPairs = numPairs * pairCost <= evalBudget / 4;
  // Refine candidates per stripe: a refine sweep costs K * refineCand.
  const int64_t O = int64_t(outside.size());
  const int64_t refineCand = std::min<int64_t>(
      O, std::max<int64_t>(1, evalBudget / 16 / (K + 1)));
  int64_t sweeps = opts.ivpSweeps;
  if (sweeps == 0)
    sweeps = allPairs ? 100 : 8;
  std::vector<char> changed(S, 1), next(S, 0);
  std::vector<int32_t> cand(O);
  for (int64_t sweep = 0; sweep < sweeps; ++sweep) {
    bool improved = false;
    std::fill(next.begin(), next.end(), 0);
    std::mt19937_64 rng(
        taskSeed(opts.seed, 2, uint64_t(blockId) << 20 | uint64_t(sweep)));
    if (refine) {
      std::iota(cand.begin(), cand.end(), 0);
      for (int64_t s = 0; s < S; ++s) {
        if (refineCand < O) // a fresh random subset per stripe
          for (int64_t i = 0; i < refineCand; ++i)
            std::swap(cand[i], cand[i + int64_t(rng() % uint64_t(O - i))]);
        if (refineStep(s, cand.data(), refineCand)) {
          next[s] = 1;
          improved = true;
        }
      }
    }
    if (S >= 2 && allPairs) {
      for (int64_t s = 0; s < S; ++s)
        for (int64_t t = s + 1; t < S; ++t) {
          if (!(changed[s] || changed[t] || next[s] || next[t]))
            continue;
          if (pairStep(s, t)) {
            next[s] = next[t] = 1;
            improved = true;
          }
        }
    } else if (S >= 2) {
      int64_t partners =
          std::max<int64_t>(1, evalBudget / 16 / (S * pairCost));
      for (int64_t s = 0; s < S; ++s)
        for (int64_t r = 0; r < partners; ++r) {
          int64_t t = int64_t(rng() % uint64_t(S - 1));
          if (t >= s)
            ++t;
          improved |= pairStep(s, t);
        }
    }
    if (!improved || evals > evalBudget)
      break;
    std::swap(changed, next);
  }
  if (S >= 3 && allPairs) {
    // Iterated local search (beyond the paper): kick = shuffle the columns of
    // `q` random stripes, re-converge with pair steps on the touched stripes,
    // keep the result only if the block keeps more. Escapes the pair-step
    // local optimum; the number of kicks follows a work budget.
    auto total = [&] {
      double t = 0;
      for (float x : val)
        t += x;
      return t;
    };
    int64_t kicks = opts.ivpKicks;
    if (kicks < 0)
      kicks = 0;
    else if (kicks == 0)
      kicks = std::min<int64_t>(2000, 10 * S);
    const int64_t q = std::min<int64_t>(3, S);
    const int64_t kickPartners = std::min<int64_t>(8, S - 1);
    std::mt19937_64 krng(taskSeed(opts.seed, 3, uint64_t(blockId)));
    double cur = total();
    std::vector<int32_t> savedOrder;
    std::vector<float> savedVal;
    int32_t pool[3 * 64];
    for (int64_t kick = 0; kick < kicks && evals < evalBudget; ++kick) {
      savedOrder = order;
      savedVal = val;
      std::fill(changed.begin(), changed.end(), 0);
      int64_t picked[3];
      for (int64_t i = 0; i < q; ++i) {
        int64_t x;
        do
          x = int64_t(krng() % uint64_t(S));
        while (std::find(picked, picked + i, x) != picked + i);
        picked[i] = x;
        changed[x] = 1;
        for (int64_t j = 0; j < m; ++j)
          pool[i * m + j] = order[x * m + j];
      }
      for (int64_t i = q * m - 1; i > 0; --i)
        std::swap(pool[i], pool[int64_t(krng() % uint64_t(i + 1))]);
      for (int64_t i = 0; i < q; ++i) {
        for (int64_t j = 0; j < m; ++j) {
          order[picked[i] * m + j] = pool[i * m + j];
          ptr[j] = col(pool[i * m + j]);
        }
        val[picked[i]] = stripeKept(ptr, V, n, m);
      }
      // Re-converge locally: the kicked stripes against each other and
      // against a few random partners, while that improves.
      for (int64_t round = 0; round < 4; ++round) {
        bool improved = false;
        for (int64_t i = 0; i < q; ++i)
          for (int64_t j = i + 1; j < q; ++j)
            improved |= pairStep(picked[i], picked[j]);
        for (int64_t i = 0; i < q; ++i)
          for (int64_t r = 0; r < kickPartners; ++r) {
            int64_t t = int64_t(krng() % uint64_t(S - 1));
            if (t >= picked[i])
              ++t;
            improved |= pairStep(picked[i], t);
          }
        if (!improved)
          break;
      }
      double after = total();
      if (after > cur + 1e-7 * std::abs(cur)) {
        cur = after;
      } else {
        order.swap(savedOrder);
        val.swap(savedVal);
      }
    }
  }
  // Pair steps over all stripe pairs until none improves (blocks where the
  // all-pairs sweep fits the budget).
  auto polish = [&] {
    if (S < 2 || !allPairs)
      return;
    std::fill(changed.begin(), changed.end(), 1);
    for (int64_t sweep = 0; sweep < 100; ++sweep) {
      bool improved = false;
      std::fill(next.begin(), next.end(), 0);
      for (int64_t s = 0; s < S; ++s)
        for (int64_t t = s + 1; t < S; ++t)
          if ((changed[s] || changed[t]) && pairStep(s, t)) {
            next[s] = next[t] = 1;
            improved = true;
          }
      if (!improved)
        break;
      std::swap(changed, next);
    }
  };
  // Simulated annealing (beyond the paper): random moves priced exactly; a
  // worse state is accepted with probability exp(delta / T), T cools
  // geometrically over a fixed move count. Moves: swap two columns of two
  // stripes (2 stripe evaluations) and, with `refine`, swap a kept column
  // with a pruned one (1 evaluation: joint vector selection and IVP). The
  // best state seen wins. Counts only, per-block RNG: deterministic.
  int64_t moves = opts.ivpAnneal;
  if (moves == 0)
    moves = int64_t(double(kAnnealMovesPerColumn * K) * opts.effort);
  if (moves > 0)
    moves = std::min<int64_t>(
        moves, std::max<int64_t>(0, evalBudget - evals) / 2);
  if (moves > 0 && (S >= 2 || refine)) {
    std::mt19937_64 arng(taskSeed(opts.seed, 6, uint64_t(blockId)));
    const float *pa[32], *pbp[32];
    int kind = 0;
    int64_t ms = 0, mt = 0, mi = 0, mj = 0;
    float newA = 0, newB = 0;
    // Draws one move, prices it, and returns the change of the block's kept
    // importance; `apply` then performs it.
    auto propose = [&]() -> double {
      if (refine && (S < 2 || (arng() & 3) == 0)) {
        kind = 1;
        ms = int64_t(arng() % uint64_t(S));
        mi = int64_t(arng() % uint64_t(m));
        mj = int64_t(arng() % uint64_t(O));
        for (int64_t j = 0; j < m; ++j)
          pa[j] = col(order[ms * m + j]);
        pa[mi] = col(outside[mj]);
        newA = stripeKept(pa, V, n, m);
        evals += 1;
        return double(newA) - double(val[ms]);
      }
      kind = 0;
      ms = int64_t(arng() % uint64_t(S));
      mt = int64_t(arng() % uint64_t(S - 1));
      if (mt >= ms)
        ++mt;
      mi = int64_t(arng() % uint64_t(m));
      mj = int64_t(arng() % uint64_t(m));
      for (int64_t j = 0; j < m; ++j) {
        pa[j] = col(order[ms * m + j]);
        pbp[j] = col(order[mt * m + j]);
      }
      std::swap(pa[mi], pbp[mj]);
      newA = stripeKept(pa, V, n, m);
      newB = stripeKept(pbp, V, n, m);
      evals += 2;
      return double(newA) + double(newB) - double(val[ms]) - double(val[mt]);
    };
    auto apply = [&] {
      if (kind == 1) {
        std::swap(order[ms * m + mi], outside[mj]);
        val[ms] = newA;
      } else {
        std::swap(order[ms * m + mi], order[mt * m + mj]);
        val[ms] = newA;
        val[mt] = newB;
      }
    };
    // Starting temperature: a fraction of the mean worsening move.
    double worse = 0;
    int64_t nWorse = 0;
    for (int64_t k = 0; k < 64; ++k) {
      double d = propose();
      if (d < 0) {
        worse -= d;
        ++nWorse;
      }
    }
    if (nWorse > 0) {
      double t0 = annealStartFactor(opts.effort) * worse / double(nWorse);
      double cool = std::pow(kAnnealEndRatio, 1.0 / double(moves));
      double temp = t0, tot = 0;
      for (float x : val)
        tot += x;
      double best = tot;
      bool atBest = true;
      std::vector<int32_t> bestOrder, bestOutside;
      for (int64_t it = 0; it < moves; ++it, temp *= cool) {
        double d = propose();
        if (d < 0 && !(d > -30 * temp &&
                       double(arng() >> 11) * 0x1.0p-53 < std::exp(d / temp)))
          continue;
        if (d < 0 && atBest) {
          bestOrder = order;
          bestOutside = outside;
          atBest = false;
        }
        apply();
        tot += d;
        if (tot > best) {
          best = tot;
          atBest = true;
        }
      }
      if (!atBest) {
        order.swap(bestOrder);
        outside.swap(bestOutside);
      }
      // Exact values again (tot accumulated rounded deltas), then polish.
      for (int64_t s = 0; s < S; ++s) {
        for (int64_t j = 0; j < m; ++j)
          ptr[j] = col(order[s * m + j]);
        val[s] = stripeKept(ptr, V, n, m);
      }
      polish();
    }
  }
  // Ejection-assignment rounds (beyond the paper; IVPEjection.cpp), then
  // pair steps again where they fit. They have an evaluation budget of their
  // own, the block's budget again: measured on the shared weights, they gain
  // more per evaluation than more annealing moves (docs/permutation.md).
  int64_t patience = opts.ivpEject;
  if (patience == 0)
    patience = std::max<int64_t>(
        1, int64_t(std::lround(kEjectPatience * opts.effort)));
  if (patience > 0) {
    std::mt19937_64 erng(taskSeed(opts.seed, 10, uint64_t(blockId)));
    ejectionRounds(data.data(), V, n, m, order, outside, val, refine, patience,
                   evalBudget, erng);
    polish();
  }
  // The LP dive (opt-in, beyond the paper; IVPLPDive.cpp): a partition from
  // the block's LP relaxation, where the local searches above are stuck.
  // IVP runs one block per worker; the workers a layer of fewer blocks
  // leaves idle (an esrgan layer at V=64 is one block) run the dive's
  // pricing, which gives the same result on any thread count.
  if (opts.ivpLP && n == 2 && m == 4) {
    std::mt19937_64 lrng(taskSeed(opts.seed, 11, uint64_t(blockId)));
    unsigned diveThreads = unsigned(
        std::max<int64_t>(1, int64_t(runnerThreads(opts.threads)) / pb.B));
    if (lpDiveOrder(data.data(), V, order, val, opts.effort, lrng, diveThreads))
      polish();
  }
  return order;
}
