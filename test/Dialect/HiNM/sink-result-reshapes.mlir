// RUN: hinm-opt %s --hinm-sink-result-reshapes --split-input-file | FileCheck %s
// hinm-sink-result-reshapes: elementwise ops on the expand_shape of a
// hinm.matmul result run on the 2-D result, and the expand_shape follows
// them.

!W = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
#id4 = affine_map<(n, c, i, j) -> (n, c, i, j)>
#chan = affine_map<(n, c, i, j) -> (c)>

// A per-channel bias, ReLU and cast (batch 1): the bias map becomes one value
// per matmul row; a second op (a scale by a full NCHW operand) follows the
// first one before the reshape, its operand collapsed like the result.
// CHECK-DAG: #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @bias_relu_cast
// CHECK-SAME: (%[[W:.*]]: !hinm.matrix{{.*}}, %[[X:.*]]: tensor<64x64xf16>, %[[B:.*]]: tensor<32xf32>, %[[S:.*]]: tensor<1x32x8x8xf16>)
// CHECK: %[[Y:.*]] = hinm.matmul %[[W]], %[[X]]
// CHECK-NOT: tensor.expand_shape
// CHECK: %[[H:.*]] = linalg.generic {indexing_maps = [#[[$ID2]], #[[$ROW]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]} ins(%[[Y]], %[[B]] : tensor<32x64xf32>, tensor<32xf32>) outs(%{{.*}} : tensor<32x64xf16>)
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK: arith.truncf
// CHECK: %[[SC:.*]] = tensor.collapse_shape %[[S]] {{\[}}[0, 1], [2, 3]] : tensor<1x32x8x8xf16> into tensor<32x64xf16>
// CHECK: %[[M:.*]] = linalg.generic {indexing_maps = [#[[$ID2]], #[[$ID2]], #[[$ID2]]], {{.*}}} ins(%[[H]], %[[SC]] : tensor<32x64xf16>, tensor<32x64xf16>) outs(%{{.*}} : tensor<32x64xf16>)
// CHECK: arith.mulf
// CHECK: %[[E:.*]] = tensor.expand_shape %[[M]] {{\[}}[0, 1], [2, 3]] output_shape [1, 32, 8, 8] : tensor<32x64xf16> into tensor<1x32x8x8xf16>
// CHECK: return %[[E]]
func.func @bias_relu_cast(%w: !W, %x: tensor<64x64xf16>, %b: tensor<32xf32>,
                          %s: tensor<1x32x8x8xf16>) -> tensor<1x32x8x8xf16> {
  %zero = arith.constant 0.0 : f32
  %y = hinm.matmul %w, %x : !W, tensor<64x64xf16> -> tensor<32x64xf32>
  %y4 = tensor.expand_shape %y [[0, 1], [2, 3]] output_shape [1, 32, 8, 8] : tensor<32x64xf32> into tensor<1x32x8x8xf32>
  %e = tensor.empty() : tensor<1x32x8x8xf16>
  %h = linalg.generic {indexing_maps = [#id4, #chan, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y4, %b : tensor<1x32x8x8xf32>, tensor<32xf32>) outs(%e : tensor<1x32x8x8xf16>) {
  ^bb0(%a: f32, %c: f32, %o: f16):
    %t = arith.addf %a, %c : f32
    %r = arith.maximumf %t, %zero : f32
    %h16 = arith.truncf %r : f32 to f16
    linalg.yield %h16 : f16
  } -> tensor<1x32x8x8xf16>
  %m = linalg.generic {indexing_maps = [#id4, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%h, %s : tensor<1x32x8x8xf16>, tensor<1x32x8x8xf16>) outs(%e : tensor<1x32x8x8xf16>) {
  ^bb0(%a: f16, %c: f16, %o: f16):
    %p = arith.mulf %a, %c : f16
    linalg.yield %p : f16
  } -> tensor<1x32x8x8xf16>
  return %m : tensor<1x32x8x8xf16>
}

// -----

!W = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
#id4 = affine_map<(n, c, i, j) -> (n, c, i, j)>
#perm = affine_map<(n, i, j, c) -> (n, c, i, j)>
#row = affine_map<(n, c, i, j) -> (i)>

// Left alone: a transpose (the expanded value read through another map), an
// operand indexed by image row (no map of the 2-D loops gives it), and the
// expand_shape of a value that is not a matmul result.
// CHECK-LABEL: func.func @left_alone
// CHECK-COUNT-3: tensor.expand_shape
// CHECK-NOT: tensor.expand_shape
// CHECK: return
func.func @left_alone(%w: !W, %x: tensor<64x64xf16>, %r: tensor<8xf32>, %a: tensor<32x64xf32>)
    -> (tensor<1x8x8x32xf32>, tensor<1x32x8x8xf32>, tensor<1x32x8x8xf32>) {
  %y = hinm.matmul %w, %x : !W, tensor<64x64xf16> -> tensor<32x64xf32>
  %y4 = tensor.expand_shape %y [[0, 1], [2, 3]] output_shape [1, 32, 8, 8] : tensor<32x64xf32> into tensor<1x32x8x8xf32>
  %et = tensor.empty() : tensor<1x8x8x32xf32>
  %t = linalg.generic {indexing_maps = [#perm, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y4 : tensor<1x32x8x8xf32>) outs(%et : tensor<1x8x8x32xf32>) {
  ^bb0(%v: f32, %o: f32):
    linalg.yield %v : f32
  } -> tensor<1x8x8x32xf32>
  %z = hinm.matmul %w, %x : !W, tensor<64x64xf16> -> tensor<32x64xf32>
  %z4 = tensor.expand_shape %z [[0, 1], [2, 3]] output_shape [1, 32, 8, 8] : tensor<32x64xf32> into tensor<1x32x8x8xf32>
  %e = tensor.empty() : tensor<1x32x8x8xf32>
  %s = linalg.generic {indexing_maps = [#id4, #row, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%z4, %r : tensor<1x32x8x8xf32>, tensor<8xf32>) outs(%e : tensor<1x32x8x8xf32>) {
  ^bb0(%v: f32, %c: f32, %o: f32):
    %p = arith.addf %v, %c : f32
    linalg.yield %p : f32
  } -> tensor<1x32x8x8xf32>
  %a4 = tensor.expand_shape %a [[0, 1], [2, 3]] output_shape [1, 32, 8, 8] : tensor<32x64xf32> into tensor<1x32x8x8xf32>
  %n = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%a4 : tensor<1x32x8x8xf32>) outs(%e : tensor<1x32x8x8xf32>) {
  ^bb0(%v: f32, %o: f32):
    %q = arith.negf %v : f32
    linalg.yield %q : f32
  } -> tensor<1x32x8x8xf32>
  return %t, %s, %n : tensor<1x8x8x32xf32>, tensor<1x32x8x8xf32>, tensor<1x32x8x8xf32>
}

// -----

!W = !hinm.matrix<64x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
#id4 = affine_map<(a, b, i, j) -> (a, b, i, j)>
#second = affine_map<(a, b, i, j) -> (b)>
#last = affine_map<(a, b, i, j) -> (j)>

// Rows split in two (2 x 32) and columns in two (8 x 8): an operand on the
// second half of the row split reads (row mod 32), which no projected
// permutation gives, so the op stays; one on the last dimension of the
// column split reads (col mod 8): the same.
// CHECK-LABEL: func.func @split_rows
// CHECK: tensor.expand_shape
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<2x32x8x8xf32>, tensor<32xf32>)
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<2x32x8x8xf32>, tensor<8xf32>)
func.func @split_rows(%w: !W, %x: tensor<64x64xf16>, %b: tensor<32xf32>, %c: tensor<8xf32>)
    -> (tensor<2x32x8x8xf32>, tensor<2x32x8x8xf32>) {
  %y = hinm.matmul %w, %x : !W, tensor<64x64xf16> -> tensor<64x64xf32>
  %y4 = tensor.expand_shape %y [[0, 1], [2, 3]] output_shape [2, 32, 8, 8] : tensor<64x64xf32> into tensor<2x32x8x8xf32>
  %e = tensor.empty() : tensor<2x32x8x8xf32>
  %s = linalg.generic {indexing_maps = [#id4, #second, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y4, %b : tensor<2x32x8x8xf32>, tensor<32xf32>) outs(%e : tensor<2x32x8x8xf32>) {
  ^bb0(%v: f32, %q: f32, %o: f32):
    %p = arith.addf %v, %q : f32
    linalg.yield %p : f32
  } -> tensor<2x32x8x8xf32>
  %t = linalg.generic {indexing_maps = [#id4, #last, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y4, %c : tensor<2x32x8x8xf32>, tensor<8xf32>) outs(%e : tensor<2x32x8x8xf32>) {
  ^bb0(%v: f32, %q: f32, %o: f32):
    %p = arith.addf %v, %q : f32
    linalg.yield %p : f32
  } -> tensor<2x32x8x8xf32>
  return %s, %t : tensor<2x32x8x8xf32>, tensor<2x32x8x8xf32>
}

// -----

!W = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
#id4 = affine_map<(n, c, i, j) -> (n, c, i, j)>

// A residual input that is itself the same expansion of another 2-D value is
// read before its expansion: no collapse_shape.
// CHECK-LABEL: func.func @residual
// CHECK-SAME: (%{{.*}}: !hinm.matrix{{.*}}, %{{.*}}: tensor<64x64xf16>, %[[R:.*]]: tensor<32x64xf16>)
// CHECK-NOT: tensor.collapse_shape
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[R]] : tensor<32x64xf32>, tensor<32x64xf16>)
// CHECK: tensor.expand_shape
func.func @residual(%w: !W, %x: tensor<64x64xf16>, %r: tensor<32x64xf16>) -> tensor<1x32x8x8xf32> {
  %y = hinm.matmul %w, %x : !W, tensor<64x64xf16> -> tensor<32x64xf32>
  %y4 = tensor.expand_shape %y [[0, 1], [2, 3]] output_shape [1, 32, 8, 8] : tensor<32x64xf32> into tensor<1x32x8x8xf32>
  %r4 = tensor.expand_shape %r [[0, 1], [2, 3]] output_shape [1, 32, 8, 8] : tensor<32x64xf16> into tensor<1x32x8x8xf16>
  %e = tensor.empty() : tensor<1x32x8x8xf32>
  %s = linalg.generic {indexing_maps = [#id4, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y4, %r4 : tensor<1x32x8x8xf32>, tensor<1x32x8x8xf16>) outs(%e : tensor<1x32x8x8xf32>) {
  ^bb0(%a: f32, %b: f16, %o: f32):
    %bf = arith.extf %b : f16 to f32
    %p = arith.addf %a, %bf : f32
    linalg.yield %p : f32
  } -> tensor<1x32x8x8xf32>
  return %s : tensor<1x32x8x8xf32>
}
