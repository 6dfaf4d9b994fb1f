//===- MatmulForms.h - ops hinm-sparsify reads as a matrix product --------===//
//
// Part of the hinm project. A 2-D product Y[M, N] += A[M, K] B[K, N] reaches
// hinm-sparsify as `linalg.matmul` (with plain or transposed operands through
// indexing_maps), or, after generalization or from frontends that emit it,
// as a `linalg.generic` or `linalg.contract` that computes exactly that. This
// recognizes those forms and says how each operand is read, so one rewrite
// serves all of them.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_LIB_DIALECT_HINM_TRANSFORMS_MATMULFORMS_H
#define HINM_LIB_DIALECT_HINM_TRANSFORMS_MATMULFORMS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <optional>

namespace hinm {

/// How a product reads its operands: whether A is given as [K, M] and B as
/// [N, K] (transposed) instead of [M, K] and [K, N].
struct MatmulLayout {
  bool lhsTransposed = false;
  bool rhsTransposed = false;
};

/// The layout of a linalg.matmul, or nothing for maps other than plain or
/// transposed operands (broadcasts...).
std::optional<MatmulLayout> classifyMaps(mlir::linalg::MatmulOp op);

/// The layout of a `linalg.generic` or `linalg.contract` on tensors that
/// computes Y[M, N] += A B, or nothing. It must have two inputs and one
/// output, loops (m, n) parallel and k reduction in any order, the output
/// indexed (m, n), input 0 by m and k and input 1 by k and n (each in either
/// order), and a body that yields `out + in0 * in1` in floating point, an
/// input optionally extended (`arith.extf`) to the output type first: what
/// linalg.matmul computes. Anything else (another
/// body, a broadcast, a batch dimension, a transposed output) is not a
/// plain matrix product.
std::optional<MatmulLayout> classifyContraction(mlir::linalg::LinalgOp op);

} // namespace hinm

#endif // HINM_LIB_DIALECT_HINM_TRANSFORMS_MATMULFORMS_H
