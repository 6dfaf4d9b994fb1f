//===- ConvForms.h - convolutions hinm-sparsify reads as a GEMM -----------===//
//
// Part of the hinm project. A convolution with batch N, C input channels, F
// output channels and 1 to 3 spatial dimensions is the GEMM
// Y[F, N*O...] = W[F, C*K...] X[C*K..., N*O...] of its im2col view. The
// named linalg ops differ only in where each dimension lives; this records
// that per op, so one rewrite serves all of them, and reorders a filter into
// the [F, C*K...] matrix the library prunes.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_LIB_DIALECT_HINM_TRANSFORMS_CONVFORMS_H
#define HINM_LIB_DIALECT_HINM_TRANSFORMS_CONVFORMS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"

#include <optional>
#include <vector>

namespace hinm {

/// Where a convolution keeps each dimension of its operands (all of rank
/// spatialRank() + 2). Spatial dimensions are listed outermost first (D, H,
/// W).
struct ConvLayout {
  int64_t inN, inC;
  llvm::SmallVector<int64_t, 3> inSpatial;
  int64_t fltF, fltC;
  llvm::SmallVector<int64_t, 3> fltSpatial;
  int64_t outN, outF;
  llvm::SmallVector<int64_t, 3> outSpatial;

  unsigned spatialRank() const { return inSpatial.size(); }
};

/// A convolution hinm-sparsify rewrites: its layout, strides and dilations
/// (one per spatial dimension).
struct ConvForm {
  ConvLayout layout;
  llvm::SmallVector<int64_t, 3> strides, dilations;
};

/// The form of `op` if it is one of the plain (not grouped, not depthwise,
/// not quantized) named convolutions with batch and channel dimensions:
/// linalg.conv_1d_{nwc_wcf,ncw_fcw}, linalg.conv_2d_{nhwc_hwcf,nhwc_fhwc,
/// nchw_fchw}, linalg.conv_3d_{ndhwc_dhwcf,ncdhw_fcdhw}; nothing otherwise.
std::optional<ConvForm> classifyConv(mlir::Operation *op);

/// A grouped 2-D convolution: G independent convolutions, each of C input and
/// F output channels, stacked along a group dimension of every operand. One
/// group is a plain convolution: linalg.conv_2d_nchw_fchw for
/// linalg.conv_2d_ngchw_{fgchw,gfchw} (input [N, G, C, H, W], output
/// [N, G, F, OH, OW]), linalg.conv_2d_nhwc_fhwc for linalg.conv_2d_nhwgc_gfhwc
/// (input [N, H, W, G, C], filter [G, F, KH, KW, C], output
/// [N, OH, OW, G, F]).
struct GroupedConvForm {
  /// The group dimension of the input, the filter and the output.
  int64_t inG, fltG, outG;
  /// Whether a group is linalg.conv_2d_nhwc_fhwc (else conv_2d_nchw_fchw).
  bool channelsLast;
  llvm::SmallVector<int64_t, 2> strides, dilations;
};

/// The form of `op` if it is one of the grouped convolutions above (not the
/// quantized ones); nothing otherwise.
std::optional<GroupedConvForm> classifyGroupedConv(mlir::Operation *op);

/// The names of the ops classifyConv and classifyGroupedConv accept, for
/// diagnostics.
llvm::StringRef handledConvNames();

/// The filter `raw` (row-major, of type `filterType`) as the row-major matrix
/// W[F, C*K1*...*Ks] with columns in (c, k1, ..., ks) order whatever the
/// layout: PyTorch's `Conv{1,2,3}d.weight.reshape(F, -1)`.
std::vector<float> filterAsMatrix(const std::vector<float> &raw,
                                  mlir::RankedTensorType filterType,
                                  const ConvLayout &layout);

} // namespace hinm

#endif // HINM_LIB_DIALECT_HINM_TRANSFORMS_CONVFORMS_H
