//===- FloorModel.h - hinm-bench: the roofline floor ------------*- C++ -*-===//
//
// Part of the hinm project. The floor of a case: the least time its compulsory
// DRAM traffic or its tensor-core math can take on a given machine. The dry
// run prints it without a GPU; a GPU run reports each time as a multiple of
// it. docs/benchmarks-gpu.md derives the byte counts.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_TOOLS_HINM_BENCH_FLOOR_MODEL_H
#define HINM_TOOLS_HINM_BENCH_FLOOR_MODEL_H

#include "Cases.h"

#include "hinm/Algorithm/Format.h"

namespace hinm {
namespace bench {

struct Machine {
  double hbmBytesPerSec = 3.35e12;   // H100 SXM HBM3
  double denseFlopsPerSec = 989e12;  // H100 SXM FP16 tensor, FP32 accumulate
  double sparseFlopsPerSec = 1979e12; // 2:4 sparse tensor rate
};

struct Floor {
  double weightBytes = 0, metaBytes = 0, indexBytes = 0, xBytes = 0,
         outBytes = 0;
  double totalBytes() const {
    return weightBytes + metaBytes + indexBytes + xBytes + outBytes;
  }
  double memorySeconds = 0, mathSeconds = 0;
  double seconds() const {
    return memorySeconds > mathSeconds ? memorySeconds : mathSeconds;
  }
  const char *bound() const {
    return memorySeconds >= mathSeconds ? "memory" : "math";
  }
};

/// The lower bound on the latency of a case: the compulsory DRAM bytes at
/// HBM bandwidth, or the tensor-core math at its peak, whichever is larger.
Floor floorFor(const Shape &s, const Variant &v, const HiNMFormat &fmt,
               const Machine &m);

} // namespace bench
} // namespace hinm

#endif // HINM_TOOLS_HINM_BENCH_FLOOR_MODEL_H
