// RUN: hinm-opt %s --hinm-sparsify="vector-size=16" -split-input-file -verify-diagnostics
// RUN: not hinm-opt %s --hinm-sparsify="vector-size=16 report" -split-input-file 2>&1 | FileCheck %s
// Hostile inputs to hinm-sparsify: all-zero weights are pruned (efficacy is
// 0, not NaN); Inf weights are an error naming the first one; weights of an
// unsupported element type or with dynamic shapes stay dense with a warning.

// CHECK: remark: hinm-sparsify: LHS weight 32x8 (HiNM view), V=16 kept=4 2:4, permute=2cp: kept importance 0.0000 of 0.0000 (no permutation 0.0000, ideal 0.0000); efficacy ocp 0.00%, ivp 0.00%, 2cp 0.00%
// CHECK-LABEL: func.func @zeros
// CHECK: hinm.matmul
func.func @zeros(%x: tensor<8x4xf32>) -> tensor<32x4xf32> {
  %w = arith.constant dense<0.0> : tensor<32x8xf32>
  %z = arith.constant 0.0 : f32
  %i = tensor.empty() : tensor<32x4xf32>
  %a = linalg.fill ins(%z : f32) outs(%i : tensor<32x4xf32>) -> tensor<32x4xf32>
  %y = linalg.matmul ins(%w, %x : tensor<32x8xf32>, tensor<8x4xf32>) outs(%a : tensor<32x4xf32>) -> tensor<32x4xf32>
  return %y : tensor<32x4xf32>
}

// -----

func.func @inf(%x: tensor<8x4xf32>) -> tensor<32x4xf32> {
  %w = arith.constant dense<0x7F800000> : tensor<32x8xf32>
  %z = arith.constant 0.0 : f32
  %i = tensor.empty() : tensor<32x4xf32>
  %a = linalg.fill ins(%z : f32) outs(%i : tensor<32x4xf32>) -> tensor<32x4xf32>
  // expected-error @below {{hinm-sparsify: cannot prune the 32x8 weight (HiNM view [out, in]): weight at [0, 0] is infinite}}
  %y = linalg.matmul ins(%w, %x : tensor<32x8xf32>, tensor<8x4xf32>) outs(%a : tensor<32x4xf32>) -> tensor<32x4xf32>
  return %y : tensor<32x4xf32>
}

// -----

// CHECK-LABEL: func.func @f64
// CHECK: linalg.matmul
func.func @f64(%x: tensor<8x4xf64>) -> tensor<32x4xf64> {
  %w = arith.constant dense<1.0> : tensor<32x8xf64>
  %z = arith.constant 0.0 : f64
  %i = tensor.empty() : tensor<32x4xf64>
  %a = linalg.fill ins(%z : f64) outs(%i : tensor<32x4xf64>) -> tensor<32x4xf64>
  // expected-warning @below {{hinm-sparsify: constant weight left dense: element type is not f16, bf16 or f32: 'f64'}}
  %y = linalg.matmul ins(%w, %x : tensor<32x8xf64>, tensor<8x4xf64>) outs(%a : tensor<32x4xf64>) -> tensor<32x4xf64>
  return %y : tensor<32x4xf64>
}

// -----

func.func @i8(%x: tensor<8x4xi8>) -> tensor<32x4xi32> {
  %w = arith.constant dense<1> : tensor<32x8xi8>
  %z = arith.constant 0 : i32
  %i = tensor.empty() : tensor<32x4xi32>
  %a = linalg.fill ins(%z : i32) outs(%i : tensor<32x4xi32>) -> tensor<32x4xi32>
  // expected-warning @below {{hinm-sparsify: constant weight left dense: element type is not f16, bf16 or f32: 'i8'}}
  %y = linalg.matmul ins(%w, %x : tensor<32x8xi8>, tensor<8x4xi8>) outs(%a : tensor<32x4xi32>) -> tensor<32x4xi32>
  return %y : tensor<32x4xi32>
}

// -----

func.func @dynamic_k(%x: tensor<?x4xf32>, %a: tensor<32x4xf32>) -> tensor<32x4xf32> {
  %w = arith.constant dense<1.0> : tensor<32x8xf32>
  // expected-warning @below {{hinm-sparsify: constant weight left dense: dynamic reduction or weight dimensions are not supported}}
  %y = linalg.matmul ins(%w, %x : tensor<32x8xf32>, tensor<?x4xf32>) outs(%a : tensor<32x4xf32>) -> tensor<32x4xf32>
  return %y : tensor<32x4xf32>
}

// -----

func.func @dynamic_batch_one_side(%x: tensor<8x?xf32>, %a: tensor<32x4xf32>) -> tensor<32x4xf32> {
  %w = arith.constant dense<1.0> : tensor<32x8xf32>
  // expected-warning @below {{hinm-sparsify: constant weight left dense: a dynamic batch must be dynamic in both the activations and the result}}
  %y = linalg.matmul ins(%w, %x : tensor<32x8xf32>, tensor<8x?xf32>) outs(%a : tensor<32x4xf32>) -> tensor<32x4xf32>
  return %y : tensor<32x4xf32>
}
