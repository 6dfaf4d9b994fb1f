// REQUIRES: python-numpy
// RUN: %python %S/../Integration/GPU/hinm_gpu_check.py --compile-only --hinm-opt hinm-opt --rows 500 --cols 4096 --n 128 --v 32 --vector-sparsity 0.875 --weights runtime --seed 3 | FileCheck %s --check-prefix=PAD
// RUN: %python %S/../Integration/GPU/hinm_gpu_check.py --compile-only --hinm-opt hinm-opt --rows 256 --cols 1024 --n 64 --v 64 --vector-sparsity 0.25 --acc f16 --seed 4 | FileCheck %s --check-prefix=F16
// RUN: %python %S/../Integration/GPU/hinm_gpu_check.py --compile-only --hinm-opt hinm-opt --rows 1024 --cols 4096 --n 64 --v 16 --identity --weights runtime --seed 7 | FileCheck %s --check-prefix=NM
// RUN: %python %S/../Integration/GPU/hinm_gpu_check.py --compile-only --hinm-opt hinm-opt --rows 256 --cols 1024 --n 3 --v 32 --vector-sparsity 0.5 --weights runtime --seed 6 | FileCheck %s --check-prefix=N3
// RUN: %python %S/../Integration/GPU/hinm_gpu_check.py --compile-only --hinm-opt hinm-opt --rows 256 --cols 1024 --n 13 --v 32 --vector-sparsity 0.5 --weights runtime --seed 8 --dynamic-n | FileCheck %s --check-prefix=DYN
// RUN: %python %S/../Integration/GPU/hinm_gpu_check.py --compile-only --hinm-opt hinm-opt --rows 120 --cols 144 --n 40 --v 32 --kept 72 --weights const --seed 21 | FileCheck %s --check-prefix=KEPT72
// RUN: %python %S/../Integration/GPU/hinm_gpu_check.py --compile-only --hinm-opt hinm-opt --rows 500 --cols 120 --n 64 --v 64 --kept 60 --weights runtime --seed 22 | FileCheck %s --check-prefix=KEPT60
// RUN: %python %S/../Integration/GPU/hinm_gpu_check.py --compile-only --hinm-opt hinm-opt --rows 256 --cols 512 --n 40 --v 32 --weights runtime --seed 9 --epilogue | FileCheck %s --check-prefix=EPI
// RUN: %python %S/../Integration/GPU/hinm_gpu_check.py --compile-only --hinm-opt hinm-opt --rows 256 --cols 512 --n 64 --v 32 --weights const --seed 12 --two-layers 128 | FileCheck %s --check-prefix=TWO
// RUN: %python %S/../Integration/GPU/hinm_gpu_check.py --compile-only --hinm-opt hinm-opt --rows 256 --cols 512 --n 1 --v 32 --weights const --seed 13 --two-layers 96 | FileCheck %s --check-prefix=TWO1
// RUN: %python %S/../Integration/GPU/hinm_gpu_check.py --compile-only --hinm-opt hinm-opt --rows 64 --cols 256 --n 256 --v 32 --weights const --seed 15 --two-layers 96 --conv | FileCheck %s --check-prefix=CONV
// The programs of the GPU correctness tests (test/Integration/GPU, which need
// a device) are valid -- the hinm.assemble verifier accepts the generated
// storage -- and compile through --hinm-gpu-pipeline here, without a GPU.

// PAD: COMPILED: 500x4096 * 4096x128, V=32, kept=512, acc=f32, weights=runtime
// F16: COMPILED: 256x1024 * 1024x64, V=64, kept=768, acc=f16, weights=const
// NM: COMPILED: 1024x4096 * 4096x64, V=16, kept=4096, acc=f32, weights=runtime
// N3: COMPILED: 256x1024 * 1024x3, V=32, kept=512, acc=f32, weights=runtime
// DYN: COMPILED: 256x1024 * 1024x13, V=32, kept=512, acc=f32, weights=runtime, dynamic N
// KEPT72: COMPILED: 120x144 * 144x40, V=32, kept=72, acc=f32, weights=const
// KEPT60: COMPILED: 500x120 * 120x64, V=64, kept=60, acc=f32, weights=runtime
// EPI: COMPILED: 256x512 * 512x40, V=32, kept=256, acc=f32, weights=runtime, bias + ReLU
// TWO: COMPILED: 256x512 * 512x64, V=32, kept=256, acc=f32, weights=const, then 128x256 kept=128
// TWO1: COMPILED: 256x512 * 512x1, V=32, kept=256, acc=f32, weights=const, then 96x256 kept=128
// CONV: COMPILED: 64x256 * 256x256, V=32, kept=128, acc=f32, weights=const, then 96x576 kept=288 (3x3 conv on 64x16x16)
