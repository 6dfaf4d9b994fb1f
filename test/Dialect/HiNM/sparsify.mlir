// RUN: hinm-opt %s --hinm-sparsify="vector-size=16 permute=none" -split-input-file | FileCheck %s --check-prefixes=CHECK,NONE
// RUN: hinm-opt %s --hinm-sparsify="vector-size=16 permute=2cp" -split-input-file | FileCheck %s --check-prefixes=CHECK,TWOCP
// RUN: hinm-opt %s --hinm-sparsify="vector-size=16 vector-sparsity=0.75 permute=ivp" -split-input-file | FileCheck %s --check-prefix=S75
// RUN: hinm-opt %s --hinm-sparsify="vector-size=16 n=1 m=2 permute=ocp" -split-input-file | FileCheck %s --check-prefix=N12
// RUN: hinm-opt %s --hinm-sparsify="vector-size=16 report" -split-input-file 2>&1 >/dev/null | FileCheck %s --check-prefix=REPORT
// hinm-sparsify: constant linalg.matmul weights become hinm.matmul on packed
// HiNM constants; LHS, RHS and transposed (indexing_maps) forms, accumulators,
// option variants and the efficacy report.

// Known by hand: V = 16, 50% vectors -> kept = 4 of 8 columns. Columns 1, 3,
// 4, 6 carry the weight, so the block keeps them; per row 2:4 keeps the two
// largest of (c1, c3, c4, c6): (4, 3) -> positions 0, 1 (metadata 0 | 1 << 2
// = 4) on even rows, (3, 4) -> positions 2, 3 (2 | 3 << 2 = 14) on odd rows.
// Every method reaches the ideal here, so 2cp keeps the same values (in an
// order of its choosing).
// CHECK-LABEL: func.func @lhs_known
// CHECK-NOT: linalg.matmul
// NONE-DAG: %[[V:.*]] = arith.constant dense<{{\[\[}}4.000000e+00, 3.000000e+00], [3.000000e+00, 4.000000e+00], [4.000000e+00, 3.000000e+00]{{.*}}> : tensor<16x2xf32>
// NONE-DAG: %[[I:.*]] = arith.constant dense<{{\[\[}}1, 3, 4, 6]]> : tensor<1x4xi32>
// NONE-DAG: %[[M:.*]] = arith.constant dense<{{\[\[}}4], [14], [4], [14]{{.*}}> : tensor<16x1xi32>
// NONE-DAG: %[[P:.*]] = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]> : tensor<16xi32>
// NONE: %[[W:.*]] = hinm.assemble %[[V]], %[[I]], %[[M]], %[[P]] : !hinm.matrix<16x8xf32, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>
// TWOCP: %[[W:.*]] = hinm.assemble {{.*}} : !hinm.matrix<16x8xf32, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>
// CHECK: %[[Y:.*]] = hinm.matmul %[[W]], %arg0 : {{.*}}, tensor<8x4xf32> -> tensor<16x4xf32>
// CHECK-NOT: linalg.add
// CHECK: return %[[Y]]
// S75-LABEL: func.func @lhs_known
// S75: hinm.assemble {{.*}} : !hinm.matrix<16x8xf32, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>
// N12-LABEL: func.func @lhs_known
// N12: hinm.assemble {{.*}} : !hinm.matrix<16x8xf32, #hinm.format<vector_size = 16, kept = 4, n = 1, m = 2>>
// REPORT: remark: hinm-sparsify: LHS weight 16x8 (HiNM view), V=16 kept=4 2:4, permute=2cp: kept importance 112.0000 of 166.4000 (no permutation 112.0000, ideal 112.0000); efficacy ocp 0.00%, ivp 0.00%, 2cp 0.00%
func.func @lhs_known(%x: tensor<8x4xf32>) -> tensor<16x4xf32> {
  %w = arith.constant dense<[[0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1],
                             [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
                             [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1],
                             [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
                             [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1],
                             [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
                             [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1],
                             [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
                             [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1],
                             [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
                             [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1],
                             [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
                             [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1],
                             [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
                             [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1],
                             [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1]]> : tensor<16x8xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x4xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<16x4xf32>) -> tensor<16x4xf32>
  %y = linalg.matmul ins(%w, %x : tensor<16x8xf32>, tensor<8x4xf32>) outs(%c : tensor<16x4xf32>) -> tensor<16x4xf32>
  return %y : tensor<16x4xf32>
}

// -----

// Packed shapes of a 64x64 weight: V = 16 -> 4 blocks; kept 32 -> values
// [64, 16], index [4, 32], metadata one word per row.
// CHECK-LABEL: func.func @lhs_shapes
// CHECK-DAG: arith.constant {{.*}} : tensor<64x16xf32>
// CHECK-DAG: arith.constant {{.*}} : tensor<4x32xi32>
// CHECK-DAG: arith.constant {{.*}} : tensor<64x1xi32>
// CHECK-DAG: arith.constant {{.*}} : tensor<64xi32>
// CHECK: hinm.matmul {{.*}} -> tensor<64x8xf32>
// S75-LABEL: func.func @lhs_shapes
// S75-DAG: arith.constant {{.*}} : tensor<64x8xf32>
// S75-DAG: arith.constant {{.*}} : tensor<4x16xi32>
// N12-LABEL: func.func @lhs_shapes
// N12-DAG: arith.constant {{.*}} : tensor<64x16xf32>
// N12-DAG: arith.constant {{.*}} : tensor<4x32xi32>
// REPORT: remark: hinm-sparsify: LHS weight 64x64 (HiNM view), V=16 kept=32 2:4
func.func @lhs_shapes(%x: tensor<64x8xf32>) -> tensor<64x8xf32> {
  %w = arith.constant dense<0.25> : tensor<64x64xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x8xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<64x8xf32>) -> tensor<64x8xf32>
  %y = linalg.matmul ins(%w, %x : tensor<64x64xf32>, tensor<64x8xf32>) outs(%c : tensor<64x8xf32>) -> tensor<64x8xf32>
  return %y : tensor<64x8xf32>
}

// -----

// Constant RHS (y = x W, W [in = 64, out = 32]): the HiNM view is W^T
// [32, 64]; Y = transpose(hinm.matmul(W^T, transpose(X))), and the
// non-zero accumulator is added.
// CHECK-LABEL: func.func @rhs_weight
// CHECK-NOT: tensor<64x32xf32>
// CHECK: %[[W:.*]] = hinm.assemble {{.*}} : !hinm.matrix<32x64xf32, #hinm.format<vector_size = 16, kept = 32, n = 2, m = 4>>
// CHECK: %[[XT:.*]] = linalg.transpose ins(%arg0 : tensor<8x64xf32>) outs({{.*}} : tensor<64x8xf32>) permutation = [1, 0]
// CHECK: %[[YT:.*]] = hinm.matmul %[[W]], %[[XT]] : {{.*}} -> tensor<32x8xf32>
// CHECK: %[[Y:.*]] = linalg.transpose ins(%[[YT]] : tensor<32x8xf32>) outs({{.*}} : tensor<8x32xf32>) permutation = [1, 0]
// CHECK: %[[S:.*]] = linalg.add ins(%[[Y]], %arg1 : tensor<8x32xf32>, tensor<8x32xf32>)
// CHECK: return %[[S]]
// REPORT: remark: hinm-sparsify: RHS weight 32x64 (HiNM view)
func.func @rhs_weight(%x: tensor<8x64xf32>, %acc: tensor<8x32xf32>) -> tensor<8x32xf32> {
  %w = arith.constant dense<0.5> : tensor<64x32xf32>
  %y = linalg.matmul ins(%x, %w : tensor<8x64xf32>, tensor<64x32xf32>) outs(%acc : tensor<8x32xf32>) -> tensor<8x32xf32>
  return %y : tensor<8x32xf32>
}

// -----

// Transposed constant LHS through indexing_maps (A is [K, M]), f16 weights
// with an f32 accumulator: the constant is transposed at compile time.
// CHECK-LABEL: func.func @lhs_transposed_f16
// CHECK: %[[W:.*]] = hinm.assemble {{.*}} : !hinm.matrix<32x64xf16,
// CHECK: %[[Y:.*]] = hinm.matmul %[[W]], %arg0 : {{.*}}, tensor<64x8xf16> -> tensor<32x8xf32>
// CHECK: linalg.add ins(%[[Y]], %arg1
func.func @lhs_transposed_f16(%x: tensor<64x8xf16>, %acc: tensor<32x8xf32>) -> tensor<32x8xf32> {
  %w = arith.constant dense<0.5> : tensor<64x32xf16>
  %y = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d2, d0)>,
                                      affine_map<(d0, d1, d2) -> (d2, d1)>,
                                      affine_map<(d0, d1, d2) -> (d0, d1)>]
      ins(%w, %x : tensor<64x32xf16>, tensor<64x8xf16>) outs(%acc : tensor<32x8xf32>) -> tensor<32x8xf32>
  return %y : tensor<32x8xf32>
}

// -----

// Transposed constant RHS (B given as [N, K], the PyTorch Linear layout):
// it already is the HiNM view; only the activations are transposed.
// CHECK-LABEL: func.func @rhs_transposed
// CHECK: %[[W:.*]] = hinm.assemble {{.*}} : !hinm.matrix<32x64xf32,
// CHECK: %[[XT:.*]] = linalg.transpose ins(%arg0 : tensor<8x64xf32>)
// CHECK: %[[YT:.*]] = hinm.matmul %[[W]], %[[XT]]
// CHECK: %[[Y:.*]] = linalg.transpose ins(%[[YT]] : tensor<32x8xf32>)
// CHECK-NOT: linalg.add
// CHECK: return %[[Y]]
func.func @rhs_transposed(%x: tensor<8x64xf32>) -> tensor<8x32xf32> {
  %w = arith.constant dense<0.5> : tensor<32x64xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x32xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<8x32xf32>) -> tensor<8x32xf32>
  %y = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>,
                                      affine_map<(d0, d1, d2) -> (d1, d2)>,
                                      affine_map<(d0, d1, d2) -> (d0, d1)>]
      ins(%x, %w : tensor<8x64xf32>, tensor<32x64xf32>) outs(%c : tensor<8x32xf32>) -> tensor<8x32xf32>
  return %y : tensor<8x32xf32>
}

// -----

// No constant operand: left alone.
// CHECK-LABEL: func.func @no_constant
// CHECK: linalg.matmul
// CHECK-NOT: hinm.
func.func @no_constant(%a: tensor<16x16xf32>, %b: tensor<16x16xf32>, %c: tensor<16x16xf32>) -> tensor<16x16xf32> {
  %y = linalg.matmul ins(%a, %b : tensor<16x16xf32>, tensor<16x16xf32>) outs(%c : tensor<16x16xf32>) -> tensor<16x16xf32>
  return %y : tensor<16x16xf32>
}

// -----

// Layers marked hinm.keep_dense stay dense, silently (no remark, no warning),
// even with a constant weight; the unmarked product next to them is
// rewritten.
// CHECK-LABEL: func.func @keep_dense
// CHECK: linalg.matmul {hinm.keep_dense}
// CHECK: linalg.conv_2d_nchw_fchw {{.*}}hinm.keep_dense
// CHECK: hinm.matmul
// CHECK-NOT: hinm.matmul
// CHECK: return
// REPORT-LABEL: remark: hinm-sparsify: RHS weight 16x16
// REPORT-NOT: remark
// REPORT-NOT: warning
func.func @keep_dense(%x: tensor<16x16xf32>, %img: tensor<1x2x5x5xf32>, %ci: tensor<1x16x4x4xf32>)
    -> (tensor<16x16xf32>, tensor<1x16x4x4xf32>, tensor<16x16xf32>) {
  %w = arith.constant dense<0.5> : tensor<16x16xf32>
  %f = arith.constant dense<0.25> : tensor<16x2x2x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x16xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<16x16xf32>) -> tensor<16x16xf32>
  %kept = linalg.matmul {hinm.keep_dense} ins(%x, %w : tensor<16x16xf32>, tensor<16x16xf32>) outs(%c : tensor<16x16xf32>) -> tensor<16x16xf32>
  %conv = linalg.conv_2d_nchw_fchw {hinm.keep_dense, dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%img, %f : tensor<1x2x5x5xf32>, tensor<16x2x2x2xf32>) outs(%ci : tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32>
  %pruned = linalg.matmul ins(%x, %w : tensor<16x16xf32>, tensor<16x16xf32>) outs(%c : tensor<16x16xf32>) -> tensor<16x16xf32>
  return %kept, %conv, %pruned : tensor<16x16xf32>, tensor<1x16x4x4xf32>, tensor<16x16xf32>
}

// -----

// Per-op options: hinm.sparsify on an op replaces the pass's format and
// permutation for that op, and for every part of an op the pass splits (the
// groups of a grouped convolution); an op without it gets the pass's options.
// CHECK-LABEL: func.func @per_op_options
// CHECK: hinm.matmul %{{.*}}, %arg0 : !hinm.matrix<32x64xf32, #hinm.format<vector_size = 32, kept = 16, n = 2, m = 4>>
// CHECK: hinm.matmul %{{.*}}, %arg0 : !hinm.matrix<32x64xf32, #hinm.format<vector_size = 16, kept = 32, n = 2, m = 4>>
// CHECK-COUNT-2: hinm.matmul %{{.*}}, %{{.*}} : !hinm.matrix<32x8xf32, #hinm.format<vector_size = 32, kept = 4, n = 2, m = 4>>
// CHECK-NOT: hinm.matmul
// REPORT-LABEL: remark: hinm-sparsify: LHS weight 32x64 (HiNM view), V=32 kept=16 2:4, permute=ocp
// REPORT: remark: hinm-sparsify: LHS weight 32x64 (HiNM view), V=16 kept=32 2:4, permute=2cp
// REPORT: remark: hinm-sparsify: conv_2d_nchw_fchw filter of group 0 32x8 (HiNM view), V=32 kept=4 2:4, permute=2cp
// REPORT: remark: hinm-sparsify: conv_2d_nchw_fchw filter of group 1 32x8 (HiNM view), V=32 kept=4 2:4, permute=2cp
func.func @per_op_options(%x: tensor<64x4xf32>, %img: tensor<1x2x2x5x8xf32>, %ci: tensor<1x2x32x5x5xf32>)
    -> (tensor<32x4xf32>, tensor<32x4xf32>, tensor<1x2x32x5x5xf32>) {
  %w = arith.constant dense<0.5> : tensor<32x64xf32>
  %f = arith.constant dense<0.25> : tensor<2x32x2x1x4xf32>
  %c = arith.constant dense<0.0> : tensor<32x4xf32>
  %own = linalg.matmul {hinm.sparsify = {vector_size = 32, vector_sparsity = 0.75, permute = "ocp"}}
      ins(%w, %x : tensor<32x64xf32>, tensor<64x4xf32>) outs(%c : tensor<32x4xf32>) -> tensor<32x4xf32>
  %pass = linalg.matmul ins(%w, %x : tensor<32x64xf32>, tensor<64x4xf32>) outs(%c : tensor<32x4xf32>) -> tensor<32x4xf32>
  %conv = linalg.conv_2d_ngchw_gfchw {hinm.sparsify = {vector_size = 32}}
      ins(%img, %f : tensor<1x2x2x5x8xf32>, tensor<2x32x2x1x4xf32>) outs(%ci : tensor<1x2x32x5x5xf32>) -> tensor<1x2x32x5x5xf32>
  return %own, %pass, %conv : tensor<32x4xf32>, tensor<32x4xf32>, tensor<1x2x32x5x5xf32>
}
