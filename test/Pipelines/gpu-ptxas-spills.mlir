// REQUIRES: ptxas
// The default kernels do not spill registers: a run-time 128 x 512 weight,
// V = 32, kept = 256, N = 64 (f16 and bf16), for sm_80 and sm_90.
// They also do no run-time division: the pipeline sinks the index constants
// into the launch bodies before outlining (gpu-launch-sink-index-
// computations), so the tile sizes are immediates and divisions by them
// become shifts and masks. Before, outlining passed the constants that CSE
// shared with the host code as kernel parameters: 73 div/rem instructions
// in this kernel, 128 registers and 4 bytes of spill stores on sm_80, which
// a .minnctapersm 1 launch bound then worked around (it is gone).
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
// PTX-NOT: div.u
// PTX-NOT: rem.u
// PTX: .maxntid 128, 1, 1
// PTX-NOT: .minnctapersm
// PTX-NOT: div.u
// PTX-NOT: rem.u
// PTX90-NOT: div.u
// PTX90-NOT: rem.u
// PTX90: .maxntid 128, 1, 1
// PTX90-NOT: .minnctapersm
// PTX90-NOT: div.u
// PTX90-NOT: rem.u

// F16: Compiling entry function 'runtime_v32_k256_kernel'
// BF16: Compiling entry function 'runtime_v32_k256_bf16_kernel'
// CHECK: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// CHECK: Used {{[0-9]+}} registers, used 1 barriers, 30720 bytes smem

