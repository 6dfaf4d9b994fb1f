//===- RewriteUtils.h - IR helpers of hinm-sparsify's rewrites -*- C++ -*-===//
//
// Part of the hinm project. What the rewrites of Sparsify.cpp and
// SplitWeights.cpp share: recognizing a zero accumulator, checking the
// element types a rewrite takes, and naming a non-finite weight element in
// the coordinates the user wrote.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_LIB_DIALECT_HINM_TRANSFORMS_REWRITEUTILS_H
#define HINM_LIB_DIALECT_HINM_TRANSFORMS_REWRITEUTILS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/PatternMatch.h"

#include <optional>
#include <string>
#include <vector>

namespace hinm {

/// `v` transposed with linalg.transpose: result dim i is `v`'s dim perm[i]
/// (a dynamic one read with tensor.dim).
mlir::Value transposeTensor(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value v, llvm::ArrayRef<int64_t> perm);

/// Whether `v` is a linalg.fill of zero.
bool isZeroFill(mlir::Value v);

/// A fresh zero fill of `sizes`, with the value of the fill `zeroFill`: the
/// accumulator of a product built from a part of the op, which the
/// constant-weight rewrite then still sees (and drops) as a zero fill.
mlir::Value freshZeroFill(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value zeroFill,
                          llvm::ArrayRef<mlir::OpFoldResult> sizes,
                          mlir::Type elt);

/// Erases `acc` when it is a zero fill that nothing uses any more (the
/// rewrite dropped it), and then its destination if that is an unused
/// tensor.empty: a split op's per-part fills would otherwise stay behind.
void eraseDeadZeroFill(mlir::RewriterBase &rewriter, mlir::Value acc);

/// Why the element types of a product rule out the rewrite: activations and
/// weight of one type among f16, bf16 and f32 (what hinm.matmul and its
/// lowerings take), the result f32 or that type. std::nullopt if they fit.
struct TypeProblem {
  llvm::StringRef why;
  mlir::Type type;
};
std::optional<TypeProblem> checkElementTypes(mlir::Type act, mlir::Type weight,
                                             mlir::Type result);

/// Warns at `op`: "hinm-sparsify: <what> left dense: <why>[ <type>]", what
/// a candidate that the pass cannot rewrite says, so users are not left
/// guessing.
void warnLeftDense(mlir::Operation *op, llvm::StringRef what,
                   const llvm::Twine &why, mlir::Type type = {});

/// Why a constant weight of `type` is not read: more elements than the
/// library prunes (kMaxPrunedElements), which reading whole could not hold
/// in memory. Nothing when it can be read.
std::optional<std::string> tooLargeToRead(mlir::ShapedType type);

/// If `values` (row-major, of `shape`) holds a NaN or an infinity, emits
/// "hinm-sparsify: <what> [i, j, ...] is NaN|infinite" at `op`, naming the
/// first one in the coordinates of `shape`, and returns failure.
mlir::LogicalResult checkFinite(mlir::Operation *op,
                                const std::vector<float> &values,
                                llvm::ArrayRef<int64_t> shape,
                                llvm::StringRef what);

} // namespace hinm

#endif // HINM_LIB_DIALECT_HINM_TRANSFORMS_REWRITEUTILS_H
