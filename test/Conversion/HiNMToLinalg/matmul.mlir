// RUN: hinm-opt %s --convert-hinm-to-linalg --split-input-file | FileCheck %s
// hinm.matmul -> linalg: run-time checks, gather of the kept activation rows,
// metadata decode, product over stored values, row un-permutation; and the
// 1:N conversion of a !hinm.matrix function argument into its four parts.

!W = !hinm.matrix<40x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>

// CHECK-DAG: #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$BC:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[$ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$PJ:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1) -> (d0)>

// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[VALS:.*]]: tensor<64x16xf16>, %[[IDX:.*]]: tensor<2x32xi32>, %[[META:.*]]: tensor<64x1xi32>, %[[PERM:.*]]: tensor<64xi32>, %[[X:.*]]: tensor<64x8xf16>) -> tensor<40x8xf32>
func.func @matmul(%w: !W, %x: tensor<64x8xf16>) -> tensor<40x8xf32> {
  // Contents that would index out of bounds are checked first.
  // (The check code is shared with the GPU lowering's host code:
  // include/hinm/Conversion/Utils/RuntimeChecks.h.)
  // CHECK: tensor.extract %[[IDX]]
  // CHECK: hinm.assert %{{.*}}, "hinm.matmul: vector index out of range
  // CHECK: tensor.extract %[[IDX]]
  // CHECK: hinm.assert %{{.*}}, "hinm.matmul: vector index repeats a column within a block
  // CHECK: tensor.extract %[[META]]
  // CHECK: hinm.assert %{{.*}}, "hinm.matmul: metadata positions of a group not strictly ascending
  // CHECK: tensor.extract %[[PERM]]
  // CHECK: hinm.assert %{{.*}}, "hinm.matmul: row permutation entry out of range
  // Inverse permutation, rejecting repeated entries.
  // CHECK: %[[INV:.*]] = scf.for {{.*}} -> (tensor<64xi32>)
  // CHECK:   hinm.assert %{{.*}}, "hinm.matmul: row permutation repeats an entry
  // CHECK:   tensor.insert
  //
  // Gather: xg[b, c, k] = x[index[b, c], k].
  // CHECK: %[[XG:.*]] = linalg.generic {indexing_maps = [#[[$BC]], #[[$ID3]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[IDX]] : tensor<2x32xi32>) outs(%{{.*}} : tensor<2x32x8xf16>)
  // CHECK:   ^bb0(%[[K:.*]]: i32,
  // CHECK:   %[[COL:.*]] = linalg.index 2
  // CHECK:   %[[ROWK:.*]] = arith.index_cast %[[K]] : i32 to index
  // CHECK:   tensor.extract %[[X]][%[[ROWK]], %[[COL]]] : tensor<64x8xf16>
  //
  // Decode: column = (j / n) * m + ((meta[p, j / 16] >> (j % 16) * 2) & 3).
  // CHECK: %[[SEL:.*]] = linalg.generic {indexing_maps = [#[[$ID2]]], iterator_types = ["parallel", "parallel"]} outs(%{{.*}} : tensor<64x16xindex>)
  // CHECK:   %[[P:.*]] = linalg.index 0
  // CHECK:   %[[J:.*]] = linalg.index 1
  // CHECK:   %[[WORD:.*]] = arith.divui %[[J]], %[[C16:.*]] : index
  // CHECK:   %[[META_W:.*]] = tensor.extract %[[META]][%[[P]], %[[WORD]]] : tensor<64x1xi32>
  // CHECK:   %[[SLOT:.*]] = arith.remui %[[J]], %[[C16]] : index
  // CHECK:   %[[SH:.*]] = arith.muli %[[SLOT]], %{{.*}} : index
  // CHECK:   %[[SH32:.*]] = arith.index_cast %[[SH]] : index to i32
  // CHECK:   %[[SHIFTED:.*]] = arith.shrui %[[META_W]], %[[SH32]] : i32
  // CHECK:   %[[FIELD:.*]] = arith.andi %[[SHIFTED]], %{{.*}} : i32
  // CHECK:   %[[GROUP:.*]] = arith.divui %[[J]], %{{.*}} : index
  // CHECK:   %[[BASE:.*]] = arith.muli %[[GROUP]], %{{.*}} : index
  // CHECK:   %[[FIELDI:.*]] = arith.index_cast %[[FIELD]] : i32 to index
  // CHECK:   %[[C:.*]] = arith.addi %[[BASE]], %[[FIELDI]] : index
  // CHECK:   linalg.yield %[[C]] : index
  //
  // Product over the stored values only, accumulated in f32.
  // CHECK: %[[YS:.*]] = linalg.generic {indexing_maps = [#[[$PJ]], #[[$PJ]], #[[$BC]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[VALS]], %[[SEL]] : tensor<64x16xf16>, tensor<64x16xindex>) outs(%{{.*}} : tensor<64x8xf32>)
  // CHECK:   ^bb0(%[[V:.*]]: f16, %[[CC:.*]]: index, %[[ACC:.*]]: f32):
  // CHECK:   %[[BLOCK:.*]] = arith.divui %{{.*}}, %{{.*}} : index
  // CHECK:   %[[XV:.*]] = tensor.extract %[[XG]][%[[BLOCK]], %[[CC]], %{{.*}}] : tensor<2x32x8xf16>
  // CHECK:   %[[V32:.*]] = arith.extf %[[V]] : f16 to f32
  // CHECK:   %[[X32:.*]] = arith.extf %[[XV]] : f16 to f32
  // CHECK:   %[[PROD:.*]] = arith.mulf %[[V32]], %[[X32]] : f32
  // CHECK:   arith.addf %[[ACC]], %[[PROD]] : f32
  //
  // Un-permute: y[r, k] = ys[inverse[r], k] for the 40 real rows.
  // CHECK: %[[FIRST:.*]] = tensor.extract_slice %[[INV]][0] [40] [1] : tensor<64xi32> to tensor<40xi32>
  // CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[$ROW]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]} ins(%[[FIRST]] : tensor<40xi32>) outs(%{{.*}} : tensor<40x8xf32>)
  // CHECK:   ^bb0(%[[SROW:.*]]: i32,
  // CHECK:   %[[SROWI:.*]] = arith.index_cast %[[SROW]] : i32 to index
  // CHECK:   tensor.extract %[[YS]][%[[SROWI]], %{{.*}}] : tensor<64x8xf32>
  // CHECK: return %[[Y]] : tensor<40x8xf32>
  %y = hinm.matmul %w, %x : !W, tensor<64x8xf16> -> tensor<40x8xf32>
  return %y : tensor<40x8xf32>
}

// -----

!W = !hinm.matrix<40x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>

// Assembled parts are used directly; f16 accumulation needs no extf; a
// dynamic activation shape is checked at run time.
// CHECK-LABEL: func.func @assembled_dynamic
// CHECK-SAME: (%[[VALS:.*]]: tensor<64x16xf16>, %[[IDX:.*]]: tensor<2x32xi32>, %[[META:.*]]: tensor<64x1xi32>, %[[PERM:.*]]: tensor<64xi32>, %[[X:.*]]: tensor<?x?xf16>)
func.func @assembled_dynamic(%v: tensor<64x16xf16>, %i: tensor<2x32xi32>, %m: tensor<64x1xi32>,
                             %p: tensor<64xi32>, %x: tensor<?x?xf16>) -> tensor<40x?xf16> {
  // CHECK-NOT: hinm.
  // CHECK: %[[K:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x?xf16>
  // CHECK: %[[OK:.*]] = arith.cmpi eq, %[[K]], %{{.*}} : index
  // CHECK: hinm.assert %[[OK]], "hinm.matmul: input row count {} differs from the weight's column count 64"(%[[K]] : index)
  // CHECK: %[[N:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x?xf16>
  // CHECK: tensor.empty(%[[N]]) : tensor<2x32x?xf16>
  // CHECK: ins(%[[VALS]], %{{.*}} : tensor<64x16xf16>, tensor<64x16xindex>) outs(%{{.*}} : tensor<64x?xf16>)
  // CHECK-NOT: arith.extf
  // CHECK: arith.mulf %{{.*}}, %{{.*}} : f16
  // CHECK: -> tensor<40x?xf16>
  %w = hinm.assemble %v, %i, %m, %p : !W
  %y = hinm.matmul %w, %x : !W, tensor<?x?xf16> -> tensor<40x?xf16>
  return %y : tensor<40x?xf16>
}
