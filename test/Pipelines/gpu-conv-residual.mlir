// RUN: hinm-opt %S/Inputs/conv-residual.mlir --hinm-sparsify="vector-size=16" --hinm-gpu-pipeline="chip=sm_80 format=isa" | FileCheck %s
// RUN: hinm-opt %S/Inputs/conv-residual.mlir --hinm-sparsify="vector-size=16" --hinm-gpu-pipeline="chip=sm_80 format=isa device-gather=false" | FileCheck %s --check-prefix=HOST
// A residual block through the whole GPU pipeline: the first convolution's
// activated result h0 feeds the next convolution (through a gather kernel)
// and the residual add after the third, which runs in the third kernel's
// epilogue and reads h0 from the device. Per call the host copies the
// input's im2col view in and the result out, and runs no float op: three
// mma.sp kernels and two gather kernels. (Before residual inputs stayed on
// the device: 5 copies; h0 came back and went over twice.)
// CHECK-LABEL: llvm.func @conv_residual(
// CHECK-NOT: llvm.fadd
// CHECK-NOT: llvm.intr.maximum
// CHECK-COUNT-2: llvm.call @mgpuMemcpy(
// CHECK-NOT: llvm.call @mgpuMemcpy(
// CHECK: llvm.return
// CHECK-COUNT-5: gpu.binary @conv_residual_kernel
// CHECK-NOT: gpu.binary

// Without gather kernels every result between the layers comes back for the
// padding and im2col on the host, and h0 goes over once more for the add.
// HOST-LABEL: llvm.func @conv_residual(
// HOST-COUNT-7: llvm.call @mgpuMemcpy(
// HOST-NOT: llvm.call @mgpuMemcpy(
// HOST: llvm.return
