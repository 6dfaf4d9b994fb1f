// RUN: hinm-opt %s --hinm-gpu-pipeline="chip=sm_80 format=isa fuse-epilogue=false" | FileCheck %s
// RUN: hinm-opt %s --hinm-gpu-pipeline="chip=sm_80 format=isa" | FileCheck %s --check-prefix=FUSED
// Host-side linalg around the GPU matmul (a bias add here, kept on the host
// by fuse-epilogue=false) is lowered to loops on the CPU; the module comes
// out as LLVM dialect plus a gpu.binary. By default the add is fused into
// the kernel's store instead: no float add is left on the host.

!W = !hinm.matrix<64x128xf16, #hinm.format<vector_size = 64, kept = 64, n = 2, m = 4>>

// CHECK-LABEL: llvm.func @bias(
// CHECK: gpu.launch_func <%{{.*}} : !llvm.ptr> @bias_kernel::@bias_kernel
// CHECK: llvm.fadd
// CHECK-NOT: linalg.
// CHECK: gpu.binary @bias_kernel
// FUSED-LABEL: llvm.func @bias(
// FUSED-NOT: llvm.fadd
// FUSED: gpu.launch_func
// FUSED-NOT: llvm.fadd
// FUSED: llvm.return
// FUSED: gpu.binary @bias_kernel
// FUSED-SAME: add.rn.f32
func.func @bias(%w: !W, %x: tensor<128x32xf16>, %b: tensor<64x32xf32>) -> tensor<64x32xf32> {
  %y = hinm.matmul %w, %x : !W, tensor<128x32xf16> -> tensor<64x32xf32>
  %init = tensor.empty() : tensor<64x32xf32>
  %z = linalg.add ins(%y, %b : tensor<64x32xf32>, tensor<64x32xf32>) outs(%init : tensor<64x32xf32>) -> tensor<64x32xf32>
  return %z : tensor<64x32xf32>
}
