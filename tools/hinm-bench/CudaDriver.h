//===- CudaDriver.h - hinm-bench: the CUDA driver and cuBLAS ----*- C++ -*-===//
//
// Part of the hinm project. The driver (libcuda.so.1) and cuBLAS are opened at
// run time (dlopen), not linked: both tools then start, and the dry run
// works, on machines without a driver, and the runner takes whichever cuBLAS
// the GPU machine has. One table of entry points per process.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_TOOLS_HINM_BENCH_CUDA_DRIVER_H
#define HINM_TOOLS_HINM_BENCH_CUDA_DRIVER_H

#include <cublas_v2.h>
#include <cuda.h>

#include <string>

namespace hinm {
namespace bench {

/// The driver entry points the runner calls.
#define HINM_CU_FUNCS(X)                                                       \
  X(cuInit)                                                                    \
  X(cuDriverGetVersion)                                                        \
  X(cuDeviceGetCount)                                                          \
  X(cuDeviceGet)                                                               \
  X(cuDeviceGetName)                                                           \
  X(cuDeviceGetAttribute)                                                      \
  X(cuDevicePrimaryCtxRetain)                                                  \
  X(cuDevicePrimaryCtxRelease)                                                 \
  X(cuDevicePrimaryCtxReset)                                                   \
  X(cuCtxSetCurrent)                                                           \
  X(cuCtxSynchronize)                                                          \
  X(cuModuleLoadDataEx)                                                        \
  X(cuModuleUnload)                                                            \
  X(cuModuleGetFunction)                                                       \
  X(cuFuncSetAttribute)                                                        \
  X(cuMemAlloc)                                                                \
  X(cuMemFree)                                                                 \
  X(cuMemcpyHtoD)                                                              \
  X(cuMemcpyDtoH)                                                              \
  X(cuMemsetD8)                                                                \
  X(cuLaunchKernel)                                                            \
  X(cuStreamCreate)                                                            \
  X(cuStreamDestroy)                                                           \
  X(cuStreamQuery)                                                             \
  X(cuStreamSynchronize)                                                       \
  X(cuStreamBeginCapture)                                                      \
  X(cuStreamEndCapture)                                                        \
  X(cuGraphInstantiate)                                                        \
  X(cuGraphLaunch)                                                             \
  X(cuGraphExecDestroy)                                                        \
  X(cuGraphDestroy)                                                            \
  X(cuEventCreate)                                                             \
  X(cuEventDestroy)                                                            \
  X(cuEventRecord)                                                             \
  X(cuEventElapsedTime)                                                        \
  X(cuGetErrorName)                                                            \
  X(cuGetErrorString)

#define HINM_CUBLAS_FUNCS(X)                                                   \
  X(cublasCreate)                                                              \
  X(cublasDestroy)                                                             \
  X(cublasSetStream)                                                           \
  X(cublasSetWorkspace)                                                        \
  X(cublasGetVersion)

/// The driver and cuBLAS entry points, and the device and context in use.
struct CudaApi {
  void *lib = nullptr;
#define HINM_DECL(fn) decltype(&::fn) p_##fn = nullptr;
  HINM_CU_FUNCS(HINM_DECL)
  void *cublasLib = nullptr;
  std::string cublasError;
  HINM_CUBLAS_FUNCS(HINM_DECL)
#undef HINM_DECL
  // cublasGemmEx is overloaded in C++ (a legacy cudaDataType compute type);
  // the exported C symbol takes cublasComputeType_t.
  using GemmExFn = cublasStatus_t (*)(
      cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int, int,
      const void *, const void *, cudaDataType, int, const void *,
      cudaDataType, int, const void *, void *, cudaDataType, int,
      cublasComputeType_t, cublasGemmAlgo_t);
  GemmExFn p_cublasGemmEx = nullptr;

  CUdevice device = 0;
  CUcontext ctx = nullptr;
  bool ready = false;

  /// The name and text of a driver error.
  std::string err(CUresult r) const;
  /// Opens libcuda and looks up HINM_CU_FUNCS; "" or why not.
  std::string loadDriver();
  /// cuBLAS is optional: without it the cuBLAS variants report an error.
  void loadCuBLAS(const std::string &explicitPath);
  std::string retainContext();
  /// After a sticky error (illegal address, ...) the context is unusable:
  /// reset it so that the next case starts clean.
  void resetContext();
};

/// The process's table.
CudaApi &api();

} // namespace bench
} // namespace hinm

#endif // HINM_TOOLS_HINM_BENCH_CUDA_DRIVER_H
