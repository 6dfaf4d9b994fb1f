//===- CudaRuntime.cpp - mgpu* runtime over the CUDA driver API -----------===//
//
// Part of the hinm project. The host code that MLIR's gpu-to-llvm and the
// gpu.binary translation emit calls a small C ABI (mgpuModuleLoad,
// mgpuLaunchKernel, mgpuMemAlloc, ...). Upstream implements it in
// libmlir_cuda_runtime, which Debian does not ship; this is our own
// implementation over the CUDA driver API, so that
//   hinm-opt --hinm-gpu-pipeline=... | mlir-runner \
//     --shared-libs=<build>/lib/libhinm_cuda_runtime.so,...
// runs host + device modules.
//
// Every function works in the primary context of the default device (set by
// mgpuSetDefaultDevice, 0 otherwise), made current on entry. Errors are
// reported on stderr as "hinm_cuda_runtime: <call> failed: ..." (the GPU
// tests fail on such a line), as upstream's wrappers do, and execution goes
// on.
//
//===----------------------------------------------------------------------===//
#include <cuda.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <mutex>

namespace {

std::atomic<int32_t> defaultDevice{0};

/// Reports a failed driver call on stderr (the tests fail on such a line);
/// returns true if `result` is an error.
bool report(CUresult result, const char *call) {
  if (result == CUDA_SUCCESS)
    return false;
  const char *name = nullptr, *text = nullptr;
  cuGetErrorName(result, &name);
  cuGetErrorString(result, &text);
  std::fprintf(stderr, "hinm_cuda_runtime: %s failed: %s (%s)\n", call,
               name ? name : "unknown error", text ? text : "");
  std::fflush(stderr);
  return true;
}

#define HINM_CU(call) report((call), #call)

/// Makes the primary context of the default device current on this thread.
/// The context is retained once per device and kept for the process.
void ensureContext() {
  static std::mutex mutex;
  static CUcontext contexts[64] = {};
  int32_t device = defaultDevice.load();
  if (device < 0 || device >= 64)
    device = 0;
  CUcontext ctx;
  {
    std::lock_guard<std::mutex> lock(mutex);
    static bool initialized = false;
    if (!initialized) {
      if (HINM_CU(cuInit(0)))
        return;
      initialized = true;
    }
    if (!contexts[device]) {
      CUdevice dev;
      if (HINM_CU(cuDeviceGet(&dev, device)))
        return;
      if (HINM_CU(cuDevicePrimaryCtxRetain(&contexts[device], dev)))
        return;
    }
    ctx = contexts[device];
  }
  CUcontext current = nullptr;
  cuCtxGetCurrent(&current);
  if (current != ctx)
    HINM_CU(cuCtxSetCurrent(ctx));
}

/// The ranked memref descriptor of the MLIR LLVM lowering:
/// {allocated, aligned, offset, sizes[rank], strides[rank]}.
struct MemRefDescriptor {
  char *allocated;
  char *aligned;
  int64_t offset;
  int64_t sizesAndStrides[1]; // rank sizes then rank strides
};

/// Start and byte size of the memory a memref spans (any strides >= 0).
void memrefExtent(int64_t rank, const MemRefDescriptor *d, int64_t eltBytes,
                  char *&start, uint64_t &bytes) {
  start = d->aligned + d->offset * eltBytes;
  int64_t last = 0;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t size = d->sizesAndStrides[i];
    int64_t stride = d->sizesAndStrides[rank + i];
    if (size == 0) {
      bytes = 0;
      return;
    }
    last += (size - 1) * stride;
  }
  bytes = uint64_t(last + 1) * uint64_t(eltBytes);
}

} // namespace

extern "C" {

//===----------------------------------------------------------------------===//
// Modules and launches
//===----------------------------------------------------------------------===//

/// Loads a cubin or fatbin (`size` is unused: the driver reads the headers).
CUmodule mgpuModuleLoad(void *data, size_t /*size*/) {
  ensureContext();
  CUmodule module = nullptr;
  HINM_CU(cuModuleLoadData(&module, data));
  return module;
}

/// JIT-compiles NUL-terminated PTX text (format=isa) at `optLevel` (0..4).
CUmodule mgpuModuleLoadJIT(void *data, int optLevel, size_t /*size*/) {
  ensureContext();
  CUmodule module = nullptr;
  char log[8192] = {0};
  CUjit_option options[] = {CU_JIT_ERROR_LOG_BUFFER,
                            CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES,
                            CU_JIT_OPTIMIZATION_LEVEL};
  int level = optLevel < 0 ? 0 : (optLevel > 4 ? 4 : optLevel);
  void *values[] = {log, reinterpret_cast<void *>(uintptr_t(sizeof(log))),
                    reinterpret_cast<void *>(uintptr_t(level))};
  if (HINM_CU(cuModuleLoadDataEx(&module, data, 3, options, values)))
    std::fprintf(stderr, "hinm_cuda_runtime: PTX JIT log:\n%s\n", log);
  return module;
}

/// Runs from a global destructor of the host module, possibly after the
/// driver shut down at exit: nothing is left to protect then.
void mgpuModuleUnload(CUmodule module) {
  if (!module)
    return;
  CUresult result = cuModuleUnload(module);
  if (result != CUDA_ERROR_DEINITIALIZED)
    report(result, "cuModuleUnload(module)");
}

CUfunction mgpuModuleGetFunction(CUmodule module, const char *name) {
  CUfunction function = nullptr;
  if (HINM_CU(cuModuleGetFunction(&function, module, name)))
    std::fprintf(stderr, "hinm_cuda_runtime: kernel '%s' not found\n", name);
  return function;
}

/// Grid and block sizes come as intptr_t (MLIR index); `smem` is the dynamic
/// shared memory. A trailing parameter count, passed by newer MLIR, is
/// ignored.
void mgpuLaunchKernel(CUfunction function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t smem, CUstream stream,
                      void **params, void **extra, size_t /*paramsCount*/) {
  ensureContext();
  if (smem > 48 * 1024)
    HINM_CU(cuFuncSetAttribute(
        function, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, smem));
  HINM_CU(cuLaunchKernel(function, unsigned(gridX), unsigned(gridY),
                         unsigned(gridZ), unsigned(blockX), unsigned(blockY),
                         unsigned(blockZ), unsigned(smem), stream, params,
                         extra));
}

/// Cluster launch (sm_90): the same with a cluster shape.
void mgpuLaunchClusterKernel(CUfunction function, intptr_t clusterX,
                             intptr_t clusterY, intptr_t clusterZ,
                             intptr_t gridX, intptr_t gridY, intptr_t gridZ,
                             intptr_t blockX, intptr_t blockY,
                             intptr_t blockZ, int32_t smem, CUstream stream,
                             void **params, void **extra,
                             size_t /*paramsCount*/) {
  ensureContext();
  if (smem > 48 * 1024)
    HINM_CU(cuFuncSetAttribute(
        function, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, smem));
  CUlaunchAttribute attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.id = CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION;
  attr.value.clusterDim.x = unsigned(clusterX);
  attr.value.clusterDim.y = unsigned(clusterY);
  attr.value.clusterDim.z = unsigned(clusterZ);
  CUlaunchConfig config;
  std::memset(&config, 0, sizeof(config));
  config.gridDimX = unsigned(gridX);
  config.gridDimY = unsigned(gridY);
  config.gridDimZ = unsigned(gridZ);
  config.blockDimX = unsigned(blockX);
  config.blockDimY = unsigned(blockY);
  config.blockDimZ = unsigned(blockZ);
  config.sharedMemBytes = unsigned(smem);
  config.hStream = stream;
  config.attrs = &attr;
  config.numAttrs = 1;
  HINM_CU(cuLaunchKernelEx(&config, function, params, extra));
}

//===----------------------------------------------------------------------===//
// Streams and events
//===----------------------------------------------------------------------===//

CUstream mgpuStreamCreate() {
  ensureContext();
  CUstream stream = nullptr;
  HINM_CU(cuStreamCreate(&stream, CU_STREAM_NON_BLOCKING));
  return stream;
}

void mgpuStreamDestroy(CUstream stream) {
  if (stream)
    HINM_CU(cuStreamDestroy(stream));
}

void mgpuStreamSynchronize(CUstream stream) {
  ensureContext();
  HINM_CU(cuStreamSynchronize(stream));
}

void mgpuStreamWaitEvent(CUstream stream, CUevent event) {
  HINM_CU(cuStreamWaitEvent(stream, event, 0));
}

CUevent mgpuEventCreate() {
  ensureContext();
  CUevent event = nullptr;
  HINM_CU(cuEventCreate(&event, CU_EVENT_DISABLE_TIMING));
  return event;
}

void mgpuEventDestroy(CUevent event) {
  if (event)
    HINM_CU(cuEventDestroy(event));
}

void mgpuEventSynchronize(CUevent event) { HINM_CU(cuEventSynchronize(event)); }

void mgpuEventRecord(CUevent event, CUstream stream) {
  HINM_CU(cuEventRecord(event, stream));
}

//===----------------------------------------------------------------------===//
// Memory
//===----------------------------------------------------------------------===//

/// Device memory (managed memory when `hostShared`); stream-ordered
/// allocation is not used, so the stream is ignored.
void *mgpuMemAlloc(uint64_t bytes, CUstream /*stream*/, bool hostShared) {
  ensureContext();
  CUdeviceptr ptr = 0;
  if (bytes == 0)
    return nullptr;
  if (hostShared)
    HINM_CU(cuMemAllocManaged(&ptr, bytes, CU_MEM_ATTACH_GLOBAL));
  else
    HINM_CU(cuMemAlloc(&ptr, bytes));
  return reinterpret_cast<void *>(ptr);
}

/// Frees after the work queued on `stream` so far (gpu.dealloc async).
void mgpuMemFree(void *ptr, CUstream stream) {
  if (!ptr)
    return;
  ensureContext();
  if (stream)
    HINM_CU(cuStreamSynchronize(stream));
  HINM_CU(cuMemFree(reinterpret_cast<CUdeviceptr>(ptr)));
}

/// Copies in any direction (unified addressing tells host from device).
void mgpuMemcpy(void *dst, void *src, size_t bytes, CUstream stream) {
  if (bytes == 0)
    return;
  ensureContext();
  HINM_CU(cuMemcpyAsync(reinterpret_cast<CUdeviceptr>(dst),
                        reinterpret_cast<CUdeviceptr>(src), bytes, stream));
}

void mgpuMemset32(void *dst, unsigned int value, size_t count,
                  CUstream stream) {
  ensureContext();
  HINM_CU(cuMemsetD32Async(reinterpret_cast<CUdeviceptr>(dst), value, count,
                           stream));
}

void mgpuMemset16(void *dst, unsigned short value, size_t count,
                  CUstream stream) {
  ensureContext();
  HINM_CU(cuMemsetD16Async(reinterpret_cast<CUdeviceptr>(dst), value, count,
                           stream));
}

void mgpuMemHostRegister(void *ptr, uint64_t bytes) {
  if (!ptr || bytes == 0)
    return;
  ensureContext();
  HINM_CU(cuMemHostRegister(ptr, bytes, CU_MEMHOSTREGISTER_PORTABLE));
}

void mgpuMemHostUnregister(void *ptr) {
  if (!ptr)
    return;
  ensureContext();
  HINM_CU(cuMemHostUnregister(ptr));
}

/// gpu.host_register of a ranked memref: registers the span it covers.
void mgpuMemHostRegisterMemRef(int64_t rank, MemRefDescriptor *descriptor,
                               int64_t elementBytes) {
  char *start;
  uint64_t bytes;
  memrefExtent(rank, descriptor, elementBytes, start, bytes);
  mgpuMemHostRegister(start, bytes);
}

void mgpuMemHostUnregisterMemRef(int64_t rank, MemRefDescriptor *descriptor,
                                 int64_t elementBytes) {
  char *start;
  uint64_t bytes;
  memrefExtent(rank, descriptor, elementBytes, start, bytes);
  mgpuMemHostUnregister(start);
}

void mgpuSetDefaultDevice(int32_t device) { defaultDevice.store(device); }

} // extern "C"
