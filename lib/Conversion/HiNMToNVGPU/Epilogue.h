//===- Epilogue.h - elementwise ops fused into the kernel -------*- C++ -*-===//
//
// Part of the hinm project. Finds the elementwise tail of a hinm.matmul (a
// bias, an activation function, a cast: linalg ops applied element by
// element to the matmul's result) that the GPU kernel can apply before its
// store, so the tail does not run as a separate pass over the result on the
// host. Private to the HiNMToNVGPU conversion.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_LIB_CONVERSION_HINMTONVGPU_EPILOGUE_H
#define HINM_LIB_CONVERSION_HINMTONVGPU_EPILOGUE_H

#include "hinm/Dialect/HiNM/IR/HiNMOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

namespace hinm {

/// A value an epilogue op reads besides the chained result, by how its
/// linalg indexing map addresses the (rows x N) iteration space.
struct EpilogueOperand {
  enum class Kind {
    Scalar,  // a scalar, or a rank-0 tensor: the same for every element
    Row,     // (d0, d1) -> (d0): one value per result row (a bias)
    Column,  // (d0, d1) -> (d1): one value per result column
    Element, // (d0, d1) -> (d0, d1): a full matrix
  };
  mlir::Value source; // the scalar, or the tensor (static shape)
  Kind kind;
};

/// The chain of elementwise linalg ops that consume a matmul's result, one
/// after the other, each the only user of the previous result.
struct MatmulEpilogue {
  llvm::SmallVector<mlir::linalg::LinalgOp> ops;
  /// For each op, for each of its inputs (dps inputs in order): -1 for the
  /// chained value (the previous result), else an index into `operands`.
  llvm::SmallVector<llvm::SmallVector<int>> inputs;
  llvm::SmallVector<EpilogueOperand> operands;

  bool empty() const { return ops.empty(); }
  /// The value the fused kernel produces (the last op's result).
  mlir::Value result() const;
  /// The last op of the chain: the fused lowering is built at its place,
  /// where every operand of the chain is defined.
  mlir::Operation *last() const;
};

/// The longest fusible chain after `op` (empty when the result has another
/// user or the next op does not qualify; that op then stays on the host).
/// An op qualifies when it is elementwise on the chained value
/// (isElementwiseOn), its other inputs are scalars, rank-0 tensors or static
/// tensors indexed by row, column or element, and its result is f16, bf16
/// or f32.
MatmulEpilogue collectEpilogue(MatmulOp op);

/// Applies the epilogue to one accumulator element `acc` of result element
/// (row, col): clones each op's body with its inputs bound. `operandValues`
/// holds, per operand, the device memref of a tensor or the scalar; Row
/// operands come preloaded in `rowValues` (same indexing; null otherwise),
/// since the kernel loads them once per row.
mlir::Value applyEpilogue(mlir::OpBuilder &b, mlir::Location loc,
                          const MatmulEpilogue &epilogue, mlir::Value acc,
                          mlir::Value col,
                          llvm::ArrayRef<mlir::Value> operandValues,
                          llvm::ArrayRef<mlir::Value> rowValues,
                          mlir::Value row);

} // namespace hinm

#endif // HINM_LIB_CONVERSION_HINMTONVGPU_EPILOGUE_H
