//===- FormatTest.cpp - storage format unit tests -------------------------===//
//
// Part of the hinm project.
//
//===----------------------------------------------------------------------===//
#include "hinm/Algorithm/Format.h"

#include "gtest/gtest.h"

#include <array>
#include <numeric>
#include <random>

using namespace hinm;

namespace {

/// A valid selection: identity permutation, every block keeps its first
/// `kept` columns in reverse order, every group keeps its first n positions.
HiNMSelection simpleSelection(const HiNMFormat &f, int64_t rows, int64_t cols) {
  HiNMSelection s;
  int64_t pr = f.paddedRows(rows);
  s.rowPerm.resize(pr);
  std::iota(s.rowPerm.begin(), s.rowPerm.end(), 0);
  for (int64_t b = 0; b < f.numBlocks(rows); ++b)
    for (int64_t c = 0; c < f.kept; ++c)
      s.vectorIndex.push_back(static_cast<int32_t>(f.kept - 1 - c));
  for (int64_t p = 0; p < pr; ++p)
    for (int64_t c = 0; c < f.kept; ++c)
      s.nmMask.push_back((c % f.m) < f.n);
  (void)cols;
  return s;
}

TEST(Format, Shapes) {
  HiNMFormat f{32, 64, 2, 4};
  EXPECT_EQ(f.validateFor(80, 128), "");
  EXPECT_EQ(f.numBlocks(80), 3);
  EXPECT_EQ(f.paddedRows(80), 96);
  EXPECT_EQ(f.compressedCols(), 32);
  EXPECT_EQ(f.metaBitsPerIndex(), 2);
  EXPECT_EQ(f.metaIndicesPerWord(), 16);
  EXPECT_EQ(f.metaWordsPerRow(), 2);
  HiNMFormat g{16, 16, 1, 8};
  EXPECT_EQ(g.metaBitsPerIndex(), 3);
  EXPECT_EQ(g.metaIndicesPerWord(), 10);
  EXPECT_EQ(g.metaWordsPerRow(), 1);
}

TEST(Format, RejectsBadParameters) {
  EXPECT_NE(HiNMFormat({24, 64, 2, 4}).validate(), "");
  EXPECT_NE(HiNMFormat({32, 62, 2, 4}).validate(), "");
  EXPECT_NE(HiNMFormat({32, 64, 4, 4}).validate(), "");
  EXPECT_NE(HiNMFormat({32, 64, 0, 4}).validate(), "");
  EXPECT_NE(HiNMFormat({32, 64, 2, 4}).validateFor(32, 60), "");
  EXPECT_NE(HiNMFormat({32, 64, 2, 4}).validateFor(0, 128), "");
}

TEST(Format, KeptForVectorSparsity) {
  EXPECT_EQ(keptForVectorSparsity(576, 0.5, 4), 288);
  EXPECT_EQ(keptForVectorSparsity(120, 0.5, 4), 60);
  EXPECT_EQ(keptForVectorSparsity(122, 0.5, 4), 60);
  EXPECT_EQ(keptForVectorSparsity(64, 0.99, 4), 4);
}

TEST(Format, PackUnpackRoundTripsThePrunedMatrix) {
  HiNMFormat f{32, 16, 2, 4};
  int64_t rows = 40, cols = 24;
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> dist(-1, 1);
  std::vector<float> w(rows * cols);
  for (float &v : w)
    v = dist(rng);
  HiNMSelection sel = simpleSelection(f, rows, cols);
  // Swap two storage rows across blocks to exercise the permutation.
  std::swap(sel.rowPerm[3], sel.rowPerm[35]);
  ASSERT_EQ(verifySelection(f, rows, cols, sel), "");
  HiNMStorage s = pack(w.data(), rows, cols, f, sel);
  EXPECT_EQ(verifyMetadata(f, rows, s.metadata.data()), "");
  std::vector<float> d(rows * cols);
  unpack(s, d.data());
  for (int64_t p = 0; p < f.paddedRows(rows); ++p) {
    int64_t r = sel.rowPerm[p];
    if (r >= rows)
      continue;
    for (int64_t c = 0; c < cols; ++c) {
      // Kept: column among the first `kept` and at an even position of its
      // compacted group (positions 0,1 of each group of 4, reversed order).
      bool kept = c < f.kept && ((f.kept - 1 - c) % f.m) < f.n;
      EXPECT_EQ(d[r * cols + c], kept ? w[r * cols + c] : 0.0f)
          << "row " << r << " col " << c;
    }
  }
}

TEST(Format, MetadataIsTheMmaSpWord) {
  // 2:4, one row, 32 kept columns: 16 stored values, one 32-bit word; group g
  // keeps positions {0, 2} -> 2-bit fields 0b00, 0b10 -> nibble 0x8.
  HiNMFormat f{16, 32, 2, 4};
  HiNMSelection sel;
  sel.rowPerm.resize(16);
  std::iota(sel.rowPerm.begin(), sel.rowPerm.end(), 0);
  for (int c = 0; c < 32; ++c)
    sel.vectorIndex.push_back(c);
  for (int p = 0; p < 16; ++p)
    for (int c = 0; c < 32; ++c)
      sel.nmMask.push_back(c % 4 == 0 || c % 4 == 2);
  std::vector<float> w(16 * 32, 1.0f);
  HiNMStorage s = pack(w.data(), 16, 32, f, sel);
  ASSERT_EQ(s.metadata.size(), 16u);
  EXPECT_EQ(s.metadata[0], 0x88888888u);
}

TEST(Format, PackWritesOrderedMetadata) {
  // mma.sp::ordered_metadata (the sm_90 GPU kernel) requires the two indices
  // of every 2:4 group in ascending order, the lower one in the lower bits:
  // each group's 4-bit field is one of 0x4, 0x8, 0xC, 0x9, 0xD, 0xE. Every
  // one of the six masks of a group, in random combinations.
  HiNMFormat f{16, 64, 2, 4};
  const std::array<std::array<int, 2>, 6> masks = {
      {{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}}};
  std::mt19937 rng(11);
  HiNMSelection sel;
  sel.rowPerm.resize(16);
  std::iota(sel.rowPerm.begin(), sel.rowPerm.end(), 0);
  for (int c = 0; c < 64; ++c)
    sel.vectorIndex.push_back(c);
  sel.nmMask.assign(16 * 64, 0);
  std::vector<int> chosen(16 * 16);
  for (int p = 0; p < 16; ++p)
    for (int g = 0; g < 16; ++g) {
      int k = chosen[p * 16 + g] = int(rng() % 6);
      for (int pos : masks[k])
        sel.nmMask[p * 64 + 4 * g + pos] = 1;
    }
  std::vector<float> w(16 * 64, 1.0f);
  HiNMStorage s = pack(w.data(), 16, 64, f, sel);
  for (int p = 0; p < 16; ++p)
    for (int g = 0; g < 16; ++g) {
      uint32_t word = s.metadata[p * 2 + g / 8];
      uint32_t nibble = (word >> (4 * (g % 8))) & 0xF;
      const auto &m = masks[chosen[p * 16 + g]];
      EXPECT_EQ(nibble, uint32_t(m[0] | (m[1] << 2)))
          << "row " << p << " group " << g;
      EXPECT_LT(nibble & 3, nibble >> 2) << "row " << p << " group " << g;
    }
  EXPECT_EQ(verifyMetadata(f, 16, s.metadata.data()), "");
}

TEST(Format, VerifiersCatchBadContents) {
  HiNMFormat f{16, 8, 2, 4};
  std::vector<int32_t> idx = {0, 1, 2, 3, 4, 5, 6, 6};
  EXPECT_NE(verifyVectorIndex(f, 16, 8, idx.data()), "");
  idx.back() = 9;
  EXPECT_NE(verifyVectorIndex(f, 16, 8, idx.data()), "");
  idx.back() = 7;
  EXPECT_EQ(verifyVectorIndex(f, 16, 8, idx.data()), "");
  std::vector<int32_t> perm(16);
  std::iota(perm.begin(), perm.end(), 0);
  EXPECT_EQ(verifyRowPerm(f, 10, perm.data()), "");
  perm[5] = 4;
  EXPECT_NE(verifyRowPerm(f, 10, perm.data()), "");
  // One word a row; fields of the first group descending (2 then 1).
  std::vector<uint32_t> meta(16, 0x44u);
  EXPECT_EQ(verifyMetadata(f, 16, meta.data()), "");
  meta[3] = 0x06u;
  EXPECT_NE(verifyMetadata(f, 16, meta.data()), "");
  // Two of each group of four kept; one row keeping three fails.
  std::vector<uint8_t> mask(16 * 8);
  for (size_t i = 0; i < mask.size(); ++i)
    mask[i] = (i % 4) < 2;
  EXPECT_EQ(verifyNMMask(f, 16, mask.data()), "");
  mask[5 * 8 + 6] = 1;
  EXPECT_EQ(verifyNMMask(f, 16, mask.data()),
            "N:M mask keeps 3 values in row 5, group 1, expected 2");
}

TEST(Format, ReferenceMatmulMatchesDenseProduct) {
  HiNMFormat f{16, 8, 2, 4};
  int64_t rows = 20, cols = 12, n = 5;
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> dist(-1, 1);
  std::vector<float> w(rows * cols), x(cols * n);
  for (float &v : w)
    v = dist(rng);
  for (float &v : x)
    v = dist(rng);
  HiNMSelection sel = simpleSelection(f, rows, cols);
  std::swap(sel.rowPerm[0], sel.rowPerm[19]);
  HiNMStorage s = pack(w.data(), rows, cols, f, sel);
  std::vector<float> d(rows * cols), y(rows * n);
  unpack(s, d.data());
  referenceMatmul(s, x.data(), n, y.data());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < n; ++j) {
      double acc = 0;
      for (int64_t k = 0; k < cols; ++k)
        acc += double(d[r * cols + k]) * x[k * n + j];
      EXPECT_NEAR(y[r * n + j], acc, 1e-5);
    }
}

} // namespace
