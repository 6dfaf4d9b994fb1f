//===- CaseRunner.cpp - hinm-bench: one case on the device ----------------===//
//
// Part of the hinm project. See CaseRunner.h.
//
//===----------------------------------------------------------------------===//
#include "CaseRunner.h"

#include "Check.h"
#include "CudaDriver.h"
#include "Half.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <unistd.h>
#include <vector>

using namespace llvm;
using namespace hinm;
using namespace hinm::bench;

namespace {
/// A device allocation freed at scope exit.
struct DeviceBuffer {
  CUdeviceptr ptr = 0;
  size_t bytes = 0;
  DeviceBuffer() = default;
  DeviceBuffer(const DeviceBuffer &) = delete;
  DeviceBuffer &operator=(const DeviceBuffer &) = delete;
  ~DeviceBuffer() {
    if (ptr && api().ready)
      api().p_cuMemFree(ptr);
  }
};

/// Host data of one buffer, as the device wants it.
struct HostBuffer {
  std::vector<uint8_t> bytes;
  std::vector<int64_t> shape;
  int64_t elementBytes = 0;
};

template <typename T>
HostBuffer makeHost(const std::vector<T> &v, std::vector<int64_t> shape) {
  HostBuffer h;
  h.shape = std::move(shape);
  h.elementBytes = sizeof(T);
  h.bytes.resize(v.size() * sizeof(T));
  std::memcpy(h.bytes.data(), v.data(), h.bytes.size());
  return h;
}

HostBuffer makeHalf(const std::vector<float> &v, std::vector<int64_t> shape) {
  std::vector<uint16_t> h(v.size());
  for (size_t i = 0; i < v.size(); ++i)
    h[i] = floatToHalf(v[i]);
  return makeHost(h, std::move(shape));
}

#define HINM_CU_TRY(call)                                                      \
  do {                                                                         \
    CUresult hinm_r = (call);                                                  \
    if (hinm_r != CUDA_SUCCESS)                                                \
      return CaseFailure{std::string(#call) + ": " + api().err(hinm_r),        \
                         isSticky(hinm_r)};                                    \
  } while (0)

bool isSticky(CUresult r) {
  switch (r) {
  case CUDA_ERROR_ILLEGAL_ADDRESS:
  case CUDA_ERROR_LAUNCH_FAILED:
  case CUDA_ERROR_MISALIGNED_ADDRESS:
  case CUDA_ERROR_ILLEGAL_INSTRUCTION:
  case CUDA_ERROR_HARDWARE_STACK_ERROR:
  case CUDA_ERROR_INVALID_PC:
  case CUDA_ERROR_INVALID_ADDRESS_SPACE:
  case CUDA_ERROR_ASSERT:
    return true;
  default:
    return false;
  }
}

double percentile(std::vector<double> v, double q) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  double pos = q * (v.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(v.size() - 1, lo + 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

/// Runs one case on the device: upload, one checked launch, timing.
class CaseRunner {
public:
  CaseRunner(const CompiledCase &c, const CaseData &d, const RunOptions &o,
             CaseResult &res, raw_ostream &log)
      : c(c), d(d), o(o), res(res), log(log) {}

  std::optional<CaseFailure> run();
  ~CaseRunner() { cleanup(); }

private:
  const CompiledCase &c;
  const CaseData &d;
  const RunOptions &o;
  CaseResult &res;
  raw_ostream &log;

  std::map<BufferId, HostBuffer> host;
  std::map<BufferId, std::unique_ptr<DeviceBuffer>> dev;
  CUmodule module = nullptr;
  std::vector<CUfunction> funcs;
  std::vector<std::vector<std::vector<uint8_t>>> paramData;
  std::vector<std::vector<void *>> paramPtrs;
  CUstream stream = nullptr;
  CUevent ev0 = nullptr, ev1 = nullptr;
  cublasHandle_t handle = nullptr;
  DeviceBuffer workspace;
  CUgraph graph = nullptr;
  CUgraphExec exec = nullptr;

  void cleanup() {
    CudaApi &a = api();
    if (!a.ready)
      return;
    if (exec)
      a.p_cuGraphExecDestroy(exec);
    if (graph)
      a.p_cuGraphDestroy(graph);
    if (handle)
      a.p_cublasDestroy(handle);
    if (ev0)
      a.p_cuEventDestroy(ev0);
    if (ev1)
      a.p_cuEventDestroy(ev1);
    if (stream)
      a.p_cuStreamDestroy(stream);
    if (module)
      a.p_cuModuleUnload(module);
    exec = nullptr;
    graph = nullptr;
    handle = nullptr;
    ev0 = ev1 = nullptr;
    stream = nullptr;
    module = nullptr;
  }

  std::optional<CaseFailure> prepareHost();
  std::optional<CaseFailure> loadModule();
  std::optional<CaseFailure> bindParams();
  std::optional<CaseFailure> launchOnce();
  std::optional<CaseFailure> waitStream(double seconds);
  std::optional<CaseFailure> check();
  std::optional<CaseFailure> time();
};

std::optional<CaseFailure> CaseRunner::prepareHost() {
  const Shape &s = c.shape;
  const HiNMStorage &w = d.storage;
  bool f16Out = c.variant.isCuBLAS() && c.variant.f16Out;
  host[BufferId::X] = makeHalf(d.x, {s.k, s.n});
  HostBuffer out;
  out.shape = {s.rows, s.n};
  out.elementBytes = f16Out ? 2 : 4;
  out.bytes.resize(s.rows * s.n * out.elementBytes);
  host[BufferId::Out] = std::move(out);
  if (c.variant.isCuBLAS()) {
    // The dense (pruned) weight, [rows, k] row-major: the Values slot.
    std::vector<float> dense(s.rows * s.k);
    unpack(w, dense.data());
    host[BufferId::Values] = makeHalf(dense, {s.rows, s.k});
    return std::nullopt;
  }
  const HiNMFormat &f = w.format;
  int64_t p = f.paddedRows(s.rows);
  host[BufferId::Values] = makeHalf(w.values, {p, f.compressedCols()});
  host[BufferId::VectorIndex] =
      makeHost(w.vectorIndex, {f.numBlocks(s.rows), f.kept});
  host[BufferId::Metadata] = makeHost(w.metadata, {p, f.metaWordsPerRow()});
  host[BufferId::RowPerm] = makeHost(w.rowPerm, {p});
  return std::nullopt;
}

std::optional<CaseFailure> CaseRunner::loadModule() {
  CudaApi &a = api();
  auto tryLoad = [&](const void *image, std::string &log) -> CUresult {
    std::vector<char> errLog(16384, 0), infoLog(16384, 0);
    CUjit_option opts[] = {CU_JIT_ERROR_LOG_BUFFER,
                           CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES,
                           CU_JIT_INFO_LOG_BUFFER,
                           CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES};
    void *vals[] = {errLog.data(), reinterpret_cast<void *>(errLog.size()),
                    infoLog.data(), reinterpret_cast<void *>(infoLog.size())};
    CUresult r = a.p_cuModuleLoadDataEx(&module, image, 4, opts, vals);
    log = std::string(errLog.data());
    return r;
  };
  std::string jitLog;
  CUresult r = CUDA_ERROR_INVALID_IMAGE;
  bool usePtx = o.load != "cubin" || c.cubin.empty();
  if (usePtx) {
    r = tryLoad(c.ptx.c_str(), jitLog);
    res.loadedFrom = "ptx";
  }
  if (r != CUDA_SUCCESS && !c.cubin.empty()) {
    if (usePtx)
      log << "  note: loading the PTX failed (" << a.err(r) << "; " << jitLog
          << "); trying the plan's cubin\n";
    r = tryLoad(c.cubin.data(), jitLog);
    res.loadedFrom = "cubin";
  }
  if (r != CUDA_SUCCESS)
    return CaseFailure{"cannot load the kernel module: " + a.err(r) +
                           (jitLog.empty() ? "" : "\n" + jitLog),
                       isSticky(r)};
  for (const KernelLaunch &k : c.kernels) {
    CUfunction f;
    r = a.p_cuModuleGetFunction(&f, module, k.name.c_str());
    if (r != CUDA_SUCCESS)
      return CaseFailure{"kernel '" + k.name + "' not in the module: " +
                             a.err(r),
                         false};
    if (k.dynamicSharedBytes > 48 * 1024)
      HINM_CU_TRY(a.p_cuFuncSetAttribute(
          f, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
          static_cast<int>(k.dynamicSharedBytes)));
    funcs.push_back(f);
  }
  return std::nullopt;
}

std::optional<CaseFailure> CaseRunner::bindParams() {
  for (const KernelLaunch &k : c.kernels) {
    std::string why = checkPtxSignature(c.ptx, k);
    if (!why.empty())
      return CaseFailure{why, false};
    std::vector<std::vector<uint8_t>> data;
    auto push = [&](const void *p, size_t n) {
      data.emplace_back(static_cast<const uint8_t *>(p),
                        static_cast<const uint8_t *>(p) + n);
    };
    for (const KernelParam &p : k.params) {
      if (p.kind == KernelParam::Kind::Bytes) {
        data.push_back(p.bytes);
        continue;
      }
      auto h = host.find(p.buffer);
      auto dv = dev.find(p.buffer);
      if (h == host.end() || dv == dev.end())
        return CaseFailure{"kernel '" + k.name + "' takes buffer '" +
                               bufferName(p.buffer) + "', which this case lacks",
                           false};
      if (h->second.shape != p.shape ||
          h->second.elementBytes != p.elementBytes) {
        std::string s = "kernel '" + k.name + "': buffer '" +
                        bufferName(p.buffer) + "' is [";
        for (int64_t v : h->second.shape)
          s += std::to_string(v) + " ";
        s += "] x " + std::to_string(h->second.elementBytes) +
             " bytes here, the kernel was compiled for [";
        for (int64_t v : p.shape)
          s += std::to_string(v) + " ";
        return CaseFailure{s + "] x " + std::to_string(p.elementBytes), false};
      }
      uint64_t ptr = dv->second->ptr;
      int64_t rank = static_cast<int64_t>(p.shape.size());
      std::vector<uint64_t> desc = {ptr, ptr, 0};
      for (int64_t v : p.shape)
        desc.push_back(static_cast<uint64_t>(v));
      for (int64_t i = 0; i < rank; ++i) {
        int64_t stride = 1;
        for (int64_t j = i + 1; j < rank; ++j)
          stride *= p.shape[j];
        desc.push_back(static_cast<uint64_t>(stride));
      }
      if (p.kind == KernelParam::Kind::BufferStruct)
        push(desc.data(), desc.size() * 8);
      else if (k.barePointers)
        push(&ptr, 8);
      else
        for (uint64_t v : desc)
          push(&v, 8);
    }
    std::vector<void *> ptrs;
    for (auto &v : data)
      ptrs.push_back(v.data());
    paramData.push_back(std::move(data));
    paramPtrs.push_back(std::move(ptrs));
  }
  // The vectors no longer move: take the pointers again.
  for (size_t i = 0; i < paramData.size(); ++i)
    for (size_t j = 0; j < paramData[i].size(); ++j)
      paramPtrs[i][j] = paramData[i][j].data();
  return std::nullopt;
}

std::optional<CaseFailure> CaseRunner::launchOnce() {
  CudaApi &a = api();
  if (c.variant.isCuBLAS()) {
    const Shape &s = c.shape;
    float alpha = 1.0f, beta = 0.0f;
    // Row-major Y = W X is column-major Y^T = X^T W^T: m = n, n = rows.
    cublasStatus_t st = a.p_cublasGemmEx(
        handle, CUBLAS_OP_N, CUBLAS_OP_N, static_cast<int>(s.n),
        static_cast<int>(s.rows), static_cast<int>(s.k), &alpha,
        reinterpret_cast<void *>(dev[BufferId::X]->ptr), CUDA_R_16F,
        static_cast<int>(s.n),
        reinterpret_cast<void *>(dev[BufferId::Values]->ptr), CUDA_R_16F,
        static_cast<int>(s.k), &beta,
        reinterpret_cast<void *>(dev[BufferId::Out]->ptr),
        c.variant.f16Out ? CUDA_R_16F : CUDA_R_32F, static_cast<int>(s.n),
        CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT);
    if (st != CUBLAS_STATUS_SUCCESS)
      return CaseFailure{"cublasGemmEx failed with status " +
                             std::to_string(static_cast<int>(st)),
                         false};
    return std::nullopt;
  }
  for (size_t i = 0; i < c.kernels.size(); ++i) {
    const KernelLaunch &k = c.kernels[i];
    HINM_CU_TRY(a.p_cuLaunchKernel(
        funcs[i], k.grid[0], k.grid[1], k.grid[2], k.block[0], k.block[1],
        k.block[2], static_cast<unsigned>(k.dynamicSharedBytes), stream,
        paramPtrs[i].data(), nullptr));
  }
  return std::nullopt;
}

std::optional<CaseFailure> CaseRunner::waitStream(double seconds) {
  CudaApi &a = api();
  auto start = std::chrono::steady_clock::now();
  while (true) {
    CUresult r = a.p_cuStreamQuery(stream);
    if (r == CUDA_SUCCESS)
      return std::nullopt;
    if (r != CUDA_ERROR_NOT_READY)
      return CaseFailure{"kernel execution failed: " + a.err(r), isSticky(r)};
    double el = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                              start)
                    .count();
    if (el > seconds) {
      // A hung kernel cannot be stopped from here: report and leave.
      log << "error: " << c.shape.str() << " " << c.label()
          << ": the kernel did not finish within " << seconds
          << " s (hang?); exiting\n";
      log.flush();
      _exit(3);
    }
    usleep(50);
  }
}

std::optional<CaseFailure> CaseRunner::check() {
  CudaApi &a = api();
  DeviceBuffer &out = *dev[BufferId::Out];
  // 0xff bytes are NaN in FP32 and FP16: unwritten outputs fail the check.
  // cuMemsetD8 and cuMemcpyHtoD run on the legacy stream, which our
  // non-blocking stream does not wait for: synchronize the context.
  HINM_CU_TRY(a.p_cuMemsetD8(out.ptr, 0xff, out.bytes));
  HINM_CU_TRY(a.p_cuCtxSynchronize());
  if (auto f = launchOnce())
    return f;
  if (auto f = waitStream(30.0))
    return f;
  HostBuffer &h = host[BufferId::Out];
  HINM_CU_TRY(a.p_cuMemcpyDtoH(h.bytes.data(), out.ptr, h.bytes.size()));
  checkOutput(h.bytes, h.elementBytes, d, c.shape, res);
  return std::nullopt;
}

std::optional<CaseFailure> CaseRunner::time() {
  CudaApi &a = api();
  int g = std::max(1, o.graphLaunches);
  HINM_CU_TRY(a.p_cuEventCreate(&ev0, CU_EVENT_DEFAULT));
  HINM_CU_TRY(a.p_cuEventCreate(&ev1, CU_EVENT_DEFAULT));
  // Capture g launches in one graph: replays have no per-launch CPU cost.
  std::string graphWhy;
  CUresult r = a.p_cuStreamBeginCapture(stream, CU_STREAM_CAPTURE_MODE_RELAXED);
  if (r == CUDA_SUCCESS) {
    std::optional<CaseFailure> lf;
    for (int i = 0; i < g && !lf; ++i)
      lf = launchOnce();
    CUresult re = a.p_cuStreamEndCapture(stream, &graph);
    if (lf)
      graphWhy = lf->text;
    else if (re != CUDA_SUCCESS)
      graphWhy = "cuStreamEndCapture: " + a.err(re);
    else if ((r = a.p_cuGraphInstantiate(&exec, graph, 0)) != CUDA_SUCCESS)
      graphWhy = "cuGraphInstantiate: " + a.err(r);
  } else {
    graphWhy = "cuStreamBeginCapture: " + a.err(r);
  }
  bool useGraph = graphWhy.empty();
  if (!useGraph) {
    log << "  note: graph capture failed (" << graphWhy
        << "); timing back-to-back stream launches\n";
    if (exec)
      a.p_cuGraphExecDestroy(exec);
    exec = nullptr;
    // A failed capture can leave errors behind: synchronize them away.
    a.p_cuStreamSynchronize(stream);
  }
  res.timingMethod = useGraph ? "graph" : "stream";
  auto batch = [&]() -> std::optional<CaseFailure> {
    if (useGraph) {
      HINM_CU_TRY(a.p_cuGraphLaunch(exec, stream));
      return std::nullopt;
    }
    for (int i = 0; i < g; ++i)
      if (auto f = launchOnce())
        return f;
    return std::nullopt;
  };
  for (int i = 0; i < std::max(1, o.warmup); ++i)
    if (auto f = batch())
      return f;
  if (auto f = waitStream(60.0))
    return f;
  std::vector<double> samples;
  for (int i = 0; i < std::max(1, o.iters); ++i) {
    HINM_CU_TRY(a.p_cuEventRecord(ev0, stream));
    if (auto f = batch())
      return f;
    HINM_CU_TRY(a.p_cuEventRecord(ev1, stream));
    if (auto f = waitStream(60.0))
      return f;
    float ms = 0;
    HINM_CU_TRY(a.p_cuEventElapsedTime(&ms, ev0, ev1));
    samples.push_back(1000.0 * ms / g);
  }
  res.samples = static_cast<int>(samples.size());
  res.medianUs = percentile(samples, 0.5);
  res.minUs = *std::min_element(samples.begin(), samples.end());
  res.p10Us = percentile(samples, 0.1);
  res.p90Us = percentile(samples, 0.9);
  return std::nullopt;
}

std::optional<CaseFailure> CaseRunner::run() {
  CudaApi &a = api();
  if (c.variant.isCuBLAS() && !a.cublasLib)
    return CaseFailure{a.cublasError, false};
  if (auto f = prepareHost())
    return f;
  HINM_CU_TRY(a.p_cuStreamCreate(&stream, CU_STREAM_NON_BLOCKING));
  for (auto &[id, h] : host) {
    auto b = std::make_unique<DeviceBuffer>();
    b->bytes = std::max<size_t>(h.bytes.size(), 16);
    HINM_CU_TRY(a.p_cuMemAlloc(&b->ptr, b->bytes));
    if (id != BufferId::Out)
      HINM_CU_TRY(a.p_cuMemcpyHtoD(b->ptr, h.bytes.data(), h.bytes.size()));
    dev[id] = std::move(b);
  }
  if (c.variant.isCuBLAS()) {
    if (a.p_cublasCreate(&handle) != CUBLAS_STATUS_SUCCESS)
      return CaseFailure{"cublasCreate failed", false};
    a.p_cublasSetStream(handle, reinterpret_cast<cudaStream_t>(stream));
    a.p_cublasGetVersion(handle, &res.cublasVersion);
    // A fixed workspace keeps cuBLAS from allocating during graph capture.
    workspace.bytes = 32u << 20;
    HINM_CU_TRY(a.p_cuMemAlloc(&workspace.ptr, workspace.bytes));
    a.p_cublasSetWorkspace(handle, reinterpret_cast<void *>(workspace.ptr),
                           workspace.bytes);
  } else {
    if (auto f = loadModule())
      return f;
    if (auto f = bindParams())
      return f;
  }
  res.ran = true;
  if (auto f = check())
    return f;
  if (auto f = time())
    return f;
  return std::nullopt;
}
} // namespace

std::optional<CaseFailure>
hinm::bench::runOnDevice(const CompiledCase &c, const CaseData &d,
                         const RunOptions &o, CaseResult &res,
                         raw_ostream &log) {
  CaseRunner runner(c, d, o, res, log);
  return runner.run();
}
