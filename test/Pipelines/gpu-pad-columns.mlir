// RUN: hinm-opt %s --hinm-gpu-pipeline="chip=sm_80 format=isa" --hinm-print-isa -o /dev/null | FileCheck %s
// RUN: hinm-opt %s --hinm-gpu-pipeline="chip=sm_80 format=isa" | FileCheck %s --check-prefix=HOST
// RUN: not hinm-opt %s --convert-hinm-to-nvgpu 2>&1 | FileCheck %s --check-prefix=DIRECT
// A batch of one: N = 1 is not a multiple of the kernel's 8-column
// activation rows. --hinm-gpu-pipeline pads it (hinm-pad-matmul-columns) and
// compiles the padded matmul; the conversion alone rejects it and names the
// pass.

// CHECK-LABEL: .visible .entry n1_kernel(
// CHECK: cp.async.cg.shared.global
// CHECK: mma.sp.sync.aligned.m16n8k32.row.col.f32.f16.f16.f32
// HOST-LABEL: llvm.func @n1(
// HOST: gpu.launch_func
// DIRECT: error: 'hinm.matmul' op cannot be lowered to the GPU kernel: N must be a multiple of 8 (16-byte cp.async rows), got 1; --hinm-pad-matmul-columns (part of --hinm-gpu-pipeline) pads it

// A dynamic N is padded at run time and compiles too.
// CHECK-LABEL: .visible .entry dynamic_kernel(
// CHECK: mma.sp.sync.aligned.m16n8k32.row.col.f32.f16.f16.f32
// HOST-LABEL: llvm.func @dynamic(
// HOST: gpu.launch_func

!W = !hinm.matrix<80x512xf16, #hinm.format<vector_size = 32, kept = 256, n = 2, m = 4>>
func.func @n1(%w: !W, %x: tensor<512x1xf16>) -> tensor<80x1xf32> {
  %y = hinm.matmul %w, %x : !W, tensor<512x1xf16> -> tensor<80x1xf32>
  return %y : tensor<80x1xf32>
}

func.func @dynamic(%w: !W, %x: tensor<512x?xf16>) -> tensor<80x?xf32> {
  %y = hinm.matmul %w, %x : !W, tensor<512x?xf16> -> tensor<80x?xf32>
  return %y : tensor<80x?xf32>
}
