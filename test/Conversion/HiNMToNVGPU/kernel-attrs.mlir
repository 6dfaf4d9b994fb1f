// RUN: hinm-opt %s --convert-hinm-to-nvgpu --gpu-kernel-outlining --hinm-align-workgroup-buffers | FileCheck %s
// After outlining (the first steps of --hinm-gpu-pipeline), the kernel
// carries its launch configuration: hinm.tiling (recovered from the launch
// location), upstream's known block/grid sizes and 16-byte aligned shared
// tiles; the host launches it with the same grid and block. No launch bounds
// beyond .maxntid: ptxas does not spill the default kernels without them
// (test/Pipelines/gpu-ptxas-spills.mlir).

!W = !hinm.matrix<80x256xf16, #hinm.format<vector_size = 32, kept = 128, n = 2, m = 4>>

// CHECK-LABEL: func.func @tiled
// CHECK: gpu.launch_func async [%{{.*}}] @tiled_kernel::@tiled_kernel blocks in (%c3{{[_0-9]*}}, %c1{{[_0-9]*}}, %c1{{[_0-9]*}}) threads in (%c128{{[_0-9]*}}, %c1{{[_0-9]*}}, %c1{{[_0-9]*}})
// CHECK: gpu.func @tiled_kernel(
// CHECK-SAME: workgroup(%{{.*}} : memref<3x32x32xf16, #gpu.address_space<workgroup>> {llvm.align = 16 : i64}, %{{.*}} : memref<3x64x64xf16, #gpu.address_space<workgroup>> {llvm.align = 16 : i64})
// CHECK-SAME: kernel attributes {hinm.tiling = {block_m = 32 : i64, block_n = 64 : i64, k_tile = 64 : i64, shared_bytes = 30720 : i64, stages = 3 : i64, warps_m = 2 : i64, warps_n = 2 : i64}, known_block_size = array<i32: 128, 1, 1>, known_grid_size = array<i32: 3, 1, 1>}
// CHECK-NOT: nvvm.minctasm
func.func @tiled(%w: !W, %x: tensor<256x64xf16>) -> tensor<80x64xf32> {
  %y = hinm.matmul %w, %x : !W, tensor<256x64xf16> -> tensor<80x64xf32>
  return %y : tensor<80x64xf32>
}
