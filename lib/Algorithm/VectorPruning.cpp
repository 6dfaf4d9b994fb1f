//===- VectorPruning.cpp - Vector and N:M pruning of one block ------------===//
//
// Part of the hinm project. The two pruning steps every method ends with
// (docs/permutation.md, "The pruning steps"), and the N:M-aware vector
// refinement that IVP starts from.
//
//===----------------------------------------------------------------------===//
#include "PruneDetail.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

using namespace hinm;
using namespace hinm::detail;

/// Sum of the k largest of x[0, len); x is reordered.
double hinm::detail::topSum(float *x, int64_t len, int64_t k) {
  if (k < len)
    std::nth_element(x, x + k, x + len, std::greater<float>());
  double s = 0;
  for (int64_t i = 0, e = std::min(k, len); i < e; ++i)
    s += x[i];
  return s;
}

/// Column sums of the V rows stored in a block.
void hinm::detail::blockColSums(const Problem &pb, const int32_t *blockRows,
                                double *out) {
  std::fill(out, out + pb.cols, 0.0);
  for (int64_t v = 0; v < pb.V; ++v) {
    const float *r = pb.row(blockRows[v]);
    for (int64_t c = 0; c < pb.cols; ++c)
      out[c] += r[c];
  }
}

/// Vector pruning of one block: the `kept` columns of largest summed
/// importance (ties: lower column), ascending.
std::vector<int32_t> hinm::detail::selectVectors(const Problem &pb,
                                   const int32_t *blockRows) {
  std::vector<double> sums(pb.cols);
  blockColSums(pb, blockRows, sums.data());
  std::vector<int32_t> idx(pb.cols);
  std::iota(idx.begin(), idx.end(), 0);
  auto better = [&](int32_t a, int32_t b) {
    return sums[a] > sums[b] || (sums[a] == sums[b] && a < b);
  };
  std::nth_element(idx.begin(), idx.begin() + pb.kept, idx.end(), better);
  idx.resize(pb.kept);
  std::sort(idx.begin(), idx.end());
  return idx;
}

/// Improves a block's vector selection for the N:M level (beyond the paper):
/// maximizes sum over rows of the top h = kept/m*n kept values (what N:M
/// could keep with a perfect IVP) by exchanging a kept column a for a pruned
/// column b. With t_r / u_r the h-th / (h+1)-th largest kept value of row r,
/// the exchange changes row r by max(I_rb, u_r) - I_ra when a is in the row's
/// top h, else by max(I_rb, t_r) - t_r: exact, O(V) per candidate.
/// First improvement per kept column, sweeps until none improves.
std::vector<int32_t> hinm::detail::refineSelection(const Problem &pb,
                                     const int32_t *blockRows,
                                     std::vector<int32_t> vidx,
                                     int64_t maxSweeps) {
  const int64_t V = pb.V, C = pb.cols, K = pb.kept;
  const int64_t h = K / pb.m * pb.n;
  if (K >= C || h >= K)
    return vidx;
  std::vector<float> data(C * V);
  for (int64_t v = 0; v < V; ++v) {
    const float *r = pb.row(blockRows[v]);
    for (int64_t c = 0; c < C; ++c)
      data[c * V + v] = r[c];
  }
  std::vector<char> in(C, 0);
  for (int32_t c : vidx)
    in[c] = 1;
  std::vector<int32_t> outside;
  for (int64_t c = 0; c < C; ++c)
    if (!in[c])
      outside.push_back(int32_t(c));
  std::vector<float> t(V), u(V), tmp(K), lim(V);
  // Per-row h-th and (h+1)-th largest kept value.
  auto rowStats = [&](int64_t v) {
    for (int64_t k = 0; k < K; ++k)
      tmp[k] = data[int64_t(vidx[k]) * V + v];
    std::nth_element(tmp.begin(), tmp.begin() + h, tmp.end(),
                     std::greater<float>());
    u[v] = tmp[h];
    t[v] = *std::min_element(tmp.begin(), tmp.begin() + h);
  };
  for (int64_t v = 0; v < V; ++v)
    rowStats(v);
  for (int64_t sweep = 0; sweep < maxSweeps; ++sweep) {
    bool improved = false;
    for (int64_t k = 0; k < K; ++k) {
      const float *ca = &data[int64_t(vidx[k]) * V];
      // a counts as in the row's top h when above t, or tied with t while
      // t > u (then every value equal to t is in the top h).
      double base = 0;
      for (int64_t v = 0; v < V; ++v) {
        bool inTop = ca[v] > t[v] || (ca[v] == t[v] && t[v] > u[v]);
        lim[v] = inTop ? u[v] : t[v];
        base += inTop ? ca[v] : t[v];
      }
      double best = base + 1e-6 * std::abs(base) + 1e-12;
      int64_t bestO = -1;
      for (int64_t o = 0; o < int64_t(outside.size()); ++o) {
        const float *cb = &data[int64_t(outside[o]) * V];
        float lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        for (int64_t v0 = 0; v0 < V; v0 += 8)
          for (int64_t l = 0; l < 8; ++l)
            lane[l] += std::max(cb[v0 + l], lim[v0 + l]);
        double g = ((lane[0] + lane[1]) + (lane[2] + lane[3])) +
                   ((lane[4] + lane[5]) + (lane[6] + lane[7]));
        if (g > best) {
          best = g;
          bestO = o;
        }
      }
      if (bestO < 0)
        continue;
      std::swap(vidx[k], outside[bestO]);
      for (int64_t v = 0; v < V; ++v)
        rowStats(v);
      improved = true;
    }
    if (!improved)
      break;
  }
  std::sort(vidx.begin(), vidx.end());
  return vidx;
}

/// N:M pruning of one stored row over the block's kept columns in `order`:
/// per group of m keep the n of largest importance (ties: earlier position).
/// Writes the mask; returns the kept importance.
double hinm::detail::selectNM(const float *rowImp, const int32_t *order,
                              int64_t kept, int64_t n, int64_t m,
                              uint8_t *mask) {
  double s = 0;
  int32_t pos[32];
  for (int64_t g = 0; g < kept; g += m) {
    for (int64_t j = 0; j < m; ++j)
      pos[j] = int32_t(j);
    std::partial_sort(pos, pos + n, pos + m, [&](int32_t a, int32_t b) {
      float va = rowImp[order[g + a]], vb = rowImp[order[g + b]];
      return va > vb || (va == vb && a < b);
    });
    for (int64_t j = 0; j < m; ++j)
      mask[g + j] = 0;
    for (int64_t j = 0; j < n; ++j) {
      mask[g + pos[j]] = 1;
      s += rowImp[order[g + pos[j]]];
    }
  }
  return s;
}

double hinm::detail::storeBlock(const Problem &pb, HiNMSelection &sel,
                                int64_t b, const std::vector<int32_t> &order) {
  std::copy(order.begin(), order.end(), &sel.vectorIndex[b * pb.kept]);
  double s = 0;
  for (int64_t v = 0; v < pb.V; ++v)
    s += selectNM(pb.row(sel.rowPerm[b * pb.V + v]), order.data(), pb.kept,
                  pb.n, pb.m, &sel.nmMask[(b * pb.V + v) * pb.kept]);
  return s;
}
