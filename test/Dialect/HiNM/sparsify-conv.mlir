// RUN: hinm-opt %s --hinm-sparsify="vector-size=16 permute=none" -split-input-file 2>/dev/null | FileCheck %s
// RUN: hinm-opt %s --hinm-sparsify="vector-size=16 permute=2cp report" -split-input-file 2>&1 >/dev/null | FileCheck %s --check-prefix=REPORT
// hinm-sparsify on 2-D convolutions with a constant filter: the filter's
// W[F, C*KH*KW] view (columns in (c, kh, kw) order) is packed, the input
// becomes an im2col linalg.generic, and hinm.matmul's [F, N*OH*OW] result is
// reshaped (and transposed) back to NHWC / NCHW (filters HWCF, FHWC, FCHW); strides, dilations, batch 2,
// accumulators, and a depthwise conv left dense.

// The column order, known by hand: C = 2, KH = 1, KW = 4 -> K = 8; only
// input channel 0 carries weight (kw + 1), channel 1 is 0.1. In (c, kh, kw)
// order channel 0 is columns 0..3, so the block keeps vectors [0, 1, 2, 3]
// ((kh, kw, c) order would give [0, 2, 4, 6]); 2:4 keeps kw = 2, 3 (values 3
// and 4, metadata 2 | 3 << 2 = 14) in every row.
// CHECK-LABEL: func.func @nhwc_column_order
// CHECK-DAG: %[[V:.*]] = arith.constant dense<{{\[\[}}3.000000e+00, 4.000000e+00]{{.*}}> : tensor<16x2xf32>
// CHECK-DAG: %[[I:.*]] = arith.constant dense<{{\[\[}}0, 1, 2, 3]]> : tensor<1x4xi32>
// CHECK-DAG: %[[M:.*]] = arith.constant dense<14> : tensor<16x1xi32>
// CHECK: %[[W:.*]] = hinm.assemble %[[V]], %[[I]], %[[M]], %{{.*}} : !hinm.matrix<16x8xf32, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>
// CHECK: %[[X6:.*]] = linalg.generic {{.*}} ins(%arg0 : tensor<1x5x8x2xf32>) outs(%{{.*}} : tensor<2x1x4x1x5x5xf32>)
// CHECK: %[[X:.*]] = tensor.collapse_shape %[[X6]] {{\[\[}}0, 1, 2], [3, 4, 5]] : tensor<2x1x4x1x5x5xf32> into tensor<8x25xf32>
// CHECK: %[[Y:.*]] = hinm.matmul %[[W]], %[[X]] : {{.*}}, tensor<8x25xf32> -> tensor<16x25xf32>
// CHECK: %[[Y4:.*]] = tensor.expand_shape %[[Y]] {{\[\[}}0], [1, 2, 3]] output_shape [16, 1, 5, 5] : tensor<16x25xf32> into tensor<16x1x5x5xf32>
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[Y4]] : tensor<16x1x5x5xf32>) outs(%{{.*}} : tensor<1x5x5x16xf32>) permutation = [1, 2, 3, 0]
// CHECK-NOT: linalg.add
// CHECK-NOT: linalg.conv
// CHECK: return %[[T]]
// REPORT: remark: hinm-sparsify: conv_2d_nhwc_hwcf filter 16x8 (HiNM view), V=16 kept=4 2:4, permute=2cp
func.func @nhwc_column_order(%x: tensor<1x5x8x2xf32>) -> tensor<1x5x5x16xf32> {
  %w = arith.constant dense<[[[[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]], [[2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0], [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]], [[3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0], [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]], [[4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0], [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]]]]> : tensor<1x4x2x16xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x5x5x16xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<1x5x5x16xf32>) -> tensor<1x5x5x16xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x5x8x2xf32>, tensor<1x4x2x16xf32>) outs(%c : tensor<1x5x5x16xf32>) -> tensor<1x5x5x16xf32>
  return %y : tensor<1x5x5x16xf32>
}

// -----

// The same filter in [[[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]]] gets the same packed weight. With N = 1 the NCHW
// result [F, OH*OW] is already [1, F, OH, OW]: an expand_shape, no transpose.
// The im2col map reads input[n, c, oh + kh, ow + kw] into
// X6[c, kh, kw, n, oh, ow].
// CHECK-DAG: #[[$IN1:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d0, d1 + d4, d2 + d5)>
// CHECK-DAG: #[[$ID1:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d4, d5)>
// CHECK-LABEL: func.func @nchw_column_order
// CHECK-DAG: %[[V:.*]] = arith.constant dense<{{\[\[}}3.000000e+00, 4.000000e+00]{{.*}}> : tensor<16x2xf32>
// CHECK-DAG: %[[I:.*]] = arith.constant dense<{{\[\[}}0, 1, 2, 3]]> : tensor<1x4xi32>
// CHECK-DAG: %[[M:.*]] = arith.constant dense<14> : tensor<16x1xi32>
// CHECK: %[[W:.*]] = hinm.assemble %[[V]], %[[I]], %[[M]], %{{.*}} : !hinm.matrix<16x8xf32, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>
// CHECK: %[[X6:.*]] = linalg.generic {indexing_maps = [#[[$IN1]], #[[$ID1]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%arg0 : tensor<1x2x5x8xf32>) outs(%{{.*}} : tensor<2x1x4x1x5x5xf32>)
// CHECK-NEXT: ^bb0(%[[IN_ELT:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[IN_ELT]] : f32
// CHECK: %[[X:.*]] = tensor.collapse_shape %[[X6]] {{\[\[}}0, 1, 2], [3, 4, 5]] : tensor<2x1x4x1x5x5xf32> into tensor<8x25xf32>
// CHECK: %[[Y:.*]] = hinm.matmul %[[W]], %[[X]] : {{.*}}, tensor<8x25xf32> -> tensor<16x25xf32>
// CHECK: %[[R:.*]] = tensor.expand_shape %[[Y]] {{\[\[}}0, 1], [2, 3]] output_shape [1, 16, 5, 5] : tensor<16x25xf32> into tensor<1x16x5x5xf32>
// CHECK-NOT: linalg.transpose
// CHECK-NOT: linalg.add
// CHECK: return %[[R]]
// REPORT: remark: hinm-sparsify: conv_2d_nchw_fchw filter 16x8 (HiNM view), V=16 kept=4 2:4, permute=2cp
func.func @nchw_column_order(%x: tensor<1x2x5x8xf32>) -> tensor<1x16x5x5xf32> {
  %w = arith.constant dense<[[[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]]]> : tensor<16x2x1x4xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x16x5x5xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<1x16x5x5xf32>) -> tensor<1x16x5x5xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x2x5x8xf32>, tensor<16x2x1x4xf32>) outs(%c : tensor<1x16x5x5xf32>) -> tensor<1x16x5x5xf32>
  return %y : tensor<1x16x5x5xf32>
}

// -----

// The same filter in [[[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]]] (linalg.conv_2d_nhwc_fhwc, TOSA's form) gets the same
// packed weight; batch 2, stride (1, 2).
// CHECK-DAG: #[[$IN_TOSA:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d1 + d4, d5 * 2 + d2, d0)>
// CHECK-LABEL: func.func @nhwc_fhwc_column_order
// CHECK-DAG: %[[V:.*]] = arith.constant dense<{{\[\[}}3.000000e+00, 4.000000e+00]{{.*}}> : tensor<16x2xf32>
// CHECK-DAG: %[[I:.*]] = arith.constant dense<{{\[\[}}0, 1, 2, 3]]> : tensor<1x4xi32>
// CHECK-DAG: %[[M:.*]] = arith.constant dense<14> : tensor<16x1xi32>
// CHECK: %[[W:.*]] = hinm.assemble %[[V]], %[[I]], %[[M]], %{{.*}} : !hinm.matrix<16x8xf32, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>
// CHECK: %[[X6:.*]] = linalg.generic {indexing_maps = [#[[$IN_TOSA]], {{.*}}]{{.*}} ins(%arg0 : tensor<2x5x9x2xf32>) outs(%{{.*}} : tensor<2x1x4x2x5x3xf32>)
// CHECK: %[[X:.*]] = tensor.collapse_shape %[[X6]] {{.*}} into tensor<8x30xf32>
// CHECK: %[[Y:.*]] = hinm.matmul %[[W]], %[[X]] : {{.*}}, tensor<8x30xf32> -> tensor<16x30xf32>
// CHECK: %[[Y4:.*]] = tensor.expand_shape %[[Y]] {{.*}} into tensor<16x2x5x3xf32>
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[Y4]] : {{.*}}) outs(%{{.*}} : tensor<2x5x3x16xf32>) permutation = [1, 2, 3, 0]
// CHECK: return %[[T]]
// REPORT: remark: hinm-sparsify: conv_2d_nhwc_fhwc filter 16x8 (HiNM view), V=16 kept=4 2:4, permute=2cp
func.func @nhwc_fhwc_column_order(%x: tensor<2x5x9x2xf32>) -> tensor<2x5x3x16xf32> {
  %w = arith.constant dense<[[[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]]]> : tensor<16x1x4x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x5x3x16xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<2x5x3x16xf32>) -> tensor<2x5x3x16xf32>
  %y = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<[1, 2]> : tensor<2xi64>}
         ins(%x, %w : tensor<2x5x9x2xf32>, tensor<16x1x4x2xf32>) outs(%c : tensor<2x5x3x16xf32>) -> tensor<2x5x3x16xf32>
  return %y : tensor<2x5x3x16xf32>
}

// -----

// Stride 2 and dilation 2 (3x3 kernel spanning 5x5): OH = OW = (9 - 5) / 2 + 1
// = 3. The im2col map reads input[n, oh*2 + kh*2, ow*2 + kw*2, c]. K = 4*3*3
// = 36 columns; 50% vector sparsity keeps 18, rounded down to a multiple of
// M: 16 -> values [32, 8], index [2 blocks, 16], one metadata word per row.
// CHECK-DAG: #[[$IN2:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d4 * 2 + d1 * 2, d5 * 2 + d2 * 2, d0)>
// CHECK-LABEL: func.func @nhwc_stride2_dilation2
// CHECK-DAG: arith.constant {{.*}} : tensor<32x8xf32>
// CHECK-DAG: arith.constant {{.*}} : tensor<2x16xi32>
// CHECK-DAG: arith.constant {{.*}} : tensor<32x1xi32>
// CHECK-DAG: arith.constant {{.*}} : tensor<32xi32>
// CHECK: %[[W:.*]] = hinm.assemble {{.*}} : !hinm.matrix<32x36xf32, #hinm.format<vector_size = 16, kept = 16, n = 2, m = 4>>
// CHECK: %[[X6:.*]] = linalg.generic {indexing_maps = [#[[$IN2]], {{.*}}]{{.*}} ins(%arg0 : tensor<1x9x9x4xf32>) outs(%{{.*}} : tensor<4x3x3x1x3x3xf32>)
// CHECK: %[[X:.*]] = tensor.collapse_shape %[[X6]] {{.*}} : tensor<4x3x3x1x3x3xf32> into tensor<36x9xf32>
// CHECK: %[[Y:.*]] = hinm.matmul %[[W]], %[[X]] : {{.*}}, tensor<36x9xf32> -> tensor<32x9xf32>
// CHECK: %[[Y4:.*]] = tensor.expand_shape %[[Y]] {{.*}} : tensor<32x9xf32> into tensor<32x1x3x3xf32>
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[Y4]] : {{.*}}) outs(%{{.*}} : tensor<1x3x3x32xf32>) permutation = [1, 2, 3, 0]
// CHECK: return %[[T]]
func.func @nhwc_stride2_dilation2(%x: tensor<1x9x9x4xf32>) -> tensor<1x3x3x32xf32> {
  %w = arith.constant dense<0.5> : tensor<3x3x4x32xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x3x3x32xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<1x3x3x32xf32>) -> tensor<1x3x3x32xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<2> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
         ins(%x, %w : tensor<1x9x9x4xf32>, tensor<3x3x4x32xf32>) outs(%c : tensor<1x3x3x32xf32>) -> tensor<1x3x3x32xf32>
  return %y : tensor<1x3x3x32xf32>
}

// -----

// NCHW, batch 2, strides (2, 1), a non-zero accumulator (a function argument):
// the result is transposed from [F, N, OH, OW] to [N, F, OH, OW] and the
// accumulator added with linalg.add. OH = (7 - 3) / 2 + 1 = 3, OW = 6 - 3 + 1
// = 4, N*OH*OW = 24.
// CHECK-DAG: #[[$IN3:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d0, d4 * 2 + d1, d2 + d5)>
// CHECK-LABEL: func.func @nchw_batch2_acc
// CHECK-SAME: (%[[XIN:.*]]: tensor<2x4x7x6xf32>, %[[ACC:.*]]: tensor<2x16x3x4xf32>)
// CHECK: %[[W:.*]] = hinm.assemble {{.*}} : !hinm.matrix<16x36xf32
// CHECK: %[[X6:.*]] = linalg.generic {indexing_maps = [#[[$IN3]], {{.*}}]{{.*}} ins(%[[XIN]] : tensor<2x4x7x6xf32>) outs(%{{.*}} : tensor<4x3x3x2x3x4xf32>)
// CHECK: %[[X:.*]] = tensor.collapse_shape %[[X6]] {{.*}} into tensor<36x24xf32>
// CHECK: %[[Y:.*]] = hinm.matmul %[[W]], %[[X]] : {{.*}}, tensor<36x24xf32> -> tensor<16x24xf32>
// CHECK: %[[Y4:.*]] = tensor.expand_shape %[[Y]] {{\[\[}}0], [1, 2, 3]] output_shape [16, 2, 3, 4] : tensor<16x24xf32> into tensor<16x2x3x4xf32>
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[Y4]] : {{.*}}) outs(%{{.*}} : tensor<2x16x3x4xf32>) permutation = [1, 0, 2, 3]
// CHECK: %[[S:.*]] = linalg.add ins(%[[T]], %[[ACC]] : tensor<2x16x3x4xf32>, tensor<2x16x3x4xf32>)
// CHECK: return %[[S]]
func.func @nchw_batch2_acc(%x: tensor<2x4x7x6xf32>, %acc: tensor<2x16x3x4xf32>) -> tensor<2x16x3x4xf32> {
  %w = arith.constant dense<0.25> : tensor<16x4x3x3xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>}
         ins(%x, %w : tensor<2x4x7x6xf32>, tensor<16x4x3x3xf32>) outs(%acc : tensor<2x16x3x4xf32>) -> tensor<2x16x3x4xf32>
  return %y : tensor<2x16x3x4xf32>
}

// -----

// NHWC, batch 2, f16 operands with an f32 result.
// CHECK-LABEL: func.func @nhwc_batch2_f16
// CHECK: %[[W:.*]] = hinm.assemble {{.*}} : !hinm.matrix<16x8xf16
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<2x4x4x2xf16>) outs(%{{.*}} : tensor<2x2x2x2x3x3xf16>)
// CHECK: tensor.collapse_shape {{.*}} into tensor<8x18xf16>
// CHECK: hinm.matmul %[[W]], {{.*}} : {{.*}}, tensor<8x18xf16> -> tensor<16x18xf32>
// CHECK: linalg.transpose ins(%{{.*}} : tensor<16x2x3x3xf32>) outs(%{{.*}} : tensor<2x3x3x16xf32>) permutation = [1, 2, 3, 0]
func.func @nhwc_batch2_f16(%x: tensor<2x4x4x2xf16>) -> tensor<2x3x3x16xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2x2x16xf16>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3x3x16xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<2x3x3x16xf32>) -> tensor<2x3x3x16xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<2x4x4x2xf16>, tensor<2x2x2x16xf16>) outs(%c : tensor<2x3x3x16xf32>) -> tensor<2x3x3x16xf32>
  return %y : tensor<2x3x3x16xf32>
}

// -----

// A depthwise convolution has no single [F, C*KH*KW] weight: left dense (with
// a warning, checked in sparsify-conv-diagnostics.mlir).
// CHECK-LABEL: func.func @depthwise_dense
// CHECK-NOT: hinm.
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc
// CHECK-NOT: hinm.
// CHECK: return
func.func @depthwise_dense(%x: tensor<1x6x6x8xf32>) -> tensor<1x4x4x8xf32> {
  %w = arith.constant dense<0.5> : tensor<3x3x8xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x4x8xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  %y = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x6x6x8xf32>, tensor<3x3x8xf32>) outs(%c : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  return %y : tensor<1x4x4x8xf32>
}

// -----

// A filter that is not a constant is not a candidate: no rewrite.
// CHECK-LABEL: func.func @runtime_filter
// CHECK-NOT: hinm.
// CHECK: linalg.conv_2d_nchw_fchw
func.func @runtime_filter(%x: tensor<1x4x6x6xf32>, %w: tensor<16x4x3x3xf32>, %c: tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32> {
  %y = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x4x6x6xf32>, tensor<16x4x3x3xf32>) outs(%c : tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32>
  return %y : tensor<1x16x4x4xf32>
}
