// RUN: %python %S/hinm_gpu_check.py --hinm-opt hinm-opt --mlir-runner mlir-runner --shared-libs=%hinm_cuda_runtime,%mlir_runner_utils,%mlir_c_runner_utils --rows 500 --cols 2048 --n 200 --v 32 --vector-sparsity 0.75 --elt bf16 --weights runtime --seed 8 | FileCheck %s --check-prefix=BF16
// RUN: %python %S/hinm_gpu_check.py --hinm-opt hinm-opt --mlir-runner mlir-runner --shared-libs=%hinm_cuda_runtime,%mlir_runner_utils,%mlir_c_runner_utils --rows 768 --cols 2048 --n 128 --v 64 --vector-sparsity 0.5 --elt bf16 --weights const --chip sm_90 --features= --seed 9 | FileCheck %s --check-prefix=BF16ORD
// RUN: %python %S/hinm_gpu_check.py --hinm-opt hinm-opt --mlir-runner mlir-runner --shared-libs=%hinm_cuda_runtime,%mlir_runner_utils,%mlir_c_runner_utils --rows 1024 --cols 1024 --n 256 --v 32 --vector-sparsity 0.5 --weights runtime --chip sm_90 --features= --seed 10 | FileCheck %s --check-prefix=ORD
// RUN: %python %S/hinm_gpu_check.py --hinm-opt hinm-opt --mlir-runner mlir-runner --shared-libs=%hinm_cuda_runtime,%mlir_runner_utils,%mlir_c_runner_utils --rows 256 --cols 1024 --n 64 --v 64 --vector-sparsity 0.25 --acc f16 --weights const --chip sm_90 --features= --seed 11 | FileCheck %s --check-prefix=ORDF16
// RUN: %python %S/hinm_gpu_check.py --hinm-opt hinm-opt --mlir-runner mlir-runner --shared-libs=%hinm_cuda_runtime,%mlir_runner_utils,%mlir_c_runner_utils --rows 1024 --cols 1024 --n 256 --v 32 --vector-sparsity 0.5 --weights runtime --chip sm_90 --features= --pipeline-options "ordered-metadata=false" --seed 10 | FileCheck %s --check-prefix=PLAIN90
// bf16 weights and activations (f32 accumulation) and the sm_90 default
// mma.sp::ordered_metadata on the GPU against numpy, every output element:
// bf16 with plain mma.sp (sm_80 code) and with ordered metadata (sm_90), f16
// with ordered metadata (f32 and f16 accumulation), and the same sm_90
// problem with ordered-metadata=false. The sm_90 cases need an sm_90 device
// (H100/H200); --features= lets the pipeline pick +ptx85 for them.

// BF16: PASS: 500x2048 * 2048x200, V=32, kept=512, acc=f32, weights=runtime, elt=bf16: all 100000 elements match
// BF16ORD: PASS: 768x2048 * 2048x128, V=64, kept=1024, acc=f32, weights=const, elt=bf16, chip=sm_90: all 98304 elements match
// ORD: PASS: 1024x1024 * 1024x256, V=32, kept=512, acc=f32, weights=runtime, chip=sm_90: all 262144 elements match
// ORDF16: PASS: 256x1024 * 1024x64, V=64, kept=768, acc=f16, weights=const, chip=sm_90: all 16384 elements match
// PLAIN90: PASS: 1024x1024 * 1024x256, V=32, kept=512, acc=f32, weights=runtime, chip=sm_90, ordered-metadata=false: all 262144 elements match
