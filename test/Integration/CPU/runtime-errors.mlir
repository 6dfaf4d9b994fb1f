// REQUIRES: mlir-runner
// Wrong inputs that only show at run time abort with a message (hinm.assert)
// that names the first bad entry, instead of reading out of bounds. The parts
// come in as function arguments, so the verifiers cannot see their contents.
// The message goes to stderr (hinm-assert-to-stderr), so it survives the pipe
// into FileCheck.

// RUN: split-file %s %t
// RUN: hinm-opt %t/k.mlir --hinm-cpu-pipeline | not --crash %run_cpu 2>&1 | FileCheck %s --check-prefix=K
// K: hinm.matmul: input row count 9 differs from the weight's column count 8{{$}}
// K-NOT: Unranked Memref

// RUN: hinm-opt %t/index.mlir --hinm-cpu-pipeline | not --crash %run_cpu 2>&1 | FileCheck %s --check-prefix=INDEX
// INDEX: hinm.matmul: vector index out of range: block 0, entry 3 is 8, not in [0, 8){{$}}

// RUN: hinm-opt %t/perm.mlir --hinm-cpu-pipeline | not --crash %run_cpu 2>&1 | FileCheck %s --check-prefix=PERM
// PERM: hinm.matmul: row permutation repeats an entry: entries 1 and 15 both hold 1{{$}}

// RUN: hinm-opt %t/dupindex.mlir --hinm-cpu-pipeline | not --crash %run_cpu 2>&1 | FileCheck %s --check-prefix=DUP
// DUP: hinm.matmul: vector index repeats a column within a block: block 0, entry 2 names column 2 again{{$}}

// RUN: hinm-opt %t/unordered.mlir --hinm-cpu-pipeline | not --crash %run_cpu 2>&1 | FileCheck %s --check-prefix=UNORDERED
// UNORDERED: hinm.matmul: metadata positions of a group not strictly ascending: storage row 3, stored element 1 holds 0 after 1{{$}}

// The checks above (vector index, row permutation, metadata) are built by
// the same code (include/hinm/Conversion/Utils/RuntimeChecks.h) that the GPU
// lowering runs on the host before copying run-time parts to the device.

// RUN: hinm-opt %t/more.mlir --hinm-cpu-pipeline | not --crash %run_cpu 2>&1 | FileCheck %s --check-prefix=MORE
// MORE: hinm.pack: N:M mask keeps more than N values in a group: mask row 5, group 0{{$}}

// RUN: hinm-opt %t/fewer.mlir --hinm-cpu-pipeline | not --crash %run_cpu 2>&1 | FileCheck %s --check-prefix=FEWER
// FEWER: hinm.pack: N:M mask keeps fewer than N values in a group: mask row 5, group 0{{$}}

// The same programs with valid contents run and print.
// RUN: hinm-opt %t/good.mlir --hinm-cpu-pipeline | %run_cpu | FileCheck %s --check-prefix=GOOD
// GOOD: Unranked Memref {{.*}} sizes = [4, 1]
// x[2] + x[6] = 3 + 7 in every row.
// GOOD-NEXT: {{^}}{{\[}}[10],
// GOOD-NEXT: {{^}} [10],
// GOOD-NEXT: {{^}} [10],
// GOOD-NEXT: {{^}} [10]]

//--- k.mlir
!M = !hinm.matrix<4x8xf32, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>
func.func private @printMemrefF32(memref<*xf32>) attributes {llvm.emit_c_interface}
func.func @layer(%w: !M, %x: tensor<?x?xf32>) -> tensor<4x?xf32> {
  %y = hinm.matmul %w, %x : !M, tensor<?x?xf32> -> tensor<4x?xf32>
  return %y : tensor<4x?xf32>
}
func.func @main() {
  %v = arith.constant dense<1.0> : tensor<16x2xf32>
  %i = arith.constant dense<[[0, 2, 4, 6]]> : tensor<1x4xi32>
  %m = arith.constant dense<4> : tensor<16x1xi32>
  %p = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]> : tensor<16xi32>
  %w = hinm.assemble %v, %i, %m, %p : !M
  // 9 activation rows for a weight with 8 columns.
  %x0 = arith.constant dense<1.0> : tensor<9x1xf32>
  %x = tensor.cast %x0 : tensor<9x1xf32> to tensor<?x?xf32>
  %y = call @layer(%w, %x) : (!M, tensor<?x?xf32>) -> tensor<4x?xf32>
  %u = tensor.cast %y : tensor<4x?xf32> to tensor<*xf32>
  %b = bufferization.to_buffer %u : tensor<*xf32> to memref<*xf32>
  call @printMemrefF32(%b) : (memref<*xf32>) -> ()
  return
}

//--- index.mlir
!M = !hinm.matrix<4x8xf32, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>
func.func private @printMemrefF32(memref<*xf32>) attributes {llvm.emit_c_interface}
func.func @layer(%v: tensor<16x2xf32>, %i: tensor<1x4xi32>, %m: tensor<16x1xi32>,
                 %p: tensor<16xi32>, %x: tensor<8x1xf32>) -> tensor<4x1xf32> {
  %w = hinm.assemble %v, %i, %m, %p : !M
  %y = hinm.matmul %w, %x : !M, tensor<8x1xf32> -> tensor<4x1xf32>
  return %y : tensor<4x1xf32>
}
func.func @main() {
  %v = arith.constant dense<1.0> : tensor<16x2xf32>
  // Column 8 does not exist.
  %i = arith.constant dense<[[0, 2, 4, 8]]> : tensor<1x4xi32>
  %m = arith.constant dense<4> : tensor<16x1xi32>
  %p = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]> : tensor<16xi32>
  %x = arith.constant dense<1.0> : tensor<8x1xf32>
  %y = call @layer(%v, %i, %m, %p, %x) : (tensor<16x2xf32>, tensor<1x4xi32>, tensor<16x1xi32>, tensor<16xi32>, tensor<8x1xf32>) -> tensor<4x1xf32>
  %b = bufferization.to_buffer %y : tensor<4x1xf32> to memref<4x1xf32>
  %u = memref.cast %b : memref<4x1xf32> to memref<*xf32>
  call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  return
}

//--- perm.mlir
!M = !hinm.matrix<4x8xf32, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>
func.func private @printMemrefF32(memref<*xf32>) attributes {llvm.emit_c_interface}
func.func @layer(%v: tensor<16x2xf32>, %i: tensor<1x4xi32>, %m: tensor<16x1xi32>,
                 %p: tensor<16xi32>, %x: tensor<8x1xf32>) -> tensor<4x1xf32> {
  %w = hinm.assemble %v, %i, %m, %p : !M
  %y = hinm.matmul %w, %x : !M, tensor<8x1xf32> -> tensor<4x1xf32>
  return %y : tensor<4x1xf32>
}
func.func @main() {
  %v = arith.constant dense<1.0> : tensor<16x2xf32>
  %i = arith.constant dense<[[0, 2, 4, 6]]> : tensor<1x4xi32>
  %m = arith.constant dense<4> : tensor<16x1xi32>
  // Row 1 twice, row 15 never: original row 3's storage row would be unknown.
  %p = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 1]> : tensor<16xi32>
  %x = arith.constant dense<1.0> : tensor<8x1xf32>
  %y = call @layer(%v, %i, %m, %p, %x) : (tensor<16x2xf32>, tensor<1x4xi32>, tensor<16x1xi32>, tensor<16xi32>, tensor<8x1xf32>) -> tensor<4x1xf32>
  %b = bufferization.to_buffer %y : tensor<4x1xf32> to memref<4x1xf32>
  %u = memref.cast %b : memref<4x1xf32> to memref<*xf32>
  call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  return
}

//--- dupindex.mlir
!M = !hinm.matrix<4x8xf32, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>
func.func private @printMemrefF32(memref<*xf32>) attributes {llvm.emit_c_interface}
func.func @layer(%v: tensor<16x2xf32>, %i: tensor<1x4xi32>, %m: tensor<16x1xi32>,
                 %p: tensor<16xi32>, %x: tensor<8x1xf32>) -> tensor<4x1xf32> {
  %w = hinm.assemble %v, %i, %m, %p : !M
  %y = hinm.matmul %w, %x : !M, tensor<8x1xf32> -> tensor<4x1xf32>
  return %y : tensor<4x1xf32>
}
func.func @main() {
  %v = arith.constant dense<1.0> : tensor<16x2xf32>
  // Column 2 twice in the block.
  %i = arith.constant dense<[[0, 2, 2, 6]]> : tensor<1x4xi32>
  %m = arith.constant dense<4> : tensor<16x1xi32>
  %p = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]> : tensor<16xi32>
  %x = arith.constant dense<1.0> : tensor<8x1xf32>
  %y = call @layer(%v, %i, %m, %p, %x) : (tensor<16x2xf32>, tensor<1x4xi32>, tensor<16x1xi32>, tensor<16xi32>, tensor<8x1xf32>) -> tensor<4x1xf32>
  %b = bufferization.to_buffer %y : tensor<4x1xf32> to memref<4x1xf32>
  %u = memref.cast %b : memref<4x1xf32> to memref<*xf32>
  call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  return
}

//--- unordered.mlir
!M = !hinm.matrix<4x8xf32, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>
func.func private @printMemrefF32(memref<*xf32>) attributes {llvm.emit_c_interface}
func.func @layer(%v: tensor<16x2xf32>, %i: tensor<1x4xi32>, %m: tensor<16x1xi32>,
                 %p: tensor<16xi32>, %x: tensor<8x1xf32>) -> tensor<4x1xf32> {
  %w = hinm.assemble %v, %i, %m, %p : !M
  %y = hinm.matmul %w, %x : !M, tensor<8x1xf32> -> tensor<4x1xf32>
  return %y : tensor<4x1xf32>
}
func.func @main() {
  %v = arith.constant dense<1.0> : tensor<16x2xf32>
  %i = arith.constant dense<[[0, 2, 4, 6]]> : tensor<1x4xi32>
  // Word 0b0100 (positions 0 then 1) in every row but storage row 3, whose
  // word 0b0001 holds positions 1 then 0, not ascending.
  %m = arith.constant dense<[[4], [4], [4], [1], [4], [4], [4], [4], [4], [4], [4], [4], [4], [4], [4], [4]]> : tensor<16x1xi32>
  %p = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]> : tensor<16xi32>
  %x = arith.constant dense<1.0> : tensor<8x1xf32>
  %y = call @layer(%v, %i, %m, %p, %x) : (tensor<16x2xf32>, tensor<1x4xi32>, tensor<16x1xi32>, tensor<16xi32>, tensor<8x1xf32>) -> tensor<4x1xf32>
  %b = bufferization.to_buffer %y : tensor<4x1xf32> to memref<4x1xf32>
  %u = memref.cast %b : memref<4x1xf32> to memref<*xf32>
  call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  return
}

//--- more.mlir
!M = !hinm.matrix<4x8xf32, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>
func.func private @printMemrefF32(memref<*xf32>) attributes {llvm.emit_c_interface}
func.func @layer(%d: tensor<4x8xf32>, %p: tensor<16xi32>, %i: tensor<1x4xi32>,
                 %k: tensor<16x4xi1>, %x: tensor<8x1xf32>) -> tensor<4x1xf32> {
  %w = hinm.pack %d, %p, %i, %k : !M
  %y = hinm.matmul %w, %x : !M, tensor<8x1xf32> -> tensor<4x1xf32>
  return %y : tensor<4x1xf32>
}
func.func @main() {
  %d = arith.constant dense<1.0> : tensor<4x8xf32>
  %p = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]> : tensor<16xi32>
  %i = arith.constant dense<[[0, 2, 4, 6]]> : tensor<1x4xi32>
  // Three of four kept in storage row 5.
  %k = arith.constant dense<[[true, false, true, false], [true, false, true, false], [true, false, true, false], [true, false, true, false], [true, false, true, false], [true, true, true, false], [true, false, true, false], [true, false, true, false], [true, false, true, false], [true, false, true, false], [true, false, true, false], [true, false, true, false], [true, false, true, false], [true, false, true, false], [true, false, true, false], [true, false, true, false]]> : tensor<16x4xi1>
  %x = arith.constant dense<1.0> : tensor<8x1xf32>
  %y = call @layer(%d, %p, %i, %k, %x) : (tensor<4x8xf32>, tensor<16xi32>, tensor<1x4xi32>, tensor<16x4xi1>, tensor<8x1xf32>) -> tensor<4x1xf32>
  %b = bufferization.to_buffer %y : tensor<4x1xf32> to memref<4x1xf32>
  %u = memref.cast %b : memref<4x1xf32> to memref<*xf32>
  call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  return
}

//--- fewer.mlir
!M = !hinm.matrix<4x8xf32, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>
func.func private @printMemrefF32(memref<*xf32>) attributes {llvm.emit_c_interface}
func.func @layer(%d: tensor<4x8xf32>, %p: tensor<16xi32>, %i: tensor<1x4xi32>,
                 %k: tensor<16x4xi1>, %x: tensor<8x1xf32>) -> tensor<4x1xf32> {
  %w = hinm.pack %d, %p, %i, %k : !M
  %y = hinm.matmul %w, %x : !M, tensor<8x1xf32> -> tensor<4x1xf32>
  return %y : tensor<4x1xf32>
}
func.func @main() {
  %d = arith.constant dense<1.0> : tensor<4x8xf32>
  %p = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]> : tensor<16xi32>
  %i = arith.constant dense<[[0, 2, 4, 6]]> : tensor<1x4xi32>
  // One of four kept in storage row 5.
  %k = arith.constant dense<[[true, false, true, false], [true, false, true, false], [true, false, true, false], [true, false, true, false], [true, false, true, false], [false, false, true, false], [true, false, true, false], [true, false, true, false], [true, false, true, false], [true, false, true, false], [true, false, true, false], [true, false, true, false], [true, false, true, false], [true, false, true, false], [true, false, true, false], [true, false, true, false]]> : tensor<16x4xi1>
  %x = arith.constant dense<1.0> : tensor<8x1xf32>
  %y = call @layer(%d, %p, %i, %k, %x) : (tensor<4x8xf32>, tensor<16xi32>, tensor<1x4xi32>, tensor<16x4xi1>, tensor<8x1xf32>) -> tensor<4x1xf32>
  %b = bufferization.to_buffer %y : tensor<4x1xf32> to memref<4x1xf32>
  %u = memref.cast %b : memref<4x1xf32> to memref<*xf32>
  call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  return
}

//--- good.mlir
!M = !hinm.matrix<4x8xf32, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>
func.func private @printMemrefF32(memref<*xf32>) attributes {llvm.emit_c_interface}
func.func @layer(%d: tensor<4x8xf32>, %p: tensor<16xi32>, %i: tensor<1x4xi32>,
                 %k: tensor<16x4xi1>, %x: tensor<?x?xf32>) -> tensor<4x?xf32> {
  %w = hinm.pack %d, %p, %i, %k : !M
  %y = hinm.matmul %w, %x : !M, tensor<?x?xf32> -> tensor<4x?xf32>
  return %y : tensor<4x?xf32>
}
func.func @main() {
  %d = arith.constant dense<1.0> : tensor<4x8xf32>
  %p = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]> : tensor<16xi32>
  %i = arith.constant dense<[[0, 2, 4, 6]]> : tensor<1x4xi32>
  // Kept: compacted columns 1 and 3, original columns 2 and 6.
  %k = arith.constant dense<[[false, true, false, true], [false, true, false, true], [false, true, false, true], [false, true, false, true], [false, true, false, true], [false, true, false, true], [false, true, false, true], [false, true, false, true], [false, true, false, true], [false, true, false, true], [false, true, false, true], [false, true, false, true], [false, true, false, true], [false, true, false, true], [false, true, false, true], [false, true, false, true]]> : tensor<16x4xi1>
  %x0 = arith.constant dense<[[1.0], [2.0], [3.0], [4.0], [5.0], [6.0], [7.0], [8.0]]> : tensor<8x1xf32>
  %x = tensor.cast %x0 : tensor<8x1xf32> to tensor<?x?xf32>
  %y = call @layer(%d, %p, %i, %k, %x) : (tensor<4x8xf32>, tensor<16xi32>, tensor<1x4xi32>, tensor<16x4xi1>, tensor<?x?xf32>) -> tensor<4x?xf32>
  %u = tensor.cast %y : tensor<4x?xf32> to tensor<*xf32>
  %b = bufferization.to_buffer %u : tensor<*xf32> to memref<*xf32>
  call @printMemrefF32(%b) : (memref<*xf32>) -> ()
  return
}
