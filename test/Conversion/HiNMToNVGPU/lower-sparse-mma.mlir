// RUN: hinm-opt %s --split-input-file --hinm-lower-sparse-mma --verify-diagnostics | FileCheck %s
// hinm-lower-sparse-mma: nvgpu.mma.sp.sync with ordered metadata or bf16
// operands becomes nvvm.mma.sp.sync (registers unpacked in the order of
// upstream's inline-asm lowering); plain f16 ones are left to upstream.

// CHECK-LABEL: func.func @ordered_f16_f32
// CHECK-SAME: (%[[A:.*]]: vector<4x2xf16>, %[[B:.*]]: vector<4x2xf16>, %[[C:.*]]: vector<2x2xf32>, %[[M:.*]]: vector<2xi16>)
// CHECK-DAG: %[[A0:.*]] = vector.extract %[[A]][0] : vector<2xf16> from vector<4x2xf16>
// CHECK-DAG: %[[A3:.*]] = vector.extract %[[A]][3] : vector<2xf16> from vector<4x2xf16>
// CHECK-DAG: %[[B0:.*]] = vector.extract %[[B]][0] : vector<2xf16> from vector<4x2xf16>
// CHECK-DAG: %[[C00:.*]] = vector.extract %[[C]][0, 0] : f32 from vector<2x2xf32>
// CHECK-DAG: %[[C01:.*]] = vector.extract %[[C]][0, 1] : f32 from vector<2x2xf32>
// CHECK-DAG: %[[C10:.*]] = vector.extract %[[C]][1, 0] : f32 from vector<2x2xf32>
// CHECK-DAG: %[[C11:.*]] = vector.extract %[[C]][1, 1] : f32 from vector<2x2xf32>
// CHECK-DAG: %[[MV:.*]] = vector.bitcast %[[M]] : vector<2xi16> to vector<1xi32>
// CHECK-DAG: %[[MI:.*]] = vector.extract %[[MV]][0] : i32 from vector<1xi32>
// CHECK-DAG: %[[SEL:.*]] = llvm.mlir.constant(0 : i32) : i32
// CHECK: %[[D:.*]] = nvvm.mma.sp.sync A[%[[A0]], %{{.*}}, %{{.*}}, %[[A3]]] B[%[[B0]], %{{.*}}, %{{.*}}, %{{.*}}] C[%[[C00]], %[[C01]], %[[C10]], %[[C11]]] sparseMetadata[%[[MI]]] selector[%[[SEL]]]
// CHECK-SAME: orderedMetadata
// CHECK-SAME: shape = #nvvm.shape<m = 16, n = 8, k = 32>
// CHECK-SAME: -> !llvm.struct<(f32, f32, f32, f32)>
// CHECK: %[[D0:.*]] = llvm.extractvalue %[[D]][0]
// CHECK: %[[D3:.*]] = llvm.extractvalue %[[D]][3]
// CHECK: %[[R:.*]] = vector.from_elements %[[D0]], %{{.*}}, %{{.*}}, %[[D3]] : vector<2x2xf32>
// CHECK: return %[[R]]
func.func @ordered_f16_f32(%a: vector<4x2xf16>, %b: vector<4x2xf16>, %c: vector<2x2xf32>, %m: vector<2xi16>) -> vector<2x2xf32> {
  %d = nvgpu.mma.sp.sync(%a, %b, %c) metadata(%m) {mmaShape = [16, 8, 32], hinm.ordered_metadata} : (vector<4x2xf16>, vector<4x2xf16>, vector<2x2xf32>) -> vector<2x2xf32>
  return %d : vector<2x2xf32>
}

// -----

// f16 accumulation: C and D are two vector<2xf16> registers.
// CHECK-LABEL: func.func @ordered_f16_f16
// CHECK: %[[C0:.*]] = vector.extract %{{.*}}[0] : vector<2xf16> from vector<2x2xf16>
// CHECK: %[[C1:.*]] = vector.extract %{{.*}}[1] : vector<2xf16> from vector<2x2xf16>
// CHECK: %[[D:.*]] = nvvm.mma.sp.sync {{.*}} C[%[[C0]], %[[C1]]]
// CHECK-SAME: orderedMetadata
// CHECK-SAME: -> !llvm.struct<(vector<2xf16>, vector<2xf16>)>
// CHECK: llvm.extractvalue %[[D]][0]
// CHECK: llvm.extractvalue %[[D]][1]
// CHECK: vector.insert
// CHECK: vector.insert
func.func @ordered_f16_f16(%a: vector<4x2xf16>, %b: vector<4x2xf16>, %c: vector<2x2xf16>, %m: vector<2xi16>) -> vector<2x2xf16> {
  %d = nvgpu.mma.sp.sync(%a, %b, %c) metadata(%m) {mmaShape = [16, 8, 32], hinm.ordered_metadata} : (vector<4x2xf16>, vector<4x2xf16>, vector<2x2xf16>) -> vector<2x2xf16>
  return %d : vector<2x2xf16>
}

// -----

// bf16 (upstream's lowering cannot take it): each register is an i32 of two
// packed bf16, the multiplicand types say bf16; no ordered metadata unless
// asked for.
// CHECK-LABEL: func.func @bf16_plain
// CHECK: %[[R0:.*]] = vector.extract %{{.*}}[0] : vector<2xbf16> from vector<4x2xbf16>
// CHECK: %[[I0:.*]] = vector.bitcast %[[R0]] : vector<2xbf16> to vector<1xi32>
// CHECK: %[[A0:.*]] = vector.extract %[[I0]][0] : i32 from vector<1xi32>
// CHECK: nvvm.mma.sp.sync A[%[[A0]],
// CHECK-NOT: orderedMetadata
// CHECK-SAME: multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>
// CHECK-SAME: (i32, i32, f32) -> !llvm.struct<(f32, f32, f32, f32)>
func.func @bf16_plain(%a: vector<4x2xbf16>, %b: vector<4x2xbf16>, %c: vector<2x2xf32>, %m: vector<2xi16>) -> vector<2x2xf32> {
  %d = nvgpu.mma.sp.sync(%a, %b, %c) metadata(%m) {mmaShape = [16, 8, 32]} : (vector<4x2xbf16>, vector<4x2xbf16>, vector<2x2xf32>) -> vector<2x2xf32>
  return %d : vector<2x2xf32>
}

// -----

// Plain f16: left for upstream's convert-nvgpu-to-nvvm.
// CHECK-LABEL: func.func @plain_f16
// CHECK: nvgpu.mma.sp.sync
// CHECK-NOT: nvvm.mma.sp.sync
func.func @plain_f16(%a: vector<4x2xf16>, %b: vector<4x2xf16>, %c: vector<2x2xf32>, %m: vector<2xi16>) -> vector<2x2xf32> {
  %d = nvgpu.mma.sp.sync(%a, %b, %c) metadata(%m) {mmaShape = [16, 8, 32]} : (vector<4x2xf16>, vector<4x2xf16>, vector<2x2xf32>) -> vector<2x2xf32>
  return %d : vector<2x2xf32>
}

// -----

// A marked op the rewrite cannot take is reported, not silently left plain.
func.func @ordered_k16(%a: vector<2x2xf16>, %b: vector<2x2xf16>, %c: vector<2x2xf32>, %m: vector<2xi16>) -> vector<2x2xf32> {
  // expected-error @+1 {{'nvgpu.mma.sp.sync' op cannot be lowered to nvvm.mma.sp.sync}}
  %d = nvgpu.mma.sp.sync(%a, %b, %c) metadata(%m) {mmaShape = [16, 8, 16], hinm.ordered_metadata} : (vector<2x2xf16>, vector<2x2xf16>, vector<2x2xf32>) -> vector<2x2xf32>
  return %d : vector<2x2xf32>
}
