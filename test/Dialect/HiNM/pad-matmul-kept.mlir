// RUN: hinm-opt %s --hinm-pad-matmul-kept="multiple=8" -split-input-file | FileCheck %s
// RUN: not hinm-opt %s --hinm-pad-matmul-kept="multiple=0" 2>&1 | FileCheck %s --check-prefix=BAD
// hinm-pad-matmul-kept: a hinm.matmul whose kept count is not a multiple of
// `multiple` runs on an equivalent matrix with kept rounded up: zero columns
// appended after the last one and kept by every block, in new groups whose
// metadata fields are 0, 1; the activations get as many zero rows.
// BAD: hinm-pad-matmul-kept: multiple must be in [1, 4096], got 0

// Constant storage, kept 4 of 6 columns -> 8 of 10: the vector index gains
// columns 6..9, each row two zero values, and its metadata word the fields
// 0, 1 of elements 2 and 3 (bits 4..7: 0x40) on top of the old 4.
// CHECK-LABEL: func.func @constant_storage
// CHECK-SAME: (%[[X:.*]]: tensor<6x8xf32>)
// CHECK-DAG: %[[V:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00, 0.000000e+00, 0.000000e+00], {{.*}}> : tensor<16x4xf32>
// CHECK-DAG: %[[I:.*]] = arith.constant dense<{{\[\[}}5, 0, 3, 1, 6, 7, 8, 9]]> : tensor<1x8xi32>
// CHECK-DAG: %[[M:.*]] = arith.constant dense<68> : tensor<16x1xi32>
// CHECK-DAG: %[[P:.*]] = arith.constant dense<[0, 1, 2, {{.*}}, 15]> : tensor<16xi32>
// CHECK: %[[W:.*]] = hinm.assemble %[[V]], %[[I]], %[[M]], %[[P]] : !hinm.matrix<16x10xf32, #hinm.format<vector_size = 16, kept = 8, n = 2, m = 4>>
// CHECK: %[[XP:.*]] = tensor.pad %[[X]] low[0, 0] high[4, 0]
// CHECK: tensor<6x8xf32> to tensor<10x8xf32>
// CHECK: %[[Y:.*]] = hinm.matmul %[[W]], %[[XP]] : !hinm.matrix<16x10xf32, {{.*}}>, tensor<10x8xf32> -> tensor<16x8xf32>
// CHECK: return %[[Y]]
func.func @constant_storage(%x: tensor<6x8xf32>) -> tensor<16x8xf32> {
  %v = arith.constant dense<[[1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [1.0, 2.0]]> : tensor<16x2xf32>
  %i = arith.constant dense<[[5, 0, 3, 1]]> : tensor<1x4xi32>
  %m = arith.constant dense<4> : tensor<16x1xi32>
  %p = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]> : tensor<16xi32>
  %w = hinm.assemble %v, %i, %m, %p : !hinm.matrix<16x6xf32, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>
  %y = hinm.matmul %w, %x : !hinm.matrix<16x6xf32, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>, tensor<6x8xf32> -> tensor<16x8xf32>
  return %y : tensor<16x8xf32>
}

// -----

// Storage known at run time, two blocks, kept 12 -> 16 of 20 columns, a
// dynamic N: the values are padded, the vector index gets the appended
// columns 20..23 in both blocks, and every metadata word (one per row here,
// so no word is added) is
// (word & keep) | fields: word 0 keeps its 6 old fields (bits 0..11,
// 0xFFF) and gains the fields of elements 6, 7 (0, 1 at bits 12..15:
// 0x4000 = 16384).
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$WORD:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @run_time_storage
// CHECK-SAME: (%[[V:.*]]: tensor<64x6xf16>, %[[I:.*]]: tensor<2x12xi32>, %[[M:.*]]: tensor<64x1xi32>, %[[P:.*]]: tensor<64xi32>, %[[X:.*]]: tensor<20x?xf16>)
// CHECK-DAG: %[[FIELDS:.*]] = arith.constant dense<16384> : tensor<1xi32>
// CHECK-DAG: %[[KEEP:.*]] = arith.constant dense<4095> : tensor<1xi32>
// CHECK-DAG: %[[ADDED:.*]] = arith.constant dense<{{\[\[}}20, 21, 22, 23], [20, 21, 22, 23]]> : tensor<2x4xi32>
// CHECK: %[[VP:.*]] = tensor.pad %[[V]] low[0, 0] high[0, 2]
// CHECK: tensor<64x6xf16> to tensor<64x8xf16>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x16xi32>
// CHECK: %[[I1:.*]] = tensor.insert_slice %[[I]] into %[[E]][0, 0] [2, 12] [1, 1]
// CHECK: %[[I2:.*]] = tensor.insert_slice %[[ADDED]] into %[[I1]][0, 12] [2, 4] [1, 1]
// CHECK: %[[MM:.*]] = linalg.generic {indexing_maps = [#[[$ROW]], #[[$WORD]], #[[$WORD]], #[[$ROW]]], {{.*}}} ins(%[[M]], %[[KEEP]], %[[FIELDS]] : tensor<64x1xi32>, tensor<1xi32>, tensor<1xi32>) outs(%{{.*}} : tensor<64x1xi32>)
// CHECK: arith.andi
// CHECK: arith.ori
// CHECK: %[[W:.*]] = hinm.assemble %[[VP]], %[[I2]], %[[MM]], %[[P]] : !hinm.matrix<40x24xf16, #hinm.format<vector_size = 32, kept = 16, n = 2, m = 4>>
// CHECK: %[[XP:.*]] = tensor.pad %[[X]] low[0, 0] high[4, 0]
// CHECK: tensor<20x?xf16> to tensor<24x?xf16>
// CHECK: hinm.matmul %[[W]], %[[XP]] : !hinm.matrix<40x24xf16, {{.*}}>, tensor<24x?xf16> -> tensor<40x?xf32>
func.func @run_time_storage(%v: tensor<64x6xf16>, %i: tensor<2x12xi32>, %m: tensor<64x1xi32>, %p: tensor<64xi32>, %x: tensor<20x?xf16>) -> tensor<40x?xf32> {
  %w = hinm.assemble %v, %i, %m, %p : !hinm.matrix<40x20xf16, #hinm.format<vector_size = 32, kept = 12, n = 2, m = 4>>
  %y = hinm.matmul %w, %x : !hinm.matrix<40x20xf16, #hinm.format<vector_size = 32, kept = 12, n = 2, m = 4>>, tensor<20x?xf16> -> tensor<40x?xf32>
  return %y : tensor<40x?xf32>
}

// -----

// Left alone: kept already a multiple, and a weight that is not a
// hinm.assemble (the GPU lowering reports that one).
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: tensor.pad
// CHECK: hinm.matmul %{{.*}}, %{{.*}} : !hinm.matrix<16x32xf32, #hinm.format<vector_size = 16, kept = 16
// CHECK: hinm.matmul %{{.*}}, %{{.*}} : !hinm.matrix<16x12xf32, #hinm.format<vector_size = 16, kept = 4
func.func @left_alone(%v: tensor<16x8xf32>, %i: tensor<1x16xi32>, %m: tensor<16x1xi32>, %p: tensor<16xi32>,
                      %x: tensor<32x8xf32>, %w2: !hinm.matrix<16x12xf32, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>,
                      %x2: tensor<12x8xf32>) -> (tensor<16x8xf32>, tensor<16x8xf32>) {
  %w = hinm.assemble %v, %i, %m, %p : !hinm.matrix<16x32xf32, #hinm.format<vector_size = 16, kept = 16, n = 2, m = 4>>
  %y = hinm.matmul %w, %x : !hinm.matrix<16x32xf32, #hinm.format<vector_size = 16, kept = 16, n = 2, m = 4>>, tensor<32x8xf32> -> tensor<16x8xf32>
  %y2 = hinm.matmul %w2, %x2 : !hinm.matrix<16x12xf32, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>, tensor<12x8xf32> -> tensor<16x8xf32>
  return %y, %y2 : tensor<16x8xf32>, tensor<16x8xf32>
}
