//===- Check.cpp - hinm-bench: the output check ---------------------------===//
//
// Part of the hinm project. See Check.h.
//
//===----------------------------------------------------------------------===//
#include "Check.h"

#include "Half.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

using namespace llvm;
using namespace hinm;
using namespace hinm::bench;

void hinm::bench::checkOutput(ArrayRef<uint8_t> out, int64_t elementBytes,
                              const CaseData &d, const Shape &s,
                              CaseResult &res) {
  bool f16 = elementBytes == 2;
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
      std::memcpy(&v, &out[2 * i], 2);
      got = halfToFloat(v);
    } else {
      float v;
      std::memcpy(&v, &out[4 * i], 4);
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
}
