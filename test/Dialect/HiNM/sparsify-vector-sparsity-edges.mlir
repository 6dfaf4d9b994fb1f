// RUN: hinm-opt %s --hinm-sparsify="vector-size=16 vector-sparsity=0" | FileCheck %s --check-prefix=ZERO
// RUN: hinm-opt %s --hinm-sparsify="vector-size=16 vector-sparsity=0.99" | FileCheck %s --check-prefix=MOST
// Vector sparsity at its edges: 0 keeps every column (plain 2:4, kept = cols);
// 0.99 keeps the minimum, M columns per block. 1 itself is rejected (see
// sparsify-diagnostics.mlir).

// ZERO-LABEL: func.func @edges
// ZERO: hinm.matmul {{.*}} !hinm.matrix<32x12xf32, #hinm.format<vector_size = 16, kept = 12, n = 2, m = 4>>
// MOST-LABEL: func.func @edges
// MOST: hinm.matmul {{.*}} !hinm.matrix<32x12xf32, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>
func.func @edges(%x: tensor<12x4xf32>) -> tensor<32x4xf32> {
  %w = arith.constant dense<1.5> : tensor<32x12xf32>
  %z = arith.constant 0.0 : f32
  %i = tensor.empty() : tensor<32x4xf32>
  %a = linalg.fill ins(%z : f32) outs(%i : tensor<32x4xf32>) -> tensor<32x4xf32>
  %y = linalg.matmul ins(%w, %x : tensor<32x12xf32>, tensor<12x4xf32>) outs(%a : tensor<32x4xf32>) -> tensor<32x4xf32>
  return %y : tensor<32x4xf32>
}
