//===- DeviceGather.h - the ops between two layers as one kernel -*- C++
//-*-===//
//
// Part of the hinm project. Between two hinm.matmul layers of a network sit
// ops that only move or map elements: the reshapes around a convolution's
// GEMM view, the bias and activation in NCHW form, the zero padding of the
// next convolution, its im2col gather, the zero rows of a padded kept count.
// Every element of the next layer's activations then depends on exactly one
// element of the previous result, so the whole chain is one gather: this
// file finds such chains and builds the per-element body of a GPU kernel
// that computes them, so the activations stay on the device between the
// layers. Private to the HiNMToNVGPU conversion.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_LIB_CONVERSION_HINMTONVGPU_DEVICEGATHER_H
#define HINM_LIB_CONVERSION_HINMTONVGPU_DEVICEGATHER_H

#include "hinm/Dialect/HiNM/IR/HiNMOps.h"
#include "mlir/IR/Builders.h"

namespace hinm {

/// The ops from a value to the activations of the matmul that reads it,
/// each the only user of the previous one's result, in program order.
struct GatherChain {
  /// tensor.expand_shape / tensor.collapse_shape, tensor.pad with a
  /// constant or outer padding value, and linalg ops whose loops are all
  /// parallel, whose output map is the identity and unread, and whose body
  /// is scalar arith/math (hasScalarBody): the chained input through any
  /// affine map (im2col, transpose, broadcast), other inputs constant
  /// tensors or scalars. All shapes static.
  llvm::SmallVector<mlir::Operation *> ops;
  /// The matmul that reads the chain's result as its activations; null when
  /// the chain ends on the host (its result is copied back).
  MatmulOp next;
  /// For each op, for each of its dps inputs (linalg ops only): -1 for the
  /// chained value, else an index into `operands`.
  llvm::SmallVector<llvm::SmallVector<int>> inputs;
  /// The linalg ops' other inputs: constant tensors (ElementsAttr) or
  /// scalars.
  llvm::SmallVector<mlir::Value> operands;

  bool empty() const { return ops.empty(); }
  /// The value the first op reads (a matmul's result). Not for an empty
  /// chain, nor for one whose ops are erased.
  mlir::Value start() const;
  /// What `next` (or the host) reads: the last op's result. Not for an
  /// empty chain.
  mlir::Value result() const { return ops.back()->getResult(0); }
};

/// The chain from `value` to a matmul's activations (possibly no ops, when
/// the matmul reads `value` itself; `canRead(next)` must hold: a matmul not
/// lowered yet). Otherwise, with a null `next`, the longest run of
/// qualifying ops from `value`, each the only user of the previous result,
/// that ends with an op that computes or pads (the ops then run on the
/// device and the result is copied back); empty when there is none. Every
/// op must be in `block`. `firstUser`, when given, is the user of `value`
/// the chain starts at (`value` may have other users, which read it
/// elsewhere); otherwise `value` must have one user.
GatherChain collectGatherChain(mlir::Value value, mlir::Block *block,
                               llvm::function_ref<bool(MatmulOp)> canRead,
                               mlir::Operation *firstUser = nullptr);

/// Builds, inside a kernel, the computation of element `linear` (row-major
/// position in chain.result()) and its store into `dst` (a memref of that
/// shape). `src` is the device memref holding the chain's start value
/// (row-major, any shape with as many elements); `operandValues` holds per
/// chain operand the device memref of a tensor, or the scalar. Indices are
/// walked back through the ops (a pad's out-of-range positions read a
/// clamped in-range element and select the padding value instead), then
/// the values forward through the cloned bodies.
void buildGatherElement(mlir::OpBuilder &b, mlir::Location loc,
                        const GatherChain &chain, mlir::Value src,
                        llvm::ArrayRef<mlir::Value> operandValues,
                        mlir::Value dst, mlir::Value linear);

} // namespace hinm

#endif // HINM_LIB_CONVERSION_HINMTONVGPU_DEVICEGATHER_H
