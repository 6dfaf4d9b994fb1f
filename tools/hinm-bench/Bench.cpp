//===- Bench.cpp - hinm-bench: cases, data, floor model, GPU runner -------===//
//
// Part of the hinm project. See Bench.h. Nothing here includes MLIR: this
// file is linked into hinm-bench (with MLIR) and into hinm-bench-run (without).
//
//===----------------------------------------------------------------------===//
#include "Bench.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Regex.h"

#include <cuda.h>
#include <cublas_v2.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <dlfcn.h>
#include <map>
#include <random>
#include <thread>
#include <unistd.h>

using namespace llvm;
using namespace hinm;
using namespace hinm::bench;

//===----------------------------------------------------------------------===//
// Shapes and variants
//===----------------------------------------------------------------------===//

// Issue 5: weight 1024xK times activations Kx1024 for K in {1024, 2048,
// 4096}; 4096x4096 times 4096x{16, 256, 4096}; 11008x4096 times 4096x512.
const char *const hinm::bench::kDefaultShapes = "issue5";
const char *const hinm::bench::kDefaultVariants =
    "cublas,sp24,hinm-v32-s75,hinm-v64-s75";

std::string Shape::str() const {
  return std::to_string(rows) + "x" + std::to_string(k) + "x" +
         std::to_string(n);
}

Expected<std::vector<Shape>> hinm::bench::parseShapes(StringRef spec) {
  std::vector<Shape> out;
  SmallVector<StringRef> items;
  spec.split(items, ',', -1, /*KeepEmpty=*/false);
  for (StringRef item : items) {
    item = item.trim();
    if (item == "issue5") {
      for (int64_t k : {1024, 2048, 4096})
        out.push_back({1024, k, 1024});
      for (int64_t n : {16, 256, 4096})
        out.push_back({4096, 4096, n});
      out.push_back({11008, 4096, 512});
      continue;
    }
    if (item == "small") {
      out.push_back({256, 512, 128});
      continue;
    }
    SmallVector<StringRef> dims;
    item.split(dims, 'x');
    Shape s;
    if (dims.size() != 3 || dims[0].getAsInteger(10, s.rows) ||
        dims[1].getAsInteger(10, s.k) || dims[2].getAsInteger(10, s.n) ||
        s.rows <= 0 || s.k <= 0 || s.n <= 0)
      return createStringError(
          "bad shape '%s': expected ROWSxKxN with positive integers (weight "
          "ROWSxK times activations KxN), or 'issue5' or 'small'",
          item.str().c_str());
    out.push_back(s);
  }
  if (out.empty())
    return createStringError("no shapes given");
  return out;
}

Expected<std::vector<Variant>> hinm::bench::parseVariants(StringRef spec) {
  std::vector<Variant> out;
  SmallVector<StringRef> items;
  spec.split(items, ',', -1, /*KeepEmpty=*/false);
  for (StringRef item : items) {
    item = item.trim();
    if (item == "all") {
      auto more = parseVariants(std::string(kDefaultVariants) +
                                ",cublas-f16,hinm-v64-s87.5");
      if (!more)
        return more.takeError();
      llvm::append_range(out, *more);
      continue;
    }
    Variant v;
    v.name = item.str();
    if (item == "cublas" || item == "cublas-f16") {
      v.kind = Variant::Kind::CuBLAS;
      v.f16Out = item == "cublas-f16";
      out.push_back(v);
      continue;
    }
    if (item == "sp24") {
      v.vectorSize = 64;
      v.totalSparsity = 0.5;
      out.push_back(v);
      continue;
    }
    Regex re("^hinm-v([0-9]+)-s([0-9]+(\\.[0-9]+)?)$");
    SmallVector<StringRef> m;
    double pct = 0;
    if (!re.match(item, &m) || m[1].getAsInteger(10, v.vectorSize) ||
        m[2].getAsDouble(pct) || v.vectorSize <= 0 || pct < 50 || pct >= 100)
      return createStringError(
          "bad variant '%s': expected cublas, cublas-f16, sp24, or "
          "hinm-v<V>-s<total sparsity %%> with 50 <= sparsity < 100 (e.g. "
          "hinm-v64-s75), or 'all'",
          item.str().c_str());
    v.totalSparsity = pct / 100.0;
    out.push_back(v);
  }
  if (out.empty())
    return createStringError("no variants given");
  return out;
}

HiNMFormat Variant::formatFor(const Shape &s, std::string &err) const {
  HiNMFormat f;
  err.clear();
  if (isCuBLAS()) {
    // cuBLAS multiplies the dense form of the 2:4 weight of `sp24`.
    f = HiNMFormat{64, s.k, 2, 4};
  } else {
    f.vectorSize = vectorSize;
    f.n = 2;
    f.m = 4;
    // Kept share of the columns: 2 * (1 - total), rounded down to the
    // kernel's k step of 32.
    double share = 2.0 * (1.0 - totalSparsity);
    f.kept = static_cast<int64_t>(std::floor(s.k * share / 32.0 + 1e-9)) * 32;
    if (f.kept < 32) {
      err = "K = " + std::to_string(s.k) + " keeps fewer than 32 columns at " +
            std::to_string(totalSparsity * 100) + "% sparsity";
      return f;
    }
  }
  std::string why = f.validateFor(s.rows, s.k);
  if (!why.empty())
    err = why;
  return f;
}

std::string CompiledCase::label() const {
  if (tiles.empty())
    return variant.name;
  // "block-n=128 stages=4" -> "@bn128,st4".
  std::string t;
  SmallVector<StringRef> opts;
  StringRef(tiles).split(opts, ' ', -1, false);
  for (StringRef o : opts) {
    auto [key, val] = o.split('=');
    std::string k;
    for (StringRef part : llvm::split(key, '-'))
      if (!part.empty())
        k += part.front();
    if (key == "stages")
      k = "st";
    t += (t.empty() ? "" : ",") + k + val.str();
  }
  return variant.name + "@" + t;
}

std::string CompiledCase::id() const {
  std::string v;
  for (char c : label())
    v += (isAlnum(c) || c == '-') ? c : '_';
  return shape.str() + "_" + v;
}

//===----------------------------------------------------------------------===//
// Buffers and kernel parameters
//===----------------------------------------------------------------------===//

const char *hinm::bench::bufferName(BufferId id) {
  switch (id) {
  case BufferId::Values:
    return "values";
  case BufferId::VectorIndex:
    return "vector_index";
  case BufferId::Metadata:
    return "metadata";
  case BufferId::RowPerm:
    return "row_perm";
  case BufferId::X:
    return "x";
  case BufferId::Out:
    return "out";
  }
  return "?";
}

std::optional<BufferId> hinm::bench::bufferFromName(StringRef name) {
  for (BufferId id : {BufferId::Values, BufferId::VectorIndex,
                      BufferId::Metadata, BufferId::RowPerm, BufferId::X,
                      BufferId::Out})
    if (name == bufferName(id))
      return id;
  return std::nullopt;
}

std::vector<int64_t> hinm::bench::expandedParamSizes(const KernelLaunch &k) {
  std::vector<int64_t> sizes;
  for (const KernelParam &p : k.params) {
    int64_t rank = static_cast<int64_t>(p.shape.size());
    switch (p.kind) {
    case KernelParam::Kind::Buffer:
      if (k.barePointers) {
        sizes.push_back(8);
      } else {
        // allocated, aligned, offset, sizes..., strides...
        for (int64_t i = 0; i < 3 + 2 * rank; ++i)
          sizes.push_back(8);
      }
      break;
    case KernelParam::Kind::BufferStruct:
      sizes.push_back(8 * (3 + 2 * rank));
      break;
    case KernelParam::Kind::Bytes:
      sizes.push_back(static_cast<int64_t>(p.bytes.size()));
      break;
    }
  }
  return sizes;
}

/// The byte sizes of the .param list of `.entry name(...)` in `ptx`.
static std::optional<std::vector<int64_t>> ptxParamSizes(StringRef ptx,
                                                         StringRef name) {
  size_t pos = 0;
  while (true) {
    pos = ptx.find(".entry " + name.str(), pos);
    if (pos == StringRef::npos)
      return std::nullopt;
    size_t after = pos + 7 + name.size();
    if (after < ptx.size() && (ptx[after] == '(' || isSpace(ptx[after])))
      break;
    pos = after;
  }
  size_t open = ptx.find('(', pos), close = ptx.find(')', pos);
  if (open == StringRef::npos || close == StringRef::npos || close < open)
    return std::nullopt;
  std::vector<int64_t> sizes;
  SmallVector<StringRef> decls;
  ptx.slice(open + 1, close).split(decls, ',', -1, false);
  Regex arr("\\[([0-9]+)\\]");
  for (StringRef d : decls) {
    d = d.trim();
    if (d.empty())
      continue;
    SmallVector<StringRef> m;
    if (arr.match(d, &m)) {
      int64_t n = 0;
      m[1].getAsInteger(10, n);
      int64_t elt = d.contains(".b16") || d.contains(".u16") ? 2
                    : d.contains(".b32") || d.contains(".u32") ? 4
                    : d.contains(".b64") || d.contains(".u64") ? 8
                                                               : 1;
      sizes.push_back(n * elt);
    } else if (d.contains("64")) {
      sizes.push_back(8);
    } else if (d.contains("32")) {
      sizes.push_back(4);
    } else if (d.contains("16")) {
      sizes.push_back(2);
    } else {
      sizes.push_back(1);
    }
  }
  return sizes;
}

std::string hinm::bench::checkPtxSignature(StringRef ptx,
                                           const KernelLaunch &k) {
  auto ptxSizes = ptxParamSizes(ptx, k.name);
  if (!ptxSizes)
    return "the PTX has no .entry '" + k.name + "'";
  std::vector<int64_t> ours = expandedParamSizes(k);
  if (*ptxSizes == ours)
    return "";
  std::string s = "kernel '" + k.name + "': the PTX .entry takes " +
                  std::to_string(ptxSizes->size()) +
                  " parameters, the launch record gives " +
                  std::to_string(ours.size()) + " (sizes PTX:";
  for (int64_t v : *ptxSizes)
    s += " " + std::to_string(v);
  s += "; launch:";
  for (int64_t v : ours)
    s += " " + std::to_string(v);
  return s + ")";
}

//===----------------------------------------------------------------------===//
// ptxas
//===----------------------------------------------------------------------===//

#ifndef HINM_BENCH_PTXAS
#define HINM_BENCH_PTXAS ""
#endif
#ifndef HINM_BENCH_CUDA_LIB_DIR
#define HINM_BENCH_CUDA_LIB_DIR ""
#endif

std::string hinm::bench::findPtxas(StringRef explicitPath) {
  if (!explicitPath.empty())
    return sys::fs::can_execute(explicitPath) ? explicitPath.str() : "";
  for (const char *var : {"CUDA_HOME", "CUDA_ROOT", "CUDA_PATH"}) {
    if (std::optional<std::string> root = sys::Process::GetEnv(var)) {
      SmallString<256> p(*root);
      sys::path::append(p, "bin", "ptxas");
      if (sys::fs::can_execute(p))
        return std::string(p);
    }
  }
  if (sys::fs::can_execute(HINM_BENCH_PTXAS))
    return HINM_BENCH_PTXAS;
  if (ErrorOr<std::string> p = sys::findProgramByName("ptxas"))
    return *p;
  return "";
}

PtxasInfo hinm::bench::parsePtxasInfo(StringRef log, StringRef name) {
  PtxasInfo info;
  // "Function properties for NAME" then "N bytes stack frame, N bytes spill
  // stores, N bytes spill loads"; "Compiling entry function 'NAME'" then
  // "Used N registers, ... N bytes smem, N bytes cmem[0]".
  SmallVector<StringRef> lines;
  log.split(lines, '\n');
  Regex props("([0-9]+) bytes stack frame, ([0-9]+) bytes spill stores, "
              "([0-9]+) bytes spill loads");
  Regex used("Used ([0-9]+) registers");
  Regex smem("([0-9]+) bytes smem");
  Regex cmem("([0-9]+) bytes cmem\\[0\\]");
  bool inProps = false, inEntry = false;
  for (StringRef line : lines) {
    if (line.contains("Function properties for")) {
      inProps = line.trim().ends_with(name);
      continue;
    }
    if (line.contains("Compiling entry function")) {
      inEntry = line.contains("'" + name.str() + "'");
      continue;
    }
    SmallVector<StringRef> m;
    if (inProps && props.match(line, &m)) {
      m[1].getAsInteger(10, info.stackBytes);
      m[2].getAsInteger(10, info.spillStores);
      m[3].getAsInteger(10, info.spillLoads);
      inProps = false;
      continue;
    }
    if (inEntry && used.match(line, &m)) {
      m[1].getAsInteger(10, info.registers);
      info.valid = true;
      if (smem.match(line, &m))
        m[1].getAsInteger(10, info.sharedBytes);
      if (cmem.match(line, &m))
        m[1].getAsInteger(10, info.constBytes);
      inEntry = false;
    }
  }
  return info;
}

std::string hinm::bench::runPtxas(StringRef ptxas, CompiledCase &c,
                                  bool wantCubin) {
  SmallString<128> ptxPath, cubinPath, logPath;
  int fd;
  if (sys::fs::createTemporaryFile("hinm-bench", "ptx", fd, ptxPath))
    return "cannot create a temporary file";
  {
    raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << c.ptx;
  }
  if (sys::fs::createTemporaryFile("hinm-bench", "cubin", cubinPath) ||
      sys::fs::createTemporaryFile("hinm-bench", "log", logPath))
    return "cannot create a temporary file";
  std::string arch = "-arch=" + c.chip;
  SmallVector<StringRef> args = {ptxas, arch, "-v", ptxPath, "-o", cubinPath};
  std::optional<StringRef> redirects[] = {std::nullopt, StringRef(logPath),
                                          StringRef(logPath)};
  std::string errMsg;
  int rc = sys::ExecuteAndWait(ptxas, args, std::nullopt, redirects,
                               /*SecondsToWait=*/300, 0, &errMsg);
  std::string log;
  if (auto buf = MemoryBuffer::getFile(logPath))
    log = (*buf)->getBuffer().str();
  std::string result;
  if (rc != 0) {
    result = "ptxas failed (exit " + std::to_string(rc) + ")" +
             (errMsg.empty() ? "" : ": " + errMsg) + "\n" + log;
  } else {
    for (KernelLaunch &k : c.kernels) {
      k.ptxas = parsePtxasInfo(log, k.name);
      if (!k.ptxas.valid)
        result = "no ptxas -v figures for kernel '" + k.name + "' in:\n" + log;
    }
    if (wantCubin)
      if (auto buf = MemoryBuffer::getFile(cubinPath, /*IsText=*/false))
        c.cubin = (*buf)->getBuffer().str();
  }
  sys::fs::remove(ptxPath);
  sys::fs::remove(cubinPath);
  sys::fs::remove(logPath);
  return result;
}

//===----------------------------------------------------------------------===//
// Floor model
//===----------------------------------------------------------------------===//

Floor hinm::bench::floorFor(const Shape &s, const Variant &v,
                            const HiNMFormat &fmt, const Machine &m) {
  Floor f;
  double outElt = (v.isCuBLAS() && v.f16Out) ? 2.0 : 4.0;
  f.outBytes = outElt * s.rows * s.n;
  if (v.isCuBLAS()) {
    f.weightBytes = 2.0 * s.rows * s.k;
    f.xBytes = 2.0 * s.k * s.n;
    f.memorySeconds = f.totalBytes() / m.hbmBytesPerSec;
    f.mathSeconds = s.denseFlops() / m.denseFlopsPerSec;
    return f;
  }
  double p = static_cast<double>(fmt.paddedRows(s.rows));
  f.weightBytes = 2.0 * p * fmt.compressedCols();
  f.metaBytes = 4.0 * p * fmt.metaWordsPerRow();
  f.indexBytes = 4.0 * fmt.numBlocks(s.rows) * fmt.kept + 4.0 * p;
  // Activations: every X row some block keeps is read from DRAM once (the
  // gathers of the other blocks hit L2). With random kept sets over many
  // blocks nearly every row is kept by some block: the expected share of
  // rows no block keeps is (1 - kept/K)^blocks.
  double keepShare = static_cast<double>(fmt.kept) / s.k;
  double untouched = std::pow(1.0 - keepShare, fmt.numBlocks(s.rows));
  f.xBytes = 2.0 * s.k * (1.0 - untouched) * s.n;
  f.memorySeconds = f.totalBytes() / m.hbmBytesPerSec;
  // The tensor cores multiply the kept columns at the 2:4 sparse rate
  // (which counts the dense-equivalent flops of the kept columns).
  f.mathSeconds = 2.0 * p * fmt.kept * s.n / m.sparseFlopsPerSec;
  return f;
}

//===----------------------------------------------------------------------===//
// Data
//===----------------------------------------------------------------------===//

uint16_t hinm::bench::floatToHalf(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  uint32_t sign = (x >> 16) & 0x8000u;
  uint32_t absx = x & 0x7fffffffu;
  if (absx >= 0x7f800000u) // Inf or NaN
    return sign | 0x7c00u | (absx > 0x7f800000u ? 0x200u : 0u);
  if (absx >= 0x477ff000u) // rounds to >= 65520: overflow to Inf
    return sign | 0x7c00u;
  if (absx < 0x38800000u) { // below the smallest normal half (2^-14)
    if (absx < 0x33000000u) // below half the smallest subnormal
      return sign;
    // Subnormal: shift the 24-bit significand, round to nearest even.
    uint32_t mant = (absx & 0x7fffffu) | 0x800000u;
    int shift = 126 - static_cast<int>(absx >> 23); // 14..24
    uint32_t q = mant >> shift, rem = mant & ((1u << shift) - 1);
    uint32_t halfway = 1u << (shift - 1);
    if (rem > halfway || (rem == halfway && (q & 1)))
      ++q;
    return sign | q;
  }
  // Normal: rebias the exponent (127 -> 15), round 23 -> 10 mantissa bits.
  uint32_t h = ((absx - 0x38000000u) >> 13);
  uint32_t rem = absx & 0x1fffu;
  if (rem > 0x1000u || (rem == 0x1000u && (h & 1)))
    ++h;
  return sign | h;
}

float hinm::bench::halfToFloat(uint16_t h) {
  uint32_t sign = (h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1fu, mant = h & 0x3ffu;
  uint32_t x;
  if (exp == 0x1f) {
    x = sign | 0x7f800000u | (mant << 13);
  } else if (exp != 0) {
    x = sign | ((exp + 112) << 23) | (mant << 13);
  } else if (mant == 0) {
    x = sign;
  } else {
    float v = std::ldexp(static_cast<float>(mant), -24);
    return sign ? -v : v;
  }
  float f;
  std::memcpy(&f, &x, 4);
  return f;
}

namespace {
/// A seeded stream with a portable uniform integer (std distributions differ
/// between standard libraries; the plan's data must not).
struct Rng {
  std::mt19937_64 gen;
  explicit Rng(uint64_t seed) : gen(seed) {}
  uint64_t below(uint64_t n) { return (gen() >> 11) % n; }
};

/// A fixed string hash (std::hash differs between standard libraries).
uint64_t fnv1a(StringRef s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (char c : s)
    h = (h ^ static_cast<uint8_t>(c)) * 0x100000001b3ull;
  return h;
}

uint64_t mixSeed(uint64_t a, uint64_t b) {
  uint64_t z = a * 0x9e3779b97f4a7c15ull + b + 0x632be59bd9b4e019ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
} // namespace

HiNMSelection hinm::bench::randomSelection(const HiNMFormat &fmt,
                                           int64_t rows, int64_t cols,
                                           uint64_t seed,
                                           bool identityColumns) {
  Rng rng(seed);
  HiNMSelection sel;
  int64_t p = fmt.paddedRows(rows), blocks = fmt.numBlocks(rows);
  sel.rowPerm.resize(p);
  for (int64_t i = 0; i < p; ++i)
    sel.rowPerm[i] = static_cast<int32_t>(i);
  for (int64_t i = p - 1; i > 0; --i)
    std::swap(sel.rowPerm[i], sel.rowPerm[rng.below(i + 1)]);
  sel.vectorIndex.resize(blocks * fmt.kept);
  std::vector<int32_t> all(cols);
  for (int64_t b = 0; b < blocks; ++b) {
    for (int64_t c = 0; c < cols; ++c)
      all[c] = static_cast<int32_t>(c);
    if (!(identityColumns && fmt.kept == cols))
      for (int64_t i = 0; i < fmt.kept; ++i) // partial Fisher-Yates
        std::swap(all[i], all[i + rng.below(cols - i)]);
    std::copy(all.begin(), all.begin() + fmt.kept,
              sel.vectorIndex.begin() + b * fmt.kept);
  }
  sel.nmMask.assign(p * fmt.kept, 0);
  std::vector<int64_t> pos(fmt.m);
  for (int64_t r = 0; r < p; ++r)
    for (int64_t g = 0; g < fmt.kept / fmt.m; ++g) {
      for (int64_t i = 0; i < fmt.m; ++i)
        pos[i] = i;
      for (int64_t i = 0; i < fmt.n; ++i)
        std::swap(pos[i], pos[i + rng.below(fmt.m - i)]);
      for (int64_t i = 0; i < fmt.n; ++i)
        sel.nmMask[r * fmt.kept + g * fmt.m + pos[i]] = 1;
    }
  return sel;
}

std::vector<float> hinm::bench::randomHalfValues(int64_t count,
                                                 uint64_t seed) {
  // k / 1024 for k in [-1024, 1024]: exact in FP16 (11-bit significand), so
  // the device and the reference see the same numbers, and products are
  // exact in FP32.
  Rng rng(seed);
  std::vector<float> v(count);
  for (float &x : v)
    x = static_cast<float>(static_cast<int64_t>(rng.below(2049)) - 1024) /
        1024.0f;
  return v;
}

void hinm::bench::parallelReference(const HiNMStorage &w,
                                    const std::vector<float> &x, int64_t n,
                                    std::vector<float> &y, int threads) {
  y.assign(w.rows * n, 0.0f);
  if (threads <= 0)
    threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  int64_t chunk = std::max<int64_t>(8, (n + threads - 1) / threads);
  std::vector<std::thread> pool;
  for (int64_t c0 = 0; c0 < n; c0 += chunk) {
    int64_t c1 = std::min(n, c0 + chunk);
    pool.emplace_back([&, c0, c1] {
      int64_t cn = c1 - c0;
      std::vector<float> xs(w.cols * cn), ys(w.rows * cn);
      for (int64_t r = 0; r < w.cols; ++r)
        std::copy(&x[r * n + c0], &x[r * n + c1], &xs[r * cn]);
      referenceMatmul(w, xs.data(), cn, ys.data());
      for (int64_t r = 0; r < w.rows; ++r)
        std::copy(&ys[r * cn], &ys[(r + 1) * cn], &y[r * n + c0]);
    });
  }
  for (std::thread &t : pool)
    t.join();
}

//===----------------------------------------------------------------------===//
// Plan files
//===----------------------------------------------------------------------===//

static json::Array toJSONArray(const int64_t (&v)[3]) {
  return json::Array{v[0], v[1], v[2]};
}

static json::Object ptxasJSON(const PtxasInfo &p) {
  return json::Object{{"registers", p.registers},
                      {"shared_bytes", p.sharedBytes},
                      {"stack_bytes", p.stackBytes},
                      {"spill_stores", p.spillStores},
                      {"spill_loads", p.spillLoads},
                      {"const_bytes", p.constBytes}};
}

static json::Object kernelJSON(const KernelLaunch &k) {
  json::Array params;
  for (const KernelParam &p : k.params) {
    json::Object o;
    switch (p.kind) {
    case KernelParam::Kind::Buffer:
    case KernelParam::Kind::BufferStruct:
      o["kind"] = p.kind == KernelParam::Kind::Buffer ? "buffer"
                                                      : "buffer_struct";
      o["buffer"] = bufferName(p.buffer);
      o["shape"] = json::Array(p.shape);
      o["element_bytes"] = p.elementBytes;
      break;
    case KernelParam::Kind::Bytes:
      o["kind"] = "bytes";
      o["hex"] = toHex(StringRef(reinterpret_cast<const char *>(p.bytes.data()),
                                 p.bytes.size()),
                       /*LowerCase=*/true);
      break;
    }
    params.push_back(std::move(o));
  }
  json::Object o{{"name", k.name},
                 {"grid", toJSONArray(k.grid)},
                 {"block", toJSONArray(k.block)},
                 {"dynamic_shared_bytes", k.dynamicSharedBytes},
                 {"bare_pointers", k.barePointers},
                 {"params", std::move(params)}};
  if (k.ptxas.valid)
    o["ptxas"] = ptxasJSON(k.ptxas);
  return o;
}

static json::Object formatJSON(const HiNMFormat &f) {
  return json::Object{{"vector_size", f.vectorSize},
                      {"kept", f.kept},
                      {"n", f.n},
                      {"m", f.m}};
}

Error hinm::bench::writePlan(StringRef dir,
                             const std::vector<CompiledCase> &cases) {
  if (std::error_code ec = sys::fs::create_directories(dir))
    return createStringError(ec, "cannot create plan folder '%s'",
                             dir.str().c_str());
  json::Array arr;
  for (const CompiledCase &c : cases) {
    json::Object o{{"shape", json::Array{c.shape.rows, c.shape.k, c.shape.n}},
                   {"variant", c.variant.name},
                   {"chip", c.chip},
                   {"pipeline", c.pipeline},
                   {"tiles", c.tiles},
                   {"compile_seconds", c.compileSeconds}};
    if (!c.error.empty())
      o["error"] = c.error;
    if (!c.variant.isCuBLAS()) {
      o["format"] = formatJSON(c.format);
      json::Array ks;
      for (const KernelLaunch &k : c.kernels)
        ks.push_back(kernelJSON(k));
      o["kernels"] = std::move(ks);
      auto writeFile = [&](StringRef ext, StringRef data) -> Error {
        SmallString<256> p(dir);
        sys::path::append(p, c.id() + "." + ext.str());
        std::error_code ec;
        raw_fd_ostream os(p, ec);
        if (ec)
          return createStringError(ec, "cannot write '%s'", p.c_str());
        os << data;
        o[(ext + "_file").str()] = c.id() + "." + ext.str();
        return Error::success();
      };
      if (!c.ptx.empty())
        if (Error e = writeFile("ptx", c.ptx))
          return e;
      if (!c.cubin.empty())
        if (Error e = writeFile("cubin", c.cubin))
          return e;
    }
    arr.push_back(std::move(o));
  }
  SmallString<256> p(dir);
  sys::path::append(p, "plan.json");
  return writeJSON(p, json::Object{{"hinm_bench_plan", 1},
                                   {"cases", std::move(arr)}});
}

/// Reads a file next to the plan; "" if absent.
static std::string readSibling(StringRef dir, StringRef name, bool text) {
  SmallString<256> p(dir);
  sys::path::append(p, name);
  auto buf = MemoryBuffer::getFile(p, text);
  return buf ? (*buf)->getBuffer().str() : std::string();
}

Expected<std::vector<CompiledCase>> hinm::bench::readPlan(StringRef dir) {
  SmallString<256> p(dir);
  sys::path::append(p, "plan.json");
  auto buf = MemoryBuffer::getFile(p);
  if (!buf)
    return createStringError(buf.getError(),
                             "cannot read the plan '%s' (make one with "
                             "hinm-bench --emit-plan=%s)",
                             p.c_str(), dir.str().c_str());
  Expected<json::Value> root = json::parse((*buf)->getBuffer());
  if (!root)
    return root.takeError();
  auto bad = [&](const Twine &what) {
    return createStringError("%s: %s", p.c_str(), what.str().c_str());
  };
  const json::Object *top = root->getAsObject();
  const json::Array *cases = top ? top->getArray("cases") : nullptr;
  if (!cases)
    return bad("no 'cases' array");
  std::vector<CompiledCase> out;
  for (const json::Value &cv : *cases) {
    const json::Object *o = cv.getAsObject();
    if (!o)
      return bad("a case is not an object");
    CompiledCase c;
    const json::Array *shape = o->getArray("shape");
    if (!shape || shape->size() != 3)
      return bad("a case has no 3-element 'shape'");
    c.shape = {(*shape)[0].getAsInteger().value_or(0),
               (*shape)[1].getAsInteger().value_or(0),
               (*shape)[2].getAsInteger().value_or(0)};
    auto vs = parseVariants(o->getString("variant").value_or(""));
    if (!vs)
      return vs.takeError();
    c.variant = vs->front();
    c.chip = o->getString("chip").value_or("").str();
    c.pipeline = o->getString("pipeline").value_or("").str();
    c.tiles = o->getString("tiles").value_or("").str();
    c.compileSeconds = o->getNumber("compile_seconds").value_or(0);
    c.error = o->getString("error").value_or("").str();
    if (const json::Object *f = o->getObject("format"))
      c.format = HiNMFormat{f->getInteger("vector_size").value_or(0),
                            f->getInteger("kept").value_or(0),
                            f->getInteger("n").value_or(0),
                            f->getInteger("m").value_or(0)};
    if (auto f = o->getString("ptx_file"))
      c.ptx = readSibling(dir, *f, true);
    if (auto f = o->getString("cubin_file"))
      c.cubin = readSibling(dir, *f, false);
    if (const json::Array *ks = o->getArray("kernels")) {
      for (const json::Value &kv : *ks) {
        const json::Object *ko = kv.getAsObject();
        if (!ko)
          return bad("a kernel is not an object");
        KernelLaunch k;
        k.name = ko->getString("name").value_or("").str();
        const json::Array *g = ko->getArray("grid"), *b = ko->getArray("block");
        if (!g || !b || g->size() != 3 || b->size() != 3)
          return bad("kernel '" + k.name + "' lacks grid/block");
        for (int i = 0; i < 3; ++i) {
          k.grid[i] = (*g)[i].getAsInteger().value_or(0);
          k.block[i] = (*b)[i].getAsInteger().value_or(0);
        }
        k.dynamicSharedBytes =
            ko->getInteger("dynamic_shared_bytes").value_or(0);
        k.barePointers = ko->getBoolean("bare_pointers").value_or(false);
        if (const json::Object *px = ko->getObject("ptxas")) {
          k.ptxas.valid = true;
          k.ptxas.registers = px->getInteger("registers").value_or(0);
          k.ptxas.sharedBytes = px->getInteger("shared_bytes").value_or(0);
          k.ptxas.stackBytes = px->getInteger("stack_bytes").value_or(0);
          k.ptxas.spillStores = px->getInteger("spill_stores").value_or(0);
          k.ptxas.spillLoads = px->getInteger("spill_loads").value_or(0);
          k.ptxas.constBytes = px->getInteger("const_bytes").value_or(0);
        }
        const json::Array *ps = ko->getArray("params");
        if (!ps)
          return bad("kernel '" + k.name + "' lacks params");
        for (const json::Value &pv : *ps) {
          const json::Object *po = pv.getAsObject();
          if (!po)
            return bad("a kernel parameter is not an object");
          KernelParam kp;
          StringRef kind = po->getString("kind").value_or("");
          if (kind == "bytes") {
            kp.kind = KernelParam::Kind::Bytes;
            std::string raw;
            if (!tryGetFromHex(po->getString("hex").value_or(""), raw))
              return bad("bad hex in a parameter of '" + k.name + "'");
            kp.bytes.assign(raw.begin(), raw.end());
          } else if (kind == "buffer" || kind == "buffer_struct") {
            kp.kind = kind == "buffer" ? KernelParam::Kind::Buffer
                                       : KernelParam::Kind::BufferStruct;
            auto id = bufferFromName(po->getString("buffer").value_or(""));
            if (!id)
              return bad("unknown buffer in a parameter of '" + k.name + "'");
            kp.buffer = *id;
            kp.elementBytes = po->getInteger("element_bytes").value_or(0);
            if (const json::Array *sh = po->getArray("shape"))
              for (const json::Value &d : *sh)
                kp.shape.push_back(d.getAsInteger().value_or(0));
          } else {
            return bad("unknown parameter kind '" + kind + "'");
          }
          k.params.push_back(std::move(kp));
        }
        c.kernels.push_back(std::move(k));
      }
    }
    if (!c.variant.isCuBLAS() && c.error.empty() && c.ptx.empty())
      c.error = "the plan has no PTX for this case";
    out.push_back(std::move(c));
  }
  return out;
}

Error hinm::bench::writeJSON(StringRef path, const json::Value &v) {
  std::error_code ec;
  raw_fd_ostream os(path, ec);
  if (ec)
    return createStringError(ec, "cannot write '%s'", path.str().c_str());
  os << formatv("{0:2}", v) << "\n";
  return Error::success();
}

//===----------------------------------------------------------------------===//
// The CUDA driver and cuBLAS, opened at run time
//===----------------------------------------------------------------------===//

// Names go through cuda.h's macros (cuMemAlloc -> cuMemAlloc_v2, ...), so the
// symbol looked up is the one the prototype describes.
#define HINM_STR(x) #x
#define HINM_XSTR(x) HINM_STR(x)

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
  X(cuEventSynchronize)                                                        \
  X(cuEventElapsedTime)                                                        \
  X(cuGetErrorName)                                                            \
  X(cuGetErrorString)

#define HINM_CUBLAS_FUNCS(X)                                                   \
  X(cublasCreate)                                                              \
  X(cublasDestroy)                                                             \
  X(cublasSetStream)                                                           \
  X(cublasSetWorkspace)                                                        \
  X(cublasGetVersion)

namespace {
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

  std::string err(CUresult r) const {
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

  std::string loadDriver() {
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

  /// cuBLAS is optional: without it the cuBLAS variants report an error.
  void loadCuBLAS(const std::string &explicitPath) {
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

  std::string retainContext() {
    CUresult r = p_cuDevicePrimaryCtxRetain(&ctx, device);
    if (r != CUDA_SUCCESS)
      return "cannot create a context: " + err(r);
    r = p_cuCtxSetCurrent(ctx);
    if (r != CUDA_SUCCESS)
      return "cannot make the context current: " + err(r);
    return "";
  }

  /// After a sticky error (illegal address, ...) the context is unusable:
  /// reset it so that the next case starts clean.
  void resetContext() {
    p_cuDevicePrimaryCtxRelease(device);
    p_cuDevicePrimaryCtxReset(device);
    ready = retainContext().empty();
  }
};

CudaApi &api() {
  static CudaApi a;
  return a;
}
} // namespace

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

/// Everything a case needs on the host: the weight's storage, X, Y_ref.
struct CaseData {
  HiNMStorage storage;
  std::vector<float> x;    // [k, n]
  std::vector<float> yRef; // [rows, n]
  int64_t termsPerOutput = 0;
};

/// Error out of the GPU part of one case (CUDA call failed).
struct CaseFailure {
  std::string text;
  bool sticky = false;
};

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
  const Shape &s = c.shape;
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
  bool f16 = h.elementBytes == 2;
  // FP16 inputs are exact, products exact in FP32; what differs is the FP32
  // summation order (error ~ sqrt(terms) ulps of the partial sums) and, for
  // FP16 output, the final rounding (half an FP16 ulp). A wrong index or
  // metadata bit changes a value by one product, ~0.25 on average.
  double atol = std::ldexp(1.0, -12) * std::sqrt(double(d.termsPerOutput));
  double rtol = f16 ? std::ldexp(1.0, -10) : std::ldexp(1.0, -16);
  res.elements = s.rows * s.n;
  for (int64_t i = 0; i < res.elements; ++i) {
    double got;
    if (f16) {
      uint16_t v;
      std::memcpy(&v, &h.bytes[2 * i], 2);
      got = halfToFloat(v);
    } else {
      float v;
      std::memcpy(&v, &h.bytes[4 * i], 4);
      got = v;
    }
    double ref = d.yRef[i];
    double diff = std::fabs(got - ref);
    bool ok = diff <= atol + rtol * std::fabs(ref); // false for NaN
    if (!std::isnan(diff)) {
      res.maxAbsErr = std::max(res.maxAbsErr, diff);
      res.maxRelErr =
          std::max(res.maxRelErr, diff / std::max(1.0, std::fabs(ref)));
    } else {
      res.maxAbsErr = INFINITY;
      res.maxRelErr = INFINITY;
    }
    if (!ok) {
      if (res.mismatches == 0)
        res.firstMismatch = "Y[" + std::to_string(i / s.n) + "][" +
                            std::to_string(i % s.n) +
                            "] = " + std::to_string(got) + ", expected " +
                            std::to_string(ref);
      ++res.mismatches;
    }
  }
  res.checked = true;
  res.correct = res.mismatches == 0;
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

std::vector<CaseResult>
hinm::bench::runCases(const std::vector<CompiledCase> &cases,
                      const RunOptions &o, raw_ostream &log) {
  std::vector<CaseResult> results(cases.size());
  // Weights per (shape, variant) and one X per shape, from the seed; cuBLAS
  // multiplies the dense form of the sp24 weight, so it shares sp24's
  // reference.
  std::map<std::string, std::shared_ptr<CaseData>> cache;
  std::map<std::string, std::vector<float>> xs;
  for (size_t i = 0; i < cases.size(); ++i) {
    const CompiledCase &c = cases[i];
    CaseResult &res = results[i];
    res.compiled = c.error.empty();
    if (!res.compiled) {
      res.error = c.error;
      res.skipped = !c.tiles.empty();
      log << c.shape.str() << " " << c.label()
          << (res.skipped ? ": skipped (tile configuration does not fit)\n"
                          : ": not run (compile error)\n");
      if (o.afterCase)
        o.afterCase(results);
      continue;
    }
    if (!api().ready && !o.prepareOnly) {
      res.error = "no usable CUDA context (reset after an earlier error "
                  "failed)";
      if (o.afterCase)
        o.afterCase(results);
      continue;
    }
    const Shape &s = c.shape;
    std::string shapeKey = s.str();
    std::string err;
    HiNMFormat fmt = c.variant.formatFor(s, err);
    if (!c.variant.isCuBLAS() && !(fmt == c.format))
      err = "the plan's format differs from this tool's for " + c.variant.name;
    if (!err.empty()) {
      res.error = err;
      continue;
    }
    bool identity = c.variant.isCuBLAS() || c.variant.name == "sp24";
    std::string dataKey =
        shapeKey + "/" + (identity ? std::string("sp24") : c.variant.name) +
        formatv("/V{0}/kept{1}", fmt.vectorSize, fmt.kept).str();
    // Cases come grouped by shape: drop the data of earlier shapes.
    if (!xs.empty() && !xs.count(shapeKey)) {
      xs.clear();
      cache.clear();
    }
    auto t0 = std::chrono::steady_clock::now();
    std::shared_ptr<CaseData> &data = cache[dataKey];
    if (!data) {
      uint64_t shapeSeed = mixSeed(o.seed, fnv1a(shapeKey));
      std::vector<float> &x = xs[shapeKey];
      if (x.empty())
        x = randomHalfValues(s.k * s.n, mixSeed(shapeSeed, 1));
      data = std::make_shared<CaseData>();
      uint64_t wSeed =
          mixSeed(shapeSeed, fnv1a(dataKey) + 2);
      HiNMSelection sel =
          randomSelection(fmt, s.rows, s.k, mixSeed(wSeed, 3), identity);
      std::string why = verifySelection(fmt, s.rows, s.k, sel);
      if (!why.empty()) {
        res.error = "internal: random selection invalid: " + why;
        data.reset();
        continue;
      }
      std::vector<float> dense = randomHalfValues(s.rows * s.k, wSeed);
      data->storage = pack(dense.data(), s.rows, s.k, fmt, sel);
      data->x = x;
      data->termsPerOutput = fmt.kept / fmt.m * fmt.n;
      parallelReference(data->storage, data->x, s.n, data->yRef, o.threads);
    }
    double prepSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
            .count();
    std::optional<CaseFailure> fail;
    if (o.prepareOnly) {
      log << formatv("{0,-16} {1,-28} data and reference ready in {2:F1} s\n",
                     s.str(), c.label(), prepSeconds);
      continue;
    }
    {
      CaseRunner runner(c, *data, o, res, log);
      fail = runner.run();
    }
    if (fail) {
      res.error = fail->text;
      if (fail->sticky) {
        log << "  note: sticky CUDA error; resetting the context\n";
        api().resetContext();
      }
    }
    log << formatv("{0,-16} {1,-28} ", s.str(), c.label());
    if (!res.error.empty())
      log << "FAILED: " << res.error << "\n";
    else
      log << formatv("median {0,9:F2} us  check {1} (max err {2:E2})  "
                     "[data {3:F1} s]\n",
                     res.medianUs, res.correct ? "ok" : "MISMATCH",
                     res.maxAbsErr, prepSeconds);
    log.flush();
    if (o.afterCase)
      o.afterCase(results);
  }
  return results;
}

//===----------------------------------------------------------------------===//
// Reports
//===----------------------------------------------------------------------===//

static std::string formatName(const CompiledCase &c) {
  if (c.variant.isCuBLAS())
    return c.variant.f16Out ? "dense f16 out" : "dense f32 out";
  return formatv("V{0} kept {1}/{2}", c.format.vectorSize, c.format.kept,
                 c.shape.k)
      .str();
}

/// The reason of a pipeline failure in one line.
static StringRef briefError(StringRef error) {
  StringRef key = "cannot be lowered to the GPU kernel: ";
  size_t pos = error.find(key);
  if (pos != StringRef::npos)
    return error.substr(pos + key.size()).split('\n').first;
  return error.split('\n').first;
}

void hinm::bench::printDryRun(raw_ostream &os,
                              const std::vector<CompiledCase> &cases,
                              const Machine &m) {
  os << "== kernels (ptxas -v)\n";
  for (const CompiledCase &c : cases) {
    if (c.variant.isCuBLAS())
      continue;
    if (!c.error.empty()) {
      os << formatv("{0,-16} {1,-28} {2}: {3}\n", c.shape.str(), c.label(),
                    c.tiles.empty() ? "ERROR" : "SKIPPED",
                    c.tiles.empty() ? StringRef(c.error) : briefError(c.error));
      continue;
    }
    for (const KernelLaunch &k : c.kernels) {
      os << formatv("{0,-16} {1,-28} {2,-20} grid {3}x{4}x{5} block {6}: ",
                    c.shape.str(), c.label(), k.name, k.grid[0],
                    k.grid[1], k.grid[2], k.block[0] * k.block[1] * k.block[2]);
      if (!k.ptxas.valid) {
        os << "no ptxas figures\n";
        continue;
      }
      os << formatv("{0} registers, {1} bytes smem, {2} bytes stack, {3} "
                    "bytes spill stores, {4} bytes spill loads\n",
                    k.ptxas.registers, k.ptxas.sharedBytes, k.ptxas.stackBytes,
                    k.ptxas.spillStores, k.ptxas.spillLoads);
    }
  }
  os << formatv("== floor model: HBM {0:F2} TB/s, dense FP16 {1:F0} TFLOP/s, "
                "2:4 sparse {2:F0} TFLOP/s\n",
                m.hbmBytesPerSec / 1e12, m.denseFlopsPerSec / 1e12,
                m.sparseFlopsPerSec / 1e12);
  os << formatv("{0,-16} {1,-28} {2,-20} {3,10} {4,10} {5,10} {6,10} {7,9} "
                "{8,9} {9,9} {10}\n",
                "shape", "variant", "format", "W MB", "meta+idx MB", "X MB",
                "Y MB", "mem us", "math us", "floor us", "bound");
  for (const CompiledCase &c : cases) {
    if (!c.error.empty())
      continue;
    Floor f = floorFor(c.shape, c.variant, c.format, m);
    os << formatv("{0,-16} {1,-28} {2,-20} {3,10:F3} {4,10:F3} {5,10:F3} "
                  "{6,10:F3} {7,9:F2} {8,9:F2} {9,9:F2} {10}\n",
                  c.shape.str(), c.label(), formatName(c),
                  f.weightBytes / 1e6, (f.metaBytes + f.indexBytes) / 1e6,
                  f.xBytes / 1e6, f.outBytes / 1e6, f.memorySeconds * 1e6,
                  f.mathSeconds * 1e6, f.seconds() * 1e6, f.bound());
  }
}

/// The cuBLAS (FP32 out) median of a shape, 0 if none.
static double cublasMedian(const std::vector<CompiledCase> &cases,
                           const std::vector<CaseResult> &results,
                           const Shape &s) {
  for (size_t i = 0; i < cases.size() && i < results.size(); ++i)
    if (cases[i].variant.isCuBLAS() && !cases[i].variant.f16Out &&
        cases[i].shape.str() == s.str() && results[i].error.empty() &&
        results[i].medianUs > 0)
      return results[i].medianUs;
  return 0;
}

namespace {
/// Figures measured by the project on one H100 (issue 5), weight R x K times
/// K x N.
struct IssueFigures {
  Shape shape;
  double cublas, cusparselt, spatha; // us; Spatha 64:2:8
};
const IssueFigures kIssueFigures[] = {
    {{1024, 1024, 1024}, 5.8, 7.5, 10.6},
    {{1024, 2048, 1024}, 9.3, 10.3, 17.9},
    {{1024, 4096, 1024}, 15.8, 16.1, 32.6},
    {{4096, 4096, 4096}, 193, 146, 264},
};

/// The best correct median of `variant` on `shape` over its tile
/// configurations; 0 if none.
double bestMedian(const std::vector<CompiledCase> &cases,
                  const std::vector<CaseResult> &results, const Shape &s,
                  StringRef variant, std::string &label) {
  double best = 0;
  for (size_t i = 0; i < cases.size() && i < results.size(); ++i) {
    const CaseResult &r = results[i];
    if (cases[i].variant.name != variant || cases[i].shape.str() != s.str() ||
        !r.error.empty() || !r.correct || r.medianUs <= 0)
      continue;
    if (best == 0 || r.medianUs < best) {
      best = r.medianUs;
      label = cases[i].label();
    }
  }
  return best;
}

} // namespace

std::vector<TargetRow>
hinm::bench::evaluateTargets(const std::vector<CompiledCase> &cases,
                             const std::vector<CaseResult> &results) {
  std::vector<TargetRow> rows;
  for (const IssueFigures &f : kIssueFigures) {
    std::string cubLabel, hinmLabel, spLabel;
    double cub = bestMedian(cases, results, f.shape, "cublas", cubLabel);
    double hinm = bestMedian(cases, results, f.shape, "hinm-v64-s75", hinmLabel);
    double sp = bestMedian(cases, results, f.shape, "sp24", spLabel);
    auto add = [&](std::string target, const std::string &label, double us,
                   double bound, bool strict) {
      if (us <= 0 || bound <= 0)
        return;
      TargetRow t;
      t.shape = f.shape.str();
      t.target = std::move(target);
      t.label = label;
      t.us = us;
      t.boundUs = bound;
      t.pass = strict ? us < bound : us <= bound;
      rows.push_back(std::move(t));
    };
    bool square = f.shape.rows == f.shape.k;
    if (f.shape.k == 4096 && !square)
      add("HiNM 75% V=64 <= 0.5x cuBLAS (measured)", hinmLabel, hinm, 0.5 * cub,
          false);
    if (f.shape.k == 1024)
      add("HiNM 75% V=64 < 1.0x cuBLAS (measured)", hinmLabel, hinm, cub,
          true);
    add(formatv("HiNM 75% V=64 >= 3x Spatha 64:2:8 ({0} us)", f.spatha).str(),
        hinmLabel, hinm, f.spatha / 3.0, false);
    add(formatv("2:4 <= cuSPARSELt ({0} us)", f.cusparselt).str(), spLabel, sp,
        f.cusparselt, false);
    if (cub > 0) {
      TargetRow t;
      t.shape = f.shape.str();
      t.target = formatv("cuBLAS here vs the issue's {0} us", f.cublas).str();
      t.label = cubLabel;
      t.us = cub;
      t.boundUs = f.cublas;
      t.info = true;
      rows.push_back(std::move(t));
    }
  }
  return rows;
}

void hinm::bench::printResults(raw_ostream &os,
                               const std::vector<CompiledCase> &cases,
                               const std::vector<CaseResult> &results,
                               const Machine &m, const DeviceInfo *dev) {
  if (dev)
    os << formatv("== results on {0} (sm_{1}{2}, {3} SMs), driver {4}\n",
                  dev->name, dev->ccMajor, dev->ccMinor, dev->smCount,
                  dev->driverVersion);
  os << formatv("{0,-16} {1,-28} {2,10} {3,19} {4,9} {5,9} {6,9} {7,8} "
                "{8,10} {9}\n",
                "shape", "variant", "median us", "p10..p90 us", "vs cuBLAS",
                "TFLOP/s", "floor us", "x floor", "max err", "check");
  for (size_t i = 0; i < cases.size() && i < results.size(); ++i) {
    const CompiledCase &c = cases[i];
    const CaseResult &r = results[i];
    os << formatv("{0,-16} {1,-28} ", c.shape.str(), c.label());
    if (r.skipped) {
      os << "skipped: " << briefError(r.error) << "\n";
      continue;
    }
    if (!r.error.empty() || r.medianUs <= 0) {
      std::string e = r.error.empty() ? "no timing" : r.error;
      os << "FAILED: " << StringRef(e).split('\n').first << "\n";
      continue;
    }
    double base = cublasMedian(cases, results, c.shape);
    Floor f = floorFor(c.shape, c.variant, c.format, m);
    std::string ratio = base > 0 ? formatv("{0:F2}x", r.medianUs / base).str()
                                 : std::string("-");
    os << formatv("{0,10:F2} {1,8:F2}..{2,-9:F2} {3,9} {4,9:F1} {5,9:F2} "
                  "{6,8:F2} {7,10:E2} {8}\n",
                  r.medianUs, r.p10Us, r.p90Us, ratio,
                  c.shape.denseFlops() / (r.medianUs * 1e-6) / 1e12,
                  f.seconds() * 1e6, r.medianUs / (f.seconds() * 1e6),
                  r.maxAbsErr, r.correct ? "ok" : "MISMATCH " + r.firstMismatch);
  }
  std::vector<TargetRow> targets = evaluateTargets(cases, results);
  if (targets.empty())
    return;
  os << "== targets of issue 5 (best tile configuration of each variant; "
        "only checked-correct results count)\n";
  os << formatv("{0,-16} {1,-44} {2,-26} {3,9} {4,9} {5}\n", "shape",
                "target", "ours", "us", "bound us", "result");
  for (const TargetRow &t : targets)
    os << formatv("{0,-16} {1,-44} {2,-26} {3,9:F2} {4,9:F2} {5}\n", t.shape,
                  t.target, t.label, t.us, t.boundUs,
                  t.info ? formatv("(info) {0:F2}x", t.us / t.boundUs).str()
                         : std::string(t.pass ? "PASS" : "FAIL"));
}

json::Value hinm::bench::toJSON(const std::vector<CompiledCase> &cases,
                                const std::vector<CaseResult> &results,
                                const Machine &m, const DeviceInfo *dev,
                                StringRef mode) {
  json::Array arr;
  for (size_t i = 0; i < cases.size(); ++i) {
    const CompiledCase &c = cases[i];
    Floor f = floorFor(c.shape, c.variant, c.format, m);
    json::Object o{
        {"shape",
         json::Object{
             {"rows", c.shape.rows}, {"k", c.shape.k}, {"n", c.shape.n}}},
        {"variant", c.variant.name},
        {"label", c.label()},
        {"dense_flops", c.shape.denseFlops()},
        {"floor",
         json::Object{{"weight_bytes", f.weightBytes},
                      {"metadata_bytes", f.metaBytes},
                      {"index_bytes", f.indexBytes},
                      {"x_bytes", f.xBytes},
                      {"out_bytes", f.outBytes},
                      {"memory_us", f.memorySeconds * 1e6},
                      {"math_us", f.mathSeconds * 1e6},
                      {"floor_us", f.seconds() * 1e6},
                      {"bound", f.bound()}}}};
    if (!c.variant.isCuBLAS()) {
      o["format"] = formatJSON(c.format);
      o["pipeline"] = c.pipeline;
      o["tiles"] = c.tiles;
      o["chip"] = c.chip;
      o["compile_seconds"] = c.compileSeconds;
      json::Array ks;
      for (const KernelLaunch &k : c.kernels) {
        json::Object ko{{"name", k.name},
                        {"grid", toJSONArray(k.grid)},
                        {"block", toJSONArray(k.block)},
                        {"dynamic_shared_bytes", k.dynamicSharedBytes}};
        if (k.ptxas.valid)
          ko["ptxas"] = ptxasJSON(k.ptxas);
        ks.push_back(std::move(ko));
      }
      o["kernels"] = std::move(ks);
    }
    if (!c.error.empty())
      o["compile_error"] = c.error;
    if (i < results.size()) {
      const CaseResult &r = results[i];
      json::Object ro{{"ran", r.ran}, {"checked", r.checked},
                      {"correct", r.correct}, {"skipped", r.skipped}};
      if (!r.error.empty())
        ro["error"] = r.error;
      if (r.checked) {
        ro["max_abs_err"] = std::isinf(r.maxAbsErr) ? -1.0 : r.maxAbsErr;
        ro["max_rel_err"] = std::isinf(r.maxRelErr) ? -1.0 : r.maxRelErr;
        ro["mismatches"] = r.mismatches;
        ro["elements"] = r.elements;
        if (!r.firstMismatch.empty())
          ro["first_mismatch"] = r.firstMismatch;
      }
      if (!r.loadedFrom.empty())
        ro["loaded_from"] = r.loadedFrom;
      if (r.cublasVersion)
        ro["cublas_version"] = r.cublasVersion;
      if (r.samples > 0) {
        double base = cublasMedian(cases, results, c.shape);
        ro["timing_method"] = r.timingMethod;
        ro["samples"] = r.samples;
        ro["median_us"] = r.medianUs;
        ro["min_us"] = r.minUs;
        ro["p10_us"] = r.p10Us;
        ro["p90_us"] = r.p90Us;
        ro["tflops_effective"] =
            c.shape.denseFlops() / (r.medianUs * 1e-6) / 1e12;
        ro["x_floor"] = r.medianUs / (f.seconds() * 1e6);
        // The floor's compulsory bytes over the measured time.
        ro["floor_bytes_gbps"] = f.totalBytes() / (r.medianUs * 1e-6) / 1e9;
        if (base > 0)
          ro["ratio_vs_cublas"] = r.medianUs / base;
      }
      o["result"] = std::move(ro);
    }
    arr.push_back(std::move(o));
  }
  json::Array targets;
  for (const TargetRow &t : evaluateTargets(cases, results))
    targets.push_back(json::Object{{"shape", t.shape},
                                   {"target", t.target},
                                   {"label", t.label},
                                   {"us", t.us},
                                   {"bound_us", t.boundUs},
                                   {"info", t.info},
                                   {"pass", t.pass}});
  json::Object top{{"tool", "hinm-bench"},
                   {"targets", std::move(targets)},
                   {"mode", mode},
                   {"machine_model",
                    json::Object{{"hbm_bytes_per_sec", m.hbmBytesPerSec},
                                 {"dense_flops_per_sec", m.denseFlopsPerSec},
                                 {"sparse_flops_per_sec", m.sparseFlopsPerSec}}},
                   {"cases", std::move(arr)}};
  if (dev)
    top["device"] = json::Object{
        {"name", dev->name},
        {"compute_capability",
         std::to_string(dev->ccMajor) + "." + std::to_string(dev->ccMinor)},
        {"multiprocessors", dev->smCount},
        {"l2_bytes", dev->l2Bytes},
        {"driver_version", dev->driverVersion}};
  return top;
}

//===----------------------------------------------------------------------===//
// Command-line options shared by hinm-bench and hinm-bench-run
//===----------------------------------------------------------------------===//

namespace {
cl::OptionCategory benchCategory("hinm-bench options");

cl::opt<std::string> shapesOpt(
    "shapes",
    cl::desc("Comma-separated ROWSxKxN shapes (weight ROWSxK, activations "
             "KxN), or 'issue5' (default for hinm-bench) or 'small'"),
    cl::init(""), cl::cat(benchCategory));
cl::opt<std::string> variantsOpt(
    "variants",
    cl::desc("Comma-separated variants: cublas, cublas-f16, sp24, "
             "hinm-v<V>-s<total sparsity %> (e.g. hinm-v64-s75), or 'all'; "
             "default cublas,sp24,hinm-v32-s75,hinm-v64-s75"),
    cl::init(""), cl::cat(benchCategory));
cl::opt<std::string> jsonOpt("json", cl::desc("Write the JSON report here"),
                             cl::value_desc("file"), cl::init(""),
                             cl::cat(benchCategory));
cl::opt<int> itersOpt("iters", cl::desc("Timed samples per case"),
                      cl::init(100), cl::cat(benchCategory));
cl::opt<int> graphOpt("graph-launches",
                      cl::desc("Launches captured per CUDA graph (one timed "
                               "sample is one graph replay)"),
                      cl::init(20), cl::cat(benchCategory));
cl::opt<int> warmupOpt("warmup", cl::desc("Untimed graph replays first"),
                       cl::init(10), cl::cat(benchCategory));
cl::opt<uint64_t> seedOpt("seed", cl::desc("Seed of the random data"),
                          cl::init(1), cl::cat(benchCategory));
cl::opt<int> deviceOpt("device", cl::desc("CUDA device ordinal"), cl::init(0),
                       cl::cat(benchCategory));
cl::opt<std::string> loadOpt(
    "load",
    cl::desc("Load kernels from 'ptx' (driver JIT; the cubin is the fallback "
             "when it fails) or 'cubin' (ptxas output, when present)"),
    cl::init("ptx"), cl::cat(benchCategory));
cl::opt<std::string> cublasOpt("cublas-lib",
                               cl::desc("Path of libcublas.so to use"),
                               cl::init(""), cl::cat(benchCategory));
cl::opt<int> threadsOpt("ref-threads",
                        cl::desc("CPU threads for the reference (0 = all)"),
                        cl::init(0), cl::cat(benchCategory));
cl::opt<bool> prepareOnlyOpt(
    "prepare-only",
    cl::desc("Make the data and the CPU references, run nothing on the GPU "
             "(to time the CPU part without a device)"),
    cl::init(false), cl::Hidden, cl::cat(benchCategory));
cl::opt<double> hbmOpt("hbm-tbps", cl::desc("Floor model: DRAM TB/s"),
                       cl::init(3.35), cl::cat(benchCategory));
cl::opt<double> denseOpt("dense-tflops",
                         cl::desc("Floor model: dense FP16 tensor TFLOP/s"),
                         cl::init(989), cl::cat(benchCategory));
cl::opt<double> sparseOpt("sparse-tflops",
                          cl::desc("Floor model: 2:4 sparse tensor TFLOP/s"),
                          cl::init(1979), cl::cat(benchCategory));
} // namespace

StringRef hinm::bench::shapesFlag() { return shapesOpt; }
StringRef hinm::bench::variantsFlag() { return variantsOpt; }
StringRef hinm::bench::jsonFlag() { return jsonOpt; }

Expected<RunOptions> hinm::bench::runOptionsFromFlags() {
  RunOptions o;
  o.iters = itersOpt;
  o.graphLaunches = graphOpt;
  o.warmup = warmupOpt;
  o.seed = seedOpt;
  o.device = deviceOpt;
  o.load = loadOpt;
  o.cublasPath = cublasOpt;
  o.threads = threadsOpt;
  o.prepareOnly = prepareOnlyOpt;
  if (o.iters < 1 || o.graphLaunches < 1 || o.warmup < 0)
    return createStringError("--iters and --graph-launches must be >= 1, "
                             "--warmup >= 0");
  if (o.load != "ptx" && o.load != "cubin")
    return createStringError("--load must be 'ptx' or 'cubin', got '%s'",
                             o.load.c_str());
  return o;
}

Expected<Machine> hinm::bench::machineFromFlags() {
  Machine m;
  if (!(hbmOpt > 0) || !(denseOpt > 0) || !(sparseOpt > 0))
    return createStringError("--hbm-tbps, --dense-tflops and --sparse-tflops "
                             "must be positive");
  m.hbmBytesPerSec = hbmOpt * 1e12;
  m.denseFlopsPerSec = denseOpt * 1e12;
  m.sparseFlopsPerSec = sparseOpt * 1e12;
  return m;
}

const cl::OptionCategory &hinm::bench::optionCategory() {
  return benchCategory;
}
