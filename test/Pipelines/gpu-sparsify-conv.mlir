// RUN: hinm-opt %s --hinm-sparsify="vector-size=16" --hinm-gpu-pipeline="chip=sm_80 format=isa" --hinm-print-isa -o /dev/null | FileCheck %s
// RUN: hinm-opt %s --hinm-sparsify="vector-size=16" --hinm-gpu-pipeline="chip=sm_80 format=isa" | FileCheck %s --check-prefix=HOST
// Sparsified f16 convolutions of each rank go through the whole GPU
// pipeline: the im2col linalg.generic, reshapes and transposes around the
// hinm.matmul bufferize and run as host loops, the matmul becomes an mma.sp
// kernel. C*K is 40 (1-D: kept 20), 144 (2-D: kept 72) and 54 (3-D: kept
// 24): none a multiple of 32, so hinm-pad-matmul-kept pads each.

// CHECK-LABEL: .visible .entry conv1d_kernel(
// CHECK: mma.sp.sync.aligned.m16n8k32.row.col.f32.f16.f16.f32
// CHECK-LABEL: .visible .entry conv2d_kernel(
// CHECK: mma.sp.sync.aligned.m16n8k32.row.col.f32.f16.f16.f32
// CHECK-LABEL: .visible .entry conv3d_kernel(
// CHECK: mma.sp.sync.aligned.m16n8k32.row.col.f32.f16.f16.f32
// HOST-LABEL: llvm.func @conv1d(
// HOST: gpu.launch_func
// HOST-LABEL: llvm.func @conv2d(
// HOST: gpu.launch_func
// HOST-LABEL: llvm.func @conv3d(
// HOST: gpu.launch_func

func.func @conv1d(%x: tensor<2x20x8xf16>) -> tensor<2x16x32xf32> {
  %w = arith.constant dense<0.5> : tensor<5x8x32xf16>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x16x32xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<2x16x32xf32>) -> tensor<2x16x32xf32>
  %y = linalg.conv_1d_nwc_wcf {dilations = dense<1> : tensor<1xi64>, strides = dense<1> : tensor<1xi64>}
         ins(%x, %w : tensor<2x20x8xf16>, tensor<5x8x32xf16>) outs(%c : tensor<2x16x32xf32>) -> tensor<2x16x32xf32>
  return %y : tensor<2x16x32xf32>
}

func.func @conv2d(%x: tensor<1x16x10x10xf16>) -> tensor<1x32x8x8xf32> {
  %w = arith.constant dense<0.5> : tensor<32x16x3x3xf16>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x32x8x8xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<1x32x8x8xf32>) -> tensor<1x32x8x8xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x16x10x10xf16>, tensor<32x16x3x3xf16>) outs(%c : tensor<1x32x8x8xf32>) -> tensor<1x32x8x8xf32>
  return %y : tensor<1x32x8x8xf32>
}

func.func @conv3d(%x: tensor<1x2x5x5x6xf16>) -> tensor<1x16x3x3x4xf32> {
  %w = arith.constant dense<0.5> : tensor<16x2x3x3x3xf16>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x16x3x3x4xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<1x16x3x3x4xf32>) -> tensor<1x16x3x3x4xf32>
  %y = linalg.conv_3d_ncdhw_fcdhw {dilations = dense<1> : tensor<3xi64>, strides = dense<1> : tensor<3xi64>}
         ins(%x, %w : tensor<1x2x5x5x6xf16>, tensor<16x2x3x3x3xf16>) outs(%c : tensor<1x16x3x3x4xf32>) -> tensor<1x16x3x3x4xf32>
  return %y : tensor<1x16x3x3x4xf32>
}
