//===- Cases.h - hinm-bench: shapes and variants ----------------*- C++ -*-===//
//
// Part of the hinm project. What hinm-bench measures: a shape (weight ROWSxK
// times activations KxN) and a variant (cuBLAS, or a HiNM format), as --shapes
// and --variants name them. docs/benchmarks-gpu.md lists the variants.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_TOOLS_HINM_BENCH_CASES_H
#define HINM_TOOLS_HINM_BENCH_CASES_H

#include "hinm/Algorithm/Format.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hinm {
namespace bench {

/// Y[rows, n] = W[rows, k] * X[k, n].
struct Shape {
  int64_t rows = 0, k = 0, n = 0;
  std::string str() const; // "RxKxN"
  double denseFlops() const { return 2.0 * rows * k * n; }
};

/// One implementation of a shape's product.
struct Variant {
  enum class Kind { CuBLAS, HiNM };
  std::string name;
  Kind kind = Kind::HiNM;
  /// cuBLAS: FP16 output instead of FP32 (accumulation is FP32 either way).
  bool f16Out = false;
  /// HiNM: vector size V and total sparsity (0.5 = 2:4 only, 0.75 = half the
  /// columns of each V-block dropped, then 2:4).
  int64_t vectorSize = 64;
  double totalSparsity = 0.5;

  bool isCuBLAS() const { return kind == Kind::CuBLAS; }
  /// The HiNM format for a shape ("" in `err` if it fits the GPU kernel).
  HiNMFormat formatFor(const Shape &s, std::string &err) const;
};

/// Parses "1024x1024x1024,4096x4096x16" or the names "issue5" (the shapes of
/// issue 5) and "small" (one quick shape).
llvm::Expected<std::vector<Shape>> parseShapes(llvm::StringRef spec);
/// Parses "cublas,sp24,hinm-v32-s75,hinm-v64-s75" (see docs); "all" = the
/// default set plus cublas-f16.
llvm::Expected<std::vector<Variant>> parseVariants(llvm::StringRef spec);
/// The default lists.
extern const char *const kDefaultShapes;
extern const char *const kDefaultVariants;

} // namespace bench
} // namespace hinm

#endif // HINM_TOOLS_HINM_BENCH_CASES_H
