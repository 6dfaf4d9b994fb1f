// RUN: hinm-opt %s --hinm-sparsify="vector-size=16 permute=none" -split-input-file 2>/dev/null | FileCheck %s
// RUN: hinm-opt %s --hinm-sparsify="vector-size=16 permute=2cp report" -split-input-file 2>&1 >/dev/null | FileCheck %s --check-prefix=REPORT
// hinm-sparsify on 1-D and 3-D convolutions with a constant filter: as for
// 2-D (sparsify-conv.mlir), the filter's W[F, C*K...] view with columns in
// (c, k...) order is packed, the input becomes an im2col linalg.generic
// X[c, k..., n, o...] collapsed to [C*K..., N*O...], and hinm.matmul's
// [F, N*O...] result is reshaped (and transposed) back to the output layout.

// 1-D, channels last: C = 2, KW = 4 -> K = 8. Input channel 0 carries weight
// kw + 1 and channel 1 0.1, so in (c, kw) order the block keeps vectors
// [0, 1, 2, 3] ((kw, c) order would give [0, 2, 4, 6]) and 2:4 keeps kw = 2, 3
// (values 3 and 4, metadata 2 | 3 << 2 = 14) in every row. The im2col map
// reads input[n, ow + kw, c] into X[c, kw, n, ow].
// CHECK-DAG: #[[$IN1:.*]] = affine_map<(d0, d1, d2, d3) -> (d2, d1 + d3, d0)>
// CHECK-LABEL: func.func @nwc_column_order
// CHECK-DAG: %[[V:.*]] = arith.constant dense<{{\[\[}}3.000000e+00, 4.000000e+00]{{.*}}> : tensor<16x2xf32>
// CHECK-DAG: %[[I:.*]] = arith.constant dense<{{\[\[}}0, 1, 2, 3]]> : tensor<1x4xi32>
// CHECK-DAG: %[[M:.*]] = arith.constant dense<14> : tensor<16x1xi32>
// CHECK: %[[W:.*]] = hinm.assemble %[[V]], %[[I]], %[[M]], %{{.*}} : !hinm.matrix<16x8xf32, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>
// CHECK: %[[X4:.*]] = linalg.generic {indexing_maps = [#[[$IN1]], {{.*}}]{{.*}} ins(%arg0 : tensor<1x8x2xf32>) outs(%{{.*}} : tensor<2x4x1x5xf32>)
// CHECK: %[[X:.*]] = tensor.collapse_shape %[[X4]] {{\[\[}}0, 1], [2, 3]] : tensor<2x4x1x5xf32> into tensor<8x5xf32>
// CHECK: %[[Y:.*]] = hinm.matmul %[[W]], %[[X]] : {{.*}}, tensor<8x5xf32> -> tensor<16x5xf32>
// CHECK: %[[Y3:.*]] = tensor.expand_shape %[[Y]] {{\[\[}}0], [1, 2]] output_shape [16, 1, 5] : tensor<16x5xf32> into tensor<16x1x5xf32>
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[Y3]] : tensor<16x1x5xf32>) outs(%{{.*}} : tensor<1x5x16xf32>) permutation = [1, 2, 0]
// CHECK-NOT: linalg.add
// CHECK-NOT: linalg.conv
// CHECK: return %[[T]]
// REPORT: remark: hinm-sparsify: conv_1d_nwc_wcf filter 16x8 (HiNM view), V=16 kept=4 2:4, permute=2cp
func.func @nwc_column_order(%x: tensor<1x8x2xf32>) -> tensor<1x5x16xf32> {
  %w = arith.constant dense<[[[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]], [[2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0], [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]], [[3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0], [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]], [[4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0], [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]]]> : tensor<4x2x16xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x5x16xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<1x5x16xf32>) -> tensor<1x5x16xf32>
  %y = linalg.conv_1d_nwc_wcf {dilations = dense<1> : tensor<1xi64>, strides = dense<1> : tensor<1xi64>}
         ins(%x, %w : tensor<1x8x2xf32>, tensor<4x2x16xf32>) outs(%c : tensor<1x5x16xf32>) -> tensor<1x5x16xf32>
  return %y : tensor<1x5x16xf32>
}

// -----

// The same filter as [F, C, KW] (conv_1d_ncw_fcw) gets the same packed
// weight. Channels first with one image: [F, OW] is already [1, F, OW], an
// expand_shape and no transpose.
// CHECK-DAG: #[[$IN2:.*]] = affine_map<(d0, d1, d2, d3) -> (d2, d0, d1 + d3)>
// CHECK-LABEL: func.func @ncw_column_order
// CHECK-DAG: %[[V:.*]] = arith.constant dense<{{\[\[}}3.000000e+00, 4.000000e+00]{{.*}}> : tensor<16x2xf32>
// CHECK-DAG: %[[I:.*]] = arith.constant dense<{{\[\[}}0, 1, 2, 3]]> : tensor<1x4xi32>
// CHECK-DAG: %[[M:.*]] = arith.constant dense<14> : tensor<16x1xi32>
// CHECK: %[[W:.*]] = hinm.assemble %[[V]], %[[I]], %[[M]], %{{.*}} : !hinm.matrix<16x8xf32, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>
// CHECK: %[[X4:.*]] = linalg.generic {indexing_maps = [#[[$IN2]], {{.*}}]{{.*}} ins(%arg0 : tensor<1x2x8xf32>) outs(%{{.*}} : tensor<2x4x1x5xf32>)
// CHECK: %[[X:.*]] = tensor.collapse_shape %[[X4]] {{.*}} into tensor<8x5xf32>
// CHECK: %[[Y:.*]] = hinm.matmul %[[W]], %[[X]] : {{.*}}, tensor<8x5xf32> -> tensor<16x5xf32>
// CHECK: %[[R:.*]] = tensor.expand_shape %[[Y]] {{\[\[}}0, 1], [2]] output_shape [1, 16, 5] : tensor<16x5xf32> into tensor<1x16x5xf32>
// CHECK-NOT: linalg.transpose
// CHECK: return %[[R]]
// REPORT: remark: hinm-sparsify: conv_1d_ncw_fcw filter 16x8 (HiNM view), V=16 kept=4 2:4, permute=2cp
func.func @ncw_column_order(%x: tensor<1x2x8xf32>) -> tensor<1x16x5xf32> {
  %w = arith.constant dense<[[[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]], [[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]], [[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]], [[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]], [[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]], [[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]], [[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]], [[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]], [[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]], [[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]], [[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]], [[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]], [[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]], [[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]], [[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]], [[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]]]> : tensor<16x2x4xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x16x5xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<1x16x5xf32>) -> tensor<1x16x5xf32>
  %y = linalg.conv_1d_ncw_fcw {dilations = dense<1> : tensor<1xi64>, strides = dense<1> : tensor<1xi64>}
         ins(%x, %w : tensor<1x2x8xf32>, tensor<16x2x4xf32>) outs(%c : tensor<1x16x5xf32>) -> tensor<1x16x5xf32>
  return %y : tensor<1x16x5xf32>
}

// -----

// 3-D, channels last: C = 1, a 2x2x2 kernel, weight 1 + (kd*4 + kh*2 + kw)
// -> K = 8 columns in (c, kd, kh, kw) order valued 1..8: the block keeps
// vectors [4, 5, 6, 7] (kd = 1; (kw, kh, kd) order would give [1, 3, 5, 7])
// and 2:4 keeps values 7 and 8 (metadata 14). The im2col map reads
// input[n, od + kd, oh + kh, ow + kw, c] into X[c, kd, kh, kw, n, od, oh, ow].
// CHECK-DAG: #[[$IN3:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d4, d1 + d5, d2 + d6, d3 + d7, d0)>
// CHECK-LABEL: func.func @ndhwc_column_order
// CHECK-DAG: %[[V:.*]] = arith.constant dense<{{\[\[}}7.000000e+00, 8.000000e+00]{{.*}}> : tensor<16x2xf32>
// CHECK-DAG: %[[I:.*]] = arith.constant dense<{{\[\[}}4, 5, 6, 7]]> : tensor<1x4xi32>
// CHECK-DAG: %[[M:.*]] = arith.constant dense<14> : tensor<16x1xi32>
// CHECK: %[[W:.*]] = hinm.assemble %[[V]], %[[I]], %[[M]], %{{.*}} : !hinm.matrix<16x8xf32, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>
// CHECK: %[[X8:.*]] = linalg.generic {indexing_maps = [#[[$IN3]], {{.*}}]{{.*}} ins(%arg0 : tensor<1x3x4x5x1xf32>) outs(%{{.*}} : tensor<1x2x2x2x1x2x3x4xf32>)
// CHECK: %[[X:.*]] = tensor.collapse_shape %[[X8]] {{\[\[}}0, 1, 2, 3], [4, 5, 6, 7]] : tensor<1x2x2x2x1x2x3x4xf32> into tensor<8x24xf32>
// CHECK: %[[Y:.*]] = hinm.matmul %[[W]], %[[X]] : {{.*}}, tensor<8x24xf32> -> tensor<16x24xf32>
// CHECK: %[[Y5:.*]] = tensor.expand_shape %[[Y]] {{\[\[}}0], [1, 2, 3, 4]] output_shape [16, 1, 2, 3, 4] : tensor<16x24xf32> into tensor<16x1x2x3x4xf32>
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[Y5]] : {{.*}}) outs(%{{.*}} : tensor<1x2x3x4x16xf32>) permutation = [1, 2, 3, 4, 0]
// CHECK-NOT: linalg.add
// CHECK: return %[[T]]
// REPORT: remark: hinm-sparsify: conv_3d_ndhwc_dhwcf filter 16x8 (HiNM view), V=16 kept=4 2:4, permute=2cp
func.func @ndhwc_column_order(%x: tensor<1x3x4x5x1xf32>) -> tensor<1x2x3x4x16xf32> {
  %w = arith.constant dense<[[[[[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]], [[2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0]]], [[[3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0]], [[4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0]]]], [[[[5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0]], [[6.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0]]], [[[7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0]], [[8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0]]]]]> : tensor<2x2x2x1x16xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x3x4x16xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<1x2x3x4x16xf32>) -> tensor<1x2x3x4x16xf32>
  %y = linalg.conv_3d_ndhwc_dhwcf {dilations = dense<1> : tensor<3xi64>, strides = dense<1> : tensor<3xi64>}
         ins(%x, %w : tensor<1x3x4x5x1xf32>, tensor<2x2x2x1x16xf32>) outs(%c : tensor<1x2x3x4x16xf32>) -> tensor<1x2x3x4x16xf32>
  return %y : tensor<1x2x3x4x16xf32>
}

// -----

// 3-D, channels first, the same filter as [F, C, KD, KH, KW]; batch 2,
// strides (1, 2, 1), dilations (1, 1, 2), and an accumulator argument:
// OD = 4 - 2 + 1 = 3, OH = (6 - 2) / 2 + 1 = 3, OW = 5 - 2 - 1 + 1 = 3, so
// N*OD*OH*OW = 54. The result goes from [F, N, OD, OH, OW] to
// [N, F, OD, OH, OW] and the accumulator is added.
// CHECK-DAG: #[[$IN4:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d4, d0, d1 + d5, d6 * 2 + d2, d7 + d3 * 2)>
// CHECK-LABEL: func.func @ncdhw_batch2_strides_acc
// CHECK-SAME: (%[[XIN:.*]]: tensor<2x1x4x6x5xf32>, %[[ACC:.*]]: tensor<2x16x3x3x3xf32>)
// CHECK-DAG: arith.constant dense<{{\[\[}}4, 5, 6, 7]]> : tensor<1x4xi32>
// CHECK: %[[W:.*]] = hinm.assemble {{.*}} : !hinm.matrix<16x8xf32
// CHECK: %[[X8:.*]] = linalg.generic {indexing_maps = [#[[$IN4]], {{.*}}]{{.*}} ins(%[[XIN]] : tensor<2x1x4x6x5xf32>) outs(%{{.*}} : tensor<1x2x2x2x2x3x3x3xf32>)
// CHECK: %[[X:.*]] = tensor.collapse_shape %[[X8]] {{.*}} into tensor<8x54xf32>
// CHECK: %[[Y:.*]] = hinm.matmul %[[W]], %[[X]] : {{.*}}, tensor<8x54xf32> -> tensor<16x54xf32>
// CHECK: %[[Y5:.*]] = tensor.expand_shape %[[Y]] {{\[\[}}0], [1, 2, 3, 4]] output_shape [16, 2, 3, 3, 3] : tensor<16x54xf32> into tensor<16x2x3x3x3xf32>
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[Y5]] : {{.*}}) outs(%{{.*}} : tensor<2x16x3x3x3xf32>) permutation = [1, 0, 2, 3, 4]
// CHECK: %[[S:.*]] = linalg.add ins(%[[T]], %[[ACC]] : tensor<2x16x3x3x3xf32>, tensor<2x16x3x3x3xf32>)
// CHECK: return %[[S]]
// REPORT: remark: hinm-sparsify: conv_3d_ncdhw_fcdhw filter 16x8 (HiNM view), V=16 kept=4 2:4, permute=2cp
func.func @ncdhw_batch2_strides_acc(%x: tensor<2x1x4x6x5xf32>, %acc: tensor<2x16x3x3x3xf32>) -> tensor<2x16x3x3x3xf32> {
  %w = arith.constant dense<[[[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]], [[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]], [[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]], [[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]], [[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]], [[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]], [[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]], [[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]], [[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]], [[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]], [[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]], [[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]], [[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]], [[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]], [[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]], [[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]]]> : tensor<16x1x2x2x2xf32>
  %y = linalg.conv_3d_ncdhw_fcdhw {dilations = dense<[1, 1, 2]> : tensor<3xi64>, strides = dense<[1, 2, 1]> : tensor<3xi64>}
         ins(%x, %w : tensor<2x1x4x6x5xf32>, tensor<16x1x2x2x2xf32>) outs(%acc : tensor<2x16x3x3x3xf32>) -> tensor<2x16x3x3x3xf32>
  return %y : tensor<2x16x3x3x3xf32>
}

// -----

// A batch known only at run time (1-D, channels first, an accumulator): the
// batch is read with tensor.dim and the GEMM view has a dynamic column count.
// CHECK-LABEL: func.func @ncw_dynamic_batch
// CHECK-SAME: (%[[XIN:.*]]: tensor<?x2x8xf32>, %[[ACC:.*]]: tensor<?x16x5xf32>)
// CHECK: %[[N:.*]] = tensor.dim %[[XIN]], %{{.*}} : tensor<?x2x8xf32>
// CHECK: tensor.empty(%[[N]]) : tensor<2x4x?x5xf32>
// CHECK: %[[X:.*]] = tensor.collapse_shape {{.*}} into tensor<8x?xf32>
// CHECK: %[[Y:.*]] = hinm.matmul %{{.*}}, %[[X]] : {{.*}}, tensor<8x?xf32> -> tensor<16x?xf32>
// CHECK: %[[Y3:.*]] = tensor.expand_shape %[[Y]] {{\[\[}}0], [1, 2]] output_shape [16, %[[N]], 5] : tensor<16x?xf32> into tensor<16x?x5xf32>
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[Y3]] : tensor<16x?x5xf32>) outs(%{{.*}} : tensor<?x16x5xf32>) permutation = [1, 0, 2]
// CHECK: %[[S:.*]] = linalg.add ins(%[[T]], %[[ACC]] : tensor<?x16x5xf32>, tensor<?x16x5xf32>)
// CHECK: return %[[S]]
func.func @ncw_dynamic_batch(%x: tensor<?x2x8xf32>, %acc: tensor<?x16x5xf32>) -> tensor<?x16x5xf32> {
  %w = arith.constant dense<[[[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]], [[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]], [[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]], [[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]], [[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]], [[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]], [[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]], [[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]], [[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]], [[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]], [[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]], [[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]], [[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]], [[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]], [[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]], [[1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.1, 0.1]]]> : tensor<16x2x4xf32>
  %y = linalg.conv_1d_ncw_fcw {dilations = dense<1> : tensor<1xi64>, strides = dense<1> : tensor<1xi64>}
         ins(%x, %w : tensor<?x2x8xf32>, tensor<16x2x4xf32>) outs(%acc : tensor<?x16x5xf32>) -> tensor<?x16x5xf32>
  return %y : tensor<?x16x5xf32>
}
