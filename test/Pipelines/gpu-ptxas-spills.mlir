// REQUIRES: ptxas
// The default kernels do not spill registers: a run-time 128 x 512 weight,
// V = 32, kept = 256, N = 64 (f16 and bf16) used to get 128 registers and 4
// bytes of spill stores on sm_80, from ptxas's own 128-register aim for a
// 128-thread kernel on sm_80; kernels for sm_80 to sm_89 now carry
// .minnctapersm 1 (convert-hinm-to-nvgpu + hinm-align-workgroup-buffers),
// which lets ptxas use what they need. For sm_90 ptxas does not spill them
// without it (and would use more registers with it), so it is left out.
// RUN: hinm-opt %S/Inputs/runtime-v32-k256.mlir --hinm-gpu-pipeline="chip=sm_80 format=isa" --hinm-print-isa=output=%t.f16.ptx -o /dev/null
// RUN: FileCheck %s --check-prefix=PTX < %t.f16.ptx
// RUN: %ptxas -arch=sm_80 -v %t.f16.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefixes=CHECK,F16
// RUN: %ptxas -arch=sm_90 -v %t.f16.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefixes=CHECK,F16
// RUN: hinm-opt %S/Inputs/runtime-v32-k256-bf16.mlir --hinm-gpu-pipeline="chip=sm_80 format=isa" --hinm-print-isa=output=%t.bf16.ptx -o /dev/null
// RUN: %ptxas -arch=sm_80 -v %t.bf16.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefixes=CHECK,BF16
// RUN: hinm-opt %S/Inputs/runtime-v32-k256.mlir --hinm-gpu-pipeline="chip=sm_90 format=isa" --hinm-print-isa=output=%t.f16o.ptx -o /dev/null
// RUN: FileCheck %s --check-prefix=PTX90 < %t.f16o.ptx
// RUN: %ptxas -arch=sm_90 -v %t.f16o.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefixes=CHECK,F16
// RUN: hinm-opt %S/Inputs/runtime-v32-k256-bf16.mlir --hinm-gpu-pipeline="chip=sm_90 format=isa" --hinm-print-isa=output=%t.bf16o.ptx -o /dev/null
// RUN: %ptxas -arch=sm_90 -v %t.bf16o.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefixes=CHECK,BF16
// The same PTX with the directive removed spills on sm_80 again (so the
// check above can fail, and the directive is what fixes it):
// RUN: grep -v minnctapersm %t.f16.ptx > %t.nodirective.ptx
// RUN: %ptxas -arch=sm_80 -v %t.nodirective.ptx -o /dev/null 2>&1 | FileCheck %s --check-prefix=SPILL

// PTX: .maxntid 128, 1, 1
// PTX-NEXT: .minnctapersm 1
// PTX90: .maxntid 128, 1, 1
// PTX90-NOT: .minnctapersm

// F16: Compiling entry function 'runtime_v32_k256_kernel'
// BF16: Compiling entry function 'runtime_v32_k256_bf16_kernel'
// CHECK: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// CHECK: Used {{[0-9]+}} registers, used 1 barriers, 30720 bytes smem

// SPILL: Used 128 registers
// SPILL-SAME: bytes cumulative stack size
