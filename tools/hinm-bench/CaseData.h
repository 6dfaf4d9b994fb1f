//===- CaseData.h - hinm-bench: the data of a case --------------*- C++ -*-===//
//
// Part of the hinm project. The host data a case runs on: a random HiNM weight
// and random activations, both exact in FP16 and deterministic from the seed
// (on any standard library and thread count), and the CPU reference output
// that the device's output is checked against.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_TOOLS_HINM_BENCH_CASE_DATA_H
#define HINM_TOOLS_HINM_BENCH_CASE_DATA_H

#include "CompiledCase.h"

#include "hinm/Algorithm/Format.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace hinm {
namespace bench {

/// A random valid selection for `fmt` (rows, cols): random row permutation,
/// random kept columns per block in random order, random n of m. For
/// kept == cols with `identityColumns`, the vector index is the identity.
HiNMSelection randomSelection(const HiNMFormat &fmt, int64_t rows,
                              int64_t cols, uint64_t seed,
                              bool identityColumns);
/// Random FP16-representable values in [-1, 1].
std::vector<float> randomHalfValues(int64_t count, uint64_t seed);
/// referenceMatmul over column chunks on `threads` threads (same result).
void parallelReference(const HiNMStorage &w, const std::vector<float> &x,
                       int64_t n, std::vector<float> &y, int threads);

/// Everything a case needs on the host: the weight's storage, X, Y_ref.
struct CaseData {
  HiNMStorage storage;
  std::vector<float> x;    // [k, n]
  std::vector<float> yRef; // [rows, n]
  int64_t termsPerOutput = 0;
};

/// The data of the cases of a run. Weights are made per (shape, variant) and
/// X once per shape; cuBLAS multiplies the dense form of the sp24 weight, so
/// it shares sp24's data and reference. Cases come grouped by shape: the data
/// of a shape is dropped when the next one starts.
class CaseDataCache {
public:
  CaseDataCache(uint64_t seed, int threads) : seed(seed), threads(threads) {}
  /// The data of case `c` in format `fmt` (Variant::formatFor's), made on
  /// first use; valid until a case of another shape asks. Null, with `err`
  /// set, if the random selection fails verification (an internal error).
  const CaseData *get(const CompiledCase &c, const HiNMFormat &fmt,
                      std::string &err);

private:
  uint64_t seed;
  int threads;
  std::map<std::string, std::shared_ptr<CaseData>> cache;
  std::map<std::string, std::vector<float>> xs;
};

} // namespace bench
} // namespace hinm

#endif // HINM_TOOLS_HINM_BENCH_CASE_DATA_H
