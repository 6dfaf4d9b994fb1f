//===- FlattenProducts.h - batch, vector products as a matmul -*- C++ -*-===//
//
// Part of the hinm project. Some products hinm-sparsify prunes are one GEMM
// with a single constant weight in another spelling: a linalg.batch_matmul
// whose weight is the same in every batch, a linalg.matvec or vecmat. These
// rewrite them into a plain linalg.matmul (through tensor reshapes and
// transposes), which the constant-weight rewrite then handles.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_LIB_DIALECT_HINM_TRANSFORMS_FLATTENPRODUCTS_H
#define HINM_LIB_DIALECT_HINM_TRANSFORMS_FLATTENPRODUCTS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace hinm {

/// A linalg.batch_matmul that applies one constant 2-D weight to every
/// batch is one GEMM, which this rewrites it into (returning the
/// linalg.matmul for the constant-weight rewrite; null for any other batch
/// product, which is left alone):
///  * a shared [K, N] RHS (torch-mlir's nn.Linear on [B, M, K] activations
///    broadcasts it): Y[B*M, N] = X[B*M, K] W[K, N], through
///    tensor.collapse_shape and expand_shape;
///  * a shared [M, K] LHS (a weight applied along the rows of each batch,
///    as MLP-Mixer's token mixing does): Y[M, B*N] = W[M, K] X[K, B*N],
///    with X and Y transposed between [B, ., N] and [., B, N].
/// The weight is shared if a 3-D operand repeats one 2-D tensor
/// (linalg.broadcast or a broadcasting generic), if a 2-D operand is read
/// through the broadcast map, or if the batch is statically 1 (TOSA's 3-D
/// matmul of a linear layer).
mlir::linalg::MatmulOp
flattenSharedWeightBatchMatmul(mlir::RewriterBase &rewriter,
                               mlir::linalg::BatchMatmulOp op);

/// linalg.matvec (y[M] += A[M, K] x[K]) or linalg.vecmat (y[N] += x[K]
/// A[K, N]) with a constant matrix A is a product with one activation column
/// (row): rewrites it so (tensor.expand_shape of x and y, linalg.matmul,
/// tensor.collapse_shape) and returns the matmul for the constant-weight
/// rewrite; null for any other (a non-constant matrix), left alone.
mlir::linalg::MatmulOp expandVectorProduct(mlir::RewriterBase &rewriter,
                                           mlir::linalg::LinalgOp op,
                                           bool matrixIsLhs);

} // namespace hinm

#endif // HINM_LIB_DIALECT_HINM_TRANSFORMS_FLATTENPRODUCTS_H
