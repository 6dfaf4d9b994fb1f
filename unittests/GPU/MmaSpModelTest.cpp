//===- MmaSpModelTest.cpp - lane-level model of the mma.sp kernel ---------===//
//
// Part of the hinm project. No GPU needed: a CPU model of what the kernel of
// --convert-hinm-to-nvgpu does, lane by lane.
//
// The "hardware" side (ldmatrix, ldmatrix.trans, mma.sp m16n8k32 with
// sparsity selector 0) is written here from the PTX ISA in the inverse
// direction: given a matrix element, which lane/register/half (or metadata
// bits) the instruction reads it from or writes it to. The "software" side is
// the kernel's schedule, using the lane maps of hinm/Algorithm/MmaSpLayout.h
// (the same templates the code generator instantiates on IR values) and the
// tiling of chooseGPUTiling. The model's result must equal the reference
// product computed from the storage format, for every output element.
//
//===----------------------------------------------------------------------===//
#include "hinm/Algorithm/Format.h"
#include "hinm/Algorithm/MmaSpLayout.h"
#include "hinm/Conversion/HiNMToNVGPU/HiNMToNVGPU.h"
#include "PtxSemantics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <numeric>
#include <random>
#include <set>

using namespace hinm;
using namespace hinm::mmasp;
using namespace hinm::ptx;

namespace {

//===--------------------------------------------------------------------===//
// Kernel model (the schedule of lib/Conversion/HiNMToNVGPU).
//===--------------------------------------------------------------------===//

struct Problem {
  HiNMStorage w;
  std::vector<float> x; // [cols, n]
  int64_t n = 0;
};

Problem makeProblem(int64_t rows, int64_t cols, int64_t v, int64_t kept,
                    int64_t n, unsigned seed, bool identityIndex = false) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> val(-3, 3);
  HiNMFormat f{v, kept, 2, 4};
  int64_t p = f.paddedRows(rows);
  std::vector<float> dense(rows * cols);
  for (float &d : dense)
    d = val(rng);
  HiNMSelection sel;
  sel.rowPerm.resize(p);
  std::iota(sel.rowPerm.begin(), sel.rowPerm.end(), 0);
  std::shuffle(sel.rowPerm.begin(), sel.rowPerm.end(), rng);
  for (int64_t b = 0; b < f.numBlocks(rows); ++b) {
    std::vector<int32_t> c(cols);
    std::iota(c.begin(), c.end(), 0);
    if (!identityIndex)
      std::shuffle(c.begin(), c.end(), rng);
    sel.vectorIndex.insert(sel.vectorIndex.end(), c.begin(), c.begin() + kept);
  }
  sel.nmMask.assign(p * kept, 0);
  for (int64_t r = 0; r < p; ++r)
    for (int64_t g = 0; g < kept / 4; ++g) {
      std::array<int, 4> pos = {0, 1, 2, 3};
      std::shuffle(pos.begin(), pos.end(), rng);
      sel.nmMask[r * kept + g * 4 + pos[0]] = 1;
      sel.nmMask[r * kept + g * 4 + pos[1]] = 1;
    }
  EXPECT_EQ(verifySelection(f, rows, cols, sel), "");
  Problem pr;
  pr.w = pack(dense.data(), rows, cols, f, sel);
  pr.n = n;
  pr.x.resize(cols * n);
  for (float &e : pr.x)
    e = val(rng);
  return pr;
}

/// Runs the modelled kernel; returns the [rows, n] output and counts writes.
std::vector<float> runKernelModel(const Problem &pr, const GPUTiling &t,
                                  std::vector<int> &writes) {
  const HiNMStorage &w = pr.w;
  const HiNMFormat &f = w.format;
  const int64_t n = pr.n, kc = f.compressedCols(), words = f.metaWordsPerRow();
  const int64_t chunksA = t.kTile / 2 / kChunkElems;
  const int64_t chunksB = t.blockN / kChunkElems;
  std::vector<float> out(w.rows * n, -12345.0f);
  writes.assign(w.rows * n, 0);
  for (int64_t bx = 0; bx < t.gridX; ++bx)
    for (int64_t by = 0; by < t.gridY; ++by) {
      const int64_t rowBase = bx * t.blockM, colBase = by * t.blockN;
      const int64_t vblock = rowBase / f.vectorSize;
      const int64_t rowA = t.kTile / 2; // stored values per A tile row
      std::vector<float> sA(t.stages * t.blockM * rowA, NAN);
      std::vector<float> sB(t.stages * t.kTile * t.blockN, NAN);
      // cp.async of one k tile by all threads (forEachCopy schedule).
      auto loadTile = [&](int64_t kt, int64_t stage) {
        auto forEachCopy = [&](int64_t count, auto fn) {
          for (int64_t tid = 0; tid < t.threads; ++tid)
            for (int64_t base = 0; base < count; base += t.threads) {
              int64_t i = tid + base;
              if (base + t.threads > count)
                i = i % count;
              fn(i);
            }
        };
        forEachCopy(t.blockM * chunksA, [&](int64_t i) {
          int64_t row = i / chunksA, ch = i % chunksA;
          int64_t col = swizzleChunk(row, ch, chunksA) * kChunkElems;
          for (int64_t e = 0; e < kChunkElems; ++e)
            sA[(stage * t.blockM + row) * rowA + col + e] =
                w.values[(rowBase + row) * kc + kt * rowA +
                         ch * kChunkElems + e];
        });
        forEachCopy(t.kTile * chunksB, [&](int64_t i) {
          int64_t krow = i / chunksB, ch = i % chunksB;
          int64_t xrow = w.vectorIndex[vblock * f.kept + kt * t.kTile + krow];
          int64_t col = colBase + ch * kChunkElems;
          int64_t dcol = swizzleChunk(krow, ch, chunksB) * kChunkElems;
          for (int64_t e = 0; e < kChunkElems; ++e)
            sB[(stage * t.kTile + krow) * t.blockN + dcol + e] =
                col < n ? pr.x[xrow * n + col + e] : 0.0f; // zero-fill
        });
      };
      std::vector<std::array<Acc, 32>> acc(t.warpsM * t.warpsN *
                                           t.mTiles * t.nTiles);
      auto compute = [&](int64_t kt, int64_t stage) {
        for (int64_t warp = 0; warp < t.warpsM * t.warpsN; ++warp) {
          int64_t warpRowOff = (warp / t.warpsN) * t.warpRows;
          int64_t warpColOff = (warp % t.warpsN) * t.warpCols;
          for (int64_t s = 0; s < t.kSteps; ++s) {
            std::vector<std::array<Frag4, 32>> aF, bF;
            std::vector<std::array<uint32_t, 32>> eF;
            for (int64_t mt = 0; mt < t.mTiles; ++mt) {
              int64_t tileRow = warpRowOff + mt * kTileM;
              std::array<int64_t, 32> addr;
              std::array<uint32_t, 32> e;
              for (int64_t lane = 0; lane < 32; ++lane) {
                int64_t row = tileRow + ldmatrixARow(lane);
                int64_t ch = ldmatrixAChunk(lane) + s * (kTileKc / kChunkElems);
                int64_t col = swizzleChunk(row, ch, chunksA) * kChunkElems;
                addr[lane] = (stage * t.blockM + row) * rowA + col;
                int64_t word = kt * t.kSteps + s;
                uint32_t lo =
                    w.metadata[(rowBase + tileRow + metaRowLo(lane)) * words +
                               word];
                uint32_t hi =
                    w.metadata[(rowBase + tileRow + metaRowHi(lane)) * words +
                               word];
                e[lane] = metaOperand<uint32_t>(lo, hi, metaShift(lane));
              }
              aF.push_back(ldmatrixX4(sA, addr, /*trans=*/false));
              eF.push_back(e);
            }
            for (int64_t nt = 0; nt < t.nTiles; ++nt) {
              std::array<int64_t, 32> addr;
              for (int64_t lane = 0; lane < 32; ++lane) {
                int64_t krow = ldmatrixBRow(lane) + s * kTileK;
                int64_t ch = (warpColOff + nt * kTileN) / kChunkElems;
                int64_t col = swizzleChunk(krow, ch, chunksB) * kChunkElems;
                addr[lane] = (stage * t.kTile + krow) * t.blockN + col;
              }
              bF.push_back(ldmatrixX4(sB, addr, /*trans=*/true));
            }
            for (int64_t mt = 0; mt < t.mTiles; ++mt)
              for (int64_t nt = 0; nt < t.nTiles; ++nt) {
                auto &c = acc[(warp * t.mTiles + mt) * t.nTiles + nt];
                c = mmaSp(aF[mt], bF[nt], c, eF[mt]);
              }
          }
        }
      };
      // The schedule: prologue, steady state (prefetch into the stage of
      // kt - 1 after the barrier, then compute), drain.
      int64_t pro = std::min(t.stages - 1, t.kTiles);
      for (int64_t s = 0; s < pro; ++s)
        loadTile(s, s);
      int64_t mainEnd = std::max<int64_t>(0, t.kTiles - (t.stages - 1));
      for (int64_t kt = 0; kt < t.kTiles; ++kt) {
        if (kt < mainEnd)
          loadTile(kt + t.stages - 1, (kt + t.stages - 1) % t.stages);
        compute(kt, kt % t.stages);
      }
      // Epilogue.
      for (int64_t warp = 0; warp < t.warpsM * t.warpsN; ++warp) {
        int64_t warpRowOff = (warp / t.warpsN) * t.warpRows;
        int64_t warpColOff = (warp % t.warpsN) * t.warpCols;
        for (int64_t lane = 0; lane < 32; ++lane)
          for (int64_t mt = 0; mt < t.mTiles; ++mt)
            for (int64_t r = 0; r < 2; ++r) {
              int64_t p = rowBase + warpRowOff + mt * kTileM + fragCRow(lane, r);
              int64_t orig = w.rowPerm[p];
              if (orig >= w.rows)
                continue;
              for (int64_t nt = 0; nt < t.nTiles; ++nt) {
                int64_t col = colBase + warpColOff + nt * kTileN +
                              fragCCol(lane, int64_t(0));
                if (col >= n)
                  continue;
                const auto &c = acc[(warp * t.mTiles + mt) * t.nTiles + nt];
                for (int64_t h = 0; h < 2; ++h) {
                  out[orig * n + col + h] = c[lane][r][h];
                  ++writes[orig * n + col + h];
                }
              }
            }
      }
    }
  return out;
}

struct Case {
  int64_t rows, cols, v, kept, n;
  GPUTileOptions opts;
  bool identity = false;
};

void checkCase(const Case &c, unsigned seed) {
  SCOPED_TRACE("rows=" + std::to_string(c.rows) + " cols=" +
               std::to_string(c.cols) + " V=" + std::to_string(c.v) +
               " kept=" + std::to_string(c.kept) + " N=" + std::to_string(c.n) +
               " stages=" + std::to_string(c.opts.stages));
  Problem pr = makeProblem(c.rows, c.cols, c.v, c.kept, c.n, seed, c.identity);
  GPUTiling t;
  ASSERT_EQ(chooseGPUTiling(c.opts, pr.w.format.paddedRows(c.rows), c.v,
                            c.kept, c.n, t),
            "");
  std::vector<int> writes;
  std::vector<float> got = runKernelModel(pr, t, writes);
  std::vector<float> want(c.rows * c.n);
  referenceMatmul(pr.w, pr.x.data(), c.n, want.data());
  for (int64_t i = 0; i < c.rows * c.n; ++i) {
    ASSERT_EQ(writes[i], 1) << "element " << i << " written " << writes[i]
                            << " times";
    ASSERT_EQ(got[i], want[i]) << "row " << i / c.n << " col " << i % c.n;
  }
}

} // namespace

TEST(MmaSpLayout, LdmatrixGivesTheMmaFragments) {
  // A tile with distinct values: after ldmatrix, lane/register/half must hold
  // exactly the element the fragment map names.
  std::vector<float> a(16 * 16), b(32 * 8);
  std::iota(a.begin(), a.end(), 0.0f);
  std::iota(b.begin(), b.end(), 0.0f);
  std::array<int64_t, 32> addrA, addrB;
  for (int64_t l = 0; l < 32; ++l) {
    addrA[l] = ldmatrixARow(l) * 16 + ldmatrixAChunk(l) * 8;
    addrB[l] = ldmatrixBRow(l) * 8;
  }
  auto fa = ldmatrixX4(a, addrA, false);
  auto fb = ldmatrixX4(b, addrB, true);
  for (int64_t l = 0; l < 32; ++l)
    for (int64_t r = 0; r < 4; ++r)
      for (int64_t h = 0; h < 2; ++h) {
        EXPECT_EQ(fa[l][r][h], fragARow(l, r) * 16 + fragACol(l, r, h));
        EXPECT_EQ(fb[l][r][h], fragBK(l, r, h) * 8 + fragBN(l));
      }
}

TEST(MmaSpLayout, SingleTileMatchesDenseProduct) {
  // One 16x32 weight tile (V = 16, kept = cols = 32), one 8-column B tile.
  checkCase({16, 32, 16, 32, 8, {16, 8, 1, 1, 2}, true}, 1);
}

TEST(MmaSpLayout, MetadataOperandTakesHalfWordsOfRowsGAndG8) {
  // Rows g and g+8 with distinguishable words.
  uint32_t lo = 0x12345678u, hi = 0x9abcdef0u;
  EXPECT_EQ(metaOperand<uint32_t>(lo, hi, metaShift(int64_t(0))), 0xdef05678u);
  EXPECT_EQ(metaOperand<uint32_t>(lo, hi, metaShift(int64_t(1))), 0x9abc1234u);
  EXPECT_EQ(metaRowLo(int64_t(13)), 3);
  EXPECT_EQ(metaRowHi(int64_t(13)), 11);
}

TEST(MmaSpLayout, ModelReproducesUpstreamHardwareResult) {
  // Cross-check of the instruction model against a result measured on a GPU:
  // upstream MLIR's integration test
  // mlir/test/Integration/Dialect/SparseTensor/GPU/CUDA/sparse-mma-2-4-f16.mlir
  // (run on sm_80 hardware) fills compressed A[i][j] = i + j + 1, metadata
  // 0x8888 in every 16-bit half (indices 0 and 2 in every group), B given
  // column-major as b[n][k] = n - k, and prints C. The operands are placed
  // into lanes with that kernel's own thread maps (not with PtxSemantics.h):
  // lane t, quad q = t/4, pair p = t%2, column c = 2*(t%4); A registers
  // A[q][c..], A[q+8][c..], A[q][c+8..], A[q+8][c+8..]; B register r
  // b[q][c + 8r..]; metadata low half = meta[q][p], high = meta[q+8][p];
  // result register 0 = C[q][c..], register 1 = C[q+8][c..].
  // The expected values are that test's CHECK lines (rows 0, 7, 8, 15); with
  // the two indices of a group swapped the model gives -2704 for C[0][0].
  std::array<Frag4, 32> a{}, b{};
  std::array<Acc, 32> c{};
  std::array<uint32_t, 32> e{};
  auto aVal = [](int i, int j) { return float(i + j + 1); };
  auto bVal = [](int n, int k) { return float(n - k); };
  for (int t = 0; t < 32; ++t) {
    int q = t / 4, col = 2 * (t % 4);
    for (int h = 0; h < 2; ++h) {
      a[t][0][h] = aVal(q, col + h);
      a[t][1][h] = aVal(q + 8, col + h);
      a[t][2][h] = aVal(q, col + 8 + h);
      a[t][3][h] = aVal(q + 8, col + 8 + h);
      for (int r = 0; r < 4; ++r)
        b[t][r][h] = bVal(q, col + 8 * r + h);
    }
    e[t] = 0x8888u | (0x8888u << 16);
  }
  auto d = mmaSp(a, b, c, e);
  const std::map<int, std::array<float, 8>> expected = {
      {0, {-2720, -2584, -2448, -2312, -2176, -2040, -1904, -1768}},
      {7, {-4400, -4152, -3904, -3656, -3408, -3160, -2912, -2664}},
      {8, {-4640, -4376, -4112, -3848, -3584, -3320, -3056, -2792}},
      {15, {-6320, -5944, -5568, -5192, -4816, -4440, -4064, -3688}}};
  for (const auto &[row, want] : expected)
    for (int n = 0; n < 8; ++n) {
      int t = (row % 8) * 4 + n / 2;
      EXPECT_EQ(d[t][row / 8][n % 2], want[n]) << "C[" << row << "][" << n
                                               << "]";
    }
}

TEST(MmaSpLayout, SwizzleMakesLdmatrixPhasesConflictFree) {
  // Every 8-lane phase of every ldmatrix reads 8 distinct 16-byte slots of a
  // 128-byte line (bank groups), for A (2 chunks a row) and B (1..16 chunks).
  for (int64_t chunksPerRow : {2, 4, 8, 16}) {
    int64_t rows = chunksPerRow == 2 ? 16 : 32;
    for (int64_t ch = 0; ch < chunksPerRow; ++ch)
      for (int64_t phase = 0; phase < rows / 8; ++phase) {
        std::set<int64_t> slots;
        for (int64_t i = 0; i < 8; ++i) {
          int64_t row = phase * 8 + i;
          int64_t unit = row * chunksPerRow + swizzleChunk(row, ch, chunksPerRow);
          slots.insert(unit % 8);
        }
        EXPECT_EQ(slots.size(), 8u) << "chunksPerRow " << chunksPerRow;
      }
    // A permutation of the chunks of each row (no data lost).
    for (int64_t row = 0; row < 32; ++row) {
      std::set<int64_t> seen;
      for (int64_t ch = 0; ch < chunksPerRow; ++ch)
        seen.insert(swizzleChunk(row, ch, chunksPerRow));
      EXPECT_EQ(seen.size(), size_t(chunksPerRow));
      EXPECT_EQ(*seen.rbegin(), chunksPerRow - 1);
    }
  }
}

TEST(MmaSpModel, HiNMV32WithPermutationAndPaddingRows) {
  // 80 rows: 3 blocks of 32, 16 padding rows; 50% vector sparsity.
  checkCase({80, 128, 32, 64, 64, {}}, 2);
}

TEST(MmaSpModel, HiNMV64DeepPipeline) {
  checkCase({128, 256, 64, 96, 128, {64, 64, 2, 2, 4}}, 3);
}

TEST(MmaSpModel, NNotAMultipleOfTheBlockTile) {
  checkCase({64, 128, 32, 32, 40, {64, 64, 2, 2, 3}}, 4);
}

TEST(MmaSpModel, ManyKTilesTwoStages) {
  checkCase({96, 512, 32, 384, 32, {32, 32, 1, 2, 2}, false}, 5);
}

TEST(MmaSpModel, WarpShapes) {
  checkCase({64, 256, 64, 128, 128, {64, 128, 1, 4, 3}}, 6);
  checkCase({64, 256, 64, 128, 64, {64, 64, 4, 1, 3}}, 7);
  checkCase({128, 128, 128, 64, 64, {128, 32, 2, 1, 3}}, 8);
}

TEST(MmaSpModel, PlainTwoFourBaseline) {
  // No vector level: kept == cols, identity vector index, V = 16 / 64.
  checkCase({48, 128, 16, 128, 64, {}, true}, 9);
  checkCase({128, 256, 64, 256, 64, {}, true}, 10);
}

TEST(MmaSpModel, KTile32) {
  checkCase({80, 256, 32, 128, 64, {64, 64, 2, 2, 3, 32}}, 11);
  // kept = 96 is not a multiple of 64: the 64-wide k tile falls back to 32.
  checkCase({64, 128, 64, 96, 64, {64, 64, 2, 2, 3, 64}}, 12);
}

TEST(MmaSpModel, TilingRejectsBadOptions) {
  GPUTiling t;
  EXPECT_NE(chooseGPUTiling({64, 64, 2, 2, 1}, 64, 32, 64, 64, t), "");
  EXPECT_NE(chooseGPUTiling({24, 64, 2, 2, 3}, 64, 32, 64, 64, t), "");
  EXPECT_NE(chooseGPUTiling({64, 48, 2, 2, 3}, 64, 32, 64, 64, t), "");
  EXPECT_NE(chooseGPUTiling({64, 256, 2, 2, 8}, 64, 64, 64, 64, t), "");
  EXPECT_EQ(chooseGPUTiling({64, 64, 2, 2, 3}, 96, 32, 64, 64, t), "");
  EXPECT_EQ(t.blockM, 32); // reduced to V so a tile shares one vector index
  EXPECT_EQ(t.gridX, 3);
  EXPECT_EQ(t.kTile, 64);
  EXPECT_EQ(t.kSteps, 2);
  EXPECT_EQ(t.kTiles, 1);
  EXPECT_NE(chooseGPUTiling({64, 64, 2, 2, 3, 48}, 64, 32, 64, 64, t), "");
  // 64x128 tiles, 3 stages: 61440 bytes with k-tile 64, so 32 (30720).
  EXPECT_EQ(chooseGPUTiling({64, 128, 2, 2, 3, 64}, 64, 64, 128, 128, t), "");
  EXPECT_EQ(t.kTile, 32);
  EXPECT_EQ(t.sharedBytes, 30720);
  EXPECT_EQ(chooseGPUTiling({64, 64, 2, 2, 3, 64}, 64, 32, 96, 64, t), "");
  EXPECT_EQ(t.kTile, 32);
}
