//===- MmaSpLayout.h - lane maps of ldmatrix and mma.sp m16n8k32 -*- C++ -*-===//
//
// Part of the hinm project. MLIR-free. The per-lane index math of the GPU
// kernel: which shared-memory row/chunk each lane hands to ldmatrix, which
// fragment element each lane's registers hold, how a lane builds its mma.sp
// metadata operand from this project's metadata words, and the XOR swizzle of
// the shared-memory tiles.
//
// Every function is a template over the integer type so that the SAME code
// runs on plain integers (unittests/GPU/MmaSpModelTest.cpp, a lane-level model
// checked against the dense product) and on the code generator's IR-building
// value wrapper (lib/Conversion/HiNMToNVGPU), which emits arith ops for it.
// The template code may only use + - * / % ^ & | << >> with the second operand
// an integer constant or a value of the same type.
//
// Facts encoded here (PTX ISA, "Matrix fragments for mma.m16n8k32" with
// sparse A, .f16; sparsity selector 0):
//   groupID = lane / 4, tig = lane % 4 (thread in group).
//   A (compressed 16x16, row-major):   register r in 0..3 holds two halves,
//       row = groupID + 8 * (r % 2), col = 2 * tig + h + 8 * (r / 2).
//   B (32x8, k x n, "column-major"):   register r in 0..3,
//       k = 8 * r + 2 * tig + h, n = groupID.
//   C/D (16x8):                         row r of the vector<2x2>,
//       row = groupID + 8 * r, col = 2 * tig + h.
//   Metadata: threads with tig 0 and 1 supply it (selector 0). The 32-bit
//       operand holds in bits [0,16) the 8 indices of row groupID and in bits
//       [16,32) those of row groupID + 8, for compressed columns
//       [8 * tig, 8 * tig + 8) (tig 0: k 0..15, tig 1: k 16..31). Our storage
//       word of a row holds compressed element j at bits 2j, so a lane takes
//       the (tig % 2)-th 16-bit half of both rows' words.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_ALGORITHM_MMASPLAYOUT_H
#define HINM_ALGORITHM_MMASPLAYOUT_H

#include <cstdint>

namespace hinm {
namespace mmasp {

/// The mma.sp shape for f16: M x N x K with K counted in dense columns.
constexpr int64_t kTileM = 16;
constexpr int64_t kTileN = 8;
constexpr int64_t kTileK = 32;
/// Stored (compressed) columns of one 32-wide k tile.
constexpr int64_t kTileKc = 16;
/// f16 elements in one 16-byte chunk (the unit of cp.async and ldmatrix rows).
constexpr int64_t kChunkElems = 8;

template <typename T> T groupId(T lane) { return lane / 4; }
template <typename T> T threadInGroup(T lane) { return lane % 4; }

//===--------------------------------------------------------------------===//
// ldmatrix addresses (each lane hands one 16-byte row address).
//===--------------------------------------------------------------------===//

/// A tile (16 rows x 16 stored f16, row-major), ldmatrix.x4 without .trans:
/// matrix q = lane / 8 is rows 8*(q%2).. and chunk q/2, so that the four
/// result registers are exactly a0a1, a2a3, a4a5, a6a7 of the fragment.
template <typename T> T ldmatrixARow(T lane) { return lane % 16; }
template <typename T> T ldmatrixAChunk(T lane) { return lane / 16; }

/// B tile (32 k-rows x 8 n, stored row-major [k][n]), ldmatrix.x4.trans:
/// matrix q is k rows 8q..8q+7, so register q holds b(2q), b(2q+1).
template <typename T> T ldmatrixBRow(T lane) { return lane; }

//===--------------------------------------------------------------------===//
// Fragments (which element a lane's register half holds).
//===--------------------------------------------------------------------===//

template <typename T> T fragARow(T lane, int64_t reg) {
  return groupId(lane) + 8 * (reg % 2);
}
template <typename T> T fragACol(T lane, int64_t reg, int64_t half) {
  return threadInGroup(lane) * 2 + (half + 8 * (reg / 2));
}
template <typename T> T fragBK(T lane, int64_t reg, int64_t half) {
  return threadInGroup(lane) * 2 + (8 * reg + half);
}
template <typename T> T fragBN(T lane) { return groupId(lane); }
template <typename T> T fragCRow(T lane, int64_t reg) {
  return groupId(lane) + 8 * reg;
}
template <typename T> T fragCCol(T lane, int64_t half) {
  return threadInGroup(lane) * 2 + half;
}

//===--------------------------------------------------------------------===//
// Metadata operand.
//===--------------------------------------------------------------------===//

/// Tile rows whose metadata words a lane reads (low and high half-word).
template <typename T> T metaRowLo(T lane) { return groupId(lane); }
template <typename T> T metaRowHi(T lane) { return groupId(lane) + 8; }
/// Shift (0 or 16) selecting the half of the words this lane supplies.
template <typename T> T metaShift(T lane) { return (lane % 2) * 16; }
/// The 32-bit metadata operand from the words of rows metaRowLo/metaRowHi
/// (word type W: uint32_t or an IR i32 value) and the shift.
template <typename W> W metaOperand(W wordLo, W wordHi, W shift) {
  return ((wordLo >> shift) & 0xFFFF) | ((wordHi >> shift) << 16);
}

//===--------------------------------------------------------------------===//
// Shared-memory XOR swizzle on 16-byte chunks.
//===--------------------------------------------------------------------===//

/// Physical chunk of logical chunk `chunk` of tile row `row` in a tile whose
/// rows are `chunksPerRow` chunks long (a power of two). Shared memory serves
/// 8 chunks (128 bytes) per cycle; an ldmatrix phase reads 8 rows at one
/// logical chunk. XOR-ing the chunk with the row's "line" index spreads those
/// 8 reads over 8 distinct chunk slots, so ldmatrix has no bank conflicts:
///   chunksPerRow >= 8: chunk ^ (row % 8)
///   chunksPerRow <  8: chunk ^ ((row / (8 / chunksPerRow)) % chunksPerRow)
/// cp.async writes (one chunk per lane, consecutive lanes on consecutive
/// chunks of a row) stay conflict-free since XOR permutes chunks in a row.
template <typename T> T swizzleChunk(T row, T chunk, int64_t chunksPerRow) {
  if (chunksPerRow >= 8)
    return chunk ^ (row % 8);
  if (chunksPerRow <= 1)
    return chunk;
  return chunk ^ ((row / (8 / chunksPerRow)) % chunksPerRow);
}

} // namespace mmasp
} // namespace hinm

#endif // HINM_ALGORITHM_MMASPLAYOUT_H
