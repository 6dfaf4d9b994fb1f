// RUN: hinm-opt %s --hinm-sparsify="vector-size=32" --hinm-gpu-pipeline="chip=sm_80 format=isa" --hinm-print-isa -o /dev/null | FileCheck %s
// RUN: hinm-opt %s --hinm-sparsify="vector-size=32" --hinm-gpu-pipeline="chip=sm_80 format=isa" | FileCheck %s --check-prefix=HOST
// RUN: hinm-opt %s --hinm-sparsify="vector-size=32" --canonicalize --hinm-pad-matmul-kept | FileCheck %s --check-prefix=PADDED
// RUN: not hinm-opt %s --hinm-sparsify="vector-size=32" --canonicalize --convert-hinm-to-nvgpu 2>&1 | FileCheck %s --check-prefix=DIRECT
// A layer of 144 input columns (a 3x3 convolution over 16 channels) keeps 72
// at 50% vector sparsity, not a multiple of the mma.sp k step. The GPU
// pipeline pads the kept count to 96 (hinm-pad-matmul-kept) and compiles the
// kernel; the conversion alone rejects the op and names the pass. Storage
// given at run time (@parts) is padded by host tensor ops, which bufferize
// and lower with the rest of the host code.

// CHECK-LABEL: .visible .entry conv_like_kernel(
// CHECK: cp.async.cg.shared.global
// CHECK: mma.sp.sync.aligned.m16n8k32.row.col.f32.f16.f16.f32
// CHECK-LABEL: .visible .entry parts_kernel(
// CHECK: mma.sp.sync.aligned.m16n8k32.row.col.f32.f16.f16.f32
// HOST-LABEL: llvm.func @conv_like(
// HOST: gpu.launch_func
// HOST-LABEL: llvm.func @parts(
// HOST: gpu.launch_func
// PADDED-LABEL: func.func @conv_like(
// PADDED: hinm.matmul {{.*}} : !hinm.matrix<64x168xf16, #hinm.format<vector_size = 32, kept = 96, n = 2, m = 4>>, tensor<168x16xf16> -> tensor<64x16xf32>
// DIRECT: error: 'hinm.matmul' op cannot be lowered to the GPU kernel: kept must be a multiple of 32 (the mma.sp k step), got 72; --hinm-pad-matmul-kept (part of --hinm-gpu-pipeline) pads a weight built by hinm.assemble

func.func @conv_like(%x: tensor<16x144xf16>) -> tensor<16x64xf32> {
  %w = arith.constant dense<0.5> : tensor<144x64xf16>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x64xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<16x64xf32>) -> tensor<16x64xf32>
  %y = linalg.matmul ins(%x, %w : tensor<16x144xf16>, tensor<144x64xf16>) outs(%c : tensor<16x64xf32>) -> tensor<16x64xf32>
  return %y : tensor<16x64xf32>
}

!W = !hinm.matrix<64x120xf16, #hinm.format<vector_size = 32, kept = 60, n = 2, m = 4>>
func.func @parts(%v: tensor<64x30xf16>, %i: tensor<2x60xi32>, %m: tensor<64x2xi32>, %p: tensor<64xi32>, %x: tensor<120x16xf16>) -> tensor<64x16xf32> {
  %w = hinm.assemble %v, %i, %m, %p : !W
  %y = hinm.matmul %w, %x : !W, tensor<120x16xf16> -> tensor<64x16xf32>
  return %y : tensor<64x16xf32>
}
