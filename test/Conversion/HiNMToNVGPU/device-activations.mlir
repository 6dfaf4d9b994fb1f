// RUN: hinm-opt %s --convert-hinm-to-nvgpu -split-input-file | FileCheck %s
// A matmul result whose only user is the next matmul, as its activations,
// stays on the device: the first kernel's output buffer is the second
// kernel's input, with no copy out and back; the second layer frees it.

!W1 = !hinm.matrix<64x128xf16, #hinm.format<vector_size = 32, kept = 64, n = 2, m = 4>>
!W2 = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>

// CHECK-LABEL: func.func @two_layers(
// CHECK: %[[OUT1:[a-z0-9_]+]], %{{.*}} = gpu.alloc async [%{{.*}}] () {bufferization.manual_deallocation} : memref<64x16xf16>
// CHECK: gpu.launch
// CHECK: vector.store %{{.*}}, %[[OUT1]][
// CHECK: gpu.terminator
// CHECK-NOT: gpu.memcpy {{.*}}%[[OUT1]]
// CHECK-NOT: gpu.dealloc {{.*}}%[[OUT1]]
// CHECK: gpu.launch
// CHECK: nvgpu.device_async_copy %[[OUT1]][
// CHECK: gpu.terminator
// CHECK: gpu.dealloc async [%{{.*}}] %[[OUT1]] {bufferization.manual_deallocation} : memref<64x16xf16>
// CHECK: return
func.func @two_layers(%w1: !W1, %w2: !W2, %x: tensor<128x16xf16>) -> tensor<32x16xf32> {
  %y = hinm.matmul %w1, %x : !W1, tensor<128x16xf16> -> tensor<64x16xf32>
  %e = tensor.empty() : tensor<64x16xf16>
  %h = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<64x16xf32>) outs(%e : tensor<64x16xf16>) {
  ^bb0(%a: f32, %o: f16):
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %a, %zero : f32
    %t = arith.truncf %r : f32 to f16
    linalg.yield %t : f16
  } -> tensor<64x16xf16>
  %z = hinm.matmul %w2, %h : !W2, tensor<64x16xf16> -> tensor<32x16xf32>
  return %z : tensor<32x16xf32>
}

// -----

// f16 results (f16 accumulation) chain without an epilogue; N dynamic: the
// second layer reads N from the first result's tensor, which names the
// device buffer.
!W1 = !hinm.matrix<64x128xf16, #hinm.format<vector_size = 32, kept = 64, n = 2, m = 4>>
!W2 = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>

// CHECK-LABEL: func.func @dynamic_n(
// CHECK: %[[OUT1:[a-z0-9_]+]], %{{.*}} = gpu.alloc async [%{{.*}}] (%{{.*}}) {bufferization.manual_deallocation} : memref<64x?xf16>
// CHECK: gpu.launch
// CHECK-NOT: gpu.memcpy {{.*}}%[[OUT1]]
// CHECK: %[[T:.*]] = bufferization.to_tensor %[[OUT1]] restrict : memref<64x?xf16> to tensor<64x?xf16>
// CHECK: tensor.dim %[[T]], %{{.*}} : tensor<64x?xf16>
// CHECK: gpu.launch
// CHECK: nvgpu.device_async_copy %[[OUT1]][
// CHECK: gpu.dealloc async [%{{.*}}] %[[OUT1]]
func.func @dynamic_n(%w1: !W1, %w2: !W2, %x: tensor<128x?xf16>) -> tensor<32x?xf16> {
  %y = hinm.matmul %w1, %x : !W1, tensor<128x?xf16> -> tensor<64x?xf16>
  %z = hinm.matmul %w2, %y : !W2, tensor<64x?xf16> -> tensor<32x?xf16>
  return %z : tensor<32x?xf16>
}

// -----

// Copied back as before: the result has a second user (it is returned), or
// the next matmul is in another block (it may run more than once).
!W1 = !hinm.matrix<64x128xf16, #hinm.format<vector_size = 32, kept = 64, n = 2, m = 4>>
!W2 = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>

// CHECK-LABEL: func.func @copied_back(
// The first result is also returned: copied back, then copied in again for
// the second matmul.
// CHECK: gpu.launch
// CHECK: gpu.memcpy async [%{{.*}}] %[[HOST1:.*]], %{{.*}} : memref<64x16xf16>, memref<64x16xf16>
// CHECK: %[[T1:.*]] = bufferization.to_tensor %[[HOST1]] restrict writable
// CHECK: bufferization.to_buffer %[[T1]]
// CHECK: gpu.memcpy async [%{{.*}}] %{{.*}}, %{{.*}} : memref<64x16xf16>, memref<64x16xf16>
// CHECK: gpu.launch
// The third result's user is inside scf.if: copied back, and in again there.
// CHECK: gpu.launch
// CHECK: gpu.memcpy async [%{{.*}}] %{{.*}}, %{{.*}} : memref<64x16xf16>, memref<64x16xf16>
// CHECK: scf.if
// CHECK: gpu.memcpy async [%{{.*}}] %{{.*}}, %{{.*}} : memref<64x16xf16>, memref<64x16xf16>
// CHECK: gpu.launch
func.func @copied_back(%w1: !W1, %w2: !W2, %x: tensor<128x16xf16>, %c: i1)
    -> (tensor<64x16xf16>, tensor<32x16xf16>) {
  %y = hinm.matmul %w1, %x : !W1, tensor<128x16xf16> -> tensor<64x16xf16>
  %z = hinm.matmul %w2, %y : !W2, tensor<64x16xf16> -> tensor<32x16xf16>
  %y2 = hinm.matmul %w1, %x : !W1, tensor<128x16xf16> -> tensor<64x16xf16>
  %r = scf.if %c -> tensor<32x16xf16> {
    %z2 = hinm.matmul %w2, %y2 : !W2, tensor<64x16xf16> -> tensor<32x16xf16>
    scf.yield %z2 : tensor<32x16xf16>
  } else {
    %e = tensor.empty() : tensor<32x16xf16>
    scf.yield %e : tensor<32x16xf16>
  }
  return %y, %r : tensor<64x16xf16>, tensor<32x16xf16>
}
