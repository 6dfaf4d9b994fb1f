// RUN: %python %S/hinm_gpu_check.py --hinm-opt hinm-opt --mlir-runner mlir-runner --shared-libs=%hinm_cuda_runtime,%mlir_runner_utils,%mlir_c_runner_utils --rows 1024 --cols 1024 --n 256 --v 32 --vector-sparsity 0.5 --weights const --seed 1 | FileCheck %s --check-prefix=V32
// RUN: %python %S/hinm_gpu_check.py --hinm-opt hinm-opt --mlir-runner mlir-runner --shared-libs=%hinm_cuda_runtime,%mlir_runner_utils,%mlir_c_runner_utils --rows 768 --cols 2048 --n 200 --v 64 --vector-sparsity 0.75 --weights runtime --seed 2 | FileCheck %s --check-prefix=V64
// RUN: %python %S/hinm_gpu_check.py --hinm-opt hinm-opt --mlir-runner mlir-runner --shared-libs=%hinm_cuda_runtime,%mlir_runner_utils,%mlir_c_runner_utils --rows 500 --cols 4096 --n 128 --v 32 --vector-sparsity 0.875 --weights runtime --seed 3 | FileCheck %s --check-prefix=PAD
// RUN: %python %S/hinm_gpu_check.py --hinm-opt hinm-opt --mlir-runner mlir-runner --shared-libs=%hinm_cuda_runtime,%mlir_runner_utils,%mlir_c_runner_utils --rows 256 --cols 1024 --n 64 --v 64 --vector-sparsity 0.25 --acc f16 --weights const --seed 4 | FileCheck %s --check-prefix=F16
// RUN: %python %S/hinm_gpu_check.py --hinm-opt hinm-opt --mlir-runner mlir-runner --shared-libs=%hinm_cuda_runtime,%mlir_runner_utils,%mlir_c_runner_utils --rows 768 --cols 2048 --n 200 --v 64 --vector-sparsity 0.5 --weights runtime --seed 5 --pipeline-options "block-m=64 block-n=128 warps-m=2 warps-n=2 stages=4" | FileCheck %s --check-prefix=TILES
// RUN: %python %S/hinm_gpu_check.py --hinm-opt hinm-opt --mlir-runner mlir-runner --shared-libs=%hinm_cuda_runtime,%mlir_runner_utils,%mlir_c_runner_utils --rows 256 --cols 1024 --n 3 --v 32 --vector-sparsity 0.5 --weights runtime --seed 6 | FileCheck %s --check-prefix=N3
// RUN: %python %S/hinm_gpu_check.py --hinm-opt hinm-opt --mlir-runner mlir-runner --shared-libs=%hinm_cuda_runtime,%mlir_runner_utils,%mlir_c_runner_utils --rows 128 --cols 512 --n 1 --v 64 --vector-sparsity 0.5 --weights const --seed 7 | FileCheck %s --check-prefix=N1
// RUN: %python %S/hinm_gpu_check.py --hinm-opt hinm-opt --mlir-runner mlir-runner --shared-libs=%hinm_cuda_runtime,%mlir_runner_utils,%mlir_c_runner_utils --rows 256 --cols 1024 --n 40 --v 32 --vector-sparsity 0.5 --weights runtime --seed 8 --dynamic-n | FileCheck %s --check-prefix=DYN40
// RUN: %python %S/hinm_gpu_check.py --hinm-opt hinm-opt --mlir-runner mlir-runner --shared-libs=%hinm_cuda_runtime,%mlir_runner_utils,%mlir_c_runner_utils --rows 256 --cols 1024 --n 13 --v 32 --vector-sparsity 0.5 --weights runtime --seed 8 --dynamic-n | FileCheck %s --check-prefix=DYN13
// RUN: %python %S/hinm_gpu_check.py --hinm-opt hinm-opt --mlir-runner mlir-runner --shared-libs=%hinm_cuda_runtime,%mlir_runner_utils,%mlir_c_runner_utils --rows 120 --cols 144 --n 40 --v 32 --kept 72 --weights const --seed 21 | FileCheck %s --check-prefix=KEPT72
// RUN: %python %S/hinm_gpu_check.py --hinm-opt hinm-opt --mlir-runner mlir-runner --shared-libs=%hinm_cuda_runtime,%mlir_runner_utils,%mlir_c_runner_utils --rows 500 --cols 120 --n 64 --v 64 --kept 60 --weights runtime --seed 22 | FileCheck %s --check-prefix=KEPT60
// RUN: %python %S/hinm_gpu_check.py --hinm-opt hinm-opt --mlir-runner mlir-runner --shared-libs=%hinm_cuda_runtime,%mlir_runner_utils,%mlir_c_runner_utils --rows 256 --cols 512 --n 40 --v 32 --weights runtime --seed 9 --epilogue | FileCheck %s --check-prefix=EPI32
// RUN: %python %S/hinm_gpu_check.py --hinm-opt hinm-opt --mlir-runner mlir-runner --shared-libs=%hinm_cuda_runtime,%mlir_runner_utils,%mlir_c_runner_utils --rows 120 --cols 512 --n 64 --v 64 --acc f16 --weights const --seed 10 --epilogue | FileCheck %s --check-prefix=EPI16
// RUN: %python %S/hinm_gpu_check.py --hinm-opt hinm-opt --mlir-runner mlir-runner --shared-libs=%hinm_cuda_runtime,%mlir_runner_utils,%mlir_c_runner_utils --rows 256 --cols 512 --n 64 --v 32 --weights const --seed 12 --two-layers 128 | FileCheck %s --check-prefix=TWO
// RUN: %python %S/hinm_gpu_check.py --hinm-opt hinm-opt --mlir-runner mlir-runner --shared-libs=%hinm_cuda_runtime,%mlir_runner_utils,%mlir_c_runner_utils --rows 256 --cols 512 --n 1 --v 32 --weights const --seed 13 --two-layers 96 | FileCheck %s --check-prefix=TWO1
// RUN: %python %S/hinm_gpu_check.py --hinm-opt hinm-opt --mlir-runner mlir-runner --shared-libs=%hinm_cuda_runtime,%mlir_runner_utils,%mlir_c_runner_utils --rows 64 --cols 256 --n 256 --v 32 --weights const --seed 15 --two-layers 96 --conv | FileCheck %s --check-prefix=CONV
// hinm.matmul on the GPU against numpy, every output element: K from 1024 to
// 4096, non-square, V = 32 / 64, vector sparsity 25% to 87.5%, f32 and f16
// accumulation, compile-time and run-time weights, rows moved by the
// permutation, rows (500) and N (200) not multiples of the tiles.

// V32: PASS: 1024x1024 * 1024x256, V=32, kept=512, acc=f32, weights=const: all 262144 elements match
// V64: PASS: 768x2048 * 2048x200, V=64, kept=512, acc=f32, weights=runtime: all 153600 elements match
// PAD: PASS: 500x4096 * 4096x128, V=32, kept=512, acc=f32, weights=runtime: all 64000 elements match
// F16: PASS: 256x1024 * 1024x64, V=64, kept=768, acc=f16, weights=const: all 16384 elements match
// N = 3 and N = 1 (a batch of one) go through hinm-pad-matmul-columns.
// N3: PASS: 256x1024 * 1024x3, V=32, kept=512, acc=f32, weights=runtime: all 768 elements match
// N1: PASS: 128x512 * 512x1, V=64, kept=256, acc=f32, weights=const: all 128 elements match
// A dynamic N (N read at run time; 13 is padded to 16 at run time).
// DYN40: PASS: 256x1024 * 1024x40, V=32, kept=512, acc=f32, weights=runtime, dynamic N: all 10240 elements match
// DYN13: PASS: 256x1024 * 1024x13, V=32, kept=512, acc=f32, weights=runtime, dynamic N: all 3328 elements match
// TILES: PASS: 768x2048 * 2048x200, V=64, kept=1024, acc=f32, weights=runtime: all 153600 elements match
// Kept counts that are not a multiple of 32 (a 144-column conv at 50%, a
// 120-column linear layer) go through hinm-pad-matmul-kept.
// KEPT72: PASS: 120x144 * 144x40, V=32, kept=72, acc=f32, weights=const: all 4800 elements match
// KEPT60: PASS: 500x120 * 120x64, V=64, kept=60, acc=f32, weights=runtime: all 32000 elements match
// A bias and a ReLU after the matmul, fused into the kernel's store (f32
// with run-time weights and a partial column tile; f16 with constant ones).
// EPI32: PASS: 256x512 * 512x40, V=32, kept=256, acc=f32, weights=runtime, bias + ReLU: all 10240 elements match
// EPI16: PASS: 120x512 * 512x64, V=64, kept=256, acc=f16, weights=const, bias + ReLU: all 7680 elements match
// Two layers: the first kernel stores its result cast to f16 (a fused
// truncf) and the second kernel reads it in place on the device.
// TWO: PASS: 256x512 * 512x64, V=32, kept=256, acc=f32, weights=const, then 128x256 kept=128: all 8192 elements match
// With a batch of one, the layers stay padded to N = 8 from one to the next.
// TWO1: PASS: 256x512 * 512x1, V=32, kept=256, acc=f32, weights=const, then 96x256 kept=128: all 96 elements match
// A 3x3 convolution as the second layer: the bias, ReLU, f16 cast, zero
// padding and im2col between the layers run as one gather kernel, reading
// the first kernel's output and writing the second's input on the device.
// CONV: PASS: 64x256 * 256x256, V=32, kept=128, acc=f32, weights=const, then 96x576 kept=288 (3x3 conv on 64x16x16): all 24576 elements match
