// RUN: hinm-opt %s --convert-hinm-to-nvgpu --canonicalize --cse -split-input-file | FileCheck %s
// A dynamic N (a batch size known at run time): N is read from the
// activations, checked to be a multiple of 8 (the kernel's 16-byte
// activation rows) unless hinm-pad-matmul-columns padded it, the activation
// and result buffers get N as their dynamic size, the grid has
// max(ceil(N / block-n), 1) column tiles, and the kernel guards every
// activation copy and result store against N.

!W = !hinm.matrix<80x512xf16, #hinm.format<vector_size = 32, kept = 256, n = 2, m = 4>>

// CHECK-LABEL: func.func @dynamic_n(
// CHECK: %[[N:.*]] = tensor.dim %{{.*}}, %c1 : tensor<512x?xf16>
// CHECK: %[[R:.*]] = arith.remui %[[N]], %c8 : index
// CHECK: %[[OK:.*]] = arith.cmpi eq, %[[R]], %c0 : index
// CHECK: hinm.assert %[[OK]], "hinm.matmul: N, the activations' column count, is {}; it must be a multiple of 8 on the GPU (16-byte activation rows): pad the activations"(%[[N]] : index)
// CHECK: %[[X:.*]], %{{.*}} = gpu.alloc async [%{{.*}}] (%[[N]]) {bufferization.manual_deallocation} : memref<512x?xf16>
// CHECK: %[[Y:.*]], %{{.*}} = gpu.alloc async [%{{.*}}] (%[[N]]) {bufferization.manual_deallocation} : memref<80x?xf32>
// CHECK: %[[T:.*]] = arith.ceildivui %[[N]], %c64 : index
// CHECK: %[[GY:.*]] = arith.maxui %[[T]], %c1 : index
// CHECK: gpu.launch async [%{{.*}}] blocks(%{{.*}}, %{{.*}}, %{{.*}}) in (%{{.*}} = %c3, %{{.*}} = %[[GY]], %{{.*}} = %c1)
// CHECK: %[[IN:.*]] = arith.cmpi ult, %{{.*}}, %[[N]] : index
// CHECK: nvgpu.device_async_copy %[[X]][%{{.*}}, %{{.*}}], %{{.*}}[%{{.*}}], 8, %{{.*}} {bypassL1} : memref<512x?xf16>
// CHECK: mma.sp.sync
// CHECK: arith.cmpi ult, %{{.*}}, %[[N]] : index
// CHECK: vector.store %{{.*}}, %[[Y]][%{{.*}}, %{{.*}}] {alignment = 8 : i64} : memref<80x?xf32>, vector<2xf32>
// CHECK: memref.alloc(%[[N]]) : memref<80x?xf32>
func.func @dynamic_n(%w: !W, %x: tensor<512x?xf16>) -> tensor<80x?xf32> {
  %y = hinm.matmul %w, %x : !W, tensor<512x?xf16> -> tensor<80x?xf32>
  return %y : tensor<80x?xf32>
}

// -----

!W = !hinm.matrix<80x512xf16, #hinm.format<vector_size = 32, kept = 256, n = 2, m = 4>>

// Padded by hinm-pad-matmul-columns: no run-time N check.
// CHECK-LABEL: func.func @padded_n(
// CHECK: tensor.dim
// CHECK-NOT: must be a multiple of 8
// CHECK: gpu.launch
func.func @padded_n(%w: !W, %x: tensor<512x?xf16>) -> tensor<80x?xf32> {
  %y = hinm.matmul %w, %x {hinm.n_multiple_of = 8 : i64} : !W, tensor<512x?xf16> -> tensor<80x?xf32>
  return %y : tensor<80x?xf32>
}
