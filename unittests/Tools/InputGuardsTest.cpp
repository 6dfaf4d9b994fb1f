//===- InputGuardsTest.cpp - the tools' checks for crashing input ---------===//
//
// Part of the hinm project. hinm-opt and hinm-fuzz scan textual input for
// forms upstream's parser crashes on (include/hinm/Tools/). The lit tests
// run hinm-opt on whole files; these pin the scanners' edge cases.
//
//===----------------------------------------------------------------------===//
#include "hinm/Tools/InputNesting.h"
#include "hinm/Tools/LinalgArrayGuard.h"
#include "hinm/Tools/ResourceBlobGuard.h"

#include <gtest/gtest.h>

#include <string>

using namespace hinm;

namespace {

bool zeroAligned(uint32_t a) { return a == 0; }

std::string metadata(const std::string &blob) {
  return "module {}\n{-#\n  dialect_resources: {\n    builtin: {\n      w: \"" +
         blob + "\"\n    }\n  }\n#-}\n";
}

TEST(ResourceBlobGuard, FindsZeroAlignmentInMetadata) {
  std::string text = metadata("0x000000000000803F");
  auto blob = findResourceBlob(text, zeroAligned);
  ASSERT_TRUE(blob.has_value());
  EXPECT_EQ(blob->alignment, 0u);
  EXPECT_EQ(blob->offset, text.find('"'));
}

TEST(ResourceBlobGuard, ReadsTheAlignmentLittleEndian) {
  auto blob = findResourceBlob(metadata("0x00100000AABB"),
                               [](uint32_t a) { return a > 1024; });
  ASSERT_TRUE(blob.has_value());
  EXPECT_EQ(blob->alignment, 4096u);
  EXPECT_FALSE(findResourceBlob(metadata("0x04000000AABB"),
                                [](uint32_t a) { return a != 4; }));
}

TEST(ResourceBlobGuard, IgnoresWhatTheParserDoesNotReadAsABlob) {
  // Outside the metadata (an attribute), and strings the parser rejects
  // before allocating: odd digit count, not hex, under four bytes.
  EXPECT_FALSE(findResourceBlob(
      "func.func @f() attributes {n = \"0x0000000000\"}", zeroAligned));
  EXPECT_FALSE(findResourceBlob(metadata("0x000000000"), zeroAligned));
  EXPECT_FALSE(findResourceBlob(metadata("0x00000000zz"), zeroAligned));
  EXPECT_FALSE(findResourceBlob(metadata("0x000000"), zeroAligned));
  // After the section is closed, strings are attributes again.
  EXPECT_FALSE(findResourceBlob(
      "{-# #-}\nfunc.func @f() attributes {n = \"0x00000000\"}", zeroAligned));
  // A `{-#` inside a string or comment opens nothing.
  EXPECT_FALSE(findResourceBlob(
      "// {-#\nfunc.func @f() attributes {a = \"{-#\", n = \"0x00000000\"}",
      zeroAligned));
}

TEST(ResourceBlobGuard, SurvivesUnterminatedStrings) {
  EXPECT_FALSE(findResourceBlob("{-# x: \"0x00000000", zeroAligned));
  EXPECT_FALSE(findResourceBlob("{-# x: \"0x0000\\", zeroAligned));
  EXPECT_FALSE(findResourceBlob("{-#", zeroAligned));
  EXPECT_FALSE(findResourceBlob("", zeroAligned));
}

TEST(InputNesting, ReportsTheFirstBracketTooDeep) {
  EXPECT_FALSE(findNestingOver("[[[]]]", 3));
  auto at = findNestingOver("([[[]]])", 3);
  ASSERT_TRUE(at.has_value());
  EXPECT_EQ(*at, 3u);
  // Brackets in strings and comments, and the `>` of `->`, do not count.
  EXPECT_FALSE(findNestingOver("\"((((\" // ((((\n(a) -> (b)", 1));
}

TEST(LinalgArrayGuard, FindsMalformedArraysAfterTheOpName) {
  std::string bad =
      "%t = linalg.transpose ins(%a) outs(%b) permutation = [1 0]";
  auto at = findMalformedLinalgArray(bad);
  ASSERT_TRUE(at.has_value());
  EXPECT_EQ(*at, bad.find("permutation"));
  EXPECT_FALSE(findMalformedLinalgArray(
      "linalg.transpose ins(%a) outs(%b) permutation = [1, 0]"));
  EXPECT_TRUE(findMalformedLinalgArray(
      "linalg.broadcast ins(%a) outs(%b) dimensions = 0"));
  // The keyword alone, with no op name before it, is not checked.
  EXPECT_FALSE(findMalformedLinalgArray("foo.op dimensions = 0"));
}

} // namespace
