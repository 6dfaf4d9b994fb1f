// RUN: hinm-opt %s --canonicalize | FileCheck %s
// The worked 8x8 example of docs/format.md: compile-time packing must give
// exactly the storage the document lists (computed there by hand/numpy).

// CHECK-LABEL: func.func @ex
// CHECK-DAG: arith.constant dense<{{\[\[}}9.000000e+00, 4.000000e+00], [5.000000e+00, 3.000000e+00], [0.000000e+00, 8.000000e+00], [6.000000e+00, 7.000000e+00], [0.000000e+00, -6.000000e+00], [3.000000e+00, 7.000000e+00], [3.000000e+00, 1.000000e+00], [5.000000e+00, -9.000000e+00], [0.000000e+00, 0.000000e+00]
// CHECK-DAG: arith.constant dense<{{\[\[}}6, 0, 4, 3]]> : tensor<1x4xi32>
// CHECK-DAG: arith.constant dense<{{\[\[}}4], [14], [8], [12], [4], [8], [13], [8], [4], [4], [4], [4], [4], [4], [4], [4]]> : tensor<16x1xi32>
// CHECK-DAG: arith.constant dense<[1, 0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]> : tensor<16xi32>
!W = !hinm.matrix<8x8xf32, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>
func.func @ex() -> !W {
  %d = arith.constant dense<[[ 1., -8.,  0.,  3.,  5.,  0., -2.,  7.], [ 4.,  0.,  6., -1.,  0.,  2.,  9.,  0.], [ 0.,  3., -5.,  0.,  8.,  1.,  0., -4.], [ 2.,  0.,  0.,  7., -3.,  0.,  6.,  1.], [-6.,  1.,  4.,  0.,  0.,  9.,  0.,  2.], [ 0.,  5.,  0., -2.,  7.,  0.,  3.,  0.], [ 3.,  0., -7.,  1.,  0.,  4.,  0.,  8.], [ 0.,  2.,  1.,  0., -9.,  0.,  5.,  3.]]> : tensor<8x8xf32>
  %p = arith.constant dense<[ 1,  0,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15]> : tensor<16xi32>
  %i = arith.constant dense<[[6, 0, 4, 3]]> : tensor<1x4xi32>
  %mask = arith.constant dense<[[ true,  true, false, false], [false, false,  true,  true], [ true, false,  true, false], [ true, false, false,  true], [ true,  true, false, false], [ true, false,  true, false], [false,  true, false,  true], [ true, false,  true, false], [ true,  true, false, false], [ true,  true, false, false], [ true,  true, false, false], [ true,  true, false, false], [ true,  true, false, false], [ true,  true, false, false], [ true,  true, false, false], [ true,  true, false, false]]> : tensor<16x4xi1>
  %w = hinm.pack %d, %p, %i, %mask : !W
  return %w : !W
}