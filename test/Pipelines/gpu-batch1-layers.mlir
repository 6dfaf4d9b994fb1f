// RUN: hinm-opt %s --hinm-gpu-pipeline="chip=sm_80 format=isa" | FileCheck %s
// RUN: hinm-opt %s --hinm-gpu-pipeline="chip=sm_80 format=isa fuse-epilogue=false" | FileCheck %s --check-prefix=UNFUSED
// Two layers with a batch of one (N = 1, padded to 8 by
// hinm-pad-matmul-columns): the second layer takes the first's padded
// result (through its bias + ReLU + cast), so the pipeline fuses those ops
// into the first kernel and keeps its result on the device; the second
// layer's bias runs on its padded result, fused into the second kernel.
// Per call, the host copies the activations, each layer's bias and four
// storage parts in and the final result out (12 copies), and runs no float
// op; the kernels' PTX does the bias, ReLU and cast.
!W1 = !hinm.matrix<64x128xf16, #hinm.format<vector_size = 32, kept = 64, n = 2, m = 4>>
!W2 = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
#id = affine_map<(i, j) -> (i, j)>
#row = affine_map<(i, j) -> (i)>

// CHECK-LABEL: llvm.func @mlp(
// CHECK-NOT: llvm.fadd
// CHECK-NOT: llvm.intr.maximum
// CHECK-COUNT-12: llvm.call @mgpuMemcpy(
// CHECK-NOT: llvm.call @mgpuMemcpy(
// CHECK: llvm.return
// CHECK: gpu.binary @mlp_kernel
// CHECK-SAME: max.NaN.f32
// CHECK-SAME: cvt.rn.f16x2.f32
// With fuse-epilogue=false the ops run on the host, between the first
// layer's copy out and the second layer's copy in (12 copies), and the
// second bias after the last copy.
// UNFUSED-LABEL: llvm.func @mlp(
// UNFUSED-COUNT-6: llvm.call @mgpuMemcpy(
// UNFUSED: llvm.intr.maximum
// UNFUSED-COUNT-6: llvm.call @mgpuMemcpy(
// UNFUSED-NOT: llvm.call @mgpuMemcpy(
// UNFUSED: llvm.fadd
// UNFUSED: llvm.return
func.func @mlp(%w1: !W1, %w2: !W2, %x: tensor<128x1xf16>, %b: tensor<64xf32>,
                %b2: tensor<32xf32>) -> tensor<32x1xf32> {
  %y = hinm.matmul %w1, %x : !W1, tensor<128x1xf16> -> tensor<64x1xf32>
  %e = tensor.empty() : tensor<64x1xf16>
  %zero = arith.constant 0.0 : f32
  %h = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y, %b : tensor<64x1xf32>, tensor<64xf32>) outs(%e : tensor<64x1xf16>) {
  ^bb0(%a: f32, %bb: f32, %o: f16):
    %s = arith.addf %a, %bb : f32
    %r = arith.maximumf %s, %zero : f32
    %t = arith.truncf %r : f32 to f16
    linalg.yield %t : f16
  } -> tensor<64x1xf16>
  %z = hinm.matmul %w2, %h : !W2, tensor<64x1xf16> -> tensor<32x1xf32>
  %e2 = tensor.empty() : tensor<32x1xf32>
  %o = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%z, %b2 : tensor<32x1xf32>, tensor<32xf32>) outs(%e2 : tensor<32x1xf32>) {
  ^bb0(%a: f32, %bb: f32, %oo: f32):
    %s = arith.addf %a, %bb : f32
    linalg.yield %s : f32
  } -> tensor<32x1xf32>
  return %o : tensor<32x1xf32>
}
