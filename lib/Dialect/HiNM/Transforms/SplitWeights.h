//===- SplitWeights.h - one product per batch or group weight -*- C++ -*-===//
//
// Part of the hinm project. A linalg.batch_matmul with a different constant
// weight in every batch, or a grouped convolution, is several independent
// products, one per weight. hinm-sparsify splits such an op into one plain
// product per weight (on tensor.extract_slice's of its operands, the results
// put back with tensor.insert_slice), and then rewrites each like any other,
// pruning every weight on its own.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_LIB_DIALECT_HINM_TRANSFORMS_SPLITWEIGHTS_H
#define HINM_LIB_DIALECT_HINM_TRANSFORMS_SPLITWEIGHTS_H

#include "ConvForms.h"

#include "hinm/Algorithm/Prune.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace hinm {

/// A linalg.batch_matmul whose weight differs from batch to batch: under
/// the plain maps, a constant 3-D RHS [B, K, N] or LHS [B, M, K] with a
/// static B > 1 (the stacked experts of a mixture-of-experts layer, or
/// per-head projections). Rewrites the op into B linalg.matmul ops and
/// returns them. Returns none for any other batch product (left alone) and,
/// with a warning, for one whose weights cannot be pruned (element types,
/// too few columns for the format, an unreadable constant): it is not split
/// then. Fails with an error at the op for a NaN or infinite weight element,
/// named in the 3-D weight's coordinates.
mlir::FailureOr<llvm::SmallVector<mlir::linalg::MatmulOp>>
splitPerBatchWeights(mlir::RewriterBase &rewriter,
                     mlir::linalg::BatchMatmulOp op, const PruneOptions &opts);

/// A grouped 2-D convolution (`form`, ConvForms.h) with a constant filter:
/// rewrites it into one plain convolution per group and returns them. As
/// above: none, with a warning, when the filters cannot be pruned (element
/// types, dynamic shapes other than the batch, too few columns, an
/// unreadable constant), and none without one for a filter that is not a
/// constant or an empty input or output; an error at the op for a NaN or
/// infinite filter element, named in the grouped filter's coordinates.
mlir::FailureOr<llvm::SmallVector<mlir::linalg::LinalgOp>>
splitGroupedConv(mlir::RewriterBase &rewriter, mlir::linalg::LinalgOp op,
                 const GroupedConvForm &form, const PruneOptions &opts);

} // namespace hinm

#endif // HINM_LIB_DIALECT_HINM_TRANSFORMS_SPLITWEIGHTS_H
