//===- Format.cpp - HiNM storage format: shapes, packing, metadata --------===//
//
// Part of the hinm project. See include/hinm/Algorithm/Format.h.
//
//===----------------------------------------------------------------------===//
#include "hinm/Algorithm/Format.h"

#include <algorithm>
#include <cassert>
#include <cmath>

using namespace hinm;

static std::string str(int64_t v) { return std::to_string(v); }

std::string HiNMFormat::validate() const {
  if (vectorSize <= 0 || vectorSize % 16 != 0)
    return "vector size " + str(vectorSize) +
           " must be a positive multiple of 16 (the mma.sp tile height)";
  if (n <= 0 || m <= n)
    return "N:M pattern " + str(n) + ":" + str(m) + " must have 0 < N < M";
  if (m > 32)
    return "M = " + str(m) + " is larger than the supported 32";
  if (kept <= 0 || kept % m != 0)
    return "kept vector count " + str(kept) +
           " must be a positive multiple of M = " + str(m);
  return "";
}

std::string HiNMFormat::validateFor(int64_t rows, int64_t cols) const {
  std::string err = validate();
  if (!err.empty())
    return err;
  if (rows <= 0 || cols <= 0)
    return "matrix shape " + str(rows) + "x" + str(cols) + " must be non-empty";
  if (kept > cols)
    return "kept vector count " + str(kept) + " exceeds the column count " +
           str(cols);
  return "";
}

int64_t HiNMFormat::metaBitsPerIndex() const {
  int64_t bits = 1;
  while ((int64_t(1) << bits) < m)
    ++bits;
  return bits;
}

int64_t hinm::keptForVectorSparsity(int64_t cols, double vectorSparsity,
                                    int64_t m) {
  double share = 1.0 - vectorSparsity;
  int64_t kept = static_cast<int64_t>(std::floor(share * double(cols) + 1e-9));
  kept -= kept % m;
  if (kept < m && cols >= m)
    kept = m;
  return kept;
}

std::string hinm::verifyVectorIndex(const HiNMFormat &fmt, int64_t rows,
                                    int64_t cols, const int32_t *vectorIndex) {
  // Sorting each block's indices (not a cols-sized table) keeps the check
  // proportional to the index itself, whatever the logical column count.
  int64_t blocks = fmt.numBlocks(rows);
  std::vector<std::pair<int32_t, int64_t>> sorted(fmt.kept);
  for (int64_t b = 0; b < blocks; ++b) {
    for (int64_t c = 0; c < fmt.kept; ++c) {
      int64_t v = vectorIndex[b * fmt.kept + c];
      if (v < 0 || v >= cols)
        return "vector index " + str(v) + " at [" + str(b) + ", " + str(c) +
               "] is out of range [0, " + str(cols) + ")";
      sorted[c] = {static_cast<int32_t>(v), c};
    }
    std::sort(sorted.begin(), sorted.end());
    for (int64_t c = 1; c < fmt.kept; ++c)
      if (sorted[c].first == sorted[c - 1].first)
        return "vector index " + str(sorted[c].first) +
               " appears twice in block " + str(b);
  }
  return "";
}

std::string hinm::verifyRowPerm(const HiNMFormat &fmt, int64_t rows,
                                const int32_t *rowPerm) {
  int64_t pr = fmt.paddedRows(rows);
  std::vector<uint8_t> seen(pr, 0);
  for (int64_t p = 0; p < pr; ++p) {
    int64_t r = rowPerm[p];
    if (r < 0 || r >= pr)
      return "row permutation entry " + str(r) + " at " + str(p) +
             " is out of range [0, " + str(pr) + ")";
    if (seen[r])
      return "row permutation entry " + str(r) + " appears twice";
    seen[r] = 1;
  }
  return "";
}

int64_t hinm::metadataIndex(const HiNMFormat &fmt, const uint32_t *metadata,
                            int64_t p, int64_t j) {
  int64_t bits = fmt.metaBitsPerIndex(), ipw = fmt.metaIndicesPerWord();
  uint32_t word = metadata[p * fmt.metaWordsPerRow() + j / ipw];
  return (word >> ((j % ipw) * bits)) & ((uint32_t(1) << bits) - 1);
}

std::string hinm::verifyMetadata(const HiNMFormat &fmt, int64_t rows,
                                 const uint32_t *metadata) {
  int64_t pr = fmt.paddedRows(rows), cc = fmt.compressedCols();
  for (int64_t p = 0; p < pr; ++p) {
    for (int64_t j = 0; j < cc; ++j) {
      int64_t idx = metadataIndex(fmt, metadata, p, j);
      if (idx >= fmt.m)
        return "metadata index " + str(idx) + " of row " + str(p) +
               ", element " + str(j) + " is not below M = " + str(fmt.m);
      if (j % fmt.n != 0 && idx <= metadataIndex(fmt, metadata, p, j - 1))
        return "metadata indices of row " + str(p) + ", group " +
               str(j / fmt.n) + " are not strictly ascending";
    }
  }
  return "";
}

std::string hinm::verifySelection(const HiNMFormat &fmt, int64_t rows,
                                  int64_t cols, const HiNMSelection &sel) {
  std::string err = fmt.validateFor(rows, cols);
  if (!err.empty())
    return err;
  int64_t pr = fmt.paddedRows(rows), blocks = fmt.numBlocks(rows);
  if ((int64_t)sel.rowPerm.size() != pr)
    return "row permutation has " + str(sel.rowPerm.size()) +
           " entries, expected " + str(pr);
  if ((int64_t)sel.vectorIndex.size() != blocks * fmt.kept)
    return "vector index has " + str(sel.vectorIndex.size()) +
           " entries, expected " + str(blocks * fmt.kept);
  if ((int64_t)sel.nmMask.size() != pr * fmt.kept)
    return "N:M mask has " + str(sel.nmMask.size()) + " entries, expected " +
           str(pr * fmt.kept);
  if (!(err = verifyRowPerm(fmt, rows, sel.rowPerm.data())).empty())
    return err;
  if (!(err = verifyVectorIndex(fmt, rows, cols, sel.vectorIndex.data()))
           .empty())
    return err;
  return verifyNMMask(fmt, rows, sel.nmMask.data());
}

std::string hinm::verifyNMMask(const HiNMFormat &fmt, int64_t rows,
                               const uint8_t *nmMask) {
  for (int64_t p = 0; p < fmt.paddedRows(rows); ++p)
    for (int64_t g = 0; g < fmt.kept / fmt.m; ++g) {
      int64_t count = 0;
      for (int64_t i = 0; i < fmt.m; ++i)
        count += nmMask[p * fmt.kept + g * fmt.m + i] != 0;
      if (count != fmt.n)
        return "N:M mask keeps " + str(count) + " values in row " + str(p) +
               ", group " + str(g) + ", expected " + str(fmt.n);
    }
  return "";
}

HiNMStorage hinm::pack(const float *dense, int64_t rows, int64_t cols,
                       const HiNMFormat &fmt, const HiNMSelection &sel) {
  assert(verifySelection(fmt, rows, cols, sel).empty() && "invalid selection");
  HiNMStorage s;
  s.format = fmt;
  s.rows = rows;
  s.cols = cols;
  int64_t pr = fmt.paddedRows(rows), cc = fmt.compressedCols();
  int64_t bits = fmt.metaBitsPerIndex(), ipw = fmt.metaIndicesPerWord();
  int64_t words = fmt.metaWordsPerRow();
  s.values.assign(pr * cc, 0.0f);
  s.metadata.assign(pr * words, 0);
  s.vectorIndex = sel.vectorIndex;
  s.rowPerm = sel.rowPerm;
  for (int64_t p = 0; p < pr; ++p) {
    int64_t r = sel.rowPerm[p], b = p / fmt.vectorSize;
    const int32_t *vidx = &sel.vectorIndex[b * fmt.kept];
    int64_t j = 0;
    for (int64_t c = 0; c < fmt.kept; ++c) {
      if (!sel.nmMask[p * fmt.kept + c])
        continue;
      float v = r < rows ? dense[r * cols + vidx[c]] : 0.0f;
      s.values[p * cc + j] = v;
      uint32_t idx = static_cast<uint32_t>(c % fmt.m);
      s.metadata[p * words + j / ipw] |= idx << ((j % ipw) * bits);
      ++j;
    }
  }
  return s;
}

void hinm::unpack(const HiNMStorage &s, float *dense) {
  const HiNMFormat &fmt = s.format;
  std::fill(dense, dense + s.rows * s.cols, 0.0f);
  int64_t pr = fmt.paddedRows(s.rows), cc = fmt.compressedCols();
  for (int64_t p = 0; p < pr; ++p) {
    int64_t r = s.rowPerm[p];
    if (r >= s.rows)
      continue;
    const int32_t *vidx = &s.vectorIndex[(p / fmt.vectorSize) * fmt.kept];
    for (int64_t j = 0; j < cc; ++j) {
      int64_t c = (j / fmt.n) * fmt.m + metadataIndex(fmt, s.metadata.data(), p, j);
      dense[r * s.cols + vidx[c]] = s.values[p * cc + j];
    }
  }
}

void hinm::referenceMatmul(const HiNMStorage &w, const float *x, int64_t ncols,
                           float *y) {
  const HiNMFormat &fmt = w.format;
  std::fill(y, y + w.rows * ncols, 0.0f);
  int64_t pr = fmt.paddedRows(w.rows), cc = fmt.compressedCols();
  std::vector<double> acc(ncols);
  for (int64_t p = 0; p < pr; ++p) {
    int64_t r = w.rowPerm[p];
    if (r >= w.rows)
      continue;
    const int32_t *vidx = &w.vectorIndex[(p / fmt.vectorSize) * fmt.kept];
    std::fill(acc.begin(), acc.end(), 0.0);
    for (int64_t j = 0; j < cc; ++j) {
      int64_t c = (j / fmt.n) * fmt.m + metadataIndex(fmt, w.metadata.data(), p, j);
      double v = w.values[p * cc + j];
      const float *xr = x + int64_t(vidx[c]) * ncols;
      for (int64_t k = 0; k < ncols; ++k)
        acc[k] += v * xr[k];
    }
    for (int64_t k = 0; k < ncols; ++k)
      y[r * ncols + k] = static_cast<float>(acc[k]);
  }
}
