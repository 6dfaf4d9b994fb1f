// RUN: hinm-opt %s --hinm-sparsify -split-input-file -verify-diagnostics
// RUN: not hinm-opt %s --hinm-sparsify="vector-size=24" 2>&1 | FileCheck %s --check-prefix=VSIZE
// RUN: not hinm-opt %s --hinm-sparsify="vector-sparsity=1.5" 2>&1 | FileCheck %s --check-prefix=SPARSITY
// RUN: not hinm-opt %s --hinm-sparsify="n=4 m=4" 2>&1 | FileCheck %s --check-prefix=NM
// RUN: not hinm-opt %s --hinm-sparsify="permute=3cp" 2>&1 | FileCheck %s --check-prefix=PERMUTE
// hinm-sparsify diagnostics: weights that do not fit stay dense with a
// warning, NaN weights are an error, bad options fail before any rewrite.

// VSIZE: error: hinm-sparsify: invalid options: vector size 24 must be a positive multiple of 16
// SPARSITY: error: hinm-sparsify: invalid options: vector sparsity 1.500000 must be in [0, 1)
// NM: error: hinm-sparsify: invalid options: N:M pattern 4:4 must have 0 < N < M
// PERMUTE: error: hinm-sparsify: invalid options: unknown permutation method '3cp' (expected one of: none, ocp, ivp, 2cp)

func.func @too_few_columns(%x: tensor<2x4xf32>, %c: tensor<16x4xf32>) -> tensor<16x4xf32> {
  %w = arith.constant dense<1.0> : tensor<16x2xf32>
  // expected-warning @+1 {{hinm-sparsify: weight 16x2 left dense: matrix has 2 columns, fewer than M = 4}}
  %y = linalg.matmul ins(%w, %x : tensor<16x2xf32>, tensor<2x4xf32>) outs(%c : tensor<16x4xf32>) -> tensor<16x4xf32>
  return %y : tensor<16x4xf32>
}

// -----

func.func @nan_weight(%x: tensor<8x4xf32>, %c: tensor<16x4xf32>) -> tensor<16x4xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
                             [1.0, 2.0, 3.0, 0x7FC00000, 5.0, 6.0, 7.0, 8.0],
                             [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
                             [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
                             [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
                             [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
                             [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
                             [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
                             [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
                             [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
                             [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
                             [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
                             [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
                             [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
                             [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
                             [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]]> : tensor<16x8xf32>
  // expected-error @+1 {{hinm-sparsify: cannot prune the 16x8 weight (HiNM view [out, in]): weight at [1, 3] is NaN}}
  %y = linalg.matmul ins(%w, %x : tensor<16x8xf32>, tensor<8x4xf32>) outs(%c : tensor<16x4xf32>) -> tensor<16x4xf32>
  return %y : tensor<16x4xf32>
}

// -----

// A batch of weights with an infinite element is an error naming it in the
// 3-D weight's own coordinates (the per-batch products would name a 2-D
// slice); the op is left as it was.
func.func @batch_weight_inf(%x: tensor<2x3x4xf32>, %c: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %w = arith.constant dense<[[[1.0, 1.0, 1.0, 1.0],
                              [1.0, 1.0, 1.0, 1.0],
                              [1.0, 1.0, 1.0, 1.0],
                              [1.0, 1.0, 1.0, 1.0]],
                             [[1.0, 1.0, 1.0, 1.0],
                              [1.0, 1.0, 1.0, 1.0],
                              [1.0, 1.0, 1.0, 0x7F800000],
                              [1.0, 1.0, 1.0, 1.0]]]> : tensor<2x4x4xf32>
  // expected-error @+1 {{hinm-sparsify: batch weight element [1, 2, 3] is infinite}}
  %y = linalg.batch_matmul ins(%x, %w : tensor<2x3x4xf32>, tensor<2x4x4xf32>) outs(%c : tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %y : tensor<2x3x4xf32>
}

// -----

// A batch of weights that the format cannot hold (2 columns, fewer than
// M = 4) or whose element types do not fit is not split: one warning at the
// op, which stays as it was.
func.func @batch_weight_too_few_columns(%x: tensor<2x3x2xf32>, %c: tensor<2x3x16xf32>) -> tensor<2x3x16xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2x16xf32>
  // expected-warning @+1 {{hinm-sparsify: constant weight left dense: batch weights 16x2 (HiNM view [out, in]): matrix has 2 columns, fewer than M = 4}}
  %y = linalg.batch_matmul ins(%x, %w : tensor<2x3x2xf32>, tensor<2x2x16xf32>) outs(%c : tensor<2x3x16xf32>) -> tensor<2x3x16xf32>
  return %y : tensor<2x3x16xf32>
}

// -----

func.func @batch_weight_f64(%x: tensor<2x3x8xf64>, %c: tensor<2x3x16xf64>) -> tensor<2x3x16xf64> {
  %w = arith.constant dense<1.0> : tensor<2x8x16xf64>
  // expected-warning @+1 {{hinm-sparsify: constant weight left dense: element type is not f16, bf16 or f32: 'f64'}}
  %y = linalg.batch_matmul ins(%x, %w : tensor<2x3x8xf64>, tensor<2x8x16xf64>) outs(%c : tensor<2x3x16xf64>) -> tensor<2x3x16xf64>
  return %y : tensor<2x3x16xf64>
}

// -----

// Per-op options (hinm.sparsify) are checked with the pass's other options:
// values that make no format are an error at the op.
func.func @per_op_vector_size(%x: tensor<8x4xf32>, %c: tensor<16x4xf32>) -> tensor<16x4xf32> {
  %w = arith.constant dense<1.0> : tensor<16x8xf32>
  // expected-error @below {{hinm-sparsify: invalid hinm.sparsify options: vector size 24 must be a positive multiple of 16}}
  %y = linalg.matmul {hinm.sparsify = {vector_size = 24}} ins(%w, %x : tensor<16x8xf32>, tensor<8x4xf32>) outs(%c : tensor<16x4xf32>) -> tensor<16x4xf32>
  return %y : tensor<16x4xf32>
}

// -----

func.func @per_op_nm(%x: tensor<8x4xf32>, %c: tensor<16x4xf32>) -> tensor<16x4xf32> {
  %w = arith.constant dense<1.0> : tensor<16x8xf32>
  // expected-error @below {{hinm-sparsify: invalid hinm.sparsify options: N:M pattern 4:4 must have 0 < N < M}}
  %y = linalg.matmul {hinm.sparsify = {n = 4}} ins(%w, %x : tensor<16x8xf32>, tensor<8x4xf32>) outs(%c : tensor<16x4xf32>) -> tensor<16x4xf32>
  return %y : tensor<16x4xf32>
}

// -----

// A weight larger than hinm prunes (2^30 elements) is not even read: a splat
// constant of 10^10 elements stays dense with a warning (it was an
// out-of-memory abort), and so does a weight whose rows a huge vector size
// would pad past the limit.
func.func @too_large_to_prune(%x: tensor<100000x4xf32>, %c: tensor<100000x4xf32>, %x2: tensor<8x4xf32>, %c2: tensor<16x4xf32>) -> (tensor<100000x4xf32>, tensor<16x4xf32>) {
  %w = arith.constant dense<1.0> : tensor<100000x100000xf32>
  // expected-warning @below {{hinm-sparsify: constant weight left dense: it has 10000000000 elements, more than the 1073741824 hinm prunes}}
  %y = linalg.matmul ins(%w, %x : tensor<100000x100000xf32>, tensor<100000x4xf32>) outs(%c : tensor<100000x4xf32>) -> tensor<100000x4xf32>
  %w2 = arith.constant dense<1.0> : tensor<16x8xf32>
  // expected-warning @below {{hinm-sparsify: weight 16x8 left dense: matrix 16x8 with its rows padded to a multiple of V = 1099511627776 has more than 1073741824 elements, the most hinm prunes}}
  %y2 = linalg.matmul {hinm.sparsify = {vector_size = 1099511627776}} ins(%w2, %x2 : tensor<16x8xf32>, tensor<8x4xf32>) outs(%c2 : tensor<16x4xf32>) -> tensor<16x4xf32>
  return %y, %y2 : tensor<100000x4xf32>, tensor<16x4xf32>
}
