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

// -----

!W1 = !hinm.matrix<64x128xf16, #hinm.format<vector_size = 32, kept = 64, n = 2, m = 4>>
!W2 = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
!W3 = !hinm.matrix<64x32xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
#id = affine_map<(i, j) -> (i, j)>
#row = affine_map<(i, j) -> (i)>

// Three layers with a batch of one: the second and third layers take the
// padded result of the one before (through its bias + ReLU + cast, or
// directly), not a slice padded again. The bias after the last layer runs
// on its padded result too; only that is sliced.
// CHECK-LABEL: func.func @layers(
// CHECK-SAME: %[[W1:[a-z0-9]+]]: !hinm.matrix<64x128xf16, {{.*}}>, %[[W2:[a-z0-9]+]]: !hinm.matrix<32x64xf16, {{.*}}>, %[[W3:[a-z0-9]+]]: !hinm.matrix<64x32xf16, {{.*}}>, %[[X:[a-z0-9]+]]: tensor<128x1xf16>, %[[B:[a-z0-9]+]]: tensor<64xf32>
// CHECK: %[[XP:.*]] = tensor.pad %[[X]] low[0, 0] high[0, 7]
// CHECK: %[[Y1:.*]] = hinm.matmul %[[W1]], %[[XP]] : {{.*}} -> tensor<64x8xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<64x8xf16>
// CHECK: %[[H:.*]] = linalg.generic {{.*}} ins(%[[Y1]], %[[B]] : tensor<64x8xf32>, tensor<64xf32>) outs(%[[E]] : tensor<64x8xf16>)
// CHECK: arith.maximumf
// CHECK: } -> tensor<64x8xf16>
// CHECK: %[[Y2:.*]] = hinm.matmul %[[W2]], %[[H]] : {{.*}}, tensor<64x8xf16> -> tensor<32x8xf16>
// CHECK: %[[Y3:.*]] = hinm.matmul %[[W3]], %[[Y2]] : {{.*}}, tensor<32x8xf16> -> tensor<64x8xf32>
// CHECK: %[[E3:.*]] = tensor.empty() : tensor<64x8xf32>
// CHECK: %[[O:.*]] = linalg.generic {{.*}} ins(%[[Y3]], %[[B]] : tensor<64x8xf32>, tensor<64xf32>) outs(%[[E3]] : tensor<64x8xf32>)
// CHECK-NOT: tensor.pad
// CHECK: %[[R:.*]] = tensor.extract_slice %[[O]][0, 0] [64, 1] [1, 1] : tensor<64x8xf32> to tensor<64x1xf32>
// CHECK-NOT: tensor.extract_slice
// CHECK: return %[[R]]
func.func @layers(%w1: !W1, %w2: !W2, %w3: !W3, %x: tensor<128x1xf16>, %b: tensor<64xf32>) -> tensor<64x1xf32> {
  %y = hinm.matmul %w1, %x : !W1, tensor<128x1xf16> -> tensor<64x1xf32>
  %e = tensor.empty() : tensor<64x1xf16>
  %zero = arith.constant 0.0 : f32
  %h = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y, %b : tensor<64x1xf32>, tensor<64xf32>) outs(%e : tensor<64x1xf16>) {
  ^bb0(%a: f32, %bb: f32, %o: f16):
    %s = arith.addf %a, %bb : f32
    %r = arith.maximumf %s, %zero : f32
    %t = arith.truncf %r : f32 to f16
    linalg.yield %t : f16
  } -> tensor<64x1xf16>
  %z = hinm.matmul %w2, %h : !W2, tensor<64x1xf16> -> tensor<32x1xf16>
  %u = hinm.matmul %w3, %z : !W3, tensor<32x1xf16> -> tensor<64x1xf32>
  %e3 = tensor.empty() : tensor<64x1xf32>
  %o = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%u, %b : tensor<64x1xf32>, tensor<64xf32>) outs(%e3 : tensor<64x1xf32>) {
  ^bb0(%a: f32, %bb: f32, %oo: f32):
    %s = arith.addf %a, %bb : f32
    linalg.yield %s : f32
  } -> tensor<64x1xf32>
  return %o : tensor<64x1xf32>
}

// -----

!W1 = !hinm.matrix<64x128xf16, #hinm.format<vector_size = 32, kept = 64, n = 2, m = 4>>
!W2 = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
#id = affine_map<(i, j) -> (i, j)>
#col = affine_map<(i, j) -> (j)>

// Padded again, as before: the op between the layers reads a per-column
// operand (its padded columns would need one too), or the padded columns
// of the next result are used (a user's own pad, the full result returned).
// CHECK-LABEL: func.func @kept_apart(
// CHECK: tensor.extract_slice %{{.*}}[0, 0] [64, 1] [1, 1] : tensor<64x8xf16> to tensor<64x1xf16>
// CHECK: linalg.generic
// CHECK: tensor.pad
// CHECK: hinm.matmul
// CHECK: tensor.extract_slice %{{.*}}[0, 0] [64, 1] [1, 1] : tensor<64x8xf16> to tensor<64x1xf16>
// CHECK: tensor.pad
// CHECK: %[[FULL:.*]] = hinm.matmul {{.*}} -> tensor<32x8xf16>
// CHECK: return %{{.*}}, %[[FULL]]
func.func @kept_apart(%w1: !W1, %w2: !W2, %x: tensor<128x1xf16>, %c: tensor<1xf16>)
    -> (tensor<32x1xf16>, tensor<32x8xf16>) {
  %y = hinm.matmul %w1, %x : !W1, tensor<128x1xf16> -> tensor<64x1xf16>
  %e = tensor.empty() : tensor<64x1xf16>
  %h = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y, %c : tensor<64x1xf16>, tensor<1xf16>) outs(%e : tensor<64x1xf16>) {
  ^bb0(%a: f16, %cc: f16, %o: f16):
    %s = arith.addf %a, %cc : f16
    linalg.yield %s : f16
  } -> tensor<64x1xf16>
  %z = hinm.matmul %w2, %h : !W2, tensor<64x1xf16> -> tensor<32x1xf16>
  %y2 = hinm.matmul %w1, %x : !W1, tensor<128x1xf16> -> tensor<64x1xf16>
  %zero = arith.constant 0.0 : f16
  %p = tensor.pad %y2 low[0, 0] high[0, 7] {
  ^bb0(%i: index, %j: index):
    tensor.yield %zero : f16
  } : tensor<64x1xf16> to tensor<64x8xf16>
  %full = hinm.matmul %w2, %p : !W2, tensor<64x8xf16> -> tensor<32x8xf16>
  return %z, %full : tensor<32x1xf16>, tensor<32x8xf16>
}

// -----

#id = affine_map<(i, j) -> (i, j)>
#row = affine_map<(i, j) -> (i)>

// A slice of something other than a matmul (or an op moved after one) keeps
// its elementwise user: moving the op would only add the padded columns'
// work.
// CHECK-LABEL: func.func @slice_of_argument(
// CHECK: %[[S:.*]] = tensor.extract_slice
// CHECK: linalg.generic {{.*}} ins(%[[S]], %{{.*}} : tensor<64x1xf32>, tensor<64xf32>)
func.func @slice_of_argument(%t: tensor<64x8xf32>, %b: tensor<64xf32>) -> tensor<64x1xf32> {
  %s = tensor.extract_slice %t[0, 0] [64, 1] [1, 1] : tensor<64x8xf32> to tensor<64x1xf32>
  %e = tensor.empty() : tensor<64x1xf32>
  %o = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%s, %b : tensor<64x1xf32>, tensor<64xf32>) outs(%e : tensor<64x1xf32>) {
  ^bb0(%a: f32, %bb: f32, %oo: f32):
    %x = arith.addf %a, %bb : f32
    linalg.yield %x : f32
  } -> tensor<64x1xf32>
  return %o : tensor<64x1xf32>
}
