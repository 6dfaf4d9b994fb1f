// RUN: hinm-opt %s --convert-hinm-to-nvgpu="k-tile=32" --canonicalize --cse | FileCheck %s
// RUN: hinm-opt %s --convert-hinm-to-nvgpu="block-m=64 block-n=32 warps-m=2 warps-n=1 stages=4 k-tile=32" --canonicalize --cse | FileCheck %s --check-prefix=OPTS
// RUN: hinm-opt %s --convert-hinm-to-nvgpu --canonicalize --cse | FileCheck %s --check-prefix=K64
// Kernel structure of hinm.matmul lowered to a gpu.launch of nvgpu ops:
// device copies, cp.async gather through the vector index, the multi-stage
// pipeline, ldmatrix (.trans for the activations), mma.sp, and the epilogue
// that writes storage row p to result row perm[p].

!W80 = !hinm.matrix<80x256xf16, #hinm.format<vector_size = 32, kept = 128, n = 2, m = 4>>

// CHECK-LABEL: func.func @runtime_v32
// CHECK-SAME: (%[[V:.*]]: tensor<96x64xf16>, %[[I:.*]]: tensor<3x128xi32>, %[[M:.*]]: tensor<96x4xi32>, %[[P:.*]]: tensor<96xi32>, %[[X:.*]]: tensor<256x64xf16>)
func.func @runtime_v32(%v: tensor<96x64xf16>, %i: tensor<3x128xi32>, %m: tensor<96x4xi32>,
                       %p: tensor<96xi32>, %x: tensor<256x64xf16>) -> tensor<80x64xf32> {
  // Every storage part and the activations go to the device, in one chain.
  // CHECK: %[[T0:.*]] = gpu.wait async
  // CHECK: %[[HV:.*]] = bufferization.to_buffer %[[V]] read_only
  // CHECK: %[[DV:.*]], %[[TA:.*]] = gpu.alloc async [%[[T0]]] () {bufferization.manual_deallocation} : memref<96x64xf16>
  // CHECK: gpu.memcpy async [%[[TA]]] %[[DV]], %[[HV]]
  // CHECK: %[[DI:.*]], %{{.*}} = gpu.alloc async [%{{.*}}] () {bufferization.manual_deallocation} : memref<3x128xi32>
  // CHECK: %[[DM:.*]], %{{.*}} = gpu.alloc async [%{{.*}}] () {bufferization.manual_deallocation} : memref<96x4xi32>
  // CHECK: %[[DP:.*]], %{{.*}} = gpu.alloc async [%{{.*}}] () {bufferization.manual_deallocation} : memref<96xi32>
  // CHECK: %[[DX:.*]], %{{.*}} = gpu.alloc async [%{{.*}}] () {bufferization.manual_deallocation} : memref<256x64xf16>
  // CHECK: %[[DO:.*]], %[[TO:.*]] = gpu.alloc async [%{{.*}}] () {bufferization.manual_deallocation} : memref<80x64xf32>
  // 80 rows -> 96 padded rows / 32-row tiles (block-m reduced to V) = 3 blocks.
  // CHECK: %[[L:.*]] = gpu.launch async [%[[TO]]] blocks({{.*}}) in ({{.*}} = %c3, {{.*}} = %c1, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c128, {{.*}} = %c1, {{.*}} = %c1)
  // CHECK-SAME: workgroup(%[[SA:.*]] : memref<3x32x16xf16, #gpu.address_space<workgroup>>, %[[SB:.*]] : memref<3x32x64xf16, #gpu.address_space<workgroup>>)
  // Prologue: stages - 1 = 2 tiles, each one commit group of 1 + 2 copies;
  // activation rows come from the vector index.
  // CHECK: %[[K0:.*]] = memref.load %[[DI]][
  // CHECK: %[[R0:.*]] = arith.index_castui %[[K0]]
  // CHECK: nvgpu.device_async_copy %[[DV]][{{.*}}], %[[SA]][{{.*}}], 8 {bypassL1}
  // CHECK: nvgpu.device_async_copy %[[DX]][%[[R0]], {{.*}}], %[[SB]][{{.*}}], 8 {bypassL1}
  // CHECK: nvgpu.device_async_copy %[[DX]]
  // CHECK: %[[G0:.*]] = nvgpu.device_async_create_group
  // CHECK: nvgpu.device_async_create_group
  // Steady state over k tiles [0, 2): global loads first (metadata words of
  // rows g and g+8, vector index entries of tile kt + 2), then wait,
  // barrier, prefetch copies, compute.
  // CHECK: scf.for %[[KT:.*]] = %c0 to %c2 step %c1 iter_args({{.*}}) -> (vector<2x2xf32>, vector<2x2xf32>, vector<2x2xf32>, vector<2x2xf32>)
  // CHECK: memref.load %[[DM]][%{{.*}}, %[[KT]]] : memref<96x4xi32>
  // CHECK: memref.load %[[DM]][%{{.*}}, %[[KT]]] : memref<96x4xi32>
  // CHECK: arith.shrui
  // CHECK: vector.bitcast %{{.*}} : vector<1xi32> to vector<2xi16>
  // CHECK: %[[NEXT:.*]] = arith.addi %[[KT]], %c2 : index
  // CHECK: memref.load %[[DI]][
  // CHECK: memref.load %[[DI]][
  // CHECK-NEXT: arith.index_castui
  // CHECK-NEXT: nvgpu.device_async_wait %[[G0]] {numGroups = 1 : i32}
  // CHECK-NEXT: gpu.barrier
  // CHECK: nvgpu.device_async_copy
  // CHECK: nvgpu.device_async_create_group
  // CHECK: nvgpu.ldmatrix %[[SA]][{{.*}}] {numTiles = 4 : i32, transpose = false}
  // CHECK-COUNT-4: nvgpu.ldmatrix %[[SB]][{{.*}}] {numTiles = 4 : i32, transpose = true}
  // CHECK-COUNT-4: nvgpu.mma.sp.sync({{.*}}) metadata({{.*}}) {mmaShape = [16, 8, 32]} : (vector<4x2xf16>, vector<4x2xf16>, vector<2x2xf32>) -> vector<2x2xf32>
  // CHECK: scf.yield
  // Drain over [2, 4): everything waited for, no prefetch.
  // CHECK: scf.for %{{.*}} = %c2 to %c4 step %c1
  // CHECK: vector.bitcast
  // CHECK-NEXT: nvgpu.device_async_wait %[[G0]] {numGroups = 0 : i32}
  // CHECK-NEXT: gpu.barrier
  // CHECK-NOT: nvgpu.device_async_copy
  // CHECK-COUNT-4: nvgpu.mma.sp.sync
  // CHECK: scf.yield
  // Epilogue: result row = perm[storage row], padding rows skipped.
  // CHECK: %[[PR:.*]] = memref.load %[[DP]][%{{.*}}] : memref<96xi32>
  // CHECK: %[[OR:.*]] = arith.index_castui %[[PR]] : i32 to index
  // CHECK: %[[IN:.*]] = arith.cmpi ult, %[[OR]], %c80 : index
  // CHECK: scf.if %[[IN]] {
  // CHECK: vector.extract %{{.*}}[0] : vector<2xf32> from vector<2x2xf32>
  // CHECK: vector.store %{{.*}}, %[[DO]][%[[OR]], %{{.*}}] {alignment = 8 : i64} : memref<80x64xf32>, vector<2xf32>
  // CHECK: vector.extract %{{.*}}[1] : vector<2xf32> from vector<2x2xf32>
  // CHECK: gpu.terminator
  // CHECK: } {hinm.tiling = {block_m = 32 : i64, block_n = 64 : i64, k_tile = 32 : i64, shared_bytes = 15360 : i64, stages = 3 : i64, warps_m = 2 : i64, warps_n = 2 : i64}}
  // CHECK: %[[H:.*]] = memref.alloc() : memref<80x64xf32>
  // CHECK: %[[T1:.*]] = gpu.memcpy async [%[[L]]] %[[H]], %[[DO]]
  // CHECK: gpu.dealloc async {{.*}} {bufferization.manual_deallocation}
  // CHECK: gpu.wait [
  // CHECK: %[[R:.*]] = bufferization.to_tensor %[[H]] restrict writable
  // CHECK: return %[[R]]
  // Default k-tile = 64: two mma.sp k steps per barrier; kept = 128 gives
  // two pipeline steps, both in flight after the prologue.
  // K64-LABEL: func.func @runtime_v32
  // K64: gpu.launch async
  // K64-SAME: workgroup(%[[SA:.*]] : memref<3x32x32xf16, #gpu.address_space<workgroup>>, %[[SB:.*]] : memref<3x64x64xf16, #gpu.address_space<workgroup>>)
  // K64-COUNT-2: nvgpu.device_async_create_group
  // K64: scf.for %[[KT:.*]] = %c0 to %c2 step %c1
  // K64: %[[W0:.*]] = arith.muli %[[KT]], %c2 : index
  // K64: memref.load %{{.*}}[%{{.*}}, %[[W0]]] : memref<96x4xi32>
  // K64: %[[W1:.*]] = arith.addi %[[W0]], %c1 : index
  // K64: memref.load %{{.*}}[%{{.*}}, %[[W1]]] : memref<96x4xi32>
  // K64: nvgpu.device_async_wait %{{.*}} {numGroups = 0 : i32}
  // K64-NEXT: gpu.barrier
  // K64-NOT: nvgpu.device_async_copy
  // K64: nvgpu.ldmatrix %[[SA]]
  // K64-COUNT-4: nvgpu.ldmatrix %[[SB]]
  // K64-COUNT-4: nvgpu.mma.sp.sync
  // K64: nvgpu.ldmatrix %[[SA]]
  // K64-COUNT-4: nvgpu.ldmatrix %[[SB]]
  // K64-COUNT-4: nvgpu.mma.sp.sync
  // K64: scf.yield
  // K64: k_tile = 64 : i64, shared_bytes = 30720 : i64
  // OPTS-LABEL: func.func @runtime_v32
  // OPTS: gpu.launch async {{.*}} in ({{.*}} = %c3, {{.*}} = %c2, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c64,
  // OPTS-SAME: workgroup({{.*}} : memref<4x32x16xf16, #gpu.address_space<workgroup>>, {{.*}} : memref<4x32x32xf16, #gpu.address_space<workgroup>>)
  // One steady-state iteration (unrolled by canonicalize), then the drain.
  // OPTS: nvgpu.device_async_wait %{{.*}} {numGroups = 2 : i32}
  // OPTS-COUNT-4: nvgpu.mma.sp.sync
  // OPTS: scf.for %{{.*}} = %c1 to %c4 step %c1
  %w = hinm.assemble %v, %i, %m, %p : !W80
  %y = hinm.matmul %w, %x : !W80, tensor<256x64xf16> -> tensor<80x64xf32>
  return %y : tensor<80x64xf32>
}

!W64 = !hinm.matrix<128x128xf16, #hinm.format<vector_size = 64, kept = 64, n = 2, m = 4>>

// A !hinm.matrix argument becomes its four storage tensors. f16 result: f16
// accumulation. N = 40 is not a multiple of block-n: zero-filled copies and
// guarded stores.
// CHECK-LABEL: func.func @matrix_arg_f16_acc
// CHECK-SAME: (%{{.*}}: tensor<128x32xf16>, %{{.*}}: tensor<2x64xi32>, %{{.*}}: tensor<128x2xi32>, %{{.*}}: tensor<128xi32>, %{{.*}}: tensor<128x40xf16>) -> tensor<128x40xf16>
// CHECK: gpu.launch async {{.*}} in ({{.*}} = %c2, {{.*}} = %c1, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c128,
// CHECK: %[[OK:.*]] = arith.cmpi ult, %{{.*}}, %c40 : index
// CHECK: %[[SRC:.*]] = arith.select %[[OK]], %{{.*}}, %c0 : index
// CHECK: %[[N:.*]] = arith.select %[[OK]], %c8, %c0 : index
// CHECK: nvgpu.device_async_copy %{{.*}}[%{{.*}}, %[[SRC]]], %{{.*}}[{{.*}}], 8, %[[N]] {bypassL1}
// CHECK-COUNT-8: nvgpu.mma.sp.sync({{.*}}) metadata({{.*}}) {mmaShape = [16, 8, 32]} : (vector<4x2xf16>, vector<4x2xf16>, vector<2x2xf16>) -> vector<2x2xf16>
// CHECK: scf.if
// CHECK: arith.cmpi ult, %{{.*}}, %c40 : index
// CHECK: scf.if
// CHECK: vector.store %{{.*}} {alignment = 4 : i64} : memref<128x40xf16>, vector<2xf16>
func.func @matrix_arg_f16_acc(%w: !W64, %x: tensor<128x40xf16>) -> tensor<128x40xf16> {
  %y = hinm.matmul %w, %x : !W64, tensor<128x40xf16> -> tensor<128x40xf16>
  return %y : tensor<128x40xf16>
}

!W24 = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 64, n = 2, m = 4>>

// Compile-time weights (assemble of constants) and the plain 2:4 form
// (kept == cols): the same kernel, the vector index is the identity. The
// four constant parts become private device globals (global memory space)
// that the kernel names; only the activations are copied in and the result
// back, so a call uploads no weights.
// CHECK-LABEL: func.func @constant_plain_2_4
// CHECK: gpu.wait async
// CHECK-NOT: gpu.memcpy
// CHECK: bufferization.to_buffer %{{.*}} read_only : tensor<64x64xf16>
// CHECK: gpu.memcpy
// CHECK-NOT: gpu.memcpy
// CHECK: gpu.launch
// CHECK-DAG: %[[GV:.*]] = memref.get_global @__hinm_values : memref<32x32xf16, #gpu.address_space<global>>
// CHECK-DAG: %[[GI:.*]] = memref.get_global @__hinm_vector_index : memref<1x64xi32, #gpu.address_space<global>>
// CHECK-DAG: %[[GM:.*]] = memref.get_global @__hinm_metadata : memref<32x2xi32, #gpu.address_space<global>>
// CHECK-DAG: %[[GP:.*]] = memref.get_global @__hinm_row_perm : memref<32xi32, #gpu.address_space<global>>
// CHECK: memref.load %[[GI]]
// CHECK: nvgpu.device_async_copy %[[GV]]
// CHECK: memref.load %[[GM]]
// CHECK-COUNT-4: nvgpu.mma.sp.sync
// CHECK: memref.load %[[GP]]
// CHECK: gpu.terminator
// CHECK: gpu.memcpy
// CHECK-NOT: gpu.memcpy
// CHECK-NOT: hinm.assemble
// CHECK-NOT: hinm.matmul
func.func @constant_plain_2_4(%x: tensor<64x64xf16>) -> tensor<32x64xf32> {
  %v = arith.constant dense<1.0> : tensor<32x32xf16>
  %i = arith.constant dense<[[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63]]> : tensor<1x64xi32>
  // Indices 0 and 2 of every group (0b1000 per group).
  %m = arith.constant dense<-2004318072> : tensor<32x2xi32>
  %p = arith.constant dense<[31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]> : tensor<32xi32>
  %w = hinm.assemble %v, %i, %m, %p : !W24
  %y = hinm.matmul %w, %x : !W24, tensor<64x64xf16> -> tensor<32x64xf32>
  return %y : tensor<32x64xf32>
}
