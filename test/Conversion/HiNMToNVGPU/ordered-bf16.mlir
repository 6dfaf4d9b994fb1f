// RUN: hinm-opt %s --convert-hinm-to-nvgpu --canonicalize --cse | FileCheck %s --check-prefixes=CHECK,PLAIN
// RUN: hinm-opt %s --convert-hinm-to-nvgpu="chip=sm_90" --canonicalize --cse | FileCheck %s --check-prefixes=CHECK,ORDERED
// RUN: hinm-opt %s --convert-hinm-to-nvgpu="chip=sm_80 ordered-metadata=true" --canonicalize --cse | FileCheck %s --check-prefixes=CHECK,ORDERED
// RUN: hinm-opt %s --convert-hinm-to-nvgpu="chip=sm_90 ordered-metadata=false" --canonicalize --cse | FileCheck %s --check-prefixes=CHECK,PLAIN
// The ordered-metadata option (auto: on from sm_90) marks every mma.sp of the
// kernel with hinm.ordered_metadata; bf16 weights and activations give bf16
// shared tiles and fragments with an f32 accumulator.

!WF16 = !hinm.matrix<64x128xf16, #hinm.format<vector_size = 32, kept = 64, n = 2, m = 4>>
!WBF16 = !hinm.matrix<64x128xbf16, #hinm.format<vector_size = 32, kept = 64, n = 2, m = 4>>

// CHECK-LABEL: func.func @f16
// CHECK: gpu.launch
// PLAIN: nvgpu.mma.sp.sync({{.*}}) metadata({{.*}}) {mmaShape = [16, 8, 32]} : (vector<4x2xf16>, vector<4x2xf16>, vector<2x2xf32>) -> vector<2x2xf32>
// ORDERED: nvgpu.mma.sp.sync({{.*}}) metadata({{.*}}) {hinm.ordered_metadata, mmaShape = [16, 8, 32]} : (vector<4x2xf16>, vector<4x2xf16>, vector<2x2xf32>) -> vector<2x2xf32>
// PLAIN-NOT: hinm.ordered_metadata
func.func @f16(%w: !WF16, %x: tensor<128x64xf16>) -> tensor<64x64xf32> {
  %y = hinm.matmul %w, %x : !WF16, tensor<128x64xf16> -> tensor<64x64xf32>
  return %y : tensor<64x64xf32>
}

// CHECK-LABEL: func.func @bf16
// CHECK-SAME: tensor<64x32xbf16>
// CHECK: gpu.alloc async {{.*}} : memref<128x64xbf16>
// CHECK: gpu.launch
// CHECK-SAME: workgroup(%[[SA:.*]] : memref<3x32x32xbf16, #gpu.address_space<workgroup>>, %[[SB:.*]] : memref<3x64x64xbf16, #gpu.address_space<workgroup>>)
// CHECK: nvgpu.ldmatrix %[[SA]][{{.*}}] {numTiles = 4 : i32, transpose = false} : memref<3x32x32xbf16, #gpu.address_space<workgroup>> -> vector<4x2xbf16>
// CHECK: nvgpu.ldmatrix %[[SB]][{{.*}}] {numTiles = 4 : i32, transpose = true} : memref<3x64x64xbf16, #gpu.address_space<workgroup>> -> vector<4x2xbf16>
// PLAIN: nvgpu.mma.sp.sync({{.*}}) metadata({{.*}}) {mmaShape = [16, 8, 32]} : (vector<4x2xbf16>, vector<4x2xbf16>, vector<2x2xf32>) -> vector<2x2xf32>
// ORDERED: nvgpu.mma.sp.sync({{.*}}) metadata({{.*}}) {hinm.ordered_metadata, mmaShape = [16, 8, 32]} : (vector<4x2xbf16>, vector<4x2xbf16>, vector<2x2xf32>) -> vector<2x2xf32>
// PLAIN-NOT: hinm.ordered_metadata
func.func @bf16(%v: tensor<64x32xbf16>, %i: tensor<2x64xi32>, %m: tensor<64x2xi32>,
                %p: tensor<64xi32>, %x: tensor<128x64xbf16>) -> tensor<64x64xf32> {
  %w = hinm.assemble %v, %i, %m, %p : !WBF16
  %y = hinm.matmul %w, %x : !WBF16, tensor<128x64xbf16> -> tensor<64x64xf32>
  return %y : tensor<64x64xf32>
}
