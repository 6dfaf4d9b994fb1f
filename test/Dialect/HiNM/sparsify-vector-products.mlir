// RUN: hinm-opt %s --hinm-sparsify="vector-size=16 permute=none" -split-input-file | FileCheck %s
// hinm-sparsify on vector products with a constant matrix: linalg.matvec
// (y[M] += A[M, K] x[K]) and linalg.vecmat (y[N] += x[K] A[K, N]) are
// products with one activation column or row, rewritten through
// tensor.expand_shape into the matmul path and collapsed back. Both hold the
// 16x8 matrix of @lhs_known in sparsify.mlir as [out, in] (vecmat as its
// transpose), so both must keep columns 1, 3, 4, 6 with metadata 4 on even
// rows and 14 on odd ones; a matrix read the wrong way round would not.

// CHECK-LABEL: func.func @matvec
// CHECK-SAME: (%[[X:.*]]: tensor<8xf32>)
// CHECK-NOT: linalg.matvec
// CHECK: %[[X2:.*]] = tensor.expand_shape %[[X]] {{\[\[}}0, 1]] output_shape [8, 1] : tensor<8xf32> into tensor<8x1xf32>
// CHECK-DAG: arith.constant dense<{{\[\[}}1, 3, 4, 6]]> : tensor<1x4xi32>
// CHECK-DAG: arith.constant dense<{{\[\[}}4], [14], [4], [14]{{.*}}> : tensor<16x1xi32>
// CHECK: %[[Y:.*]] = hinm.matmul %{{.*}}, %[[X2]] : !hinm.matrix<16x8xf32, {{.*}}>, tensor<8x1xf32> -> tensor<16x1xf32>
// CHECK-NOT: linalg.add
// CHECK: %[[R:.*]] = tensor.collapse_shape %[[Y]] {{\[\[}}0, 1]] : tensor<16x1xf32> into tensor<16xf32>
// CHECK: return %[[R]]
func.func @matvec(%x: tensor<8xf32>) -> tensor<16xf32> {
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
  %e = tensor.empty() : tensor<16xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<16xf32>) -> tensor<16xf32>
  %y = linalg.matvec ins(%w, %x : tensor<16x8xf32>, tensor<8xf32>) outs(%c : tensor<16xf32>) -> tensor<16xf32>
  return %y : tensor<16xf32>
}

// -----

// vecmat with an accumulator argument: it is added to the product.
// CHECK-LABEL: func.func @vecmat
// CHECK-SAME: (%[[X:.*]]: tensor<8xf32>, %[[ACC:.*]]: tensor<16xf32>)
// CHECK-NOT: linalg.vecmat
// CHECK-DAG: %[[A2:.*]] = tensor.expand_shape %[[ACC]] {{\[\[}}0, 1]] output_shape [1, 16] : tensor<16xf32> into tensor<1x16xf32>
// CHECK-DAG: %[[X2:.*]] = tensor.expand_shape %[[X]] {{\[\[}}0, 1]] output_shape [1, 8] : tensor<8xf32> into tensor<1x8xf32>
// CHECK-DAG: arith.constant dense<{{\[\[}}1, 3, 4, 6]]> : tensor<1x4xi32>
// CHECK-DAG: arith.constant dense<{{\[\[}}4], [14], [4], [14]{{.*}}> : tensor<16x1xi32>
// CHECK: hinm.matmul %{{.*}}, %{{.*}} : !hinm.matrix<16x8xf32, {{.*}}>, tensor<8x1xf32> -> tensor<16x1xf32>
// CHECK: %[[S:.*]] = linalg.add ins(%{{.*}}, %[[A2]] : tensor<1x16xf32>, tensor<1x16xf32>)
// CHECK: %[[R:.*]] = tensor.collapse_shape %[[S]] {{\[\[}}0, 1]] : tensor<1x16xf32> into tensor<16xf32>
// CHECK: return %[[R]]
func.func @vecmat(%x: tensor<8xf32>, %acc: tensor<16xf32>) -> tensor<16xf32> {
  %w = arith.constant dense<[[0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], [4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0], [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], [3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0], [2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0], [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], [1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0], [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]]> : tensor<8x16xf32>
  %y = linalg.vecmat ins(%x, %w : tensor<8xf32>, tensor<8x16xf32>) outs(%acc : tensor<16xf32>) -> tensor<16xf32>
  return %y : tensor<16xf32>
}

// -----

// A matrix that is not a constant: not a candidate, left alone silently.
// CHECK-LABEL: func.func @matvec_runtime_matrix
// CHECK: linalg.matvec
// CHECK-NOT: hinm.
func.func @matvec_runtime_matrix(%a: tensor<16x8xf32>, %x: tensor<8xf32>, %c: tensor<16xf32>) -> tensor<16xf32> {
  %y = linalg.matvec ins(%a, %x : tensor<16x8xf32>, tensor<8xf32>) outs(%c : tensor<16xf32>) -> tensor<16xf32>
  return %y : tensor<16xf32>
}
