// RUN: hinm-opt %s --hinm-sparsify="vector-size=16 permute=none" -split-input-file | FileCheck %s
// RUN: hinm-opt %s --hinm-sparsify="vector-size=16 permute=none" -split-input-file -verify-diagnostics -o /dev/null
// hinm-sparsify reads weights in the forms frontends emit: dense_resource
// blobs (f32 and f16, matmul weights and conv filters; torch-mlir stores
// large weights so), an [out, in] weight transposed into the product by
// linalg.transpose or by a linalg.generic that only permutes (torch-mlir's
// nn.Linear), and a weight broadcast over the batch into
// linalg.batch_matmul (nn.Linear on rank-3 activations; or as a shared LHS),
// by linalg.broadcast or by a broadcast indexing map, or a [1, K, N]
// constant in a batch of one (TOSA). Every case holds
// the same 16x8 matrix as @lhs_known in sparsify.mlir, so it must give the
// same vector index and metadata: columns 1, 3, 4, 6 kept, metadata 4 on
// even rows and 14 on odd ones. A wrongly read or transposed weight gives
// other numbers.

// CHECK-LABEL: func.func @resource_f32
// CHECK-NOT: dense_resource
// CHECK-DAG: arith.constant dense<{{\[\[}}4.000000e+00, 3.000000e+00], [3.000000e+00, 4.000000e+00]{{.*}}> : tensor<16x2xf32>
// CHECK-DAG: arith.constant dense<{{\[\[}}1, 3, 4, 6]]> : tensor<1x4xi32>
// CHECK-DAG: arith.constant dense<{{\[\[}}4], [14], [4], [14]{{.*}}> : tensor<16x1xi32>
// CHECK: hinm.matmul %{{.*}}, %arg0 : !hinm.matrix<16x8xf32, {{.*}}>, tensor<8x4xf32> -> tensor<16x4xf32>
func.func @resource_f32(%x: tensor<8x4xf32>) -> tensor<16x4xf32> {
  %w = arith.constant dense_resource<w_f32> : tensor<16x8xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x4xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<16x4xf32>) -> tensor<16x4xf32>
  %y = linalg.matmul ins(%w, %x : tensor<16x8xf32>, tensor<8x4xf32>) outs(%c : tensor<16x4xf32>) -> tensor<16x4xf32>
  return %y : tensor<16x4xf32>
}

// torch-mlir's nn.Linear: y = x W^T, W [out, in] transposed by a generic.
// The transposing generic and the constant are gone; the activations are
// transposed instead (Y^T = W X^T).
#id = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-LABEL: func.func @linear_generic
// CHECK-NOT: dense_resource
// CHECK-NOT: linalg.generic
// CHECK-DAG: arith.constant dense<{{\[\[}}1, 3, 4, 6]]> : tensor<1x4xi32>
// CHECK-DAG: arith.constant dense<{{\[\[}}4], [14], [4], [14]{{.*}}> : tensor<16x1xi32>
// CHECK: %[[XT:.*]] = linalg.transpose ins(%arg0 : tensor<4x8xf32>)
// CHECK: %[[YT:.*]] = hinm.matmul %{{.*}}, %[[XT]] : !hinm.matrix<16x8xf32, {{.*}}>, tensor<8x4xf32> -> tensor<16x4xf32>
// CHECK: linalg.transpose ins(%[[YT]] : tensor<16x4xf32>)
// CHECK-NOT: linalg.generic
func.func @linear_generic(%x: tensor<4x8xf32>) -> tensor<4x16xf32> {
  %w = arith.constant dense_resource<w_f32> : tensor<16x8xf32>
  %e0 = tensor.empty() : tensor<8x16xf32>
  %wt = linalg.generic {indexing_maps = [#id, #tr], iterator_types = ["parallel", "parallel"]} ins(%w : tensor<16x8xf32>) outs(%e0 : tensor<8x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<8x16xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x16xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %y = linalg.matmul ins(%x, %wt : tensor<4x8xf32>, tensor<8x16xf32>) outs(%c : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}


// A convolution filter from a blob: [16, 2, 2, 2] in NCHW/FCHW is the same
// 16x8 matrix in the im2col view (columns (c, kh, kw)), so the same index
// and metadata.
// CHECK-LABEL: func.func @conv_resource
// CHECK-NOT: linalg.conv_2d
// CHECK-DAG: arith.constant dense<{{\[\[}}1, 3, 4, 6]]> : tensor<1x4xi32>
// CHECK-DAG: arith.constant dense<{{\[\[}}4], [14], [4], [14]{{.*}}> : tensor<16x1xi32>
// CHECK: hinm.matmul %{{.*}}, %{{.*}} : !hinm.matrix<16x8xf32, {{.*}}>, tensor<8x4xf32> -> tensor<16x4xf32>
func.func @conv_resource(%x: tensor<1x2x3x3xf32>) -> tensor<1x16x2x2xf32> {
  %w = arith.constant dense_resource<w_f32> : tensor<16x2x2x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x16x2x2xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<1x16x2x2xf32>) -> tensor<1x16x2x2xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x2x3x3xf32>, tensor<16x2x2x2xf32>) outs(%c : tensor<1x16x2x2xf32>) -> tensor<1x16x2x2xf32>
  return %y : tensor<1x16x2x2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      w_f32: "0x04000000CDCCCC3D00008040CDCCCC3D0000404000000040CDCCCC3D0000803FCDCCCC3DCDCCCC3D0000803FCDCCCC3D0000004000004040CDCCCC3D00008040CDCCCC3DCDCCCC3D00008040CDCCCC3D0000404000000040CDCCCC3D0000803FCDCCCC3DCDCCCC3D0000803FCDCCCC3D0000004000004040CDCCCC3D00008040CDCCCC3DCDCCCC3D00008040CDCCCC3D0000404000000040CDCCCC3D0000803FCDCCCC3DCDCCCC3D0000803FCDCCCC3D0000004000004040CDCCCC3D00008040CDCCCC3DCDCCCC3D00008040CDCCCC3D0000404000000040CDCCCC3D0000803FCDCCCC3DCDCCCC3D0000803FCDCCCC3D0000004000004040CDCCCC3D00008040CDCCCC3DCDCCCC3D00008040CDCCCC3D0000404000000040CDCCCC3D0000803FCDCCCC3DCDCCCC3D0000803FCDCCCC3D0000004000004040CDCCCC3D00008040CDCCCC3DCDCCCC3D00008040CDCCCC3D0000404000000040CDCCCC3D0000803FCDCCCC3DCDCCCC3D0000803FCDCCCC3D0000004000004040CDCCCC3D00008040CDCCCC3DCDCCCC3D00008040CDCCCC3D0000404000000040CDCCCC3D0000803FCDCCCC3DCDCCCC3D0000803FCDCCCC3D0000004000004040CDCCCC3D00008040CDCCCC3DCDCCCC3D00008040CDCCCC3D0000404000000040CDCCCC3D0000803FCDCCCC3DCDCCCC3D0000803FCDCCCC3D0000004000004040CDCCCC3D00008040CDCCCC3D"
    }
  }
#-}

// -----

// CHECK-LABEL: func.func @resource_f16
// CHECK-DAG: arith.constant dense<{{\[\[}}4.000000e+00, 3.000000e+00], [3.000000e+00, 4.000000e+00]{{.*}}> : tensor<16x2xf16>
// CHECK-DAG: arith.constant dense<{{\[\[}}1, 3, 4, 6]]> : tensor<1x4xi32>
// CHECK-DAG: arith.constant dense<{{\[\[}}4], [14], [4], [14]{{.*}}> : tensor<16x1xi32>
// CHECK: hinm.matmul %{{.*}}, %arg0 : !hinm.matrix<16x8xf16, {{.*}}>, tensor<8x4xf16> -> tensor<16x4xf32>
func.func @resource_f16(%x: tensor<8x4xf16>) -> tensor<16x4xf32> {
  %w = arith.constant dense_resource<w_f16> : tensor<16x8xf16>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x4xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<16x4xf32>) -> tensor<16x4xf32>
  %y = linalg.matmul ins(%w, %x : tensor<16x8xf16>, tensor<8x4xf16>) outs(%c : tensor<16x4xf32>) -> tensor<16x4xf32>
  return %y : tensor<16x4xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w_f16: "0x02000000662E0044662E00420040662E003C662E662E003C662E00400042662E0044662E662E0044662E00420040662E003C662E662E003C662E00400042662E0044662E662E0044662E00420040662E003C662E662E003C662E00400042662E0044662E662E0044662E00420040662E003C662E662E003C662E00400042662E0044662E662E0044662E00420040662E003C662E662E003C662E00400042662E0044662E662E0044662E00420040662E003C662E662E003C662E00400042662E0044662E662E0044662E00420040662E003C662E662E003C662E00400042662E0044662E662E0044662E00420040662E003C662E662E003C662E00400042662E0044662E"
    }
  }
#-}

// -----

// The same through linalg.transpose, on a dense constant.
// CHECK-LABEL: func.func @linear_transpose
// CHECK-DAG: arith.constant dense<{{\[\[}}1, 3, 4, 6]]> : tensor<1x4xi32>
// CHECK-DAG: arith.constant dense<{{\[\[}}4], [14], [4], [14]{{.*}}> : tensor<16x1xi32>
// CHECK-NOT: tensor<8x16xf32>
// CHECK: hinm.matmul %{{.*}}, %{{.*}} : !hinm.matrix<16x8xf32, {{.*}}>, tensor<8x4xf32> -> tensor<16x4xf32>
func.func @linear_transpose(%x: tensor<4x8xf32>) -> tensor<4x16xf32> {
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
  %e0 = tensor.empty() : tensor<8x16xf32>
  %wt = linalg.transpose ins(%w : tensor<16x8xf32>) outs(%e0 : tensor<8x16xf32>) permutation = [1, 0]
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x16xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %y = linalg.matmul ins(%x, %wt : tensor<4x8xf32>, tensor<8x16xf32>) outs(%c : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}

// -----

// A generic that computes (here: negates) is not a copy: the product is not
// a constant-weight one and stays as it is, without a warning.
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#tr2 = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-LABEL: func.func @computed_weight
// CHECK: linalg.matmul
// CHECK-NOT: hinm.matmul
func.func @computed_weight(%x: tensor<4x8xf32>) -> tensor<4x16xf32> {
  %w = arith.constant dense<0.5> : tensor<16x8xf32>
  %e0 = tensor.empty() : tensor<8x16xf32>
  %wt = linalg.generic {indexing_maps = [#id2, #tr2], iterator_types = ["parallel", "parallel"]} ins(%w : tensor<16x8xf32>) outs(%e0 : tensor<8x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<8x16xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x16xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %y = linalg.matmul ins(%x, %wt : tensor<4x8xf32>, tensor<8x16xf32>) outs(%c : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}

// -----

// An elided blob (as --mlir-elide-resource-strings-if-larger prints) cannot
// be pruned: a warning, and the product stays dense.
// CHECK-LABEL: func.func @elided
// CHECK: linalg.matmul
func.func @elided(%x: tensor<8x4xf32>) -> tensor<16x4xf32> {
  %w = arith.constant dense_resource<__elided__> : tensor<16x8xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x4xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<16x4xf32>) -> tensor<16x4xf32>
  // expected-warning @below {{hinm-sparsify: constant weight left dense: its dense_resource blob '__elided__' is not available (elided or missing)}}
  %y = linalg.matmul ins(%w, %x : tensor<16x8xf32>, tensor<8x4xf32>) outs(%c : tensor<16x4xf32>) -> tensor<16x4xf32>
  return %y : tensor<16x4xf32>
}

// -----

// A blob whose size does not match its type.
func.func @short_blob(%x: tensor<8x4xf32>) -> tensor<16x4xf32> {
  %w = arith.constant dense_resource<w_short> : tensor<16x8xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x4xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<16x4xf32>) -> tensor<16x4xf32>
  // expected-warning @below {{its dense_resource blob 'w_short' holds 8 bytes where 128 elements need 512}}
  %y = linalg.matmul ins(%w, %x : tensor<16x8xf32>, tensor<8x4xf32>) outs(%c : tensor<16x4xf32>) -> tensor<16x4xf32>
  return %y : tensor<16x4xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w_short: "0x040000000000803F00000040"
    }
  }
#-}

// -----

// A linear layer on rank-3 activations: the weight repeated over the batch
// by linalg.broadcast into linalg.batch_matmul is one GEMM on the collapsed
// [B*M, K] activations. The zero accumulator is still dropped.
// CHECK-LABEL: func.func @batch_broadcast
// CHECK-NOT: linalg.batch_matmul
// CHECK: tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2]] : tensor<2x3x8xf32> into tensor<6x8xf32>
// CHECK-DAG: arith.constant dense<{{\[\[}}1, 3, 4, 6]]> : tensor<1x4xi32>
// CHECK-DAG: arith.constant dense<{{\[\[}}4], [14], [4], [14]{{.*}}> : tensor<16x1xi32>
// CHECK: hinm.matmul %{{.*}}, %{{.*}} : !hinm.matrix<16x8xf32, {{.*}}>, tensor<8x6xf32> -> tensor<16x6xf32>
// CHECK-NOT: linalg.add
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2]] output_shape [2, 3, 16] : tensor<6x16xf32> into tensor<2x3x16xf32>
// CHECK-NOT: linalg.batch_matmul
func.func @batch_broadcast(%x: tensor<2x3x8xf32>) -> tensor<2x3x16xf32> {
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
  %e0 = tensor.empty() : tensor<8x16xf32>
  %wt = linalg.transpose ins(%w : tensor<16x8xf32>) outs(%e0 : tensor<8x16xf32>) permutation = [1, 0]
  %e1 = tensor.empty() : tensor<2x8x16xf32>
  %wb = linalg.broadcast ins(%wt : tensor<8x16xf32>) outs(%e1 : tensor<2x8x16xf32>) dimensions = [0]
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3x16xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<2x3x16xf32>) -> tensor<2x3x16xf32>
  %y = linalg.batch_matmul ins(%x, %wb : tensor<2x3x8xf32>, tensor<2x8x16xf32>) outs(%c : tensor<2x3x16xf32>) -> tensor<2x3x16xf32>
  return %y : tensor<2x3x16xf32>
}

// -----

// The same layer with the weight shared by the batch_matmul's own broadcast
// indexing map, (b, m, n, k) -> (k, n) on the 2-D weight.
// CHECK-LABEL: func.func @batch_broadcast_map
// CHECK-NOT: linalg.batch_matmul
// CHECK: tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2]] : tensor<2x3x8xf32> into tensor<6x8xf32>
// CHECK-DAG: arith.constant dense<{{\[\[}}1, 3, 4, 6]]> : tensor<1x4xi32>
// CHECK-DAG: arith.constant dense<{{\[\[}}4], [14], [4], [14]{{.*}}> : tensor<16x1xi32>
// CHECK: hinm.matmul %{{.*}}, %{{.*}} : !hinm.matrix<16x8xf32, {{.*}}>, tensor<8x6xf32> -> tensor<16x6xf32>
// CHECK-NOT: linalg.add
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2]] output_shape [2, 3, 16] : tensor<6x16xf32> into tensor<2x3x16xf32>
// CHECK-NOT: linalg.batch_matmul
func.func @batch_broadcast_map(%x: tensor<2x3x8xf32>) -> tensor<2x3x16xf32> {
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
  %e0 = tensor.empty() : tensor<8x16xf32>
  %wt = linalg.transpose ins(%w : tensor<16x8xf32>) outs(%e0 : tensor<8x16xf32>) permutation = [1, 0]
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3x16xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<2x3x16xf32>) -> tensor<2x3x16xf32>
  %y = linalg.batch_matmul indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (k, n)>, affine_map<(b, m, n, k) -> (b, m, n)>]
      ins(%x, %wt : tensor<2x3x8xf32>, tensor<8x16xf32>) outs(%c : tensor<2x3x16xf32>) -> tensor<2x3x16xf32>
  return %y : tensor<2x3x16xf32>
}

// -----

// A batch of different weights (a 3-D constant [B, K, N], not a broadcast:
// stacked experts, per-head projections) is B products: each batch's
// activations, weight and accumulator are sliced out, the weight slice is
// pruned and packed on its own, and the results are inserted back. Batch 0
// holds the transpose of the known matrix, batch 1 that of the known
// matrix with its columns mirrored, which swaps the two row patterns: the
// same kept columns, and metadata 14 on even rows and 4 on odd ones. The
// 3-D constant is gone; the zero accumulator is still dropped.
// CHECK-LABEL: func.func @batch_of_weights
// CHECK-NOT: linalg.batch_matmul
// CHECK: %[[X0:.*]] = tensor.extract_slice %arg0[0, 0, 0] [1, 3, 8] [1, 1, 1] : tensor<2x3x8xf32> to tensor<3x8xf32>
// CHECK-DAG: arith.constant dense<{{\[\[}}1, 3, 4, 6]]> : tensor<1x4xi32>
// CHECK-DAG: arith.constant dense<{{\[\[}}4], [14], [4], [14]{{.*}}> : tensor<16x1xi32>
// CHECK: %[[T0:.*]] = linalg.transpose ins(%[[X0]] : tensor<3x8xf32>)
// CHECK: hinm.matmul %{{.*}}, %[[T0]] : !hinm.matrix<16x8xf32, {{.*}}>, tensor<8x3xf32> -> tensor<16x3xf32>
// CHECK-NOT: linalg.add
// CHECK: %[[Y0:.*]] = tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 0] [1, 3, 16] [1, 1, 1] : tensor<3x16xf32> into tensor<2x3x16xf32>
// CHECK: %[[X1:.*]] = tensor.extract_slice %arg0[1, 0, 0] [1, 3, 8] [1, 1, 1] : tensor<2x3x8xf32> to tensor<3x8xf32>
// CHECK-DAG: arith.constant dense<{{\[\[}}1, 3, 4, 6]]> : tensor<1x4xi32>
// CHECK-DAG: arith.constant dense<{{\[\[}}14], [4], [14], [4]{{.*}}> : tensor<16x1xi32>
// CHECK: %[[T1:.*]] = linalg.transpose ins(%[[X1]] : tensor<3x8xf32>)
// CHECK: hinm.matmul %{{.*}}, %[[T1]] : !hinm.matrix<16x8xf32, {{.*}}>, tensor<8x3xf32> -> tensor<16x3xf32>
// CHECK: %[[Y1:.*]] = tensor.insert_slice %{{.*}} into %[[Y0]][1, 0, 0] [1, 3, 16] [1, 1, 1] : tensor<3x16xf32> into tensor<2x3x16xf32>
// CHECK: return %[[Y1]]
// CHECK-NOT: tensor<2x8x16xf32>
func.func @batch_of_weights(%x: tensor<2x3x8xf32>) -> tensor<2x3x16xf32> {
  %w = arith.constant dense<[[[0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
                              [4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0],
                              [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
                              [3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0],
                              [2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0],
                              [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
                              [1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0],
                              [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]],
                             [[0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
                              [1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0],
                              [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
                              [2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0],
                              [3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0],
                              [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
                              [4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0],
                              [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]]]> : tensor<2x8x16xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3x16xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<2x3x16xf32>) -> tensor<2x3x16xf32>
  %y = linalg.batch_matmul ins(%x, %w : tensor<2x3x8xf32>, tensor<2x8x16xf32>) outs(%c : tensor<2x3x16xf32>) -> tensor<2x3x16xf32>
  return %y : tensor<2x3x16xf32>
}

// -----

// The same batch of weights in f16 from a dense_resource blob: each batch's
// slice is read from the blob alone (two bytes an element), so batch 1 gets
// its own metadata, 14 on even rows.
// CHECK-LABEL: func.func @batch_of_weights_resource_f16
// CHECK-NOT: linalg.batch_matmul
// CHECK-DAG: arith.constant dense<{{\[\[}}4], [14], [4], [14]{{.*}}> : tensor<16x1xi32>
// CHECK: hinm.matmul %{{.*}}, %{{.*}} : !hinm.matrix<16x8xf16, {{.*}}>, tensor<8x3xf16> -> tensor<16x3xf32>
// CHECK-DAG: arith.constant dense<{{\[\[}}1, 3, 4, 6]]> : tensor<1x4xi32>
// CHECK-DAG: arith.constant dense<{{\[\[}}14], [4], [14], [4]{{.*}}> : tensor<16x1xi32>
// CHECK: hinm.matmul %{{.*}}, %{{.*}} : !hinm.matrix<16x8xf16, {{.*}}>, tensor<8x3xf16> -> tensor<16x3xf32>
// CHECK-NOT: dense_resource
func.func @batch_of_weights_resource_f16(%x: tensor<2x3x8xf16>) -> tensor<2x3x16xf32> {
  %w = arith.constant dense_resource<batch_f16> : tensor<2x8x16xf16>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3x16xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<2x3x16xf32>) -> tensor<2x3x16xf32>
  %y = linalg.batch_matmul ins(%x, %w : tensor<2x3x8xf16>, tensor<2x8x16xf16>) outs(%c : tensor<2x3x16xf32>) -> tensor<2x3x16xf32>
  return %y : tensor<2x3x16xf32>
}

{-#
  dialect_resources: {
    builtin: {
      batch_f16: "0x02000000662E662E662E662E662E662E662E662E662E662E662E662E662E662E662E662E0044003C0044003C0044003C0044003C0044003C0044003C0044003C0044003C662E662E662E662E662E662E662E662E662E662E662E662E662E662E662E662E00420040004200400042004000420040004200400042004000420040004200400040004200400042004000420040004200400042004000420040004200400042662E662E662E662E662E662E662E662E662E662E662E662E662E662E662E662E003C0044003C0044003C0044003C0044003C0044003C0044003C0044003C0044662E662E662E662E662E662E662E662E662E662E662E662E662E662E662E662E662E662E662E662E662E662E662E662E662E662E662E662E662E662E662E662E003C0044003C0044003C0044003C0044003C0044003C0044003C0044003C0044662E662E662E662E662E662E662E662E662E662E662E662E662E662E662E662E00400042004000420040004200400042004000420040004200400042004000420042004000420040004200400042004000420040004200400042004000420040662E662E662E662E662E662E662E662E662E662E662E662E662E662E662E662E0044003C0044003C0044003C0044003C0044003C0044003C0044003C0044003C662E662E662E662E662E662E662E662E662E662E662E662E662E662E662E662E"
    }
  }
#-}

// -----

// The weights of @batch_of_weights stored as PyTorch keeps them, [B, out,
// in], and transposed per batch into the RHS by a 3-D linalg.transpose
// (torch.bmm(x, w.transpose(1, 2))) or by a generic that only permutes:
// read through the permutation, the same kept columns and metadata.
// CHECK-LABEL: func.func @batch_of_weights_transposed
// CHECK-NOT: linalg.batch_matmul
// CHECK-DAG: arith.constant dense<{{\[\[}}4], [14], [4], [14]{{.*}}> : tensor<16x1xi32>
// CHECK: hinm.matmul %{{.*}}, %{{.*}} : !hinm.matrix<16x8xf32, {{.*}}>, tensor<8x3xf32> -> tensor<16x3xf32>
// CHECK-DAG: arith.constant dense<{{\[\[}}14], [4], [14], [4]{{.*}}> : tensor<16x1xi32>
// CHECK: hinm.matmul %{{.*}}, %{{.*}} : !hinm.matrix<16x8xf32, {{.*}}>, tensor<8x3xf32> -> tensor<16x3xf32>
// CHECK-NOT: linalg.transpose ins(%cst
// CHECK-LABEL: func.func @batch_of_weights_permuting_generic
// CHECK-NOT: linalg.batch_matmul
// CHECK-NOT: linalg.generic
// CHECK-DAG: arith.constant dense<{{\[\[}}4], [14], [4], [14]{{.*}}> : tensor<16x1xi32>
// CHECK: hinm.matmul %{{.*}}, %{{.*}} : !hinm.matrix<16x8xf32, {{.*}}>, tensor<8x3xf32> -> tensor<16x3xf32>
// CHECK-DAG: arith.constant dense<{{\[\[}}14], [4], [14], [4]{{.*}}> : tensor<16x1xi32>
// CHECK: hinm.matmul %{{.*}}, %{{.*}} : !hinm.matrix<16x8xf32, {{.*}}>, tensor<8x3xf32> -> tensor<16x3xf32>
// CHECK-NOT: linalg.generic
func.func @batch_of_weights_transposed(%x: tensor<2x3x8xf32>) -> tensor<2x3x16xf32> {
  %w = arith.constant dense<[[[0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1],
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
                              [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1]],
                             [[0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
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
                              [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
                              [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1]]]> : tensor<2x16x8xf32>
  %e0 = tensor.empty() : tensor<2x8x16xf32>
  %wt = linalg.transpose ins(%w : tensor<2x16x8xf32>) outs(%e0 : tensor<2x8x16xf32>) permutation = [0, 2, 1]
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3x16xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<2x3x16xf32>) -> tensor<2x3x16xf32>
  %y = linalg.batch_matmul ins(%x, %wt : tensor<2x3x8xf32>, tensor<2x8x16xf32>) outs(%c : tensor<2x3x16xf32>) -> tensor<2x3x16xf32>
  return %y : tensor<2x3x16xf32>
}
func.func @batch_of_weights_permuting_generic(%x: tensor<2x3x8xf32>) -> tensor<2x3x16xf32> {
  %w = arith.constant dense<[[[0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1],
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
                              [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1]],
                             [[0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
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
                              [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
                              [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1]]]> : tensor<2x16x8xf32>
  %e0 = tensor.empty() : tensor<2x8x16xf32>
  %wt = linalg.generic {indexing_maps = [affine_map<(b, i, j) -> (b, j, i)>, affine_map<(b, i, j) -> (b, i, j)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%w : tensor<2x16x8xf32>) outs(%e0 : tensor<2x8x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<2x8x16xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3x16xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<2x3x16xf32>) -> tensor<2x3x16xf32>
  %y = linalg.batch_matmul ins(%x, %wt : tensor<2x3x8xf32>, tensor<2x8x16xf32>) outs(%c : tensor<2x3x16xf32>) -> tensor<2x3x16xf32>
  return %y : tensor<2x3x16xf32>
}

// -----

// The same with the weights as the LHS [B, M, K] (Y[b] = W[b] X[b]) and a
// bias accumulator: each batch's slice of the accumulator is added back.
// CHECK-LABEL: func.func @batch_of_lhs_weights
// CHECK-NOT: linalg.batch_matmul
// CHECK-DAG: arith.constant dense<{{\[\[}}4], [14], [4], [14]{{.*}}> : tensor<16x1xi32>
// CHECK-DAG: %[[X0:.*]] = tensor.extract_slice %arg0[0, 0, 0] [1, 8, 3] [1, 1, 1] : tensor<2x8x3xf32> to tensor<8x3xf32>
// CHECK-DAG: %[[C0:.*]] = tensor.extract_slice %arg1[0, 0, 0] [1, 16, 3] [1, 1, 1] : tensor<2x16x3xf32> to tensor<16x3xf32>
// CHECK: %[[P0:.*]] = hinm.matmul %{{.*}}, %[[X0]] : !hinm.matrix<16x8xf32, {{.*}}>, tensor<8x3xf32> -> tensor<16x3xf32>
// CHECK: %[[S0:.*]] = linalg.add ins(%[[P0]], %[[C0]] : tensor<16x3xf32>, tensor<16x3xf32>)
// CHECK: %[[Y0:.*]] = tensor.insert_slice %[[S0]] into %arg1[0, 0, 0] [1, 16, 3]
// CHECK-DAG: arith.constant dense<{{\[\[}}14], [4], [14], [4]{{.*}}> : tensor<16x1xi32>
// CHECK-DAG: %[[X1:.*]] = tensor.extract_slice %arg0[1, 0, 0] [1, 8, 3] [1, 1, 1] : tensor<2x8x3xf32> to tensor<8x3xf32>
// CHECK-DAG: %[[C1:.*]] = tensor.extract_slice %arg1[1, 0, 0] [1, 16, 3] [1, 1, 1] : tensor<2x16x3xf32> to tensor<16x3xf32>
// CHECK: %[[P1:.*]] = hinm.matmul %{{.*}}, %[[X1]] : !hinm.matrix<16x8xf32, {{.*}}>, tensor<8x3xf32> -> tensor<16x3xf32>
// CHECK: %[[S1:.*]] = linalg.add ins(%[[P1]], %[[C1]] : tensor<16x3xf32>, tensor<16x3xf32>)
// CHECK: tensor.insert_slice %[[S1]] into %[[Y0]][1, 0, 0] [1, 16, 3]
func.func @batch_of_lhs_weights(%x: tensor<2x8x3xf32>, %bias: tensor<2x16x3xf32>) -> tensor<2x16x3xf32> {
  %w = arith.constant dense<[[[0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1],
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
                              [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1]],
                             [[0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
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
                              [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
                              [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1]]]> : tensor<2x16x8xf32>
  %y = linalg.batch_matmul ins(%w, %x : tensor<2x16x8xf32>, tensor<2x8x3xf32>) outs(%bias : tensor<2x16x3xf32>) -> tensor<2x16x3xf32>
  return %y : tensor<2x16x3xf32>
}

// -----

// A weight sliced out of a larger constant (a part of a fused projection,
// rows 16 to 31 of a [48, 8] one) is read through the static
// tensor.extract_slice: only the slice is pruned, and the fused constant,
// still used by the other slice, stays.
// CHECK-LABEL: func.func @fused_weight_slice
// CHECK: %[[BIG:.*]] = arith.constant dense<{{.*}}> : tensor<48x8xf32>
// CHECK: %[[OTHER:.*]] = tensor.extract_slice %[[BIG]][32, 0] [16, 8] [1, 1]
// CHECK-NOT: tensor.extract_slice
// CHECK-DAG: arith.constant dense<{{\[\[}}1, 3, 4, 6]]> : tensor<1x4xi32>
// CHECK-DAG: arith.constant dense<{{\[\[}}14], [4], [14], [4]{{.*}}> : tensor<16x1xi32>
// CHECK: %[[Y:.*]] = hinm.matmul %{{.*}}, %arg0 : !hinm.matrix<16x8xf32, {{.*}}>, tensor<8x4xf32> -> tensor<16x4xf32>
// CHECK: return %[[Y]], %[[OTHER]]
func.func @fused_weight_slice(%x: tensor<8x4xf32>) -> (tensor<16x4xf32>, tensor<16x8xf32>) {
  %fused = arith.constant dense<[[0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1],
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
                              [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
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
                              [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
                              [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1],
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
                              [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
                              [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1],
                              [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1]]> : tensor<48x8xf32>
  %w = tensor.extract_slice %fused[16, 0] [16, 8] [1, 1] : tensor<48x8xf32> to tensor<16x8xf32>
  %other = tensor.extract_slice %fused[32, 0] [16, 8] [1, 1] : tensor<48x8xf32> to tensor<16x8xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x4xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<16x4xf32>) -> tensor<16x4xf32>
  %y = linalg.matmul ins(%w, %x : tensor<16x8xf32>, tensor<8x4xf32>) outs(%c : tensor<16x4xf32>) -> tensor<16x4xf32>
  return %y, %other : tensor<16x4xf32>, tensor<16x8xf32>
}

// -----

// A strided slice: the odd rows of a [32, 8] constant whose even rows are
// the known matrix and whose odd rows are the mirrored one.
// CHECK-LABEL: func.func @strided_weight_slice
// CHECK-NOT: tensor<32x8xf32>
// CHECK-DAG: arith.constant dense<{{\[\[}}1, 3, 4, 6]]> : tensor<1x4xi32>
// CHECK-DAG: arith.constant dense<{{\[\[}}14], [4], [14], [4]{{.*}}> : tensor<16x1xi32>
// CHECK: hinm.matmul %{{.*}}, %arg0 : !hinm.matrix<16x8xf32, {{.*}}>, tensor<8x4xf32> -> tensor<16x4xf32>
func.func @strided_weight_slice(%x: tensor<8x4xf32>) -> tensor<16x4xf32> {
  %big = arith.constant dense<[[0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1],
                              [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
                              [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
                              [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1],
                              [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1],
                              [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
                              [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
                              [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1],
                              [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1],
                              [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
                              [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
                              [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1],
                              [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1],
                              [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
                              [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
                              [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1],
                              [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1],
                              [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
                              [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
                              [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1],
                              [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1],
                              [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
                              [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
                              [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1],
                              [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1],
                              [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
                              [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
                              [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1],
                              [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1],
                              [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
                              [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1],
                              [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1]]> : tensor<32x8xf32>
  %w = tensor.extract_slice %big[1, 0] [16, 8] [2, 1] : tensor<32x8xf32> to tensor<16x8xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x4xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<16x4xf32>) -> tensor<16x4xf32>
  %y = linalg.matmul ins(%w, %x : tensor<16x8xf32>, tensor<8x4xf32>) outs(%c : tensor<16x4xf32>) -> tensor<16x4xf32>
  return %y : tensor<16x4xf32>
}

// -----

// A constant LHS shared over the batch through the map (b, m, n, k) -> (m, k)
// (Y[b] = W X[b], a weight applied along each batch's rows, as MLP-Mixer's
// token mixing does) is one GEMM on the columns of all batches:
// Y[M, B*N] = W X[K, B*N], with X and Y transposed between [B, ., N] and
// [., B, N]. The weight is [out, in] as it stands, so it gets the index and
// metadata of @batch_broadcast; the zero accumulator is dropped.
// CHECK-LABEL: func.func @batch_shared_lhs
// CHECK-NOT: linalg.batch_matmul
// CHECK: %[[XT:.*]] = linalg.transpose ins(%arg0 : tensor<2x8x3xf32>) outs(%{{.*}} : tensor<8x2x3xf32>) permutation = [1, 0, 2]
// CHECK: %[[X:.*]] = tensor.collapse_shape %[[XT]] {{\[\[}}0], [1, 2]] : tensor<8x2x3xf32> into tensor<8x6xf32>
// CHECK-DAG: arith.constant dense<{{\[\[}}1, 3, 4, 6]]> : tensor<1x4xi32>
// CHECK-DAG: arith.constant dense<{{\[\[}}4], [14], [4], [14]{{.*}}> : tensor<16x1xi32>
// CHECK: %[[Y:.*]] = hinm.matmul %{{.*}}, %[[X]] : !hinm.matrix<16x8xf32, {{.*}}>, tensor<8x6xf32> -> tensor<16x6xf32>
// CHECK-NOT: linalg.add
// CHECK: %[[Y3:.*]] = tensor.expand_shape %[[Y]] {{\[\[}}0], [1, 2]] output_shape [16, 2, 3] : tensor<16x6xf32> into tensor<16x2x3xf32>
// CHECK: %[[R:.*]] = linalg.transpose ins(%[[Y3]] : tensor<16x2x3xf32>) outs(%{{.*}} : tensor<2x16x3xf32>) permutation = [1, 0, 2]
// CHECK: return %[[R]]
func.func @batch_shared_lhs(%x: tensor<2x8x3xf32>) -> tensor<2x16x3xf32> {
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
  %e = tensor.empty() : tensor<2x16x3xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<2x16x3xf32>) -> tensor<2x16x3xf32>
  %y = linalg.batch_matmul indexing_maps = [affine_map<(b, m, n, k) -> (m, k)>, affine_map<(b, m, n, k) -> (b, k, n)>, affine_map<(b, m, n, k) -> (b, m, n)>]
      ins(%w, %x : tensor<16x8xf32>, tensor<2x8x3xf32>) outs(%c : tensor<2x16x3xf32>) -> tensor<2x16x3xf32>
  return %y : tensor<2x16x3xf32>
}

// -----

// The same with the LHS repeated by linalg.broadcast, a batch known only at
// run time and an accumulator argument, which goes through the same
// transpose and collapse and is added to the product.
// CHECK-LABEL: func.func @batch_shared_lhs_broadcast_dynamic
// CHECK-SAME: (%[[XIN:.*]]: tensor<?x8x3xf32>, %[[ACC:.*]]: tensor<?x16x3xf32>)
// CHECK-NOT: linalg.batch_matmul
// CHECK-NOT: linalg.broadcast
// CHECK: %[[X:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2]] : tensor<8x?x3xf32> into tensor<8x?xf32>
// CHECK: %[[AT:.*]] = linalg.transpose ins(%[[ACC]] : tensor<?x16x3xf32>) outs(%{{.*}} : tensor<16x?x3xf32>) permutation = [1, 0, 2]
// CHECK: %[[A:.*]] = tensor.collapse_shape %[[AT]] {{\[\[}}0], [1, 2]] : tensor<16x?x3xf32> into tensor<16x?xf32>
// CHECK: %[[Y:.*]] = hinm.matmul %{{.*}}, %[[X]] : !hinm.matrix<16x8xf32, {{.*}}>, tensor<8x?xf32> -> tensor<16x?xf32>
// CHECK: %[[S:.*]] = linalg.add ins(%[[Y]], %[[A]] : tensor<16x?xf32>, tensor<16x?xf32>)
// CHECK: %[[Y3:.*]] = tensor.expand_shape %[[S]] {{\[\[}}0], [1, 2]] output_shape [16, %{{.*}}, 3] : tensor<16x?xf32> into tensor<16x?x3xf32>
// CHECK: %[[R:.*]] = linalg.transpose ins(%[[Y3]] : tensor<16x?x3xf32>) outs(%{{.*}} : tensor<?x16x3xf32>) permutation = [1, 0, 2]
// CHECK: return %[[R]]
func.func @batch_shared_lhs_broadcast_dynamic(%x: tensor<?x8x3xf32>, %acc: tensor<?x16x3xf32>) -> tensor<?x16x3xf32> {
  %w = arith.constant dense<0.5> : tensor<16x8xf32>
  %c0 = arith.constant 0 : index
  %b = tensor.dim %x, %c0 : tensor<?x8x3xf32>
  %e1 = tensor.empty(%b) : tensor<?x16x8xf32>
  %wb = linalg.broadcast ins(%w : tensor<16x8xf32>) outs(%e1 : tensor<?x16x8xf32>) dimensions = [0]
  %y = linalg.batch_matmul ins(%wb, %x : tensor<?x16x8xf32>, tensor<?x8x3xf32>) outs(%acc : tensor<?x16x3xf32>) -> tensor<?x16x3xf32>
  return %y : tensor<?x16x3xf32>
}

// -----

// A batch of one with a 3-D constant weight, as tosa-to-linalg-named lowers
// TOSA's matmul of a linear layer ([1, M, K] x [1, K, N]): the weight is
// collapsed to [K, N] and the product is one GEMM on the [M, K] rows. It
// holds the shared 16x8 matrix as [1, in, out], so it gets the same index and
// metadata.
// CHECK-LABEL: func.func @batch_of_one_rhs
// CHECK-NOT: linalg.batch_matmul
// CHECK: tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2]] : tensor<1x3x8xf32> into tensor<3x8xf32>
// CHECK-DAG: arith.constant dense<{{\[\[}}1, 3, 4, 6]]> : tensor<1x4xi32>
// CHECK-DAG: arith.constant dense<{{\[\[}}4], [14], [4], [14]{{.*}}> : tensor<16x1xi32>
// CHECK: hinm.matmul %{{.*}}, %{{.*}} : !hinm.matrix<16x8xf32, {{.*}}>, tensor<8x3xf32> -> tensor<16x3xf32>
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2]] output_shape [1, 3, 16] : tensor<3x16xf32> into tensor<1x3x16xf32>
// CHECK-NOT: linalg.batch_matmul
func.func @batch_of_one_rhs(%x: tensor<1x3x8xf32>) -> tensor<1x3x16xf32> {
  %w = arith.constant dense<[[[0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], [4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0], [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], [3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0], [2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0], [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], [1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0], [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]]]> : tensor<1x8x16xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x3x16xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<1x3x16xf32>) -> tensor<1x3x16xf32>
  %y = linalg.batch_matmul ins(%x, %w : tensor<1x3x8xf32>, tensor<1x8x16xf32>) outs(%c : tensor<1x3x16xf32>) -> tensor<1x3x16xf32>
  return %y : tensor<1x3x16xf32>
}

// -----

// The same as a [1, out, in] LHS.
// CHECK-LABEL: func.func @batch_of_one_lhs
// CHECK-NOT: linalg.batch_matmul
// CHECK-DAG: arith.constant dense<{{\[\[}}1, 3, 4, 6]]> : tensor<1x4xi32>
// CHECK-DAG: arith.constant dense<{{\[\[}}4], [14], [4], [14]{{.*}}> : tensor<16x1xi32>
// CHECK: hinm.matmul %{{.*}}, %{{.*}} : !hinm.matrix<16x8xf32, {{.*}}>, tensor<8x3xf32> -> tensor<16x3xf32>
// CHECK-NOT: linalg.batch_matmul
func.func @batch_of_one_lhs(%x: tensor<1x8x3xf32>) -> tensor<1x16x3xf32> {
  %w = arith.constant dense<[[[0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1], [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1], [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1], [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1], [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1], [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1], [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1], [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1], [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1], [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1], [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1], [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1], [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1], [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1], [0.1, 4.0, 0.1, 3.0, 2.0, 0.1, 1.0, 0.1], [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1]]]> : tensor<1x16x8xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x16x3xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<1x16x3xf32>) -> tensor<1x16x3xf32>
  %y = linalg.batch_matmul ins(%w, %x : tensor<1x16x8xf32>, tensor<1x8x3xf32>) outs(%c : tensor<1x16x3xf32>) -> tensor<1x16x3xf32>
  return %y : tensor<1x16x3xf32>
}

// -----

// A batch of weights on activations whose batch and rows are dynamic: each
// slice reads its sizes with tensor.dim, and the products have a dynamic N.
// CHECK-LABEL: func.func @batch_of_weights_dynamic
// CHECK-NOT: linalg.batch_matmul
// CHECK: tensor.extract_slice %arg0[0, 0, 0] [1, %{{.*}}, 8] [1, 1, 1] : tensor<?x?x8xf32> to tensor<?x8xf32>
// CHECK: hinm.matmul %{{.*}}, %{{.*}} : !hinm.matrix<16x8xf32, {{.*}}>, tensor<8x?xf32> -> tensor<16x?xf32>
// CHECK: tensor.extract_slice %arg0[1, 0, 0] [1, %{{.*}}, 8] [1, 1, 1] : tensor<?x?x8xf32> to tensor<?x8xf32>
// CHECK: hinm.matmul %{{.*}}, %{{.*}} : !hinm.matrix<16x8xf32, {{.*}}>, tensor<8x?xf32> -> tensor<16x?xf32>
// CHECK-NOT: linalg.batch_matmul
func.func @batch_of_weights_dynamic(%x: tensor<?x?x8xf32>, %c: tensor<?x?x16xf32>) -> tensor<?x?x16xf32> {
  %w = arith.constant dense<1.0> : tensor<2x8x16xf32>
  %y = linalg.batch_matmul ins(%x, %w : tensor<?x?x8xf32>, tensor<2x8x16xf32>) outs(%c : tensor<?x?x16xf32>) -> tensor<?x?x16xf32>
  return %y : tensor<?x?x16xf32>
}

// -----

// Activations with no rows leave nothing to compute: the op stays, without
// a diagnostic.
// CHECK-LABEL: func.func @batch_of_weights_no_rows
// CHECK: linalg.batch_matmul
// CHECK-NOT: hinm.matmul
func.func @batch_of_weights_no_rows(%x: tensor<2x0x8xf32>, %c: tensor<2x0x16xf32>) -> tensor<2x0x16xf32> {
  %w = arith.constant dense<1.0> : tensor<2x8x16xf32>
  %y = linalg.batch_matmul ins(%x, %w : tensor<2x0x8xf32>, tensor<2x8x16xf32>) outs(%c : tensor<2x0x16xf32>) -> tensor<2x0x16xf32>
  return %y : tensor<2x0x16xf32>
}
