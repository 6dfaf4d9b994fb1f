// REQUIRES: python-numpy, mlir-runner
// RUN: %python %S/../Integration/GPU/hinm_gpu_check.py --compile-only --hinm-opt hinm-opt --rows 500 --cols 2048 --n 200 --v 32 --vector-sparsity 0.75 --elt bf16 --weights runtime --seed 8 | FileCheck %s --check-prefix=BF16
// RUN: %python %S/../Integration/GPU/hinm_gpu_check.py --compile-only --hinm-opt hinm-opt --rows 768 --cols 2048 --n 128 --v 64 --vector-sparsity 0.5 --elt bf16 --weights const --chip sm_90 --features= --seed 9 | FileCheck %s --check-prefix=BF16ORD
// RUN: %python %S/../Integration/GPU/hinm_gpu_check.py --compile-only --hinm-opt hinm-opt --rows 256 --cols 1024 --n 64 --v 64 --vector-sparsity 0.25 --acc f16 --weights const --chip sm_90 --features= --seed 11 | FileCheck %s --check-prefix=ORDF16
// RUN: %python %S/../Integration/GPU/hinm_gpu_check.py --cpu --hinm-opt hinm-opt --mlir-runner mlir-runner --shared-libs=%mlir_runner_utils,%mlir_c_runner_utils --rows 100 --cols 512 --n 40 --v 32 --vector-sparsity 0.75 --elt bf16 --weights runtime --seed 8 | FileCheck %s --check-prefix=CPU
// RUN: %python %S/../Integration/GPU/hinm_gpu_check.py --cpu --hinm-opt hinm-opt --mlir-runner mlir-runner --shared-libs=%mlir_runner_utils,%mlir_c_runner_utils --rows 500 --cols 120 --n 64 --v 64 --kept 60 --weights runtime --seed 22 | FileCheck %s --check-prefix=CPU60
// RUN: not %python %S/../Integration/GPU/hinm_gpu_check.py --compile-only --hinm-opt hinm-opt --rows 256 --cols 1024 --n 64 --v 64 --elt bf16 --acc f16 2>&1 | FileCheck %s --check-prefix=BADACC
// The bf16 / ordered-metadata GPU correctness programs
// (test/Integration/GPU/bf16-ordered.mlir, which needs a device) compile here
// without a GPU; and the script's bf16 data (round to nearest even, the
// tensor constants' bit patterns) and numpy reference agree with the CPU
// pipeline on a small problem, so a GPU failure of those tests is the
// kernel's, not the script's.

// BF16: COMPILED: 500x2048 * 2048x200, V=32, kept=512, acc=f32, weights=runtime, elt=bf16
// BF16ORD: COMPILED: 768x2048 * 2048x128, V=64, kept=1024, acc=f32, weights=const, elt=bf16, chip=sm_90
// ORDF16: COMPILED: 256x1024 * 1024x64, V=64, kept=768, acc=f16, weights=const, chip=sm_90
// CPU: PASS: 100x512 * 512x40, V=32, kept=128, acc=f32, weights=runtime, elt=bf16, on the CPU: all 4000 elements match
// BADACC: error: bf16 needs --acc f32 (mma.sp has no bf16 accumulator)
// The data of the kept = 60 GPU case (hinm-matmul.mlir), run by the host pipeline.
// CPU60: PASS: 500x120 * 120x64, V=64, kept=60, acc=f32, weights=runtime, on the {{CPU}}: all 32000 elements match
