//===- KeptPadding.h - raise a matrix's kept count with zeros --*- C++ -*-===//
//
// Part of the hinm project. MLIR-free. The GPU kernel consumes the kept
// columns of a block in k tiles of 32 (one mma.sp k step), so a format whose
// kept count is not a multiple of 32 (a 144-column layer at 50% vector
// sparsity keeps 72) cannot run as it is. Padding keeps the product exact:
// the matrix gains `newKept - kept` all-zero columns, appended after the last
// one, which every block keeps (in new groups of m that store zeros), and the
// activations gain as many zero rows. No pruned column is read, so an Inf or
// NaN in the activations cannot reach the result through a padded zero.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_ALGORITHM_KEPTPADDING_H
#define HINM_ALGORITHM_KEPTPADDING_H

#include "hinm/Algorithm/Format.h"

namespace hinm {

/// "" if the kept count of `fmt` can be raised to `newKept`: at least the
/// current count and a multiple of m.
std::string validateKeptPadding(const HiNMFormat &fmt, int64_t newKept);

/// How each stored row changes when kept grows to `newKept` (valid). A row
/// keeps its values and gains zeros; its metadata words become
/// `(word & keepBits[w]) | padFields[w]` (words past the old ones read as
/// 0): keepBits selects the old elements' fields, padFields holds the new
/// groups' fields, 0..n-1 ascending in each.
struct KeptPadding {
  HiNMFormat format;               // the padded format
  int64_t addedColumns;            // newKept - kept: zero columns appended
  std::vector<uint32_t> keepBits;  // [format.metaWordsPerRow()]
  std::vector<uint32_t> padFields; // [format.metaWordsPerRow()]
};
KeptPadding keptPadding(const HiNMFormat &fmt, int64_t newKept);

/// The storage of the [rows, cols + newKept - kept] matrix [D, 0] (D the
/// matrix `s` stores) in the padded format: block b's vector index ends with
/// the appended columns cols, cols + 1, ... (valid `s` and `newKept`).
HiNMStorage padKept(const HiNMStorage &s, int64_t newKept);

} // namespace hinm

#endif // HINM_ALGORITHM_KEPTPADDING_H
