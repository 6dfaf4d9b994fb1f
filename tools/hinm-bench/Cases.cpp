//===- Cases.cpp - hinm-bench: shapes and variants ------------------------===//
//
// Part of the hinm project. See Cases.h.
//
//===----------------------------------------------------------------------===//
#include "Cases.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Regex.h"

#include <cmath>

using namespace llvm;
using namespace hinm;
using namespace hinm::bench;

// Issue 5: weight 1024xK times activations Kx1024 for K in {1024, 2048,
// 4096}; 4096x4096 times 4096x{16, 256, 4096}; 11008x4096 times 4096x512.
const char *const hinm::bench::kDefaultShapes = "issue5";
const char *const hinm::bench::kDefaultVariants =
    "cublas,sp24,hinm-v32-s75,hinm-v64-s75";

std::string Shape::str() const {
  return std::to_string(rows) + "x" + std::to_string(k) + "x" +
         std::to_string(n);
}

/// The items of a comma-separated list, trimmed (",," yields no item).
static SmallVector<StringRef> listItems(StringRef spec) {
  SmallVector<StringRef> items;
  spec.split(items, ',', -1, /*KeepEmpty=*/false);
  for (StringRef &item : items)
    item = item.trim();
  return items;
}

Expected<std::vector<Shape>> hinm::bench::parseShapes(StringRef spec) {
  std::vector<Shape> out;
  for (StringRef item : listItems(spec)) {
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
  for (StringRef item : listItems(spec)) {
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
    // The kernel reads 16-byte activation rows. --hinm-gpu-pipeline pads
    // other N through a host-side copy, which this harness (it fills the
    // kernel's own argument buffers and times the launch) cannot fill.
    if (s.n % 8 != 0) {
      err = "N = " + std::to_string(s.n) +
            " is not a multiple of 8; the compiler pads such N with a host "
            "copy that the benchmark harness cannot time: use N a multiple "
            "of 8";
      return f;
    }
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
