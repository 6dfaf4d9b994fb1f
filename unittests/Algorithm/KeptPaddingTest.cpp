//===- KeptPaddingTest.cpp - raising the kept count with zeros ------------===//
//
// Part of the hinm project. The padded storage must be valid and compute
// exactly the same product on activations with zero rows appended, for
// every N:M pattern and word layout, whatever junk the unused metadata bits
// of the original hold.
//
//===----------------------------------------------------------------------===//
#include "hinm/Algorithm/KeptPadding.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <numeric>
#include <random>

using namespace hinm;

namespace {

/// A random valid storage: shuffled rows, random kept columns in random
/// order, random n of every m positions, values in [-1, 1].
HiNMStorage randomStorage(const HiNMFormat &f, int64_t rows, int64_t cols,
                          std::mt19937 &rng) {
  std::uniform_real_distribution<float> dist(-1, 1);
  std::vector<float> dense(rows * cols);
  for (float &v : dense)
    v = dist(rng);
  HiNMSelection sel;
  int64_t pr = f.paddedRows(rows);
  sel.rowPerm.resize(pr);
  std::iota(sel.rowPerm.begin(), sel.rowPerm.end(), 0);
  std::shuffle(sel.rowPerm.begin(), sel.rowPerm.end(), rng);
  for (int64_t b = 0; b < f.numBlocks(rows); ++b) {
    std::vector<int32_t> c(cols);
    std::iota(c.begin(), c.end(), 0);
    std::shuffle(c.begin(), c.end(), rng);
    sel.vectorIndex.insert(sel.vectorIndex.end(), c.begin(),
                           c.begin() + f.kept);
  }
  for (int64_t p = 0; p < pr; ++p)
    for (int64_t g = 0; g < f.kept / f.m; ++g) {
      std::vector<uint8_t> keep(f.m, 0);
      std::fill(keep.begin(), keep.begin() + f.n, 1);
      std::shuffle(keep.begin(), keep.end(), rng);
      sel.nmMask.insert(sel.nmMask.end(), keep.begin(), keep.end());
    }
  EXPECT_EQ(verifySelection(f, rows, cols, sel), "");
  return pack(dense.data(), rows, cols, f, sel);
}

/// Pads `s` to `newKept` and checks the result against the original.
void checkPadding(const HiNMStorage &s, int64_t newKept, std::mt19937 &rng) {
  const HiNMFormat &f = s.format;
  SCOPED_TRACE("V=" + std::to_string(f.vectorSize) +
               " kept=" + std::to_string(f.kept) + " -> " +
               std::to_string(newKept) + " " + std::to_string(f.n) + ":" +
               std::to_string(f.m) + " rows=" + std::to_string(s.rows) +
               " cols=" + std::to_string(s.cols));
  ASSERT_EQ(validateKeptPadding(f, newKept), "");
  HiNMStorage p = padKept(s, newKept);
  const HiNMFormat &pf = p.format;
  ASSERT_EQ(pf.kept, newKept);
  ASSERT_EQ(p.cols, s.cols + newKept - f.kept);
  ASSERT_EQ(pf.validateFor(p.rows, p.cols), "");
  ASSERT_EQ(p.values.size(),
            size_t(pf.paddedRows(p.rows) * pf.compressedCols()));
  ASSERT_EQ(p.metadata.size(),
            size_t(pf.paddedRows(p.rows) * pf.metaWordsPerRow()));
  EXPECT_EQ(verifyVectorIndex(pf, p.rows, p.cols, p.vectorIndex.data()), "");
  EXPECT_EQ(verifyRowPerm(pf, p.rows, p.rowPerm.data()), "");
  EXPECT_EQ(verifyMetadata(pf, p.rows, p.metadata.data()), "");

  // The padded matrix is [D, 0].
  std::vector<float> d(s.rows * s.cols), pd(p.rows * p.cols);
  unpack(s, d.data());
  unpack(p, pd.data());
  for (int64_t r = 0; r < s.rows; ++r)
    for (int64_t c = 0; c < p.cols; ++c)
      ASSERT_EQ(pd[r * p.cols + c], c < s.cols ? d[r * s.cols + c] : 0.0f)
          << "row " << r << " col " << c;

  // The same product on activations with zero rows appended: exactly, as the
  // padded terms add zeros after the same sum.
  const int64_t n = 5;
  std::uniform_real_distribution<float> dist(-2, 2);
  std::vector<float> x(s.cols * n), px(p.cols * n, 0.0f);
  for (float &v : x)
    v = dist(rng);
  std::copy(x.begin(), x.end(), px.begin());
  std::vector<float> y(s.rows * n), py(s.rows * n);
  referenceMatmul(s, x.data(), n, y.data());
  referenceMatmul(p, px.data(), n, py.data());
  EXPECT_EQ(y, py);
}

TEST(KeptPadding, RandomFormatsComputeTheSameProduct) {
  std::mt19937 rng(11);
  struct Shape {
    int64_t v, kept, n, m, rows, cols;
  };
  // 2:4 as the GPU pads it (72 -> 96, 60 -> 64, 4 -> 32), and other N:M
  // patterns whose fields take 1 to 3 bits and whose groups straddle words.
  for (Shape sh : {Shape{32, 72, 2, 4, 80, 144}, Shape{16, 60, 2, 4, 48, 120},
                   Shape{16, 4, 2, 4, 16, 6}, Shape{32, 36, 1, 4, 40, 50},
                   Shape{16, 24, 2, 8, 20, 33}, Shape{16, 24, 4, 8, 16, 24},
                   Shape{16, 10, 1, 2, 30, 12}, Shape{16, 15, 2, 3, 16, 20},
                   Shape{16, 14, 5, 7, 17, 28}}) {
    HiNMFormat f{sh.v, sh.kept, sh.n, sh.m};
    HiNMStorage s = randomStorage(f, sh.rows, sh.cols, rng);
    int64_t to32 = (sh.kept + 31) / 32 * 32;
    if (to32 % sh.m == 0)
      checkPadding(s, to32, rng);
    checkPadding(s, sh.kept + sh.m, rng);
    checkPadding(s, sh.kept + 5 * sh.m, rng);
    checkPadding(s, sh.kept, rng); // no change
  }
}

TEST(KeptPadding, IgnoresJunkInUnusedMetadataBits) {
  std::mt19937 rng(12);
  HiNMFormat f{16, 72, 2, 4}; // 36 stored values: word 2 uses 8 bits of 32
  HiNMStorage s = randomStorage(f, 16, 100, rng);
  for (int64_t p = 0; p < f.paddedRows(16); ++p)
    s.metadata[p * 3 + 2] |= 0xFFFFFF00u;
  ASSERT_EQ(verifyMetadata(f, 16, s.metadata.data()), "");
  checkPadding(s, 96, rng);
}

TEST(KeptPadding, MasksOfTheGpuCase) {
  // 2:4, kept 72 -> 96: 36 -> 48 stored values, 3 words. Word 2 keeps the
  // old 4 fields (8 bits); the 12 new fields alternate 0, 1: nibble 0x4.
  KeptPadding pad = keptPadding(HiNMFormat{32, 72, 2, 4}, 96);
  EXPECT_EQ(pad.addedColumns, 24);
  EXPECT_EQ(pad.format.kept, 96);
  EXPECT_EQ(pad.keepBits,
            (std::vector<uint32_t>{0xFFFFFFFFu, 0xFFFFFFFFu, 0x000000FFu}));
  EXPECT_EQ(pad.padFields, (std::vector<uint32_t>{0u, 0u, 0x44444400u}));
  // kept 4 -> 32: a whole new word.
  KeptPadding small = keptPadding(HiNMFormat{16, 4, 2, 4}, 64);
  EXPECT_EQ(small.keepBits, (std::vector<uint32_t>{0x0000000Fu, 0u}));
  EXPECT_EQ(small.padFields, (std::vector<uint32_t>{0x44444440u, 0x44444444u}));
}

TEST(KeptPadding, RejectsShrinkingAndMisalignedCounts) {
  HiNMFormat f{16, 72, 2, 4};
  EXPECT_NE(validateKeptPadding(f, 68), "");
  EXPECT_NE(validateKeptPadding(f, 74), "");
  EXPECT_EQ(validateKeptPadding(f, 72), "");
  EXPECT_EQ(validateKeptPadding(f, 96), "");
}

} // namespace
