//===- MockCuda.cpp - a host-memory stand-in for libcuda and libcublas ----===//
//
// Part of the hinm project. Test double for hinm-bench-run's GPU runner on
// machines without a GPU: the driver API functions the runner opens, over
// host memory (device pointers are host pointers), and cublasGemmEx computed
// on the host from its documented column-major definition. Kernel launches
// do nothing, so our kernels' outputs stay as the runner filled them (NaN)
// and the check must report them; cuBLAS outputs are real and must pass.
// This exercises the runner's control flow (loading, uploads, parameter
// binding, graph capture, events, the check, the reports) and its cuBLAS
// argument mapping. Built as libcuda.so.1 or libcublas.so.13 (the same
// source; MOCK_CUBLAS selects the half).
//
//===----------------------------------------------------------------------===//
#include <cuda.h>
#include <cublas_v2.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {
int dummy[8];
template <typename T> T handle(int i) { return reinterpret_cast<T>(&dummy[i]); }

float halfToFloat(uint16_t h) {
  uint32_t sign = (h & 0x8000u) << 16, exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
  float v;
  if (exp == 0)
    v = std::ldexp(static_cast<float>(mant), -24);
  else if (exp == 31)
    v = mant ? NAN : INFINITY;
  else
    v = std::ldexp(static_cast<float>(mant | 0x400), static_cast<int>(exp) - 25);
  return sign ? -v : v;
}

uint16_t floatToHalf(float f) {
  // Round to nearest even (normal range; subnormals flush: enough for the
  // test's values).
  uint32_t x;
  std::memcpy(&x, &f, 4);
  uint16_t sign = (x >> 16) & 0x8000u;
  uint32_t ax = x & 0x7fffffffu;
  if (ax >= 0x7f800000u)
    return sign | 0x7c00u | (ax > 0x7f800000u ? 0x200u : 0u);
  if (ax >= 0x477ff000u)
    return sign | 0x7c00u;
  if (ax < 0x38800000u)
    return sign;
  uint32_t h = (ax - 0x38000000u) >> 13, rem = ax & 0x1fffu;
  if (rem > 0x1000u || (rem == 0x1000u && (h & 1)))
    ++h;
  return static_cast<uint16_t>(sign | h);
}
} // namespace

#ifndef MOCK_CUBLAS
extern "C" {
CUresult CUDAAPI cuInit(unsigned int) { return CUDA_SUCCESS; }
CUresult CUDAAPI cuDriverGetVersion(int *v) {
  *v = CUDA_VERSION;
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuDeviceGetCount(int *n) {
  *n = 1;
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuDeviceGet(CUdevice *d, int) {
  *d = 0;
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuDeviceGetName(char *name, int len, CUdevice) {
  std::strncpy(name, "hinm mock GPU", len);
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuDeviceGetAttribute(int *v, CUdevice_attribute a, CUdevice) {
  switch (a) {
  case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR:
    *v = 9;
    break;
  case CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT:
    *v = 132;
    break;
  case CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE:
    *v = 50 << 20;
    break;
  default:
    *v = 0;
  }
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuDevicePrimaryCtxRetain(CUcontext *c, CUdevice) {
  *c = handle<CUcontext>(0);
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuDevicePrimaryCtxRelease(CUdevice) { return CUDA_SUCCESS; }
CUresult CUDAAPI cuDevicePrimaryCtxReset(CUdevice) { return CUDA_SUCCESS; }
CUresult CUDAAPI cuCtxSetCurrent(CUcontext) { return CUDA_SUCCESS; }
CUresult CUDAAPI cuCtxSynchronize() { return CUDA_SUCCESS; }
CUresult CUDAAPI cuModuleLoadDataEx(CUmodule *m, const void *image, unsigned,
                                    CUjit_option *, void **) {
  // A PTX image must name an entry; anything else is not PTX or a cubin.
  const char *s = static_cast<const char *>(image);
  if (std::strncmp(s, "\x7f" "ELF", 4) != 0 && !std::strstr(s, ".entry"))
    return CUDA_ERROR_INVALID_IMAGE;
  *m = handle<CUmodule>(1);
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuModuleUnload(CUmodule) { return CUDA_SUCCESS; }
CUresult CUDAAPI cuModuleGetFunction(CUfunction *f, CUmodule, const char *) {
  *f = handle<CUfunction>(2);
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuFuncSetAttribute(CUfunction, CUfunction_attribute, int) {
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuMemAlloc(CUdeviceptr *p, size_t n) {
  void *q = std::malloc(n);
  if (!q)
    return CUDA_ERROR_OUT_OF_MEMORY;
  *p = reinterpret_cast<CUdeviceptr>(q);
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuMemFree(CUdeviceptr p) {
  std::free(reinterpret_cast<void *>(p));
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuMemcpyHtoD(CUdeviceptr d, const void *s, size_t n) {
  std::memcpy(reinterpret_cast<void *>(d), s, n);
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuMemcpyDtoH(void *d, CUdeviceptr s, size_t n) {
  std::memcpy(d, reinterpret_cast<void *>(s), n);
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuMemsetD8(CUdeviceptr d, unsigned char v, size_t n) {
  std::memset(reinterpret_cast<void *>(d), v, n);
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuLaunchKernel(CUfunction, unsigned gx, unsigned gy,
                                unsigned gz, unsigned bx, unsigned by,
                                unsigned bz, unsigned, CUstream,
                                void **params, void **) {
  if (!gx || !gy || !gz || !bx || !by || !bz || bx * by * bz > 1024 || !params)
    return CUDA_ERROR_INVALID_VALUE;
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuStreamCreate(CUstream *s, unsigned) {
  *s = handle<CUstream>(3);
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuStreamDestroy(CUstream) { return CUDA_SUCCESS; }
CUresult CUDAAPI cuStreamQuery(CUstream) { return CUDA_SUCCESS; }
CUresult CUDAAPI cuStreamSynchronize(CUstream) { return CUDA_SUCCESS; }
CUresult CUDAAPI cuStreamBeginCapture(CUstream, CUstreamCaptureMode) {
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuStreamEndCapture(CUstream, CUgraph *g) {
  *g = handle<CUgraph>(4);
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuGraphInstantiate(CUgraphExec *e, CUgraph,
                                    unsigned long long) {
  *e = handle<CUgraphExec>(5);
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuGraphLaunch(CUgraphExec, CUstream) { return CUDA_SUCCESS; }
CUresult CUDAAPI cuGraphExecDestroy(CUgraphExec) { return CUDA_SUCCESS; }
CUresult CUDAAPI cuGraphDestroy(CUgraph) { return CUDA_SUCCESS; }
CUresult CUDAAPI cuEventCreate(CUevent *e, unsigned) {
  *e = handle<CUevent>(6);
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuEventDestroy(CUevent) { return CUDA_SUCCESS; }
CUresult CUDAAPI cuEventRecord(CUevent, CUstream) { return CUDA_SUCCESS; }
CUresult CUDAAPI cuEventSynchronize(CUevent) { return CUDA_SUCCESS; }
CUresult CUDAAPI cuEventElapsedTime(float *ms, CUevent, CUevent) {
  *ms = 0.2f; // 10 us per launch for 20 launches
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuGetErrorName(CUresult r, const char **s) {
  *s = r == CUDA_SUCCESS ? "CUDA_SUCCESS" : "CUDA_ERROR_MOCK";
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuGetErrorString(CUresult, const char **s) {
  *s = "mock driver";
  return CUDA_SUCCESS;
}
} // extern "C"
#else
extern "C" {
cublasStatus_t CUBLASWINAPI cublasCreate_v2(cublasHandle_t *h) {
  *h = handle<cublasHandle_t>(7);
  return CUBLAS_STATUS_SUCCESS;
}
cublasStatus_t CUBLASWINAPI cublasDestroy_v2(cublasHandle_t) {
  return CUBLAS_STATUS_SUCCESS;
}
cublasStatus_t CUBLASWINAPI cublasSetStream_v2(cublasHandle_t, cudaStream_t) {
  return CUBLAS_STATUS_SUCCESS;
}
cublasStatus_t CUBLASWINAPI cublasSetWorkspace_v2(cublasHandle_t, void *,
                                                  size_t) {
  return CUBLAS_STATUS_SUCCESS;
}
cublasStatus_t CUBLASWINAPI cublasGetVersion_v2(cublasHandle_t, int *v) {
  *v = 130000;
  return CUBLAS_STATUS_SUCCESS;
}
// C = alpha op(A) op(B) + beta C, column-major, A m x k (lda), B k x n (ldb),
// C m x n (ldc), as the cuBLAS documentation defines it.
cublasStatus_t CUBLASWINAPI cublasGemmEx(
    cublasHandle_t, cublasOperation_t ta, cublasOperation_t tb, int m, int n,
    int k, const void *alpha, const void *A, cudaDataType at, int lda,
    const void *B, cudaDataType bt, int ldb, const void *beta, void *C,
    cudaDataType ct, int ldc, cublasComputeType_t cty, cublasGemmAlgo_t) {
  if (ta != CUBLAS_OP_N || tb != CUBLAS_OP_N || at != CUDA_R_16F ||
      bt != CUDA_R_16F || (ct != CUDA_R_32F && ct != CUDA_R_16F) ||
      cty != CUBLAS_COMPUTE_32F || lda < m || ldb < k || ldc < m)
    return CUBLAS_STATUS_INVALID_VALUE;
  const uint16_t *a = static_cast<const uint16_t *>(A);
  const uint16_t *b = static_cast<const uint16_t *>(B);
  float al = *static_cast<const float *>(alpha);
  float be = *static_cast<const float *>(beta);
  // Column j of C is the sum over l of column l of A times B(l, j): loops in
  // the order that walks A and C contiguously.
  std::vector<float> af(size_t(lda) * k);
  for (size_t i = 0; i < af.size(); ++i)
    af[i] = halfToFloat(a[i]);
  std::vector<double> col(m);
  for (int j = 0; j < n; ++j) {
    std::fill(col.begin(), col.end(), 0.0);
    for (int l = 0; l < k; ++l) {
      double bv = halfToFloat(b[l + size_t(j) * ldb]);
      const float *ac = &af[size_t(l) * lda];
      for (int i = 0; i < m; ++i)
        col[i] += double(ac[i]) * bv;
    }
    for (int i = 0; i < m; ++i) {
      size_t c = i + size_t(j) * ldc;
      if (ct == CUDA_R_32F) {
        float *cf = static_cast<float *>(C);
        cf[c] = float(al * col[i] + (be != 0 ? be * cf[c] : 0));
      } else {
        uint16_t *ch = static_cast<uint16_t *>(C);
        ch[c] = floatToHalf(float(al * col[i]));
      }
    }
  }
  return CUBLAS_STATUS_SUCCESS;
}
} // extern "C"
#endif
