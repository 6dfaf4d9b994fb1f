//===- FloorModel.cpp - hinm-bench: the roofline floor --------------------===//
//
// Part of the hinm project. See FloorModel.h.
//
//===----------------------------------------------------------------------===//
#include "FloorModel.h"

#include <cmath>

using namespace llvm;
using namespace hinm;
using namespace hinm::bench;

Floor hinm::bench::floorFor(const Shape &s, const Variant &v,
                            const HiNMFormat &fmt, const Machine &m) {
  Floor f;
  double outElt = (v.isCuBLAS() && v.f16Out) ? 2.0 : 4.0;
  f.outBytes = outElt * s.rows * s.n;
  if (v.isCuBLAS()) {
    f.weightBytes = 2.0 * s.rows * s.k;
    f.xBytes = 2.0 * s.k * s.n;
    f.memorySeconds = f.totalBytes() / m.hbmBytesPerSec;
    f.mathSeconds = s.denseFlops() / m.denseFlopsPerSec;
    return f;
  }
  double p = static_cast<double>(fmt.paddedRows(s.rows));
  f.weightBytes = 2.0 * p * fmt.compressedCols();
  f.metaBytes = 4.0 * p * fmt.metaWordsPerRow();
  f.indexBytes = 4.0 * fmt.numBlocks(s.rows) * fmt.kept + 4.0 * p;
  // Activations: every X row some block keeps is read from DRAM once (the
  // gathers of the other blocks hit L2). With random kept sets over many
  // blocks nearly every row is kept by some block: the expected share of
  // rows no block keeps is (1 - kept/K)^blocks.
  double keepShare = static_cast<double>(fmt.kept) / s.k;
  double untouched = std::pow(1.0 - keepShare, fmt.numBlocks(s.rows));
  f.xBytes = 2.0 * s.k * (1.0 - untouched) * s.n;
  f.memorySeconds = f.totalBytes() / m.hbmBytesPerSec;
  // The tensor cores multiply the kept columns at the 2:4 sparse rate
  // (which counts the dense-equivalent flops of the kept columns).
  f.mathSeconds = 2.0 * p * fmt.kept * s.n / m.sparseFlopsPerSec;
  return f;
}
