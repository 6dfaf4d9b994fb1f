// RUN: hinm-opt %s --convert-hinm-to-linalg --split-input-file | FileCheck %s
// hinm.pack -> scf.for loops on tensors that append kept values and encode
// their group positions as metadata fields; hinm.to_dense -> metadata decode
// and a scatter of every stored value to [perm[p], index[p / V, column]].

!W = !hinm.matrix<20x16xf32, #hinm.format<vector_size = 16, kept = 8, n = 2, m = 4>>

// CHECK-LABEL: func.func @pack
// CHECK-SAME: (%[[D:.*]]: tensor<20x16xf32>, %[[P:.*]]: tensor<32xi32>, %[[I:.*]]: tensor<2x8xi32>, %[[K:.*]]: tensor<32x8xi1>)
// CHECK-SAME: -> (tensor<32x4xf32>, tensor<2x8xi32>, tensor<32x1xi32>, tensor<32xi32>)
func.func @pack(%d: tensor<20x16xf32>, %p: tensor<32xi32>, %i: tensor<2x8xi32>, %k: tensor<32x8xi1>) -> !W {
  // CHECK: hinm.assert %{{.*}}, "hinm.pack: vector index out of range
  // CHECK: hinm.assert %{{.*}}, "hinm.pack: row permutation entry out of range
  // CHECK: hinm.assert %{{.*}}, "hinm.pack: row permutation repeats an entry
  // CHECK: %[[V0:.*]] = linalg.fill {{.*}} -> tensor<32x4xf32>
  // CHECK: %[[M0:.*]] = linalg.fill {{.*}} -> tensor<32x1xi32>
  // Storage rows, groups of m, positions in the group.
  // CHECK: %[[OUT:.*]]:2 = scf.for %[[ROW:[a-z0-9_]+]] = {{.*}} iter_args(%{{.*}} = %[[V0]], %{{.*}} = %[[M0]])
  // CHECK:   %[[R:.*]] = arith.index_cast %{{.*}} : i32 to index
  // CHECK:   %[[REAL:.*]] = arith.cmpi ult, %[[R]], %[[C20:.*]] : index
  // CHECK:   %[[SAFE:.*]] = arith.select %[[REAL]], %[[R]], %{{.*}} : index
  // CHECK:   %[[BLOCK:.*]] = arith.divui %[[ROW]], %{{.*}} : index
  // CHECK:   scf.for %[[G:[a-z0-9_]+]] = {{.*}} -> (tensor<32x4xf32>, tensor<32x1xi32>)
  // CHECK:     %[[GROUP:.*]]:3 = scf.for %[[POS:[a-z0-9_]+]] = {{.*}} -> (tensor<32x4xf32>, tensor<32x1xi32>, index)
  // CHECK:       %[[C:.*]] = arith.addi %{{.*}}, %[[POS]] : index
  // CHECK:       %[[KEEP:.*]] = tensor.extract %[[K]][%[[ROW]], %[[C]]] : tensor<32x8xi1>
  // CHECK:       scf.if %[[KEEP]] -> (tensor<32x4xf32>, tensor<32x1xi32>, index)
  // CHECK:         hinm.assert %{{.*}}, "hinm.pack: N:M mask keeps more than N values in a group
  // CHECK:         %[[COLI:.*]] = tensor.extract %[[I]][%[[BLOCK]], %[[C]]] : tensor<2x8xi32>
  // CHECK:         %[[COL:.*]] = arith.index_cast %[[COLI]] : i32 to index
  // CHECK:         %[[W:.*]] = tensor.extract %[[D]][%[[SAFE]], %[[COL]]] : tensor<20x16xf32>
  // CHECK:         %[[W0:.*]] = arith.select %[[REAL]], %[[W]], %{{.*}} : f32
  // CHECK:         tensor.insert %[[W0]] into
  // The group position goes to bits (j % 16) * 2 of word j / 16.
  // CHECK:         %[[POSI:.*]] = arith.index_cast %[[POS]] : index to i32
  // CHECK:         %[[FIELD:.*]] = arith.shli %[[POSI]], %{{.*}} : i32
  // CHECK:         %[[WORD:.*]] = arith.ori %{{.*}}, %[[FIELD]] : i32
  // CHECK:         tensor.insert %[[WORD]] into
  // CHECK:       } else {
  // CHECK:     hinm.assert %{{.*}}, "hinm.pack: N:M mask keeps fewer than N values in a group
  // The index and permutation are stored as given.
  // CHECK: return %[[OUT]]#0, %[[I]], %[[OUT]]#1, %[[P]]
  %w = hinm.pack %d, %p, %i, %k : !W
  return %w : !W
}

// -----

!W = !hinm.matrix<20x16xf32, #hinm.format<vector_size = 16, kept = 8, n = 2, m = 4>>

// CHECK-LABEL: func.func @to_dense
// CHECK-SAME: (%[[V:.*]]: tensor<32x4xf32>, %[[I:.*]]: tensor<2x8xi32>, %[[M:.*]]: tensor<32x1xi32>, %[[P:.*]]: tensor<32xi32>) -> tensor<20x16xf32>
func.func @to_dense(%w: !W) -> tensor<20x16xf32> {
  // CHECK: %[[COLS:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<32x4xindex>)
  // CHECK:   arith.shrui
  // CHECK:   arith.andi
  // CHECK: %[[ZERO:.*]] = linalg.fill {{.*}} -> tensor<20x16xf32>
  // CHECK: %[[OUT:.*]] = scf.for %[[ROW:[a-z0-9_]+]] = {{.*}} iter_args(%{{.*}} = %[[ZERO]]) -> (tensor<20x16xf32>)
  // CHECK:   %[[R:.*]] = arith.index_cast %{{.*}} : i32 to index
  // Padding rows (perm entry >= 20) are skipped.
  // CHECK:   %[[REAL:.*]] = arith.cmpi ult, %[[R]], %{{.*}} : index
  // CHECK:   %[[BLOCK:.*]] = arith.divui %[[ROW]], %{{.*}} : index
  // CHECK:   scf.if %[[REAL]] -> (tensor<20x16xf32>)
  // CHECK:     scf.for %[[J:[a-z0-9_]+]] = {{.*}} -> (tensor<20x16xf32>)
  // CHECK:       %[[C:.*]] = tensor.extract %[[COLS]][%[[ROW]], %[[J]]] : tensor<32x4xindex>
  // CHECK:       %[[COLI:.*]] = tensor.extract %[[I]][%[[BLOCK]], %[[C]]] : tensor<2x8xi32>
  // CHECK:       %[[COL:.*]] = arith.index_cast %[[COLI]] : i32 to index
  // CHECK:       %[[VAL:.*]] = tensor.extract %[[V]][%[[ROW]], %[[J]]] : tensor<32x4xf32>
  // CHECK:       tensor.insert %[[VAL]] into %{{.*}}[%[[R]], %[[COL]]] : tensor<20x16xf32>
  // CHECK: return %[[OUT]] : tensor<20x16xf32>
  %d = hinm.to_dense %w : !W
  return %d : tensor<20x16xf32>
}

// -----

!W = !hinm.matrix<20x16xf32, #hinm.format<vector_size = 16, kept = 10, n = 1, m = 5>>

// m = 5 needs 3-bit fields, which can hold 5..7: decoded fields are checked.
// CHECK-LABEL: func.func @to_dense_checks_fields
// CHECK: %[[FIELD:.*]] = arith.andi %{{.*}}, %{{.*}} : i32
// CHECK: %[[BELOW:.*]] = arith.cmpi ult, %[[FIELD]], %{{.*}} : i32
// CHECK: hinm.assert %[[BELOW]], "hinm.to_dense: metadata index not below M: storage row {}, stored element {} holds {} (M = 5)"(%{{.*}}, %{{.*}}, %[[FIELD]] : index, index, i32)
func.func @to_dense_checks_fields(%w: !W) -> tensor<20x16xf32> {
  %d = hinm.to_dense %w : !W
  return %d : tensor<20x16xf32>
}
