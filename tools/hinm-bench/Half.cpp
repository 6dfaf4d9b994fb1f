//===- Half.cpp - hinm-bench: FP16 conversion -----------------------------===//
//
// Part of the hinm project. See Half.h.
//
//===----------------------------------------------------------------------===//
#include "Half.h"

#include <cmath>
#include <cstring>

using namespace hinm;
using namespace hinm::bench;

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
