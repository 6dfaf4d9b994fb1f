//===- NpyTest.cpp - .npy reader tests ------------------------------------===//
//
// Part of the hinm project.
//
//===----------------------------------------------------------------------===//
#include "hinm/Algorithm/Npy.h"

#include "gtest/gtest.h"

#include <cstring>

using namespace hinm;

namespace {

/// A version-1.0 .npy file image with the given header dict and payload.
std::string npyBytes(const std::string &dict, const std::string &payload) {
  std::string header = dict;
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string out = "\x93NUMPY";
  out += char(1);
  out += char(0);
  out += char(header.size() & 0xff);
  out += char(header.size() >> 8);
  return out + header + payload;
}

std::string floats(std::initializer_list<float> v) {
  std::string s(v.size() * 4, '\0');
  size_t i = 0;
  for (float f : v)
    std::memcpy(&s[4 * i++], &f, 4); // the test host is little-endian
  return s;
}

TEST(Npy, ReadsCOrderFloat32) {
  auto m = parseNpy(npyBytes(
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
      floats({1, 2, 3, 4, 5, 6})));
  ASSERT_TRUE(bool(m)) << llvm::toString(m.takeError());
  EXPECT_EQ(m->rows, 2);
  EXPECT_EQ(m->cols, 3);
  EXPECT_EQ(m->data, (std::vector<float>{1, 2, 3, 4, 5, 6}));
}

TEST(Npy, TransposesFortranOrder) {
  auto m = parseNpy(npyBytes(
      "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }",
      floats({1, 4, 2, 5, 3, 6})));
  ASSERT_TRUE(bool(m)) << llvm::toString(m.takeError());
  EXPECT_EQ(m->data, (std::vector<float>{1, 2, 3, 4, 5, 6}));
}

void expectError(llvm::Expected<NpyMatrix> m, const std::string &needle) {
  ASSERT_FALSE(bool(m));
  std::string msg = llvm::toString(m.takeError());
  EXPECT_NE(msg.find(needle), std::string::npos) << msg;
}

TEST(Npy, RejectsBadInput) {
  expectError(parseNpy("hello"), "magic");
  expectError(parseNpy(npyBytes(
                  "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 2), }",
                  std::string(16, '\0'))),
              "not float32");
  expectError(
      parseNpy(npyBytes(
          "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2, 2), }",
          std::string(32, '\0'))),
      "3-D");
  expectError(parseNpy(npyBytes(
                  "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }",
                  std::string(16, '\0'))),
              "1-D");
  expectError(parseNpy(npyBytes(
                  "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                  floats({1, 2, 3}))),
              "truncated");
  expectError(parseNpy(npyBytes("{'descr': '<f4'}", "")), "malformed");
  expectError(readNpy("/nonexistent/x.npy"), "/nonexistent/x.npy");
}

} // namespace
