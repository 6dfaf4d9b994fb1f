// RUN: not hinm-opt %s --convert-hinm-to-nvgpu="stages=1" 2>&1 | FileCheck %s --check-prefix=STAGES
// RUN: not hinm-opt %s --convert-hinm-to-nvgpu="block-m=24" 2>&1 | FileCheck %s --check-prefix=BM
// RUN: not hinm-opt %s --convert-hinm-to-nvgpu="block-n=48" 2>&1 | FileCheck %s --check-prefix=BN
// RUN: not hinm-opt %s --convert-hinm-to-nvgpu="block-n=256 stages=8" 2>&1 | FileCheck %s --check-prefix=SMEM
// RUN: not hinm-opt %s --convert-hinm-to-nvgpu="chip=sm_75" 2>&1 | FileCheck %s --check-prefix=CHIP
// RUN: not hinm-opt %s --hinm-gpu-pipeline="chip=sm_70 format=isa" 2>&1 | FileCheck %s --check-prefix=CHIP70
// RUN: not hinm-opt %s --convert-hinm-to-nvgpu="chip=gfx90a" 2>&1 | FileCheck %s --check-prefix=NOTSM
// RUN: not hinm-opt %s --convert-hinm-to-nvgpu="ordered-metadata=yes" 2>&1 | FileCheck %s --check-prefix=ORDVAL
// RUN: not hinm-opt %s --convert-hinm-to-nvgpu="chip=sm_90 ordered-metadata=true features=+ptx80" 2>&1 | FileCheck %s --check-prefix=ORDPTX
// RUN: not hinm-opt %s --hinm-gpu-pipeline="chip=sm_80 ordered-metadata=true features=+ptx83 format=isa" 2>&1 | FileCheck %s --check-prefix=ORDPTXPIPE
// Bad tile options and chips without cp.async/mma.sp are diagnosed at the
// matmul (not left to the NVVM backend, which would abort), and the module is
// left as is.

!W = !hinm.matrix<64x64xf16, #hinm.format<vector_size = 64, kept = 32, n = 2, m = 4>>
// STAGES-LABEL: error
// STAGES-SAME: 'hinm.matmul' op cannot be lowered to the GPU kernel: stages must be >= 2
// BM: :[[@LINE+7]]:8: error: 'hinm.matmul' op cannot be lowered to the GPU kernel: block-m must be a positive multiple of 16, got 24
// BN: error: 'hinm.matmul' op cannot be lowered to the GPU kernel: block-n must be 8 times a power of two, got 48
// SMEM: error: 'hinm.matmul' op cannot be lowered to the GPU kernel: the tiles need 147456 bytes of shared memory, more than the 48 KiB
// CHIP: error: 'hinm.matmul' op cannot be lowered to the GPU kernel: chip sm_75 has no cp.async/mma.sp; the kernel needs sm_80 or newer
// CHIP70: error: 'hinm.matmul' op cannot be lowered to the GPU kernel: chip sm_70 has no cp.async/mma.sp
// NOTSM: error: 'hinm.matmul' op cannot be lowered to the GPU kernel: chip 'gfx90a' is not of the form sm_<number>
func.func @opts(%w: !W, %x: tensor<64x256xf16>) -> tensor<64x256xf32> {
  %y = hinm.matmul %w, %x : !W, tensor<64x256xf16> -> tensor<64x256xf32>
  return %y : tensor<64x256xf32>
}

// ORDVAL: error: 'hinm.matmul' op cannot be lowered to the GPU kernel: ordered-metadata must be auto, true or false, got 'yes'
// Ordered metadata below PTX 8.5 would abort the NVPTX backend.
// ORDPTX: error: 'hinm.matmul' op cannot be lowered to the GPU kernel: mma.sp::ordered_metadata needs PTX ISA 8.5 or newer, but the features ask for PTX 8.0; use features=+ptx85 or ordered-metadata=false
// ORDPTXPIPE: error: 'hinm.matmul' op cannot be lowered to the GPU kernel: mma.sp::ordered_metadata needs PTX ISA 8.5 or newer, but the features ask for PTX 8.3
