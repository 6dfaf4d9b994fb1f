//===- BenchTest.cpp - hinm-bench's MLIR-free parts -----------------------===//
//
// Part of the hinm project. The pieces of tools/hinm-bench that a GPU run
// relies on and that can be checked without a GPU: FP16 conversion, random
// selections, the threaded reference, the case data cache, the output check,
// ptxas/PTX parsing, the floor model and the plan files.
//
//===----------------------------------------------------------------------===//
#include "CaseData.h"
#include "Cases.h"
#include "Check.h"
#include "CompiledCase.h"
#include "FloorModel.h"
#include "Half.h"
#include "Plan.h"
#include "Ptxas.h"
#include "Targets.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

using namespace hinm;
using namespace hinm::bench;

TEST(BenchHalf, RoundTripsEveryHalf) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    bool nan = (h & 0x7c00) == 0x7c00 && (h & 0x3ff) != 0;
    if (nan)
      continue;
    float f = halfToFloat(static_cast<uint16_t>(h));
    EXPECT_EQ(floatToHalf(f), h) << "half 0x" << std::hex << h;
  }
  EXPECT_TRUE(std::isnan(halfToFloat(floatToHalf(NAN))));
}

TEST(BenchHalf, RoundsToNearestEven) {
  EXPECT_EQ(floatToHalf(1.0f + std::ldexp(1.0f, -11)), 0x3c00); // tie, even
  EXPECT_EQ(floatToHalf(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3c02);
  EXPECT_EQ(floatToHalf(1.0f + std::ldexp(1.0f, -11) + std::ldexp(1.0f, -20)),
            0x3c01);
  EXPECT_EQ(floatToHalf(65504.0f), 0x7bff);
  EXPECT_EQ(floatToHalf(65519.0f), 0x7bff);
  EXPECT_EQ(floatToHalf(65520.0f), 0x7c00); // overflow to infinity
  EXPECT_EQ(floatToHalf(-std::ldexp(1.0f, -24)), 0x8001); // smallest subnormal
  EXPECT_EQ(floatToHalf(std::ldexp(1.0f, -26)), 0x0000);  // below half of it
  EXPECT_EQ(floatToHalf(3 * std::ldexp(1.0f, -25)), 0x0002); // tie, even
}

TEST(BenchData, RandomValuesAreExactHalves) {
  std::vector<float> v = randomHalfValues(10000, 7);
  bool negative = false, positive = false;
  for (float x : v) {
    EXPECT_EQ(halfToFloat(floatToHalf(x)), x);
    EXPECT_LE(std::fabs(x), 1.0f);
    negative |= x < 0;
    positive |= x > 0;
  }
  EXPECT_TRUE(negative && positive);
  EXPECT_EQ(v, randomHalfValues(10000, 7));
  EXPECT_NE(v, randomHalfValues(10000, 8));
}

TEST(BenchData, RandomSelectionsAreValid) {
  struct Case {
    HiNMFormat fmt;
    int64_t rows, cols;
    bool identity;
  } cases[] = {
      {{32, 64, 2, 4}, 128, 128, false},
      {{64, 256, 2, 4}, 100, 256, true}, // padding rows, identity columns
      {{16, 32, 2, 4}, 40, 96, false},
  };
  for (const Case &c : cases) {
    HiNMSelection s = randomSelection(c.fmt, c.rows, c.cols, 3, c.identity);
    EXPECT_EQ(verifySelection(c.fmt, c.rows, c.cols, s), "");
    HiNMSelection again = randomSelection(c.fmt, c.rows, c.cols, 3, c.identity);
    EXPECT_EQ(s.rowPerm, again.rowPerm);
    EXPECT_EQ(s.vectorIndex, again.vectorIndex);
    EXPECT_EQ(s.nmMask, again.nmMask);
    if (c.identity && c.fmt.kept == c.cols) {
      for (int64_t i = 0; i < c.fmt.kept; ++i)
        EXPECT_EQ(s.vectorIndex[i], i);
    }
  }
}

TEST(BenchData, ParallelReferenceMatchesReference) {
  HiNMFormat fmt{32, 64, 2, 4};
  int64_t rows = 70, cols = 128, n = 40;
  HiNMSelection sel = randomSelection(fmt, rows, cols, 5, false);
  std::vector<float> dense = randomHalfValues(rows * cols, 6);
  HiNMStorage w = pack(dense.data(), rows, cols, fmt, sel);
  std::vector<float> x = randomHalfValues(cols * n, 7);
  std::vector<float> want(rows * n);
  referenceMatmul(w, x.data(), n, want.data());
  for (int threads : {1, 3, 7, 0}) {
    std::vector<float> got;
    parallelReference(w, x, n, got, threads);
    EXPECT_EQ(got, want) << threads << " threads";
  }
}

static CompiledCase caseOf(const char *shape, const char *variant) {
  CompiledCase c;
  c.shape = parseShapes(shape)->front();
  c.variant = parseVariants(variant)->front();
  std::string err;
  c.format = c.variant.formatFor(c.shape, err);
  EXPECT_EQ(err, "");
  return c;
}

TEST(BenchData, CacheSharesTheSp24WeightWithCuBLAS) {
  CaseDataCache cache(/*seed=*/1, /*threads=*/2);
  CompiledCase sp24 = caseOf("64x128x24", "sp24");
  CompiledCase cublas = caseOf("64x128x24", "cublas");
  CompiledCase hinm = caseOf("64x128x24", "hinm-v32-s75");
  std::string err;
  const CaseData *a = cache.get(sp24, sp24.format, err);
  const CaseData *b = cache.get(cublas, sp24.format, err);
  const CaseData *h = cache.get(hinm, hinm.format, err);
  ASSERT_TRUE(a && b && h) << err;
  // cuBLAS multiplies the dense form of the sp24 weight: the same data.
  EXPECT_EQ(a, b);
  EXPECT_NE(a, h);
  EXPECT_EQ(a->x, h->x); // one X per shape
  std::vector<float> want(64 * 24);
  referenceMatmul(h->storage, h->x.data(), 24, want.data());
  EXPECT_EQ(h->yRef, want);
  EXPECT_EQ(h->termsPerOutput, hinm.format.kept / 2);
  // Same seed, fresh cache: the same numbers.
  CaseDataCache again(1, 1);
  EXPECT_EQ(again.get(hinm, hinm.format, err)->yRef, h->yRef);
}

TEST(BenchCheck, FlagsOneWrongProductAndUnwrittenOutputs) {
  CompiledCase c = caseOf("64x128x24", "sp24");
  CaseDataCache cache(1, 1);
  std::string err;
  const CaseData *d = cache.get(c, c.format, err);
  ASSERT_TRUE(d) << err;
  auto bytesOf = [](const std::vector<float> &v) {
    std::vector<uint8_t> b(v.size() * 4);
    std::memcpy(b.data(), v.data(), b.size());
    return b;
  };
  CaseResult ok;
  checkOutput(bytesOf(d->yRef), 4, *d, c.shape, ok);
  EXPECT_TRUE(ok.checked && ok.correct);
  EXPECT_EQ(ok.elements, 64 * 24);

  // Y[2][5] off by 0.25, about one product's worth (a wrong index or
  // metadata bit).
  std::vector<float> y = d->yRef;
  y[2 * 24 + 5] += 0.25f;
  CaseResult wrong;
  checkOutput(bytesOf(y), 4, *d, c.shape, wrong);
  EXPECT_TRUE(wrong.checked);
  EXPECT_FALSE(wrong.correct);
  EXPECT_EQ(wrong.mismatches, 1);
  EXPECT_EQ(wrong.firstMismatch.rfind("Y[2][5] = ", 0), 0u)
      << wrong.firstMismatch;

  // An output the kernel never wrote (NaN fill) fails.
  y = d->yRef;
  y[7] = NAN;
  CaseResult unwritten;
  checkOutput(bytesOf(y), 4, *d, c.shape, unwritten);
  EXPECT_FALSE(unwritten.correct);
  EXPECT_TRUE(std::isinf(unwritten.maxAbsErr));

  // FP16 outputs (cublas-f16): rounding to half passes.
  std::vector<uint8_t> half(d->yRef.size() * 2);
  for (size_t i = 0; i < d->yRef.size(); ++i) {
    uint16_t h = floatToHalf(d->yRef[i]);
    std::memcpy(&half[2 * i], &h, 2);
  }
  CaseResult f16;
  checkOutput(half, 2, *d, c.shape, f16);
  EXPECT_TRUE(f16.correct) << f16.firstMismatch;
}

TEST(BenchCases, ParsesShapesAndVariants) {
  auto shapes = parseShapes("issue5");
  ASSERT_TRUE(static_cast<bool>(shapes));
  ASSERT_EQ(shapes->size(), 7u);
  EXPECT_EQ((*shapes)[0].str(), "1024x1024x1024");
  EXPECT_EQ((*shapes)[6].str(), "11008x4096x512");
  auto bad = parseShapes("12x3");
  ASSERT_FALSE(static_cast<bool>(bad));
  EXPECT_NE(llvm::toString(bad.takeError()).find("bad shape '12x3'"),
            std::string::npos);

  auto vs = parseVariants("cublas,sp24,hinm-v64-s87.5");
  ASSERT_TRUE(static_cast<bool>(vs));
  ASSERT_EQ(vs->size(), 3u);
  EXPECT_TRUE((*vs)[0].isCuBLAS());
  std::string err;
  HiNMFormat f = (*vs)[2].formatFor({1024, 1024, 1024}, err);
  EXPECT_EQ(err, "");
  EXPECT_EQ(f.vectorSize, 64);
  EXPECT_EQ(f.kept, 256); // 87.5% total = 75% of the vectors dropped
  f = (*vs)[1].formatFor({1024, 4096, 16}, err);
  EXPECT_EQ(f.kept, 4096);
  auto badV = parseVariants("hinm-v64-s40");
  ASSERT_FALSE(static_cast<bool>(badV));
  llvm::consumeError(badV.takeError());
}

TEST(BenchFloor, DenseAndSparseBytes) {
  Machine m;
  Shape s{1024, 1024, 1024};
  Variant cublas;
  cublas.kind = Variant::Kind::CuBLAS;
  Floor f = floorFor(s, cublas, HiNMFormat{64, 1024, 2, 4}, m);
  EXPECT_DOUBLE_EQ(f.weightBytes, 2.0 * 1024 * 1024);
  EXPECT_DOUBLE_EQ(f.xBytes, 2.0 * 1024 * 1024);
  EXPECT_DOUBLE_EQ(f.outBytes, 4.0 * 1024 * 1024);
  EXPECT_NEAR(f.memorySeconds * 1e6, 8.0 * 1024 * 1024 / 3.35e12 * 1e6, 1e-9);
  EXPECT_NEAR(f.mathSeconds * 1e6, 2.0 * 1024 * 1024 * 1024 / 989e12 * 1e6,
              1e-9);
  Variant v64;
  v64.vectorSize = 64;
  v64.totalSparsity = 0.75;
  HiNMFormat fmt{64, 512, 2, 4};
  f = floorFor(s, v64, fmt, m);
  EXPECT_DOUBLE_EQ(f.weightBytes, 2.0 * 1024 * 256);
  EXPECT_DOUBLE_EQ(f.metaBytes, 4.0 * 1024 * 16); // 256 stored / 16 a word
  EXPECT_DOUBLE_EQ(f.indexBytes, 4.0 * 16 * 512 + 4.0 * 1024);
  EXPECT_NEAR(f.mathSeconds, 2.0 * 1024 * 512 * 1024 / 1979e12, 1e-15);
  EXPECT_STREQ(f.bound(), "memory");
}

static const char *kPtxasLog =
    "ptxas info    : 0 bytes gmem\n"
    "ptxas info    : Compiling entry function 'k_a' for 'sm_90'\n"
    "ptxas info    : Function properties for k_a\n"
    "    8 bytes stack frame, 4 bytes spill stores, 12 bytes spill loads\n"
    "ptxas info    : Used 96 registers, used 1 barriers, 15360 bytes smem, "
    "400 bytes cmem[0]\n"
    "ptxas info    : Compiling entry function 'k' for 'sm_90'\n"
    "ptxas info    : Function properties for k\n"
    "    0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads\n"
    "ptxas info    : Used 122 registers, used 1 barriers, 18432 bytes smem\n";

TEST(BenchPtxas, ParsesPerEntry) {
  PtxasInfo a = parsePtxasInfo(kPtxasLog, "k_a");
  ASSERT_TRUE(a.valid);
  EXPECT_EQ(a.registers, 96);
  EXPECT_EQ(a.sharedBytes, 15360);
  EXPECT_EQ(a.stackBytes, 8);
  EXPECT_EQ(a.spillStores, 4);
  EXPECT_EQ(a.spillLoads, 12);
  EXPECT_EQ(a.constBytes, 400);
  PtxasInfo k = parsePtxasInfo(kPtxasLog, "k");
  ASSERT_TRUE(k.valid);
  EXPECT_EQ(k.registers, 122);
  EXPECT_EQ(k.spillStores, 0);
  EXPECT_FALSE(parsePtxasInfo(kPtxasLog, "missing").valid);
}

TEST(BenchPtx, SignatureMatchesLaunchRecord) {
  const char *ptx = ".visible .entry k(\n"
                    "\t.param .u64 k_param_0,\n"
                    "\t.param .align 8 .b8 k_param_1[40],\n"
                    "\t.param .u64 .ptr .align 1 k_param_2,\n"
                    "\t.param .u64 .ptr .align 1 k_param_3,\n"
                    "\t.param .u64 k_param_4,\n"
                    "\t.param .u64 k_param_5,\n"
                    "\t.param .u64 k_param_6,\n"
                    "\t.param .u32 k_param_7\n"
                    ")\n{\n}\n";
  KernelLaunch k;
  k.name = "k";
  KernelParam idx;
  idx.kind = KernelParam::Kind::Bytes;
  idx.bytes.assign(8, 0);
  KernelParam st;
  st.kind = KernelParam::Kind::BufferStruct;
  st.shape = {16};
  KernelParam buf;
  buf.kind = KernelParam::Kind::Buffer;
  buf.shape = {32};
  KernelParam i32;
  i32.kind = KernelParam::Kind::Bytes;
  i32.bytes.assign(4, 0);
  k.params = {idx, st, buf, i32};
  EXPECT_EQ(checkPtxSignature(ptx, k), "");
  k.barePointers = true;
  EXPECT_NE(checkPtxSignature(ptx, k), "");
  k.barePointers = false;
  k.name = "other";
  EXPECT_NE(checkPtxSignature(ptx, k).find("no .entry 'other'"),
            std::string::npos);
}

TEST(BenchPlan, RoundTrips) {
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("hinm-bench-plan", dir));
  CompiledCase c;
  c.shape = {128, 256, 64};
  auto vs = parseVariants("hinm-v32-s75");
  ASSERT_TRUE(static_cast<bool>(vs));
  c.variant = vs->front();
  std::string err;
  c.format = c.variant.formatFor(c.shape, err);
  c.chip = "sm_90";
  c.pipeline = "hinm-gpu-pipeline{chip=sm_90}";
  c.ptx = ".entry k()";
  c.cubin = std::string("\x7f" "ELF\0\1", 6);
  KernelLaunch k;
  k.name = "k";
  k.grid[0] = 4;
  k.block[0] = 128;
  KernelParam b;
  b.kind = KernelParam::Kind::Buffer;
  b.buffer = BufferId::Metadata;
  b.shape = {128, 4};
  b.elementBytes = 4;
  KernelParam bytes;
  bytes.kind = KernelParam::Kind::Bytes;
  bytes.bytes = {0x10, 0, 0xff, 0};
  k.params = {b, bytes};
  k.ptxas.valid = true;
  k.ptxas.registers = 90;
  c.kernels = {k};
  CompiledCase cub;
  cub.shape = c.shape;
  cub.variant = parseVariants("cublas")->front();
  ASSERT_FALSE(static_cast<bool>(writePlan(dir, {c, cub})));
  auto back = readPlan(dir);
  ASSERT_TRUE(static_cast<bool>(back)) << llvm::toString(back.takeError());
  ASSERT_EQ(back->size(), 2u);
  const CompiledCase &r = (*back)[0];
  EXPECT_EQ(r.shape.str(), "128x256x64");
  EXPECT_EQ(r.variant.name, "hinm-v32-s75");
  EXPECT_EQ(r.format, c.format);
  EXPECT_EQ(r.ptx, c.ptx);
  EXPECT_EQ(r.cubin, c.cubin);
  ASSERT_EQ(r.kernels.size(), 1u);
  EXPECT_EQ(r.kernels[0].grid[0], 4);
  EXPECT_EQ(r.kernels[0].block[0], 128);
  EXPECT_EQ(r.kernels[0].ptxas.registers, 90);
  ASSERT_EQ(r.kernels[0].params.size(), 2u);
  EXPECT_EQ(r.kernels[0].params[0].buffer, BufferId::Metadata);
  EXPECT_EQ(r.kernels[0].params[0].shape, (std::vector<int64_t>{128, 4}));
  EXPECT_EQ(r.kernels[0].params[1].bytes, bytes.bytes);
  EXPECT_TRUE((*back)[1].variant.isCuBLAS());
  llvm::sys::fs::remove_directories(dir);
}

TEST(BenchCases, LabelsNameTheTiles) {
  CompiledCase c;
  c.shape = {1024, 4096, 16};
  c.variant = parseVariants("hinm-v64-s87.5")->front();
  EXPECT_EQ(c.label(), "hinm-v64-s87.5");
  EXPECT_EQ(c.id(), "1024x4096x16_hinm-v64-s87_5");
  c.tiles = "block-n=128  stages=4 warps-n=1";
  EXPECT_EQ(c.label(), "hinm-v64-s87.5@bn128,st4,wn1");
  EXPECT_EQ(c.id(), "1024x4096x16_hinm-v64-s87_5_bn128_st4_wn1");
}

TEST(BenchTargets, BestCorrectResultAgainstTheIssue) {
  Shape s{1024, 4096, 1024};
  auto mk = [&](const char *variant, const char *tiles, double us,
                bool correct, std::vector<CompiledCase> &cases,
                std::vector<CaseResult> &results) {
    CompiledCase c;
    c.shape = s;
    c.variant = parseVariants(variant)->front();
    c.tiles = tiles;
    CaseResult r;
    r.correct = correct;
    r.medianUs = us;
    cases.push_back(c);
    results.push_back(r);
  };
  std::vector<CompiledCase> cases;
  std::vector<CaseResult> results;
  mk("cublas", "", 15.0, true, cases, results);
  mk("hinm-v64-s75", "", 8.0, true, cases, results);
  mk("hinm-v64-s75", "block-n=128", 7.0, true, cases, results);
  mk("hinm-v64-s75", "block-n=32", 1.0, false, cases, results); // wrong
  mk("sp24", "", 17.0, true, cases, results);
  std::vector<TargetRow> rows = evaluateTargets(cases, results);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].target, "HiNM 75% V=64 <= 0.5x cuBLAS (measured)");
  EXPECT_EQ(rows[0].label, "hinm-v64-s75@bn128");
  EXPECT_DOUBLE_EQ(rows[0].us, 7.0);
  EXPECT_DOUBLE_EQ(rows[0].boundUs, 7.5);
  EXPECT_TRUE(rows[0].pass);
  EXPECT_NEAR(rows[1].boundUs, 32.6 / 3, 1e-12); // Spatha 64:2:8
  EXPECT_TRUE(rows[1].pass);
  EXPECT_DOUBLE_EQ(rows[2].boundUs, 16.1); // cuSPARSELt
  EXPECT_FALSE(rows[2].pass);
  EXPECT_TRUE(rows[3].info); // cuBLAS against the issue's 15.8 us
  EXPECT_DOUBLE_EQ(rows[3].boundUs, 15.8);
}
