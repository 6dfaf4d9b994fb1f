// REQUIRES: hinm-cuda-runtime, ptxas
// RUN: hinm-opt %S/../Pipelines/gpu-ptx.mlir --hinm-gpu-pipeline="chip=sm_80 format=fatbin" | mlir-translate --mlir-to-llvmir -o %t.fatbin.ll
// RUN: %python %S/check_abi.py %t.fatbin.ll %hinm_cuda_runtime | FileCheck %s --check-prefixes=CHECK,BIN
// RUN: hinm-opt %S/../Pipelines/gpu-ptx.mlir --hinm-gpu-pipeline="chip=sm_80 format=isa" | mlir-translate --mlir-to-llvmir -o %t.isa.ll
// RUN: %python %S/check_abi.py %t.isa.ll %hinm_cuda_runtime | FileCheck %s --check-prefixes=CHECK,JIT
// Every mgpu* function the host code of the GPU pipeline calls (after LLVM IR
// translation, which adds the module load/launch calls) is defined by our
// runtime library; no GPU is needed to check that.

// CHECK-NOT: missing
// BIN-DAG: mgpuModuleLoad: defined
// JIT-DAG: mgpuModuleLoadJIT: defined
// CHECK-DAG: mgpuModuleGetFunction: defined
// CHECK-DAG: mgpuLaunchKernel: defined
// CHECK-DAG: mgpuModuleUnload: defined
// CHECK-DAG: mgpuMemAlloc: defined
// CHECK-DAG: mgpuMemcpy: defined
// CHECK-DAG: mgpuMemFree: defined
// CHECK-DAG: mgpuStreamCreate: defined
// CHECK-DAG: mgpuStreamSynchronize: defined
// CHECK-DAG: mgpuStreamDestroy: defined
