// RUN: hinm-opt %S/Inputs/two-convs.mlir --hinm-sparsify="vector-size=32" --hinm-gpu-pipeline="chip=sm_80 format=isa" | FileCheck %s
// RUN: hinm-opt %S/Inputs/two-convs.mlir --hinm-sparsify="vector-size=32" --hinm-gpu-pipeline="chip=sm_80 format=isa device-gather=false" | FileCheck %s --check-prefix=HOST
// RUN: hinm-opt %S/Inputs/two-convs-nhwc.mlir --hinm-sparsify="vector-size=32" --hinm-gpu-pipeline="chip=sm_80 format=isa" | FileCheck %s --check-prefix=NHWC
// RUN: rm -rf %t.dir
// RUN: hinm-opt %S/Inputs/two-convs.mlir --hinm-sparsify="vector-size=32" --hinm-gpu-pipeline="chip=sm_80 format=isa" --hinm-print-isa="output=%t.dir split" -o /dev/null
// RUN: FileCheck %s --check-prefix=GATHER < %t.dir/two_convs_kernel_0.ptx
// RUN: FileCheck %s --check-prefix=EPI < %t.dir/two_convs_kernel.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_80 -v %t.dir/two_convs_kernel_0.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefix=PTXAS %}
// RUN: %if ptxas %{ %ptxas -arch=sm_90 -v %t.dir/two_convs_kernel_0.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefix=PTXAS %}
// Two sparsified convolutions through the whole GPU pipeline. The bias, ReLU
// and f16 cast after the first layer move before its reshape to NCHW
// (hinm-sink-result-reshapes) and run in the first kernel's epilogue.
// Between the two mma.sp kernels, the reshape, the zero padding, the second
// convolution's im2col gather and the zero rows of its padded kept count run
// as one gather kernel on the device, on f16 values. Per call the host copies
// only the input's im2col view in and the result out (2 copies; the weights
// and the bias are device globals) and runs no float op.

// CHECK-LABEL: llvm.func @two_convs(
// CHECK-NOT: llvm.fadd
// CHECK-NOT: llvm.intr.maximum
// CHECK-COUNT-2: llvm.call @mgpuMemcpy(
// CHECK-NOT: llvm.call @mgpuMemcpy(
// CHECK: llvm.return
// CHECK: gpu.binary @two_convs_kernel
// CHECK: gpu.binary @two_convs_kernel_0
// CHECK: gpu.binary @two_convs_kernel_1

// In NHWC the transposes back to NHWC join the gather between the layers,
// and the last one becomes a fourth kernel whose output is copied back.
// NHWC-LABEL: llvm.func @two_convs_nhwc(
// NHWC-NOT: llvm.fadd
// NHWC-NOT: llvm.intr.maximum
// NHWC-COUNT-2: llvm.call @mgpuMemcpy(
// NHWC-NOT: llvm.call @mgpuMemcpy(
// NHWC: llvm.return
// NHWC: gpu.binary @two_convs_nhwc_kernel
// NHWC: gpu.binary @two_convs_nhwc_kernel_0
// NHWC: gpu.binary @two_convs_nhwc_kernel_1
// NHWC: gpu.binary @two_convs_nhwc_kernel_2

// Without the gather kernel the first result comes back (its bias, ReLU and
// cast still applied by the first kernel), the padding and im2col run on
// the host, and the second layer's input goes over (4 copies).
// HOST-LABEL: llvm.func @two_convs(
// HOST-COUNT-2: llvm.call @mgpuMemcpy(
// HOST-NOT: llvm.intr.maximum
// HOST-NOT: llvm.fadd
// HOST-COUNT-2: llvm.call @mgpuMemcpy(
// HOST-NOT: llvm.call @mgpuMemcpy(
// HOST: llvm.return

// The first kernel applies the bias (from its device global), the ReLU
// (max.NaN) and the f16 cast before its store.
// EPI: .visible .entry two_convs_kernel(
// EPI-DAG: mma.sp
// EPI-DAG: max.NaN.f32
// EPI-DAG: cvt.rn.f16x2.f32
// The gather kernel: 256 threads, one element each, moving f16 values (the
// padding selected); no arithmetic on them is left.
// GATHER: .visible .entry two_convs_kernel(
// GATHER: .maxntid 256, 1, 1
// GATHER-NOT: div.u
// GATHER-NOT: max.NaN
// GATHER-NOT: cvt.rn.f16
// GATHER-DAG: ld.global.b16
// GATHER-DAG: selp.b16
// GATHER-DAG: st.global.b16
// PTXAS: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
