// RUN: hinm-opt %s --hinm-sparsify="vector-size=16 permute=none" -split-input-file | FileCheck %s
// RUN: hinm-opt %s --hinm-sparsify="vector-size=16 permute=none" -split-input-file -verify-diagnostics -o /dev/null
// A matrix product can reach hinm-sparsify as a linalg.generic (after
// linalg-generalize-named-ops, or from a frontend) or as a linalg.contract.
// When one computes exactly what linalg.matmul computes (loops m, n, k in
// any order, operands plain or transposed, body out + a * b with the inputs
// optionally extended), its constant weight is pruned like a matmul's. Each
// case holds the same 16x8 matrix as @lhs_known in sparsify.mlir, so it
// must give the same vector index and metadata: columns 1, 3, 4, 6 kept,
// metadata 4 on even rows and 14 on odd ones.

#mk = affine_map<(d0, d1, d2) -> (d0, d2)>
#kn = affine_map<(d0, d1, d2) -> (d2, d1)>
#mn = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @generic_lhs_weight
// CHECK-NOT: linalg.generic
// CHECK-DAG: arith.constant dense<{{\[\[}}1, 3, 4, 6]]> : tensor<1x4xi32>
// CHECK-DAG: arith.constant dense<{{\[\[}}4], [14], [4], [14]{{.*}}> : tensor<16x1xi32>
// CHECK: %[[Y:.*]] = hinm.matmul %{{.*}}, %arg0 : !hinm.matrix<16x8xf32, {{.*}}>, tensor<8x4xf32> -> tensor<16x4xf32>
// CHECK-NOT: linalg.add
// CHECK: return %[[Y]]
func.func @generic_lhs_weight(%x: tensor<8x4xf32>) -> tensor<16x4xf32> {
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
  %y = linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%w, %x : tensor<16x8xf32>, tensor<8x4xf32>) outs(%c : tensor<16x4xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<16x4xf32>
  return %y : tensor<16x4xf32>
}

// -----

// nn.Linear generalized: the reduction loop first, the activations X[4, 8]
// and the [out, in] weight W[16, 8] both indexed (row, k), the product
// written b * a, and an accumulator that is not zero (kept with linalg.add).
#xk = affine_map<(d0, d1, d2) -> (d1, d0)>
#wk = affine_map<(d0, d1, d2) -> (d2, d0)>
#y = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @generic_linear
// CHECK-NOT: linalg.generic
// CHECK-DAG: arith.constant dense<{{\[\[}}1, 3, 4, 6]]> : tensor<1x4xi32>
// CHECK-DAG: arith.constant dense<{{\[\[}}4], [14], [4], [14]{{.*}}> : tensor<16x1xi32>
// CHECK: %[[XT:.*]] = linalg.transpose ins(%arg0 : tensor<4x8xf32>)
// CHECK: %[[YT:.*]] = hinm.matmul %{{.*}}, %[[XT]] : !hinm.matrix<16x8xf32, {{.*}}>, tensor<8x4xf32> -> tensor<16x4xf32>
// CHECK: %[[Y:.*]] = linalg.transpose ins(%[[YT]] : tensor<16x4xf32>)
// CHECK: linalg.add ins(%[[Y]], %arg1 : tensor<4x16xf32>, tensor<4x16xf32>)
func.func @generic_linear(%x: tensor<4x8xf32>, %bias: tensor<4x16xf32>) -> tensor<4x16xf32> {
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
  %y = linalg.generic {indexing_maps = [#xk, #wk, #y], iterator_types = ["reduction", "parallel", "parallel"]}
      ins(%x, %w : tensor<4x8xf32>, tensor<16x8xf32>) outs(%bias : tensor<4x16xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %b, %a : f32
    %s = arith.addf %p, %acc : f32
    linalg.yield %s : f32
  } -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}

// -----

// The weight given transposed as the LHS, W^T [8, 16] read through (k, m),
// with the loops ordered (n, k, m): the compile-time transpose gives W back.
#km = affine_map<(d0, d1, d2) -> (d1, d2)>
#kn = affine_map<(d0, d1, d2) -> (d1, d0)>
#mn = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-LABEL: func.func @generic_lhs_transposed
// CHECK-NOT: linalg.generic
// CHECK-DAG: arith.constant dense<{{\[\[}}1, 3, 4, 6]]> : tensor<1x4xi32>
// CHECK-DAG: arith.constant dense<{{\[\[}}4], [14], [4], [14]{{.*}}> : tensor<16x1xi32>
// CHECK: hinm.matmul %{{.*}}, %arg0 : !hinm.matrix<16x8xf32, {{.*}}>, tensor<8x4xf32> -> tensor<16x4xf32>
func.func @generic_lhs_transposed(%x: tensor<8x4xf32>, %c: tensor<16x4xf32>) -> tensor<16x4xf32> {
  %wt = arith.constant dense<[[0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
                             [4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0],
                             [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
                             [3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0],
                             [2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0],
                             [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
                             [1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0, 1.0, 4.0],
                             [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]]> : tensor<8x16xf32>
  %y = linalg.generic {indexing_maps = [#km, #kn, #mn], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%wt, %x : tensor<8x16xf32>, tensor<8x4xf32>) outs(%c : tensor<16x4xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<16x4xf32>
  return %y : tensor<16x4xf32>
}

// -----

// f16 operands accumulated in f32: the generic extends both inputs, as
// linalg.matmul does implicitly; linalg.contract does the same.
#mk = affine_map<(d0, d1, d2) -> (d0, d2)>
#kn = affine_map<(d0, d1, d2) -> (d2, d1)>
#mn = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @generic_f16
// CHECK-NOT: linalg.generic
// CHECK-DAG: arith.constant dense<{{\[\[}}1, 3, 4, 6]]> : tensor<1x4xi32>
// CHECK-DAG: arith.constant dense<{{\[\[}}4], [14], [4], [14]{{.*}}> : tensor<16x1xi32>
// CHECK: hinm.matmul %{{.*}}, %arg0 : !hinm.matrix<16x8xf16, {{.*}}>, tensor<8x4xf16> -> tensor<16x4xf32>
func.func @generic_f16(%x: tensor<8x4xf16>, %c: tensor<16x4xf32>) -> tensor<16x4xf32> {
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
                             [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1]]> : tensor<16x8xf16>
  %y = linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%w, %x : tensor<16x8xf16>, tensor<8x4xf16>) outs(%c : tensor<16x4xf32>) {
  ^bb0(%a: f16, %b: f16, %acc: f32):
    %a32 = arith.extf %a : f16 to f32
    %b32 = arith.extf %b : f16 to f32
    %p = arith.mulf %a32, %b32 : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<16x4xf32>
  return %y : tensor<16x4xf32>
}
// CHECK-LABEL: func.func @contract_f16
// CHECK-NOT: linalg.contract
// CHECK-DAG: arith.constant dense<{{\[\[}}1, 3, 4, 6]]> : tensor<1x4xi32>
// CHECK-DAG: arith.constant dense<{{\[\[}}4], [14], [4], [14]{{.*}}> : tensor<16x1xi32>
// CHECK: hinm.matmul %{{.*}}, %arg0 : !hinm.matrix<16x8xf16, {{.*}}>, tensor<8x4xf16> -> tensor<16x4xf32>
func.func @contract_f16(%x: tensor<8x4xf16>, %c: tensor<16x4xf32>) -> tensor<16x4xf32> {
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
                             [0.1, 1.0, 0.1, 2.0, 3.0, 0.1, 4.0, 0.1]]> : tensor<16x8xf16>
  %y = linalg.contract indexing_maps = [#mk, #kn, #mn]
      ins(%w, %x : tensor<16x8xf16>, tensor<8x4xf16>) outs(%c : tensor<16x4xf32>) -> tensor<16x4xf32>
  return %y : tensor<16x4xf32>
}

// -----

// Generics that are not a plain matrix product stay as they are, without a
// warning: another body (a * b - out, |a| * b, a * a), a transposed
// output, a batch loop.
#mk = affine_map<(d0, d1, d2) -> (d0, d2)>
#kn = affine_map<(d0, d1, d2) -> (d2, d1)>
#mn = affine_map<(d0, d1, d2) -> (d0, d1)>
#nm = affine_map<(d0, d1, d2) -> (d1, d0)>
// CHECK-LABEL: func.func @not_products
// CHECK-COUNT-5: linalg.generic
// CHECK-NOT: hinm.matmul
func.func @not_products(%x: tensor<8x4xf32>, %c: tensor<16x4xf32>, %ct: tensor<4x16xf32>,
                        %xb: tensor<2x8x4xf32>, %cb: tensor<2x16x4xf32>)
    -> (tensor<16x4xf32>, tensor<16x4xf32>, tensor<16x4xf32>, tensor<4x16xf32>, tensor<2x16x4xf32>) {
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
  %sub = linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%w, %x : tensor<16x8xf32>, tensor<8x4xf32>) outs(%c : tensor<16x4xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.subf %p, %acc : f32
    linalg.yield %s : f32
  } -> tensor<16x4xf32>
  %abs = linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%w, %x : tensor<16x8xf32>, tensor<8x4xf32>) outs(%c : tensor<16x4xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = math.absf %a : f32
    %p = arith.mulf %m, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<16x4xf32>
  %sq = linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%w, %x : tensor<16x8xf32>, tensor<8x4xf32>) outs(%c : tensor<16x4xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %a : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<16x4xf32>
  %tr = linalg.generic {indexing_maps = [#mk, #kn, #nm], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%w, %x : tensor<16x8xf32>, tensor<8x4xf32>) outs(%ct : tensor<4x16xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x16xf32>
  %bat = linalg.generic {indexing_maps = [affine_map<(b, m, n, k) -> (m, k)>, affine_map<(b, m, n, k) -> (b, k, n)>, affine_map<(b, m, n, k) -> (b, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%w, %xb : tensor<16x8xf32>, tensor<2x8x4xf32>) outs(%cb : tensor<2x16x4xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<2x16x4xf32>
  return %sub, %abs, %sq, %tr, %bat : tensor<16x4xf32>, tensor<16x4xf32>, tensor<16x4xf32>, tensor<4x16xf32>, tensor<2x16x4xf32>
}

// -----

// A product generic whose weight stays dense says why, like a matmul.
#mk = affine_map<(d0, d1, d2) -> (d0, d2)>
#kn = affine_map<(d0, d1, d2) -> (d2, d1)>
#mn = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @generic_mixed_types(%x: tensor<8x4xf16>, %c: tensor<16x4xf32>) -> tensor<16x4xf32> {
  %w = arith.constant dense<1.0> : tensor<16x8xf32>
  // expected-warning @+1 {{hinm-sparsify: constant weight left dense: operands have different element types}}
  %y = linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%w, %x : tensor<16x8xf32>, tensor<8x4xf16>) outs(%c : tensor<16x4xf32>) {
  ^bb0(%a: f32, %b: f16, %acc: f32):
    %b32 = arith.extf %b : f16 to f32
    %p = arith.mulf %a, %b32 : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<16x4xf32>
  return %y : tensor<16x4xf32>
}
