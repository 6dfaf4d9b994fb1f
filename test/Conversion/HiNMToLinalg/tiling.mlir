// RUN: hinm-opt %s --convert-hinm-to-linalg --transform-interpreter --canonicalize | FileCheck %s
// The lowered product is a plain linalg.generic, so upstream tiling
// (TilingInterface of linalg ops) applies unchanged: tiles of 32 storage rows
// (one V-block) x 4 activation columns, with linalg.index offsets fixed up.

!W = !hinm.matrix<64x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[VALS:.*]]: tensor<64x16xf16>, %{{.*}}: tensor<2x32xi32>, %{{.*}}: tensor<64x1xi32>, %{{.*}}: tensor<64xi32>, %{{.*}}: tensor<64x8xf16>)
// CHECK: %[[XG:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<2x32x8xf16>)
// CHECK: %[[SEL:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<64x16xindex>)
// CHECK: scf.for %[[P0:[a-z0-9_]+]] = %{{.*}} to %{{.*}} step %[[C32:.*]] iter_args
// CHECK:   scf.for %[[K0:[a-z0-9_]+]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (tensor<64x8xf32>)
// CHECK:     %[[VT:.*]] = tensor.extract_slice %[[VALS]][%[[P0]], 0] [32, 16] [1, 1] : tensor<64x16xf16> to tensor<32x16xf16>
// CHECK:     %[[ST:.*]] = tensor.extract_slice %[[SEL]][%[[P0]], 0] [32, 16] [1, 1] : tensor<64x16xindex> to tensor<32x16xindex>
// CHECK:     %[[OT:.*]] = tensor.extract_slice %[[ACC]][%[[P0]], %[[K0]]] [32, 4] [1, 1] : tensor<64x8xf32> to tensor<32x4xf32>
// CHECK:     linalg.generic {{.*}} ins(%[[VT]], %[[ST]] : tensor<32x16xf16>, tensor<32x16xindex>) outs(%[[OT]] : tensor<32x4xf32>)
// CHECK:       %[[I0:.*]] = linalg.index 0 : index
// CHECK:       %[[P:.*]] = affine.apply #{{.*}}(%[[P0]])[%[[I0]]]
// CHECK:       %[[I1:.*]] = linalg.index 1 : index
// CHECK:       %[[K:.*]] = affine.apply #{{.*}}(%[[K0]])[%[[I1]]]
// CHECK:       %[[B:.*]] = arith.divui %[[P]], %[[C32]] : index
// CHECK:       tensor.extract %[[XG]][%[[B]], %{{.*}}, %[[K]]] : tensor<2x32x8xf16>
// CHECK:     tensor.insert_slice
func.func @matmul(%w: !W, %x: tensor<64x8xf16>) -> tensor<64x8xf32> {
  %y = hinm.matmul %w, %x : !W, tensor<64x8xf16> -> tensor<64x8xf32>
  return %y : tensor<64x8xf32>
}
module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %all = transform.structured.match ops{["linalg.generic"]} in %root : (!transform.any_op) -> !transform.any_op
    %gather, %decode, %g, %unperm = transform.split_handle %all : (!transform.any_op) -> (!transform.any_op, !transform.any_op, !transform.any_op, !transform.any_op)
    %t, %loops:2 = transform.structured.tile_using_for %g tile_sizes [32, 4] : (!transform.any_op) -> (!transform.any_op, !transform.any_op, !transform.any_op)
    transform.yield
  }
}
