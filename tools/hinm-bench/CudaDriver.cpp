//===- CudaDriver.cpp - hinm-bench: the CUDA driver and cuBLAS ------------===//
//
// Part of the hinm project. See CudaDriver.h.
//
//===----------------------------------------------------------------------===//
#include "CudaDriver.h"

#include "Run.h"

#include <cstdlib>
#include <dlfcn.h>
#include <vector>

using namespace llvm;
using namespace hinm;
using namespace hinm::bench;

#ifndef HINM_BENCH_CUDA_LIB_DIR
#define HINM_BENCH_CUDA_LIB_DIR ""
#endif

// Names go through cuda.h's macros (cuMemAlloc -> cuMemAlloc_v2, ...), so the
// symbol looked up is the one the prototype describes.
#define HINM_STR(x) #x
#define HINM_XSTR(x) HINM_STR(x)

std::string CudaApi::err(CUresult r) const {
  const char *name = nullptr, *text = nullptr;
  if (p_cuGetErrorName)
    p_cuGetErrorName(r, &name);
  if (p_cuGetErrorString)
    p_cuGetErrorString(r, &text);
  if (!name) {
    // The toolkit's stub libcuda.so answers without names.
    switch (r) {
    case CUDA_ERROR_STUB_LIBRARY:
      name = "CUDA_ERROR_STUB_LIBRARY (the toolkit's stub libcuda.so was "
             "loaded, not a driver)";
      break;
    case CUDA_ERROR_NO_DEVICE:
      name = "CUDA_ERROR_NO_DEVICE";
      break;
    default:
      break;
    }
  }
  return std::string(name ? name : "CUDA error " + std::to_string(r)) +
         (text ? std::string(": ") + text : std::string());
}

std::string CudaApi::loadDriver() {
  std::string why;
  for (const char *name : {"libcuda.so.1", "libcuda.so"}) {
    lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (lib)
      break;
    if (const char *e = dlerror())
      why += std::string(why.empty() ? "" : "; ") + e;
  }
  if (!lib)
    return "cannot load the CUDA driver library (libcuda.so.1): " + why;
#define HINM_LOAD(fn)                                                          \
  p_##fn = reinterpret_cast<decltype(p_##fn)>(dlsym(lib, HINM_XSTR(fn)));      \
  if (!p_##fn)                                                                 \
    return std::string("the CUDA driver lacks ") + HINM_XSTR(fn) +            \
           " (driver older than CUDA " + HINM_XSTR(CUDA_VERSION) + "?)";
  HINM_CU_FUNCS(HINM_LOAD)
#undef HINM_LOAD
  return "";
}

void CudaApi::loadCuBLAS(const std::string &explicitPath) {
  std::vector<std::string> names;
  if (!explicitPath.empty())
    names.push_back(explicitPath);
  names.push_back("libcublas.so.13");
  for (const char *var : {"CUDA_HOME", "CUDA_ROOT", "CUDA_PATH"})
    if (const char *root = getenv(var))
      names.push_back(std::string(root) + "/lib64/libcublas.so.13");
  if (*HINM_BENCH_CUDA_LIB_DIR)
    names.push_back(std::string(HINM_BENCH_CUDA_LIB_DIR) +
                    "/libcublas.so.13");
  names.push_back("/usr/local/cuda/lib64/libcublas.so.13");
  names.push_back("libcublas.so");
  for (const std::string &n : names) {
    cublasLib = dlopen(n.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (cublasLib)
      break;
    if (const char *e = dlerror())
      cublasError += std::string(cublasError.empty() ? "" : "; ") + e;
  }
  if (!cublasLib) {
    cublasError = "cannot load cuBLAS: " + cublasError;
    return;
  }
#define HINM_LOAD(fn)                                                          \
  p_##fn = reinterpret_cast<decltype(p_##fn)>(dlsym(cublasLib, HINM_XSTR(fn))); \
  if (!p_##fn) {                                                               \
    cublasError = std::string("cuBLAS lacks ") + HINM_XSTR(fn);                \
    cublasLib = nullptr;                                                       \
    return;                                                                    \
  }
  HINM_CUBLAS_FUNCS(HINM_LOAD)
  HINM_LOAD(cublasGemmEx)
#undef HINM_LOAD
  cublasError.clear();
}

std::string CudaApi::retainContext() {
  CUresult r = p_cuDevicePrimaryCtxRetain(&ctx, device);
  if (r != CUDA_SUCCESS)
    return "cannot create a context: " + err(r);
  r = p_cuCtxSetCurrent(ctx);
  if (r != CUDA_SUCCESS)
    return "cannot make the context current: " + err(r);
  return "";
}

void CudaApi::resetContext() {
  p_cuDevicePrimaryCtxRelease(device);
  p_cuDevicePrimaryCtxReset(device);
  ready = retainContext().empty();
}

CudaApi &hinm::bench::api() {
  static CudaApi a;
  return a;
}

Expected<DeviceInfo> hinm::bench::openDevice(const RunOptions &o) {
  CudaApi &a = api();
  std::string why = a.loadDriver();
  if (!why.empty())
    return createStringError(
        "%s. No CUDA driver here: run on a machine with an NVIDIA GPU, or "
        "use hinm-bench --dry-run to compile and analyse without one",
        why.c_str());
  CUresult r = a.p_cuInit(0);
  if (r != CUDA_SUCCESS)
    return createStringError("no usable CUDA device: cuInit failed with %s",
                             a.err(r).c_str());
  int count = 0;
  r = a.p_cuDeviceGetCount(&count);
  if (r != CUDA_SUCCESS || count == 0)
    return createStringError("no CUDA device found (cuDeviceGetCount: %s)",
                             r == CUDA_SUCCESS ? "0 devices"
                                               : a.err(r).c_str());
  if (o.device < 0 || o.device >= count)
    return createStringError("--device=%d out of range: %d device(s)",
                             o.device, count);
  r = a.p_cuDeviceGet(&a.device, o.device);
  if (r != CUDA_SUCCESS)
    return createStringError("cuDeviceGet: %s", a.err(r).c_str());
  why = a.retainContext();
  if (!why.empty())
    return createStringError("%s", why.c_str());
  a.ready = true;
  DeviceInfo info;
  char name[256] = {0};
  a.p_cuDeviceGetName(name, sizeof(name), a.device);
  info.name = name;
  a.p_cuDeviceGetAttribute(&info.ccMajor,
                           CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
                           a.device);
  a.p_cuDeviceGetAttribute(&info.ccMinor,
                           CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
                           a.device);
  a.p_cuDeviceGetAttribute(&info.smCount,
                           CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, a.device);
  int l2 = 0;
  a.p_cuDeviceGetAttribute(&l2, CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE, a.device);
  info.l2Bytes = l2;
  a.p_cuDriverGetVersion(&info.driverVersion);
  a.loadCuBLAS(o.cublasPath);
  return info;
}
