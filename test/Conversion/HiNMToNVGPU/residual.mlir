// RUN: hinm-opt %s --convert-hinm-to-nvgpu --split-input-file | FileCheck %s
// RUN: hinm-opt %s --hinm-gpu-pipeline="chip=sm_80 format=isa" --split-input-file | FileCheck %s --check-prefix=PIPE
// A result that a later layer's epilogue reads (a residual input) stays on
// the device when every reader is a kernel: here the next matmul reads it as
// activations and the one after that adds it to its result, both in place;
// the buffer is freed once, after its last reader. A host reader brings it
// back as before.

// CHECK-LABEL: func.func @residual(
// CHECK: gpu.memcpy
// CHECK: %[[H:.*]], %{{.*}} = gpu.alloc async {{.*}} : memref<32x64xf16>
// CHECK: gpu.launch
// CHECK-NOT: gpu.memcpy
// CHECK-NOT: gpu.dealloc {{.*}} %[[H]]
// CHECK: gpu.wait [
// CHECK-NOT: gpu.memcpy
// CHECK: gpu.launch
// The second kernel reads the first one's output as its activations
// (cp.async into shared memory) and as its epilogue's operand.
// CHECK: nvgpu.device_async_copy %[[H]]
// CHECK: memref.load %[[H]]
// CHECK: gpu.terminator
// CHECK: gpu.memcpy
// CHECK: gpu.dealloc async [%{{.*}}] %[[H]]
// CHECK-NOT: gpu.dealloc async [%{{.*}}] %[[H]]
// CHECK: return
// Through the pipeline: the input in, the result out.
// PIPE-LABEL: llvm.func @residual(
// PIPE-COUNT-2: llvm.call @mgpuMemcpy(
// PIPE-NOT: llvm.call @mgpuMemcpy(
// PIPE: llvm.return
!W1 = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
!W2 = !hinm.matrix<32x32xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
#id = affine_map<(i, j) -> (i, j)>
func.func @residual(%x: tensor<64x64xf16>) -> (tensor<32x64xf32>) {
  %v1 = arith.constant dense<1.0> : tensor<32x16xf16>
  %i = arith.constant dense<[[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]]> : tensor<1x32xi32>
  // 0x44444444: every group keeps positions 0 and 1.
  %m = arith.constant dense<1145324612> : tensor<32x1xi32>
  %p = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]> : tensor<32xi32>
  %v2 = arith.constant dense<0.5> : tensor<32x16xf16>
  %zero = arith.constant 0.0 : f32
  %w1 = hinm.assemble %v1, %i, %m, %p : !W1
  %w2 = hinm.assemble %v2, %i, %m, %p : !W2
  %y1 = hinm.matmul %w1, %x : !W1, tensor<64x64xf16> -> tensor<32x64xf32>
  %e16 = tensor.empty() : tensor<32x64xf16>
  %h = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y1 : tensor<32x64xf32>) outs(%e16 : tensor<32x64xf16>) {
  ^bb0(%a: f32, %out: f16):
    %r = arith.maximumf %a, %zero : f32
    %t = arith.truncf %r : f32 to f16
    linalg.yield %t : f16
  } -> tensor<32x64xf16>
  %y2 = hinm.matmul %w2, %h : !W2, tensor<32x64xf16> -> tensor<32x64xf32>
  %e32 = tensor.empty() : tensor<32x64xf32>
  %o = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y2, %h : tensor<32x64xf32>, tensor<32x64xf16>) outs(%e32 : tensor<32x64xf32>) {
  ^bb0(%a: f32, %b: f16, %out: f32):
    %bf = arith.extf %b : f16 to f32
    %s = arith.addf %a, %bf : f32
    linalg.yield %s : f32
  } -> tensor<32x64xf32>
  return %o : tensor<32x64xf32>
}

// -----

// The first result is also returned: it comes back to the host after the
// first kernel and goes to the device again for each reader (5 copies: the
// input in, the first result out and in twice, the result out).
// CHECK-LABEL: func.func @residual_and_host(
// PIPE-LABEL: llvm.func @residual_and_host(
// PIPE-COUNT-5: llvm.call @mgpuMemcpy(
// PIPE-NOT: llvm.call @mgpuMemcpy(
// PIPE: llvm.return
!W1 = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
!W2 = !hinm.matrix<32x32xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
#id = affine_map<(i, j) -> (i, j)>
func.func @residual_and_host(%x: tensor<64x64xf16>) -> (tensor<32x64xf32>, tensor<32x64xf16>) {
  %v1 = arith.constant dense<1.0> : tensor<32x16xf16>
  %i = arith.constant dense<[[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]]> : tensor<1x32xi32>
  // 0x44444444: every group keeps positions 0 and 1.
  %m = arith.constant dense<1145324612> : tensor<32x1xi32>
  %p = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]> : tensor<32xi32>
  %v2 = arith.constant dense<0.5> : tensor<32x16xf16>
  %zero = arith.constant 0.0 : f32
  %w1 = hinm.assemble %v1, %i, %m, %p : !W1
  %w2 = hinm.assemble %v2, %i, %m, %p : !W2
  %y1 = hinm.matmul %w1, %x : !W1, tensor<64x64xf16> -> tensor<32x64xf32>
  %e16 = tensor.empty() : tensor<32x64xf16>
  %h = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y1 : tensor<32x64xf32>) outs(%e16 : tensor<32x64xf16>) {
  ^bb0(%a: f32, %out: f16):
    %r = arith.maximumf %a, %zero : f32
    %t = arith.truncf %r : f32 to f16
    linalg.yield %t : f16
  } -> tensor<32x64xf16>
  %y2 = hinm.matmul %w2, %h : !W2, tensor<32x64xf16> -> tensor<32x64xf32>
  %e32 = tensor.empty() : tensor<32x64xf32>
  %o = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y2, %h : tensor<32x64xf32>, tensor<32x64xf16>) outs(%e32 : tensor<32x64xf32>) {
  ^bb0(%a: f32, %b: f16, %out: f32):
    %bf = arith.extf %b : f16 to f32
    %s = arith.addf %a, %bf : f32
    linalg.yield %s : f32
  } -> tensor<32x64xf32>
  return %o, %h : tensor<32x64xf32>, tensor<32x64xf16>
}

// -----

// Two ops of the later epilogue read the residual input: it is one operand
// of that epilogue, so one reader, and the buffer is freed once (counted per
// op, it would never reach zero and the conversion would fail).
// CHECK-LABEL: func.func @residual_twice(
// CHECK: %[[H:.*]], %{{.*}} = gpu.alloc async {{.*}} : memref<32x64xf16>
// CHECK: gpu.launch
// CHECK: gpu.launch
// CHECK: memref.load %[[H]]
// CHECK: gpu.terminator
// CHECK: gpu.dealloc async [%{{.*}}] %[[H]]
// CHECK-NOT: gpu.dealloc async [%{{.*}}] %[[H]]
// CHECK: return
// PIPE-LABEL: llvm.func @residual_twice(
// PIPE-COUNT-2: llvm.call @mgpuMemcpy(
// PIPE-NOT: llvm.call @mgpuMemcpy(
// PIPE: llvm.return
!W1 = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
!W2 = !hinm.matrix<32x32xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
#id = affine_map<(i, j) -> (i, j)>
func.func @residual_twice(%x: tensor<64x64xf16>) -> tensor<32x64xf32> {
  %v1 = arith.constant dense<1.0> : tensor<32x16xf16>
  %i = arith.constant dense<[[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]]> : tensor<1x32xi32>
  %m = arith.constant dense<1145324612> : tensor<32x1xi32>
  %p = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]> : tensor<32xi32>
  %v2 = arith.constant dense<0.5> : tensor<32x16xf16>
  %w1 = hinm.assemble %v1, %i, %m, %p : !W1
  %w2 = hinm.assemble %v2, %i, %m, %p : !W2
  %y1 = hinm.matmul %w1, %x : !W1, tensor<64x64xf16> -> tensor<32x64xf32>
  %e16 = tensor.empty() : tensor<32x64xf16>
  %h = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y1 : tensor<32x64xf32>) outs(%e16 : tensor<32x64xf16>) {
  ^bb0(%a: f32, %out: f16):
    %t = arith.truncf %a : f32 to f16
    linalg.yield %t : f16
  } -> tensor<32x64xf16>
  %y2 = hinm.matmul %w2, %h : !W2, tensor<32x64xf16> -> tensor<32x64xf32>
  %e32 = tensor.empty() : tensor<32x64xf32>
  %s = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y2, %h : tensor<32x64xf32>, tensor<32x64xf16>) outs(%e32 : tensor<32x64xf32>) {
  ^bb0(%a: f32, %b: f16, %out: f32):
    %bf = arith.extf %b : f16 to f32
    %r = arith.addf %a, %bf : f32
    linalg.yield %r : f32
  } -> tensor<32x64xf32>
  %o = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%s, %h : tensor<32x64xf32>, tensor<32x64xf16>) outs(%e32 : tensor<32x64xf32>) {
  ^bb0(%a: f32, %b: f16, %out: f32):
    %bf = arith.extf %b : f16 to f32
    %r = arith.mulf %a, %bf : f32
    linalg.yield %r : f32
  } -> tensor<32x64xf32>
  return %o : tensor<32x64xf32>
}
