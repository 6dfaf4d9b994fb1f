//===- ConstantWeight.h - read compile-time weights for hinm-sparsify -----===//
//
// Part of the hinm project. Frontends do not always hand a product its
// weight as a plain `arith.constant dense<...>`: torch-mlir stores large
// weights as `dense_resource` blobs and lowers nn.Linear to a transpose of
// the [out, in] weight (a `linalg.generic` that only permutes, or
// `linalg.transpose`) feeding `linalg.matmul`. This reads the values such an
// operand holds at compile time, so hinm-sparsify sees through those forms.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_LIB_DIALECT_HINM_TRANSFORMS_CONSTANTWEIGHT_H
#define HINM_LIB_DIALECT_HINM_TRANSFORMS_CONSTANTWEIGHT_H

#include "mlir/IR/Operation.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"

#include <string>
#include <vector>

namespace hinm {

/// What `readConstantWeight` found for an operand.
struct ConstantWeight {
  enum class Kind {
    /// Not a compile-time constant (an argument, a computed value, ...).
    NotConstant,
    /// A constant whose values are in `values`.
    Readable,
    /// A constant that cannot be read; `why` says why (an elided or missing
    /// resource blob, a non-float element type, ...).
    Unreadable,
  };
  Kind kind = Kind::NotConstant;
  /// Row-major values in the operand's own shape, converted to f32.
  std::vector<float> values;
  std::string why;
  /// The ops from the operand back to the constant (operand's producer
  /// first): erased by `eraseDeadChain` once the rewrite no longer uses them.
  llvm::SmallVector<mlir::Operation *, 2> chain;

  bool isConstant() const { return kind != Kind::NotConstant; }
};

/// The [cols, rows] transpose of a row-major [rows, cols] matrix.
std::vector<float> transposed(const std::vector<float> &w, int64_t rows,
                              int64_t cols);

/// Reads `v` when it is a float constant (`dense` or `dense_resource`), or a
/// constant seen through `tensor.collapse_shape` and `tensor.expand_shape`
/// (reshapes that keep the row-major order), static
/// `tensor.extract_slice` (one batch of a stacked weight, a part of a fused
/// one) and permutations of dimensions (`linalg.transpose`, or a
/// `linalg.generic` whose body only yields its input under permutation
/// maps, as torch-mlir lowers `aten.t` and `aten.transpose`).
ConstantWeight readConstantWeight(mlir::Value v);

/// Whether `readConstantWeight(v).isConstant()`, without reading (and
/// converting) the values: for recognizers that only need to know.
bool isConstantWeight(mlir::Value v);

/// For a 3-D tensor that repeats a 2-D one along its leading dimension
/// (`linalg.broadcast ... dimensions = [0]`, or a `linalg.generic` that
/// yields its input read through `(d0, d1, d2) -> (d1, d2)`), the 2-D
/// tensor; null otherwise. torch-mlir feeds a linear layer's weight so to
/// `linalg.batch_matmul` when the activations have rank 3.
mlir::Value batchBroadcastSource(mlir::Value v);

/// Erases the ops of `w.chain` that have no uses left, producer first.
void eraseDeadChain(mlir::RewriterBase &rewriter, const ConstantWeight &w);

} // namespace hinm

#endif // HINM_LIB_DIALECT_HINM_TRANSFORMS_CONSTANTWEIGHT_H
