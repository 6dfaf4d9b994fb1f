// REQUIRES: python-numpy, mlir-runner
// RUN: %python %S/../Integration/GPU/hinm_gpu_check.py --cpu --hinm-opt hinm-opt --mlir-runner mlir-runner --shared-libs=%mlir_runner_utils,%mlir_c_runner_utils --rows 256 --cols 512 --n 40 --v 32 --weights runtime --seed 9 --epilogue | FileCheck %s --check-prefix=F32
// RUN: %python %S/../Integration/GPU/hinm_gpu_check.py --cpu --hinm-opt hinm-opt --mlir-runner mlir-runner --shared-libs=%mlir_runner_utils,%mlir_c_runner_utils --rows 120 --cols 512 --n 64 --v 64 --acc f16 --weights const --seed 10 --epilogue | FileCheck %s --check-prefix=F16
// RUN: %python %S/../Integration/GPU/hinm_gpu_check.py --cpu --hinm-opt hinm-opt --mlir-runner mlir-runner --shared-libs=%mlir_runner_utils,%mlir_c_runner_utils --rows 256 --cols 512 --n 64 --v 32 --weights const --seed 12 --two-layers 128 | FileCheck %s --check-prefix=TWO
// RUN: %python %S/../Integration/GPU/hinm_gpu_check.py --cpu --hinm-opt hinm-opt --mlir-runner mlir-runner --shared-libs=%mlir_runner_utils,%mlir_c_runner_utils --rows 256 --cols 512 --n 1 --v 32 --weights const --seed 13 --two-layers 96 | FileCheck %s --check-prefix=TWO1
// RUN: %python %S/../Integration/GPU/hinm_gpu_check.py --cpu --hinm-opt hinm-opt --mlir-runner mlir-runner --shared-libs=%mlir_runner_utils,%mlir_c_runner_utils --rows 64 --cols 256 --n 256 --v 32 --weights const --seed 15 --two-layers 96 --conv | FileCheck %s --check-prefix=CONV
// The GPU correctness tests of the fused bias + ReLU and of two layers whose
// intermediate f16 result stays on the device (test/Integration/GPU/
// hinm-matmul.mlir, EPI*, TWO* and CONV) check against their own numpy reference;
// here the same programs run through the CPU pipeline, which keeps the
// linalg.generic as host loops, so the script's programs and references are
// checked without a GPU.

// F32: PASS: 256x512 * 512x40, V=32, kept=256, acc=f32, weights=runtime, bias + ReLU, on the CPU: all 10240 elements match
// F16: PASS: 120x512 * 512x64, V=64, kept=256, acc=f16, weights=const, bias + ReLU, on the CPU: all 7680 elements match
// TWO: PASS: 256x512 * 512x64, V=32, kept=256, acc=f32, weights=const, then 128x256 kept=128, on the CPU: all 8192 elements match
// TWO1: PASS: 256x512 * 512x1, V=32, kept=256, acc=f32, weights=const, then 96x256 kept=128, on the CPU: all 96 elements match
// CONV: PASS: 64x256 * 256x256, V=32, kept=128, acc=f32, weights=const, then 96x576 kept=288 (3x3 conv on 64x16x16), on the CPU: all 24576 elements match
