// RUN: hinm-opt %s --convert-hinm-to-linalg | FileCheck %s
// A !hinm.matrix crosses function signatures, calls, returns and scf control
// flow as its four storage tensors; assemble/disassemble become the parts.

!W = !hinm.matrix<20x16xf32, #hinm.format<vector_size = 16, kept = 8, n = 2, m = 4>>

// CHECK-LABEL: func.func private @id
// CHECK-SAME: (tensor<32x4xf32>, tensor<2x8xi32>, tensor<32x1xi32>, tensor<32xi32>) -> (tensor<32x4xf32>, tensor<2x8xi32>, tensor<32x1xi32>, tensor<32xi32>)
func.func private @id(!W) -> !W

// CHECK-LABEL: func.func @call_and_parts
// CHECK-SAME: (%[[V:.*]]: tensor<32x4xf32>, %[[I:.*]]: tensor<2x8xi32>, %[[M:.*]]: tensor<32x1xi32>, %[[P:.*]]: tensor<32xi32>, %[[C:.*]]: i1)
// CHECK-SAME: -> (tensor<32x4xf32>, tensor<32xi32>)
func.func @call_and_parts(%w: !W, %c: i1) -> (tensor<32x4xf32>, tensor<32xi32>) {
  // CHECK: %[[R:.*]]:4 = call @id(%[[V]], %[[I]], %[[M]], %[[P]])
  %r = call @id(%w) : (!W) -> !W
  // CHECK: %[[S:.*]]:4 = scf.if %[[C]] -> (tensor<32x4xf32>, tensor<2x8xi32>, tensor<32x1xi32>, tensor<32xi32>)
  // CHECK:   scf.yield %[[R]]#0, %[[R]]#1, %[[R]]#2, %[[R]]#3
  // CHECK: } else {
  // CHECK:   scf.yield %[[V]], %[[I]], %[[M]], %[[P]]
  %s = scf.if %c -> !W {
    scf.yield %r : !W
  } else {
    scf.yield %w : !W
  }
  // CHECK-NOT: hinm.disassemble
  // CHECK: return %[[S]]#0, %[[S]]#3
  %v, %i, %m, %p = hinm.disassemble %s : !W
  return %v, %p : tensor<32x4xf32>, tensor<32xi32>
}

// CHECK-LABEL: func.func @assemble_return
// CHECK-SAME: (%[[V:.*]]: tensor<32x4xf32>, %[[I:.*]]: tensor<2x8xi32>, %[[M:.*]]: tensor<32x1xi32>, %[[P:.*]]: tensor<32xi32>)
// CHECK-NOT: hinm.assemble
// CHECK: return %[[V]], %[[I]], %[[M]], %[[P]] : tensor<32x4xf32>, tensor<2x8xi32>, tensor<32x1xi32>, tensor<32xi32>
func.func @assemble_return(%v: tensor<32x4xf32>, %i: tensor<2x8xi32>, %m: tensor<32x1xi32>,
                           %p: tensor<32xi32>) -> !W {
  %w = hinm.assemble %v, %i, %m, %p : !W
  return %w : !W
}

// A matrix carried through a loop.
// CHECK-LABEL: func.func @loop
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (tensor<32x4xf32>, tensor<2x8xi32>, tensor<32x1xi32>, tensor<32xi32>)
func.func @loop(%w: !W, %n: index) -> !W {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %iv = %c0 to %n step %c1 iter_args(%a = %w) -> !W {
    %b = func.call @id(%a) : (!W) -> !W
    scf.yield %b : !W
  }
  return %r : !W
}
