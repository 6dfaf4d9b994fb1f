// REQUIRES: ptxas
// RUN: hinm-opt %S/Inputs/const-v32-f32.mlir --hinm-gpu-pipeline="chip=sm_80 format=isa" --hinm-print-isa=output=%t.const.ptx -o /dev/null
// RUN: %ptxas -arch=sm_80 -v %t.const.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefixes=CHECK,SM80,CONST
// RUN: %ptxas -arch=sm_90 -v %t.const.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefixes=CHECK,SM90,CONST
// RUN: hinm-opt %S/Inputs/runtime-v64-f16.mlir --hinm-gpu-pipeline="chip=sm_80 format=isa" --hinm-print-isa=output=%t.f16.ptx -o /dev/null
// RUN: %ptxas -arch=sm_80 -v %t.f16.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefixes=CHECK,SM80,F16
// RUN: %ptxas -arch=sm_90 -v %t.f16.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefixes=CHECK,SM90,F16
// RUN: hinm-opt %S/Inputs/runtime-v32-n40.mlir --hinm-gpu-pipeline="chip=sm_80 format=isa" --hinm-print-isa=output=%t.n40.ptx -o /dev/null
// RUN: %ptxas -arch=sm_80 -v %t.n40.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefixes=CHECK,SM80,N40
// RUN: %ptxas -arch=sm_90 -v %t.n40.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefixes=CHECK,SM90,N40
// RUN: hinm-opt %S/Inputs/runtime-v32-kept60.mlir --hinm-gpu-pipeline="chip=sm_80 format=isa" --hinm-print-isa=output=%t.k60.ptx -o /dev/null
// RUN: %ptxas -arch=sm_80 -v %t.k60.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefixes=CHECK,SM80,K60
// RUN: %ptxas -arch=sm_90 -v %t.k60.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefixes=CHECK,SM90,K60
// RUN: hinm-opt %S/Inputs/plain-2-4.mlir --hinm-gpu-pipeline="chip=sm_80 format=isa" --hinm-print-isa=output=%t.nm.ptx -o /dev/null
// RUN: %ptxas -arch=sm_80 -v %t.nm.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefixes=CHECK,SM80,NM
// RUN: %ptxas -arch=sm_90 -v %t.nm.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefixes=CHECK,SM90,NM
// RUN: hinm-opt %S/Inputs/runtime-v64-f16.mlir --hinm-gpu-pipeline="chip=sm_80 format=isa block-m=64 block-n=128 warps-m=2 warps-n=2 stages=4" --hinm-print-isa=output=%t.big.ptx -o /dev/null
// RUN: %ptxas -arch=sm_80 -v %t.big.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefixes=CHECK,SM80,BIG
// RUN: hinm-opt %S/Inputs/const-v32-f32.mlir --hinm-gpu-pipeline="chip=sm_90 format=isa" --hinm-print-isa=output=%t.ord90.ptx -o /dev/null
// RUN: %ptxas -arch=sm_90 -v %t.ord90.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefixes=CHECK,SM90,CONST --implicit-check-not=Advisory
// RUN: hinm-opt %S/Inputs/const-v32-f32.mlir --hinm-gpu-pipeline="chip=sm_80 format=isa ordered-metadata=true" --hinm-print-isa=output=%t.ord80.ptx -o /dev/null
// RUN: %ptxas -arch=sm_80 -v %t.ord80.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefixes=CHECK,SM80,CONST --implicit-check-not=Advisory
// RUN: hinm-opt %S/Inputs/runtime-v64-f16.mlir --hinm-gpu-pipeline="chip=sm_90 format=isa" --hinm-print-isa=output=%t.ordf16.ptx -o /dev/null
// RUN: %ptxas -arch=sm_90 -v %t.ordf16.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefixes=CHECK,SM90,F16 --implicit-check-not=Advisory
// RUN: hinm-opt %S/Inputs/runtime-v32-bf16.mlir --hinm-gpu-pipeline="chip=sm_80 format=isa" --hinm-print-isa=output=%t.bf80.ptx -o /dev/null
// RUN: %ptxas -arch=sm_80 -v %t.bf80.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefixes=CHECK,SM80,BF16
// RUN: hinm-opt %S/Inputs/runtime-v32-bf16.mlir --hinm-gpu-pipeline="chip=sm_90 format=isa" --hinm-print-isa=output=%t.bf90.ptx -o /dev/null
// RUN: %ptxas -arch=sm_90 -v %t.bf90.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefixes=CHECK,SM90,BF16 --implicit-check-not=Advisory
// RUN: hinm-opt %S/Inputs/runtime-v32-dynamic-n.mlir --hinm-gpu-pipeline="chip=sm_80 format=isa" --hinm-print-isa=output=%t.dyn80.ptx -o /dev/null
// RUN: %ptxas -arch=sm_80 -v %t.dyn80.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefixes=CHECK,SM80,DYN
// RUN: hinm-opt %S/Inputs/runtime-v32-dynamic-n.mlir --hinm-gpu-pipeline="chip=sm_90 format=isa" --hinm-print-isa=output=%t.dyn90.ptx -o /dev/null
// RUN: %ptxas -arch=sm_90 -v %t.dyn90.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefixes=CHECK,SM90,DYN --implicit-check-not=Advisory
// RUN: hinm-opt %S/Inputs/runtime-v32-epilogue.mlir --hinm-gpu-pipeline="chip=sm_80 format=isa" --hinm-print-isa=output=%t.epi80.ptx -o /dev/null
// RUN: %ptxas -arch=sm_80 -v %t.epi80.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefixes=CHECK,SM80,EPI
// RUN: hinm-opt %S/Inputs/runtime-v32-epilogue.mlir --hinm-gpu-pipeline="chip=sm_90 format=isa" --hinm-print-isa=output=%t.epi90.ptx -o /dev/null
// RUN: %ptxas -arch=sm_90 -v %t.epi90.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefixes=CHECK,SM90,EPI --implicit-check-not=Advisory
// RUN: %ptxas -arch=sm_90 %t.const.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefix=ADVISE
// RUN: hinm-opt %S/Inputs/const-v32-f32.mlir --hinm-gpu-pipeline="chip=sm_80 format=bin" | FileCheck %s --check-prefix=BINFMT
// RUN: hinm-opt %S/Inputs/const-v32-f32.mlir --hinm-gpu-pipeline="chip=sm_90 format=fatbin" | FileCheck %s --check-prefix=FATBIN
// The pipeline's own bin/fatbin formats (ptxas run by gpu-module-to-binary)
// produce binary objects for sm_80 and sm_90.
// BINFMT: gpu.binary @const_v32_kernel [#gpu.object<#nvvm.target<O = 3, chip = "sm_80", features = "+ptx80">, properties = {ISAToBinaryTimeInMs
// BINFMT-NOT: assembly =
// FATBIN: gpu.binary @const_v32_kernel [#gpu.object<#nvvm.target<O = 3, chip = "sm_90", features = "+ptx85">, properties = {ISAToBinaryTimeInMs
// FATBIN-NOT: assembly =
// ptxas accepts the generated PTX for sm_80 and sm_90 and the kernels do not
// spill; the registers and shared memory per kernel show in the log (-v).
// mma.sp::ordered_metadata (the sm_90 default; on sm_80 when asked for) and
// bf16 assemble too, and the ordered form silences ptxas's advisory, which
// plain mma.sp gets (ADVISE):
// ADVISE: Advisory: Modifier '.sp::ordered_metadata' should be used on instruction 'mma' instead of modifier '.sp'

// CONST: Compiling entry function 'const_v32_kernel'
// F16: Compiling entry function 'runtime_v64_f16_kernel'
// N40: Compiling entry function 'runtime_v32_n40_kernel'
// K60: Compiling entry function 'runtime_v32_kept60_kernel'
// NM: Compiling entry function 'plain_2_4_kernel'
// BIG: Compiling entry function 'runtime_v64_f16_kernel'
// BF16: Compiling entry function 'runtime_v32_bf16_kernel'
// DYN: Compiling entry function 'runtime_v32_dynamic_n_kernel'
// EPI: Compiling entry function 'runtime_v32_epilogue_kernel'
// SM80-SAME: for 'sm_80'
// SM90-SAME: for 'sm_90'
// CHECK: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// CHECK: Used {{[0-9]+}} registers, used 1 barriers
// CONST-SAME: 30720 bytes smem
// F16-SAME: 36864 bytes smem
// N40-SAME: 30720 bytes smem
// K60-SAME: 30720 bytes smem
// NM-SAME: 27648 bytes smem
// 64x128 tiles, 4 stages: a 64-wide k tile would need 80 KiB, so k-tile 32.
// BIG-SAME: 40960 bytes smem
// BF16-SAME: 30720 bytes smem
// DYN-SAME: 30720 bytes smem
// EPI-SAME: 30720 bytes smem
