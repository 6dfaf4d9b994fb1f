// RUN: hinm-opt %s --hinm-gpu-pipeline="chip=sm_80 format=isa" --hinm-print-isa -o /dev/null | FileCheck %s
// RUN: hinm-opt %s --hinm-gpu-pipeline="chip=sm_80 format=isa" | FileCheck %s --check-prefix=HOST
// RUN: hinm-opt %S/Inputs/runtime-v32-n40.mlir --hinm-gpu-pipeline="chip=sm_80 format=isa" --hinm-print-isa -o /dev/null | FileCheck %s --check-prefix=ZFILL
// The whole GPU pipeline to PTX text: cp.async gather, ldmatrix x4 (plain
// and .trans), mma.sp m16n8k32 with f32 and f16 accumulation; and the host
// side left as LLVM dialect with one gpu.launch_func per matmul.
// N = 40 (not a multiple of block-n): activation chunks past N use the
// zero-filling cp.async form with a source size.
// ZFILL: cp.async.cg.shared.global [%rd{{[0-9]+}}], [%rd{{[0-9]+}}], 16, %r{{[0-9]+}};

!W32 = !hinm.matrix<80x512xf16, #hinm.format<vector_size = 32, kept = 256, n = 2, m = 4>>
!W64 = !hinm.matrix<128x256xf16, #hinm.format<vector_size = 64, kept = 64, n = 2, m = 4>>

// CHECK-LABEL: .visible .entry f32_acc_kernel(
// Shared tiles 16-byte aligned (cp.async 16 bytes, ldmatrix rows).
// CHECK: .shared .align 16 .b8 __wg_f32_acc_kernel_0[6144];
// CHECK: .shared .align 16 .b8 __wg_f32_acc_kernel_1[24576];
// CHECK: cp.async.cg.shared.global [%rd{{[0-9]+}}], [%rd{{[0-9]+}}], 16;
// CHECK: cp.async.commit_group;
// CHECK: cp.async.wait_group{{[[:space:]]+}}1;
// CHECK: bar.sync 0;
// CHECK: ldmatrix.sync.aligned.m8n8.x4.shared.b16
// CHECK: ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16
// CHECK: mma.sp.sync.aligned.m16n8k32.row.col.f32.f16.f16.f32
// CHECK: cp.async.wait_group{{[[:space:]]+}}0;
// CHECK: st.global.v2.b32
// HOST-LABEL: llvm.func @f32_acc(
// HOST: gpu.launch_func <%{{.*}} : !llvm.ptr> @f32_acc_kernel::@f32_acc_kernel blocks in (%{{.*}}, %{{.*}}, %{{.*}}) threads in (%{{.*}}, %{{.*}}, %{{.*}}) : i64
// HOST: gpu.binary @f32_acc_kernel
// HOST-SAME: #nvvm.target<O = 3, chip = "sm_80", features = "+ptx80">
func.func @f32_acc(%v: tensor<96x128xf16>, %i: tensor<3x256xi32>, %m: tensor<96x8xi32>,
                   %p: tensor<96xi32>, %x: tensor<512x64xf16>) -> tensor<80x64xf32> {
  %w = hinm.assemble %v, %i, %m, %p : !W32
  %y = hinm.matmul %w, %x : !W32, tensor<512x64xf16> -> tensor<80x64xf32>
  return %y : tensor<80x64xf32>
}

// CHECK-LABEL: .visible .entry f16_acc_kernel(
// The backend rotates this loop; only the instruction set is checked.
// CHECK-DAG: cp.async.cg.shared.global
// CHECK-DAG: ldmatrix.sync.aligned.m8n8.x4.shared.b16
// CHECK-DAG: ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16
// CHECK-DAG: mma.sp.sync.aligned.m16n8k32.row.col.f16.f16.f16.f16
// CHECK-DAG: st.global.b32
func.func @f16_acc(%w: !W64, %x: tensor<256x64xf16>) -> tensor<128x64xf16> {
  %y = hinm.matmul %w, %x : !W64, tensor<256x64xf16> -> tensor<128x64xf16>
  return %y : tensor<128x64xf16>
}
