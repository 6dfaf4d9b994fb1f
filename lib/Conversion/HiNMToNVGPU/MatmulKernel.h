//===- MatmulKernel.h - the mma.sp kernel body of one hinm.matmul -*- C++
//-*-===//
//
// Part of the hinm project. Builds the body of the gpu.launch that computes
// one hinm.matmul on sparse tensor cores: cp.async gather of activation rows
// through the vector index into a multi-stage, XOR-swizzled shared-memory
// pipeline, ldmatrix (.trans for the activations), mma.sp m16n8k32, and an
// epilogue that applies the fused elementwise tail and the row permutation.
// The host side (HiNMToNVGPU.cpp) sets up the device buffers and the launch.
// Private to the HiNMToNVGPU conversion; docs/gpu-codegen.md walks through
// the kernel.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_LIB_CONVERSION_HINMTONVGPU_MATMULKERNEL_H
#define HINM_LIB_CONVERSION_HINMTONVGPU_MATMULKERNEL_H

#include "Epilogue.h"
#include "hinm/Conversion/HiNMToNVGPU/HiNMToNVGPU.h"
#include "mlir/IR/Builders.h"

namespace hinm {

/// What the kernel of one matmul reads and writes, as values inside the
/// gpu.launch body.
struct MatmulKernelSpec {
  const GPUTiling *tiling = nullptr;
  /// The weight's rows, N (or ShapedType::kDynamic; then nValue is N, an
  /// index defined on the host and captured by the launch), and V.
  int64_t rows = 0, n = 0, vectorSize = 0;
  mlir::Value nValue;
  mlir::Type inElt;  // f16 or bf16: weights, activations, shared tiles
  mlir::Type accElt; // f32, or f16 for f16 inputs
  bool orderedMetadata = false; // mma.sp::ordered_metadata
  // Device memrefs of the storage parts, the activations and the result.
  mlir::Value vals, vidx, meta, perm, x, out;
  // Shared-memory tiles [stages][blockM][kTile/2] and [stages][kTile][blockN].
  mlir::Value sA, sB;
  /// The fused elementwise tail (null: store the accumulators as they are),
  /// its operands as the kernel sees them (device memrefs of tensors,
  /// scalars), and the element type of the stored result.
  const MatmulEpilogue *tail = nullptr;
  llvm::SmallVector<mlir::Value> tailValues;
  mlir::Type outElt;
};

/// Builds the kernel body at `b`'s insertion point, for the thread and
/// block ids of the launch (x: rows of blockM, y: columns of blockN).
void buildMatmulKernel(mlir::OpBuilder &b, mlir::Location loc,
                       const MatmulKernelSpec &spec, mlir::Value threadX,
                       mlir::Value blockX, mlir::Value blockY);

} // namespace hinm

#endif // HINM_LIB_CONVERSION_HINMTONVGPU_MATMULKERNEL_H
