// RUN: %python %S/hinm_gpu_check.py --hinm-opt hinm-opt --mlir-runner mlir-runner --shared-libs=%hinm_cuda_runtime,%mlir_runner_utils,%mlir_c_runner_utils --rows 512 --cols 1024 --n 128 --v 64 --identity --weights const --seed 6 | FileCheck %s
// RUN: %python %S/hinm_gpu_check.py --hinm-opt hinm-opt --mlir-runner mlir-runner --shared-libs=%hinm_cuda_runtime,%mlir_runner_utils,%mlir_c_runner_utils --rows 1024 --cols 4096 --n 64 --v 16 --identity --weights runtime --seed 7 | FileCheck %s --check-prefix=V16
// The paper's plain 2:4 baseline through the same generator (kept == cols,
// identity vector index) on the GPU against numpy.

// CHECK: PASS: 512x1024 * 1024x128, V=64, kept=1024, acc=f32, weights=const: all 65536 elements match
// V16: PASS: 1024x4096 * 4096x64, V=16, kept=4096, acc=f32, weights=runtime: all 65536 elements match
