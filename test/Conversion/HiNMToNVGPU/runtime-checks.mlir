// RUN: hinm-opt %s --convert-hinm-to-nvgpu | FileCheck %s
// RUN: hinm-opt %s --convert-hinm-to-nvgpu="runtime-checks=false" | FileCheck %s --check-prefix=OFF
// RUN: hinm-opt %s --hinm-gpu-pipeline="chip=sm_80 format=isa" | FileCheck %s --check-prefix=PIPE
// RUN: hinm-opt %s --hinm-gpu-pipeline="chip=sm_80 format=isa runtime-checks=false" | FileCheck %s --check-prefix=PIPEOFF
// Host-side run-time checks of hinm.matmul's storage parts before the device
// copies: every run-time part (function argument) is checked with hinm.assert,
// constant parts (verified at compile time) are not, runtime-checks=false
// drops them, and the GPU pipeline reports failures on stderr (and frees the
// checks' scratch tables: test/Pipelines/gpu-host-dealloc.mlir).

!W = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>

// All four parts are run-time: the vector index (range, then distinct per
// block), the row permutation (range, then no repeats) and the metadata
// (groups ascending) are checked, all before the first device operation.
// CHECK-LABEL: func.func @runtime_parts
// CHECK-SAME: (%{{.*}}: tensor<32x16xf16>, %[[I:.*]]: tensor<1x32xi32>, %[[M:.*]]: tensor<32x1xi32>, %[[P:.*]]: tensor<32xi32>
// CHECK-NOT: gpu.
// CHECK: scf.for
// CHECK: tensor.extract %[[I]]
// CHECK: arith.constant 64 : i32
// Each failure names the first bad entry: its position (loop indices) and
// value.
// CHECK: hinm.assert %{{.*}}, "hinm.matmul: vector index out of range: block {}, entry {} is {}, not in [0, 64)"(%{{.*}}, %{{.*}}, %{{.*}} : index, index, i32)
// CHECK: scf.for
// CHECK: scf.for
// CHECK: tensor.extract %[[I]]
// CHECK: hinm.assert %{{.*}}, "hinm.matmul: vector index repeats a column within a block: block {}, entry {} names column {} again"(%{{.*}}, %{{.*}}, %{{.*}} : index, index, index)
// CHECK: scf.for
// CHECK: tensor.extract %[[P]]
// CHECK: arith.constant 32 : i32
// CHECK: hinm.assert %{{.*}}, "hinm.matmul: row permutation entry out of range: entry {} is {}, not in [0, 32)"(%{{.*}}, %{{.*}} : index, i32)
// CHECK: hinm.assert %{{.*}}, "hinm.matmul: row permutation repeats an entry: entries {} and {} both hold {}"(%{{.*}}, %{{.*}}, %{{.*}} : i32, index, index)
// CHECK: scf.for
// CHECK: scf.for
// CHECK: tensor.extract %[[M]]
// CHECK: hinm.assert %{{.*}}, "hinm.matmul: metadata positions of a group not strictly ascending: storage row {}, stored element {} holds {} after {}"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : index, index, i32, i32)
// CHECK-NOT: hinm.assert
// CHECK: gpu.wait async
// CHECK: gpu.launch
// OFF-LABEL: func.func @runtime_parts
// OFF-NOT: hinm.assert
// OFF: gpu.launch
func.func @runtime_parts(%v: tensor<32x16xf16>, %i: tensor<1x32xi32>, %m: tensor<32x1xi32>,
                         %p: tensor<32xi32>, %x: tensor<64x64xf16>) -> tensor<32x64xf32> {
  %w = hinm.assemble %v, %i, %m, %p : !W
  %y = hinm.matmul %w, %x : !W, tensor<64x64xf16> -> tensor<32x64xf32>
  return %y : tensor<32x64xf32>
}

// A !hinm.matrix argument is expanded into run-time parts: checked too.
// CHECK-LABEL: func.func @matrix_argument
// CHECK: hinm.assert %{{.*}}, "hinm.matmul: vector index out of range
// CHECK: hinm.assert %{{.*}}, "hinm.matmul: row permutation repeats an entry
// CHECK: hinm.assert %{{.*}}, "hinm.matmul: metadata positions of a group not strictly ascending
// CHECK: gpu.launch
func.func @matrix_argument(%w: !W, %x: tensor<64x64xf16>) -> tensor<32x64xf32> {
  %y = hinm.matmul %w, %x : !W, tensor<64x64xf16> -> tensor<32x64xf32>
  return %y : tensor<32x64xf32>
}

// Constant index and permutation, run-time metadata: only the metadata is
// checked.
// CHECK-LABEL: func.func @constant_indices
// CHECK-NOT: hinm.assert %{{.*}}, "hinm.matmul: vector index
// CHECK-NOT: hinm.assert %{{.*}}, hinm.matmul: row permutation
// CHECK: hinm.assert %{{.*}}, "hinm.matmul: metadata positions of a group not strictly ascending
// CHECK-NOT: hinm.assert
// CHECK: gpu.launch
func.func @constant_indices(%v: tensor<32x16xf16>, %m: tensor<32x1xi32>,
                            %x: tensor<64x64xf16>) -> tensor<32x64xf32> {
  %i = arith.constant dense<[[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]]> : tensor<1x32xi32>
  %p = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]> : tensor<32xi32>
  %w = hinm.assemble %v, %i, %m, %p : !W
  %y = hinm.matmul %w, %x : !W, tensor<64x64xf16> -> tensor<32x64xf32>
  return %y : tensor<32x64xf32>
}

// All parts constant: nothing to check at run time.
// CHECK-LABEL: func.func @constant_parts
// CHECK-NOT: hinm.assert
// CHECK: gpu.launch
// CHECK-NOT: hinm.assert
// CHECK: return
func.func @constant_parts(%x: tensor<64x64xf16>) -> tensor<32x64xf32> {
  %v = arith.constant dense<1.0> : tensor<32x16xf16>
  %i = arith.constant dense<[[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]]> : tensor<1x32xi32>
  // 0x44444444: every group keeps positions 0 and 1.
  %m = arith.constant dense<1145324612> : tensor<32x1xi32>
  %p = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]> : tensor<32xi32>
  %w = hinm.assemble %v, %i, %m, %p : !W
  %y = hinm.matmul %w, %x : !W, tensor<64x64xf16> -> tensor<32x64xf32>
  return %y : tensor<32x64xf32>
}

// Through the pipeline the checks are host loops whose failure writes the
// message, with the bad entry's position and value, to stderr and aborts
// (hinm-assert-to-stderr); none remain as hinm.assert, and the option turns
// them off there too.
// PIPE-NOT: hinm.assert
// PIPE-DAG: llvm.func @fprintf(!llvm.ptr, !llvm.ptr, ...) -> i32
// PIPE-DAG: llvm.func @abort
// PIPE-DAG: "hinm.matmul: vector index out of range: block %lld, entry %lld is %lld, not in [0, 64)\0A\00"
// PIPE-DAG: "hinm.matmul: vector index repeats a column within a block: block %lld, entry %lld names column %lld again\0A\00"
// PIPE-DAG: "hinm.matmul: row permutation entry out of range: entry %lld is %lld, not in [0, 32)\0A\00"
// PIPE-DAG: "hinm.matmul: row permutation repeats an entry: entries %lld and %lld both hold %lld\0A\00"
// PIPE-DAG: "hinm.matmul: metadata positions of a group not strictly ascending: storage row %lld, stored element %lld holds %lld after %lld\0A\00"
// PIPEOFF-NOT: fprintf
// PIPEOFF-NOT: hinm_assert_msg
