//===- Npy.h - Minimal NumPy .npy reader for float32 matrices ---*- C++ -*-===//
//
// Part of the hinm project. MLIR-free.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_ALGORITHM_NPY_H
#define HINM_ALGORITHM_NPY_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <vector>

namespace hinm {

/// A 2-D float32 matrix read from a .npy file, row-major.
struct NpyMatrix {
  int64_t rows = 0, cols = 0;
  std::vector<float> data;
};

/// Parses the bytes of a .npy file (format versions 1.0, 2.0, 3.0). Accepts
/// only 2-D float32 arrays ('<f4', '>f4' or '|f4'; C or Fortran order, the
/// latter transposed to row-major). Errors say what is wrong: bad magic,
/// malformed header, dtype, number of dimensions, truncated data.
llvm::Expected<NpyMatrix> parseNpy(llvm::StringRef bytes);

/// Reads and parses a .npy file; errors start with the path.
llvm::Expected<NpyMatrix> readNpy(llvm::StringRef path);

} // namespace hinm

#endif // HINM_ALGORITHM_NPY_H
