// RUN: hinm-opt %s --hinm-pad-matmul-columns -split-input-file | FileCheck %s
// RUN: hinm-opt %s --hinm-pad-matmul-columns="multiple=16" -split-input-file | FileCheck %s --check-prefix=M16
// RUN: not hinm-opt %s --hinm-pad-matmul-columns="multiple=0" -split-input-file 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not hinm-opt %s --hinm-pad-matmul-columns="multiple=1000000" -split-input-file 2>&1 | FileCheck %s --check-prefix=HUGE
// hinm-pad-matmul-columns: N not a multiple is padded with zero activation
// columns and the result sliced back (dynamic N by a run-time amount);
// static N that already fits stays.

// BAD: error: hinm-pad-matmul-columns: multiple must be in [1, 4096], got 0
// HUGE: error: hinm-pad-matmul-columns: multiple must be in [1, 4096], got 1000000

!W = !hinm.matrix<80x512xf16, #hinm.format<vector_size = 32, kept = 256, n = 2, m = 4>>

// CHECK-LABEL: func.func @n3(
// CHECK-SAME: %[[W:.*]]: !hinm.matrix<80x512xf16, {{.*}}>, %[[X:.*]]: tensor<512x3xf16>)
// CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f16
// CHECK: %[[XP:.*]] = tensor.pad %[[X]] low[0, 0] high[0, 5]
// CHECK: tensor.yield %[[Z]] : f16
// CHECK: } : tensor<512x3xf16> to tensor<512x8xf16>
// CHECK: %[[YP:.*]] = hinm.matmul %[[W]], %[[XP]] : {{.*}}, tensor<512x8xf16> -> tensor<80x8xf32>
// CHECK: %[[Y:.*]] = tensor.extract_slice %[[YP]][0, 0] [80, 3] [1, 1] : tensor<80x8xf32> to tensor<80x3xf32>
// CHECK: return %[[Y]]
// M16-LABEL: func.func @n3(
// M16: high[0, 13]
// M16: -> tensor<80x16xf32>
func.func @n3(%w: !W, %x: tensor<512x3xf16>) -> tensor<80x3xf32> {
  %y = hinm.matmul %w, %x : !W, tensor<512x3xf16> -> tensor<80x3xf32>
  return %y : tensor<80x3xf32>
}

// -----

!W = !hinm.matrix<80x512xf16, #hinm.format<vector_size = 32, kept = 256, n = 2, m = 4>>

// N = 8 fits the default multiple; with multiple=16 it is padded.
// CHECK-LABEL: func.func @n8(
// CHECK-NOT: tensor.pad
// CHECK: hinm.matmul {{.*}} -> tensor<80x8xf16>
// CHECK-NOT: tensor.extract_slice
// M16-LABEL: func.func @n8(
// M16: high[0, 8]
// M16: tensor.extract_slice {{.*}}[0, 0] [80, 8] [1, 1] : tensor<80x16xf16> to tensor<80x8xf16>
func.func @n8(%w: !W, %x: tensor<512x8xf16>) -> tensor<80x8xf16> {
  %y = hinm.matmul %w, %x : !W, tensor<512x8xf16> -> tensor<80x8xf16>
  return %y : tensor<80x8xf16>
}

// -----

!W = !hinm.matrix<80x512xf16, #hinm.format<vector_size = 32, kept = 256, n = 2, m = 4>>

// Dynamic N is padded to the next multiple at run time; the padded matmul
// is marked so that it is not padded again and the GPU lowering knows N is
// a multiple of 8.
// CHECK-LABEL: func.func @dynamic(
// CHECK-SAME: %[[W:.*]]: !hinm.matrix<{{.*}}>, %[[X:.*]]: tensor<512x?xf16>)
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : index
// CHECK: %[[N:.*]] = tensor.dim %[[X]], %[[C1]] : tensor<512x?xf16>
// CHECK: %[[T:.*]] = arith.ceildivui %[[N]], %[[C8]] : index
// CHECK: %[[P:.*]] = arith.muli %[[T]], %[[C8]] : index
// CHECK: %[[H:.*]] = arith.subi %[[P]], %[[N]] : index
// CHECK: %[[XP:.*]] = tensor.pad %[[X]] low[0, 0] high[0, %[[H]]]
// CHECK: } : tensor<512x?xf16> to tensor<512x?xf16>
// CHECK: %[[YP:.*]] = hinm.matmul %[[W]], %[[XP]] {hinm.n_multiple_of = 8 : i64} : {{.*}} -> tensor<80x?xf32>
// CHECK: tensor.extract_slice %[[YP]][0, 0] [80, %[[N]]] [1, 1] : tensor<80x?xf32> to tensor<80x?xf32>
// CHECK-NOT: tensor.pad
// M16-LABEL: func.func @dynamic(
// M16: {hinm.n_multiple_of = 16 : i64}
func.func @dynamic(%w: !W, %x: tensor<512x?xf16>) -> tensor<80x?xf32> {
  %y = hinm.matmul %w, %x : !W, tensor<512x?xf16> -> tensor<80x?xf32>
  return %y : tensor<80x?xf32>
}
