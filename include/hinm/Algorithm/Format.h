//===- Format.h - HiNM storage format: shapes, packing, metadata -*- C++ -*-===//
//
// Part of the hinm project. MLIR-free: the dialect, the passes, the tools and
// the Python package all share this one definition of the storage format.
// docs/format.md describes the format in prose, with a worked example.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_ALGORITHM_FORMAT_H
#define HINM_ALGORITHM_FORMAT_H

#include <cstdint>
#include <string>
#include <vector>

namespace hinm {

/// The parameters of a HiNM format. Rows are cut into blocks of `vectorSize`
/// rows; every block keeps `kept` columns ("vectors"); inside the compacted
/// block every run of `m` consecutive kept columns keeps `n` values per row.
struct HiNMFormat {
  int64_t vectorSize = 32;
  int64_t kept = 0;
  int64_t n = 2;
  int64_t m = 4;

  /// Error text for parameters that are unusable on their own ("" if fine).
  std::string validate() const;
  /// Error text for parameters that do not fit a [rows, cols] matrix.
  std::string validateFor(int64_t rows, int64_t cols) const;

  int64_t numBlocks(int64_t rows) const {
    return (rows + vectorSize - 1) / vectorSize;
  }
  int64_t paddedRows(int64_t rows) const { return numBlocks(rows) * vectorSize; }
  /// Stored values per row: kept / m * n.
  int64_t compressedCols() const { return kept / m * n; }
  /// Bits of one N:M index (position inside a group of m): ceil(log2 m), >= 1.
  int64_t metaBitsPerIndex() const;
  /// Indices packed into one 32-bit metadata word (16 for 2:4, as mma.sp).
  int64_t metaIndicesPerWord() const { return 32 / metaBitsPerIndex(); }
  /// 32-bit metadata words per stored row.
  int64_t metaWordsPerRow() const {
    int64_t ipw = metaIndicesPerWord();
    return (compressedCols() + ipw - 1) / ipw;
  }

  bool operator==(const HiNMFormat &o) const {
    return vectorSize == o.vectorSize && kept == o.kept && n == o.n && m == o.m;
  }
};

/// Kept vector count for a vector sparsity share: the kept share of the
/// columns rounded down to a multiple of m (at least m when cols >= m).
int64_t keptForVectorSparsity(int64_t cols, double vectorSparsity, int64_t m);

/// A complete HiNM pruning decision for a [rows, cols] matrix.
///   rowPerm[p]         original row stored at storage row p, a permutation
///                      of [0, paddedRows); values >= rows are zero padding.
///   vectorIndex[b*kept + c]  original column of compacted column c of block b
///                      (distinct within a block; the order is the IVP order).
///   nmMask[p*kept + c] 1 if storage row p keeps compacted column c; exactly n
///                      per group of m.
struct HiNMSelection {
  std::vector<int32_t> rowPerm;
  std::vector<int32_t> vectorIndex;
  std::vector<uint8_t> nmMask;
};

/// The stored parts of a HiNM matrix (the dialect's storage tensors).
///   values      [paddedRows, compressedCols], row-major
///   vectorIndex [numBlocks, kept]
///   metadata    [paddedRows, metaWordsPerRow]: the n indices of each group,
///               ascending, metaBitsPerIndex bits each, element j of a row at
///               bit (j % indicesPerWord) * bits of word j / indicesPerWord;
///               for 2:4 this is exactly the 32-bit word mma.sp reads per row
///               and 32-wide k tile.
///   rowPerm     [paddedRows]
struct HiNMStorage {
  HiNMFormat format;
  int64_t rows = 0, cols = 0;
  std::vector<float> values;
  std::vector<int32_t> vectorIndex;
  std::vector<uint32_t> metadata;
  std::vector<int32_t> rowPerm;
};

/// Checks a selection against the format and shape; "" if valid.
std::string verifySelection(const HiNMFormat &fmt, int64_t rows, int64_t cols,
                            const HiNMSelection &sel);

/// Checks index/permutation/metadata contents of stored parts; "" if valid.
/// Any of the pointers may be null to skip that part.
std::string verifyVectorIndex(const HiNMFormat &fmt, int64_t rows, int64_t cols,
                              const int32_t *vectorIndex);
std::string verifyRowPerm(const HiNMFormat &fmt, int64_t rows,
                          const int32_t *rowPerm);
std::string verifyMetadata(const HiNMFormat &fmt, int64_t rows,
                           const uint32_t *metadata);
/// Checks an N:M mask [paddedRows, kept]: exactly n set in each group of m.
std::string verifyNMMask(const HiNMFormat &fmt, int64_t rows,
                         const uint8_t *nmMask);

/// Packs a dense row-major [rows, cols] matrix under a (valid) selection.
HiNMStorage pack(const float *dense, int64_t rows, int64_t cols,
                 const HiNMFormat &fmt, const HiNMSelection &sel);

/// Writes the pruned dense matrix (original row and column order) described
/// by `s` into `dense` ([rows, cols], row-major). Storage must be valid.
void unpack(const HiNMStorage &s, float *dense);

/// Decodes the N:M index of stored element j of storage row p.
int64_t metadataIndex(const HiNMFormat &fmt, const uint32_t *metadata,
                      int64_t p, int64_t j);

/// Reference product Y[rows, ncols] = W * X for X [cols, ncols] row-major,
/// computed from the storage (the semantic oracle for the lowerings).
void referenceMatmul(const HiNMStorage &w, const float *x, int64_t ncols,
                     float *y);

} // namespace hinm

#endif // HINM_ALGORITHM_FORMAT_H
