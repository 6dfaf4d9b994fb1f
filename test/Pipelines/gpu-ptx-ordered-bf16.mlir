// RUN: hinm-opt %S/Inputs/const-v32-f32.mlir --hinm-gpu-pipeline="chip=sm_90 format=isa" --hinm-print-isa -o /dev/null | FileCheck %s --check-prefix=ORD90 --implicit-check-not=mma.sp.sync
// RUN: hinm-opt %S/Inputs/const-v32-f32.mlir --hinm-gpu-pipeline="chip=sm_90 format=isa ordered-metadata=false" --hinm-print-isa -o /dev/null | FileCheck %s --check-prefix=PLAIN90 --implicit-check-not=ordered_metadata
// RUN: hinm-opt %S/Inputs/const-v32-f32.mlir --hinm-gpu-pipeline="chip=sm_90 format=isa features=+ptx80" --hinm-print-isa -o /dev/null | FileCheck %s --check-prefix=PLAIN90 --implicit-check-not=ordered_metadata
// RUN: hinm-opt %S/Inputs/const-v32-f32.mlir --hinm-gpu-pipeline="chip=sm_80 format=isa" --hinm-print-isa -o /dev/null | FileCheck %s --check-prefix=PLAIN80 --implicit-check-not=ordered_metadata
// RUN: hinm-opt %S/Inputs/const-v32-f32.mlir --hinm-gpu-pipeline="chip=sm_80 format=isa ordered-metadata=true" --hinm-print-isa -o /dev/null | FileCheck %s --check-prefix=ORD80 --implicit-check-not=mma.sp.sync
// RUN: hinm-opt %S/Inputs/runtime-v64-f16.mlir --hinm-gpu-pipeline="chip=sm_90 format=isa" --hinm-print-isa -o /dev/null | FileCheck %s --check-prefix=ORDF16 --implicit-check-not=mma.sp.sync
// RUN: hinm-opt %S/Inputs/runtime-v32-bf16.mlir --hinm-gpu-pipeline="chip=sm_80 format=isa" --hinm-print-isa -o /dev/null | FileCheck %s --check-prefix=BF80 --implicit-check-not=ordered_metadata
// RUN: hinm-opt %S/Inputs/runtime-v32-bf16.mlir --hinm-gpu-pipeline="chip=sm_90 format=isa" --hinm-print-isa -o /dev/null | FileCheck %s --check-prefix=BF90 --implicit-check-not=mma.sp.sync
// RUN: hinm-opt %S/Inputs/const-v32-f32.mlir --hinm-gpu-pipeline="chip=sm_90 format=isa" | FileCheck %s --check-prefix=HOST90
// The sparse MMA the GPU pipeline emits: mma.sp::ordered_metadata by default
// from sm_90 on (PTX ISA 8.5 picked for it), plain mma.sp for sm_80, with
// ordered-metadata=false, or when the features ask for a PTX version before
// 8.5; ordered on sm_80 when asked for; bf16 weights and activations with f32
// accumulation in both forms.

// ORD90: .version 8.5
// ORD90: .target sm_90
// ORD90-LABEL: .visible .entry const_v32_kernel(
// ORD90: mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.f32.f16.f16.f32
// The metadata register and sparsity selector 0 close the operand list.
// ORD90-NEXT: {%r{{[0-9]+}}, %r{{[0-9]+}}, %r{{[0-9]+}}, %r{{[0-9]+}}},
// ORD90-NEXT: {%r{{[0-9]+}}, %r{{[0-9]+}}, %r{{[0-9]+}}, %r{{[0-9]+}}},
// ORD90-NEXT: {%r{{[0-9]+}}, %r{{[0-9]+}}, %r{{[0-9]+}}, %r{{[0-9]+}}},
// ORD90-NEXT: {%r{{[0-9]+}}, %r{{[0-9]+}}, %r{{[0-9]+}}, %r{{[0-9]+}}},
// ORD90-NEXT: %r{{[0-9]+}},
// ORD90-NEXT: 0;

// PLAIN90: .version 8.0
// PLAIN90: .target sm_90
// PLAIN90: mma.sp.sync.aligned.m16n8k32.row.col.f32.f16.f16.f32

// PLAIN80: .version 8.0
// PLAIN80: .target sm_80
// PLAIN80: mma.sp.sync.aligned.m16n8k32.row.col.f32.f16.f16.f32

// ORD80: .version 8.5
// ORD80: .target sm_80
// ORD80: mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.f32.f16.f16.f32

// ORDF16-LABEL: .visible .entry runtime_v64_f16_kernel(
// ORDF16: mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.f16.f16.f16.f16

// BF80: .target sm_80
// BF80-LABEL: .visible .entry runtime_v32_bf16_kernel(
// BF80: ldmatrix.sync.aligned.m8n8.x4.shared.b16
// BF80: ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16
// BF80: mma.sp.sync.aligned.m16n8k32.row.col.f32.bf16.bf16.f32
// BF80: st.global.v2.b32

// BF90: .version 8.5
// BF90-LABEL: .visible .entry runtime_v32_bf16_kernel(
// BF90: mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.f32.bf16.bf16.f32

// HOST90: gpu.binary @const_v32_kernel
// HOST90-SAME: #nvvm.target<O = 3, chip = "sm_90", features = "+ptx85">
