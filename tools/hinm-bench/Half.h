//===- Half.h - hinm-bench: FP16 conversion ---------------------*- C++ -*-===//
//
// Part of the hinm project. The host side of the FP16 buffers: weights and
// activations are uploaded as FP16, and cublas-f16 writes FP16 outputs that
// the check reads back.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_TOOLS_HINM_BENCH_HALF_H
#define HINM_TOOLS_HINM_BENCH_HALF_H

#include <cstdint>

namespace hinm {
namespace bench {

/// Rounds to the nearest FP16 value (ties to even) and back.
uint16_t floatToHalf(float f);
float halfToFloat(uint16_t h);

} // namespace bench
} // namespace hinm

#endif // HINM_TOOLS_HINM_BENCH_HALF_H
