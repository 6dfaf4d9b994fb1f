// RUN: hinm-opt %s --convert-hinm-to-nvgpu="device-gather=false" -split-input-file | FileCheck %s
// RUN: hinm-opt %s --convert-hinm-to-nvgpu="fuse-epilogue=false device-gather=false" -split-input-file | FileCheck %s --check-prefix=OFF
// RUN: hinm-opt %s --convert-hinm-to-nvgpu="fuse-epilogue=false" -split-input-file | FileCheck %s --check-prefix=SEPARATE
// RUN: hinm-opt %s --convert-hinm-to-nvgpu -split-input-file | FileCheck %s --check-prefix=COPIES
// Elementwise linalg ops on a matmul's result (a bias, an activation, a
// cast) are applied by the kernel to each element before its store: they
// leave the host code, and the host copies back the final result. The
// checks run with device-gather=false: what the fusion declines then stays
// on the host, where it shows (by default it may run as a separate gather
// kernel instead: device-gather.mlir).

!W = !hinm.matrix<64x128xf16, #hinm.format<vector_size = 32, kept = 64, n = 2, m = 4>>
#id = affine_map<(i, j) -> (i, j)>
#row = affine_map<(i, j) -> (i)>
#col = affine_map<(i, j) -> (j)>

// A constant per-row bias (a device global, loaded once per row), ReLU and
// a cast to f16: the kernel stores f16 pairs.
// CHECK-LABEL: func.func @bias_relu_f16(
// CHECK-NOT: linalg.generic
// CHECK: gpu.launch
// CHECK: %[[BIAS:.*]] = memref.get_global @__hinm_epilogue : memref<64xf32, #gpu.address_space<global>>
// CHECK: scf.if
// CHECK: %[[B:.*]] = memref.load %[[BIAS]][%[[ROW:.*]]] : memref<64xf32, #gpu.address_space<global>>
// CHECK: %[[A:.*]] = vector.extract %{{.*}}[0] : f32 from vector<2xf32>
// CHECK: %[[S:.*]] = arith.addf %[[A]], %[[B]] : f32
// CHECK: %[[R:.*]] = arith.maximumf %[[S]], %{{.*}} : f32
// CHECK: %[[H:.*]] = arith.truncf %[[R]] : f32 to f16
// CHECK: arith.addf %{{.*}}, %[[B]] : f32
// CHECK: %[[V:.*]] = vector.from_elements %[[H]], %{{.*}} : vector<2xf16>
// CHECK: vector.store %[[V]], %{{.*}}[%[[ROW]], %{{.*}}] {alignment = 4 : i64} : memref<64x64xf16>, vector<2xf16>
// CHECK: gpu.terminator
// CHECK: gpu.memcpy async [%{{.*}}] %{{.*}}, %{{.*}} : memref<64x64xf16>, memref<64x64xf16>
// CHECK: return %{{.*}} : tensor<64x64xf16>
// CHECK: memref.global "private" constant @__hinm_epilogue : memref<64xf32, #gpu.address_space<global>> = dense<[-3.500000e+00, -2.500000e+00,
// Without the fusion (and with device-gather, the default), the same ops
// run as a separate gather kernel after the matmul's, which reads its f32
// output on the device; the host copies back the f16 result.
// SEPARATE-LABEL: func.func @bias_relu_f16(
// SEPARATE: gpu.launch
// SEPARATE-NOT: arith.maximumf
// SEPARATE: gpu.terminator
// SEPARATE-NOT: gpu.memcpy
// SEPARATE: gpu.launch
// SEPARATE: memref.load %{{.*}} : memref<64x64xf32>
// SEPARATE: arith.maximumf
// SEPARATE: arith.truncf
// SEPARATE: memref.store %{{.*}} : memref<64x64xf16>
// SEPARATE: gpu.terminator
// SEPARATE: gpu.memcpy async [%{{.*}}] %{{.*}}, %{{.*}} : memref<64x64xf16>, memref<64x64xf16>
// SEPARATE-NOT: linalg.generic
// SEPARATE: return
// OFF-LABEL: func.func @bias_relu_f16(
// OFF: gpu.launch
// OFF-NOT: arith.maximumf
// OFF: gpu.terminator
// OFF: linalg.generic
// OFF: arith.maximumf
func.func @bias_relu_f16(%w: !W, %x: tensor<128x64xf16>) -> tensor<64x64xf16> {
  %b = arith.constant dense<[-3.5, -2.5, -1.5, 0.5, 1.5, 2.5, 3.5, -3.5, -2.5, -1.5, 0.5, 1.5, 2.5, 3.5, -3.5, -2.5, -1.5, 0.5, 1.5, 2.5, 3.5, -3.5, -2.5, -1.5, 0.5, 1.5, 2.5, 3.5, -3.5, -2.5, -1.5, 0.5, 1.5, 2.5, 3.5, -3.5, -2.5, -1.5, 0.5, 1.5, 2.5, 3.5, -3.5, -2.5, -1.5, 0.5, 1.5, 2.5, 3.5, -3.5, -2.5, -1.5, 0.5, 1.5, 2.5, 3.5, -3.5, -2.5, -1.5, 0.5, 1.5, 2.5, 3.5, -3.5]> : tensor<64xf32>
  %zero = arith.constant 0.0 : f32
  %y = hinm.matmul %w, %x : !W, tensor<128x64xf16> -> tensor<64x64xf32>
  %e = tensor.empty() : tensor<64x64xf16>
  %z = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y, %b : tensor<64x64xf32>, tensor<64xf32>) outs(%e : tensor<64x64xf16>) {
  ^bb0(%a: f32, %bb: f32, %o: f16):
    %s = arith.addf %a, %bb : f32
    %r = arith.maximumf %s, %zero : f32
    %h = arith.truncf %r : f32 to f16
    linalg.yield %h : f16
  } -> tensor<64x64xf16>
  return %z : tensor<64x64xf16>
}

// -----

!W = !hinm.matrix<64x128xf16, #hinm.format<vector_size = 32, kept = 64, n = 2, m = 4>>
#id = affine_map<(i, j) -> (i, j)>
#col = affine_map<(i, j) -> (j)>
#scalar = affine_map<(i, j) -> ()>

// A chain of three ops, named and generic, fused in order: a full-matrix
// argument (copied to the device), a per-column argument and a scalar, and
// a per-row argument that linalg.broadcast spreads over the columns: the
// kernel reads the 64-element vector, no 64x32 broadcast is copied.
// CHECK-LABEL: func.func @chain(
// CHECK-SAME: %[[E:[a-z0-9]+]]: tensor<64x32xf32>, %[[C:[a-z0-9]+]]: tensor<32xf32>, %[[R:[a-z0-9]+]]: tensor<64xf32>, %[[S:[a-z0-9]+]]: f32
// CHECK-NOT: linalg.add
// CHECK-DAG: %[[EB:.*]] = bufferization.to_buffer %[[E]]
// CHECK-DAG: %[[CB:.*]] = bufferization.to_buffer %[[C]]
// CHECK-DAG: %[[RB:.*]] = bufferization.to_buffer %[[R]]
// CHECK: gpu.launch
// CHECK: scf.if
// CHECK: memref.load %{{.*}}[%[[ROW:.*]]] : memref<64xf32>
// CHECK: vector.extract
// CHECK: %[[EV:.*]] = memref.load %{{.*}}[%[[ROW]], %[[COL:.*]]] : memref<64x32xf32>
// CHECK: arith.addf %{{.*}}, %[[EV]] : f32
// CHECK: %[[CV:.*]] = memref.load %{{.*}}[%[[COL]]] : memref<32xf32>
// CHECK: %[[M:.*]] = arith.mulf %{{.*}}, %[[S]] : f32
// CHECK: arith.subf %[[M]], %[[CV]] : f32
// CHECK: arith.maximumf
// CHECK: vector.store {{.*}} : memref<64x32xf32>, vector<2xf32>
// CHECK: gpu.terminator
// CHECK-NOT: linalg.
// CHECK: return
// Two 64x32 f32 copies: the full-matrix operand in and the result out.
// COPIES-LABEL: func.func @chain(
// COPIES-COUNT-2: gpu.memcpy {{.*}} : memref<64x32xf32>, memref<64x32xf32>
// COPIES-NOT: gpu.memcpy {{.*}} : memref<64x32xf32>, memref<64x32xf32>
// COPIES: return
func.func @chain(%w: !W, %x: tensor<128x32xf16>, %e: tensor<64x32xf32>,
                 %c: tensor<32xf32>, %r: tensor<64xf32>, %s: f32) -> tensor<64x32xf32> {
  %y = hinm.matmul %w, %x : !W, tensor<128x32xf16> -> tensor<64x32xf32>
  %i = tensor.empty() : tensor<64x32xf32>
  %t1 = linalg.add ins(%y, %e : tensor<64x32xf32>, tensor<64x32xf32>) outs(%i : tensor<64x32xf32>) -> tensor<64x32xf32>
  %t2 = linalg.generic {indexing_maps = [#id, #col, #scalar, #id], iterator_types = ["parallel", "parallel"]}
      ins(%t1, %c, %s : tensor<64x32xf32>, tensor<32xf32>, f32) outs(%i : tensor<64x32xf32>) {
  ^bb0(%a: f32, %cc: f32, %ss: f32, %o: f32):
    %m = arith.mulf %a, %ss : f32
    %d = arith.subf %m, %cc : f32
    linalg.yield %d : f32
  } -> tensor<64x32xf32>
  %bc = linalg.broadcast ins(%r : tensor<64xf32>) outs(%i : tensor<64x32xf32>) dimensions = [1]
  %z = linalg.max ins(%t2, %bc : tensor<64x32xf32>, tensor<64x32xf32>) outs(%i : tensor<64x32xf32>) -> tensor<64x32xf32>
  return %z : tensor<64x32xf32>
}

// -----

!W = !hinm.matrix<64x128xf16, #hinm.format<vector_size = 32, kept = 64, n = 2, m = 4>>
#id = affine_map<(i, j) -> (i, j)>
#row = affine_map<(i, j) -> (i)>

// N known only at run time: a per-row operand is fused (rows are static).
// CHECK-LABEL: func.func @dynamic_n_row(
// CHECK: gpu.launch
// CHECK: arith.addf
// CHECK: gpu.terminator
// CHECK-NOT: linalg.generic
// CHECK: return %{{.*}} : tensor<64x?xf32>
func.func @dynamic_n_row(%w: !W, %x: tensor<128x?xf16>, %b: tensor<64xf32>) -> tensor<64x?xf32> {
  %y = hinm.matmul %w, %x : !W, tensor<128x?xf16> -> tensor<64x?xf32>
  %c1 = arith.constant 1 : index
  %n = tensor.dim %x, %c1 : tensor<128x?xf16>
  %e = tensor.empty(%n) : tensor<64x?xf32>
  %z = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y, %b : tensor<64x?xf32>, tensor<64xf32>) outs(%e : tensor<64x?xf32>) {
  ^bb0(%a: f32, %bb: f32, %o: f32):
    %s = arith.addf %a, %bb : f32
    linalg.yield %s : f32
  } -> tensor<64x?xf32>
  return %z : tensor<64x?xf32>
}

// -----

!W = !hinm.matrix<64x128xf16, #hinm.format<vector_size = 32, kept = 64, n = 2, m = 4>>
#id = affine_map<(i, j) -> (i, j)>
#t = affine_map<(i, j) -> (j, i)>
#col = affine_map<(i, j) -> (j)>

// What stays on the host (each of the seven generics survives):
// the result has a second user; the body reads the output; the body uses
// linalg.index; the result is read transposed; the op reduces; a column
// operand with a run-time N; an integer result.
// CHECK-LABEL: func.func @not_fused(
// CHECK-COUNT-7: linalg.generic
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @not_fused(%w: !W, %x: tensor<128x64xf16>, %acc: tensor<64x64xf32>,
                     %xd: tensor<128x?xf16>, %cd: tensor<?xf32>)
    -> (tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>,
        tensor<64x64xf32>, tensor<64xf32>, tensor<64x?xf32>, tensor<64x64xi32>) {
  %e = tensor.empty() : tensor<64x64xf32>
  %y0 = hinm.matmul %w, %x : !W, tensor<128x64xf16> -> tensor<64x64xf32>
  %z0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y0 : tensor<64x64xf32>) outs(%e : tensor<64x64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<64x64xf32>
  %y1 = hinm.matmul %w, %x : !W, tensor<128x64xf16> -> tensor<64x64xf32>
  %z1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y1 : tensor<64x64xf32>) outs(%acc : tensor<64x64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %o : f32
    linalg.yield %s : f32
  } -> tensor<64x64xf32>
  %y2 = hinm.matmul %w, %x : !W, tensor<128x64xf16> -> tensor<64x64xf32>
  %z2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y2 : tensor<64x64xf32>) outs(%e : tensor<64x64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %i = linalg.index 0 : index
    %ii = arith.index_cast %i : index to i32
    %f = arith.sitofp %ii : i32 to f32
    %s = arith.addf %a, %f : f32
    linalg.yield %s : f32
  } -> tensor<64x64xf32>
  %y3 = hinm.matmul %w, %x : !W, tensor<128x64xf16> -> tensor<64x64xf32>
  %z3 = linalg.generic {indexing_maps = [#t, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y3 : tensor<64x64xf32>) outs(%e : tensor<64x64xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<64x64xf32>
  %y4 = hinm.matmul %w, %x : !W, tensor<128x64xf16> -> tensor<64x64xf32>
  %er = tensor.empty() : tensor<64xf32>
  %z4 = linalg.generic {indexing_maps = [#id, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]}
      ins(%y4 : tensor<64x64xf32>) outs(%er : tensor<64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %o : f32
    linalg.yield %s : f32
  } -> tensor<64xf32>
  %y5 = hinm.matmul %w, %xd : !W, tensor<128x?xf16> -> tensor<64x?xf32>
  %c1 = arith.constant 1 : index
  %nd = tensor.dim %xd, %c1 : tensor<128x?xf16>
  %ed = tensor.empty(%nd) : tensor<64x?xf32>
  %z5 = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y5, %cd : tensor<64x?xf32>, tensor<?xf32>) outs(%ed : tensor<64x?xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<64x?xf32>
  %y6 = hinm.matmul %w, %x : !W, tensor<128x64xf16> -> tensor<64x64xf32>
  %ei = tensor.empty() : tensor<64x64xi32>
  %z6 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y6 : tensor<64x64xf32>) outs(%ei : tensor<64x64xi32>) {
  ^bb0(%a: f32, %o: i32):
    %i = arith.fptosi %a : f32 to i32
    linalg.yield %i : i32
  } -> tensor<64x64xi32>
  return %y0, %z1, %z2, %z3, %z0, %z4, %z5, %z6
      : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>,
        tensor<64x64xf32>, tensor<64xf32>, tensor<64x?xf32>, tensor<64x64xi32>
}
