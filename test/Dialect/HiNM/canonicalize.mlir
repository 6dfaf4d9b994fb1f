// RUN: hinm-opt %s -canonicalize -split-input-file | FileCheck %s
// Folding: constant packing at compile time, disassemble(assemble), to_dense
// of constant storage.

!W = !hinm.matrix<16x8xf32, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>

// The dense weights are packed by the compiler: only constant storage is left.
// Row 0 has 1..8; block keeps columns [6, 1, 3, 0] in that (IVP) order; row 0
// keeps compacted positions 1 and 3 (columns 1 and 0), every other row keeps
// positions 0 and 2 (columns 6 and 3). Rows 0 and 1 swap storage places.
// CHECK-LABEL: func.func @pack_constant
// CHECK-NOT: hinm.pack
// CHECK-DAG: %[[V:.*]] = arith.constant dense<{{\[\[}}0.000000e+00, 0.000000e+00], [2.000000e+00, 1.000000e+00], [0.000000e+00, 0.000000e+00]
// CHECK-DAG: %[[I:.*]] = arith.constant dense<{{\[\[}}6, 1, 3, 0]]> : tensor<1x4xi32>
// CHECK-DAG: %[[M:.*]] = arith.constant dense<{{\[\[}}8], [13], [8], [8]
// CHECK-DAG: %[[P:.*]] = arith.constant dense<[1, 0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]> : tensor<16xi32>
// CHECK: %[[W:.*]] = hinm.assemble %[[V]], %[[I]], %[[M]], %[[P]]
// CHECK: return %[[W]]
func.func @pack_constant() -> !W {
  %d = arith.constant dense<[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<16x8xf32>
  %p = arith.constant dense<[1, 0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]> : tensor<16xi32>
  %i = arith.constant dense<[[6, 1, 3, 0]]> : tensor<1x4xi32>
  %mask = arith.constant dense<[[true, false, true, false], [false, true, false, true],
      [true, false, true, false], [true, false, true, false], [true, false, true, false],
      [true, false, true, false], [true, false, true, false], [true, false, true, false],
      [true, false, true, false], [true, false, true, false], [true, false, true, false],
      [true, false, true, false], [true, false, true, false], [true, false, true, false],
      [true, false, true, false], [true, false, true, false]]> : tensor<16x4xi1>
  %w = hinm.pack %d, %p, %i, %mask : !W
  return %w : !W
}

// -----

!W = !hinm.matrix<16x8xf32, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>
// CHECK-LABEL: func.func @disassemble_assemble
// CHECK-SAME: (%[[A:.*]]: tensor<16x2xf32>, %[[B:.*]]: tensor<1x4xi32>, %[[C:.*]]: tensor<16x1xi32>, %[[D:.*]]: tensor<16xi32>)
// CHECK-NOT: hinm.
// CHECK: return %[[A]], %[[B]], %[[C]], %[[D]]
func.func @disassemble_assemble(%a: tensor<16x2xf32>, %b: tensor<1x4xi32>, %c: tensor<16x1xi32>, %d: tensor<16xi32>)
    -> (tensor<16x2xf32>, tensor<1x4xi32>, tensor<16x1xi32>, tensor<16xi32>) {
  %w = hinm.assemble %a, %b, %c, %d : !W
  %0, %1, %2, %3 = hinm.disassemble %w : !W
  return %0, %1, %2, %3 : tensor<16x2xf32>, tensor<1x4xi32>, tensor<16x1xi32>, tensor<16xi32>
}

// -----

!W = !hinm.matrix<2x8xf16, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>
// Storage row 0 holds original row 1; values 5 and 7 at columns 6 and 3.
// Storage row 1 holds original row 0: 1 at column 1, 2 at column 0.
// CHECK-LABEL: func.func @to_dense_constant
// CHECK-NOT: hinm.
// CHECK: arith.constant dense<{{\[\[}}2.000000e+00, 1.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00, 0.000000e+00, 7.000000e+00, 0.000000e+00, 0.000000e+00, 5.000000e+00, 0.000000e+00]]> : tensor<2x8xf16>
func.func @to_dense_constant() -> tensor<2x8xf16> {
  %v = arith.constant dense<[[5.0, 7.0], [1.0, 2.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0],
                             [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]]> : tensor<16x2xf16>
  %i = arith.constant dense<[[6, 1, 3, 0]]> : tensor<1x4xi32>
  %m = arith.constant dense<[[8], [13], [8], [8], [8], [8], [8], [8], [8], [8], [8], [8], [8], [8], [8], [8]]> : tensor<16x1xi32>
  %p = arith.constant dense<[1, 0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]> : tensor<16xi32>
  %w = hinm.assemble %v, %i, %m, %p : !W
  %d = hinm.to_dense %w : !W
  return %d : tensor<2x8xf16>
}

// -----

// A hinm.assert on a constant true cannot fail and goes; one on a run-time
// condition stays.
// CHECK-LABEL: func.func @assert_true
// CHECK-NOT: "never fails"
// CHECK: hinm.assert %{{.*}}, "may fail {}"
func.func @assert_true(%ok: i1, %i: index) {
  %t = arith.constant true
  hinm.assert %t, "never fails {}" (%i : index)
  hinm.assert %ok, "may fail {}" (%i : index)
  return
}
