// RUN: hinm-opt %s --hinm-sparsify="vector-size=16 permute=none" -split-input-file | FileCheck %s
// RUN: hinm-opt %s --hinm-sparsify="vector-size=16 permute=2cp report" -split-input-file 2>&1 >/dev/null | FileCheck %s --check-prefix=REPORT
// RUN: hinm-opt %s --hinm-sparsify="vector-size=16 permute=none" -split-input-file | FileCheck %s --check-prefix=FILLS
// hinm-sparsify on grouped 2-D convolutions with a constant filter: the op is
// split into one plain convolution per group on tensor.extract_slice's of the
// input and the filter, each group's filter W_g[F/G, C/G*KH*KW] is pruned on
// its own, and tensor.insert_slice puts every group's result back at its
// group offset. A group's zero accumulator is dropped by its rewrite, so
// only the op's own fill (the destination of the insert_slices) is left.
// FILLS-COUNT-1: linalg.fill
// FILLS-NOT: linalg.fill

// Two groups of C/G = 2 input and F/G = 16 output channels, a 1x4 kernel:
// K = 8 columns per group, 4 kept at V = 16. Group 0's weight is on its input
// channel 0 (kw + 1), group 1's on its channel 1 (10 * (kw + 1)); the other
// channel is 0.1. So group 0 keeps vectors [0, 1, 2, 3] with values 3 and 4,
// group 1 keeps [4, 5, 6, 7] with 30 and 40: a group that read the other's
// filter, or the whole filter, would pack other constants.
// CHECK-LABEL: func.func @ngchw_gfchw
// CHECK: %[[FILL:.*]] = linalg.fill
// CHECK: %[[X0:.*]] = tensor.extract_slice %arg0[0, 0, 0, 0, 0] [1, 1, 2, 5, 8] [1, 1, 1, 1, 1] : tensor<1x2x2x5x8xf32> to tensor<1x2x5x8xf32>
// CHECK-DAG: %[[V0:.*]] = arith.constant dense<{{\[\[}}3.000000e+00, 4.000000e+00]{{.*}}> : tensor<16x2xf32>
// CHECK-DAG: %[[I0:.*]] = arith.constant dense<{{\[\[}}0, 1, 2, 3]]> : tensor<1x4xi32>
// CHECK: %[[W0:.*]] = hinm.assemble %[[V0]], %[[I0]], %{{.*}}, %{{.*}} : !hinm.matrix<16x8xf32, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>
// CHECK: linalg.generic {{.*}} ins(%[[X0]] : tensor<1x2x5x8xf32>)
// CHECK: %[[Y0:.*]] = hinm.matmul %[[W0]], %{{.*}} : {{.*}}, tensor<8x25xf32> -> tensor<16x25xf32>
// CHECK: %[[R0:.*]] = tensor.expand_shape %[[Y0]] {{.*}} into tensor<1x16x5x5xf32>
// CHECK: %[[P0:.*]] = tensor.insert_slice %[[R0]] into %[[FILL]][0, 0, 0, 0, 0] [1, 1, 16, 5, 5] [1, 1, 1, 1, 1] : tensor<1x16x5x5xf32> into tensor<1x2x16x5x5xf32>
// CHECK: %[[X1:.*]] = tensor.extract_slice %arg0[0, 1, 0, 0, 0] [1, 1, 2, 5, 8]
// CHECK-DAG: %[[V1:.*]] = arith.constant dense<{{\[\[}}3.000000e+01, 4.000000e+01]{{.*}}> : tensor<16x2xf32>
// CHECK-DAG: %[[I1:.*]] = arith.constant dense<{{\[\[}}4, 5, 6, 7]]> : tensor<1x4xi32>
// CHECK: %[[W1:.*]] = hinm.assemble %[[V1]], %[[I1]], %{{.*}}, %{{.*}}
// CHECK: linalg.generic {{.*}} ins(%[[X1]] : tensor<1x2x5x8xf32>)
// CHECK: %[[Y1:.*]] = hinm.matmul %[[W1]], %{{.*}}
// CHECK: %[[R1:.*]] = tensor.expand_shape %[[Y1]]
// CHECK: %[[P1:.*]] = tensor.insert_slice %[[R1]] into %[[P0]][0, 1, 0, 0, 0] [1, 1, 16, 5, 5]
// CHECK-NOT: linalg.conv
// CHECK-NOT: tensor<2x16x2x1x4xf32>
// CHECK: return %[[P1]]
// REPORT: remark: hinm-sparsify: conv_2d_nchw_fchw filter of group 0 16x8 (HiNM view), V=16 kept=4 2:4, permute=2cp
// REPORT: remark: hinm-sparsify: conv_2d_nchw_fchw filter of group 1 16x8 (HiNM view), V=16 kept=4 2:4, permute=2cp
func.func @ngchw_gfchw(%x: tensor<1x2x2x5x8xf32>) -> tensor<1x2x16x5x5xf32> {
  %w = arith.constant dense<[[[[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]], [[[1.0, 2.0, 3.0, 4.0]], [[0.1, 0.1, 0.1, 0.1]]]], [[[[0.1, 0.1, 0.1, 0.1]], [[10.0, 20.0, 30.0, 40.0]]], [[[0.1, 0.1, 0.1, 0.1]], [[10.0, 20.0, 30.0, 40.0]]], [[[0.1, 0.1, 0.1, 0.1]], [[10.0, 20.0, 30.0, 40.0]]], [[[0.1, 0.1, 0.1, 0.1]], [[10.0, 20.0, 30.0, 40.0]]], [[[0.1, 0.1, 0.1, 0.1]], [[10.0, 20.0, 30.0, 40.0]]], [[[0.1, 0.1, 0.1, 0.1]], [[10.0, 20.0, 30.0, 40.0]]], [[[0.1, 0.1, 0.1, 0.1]], [[10.0, 20.0, 30.0, 40.0]]], [[[0.1, 0.1, 0.1, 0.1]], [[10.0, 20.0, 30.0, 40.0]]], [[[0.1, 0.1, 0.1, 0.1]], [[10.0, 20.0, 30.0, 40.0]]], [[[0.1, 0.1, 0.1, 0.1]], [[10.0, 20.0, 30.0, 40.0]]], [[[0.1, 0.1, 0.1, 0.1]], [[10.0, 20.0, 30.0, 40.0]]], [[[0.1, 0.1, 0.1, 0.1]], [[10.0, 20.0, 30.0, 40.0]]], [[[0.1, 0.1, 0.1, 0.1]], [[10.0, 20.0, 30.0, 40.0]]], [[[0.1, 0.1, 0.1, 0.1]], [[10.0, 20.0, 30.0, 40.0]]], [[[0.1, 0.1, 0.1, 0.1]], [[10.0, 20.0, 30.0, 40.0]]], [[[0.1, 0.1, 0.1, 0.1]], [[10.0, 20.0, 30.0, 40.0]]]]]> : tensor<2x16x2x1x4xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x16x5x5xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<1x2x16x5x5xf32>) -> tensor<1x2x16x5x5xf32>
  %y = linalg.conv_2d_ngchw_gfchw ins(%x, %w : tensor<1x2x2x5x8xf32>, tensor<2x16x2x1x4xf32>) outs(%c : tensor<1x2x16x5x5xf32>) -> tensor<1x2x16x5x5xf32>
  return %y : tensor<1x2x16x5x5xf32>
}

// -----

// The same filter channels last ([G, F, KH, KW, C], each group a
// conv_2d_nhwc_fhwc), a dynamic batch and an accumulator argument: the slices
// read the batch with tensor.dim, each group's accumulator is its slice of
// %acc (added after the product), and the packed constants are those above.
// CHECK-LABEL: func.func @nhwgc_gfhwc_dynamic_batch
// CHECK: %[[N:.*]] = tensor.dim %arg0, %{{.*}} : tensor<?x5x8x2x2xf32>
// CHECK: %[[NA:.*]] = tensor.dim %arg1, %{{.*}} : tensor<?x5x5x2x16xf32>
// CHECK: %[[X0:.*]] = tensor.extract_slice %arg0[0, 0, 0, 0, 0] [%[[N]], 5, 8, 1, 2] [1, 1, 1, 1, 1] : tensor<?x5x8x2x2xf32> to tensor<?x5x8x2xf32>
// CHECK: %[[A0:.*]] = tensor.extract_slice %arg1[0, 0, 0, 0, 0] [%[[NA]], 5, 5, 1, 16] [1, 1, 1, 1, 1] : tensor<?x5x5x2x16xf32> to tensor<?x5x5x16xf32>
// CHECK: arith.constant dense<{{\[\[}}0, 1, 2, 3]]> : tensor<1x4xi32>
// CHECK: linalg.generic {{.*}} ins(%[[X0]] : tensor<?x5x8x2xf32>)
// CHECK: hinm.matmul %{{.*}}, %{{.*}} : !hinm.matrix<16x8xf32, {{.*}}>, tensor<8x?xf32> -> tensor<16x?xf32>
// CHECK: %[[S0:.*]] = linalg.add ins(%{{.*}}, %[[A0]] : tensor<?x5x5x16xf32>, tensor<?x5x5x16xf32>)
// CHECK: %[[P0:.*]] = tensor.insert_slice %[[S0]] into %arg1[0, 0, 0, 0, 0] [%[[NA]], 5, 5, 1, 16]
// CHECK: %[[X1:.*]] = tensor.extract_slice %arg0[0, 0, 0, 1, 0] [%[[N]], 5, 8, 1, 2]
// CHECK: %[[A1:.*]] = tensor.extract_slice %arg1[0, 0, 0, 1, 0] [%[[NA]], 5, 5, 1, 16]
// CHECK: arith.constant dense<{{\[\[}}4, 5, 6, 7]]> : tensor<1x4xi32>
// CHECK: linalg.generic {{.*}} ins(%[[X1]] : tensor<?x5x8x2xf32>)
// CHECK: %[[S1:.*]] = linalg.add ins(%{{.*}}, %[[A1]]
// CHECK: %[[P1:.*]] = tensor.insert_slice %[[S1]] into %[[P0]][0, 0, 0, 1, 0] [%[[NA]], 5, 5, 1, 16]
// CHECK-NOT: linalg.conv
// CHECK: return %[[P1]]
func.func @nhwgc_gfhwc_dynamic_batch(%x: tensor<?x5x8x2x2xf32>, %acc: tensor<?x5x5x2x16xf32>) -> tensor<?x5x5x2x16xf32> {
  %w = arith.constant dense<[[[[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]], [[[1.0, 0.1], [2.0, 0.1], [3.0, 0.1], [4.0, 0.1]]]], [[[[0.1, 10.0], [0.1, 20.0], [0.1, 30.0], [0.1, 40.0]]], [[[0.1, 10.0], [0.1, 20.0], [0.1, 30.0], [0.1, 40.0]]], [[[0.1, 10.0], [0.1, 20.0], [0.1, 30.0], [0.1, 40.0]]], [[[0.1, 10.0], [0.1, 20.0], [0.1, 30.0], [0.1, 40.0]]], [[[0.1, 10.0], [0.1, 20.0], [0.1, 30.0], [0.1, 40.0]]], [[[0.1, 10.0], [0.1, 20.0], [0.1, 30.0], [0.1, 40.0]]], [[[0.1, 10.0], [0.1, 20.0], [0.1, 30.0], [0.1, 40.0]]], [[[0.1, 10.0], [0.1, 20.0], [0.1, 30.0], [0.1, 40.0]]], [[[0.1, 10.0], [0.1, 20.0], [0.1, 30.0], [0.1, 40.0]]], [[[0.1, 10.0], [0.1, 20.0], [0.1, 30.0], [0.1, 40.0]]], [[[0.1, 10.0], [0.1, 20.0], [0.1, 30.0], [0.1, 40.0]]], [[[0.1, 10.0], [0.1, 20.0], [0.1, 30.0], [0.1, 40.0]]], [[[0.1, 10.0], [0.1, 20.0], [0.1, 30.0], [0.1, 40.0]]], [[[0.1, 10.0], [0.1, 20.0], [0.1, 30.0], [0.1, 40.0]]], [[[0.1, 10.0], [0.1, 20.0], [0.1, 30.0], [0.1, 40.0]]], [[[0.1, 10.0], [0.1, 20.0], [0.1, 30.0], [0.1, 40.0]]]]]> : tensor<2x16x1x4x2xf32>
  %y = linalg.conv_2d_nhwgc_gfhwc ins(%x, %w : tensor<?x5x8x2x2xf32>, tensor<2x16x1x4x2xf32>) outs(%acc : tensor<?x5x5x2x16xf32>) -> tensor<?x5x5x2x16xf32>
  return %y : tensor<?x5x5x2x16xf32>
}
