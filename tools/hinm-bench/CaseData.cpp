//===- CaseData.cpp - hinm-bench: the data of a case ----------------------===//
//
// Part of the hinm project. See CaseData.h.
//
//===----------------------------------------------------------------------===//
#include "CaseData.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <random>
#include <thread>

using namespace llvm;
using namespace hinm;
using namespace hinm::bench;

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

const CaseData *CaseDataCache::get(const CompiledCase &c, const HiNMFormat &fmt,
                                   std::string &err) {
  const Shape &s = c.shape;
  std::string shapeKey = s.str();
  bool identity = c.variant.isCuBLAS() || c.variant.name == "sp24";
  std::string dataKey =
      shapeKey + "/" + (identity ? std::string("sp24") : c.variant.name) +
      formatv("/V{0}/kept{1}", fmt.vectorSize, fmt.kept).str();
  // Cases come grouped by shape: drop the data of earlier shapes.
  if (!xs.empty() && !xs.count(shapeKey)) {
    xs.clear();
    cache.clear();
  }
  std::shared_ptr<CaseData> &data = cache[dataKey];
  if (!data) {
    uint64_t shapeSeed = mixSeed(seed, fnv1a(shapeKey));
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
      err = "internal: random selection invalid: " + why;
      data.reset();
      return nullptr;
    }
    std::vector<float> dense = randomHalfValues(s.rows * s.k, wSeed);
    data->storage = pack(dense.data(), s.rows, s.k, fmt, sel);
    data->x = x;
    data->termsPerOutput = fmt.kept / fmt.m * fmt.n;
    parallelReference(data->storage, data->x, s.n, data->yRef, threads);
  }
  return data.get();
}
