//===- PadMultiple.h - the `multiple` option of the padding passes --------===//
//
// Part of the hinm project. hinm-pad-matmul-columns and hinm-pad-matmul-kept
// round a size up to a multiple given as an option; both bound it the same
// way.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_LIB_DIALECT_HINM_TRANSFORMS_PADMULTIPLE_H
#define HINM_LIB_DIALECT_HINM_TRANSFORMS_PADMULTIPLE_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"

namespace hinm {

/// Far above any tile size the kernel uses; keeps padded sizes from
/// overflowing.
constexpr int64_t kMaxPadMultiple = 4096;

/// Success if `multiple` is in [1, kMaxPadMultiple], else an error naming
/// `pass`.
inline mlir::LogicalResult checkPadMultiple(mlir::MLIRContext *ctx,
                                            llvm::StringRef pass,
                                            int64_t multiple) {
  if (multiple > 0 && multiple <= kMaxPadMultiple)
    return mlir::success();
  return mlir::emitError(mlir::UnknownLoc::get(ctx))
         << pass << ": multiple must be in [1, " << kMaxPadMultiple << "], got "
         << multiple;
}

} // namespace hinm

#endif // HINM_LIB_DIALECT_HINM_TRANSFORMS_PADMULTIPLE_H
