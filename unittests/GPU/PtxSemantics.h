//===- PtxSemantics.h - CPU model of ldmatrix and mma.sp ------*- C++ -*-===//
//
// Part of the hinm project (tests). The "hardware" side of the lane-level
// tests, written from the PTX ISA in the inverse direction (given a matrix
// element, which lane/register/half or metadata bits an instruction reads it
// from or writes it to), independent of hinm/Algorithm/MmaSpLayout.h.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_UNITTESTS_GPU_PTXSEMANTICS_H
#define HINM_UNITTESTS_GPU_PTXSEMANTICS_H

#include <array>
#include <cstdint>
#include <vector>

namespace hinm {
namespace ptx {

using Reg = std::array<float, 2>;   // one 32-bit register: two halves
using Frag4 = std::array<Reg, 4>;    // vector<4x2xf16>
using Acc = std::array<Reg, 2>;      // vector<2x2xf32>

//===--------------------------------------------------------------------===//
// Hardware model (PTX ISA), independent of MmaSpLayout.h.
//===--------------------------------------------------------------------===//

/// ldmatrix.sync.aligned.m8n8.x4[.trans].shared.b16: lane 8q+i gives the
/// address of row i of matrix q; without .trans lane l receives row l/4,
/// columns 2(l%4), 2(l%4)+1 of each matrix q in register q; with .trans it
/// receives rows 2(l%4), 2(l%4)+1 of column l/4.
inline std::array<Frag4, 32> ldmatrixX4(const std::vector<float> &smem,
                                 const std::array<int64_t, 32> &addr,
                                 bool trans) {
  std::array<Frag4, 32> out{};
  for (int l = 0; l < 32; ++l)
    for (int q = 0; q < 4; ++q)
      for (int h = 0; h < 2; ++h) {
        int row = trans ? 2 * (l % 4) + h : l / 4;
        int col = trans ? l / 4 : 2 * (l % 4) + h;
        out[l][q][h] = smem[addr[8 * q + row] + col];
      }
  return out;
}

/// mma.sp.sync.aligned.m16n8k32.row.col, f16 or bf16 inputs (the same
/// fragment layouts), selector 0.
/// A (compressed 16x16): element (i, j) is in lane (i%8)*4 + (j%8)/2,
/// register (i/8) + 2*(j/8), half j%2. B (32x8): element (k, n) is in lane
/// n*4 + (k%8)/2, register k/8, half k%2. Metadata: the 2-bit index of
/// compressed element (i, j) is in the register of lane (i%8)*4 + j/8 at bit
/// 16*(i/8) + 2*(j%8). C/D (16x8): element (i, n) in lane (i%8)*4 + n/2,
/// register i/8, half n%2.
inline std::array<Acc, 32> mmaSp(const std::array<Frag4, 32> &a,
                          const std::array<Frag4, 32> &b,
                          const std::array<Acc, 32> &c,
                          const std::array<uint32_t, 32> &e) {
  float A[16][16], B[32][8], D[16][8];
  int idx[16][16];
  for (int i = 0; i < 16; ++i)
    for (int j = 0; j < 16; ++j) {
      A[i][j] = a[(i % 8) * 4 + (j % 8) / 2][i / 8 + 2 * (j / 8)][j % 2];
      idx[i][j] = (e[(i % 8) * 4 + j / 8] >> (16 * (i / 8) + 2 * (j % 8))) & 3;
    }
  for (int k = 0; k < 32; ++k)
    for (int n = 0; n < 8; ++n)
      B[k][n] = b[n * 4 + (k % 8) / 2][k / 8][k % 2];
  for (int i = 0; i < 16; ++i)
    for (int n = 0; n < 8; ++n) {
      float s = c[(i % 8) * 4 + n / 2][i / 8][n % 2];
      for (int j = 0; j < 16; ++j)
        s += A[i][j] * B[4 * (j / 2) + idx[i][j]][n];
      D[i][n] = s;
    }
  std::array<Acc, 32> d{};
  for (int i = 0; i < 16; ++i)
    for (int n = 0; n < 8; ++n)
      d[(i % 8) * 4 + n / 2][i / 8][n % 2] = D[i][n];
  return d;
}

/// mma.sp::ordered_metadata additionally requires, for every group of two
/// indices a lane supplies (selector 0, m16n8k32 .f16/.bf16: the lanes with
/// lane % 4 < 2), the first (lower bits) below the second. Returns the
/// first lane whose metadata breaks it, or -1.
inline int unorderedMetadataLane(const std::array<uint32_t, 32> &e) {
  for (int l = 0; l < 32; ++l) {
    if (l % 4 >= 2)
      continue; // not read for selector 0
    for (int g = 0; g < 8; ++g) { // 8 groups of two 2-bit indices
      uint32_t lo = (e[l] >> (4 * g)) & 3, hi = (e[l] >> (4 * g + 2)) & 3;
      if (lo >= hi)
        return l;
    }
  }
  return -1;
}

/// A bf16 register half: the upper 16 bits of the f32 pattern (the values
/// in the tests are small integers, exact in bf16).
inline bool bf16Bits(float v, uint32_t &bits) {
  uint32_t f;
  static_assert(sizeof(f) == sizeof(v));
  __builtin_memcpy(&f, &v, sizeof(f));
  bits = f >> 16;
  return (f & 0xFFFF) == 0;
}
inline float bf16Value(uint32_t bits) {
  uint32_t f = (bits & 0xFFFF) << 16;
  float v;
  __builtin_memcpy(&v, &f, sizeof(v));
  return v;
}

} // namespace ptx
} // namespace hinm

#endif // HINM_UNITTESTS_GPU_PTXSEMANTICS_H
