// RUN: hinm-opt %s --convert-hinm-to-nvgpu -split-input-file | FileCheck %s
// RUN: hinm-opt %s --convert-hinm-to-nvgpu="device-gather=false" -split-input-file | FileCheck %s --check-prefix=OFF
// The ops between two matmuls that only move or map elements (reshapes, the
// bias and activation in NCHW form, a zero padding, an im2col gather, a
// transpose) become one gather kernel: 256 threads, one element each, that
// reads the first kernel's output on the device and writes the second
// kernel's activations there. Nothing is copied back between the layers.

!W1 = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
!W2 = !hinm.matrix<32x288xf16, #hinm.format<vector_size = 32, kept = 128, n = 2, m = 4>>
#id4 = affine_map<(n, c, i, j) -> (n, c, i, j)>
#chan = affine_map<(n, c, i, j) -> (c)>
#im2col = affine_map<(c, kh, kw, n, oh, ow) -> (n, c, oh + kh, ow + kw)>
#id6 = affine_map<(c, kh, kw, n, oh, ow) -> (c, kh, kw, n, oh, ow)>

// Two 3x3 convolutions, NCHW, padding 1, as hinm-sparsify leaves them.
// CHECK-LABEL: func.func @two_convs(
// CHECK: %[[Y:[a-z0-9_]+]], %{{.*}} = gpu.alloc async [%{{.*}}] () {bufferization.manual_deallocation} : memref<32x64xf32>
// CHECK: gpu.launch
// CHECK: gpu.terminator
// CHECK-NOT: gpu.memcpy
// CHECK-NOT: gpu.dealloc {{.*}}%[[Y]]
// CHECK: %[[X2:[a-z0-9_]+]], %{{.*}} = gpu.alloc async [%{{.*}}] () {bufferization.manual_deallocation} : memref<288x64xf16>
// 18432 elements: 72 blocks of 256 threads, one element each.
// CHECK: gpu.launch async [%{{.*}}] blocks(%[[BX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %c72{{.*}}, %{{.*}} = %c1{{.*}}, %{{.*}} = %c1{{.*}}) threads(%[[TX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %c256{{.*}}, %{{.*}} = %c1{{.*}}, %{{.*}} = %c1
// CHECK: %[[BIAS:.*]] = memref.get_global @__hinm_gather : memref<32xf32, #gpu.address_space<global>>
// CHECK: %[[LIN:.*]] = arith.addi %{{.*}}, %[[TX]] : index
// CHECK: %[[IN:.*]] = arith.cmpi ult, %[[LIN]], %c18432
// CHECK: scf.if %[[IN]] {
// The padding: positions outside the 8x8 image select zero.
// CHECK: arith.cmpi sge
// CHECK: arith.cmpi slt
// CHECK: %[[V:.*]] = memref.load %[[Y]][%{{.*}}, %{{.*}}] : memref<32x64xf32>
// CHECK: %[[B:.*]] = memref.load %[[BIAS]][%{{.*}}] : memref<32xf32, #gpu.address_space<global>>
// CHECK: %[[S:.*]] = arith.addf %[[V]], %[[B]] : f32
// CHECK: %[[R:.*]] = arith.maximumf %[[S]]
// CHECK: %[[T:.*]] = arith.truncf %[[R]] : f32 to f16
// CHECK: %[[P:.*]] = arith.select %{{.*}}, %[[T]], %{{.*}} : f16
// CHECK: memref.store %[[P]], %[[X2]][%{{.*}}, %{{.*}}] : memref<288x64xf16>
// CHECK: gpu.terminator
// CHECK: gpu.dealloc async [%{{.*}}] %[[Y]] {bufferization.manual_deallocation} : memref<32x64xf32>
// CHECK-NOT: gpu.memcpy {{.*}}%[[X2]]
// CHECK: gpu.launch
// CHECK: nvgpu.device_async_copy %[[X2]][
// CHECK: gpu.terminator
// CHECK: gpu.memcpy
// CHECK: gpu.dealloc async [%{{.*}}] %[[X2]]
// CHECK: return
// CHECK: memref.global "private" constant @__hinm_gather : memref<32xf32, #gpu.address_space<global>> = dense<[0.000000e+00, 1.000000e+00,
// Off: the first result is copied back, the chain runs on the host.
// OFF-LABEL: func.func @two_convs(
// OFF: gpu.launch
// OFF: gpu.memcpy async [%{{.*}}] %{{.*}}, %{{.*}} : memref<32x64xf32>, memref<32x64xf32>
// OFF: tensor.expand_shape
// OFF: linalg.generic
// OFF: tensor.pad
// OFF: linalg.generic
// OFF: tensor.collapse_shape
// OFF: gpu.memcpy async [%{{.*}}] %{{.*}}, %{{.*}} : memref<288x64xf16>, memref<288x64xf16>
// OFF: gpu.launch
func.func @two_convs(%w1: !W1, %w2: !W2, %x: tensor<64x64xf16>) -> tensor<32x64xf32> {
  %bias = arith.constant dense<[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0,
                                16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0]> : tensor<32xf32>
  %zero = arith.constant 0.0 : f32
  %zh = arith.constant 0.0 : f16
  %y = hinm.matmul %w1, %x : !W1, tensor<64x64xf16> -> tensor<32x64xf32>
  %y4 = tensor.expand_shape %y [[0, 1], [2, 3]] output_shape [1, 32, 8, 8] : tensor<32x64xf32> into tensor<1x32x8x8xf32>
  %e = tensor.empty() : tensor<1x32x8x8xf16>
  %h = linalg.generic {indexing_maps = [#id4, #chan, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y4, %bias : tensor<1x32x8x8xf32>, tensor<32xf32>) outs(%e : tensor<1x32x8x8xf16>) {
  ^bb0(%a: f32, %b: f32, %o: f16):
    %s = arith.addf %a, %b : f32
    %r = arith.maximumf %s, %zero : f32
    %t = arith.truncf %r : f32 to f16
    linalg.yield %t : f16
  } -> tensor<1x32x8x8xf16>
  %hp = tensor.pad %h low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zh : f16
  } : tensor<1x32x8x8xf16> to tensor<1x32x10x10xf16>
  %e6 = tensor.empty() : tensor<32x3x3x1x8x8xf16>
  %g = linalg.generic {indexing_maps = [#im2col, #id6], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%hp : tensor<1x32x10x10xf16>) outs(%e6 : tensor<32x3x3x1x8x8xf16>) {
  ^bb0(%in: f16, %o: f16):
    linalg.yield %in : f16
  } -> tensor<32x3x3x1x8x8xf16>
  %x2 = tensor.collapse_shape %g [[0, 1, 2], [3, 4, 5]] : tensor<32x3x3x1x8x8xf16> into tensor<288x64xf16>
  %z = hinm.matmul %w2, %x2 : !W2, tensor<288x64xf16> -> tensor<32x64xf32>
  return %z : tensor<32x64xf32>
}

// -----

// A transpose (linalg.transpose) and a scalar operand: the chained value is
// read through the transposed map, the scalar is captured by the kernel.
!W1 = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
!W2 = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>

// CHECK-LABEL: func.func @transpose_scale(
// CHECK-SAME: %{{.*}}: f16)
// CHECK: %[[Y:[a-z0-9_]+]], %{{.*}} = gpu.alloc async [%{{.*}}] () {bufferization.manual_deallocation} : memref<32x32xf16>
// CHECK: gpu.launch
// CHECK-NOT: gpu.memcpy
// CHECK: %[[X2:[a-z0-9_]+]], %{{.*}} = gpu.alloc async [%{{.*}}] () {bufferization.manual_deallocation} : memref<64x32xf16>
// CHECK: gpu.launch
// CHECK: %[[V:.*]] = memref.load %[[Y]][%{{.*}}, %{{.*}}] : memref<32x32xf16>
// CHECK: %[[M:.*]] = arith.mulf %[[V]], %{{.*}} : f16
// The padding value is a constant in the pad's body: cloned into the kernel.
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f16
// CHECK: %[[P:.*]] = arith.select %{{.*}}, %[[M]], %[[ZERO]] : f16
// CHECK: memref.store %[[P]], %[[X2]][%{{.*}}, %{{.*}}] : memref<64x32xf16>
// CHECK-NOT: gpu.memcpy {{.*}}%[[X2]]
// CHECK: gpu.launch
// CHECK: nvgpu.device_async_copy %[[X2]][
func.func @transpose_scale(%w1: !W1, %w2: !W2, %x: tensor<64x32xf16>, %scale: f16) -> tensor<32x32xf16> {
  %y = hinm.matmul %w1, %x : !W1, tensor<64x32xf16> -> tensor<32x32xf16>
  %e = tensor.empty() : tensor<32x32xf16>
  %t = linalg.transpose ins(%y : tensor<32x32xf16>) outs(%e : tensor<32x32xf16>) permutation = [1, 0]
  %e2 = tensor.empty() : tensor<32x32xf16>
  %s = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> ()>, affine_map<(i, j) -> (i, j)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%t, %scale : tensor<32x32xf16>, f16) outs(%e2 : tensor<32x32xf16>) {
  ^bb0(%a: f16, %b: f16, %o: f16):
    %m = arith.mulf %a, %b : f16
    linalg.yield %m : f16
  } -> tensor<32x32xf16>
  %x2 = tensor.expand_shape %s [[0], [1, 2]] output_shape [32, 1, 32] : tensor<32x32xf16> into tensor<32x1x32xf16>
  %x3 = tensor.collapse_shape %x2 [[0, 1], [2]] : tensor<32x1x32xf16> into tensor<32x32xf16>
  %p = tensor.pad %x3 low[0, 0] high[32, 0] {
  ^bb0(%i0: index, %i1: index):
    %c0 = arith.constant 0.0 : f16
    tensor.yield %c0 : f16
  } : tensor<32x32xf16> to tensor<64x32xf16>
  %z = hinm.matmul %w2, %p : !W2, tensor<64x32xf16> -> tensor<32x32xf16>
  return %z : tensor<32x32xf16>
}

// -----

// Where the chain does not reach the next matmul, the qualifying ops up to
// the first that does not qualify still run on the device, as a gather
// kernel whose result is copied back: a residual input that is not a
// constant (the transpose runs on the device, the add on the host), a value
// with a second user (the transpose runs on the device, its result is
// copied back and in again). A reshape alone is not worth a kernel: before
// a reduction, the result is copied back as it is.
!W = !hinm.matrix<32x32xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>

// CHECK-LABEL: func.func @residual(
// CHECK: gpu.launch
// CHECK: gpu.terminator
// CHECK-NOT: gpu.memcpy
// CHECK: gpu.launch
// CHECK: memref.load
// CHECK: memref.store
// CHECK: gpu.terminator
// CHECK: gpu.memcpy async [%{{.*}}] %{{.*}}, %{{.*}} : memref<32x32xf16>, memref<32x32xf16>
// CHECK-NOT: linalg.transpose
// CHECK: linalg.add
// CHECK: gpu.memcpy
// CHECK: gpu.launch
func.func @residual(%w1: !W, %w2: !W, %x: tensor<32x32xf16>) -> tensor<32x32xf16> {
  %y = hinm.matmul %w1, %x : !W, tensor<32x32xf16> -> tensor<32x32xf16>
  %e = tensor.empty() : tensor<32x32xf16>
  %t = linalg.transpose ins(%y : tensor<32x32xf16>) outs(%e : tensor<32x32xf16>) permutation = [1, 0]
  %s = linalg.add ins(%t, %x : tensor<32x32xf16>, tensor<32x32xf16>) outs(%e : tensor<32x32xf16>) -> tensor<32x32xf16>
  %z = hinm.matmul %w2, %s : !W, tensor<32x32xf16> -> tensor<32x32xf16>
  return %z : tensor<32x32xf16>
}

// CHECK-LABEL: func.func @reduction(
// CHECK: gpu.launch
// CHECK: gpu.terminator
// CHECK-NOT: gpu.launch
// CHECK: gpu.memcpy async [%{{.*}}] %{{.*}}, %{{.*}} : memref<32x32xf16>, memref<32x32xf16>
// CHECK: tensor.expand_shape
// CHECK: linalg.generic
// CHECK: gpu.memcpy
// CHECK: gpu.launch
func.func @reduction(%w1: !W, %w2: !W, %x: tensor<32x32xf16>) -> tensor<32x32xf16> {
  %y = hinm.matmul %w1, %x : !W, tensor<32x32xf16> -> tensor<32x32xf16>
  %y3 = tensor.expand_shape %y [[0], [1, 2]] output_shape [32, 32, 1] : tensor<32x32xf16> into tensor<32x32x1xf16>
  %e = tensor.empty() : tensor<32x32xf16>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, j, k)>, affine_map<(i, j, k) -> (i, j)>],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%y3 : tensor<32x32x1xf16>) outs(%e : tensor<32x32xf16>) {
  ^bb0(%a: f16, %o: f16):
    %s = arith.addf %a, %o : f16
    linalg.yield %s : f16
  } -> tensor<32x32xf16>
  %z = hinm.matmul %w2, %r : !W, tensor<32x32xf16> -> tensor<32x32xf16>
  return %z : tensor<32x32xf16>
}

// CHECK-LABEL: func.func @second_user(
// CHECK: gpu.launch
// CHECK: gpu.launch
// CHECK: memref.store
// CHECK: gpu.memcpy async [%{{.*}}] %{{.*}}, %{{.*}} : memref<32x32xf16>, memref<32x32xf16>
// CHECK-NOT: linalg.transpose
// CHECK: gpu.memcpy
// CHECK: gpu.launch
func.func @second_user(%w1: !W, %w2: !W, %x: tensor<32x32xf16>) -> (tensor<32x32xf16>, tensor<32x32xf16>) {
  %y = hinm.matmul %w1, %x : !W, tensor<32x32xf16> -> tensor<32x32xf16>
  %e = tensor.empty() : tensor<32x32xf16>
  %t = linalg.transpose ins(%y : tensor<32x32xf16>) outs(%e : tensor<32x32xf16>) permutation = [1, 0]
  %z = hinm.matmul %w2, %t : !W, tensor<32x32xf16> -> tensor<32x32xf16>
  return %z, %t : tensor<32x32xf16>, tensor<32x32xf16>
}

// -----

// The last layer of a convolution network: the reshape back to NCHW and the
// per-channel bias and ReLU run as a gather kernel after the matmul's, the
// host copies back its result and keeps the trailing collapse (free on the
// host). No linalg op is left on the host.
!W = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>

// CHECK-LABEL: func.func @last_layer(
// CHECK: %[[Y:[a-z0-9_]+]], %{{.*}} = gpu.alloc async [%{{.*}}] () {bufferization.manual_deallocation} : memref<32x32xf32>
// CHECK: gpu.launch
// CHECK-NOT: gpu.memcpy
// CHECK: %[[R:[a-z0-9_]+]], %{{.*}} = gpu.alloc async [%{{.*}}] () {bufferization.manual_deallocation} : memref<1x32x4x8xf32>
// CHECK: gpu.launch
// CHECK: %[[G:.*]] = memref.get_global @__hinm_gather
// CHECK: memref.load %[[Y]]
// CHECK: memref.load %[[G]]
// CHECK: arith.maximumf
// CHECK: memref.store %{{.*}}, %[[R]]
// CHECK: %[[HOST:.*]] = memref.alloc() : memref<1x32x4x8xf32>
// CHECK: gpu.memcpy async [%{{.*}}] %[[HOST]], %[[R]] : memref<1x32x4x8xf32>, memref<1x32x4x8xf32>
// CHECK: gpu.dealloc async [%{{.*}}] %[[Y]]
// CHECK: gpu.dealloc async [%{{.*}}] %[[R]]
// CHECK: %[[T:.*]] = bufferization.to_tensor %[[HOST]] restrict writable
// CHECK-NOT: linalg.generic
// CHECK: tensor.collapse_shape %[[T]]
// CHECK: return
// OFF-LABEL: func.func @last_layer(
// OFF: gpu.memcpy async [%{{.*}}] %{{.*}}, %{{.*}} : memref<32x32xf32>, memref<32x32xf32>
// OFF: linalg.generic
func.func @last_layer(%w: !W, %x: tensor<64x32xf16>) -> tensor<32x32xf32> {
  %bias = arith.constant dense<0.5> : tensor<32xf32>
  %zero = arith.constant 0.0 : f32
  %y = hinm.matmul %w, %x : !W, tensor<64x32xf16> -> tensor<32x32xf32>
  %y4 = tensor.expand_shape %y [[0, 1], [2, 3]] output_shape [1, 32, 4, 8] : tensor<32x32xf32> into tensor<1x32x4x8xf32>
  %e = tensor.empty() : tensor<1x32x4x8xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(n, c, i, j) -> (n, c, i, j)>, affine_map<(n, c, i, j) -> (c)>, affine_map<(n, c, i, j) -> (n, c, i, j)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y4, %bias : tensor<1x32x4x8xf32>, tensor<32xf32>) outs(%e : tensor<1x32x4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x32x4x8xf32>
  %f = tensor.collapse_shape %r [[0, 1], [2, 3]] : tensor<1x32x4x8xf32> into tensor<32x32xf32>
  return %f : tensor<32x32xf32>
}
