//===- Check.h - hinm-bench: the output check -------------------*- C++ -*-===//
//
// Part of the hinm project. Every run checks the device's whole output
// against the CPU reference (hinm::referenceMatmul) before timing it: a fast
// wrong kernel must not count.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_TOOLS_HINM_BENCH_CHECK_H
#define HINM_TOOLS_HINM_BENCH_CHECK_H

#include "CaseData.h"
#include "Cases.h"
#include "Run.h"

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>

namespace hinm {
namespace bench {

/// Compares the device output `out` (row-major [rows, n], FP32, or FP16 when
/// `elementBytes` is 2) with `d.yRef`; fills the check fields of `res`
/// (checked, correct, errors, mismatches, the first mismatch).
void checkOutput(llvm::ArrayRef<uint8_t> out, int64_t elementBytes,
                 const CaseData &d, const Shape &s, CaseResult &res);

} // namespace bench
} // namespace hinm

#endif // HINM_TOOLS_HINM_BENCH_CHECK_H
