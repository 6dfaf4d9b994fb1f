// REQUIRES: mlir-runner
// bf16 weights and activations through --hinm-cpu-pipeline: reversed row
// permutation (original rows 0..3 at storage rows 15..12, padding first),
// stored values [p, 1] of storage row p, metadata picking compacted columns
// 0 and 1 (original columns 0 and 2): y[r] = (15 - r) * x[0] + x[2].
// RUN: hinm-opt %s --hinm-cpu-pipeline | %run_cpu | FileCheck %s

!M = !hinm.matrix<4x8xbf16, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>
func.func private @printMemrefF32(memref<*xf32>) attributes {llvm.emit_c_interface}
func.func @main() {
  %v = arith.constant dense<[[0.0, 1.0], [1.0, 1.0], [2.0, 1.0], [3.0, 1.0], [4.0, 1.0], [5.0, 1.0], [6.0, 1.0], [7.0, 1.0], [8.0, 1.0], [9.0, 1.0], [10.0, 1.0], [11.0, 1.0], [12.0, 1.0], [13.0, 1.0], [14.0, 1.0], [15.0, 1.0]]> : tensor<16x2xbf16>
  %i = arith.constant dense<[[0, 2, 4, 6]]> : tensor<1x4xi32>
  // Fields 0 and 1 of the two stored values: 0b0100.
  %m = arith.constant dense<4> : tensor<16x1xi32>
  %p = arith.constant dense<[15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]> : tensor<16xi32>
  %x = arith.constant dense<[[1.0], [2.0], [3.0], [4.0], [5.0], [6.0], [7.0], [8.0]]> : tensor<8x1xbf16>
  %w = hinm.assemble %v, %i, %m, %p : !M
  %y = hinm.matmul %w, %x : !M, tensor<8x1xbf16> -> tensor<4x1xf32>
  %b = bufferization.to_buffer %y : tensor<4x1xf32> to memref<4x1xf32>
  %u = memref.cast %b : memref<4x1xf32> to memref<*xf32>
  call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  return
}
// CHECK: sizes = [4, 1]
// CHECK-NEXT: {{^}}{{\[}}[18],
// CHECK-NEXT: {{^}} [17],
// CHECK-NEXT: {{^}} [16],
// CHECK-NEXT: {{^}} [15]]
