// GPU path, run-time storage parts that break the format: the host code
// checks them before copying anything to the device and aborts with the
// reason on stderr (hinm-assert-to-stderr), instead of launching a kernel
// that reads out of bounds or runs mma.sp on undefined metadata. The parts
// reach @layer as function arguments, so no verifier saw them. The last
// program has valid parts and runs. (UNSUPPORTED without a CUDA device: see
// lit.local.cfg; test/Conversion/HiNMToNVGPU/runtime-checks.mlir checks the
// emitted checks without one, and test/Integration/CPU/runtime-errors.mlir
// runs the same check code through the CPU pipeline; these programs' @main
// through --hinm-cpu-pipeline print the messages checked here, with the bad
// entry's position.)

// RUN: split-file %s %t
// RUN: hinm-opt %t/range.mlir --hinm-gpu-pipeline="chip=sm_80 format=isa" | not --crash mlir-runner -e main --entry-point-result=void --shared-libs=%hinm_cuda_runtime,%mlir_runner_utils,%mlir_c_runner_utils 2>&1 | FileCheck %s --check-prefix=RANGE
// RANGE: hinm.matmul: vector index out of range: block 0, entry 31 is 64, not in [0, 64){{$}}
// RANGE-NOT: Unranked Memref
// RUN: hinm-opt %t/dup.mlir --hinm-gpu-pipeline="chip=sm_80 format=isa" | not --crash mlir-runner -e main --entry-point-result=void --shared-libs=%hinm_cuda_runtime,%mlir_runner_utils,%mlir_c_runner_utils 2>&1 | FileCheck %s --check-prefix=DUP
// DUP: hinm.matmul: vector index repeats a column within a block: block 0, entry 31 names column 0 again{{$}}
// DUP-NOT: Unranked Memref
// RUN: hinm-opt %t/perm.mlir --hinm-gpu-pipeline="chip=sm_80 format=isa" | not --crash mlir-runner -e main --entry-point-result=void --shared-libs=%hinm_cuda_runtime,%mlir_runner_utils,%mlir_c_runner_utils 2>&1 | FileCheck %s --check-prefix=PERM
// PERM: hinm.matmul: row permutation repeats an entry: entries 0 and 31 both hold 0{{$}}
// PERM-NOT: Unranked Memref
// RUN: hinm-opt %t/unordered.mlir --hinm-gpu-pipeline="chip=sm_80 format=isa" | not --crash mlir-runner -e main --entry-point-result=void --shared-libs=%hinm_cuda_runtime,%mlir_runner_utils,%mlir_c_runner_utils 2>&1 | FileCheck %s --check-prefix=UNORDERED
// RUN: hinm-opt %t/unordered.mlir --hinm-gpu-pipeline="chip=sm_80 format=isa ordered-metadata=true" | not --crash mlir-runner -e main --entry-point-result=void --shared-libs=%hinm_cuda_runtime,%mlir_runner_utils,%mlir_c_runner_utils 2>&1 | FileCheck %s --check-prefix=UNORDERED
// UNORDERED: hinm.matmul: metadata positions of a group not strictly ascending: storage row 0, stored element 1 holds 0 after 1{{$}}
// UNORDERED-NOT: Unranked Memref
// With valid parts the program runs: every output is the sum of the 16
// stored ones of its row.
// RUN: hinm-opt %t/good.mlir --hinm-gpu-pipeline="chip=sm_80 format=isa" | mlir-runner -e main --entry-point-result=void --shared-libs=%hinm_cuda_runtime,%mlir_runner_utils,%mlir_c_runner_utils 2>&1 | FileCheck %s --check-prefix=GOOD
// GOOD-NOT: hinm.matmul:
// GOOD-NOT: hinm_cuda_runtime
// GOOD: Unranked Memref {{.*}} sizes = [32, 64]
// GOOD-NEXT: {{\[\[16, +16,}}
// GOOD-NOT: hinm_cuda_runtime

//--- range.mlir
!W = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
func.func private @printMemrefF32(memref<*xf32>) attributes {llvm.emit_c_interface}
func.func @layer(%v: tensor<32x16xf16>, %i: tensor<1x32xi32>, %m: tensor<32x1xi32>,
                 %p: tensor<32xi32>, %x: tensor<64x64xf16>) -> tensor<32x64xf32> {
  %w = hinm.assemble %v, %i, %m, %p : !W
  %y = hinm.matmul %w, %x : !W, tensor<64x64xf16> -> tensor<32x64xf32>
  return %y : tensor<32x64xf32>
}
func.func @main() {
  %v = arith.constant dense<1.0> : tensor<32x16xf16>
  // Column 64 does not exist.
  %i = arith.constant dense<[[0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 42, 44, 46, 48, 50, 52, 54, 56, 58, 60, 64]]> : tensor<1x32xi32>
  %m = arith.constant dense<1145324612> : tensor<32x1xi32>
  %p = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]> : tensor<32xi32>
  %x = arith.constant dense<1.0> : tensor<64x64xf16>
  %y = call @layer(%v, %i, %m, %p, %x) : (tensor<32x16xf16>, tensor<1x32xi32>, tensor<32x1xi32>, tensor<32xi32>, tensor<64x64xf16>) -> tensor<32x64xf32>
  %b = bufferization.to_buffer %y : tensor<32x64xf32> to memref<32x64xf32>
  %u = memref.cast %b : memref<32x64xf32> to memref<*xf32>
  call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  return
}

//--- dup.mlir
!W = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
func.func private @printMemrefF32(memref<*xf32>) attributes {llvm.emit_c_interface}
func.func @layer(%v: tensor<32x16xf16>, %i: tensor<1x32xi32>, %m: tensor<32x1xi32>,
                 %p: tensor<32xi32>, %x: tensor<64x64xf16>) -> tensor<32x64xf32> {
  %w = hinm.assemble %v, %i, %m, %p : !W
  %y = hinm.matmul %w, %x : !W, tensor<64x64xf16> -> tensor<32x64xf32>
  return %y : tensor<32x64xf32>
}
func.func @main() {
  %v = arith.constant dense<1.0> : tensor<32x16xf16>
  // Column 0 twice in the block.
  %i = arith.constant dense<[[0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 42, 44, 46, 48, 50, 52, 54, 56, 58, 60, 0]]> : tensor<1x32xi32>
  %m = arith.constant dense<1145324612> : tensor<32x1xi32>
  %p = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]> : tensor<32xi32>
  %x = arith.constant dense<1.0> : tensor<64x64xf16>
  %y = call @layer(%v, %i, %m, %p, %x) : (tensor<32x16xf16>, tensor<1x32xi32>, tensor<32x1xi32>, tensor<32xi32>, tensor<64x64xf16>) -> tensor<32x64xf32>
  %b = bufferization.to_buffer %y : tensor<32x64xf32> to memref<32x64xf32>
  %u = memref.cast %b : memref<32x64xf32> to memref<*xf32>
  call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  return
}

//--- perm.mlir
!W = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
func.func private @printMemrefF32(memref<*xf32>) attributes {llvm.emit_c_interface}
func.func @layer(%v: tensor<32x16xf16>, %i: tensor<1x32xi32>, %m: tensor<32x1xi32>,
                 %p: tensor<32xi32>, %x: tensor<64x64xf16>) -> tensor<32x64xf32> {
  %w = hinm.assemble %v, %i, %m, %p : !W
  %y = hinm.matmul %w, %x : !W, tensor<64x64xf16> -> tensor<32x64xf32>
  return %y : tensor<32x64xf32>
}
func.func @main() {
  %v = arith.constant dense<1.0> : tensor<32x16xf16>
  // Row 0 twice, row 31 never.
  %i = arith.constant dense<[[0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 42, 44, 46, 48, 50, 52, 54, 56, 58, 60, 62]]> : tensor<1x32xi32>
  %m = arith.constant dense<1145324612> : tensor<32x1xi32>
  %p = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 0]> : tensor<32xi32>
  %x = arith.constant dense<1.0> : tensor<64x64xf16>
  %y = call @layer(%v, %i, %m, %p, %x) : (tensor<32x16xf16>, tensor<1x32xi32>, tensor<32x1xi32>, tensor<32xi32>, tensor<64x64xf16>) -> tensor<32x64xf32>
  %b = bufferization.to_buffer %y : tensor<32x64xf32> to memref<32x64xf32>
  %u = memref.cast %b : memref<32x64xf32> to memref<*xf32>
  call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  return
}

//--- unordered.mlir
!W = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
func.func private @printMemrefF32(memref<*xf32>) attributes {llvm.emit_c_interface}
func.func @layer(%v: tensor<32x16xf16>, %i: tensor<1x32xi32>, %m: tensor<32x1xi32>,
                 %p: tensor<32xi32>, %x: tensor<64x64xf16>) -> tensor<32x64xf32> {
  %w = hinm.assemble %v, %i, %m, %p : !W
  %y = hinm.matmul %w, %x : !W, tensor<64x64xf16> -> tensor<32x64xf32>
  return %y : tensor<32x64xf32>
}
func.func @main() {
  %v = arith.constant dense<1.0> : tensor<32x16xf16>
  // Metadata 0x44444441: group 0 holds positions 1 then 0.
  %i = arith.constant dense<[[0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 42, 44, 46, 48, 50, 52, 54, 56, 58, 60, 62]]> : tensor<1x32xi32>
  %m = arith.constant dense<1145324609> : tensor<32x1xi32>
  %p = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]> : tensor<32xi32>
  %x = arith.constant dense<1.0> : tensor<64x64xf16>
  %y = call @layer(%v, %i, %m, %p, %x) : (tensor<32x16xf16>, tensor<1x32xi32>, tensor<32x1xi32>, tensor<32xi32>, tensor<64x64xf16>) -> tensor<32x64xf32>
  %b = bufferization.to_buffer %y : tensor<32x64xf32> to memref<32x64xf32>
  %u = memref.cast %b : memref<32x64xf32> to memref<*xf32>
  call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  return
}

//--- good.mlir
!W = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
func.func private @printMemrefF32(memref<*xf32>) attributes {llvm.emit_c_interface}
func.func @layer(%v: tensor<32x16xf16>, %i: tensor<1x32xi32>, %m: tensor<32x1xi32>,
                 %p: tensor<32xi32>, %x: tensor<64x64xf16>) -> tensor<32x64xf32> {
  %w = hinm.assemble %v, %i, %m, %p : !W
  %y = hinm.matmul %w, %x : !W, tensor<64x64xf16> -> tensor<32x64xf32>
  return %y : tensor<32x64xf32>
}
func.func @main() {
  %v = arith.constant dense<1.0> : tensor<32x16xf16>
  // Valid parts: columns 0, 2, ..., 62; positions 0, 1 in every group.
  %i = arith.constant dense<[[0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 42, 44, 46, 48, 50, 52, 54, 56, 58, 60, 62]]> : tensor<1x32xi32>
  %m = arith.constant dense<1145324612> : tensor<32x1xi32>
  %p = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]> : tensor<32xi32>
  %x = arith.constant dense<1.0> : tensor<64x64xf16>
  %y = call @layer(%v, %i, %m, %p, %x) : (tensor<32x16xf16>, tensor<1x32xi32>, tensor<32x1xi32>, tensor<32xi32>, tensor<64x64xf16>) -> tensor<32x64xf32>
  %b = bufferization.to_buffer %y : tensor<32x64xf32> to memref<32x64xf32>
  %u = memref.cast %b : memref<32x64xf32> to memref<*xf32>
  call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  return
}
