//===- ConvForms.cpp - convolutions hinm-sparsify reads as a GEMM ---------===//
//
// Part of the hinm project. See ConvForms.h.
//
//===----------------------------------------------------------------------===//
#include "ConvForms.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace hinm;

namespace {

// Channels last: input [N, S..., C], output [N, O..., F].
ConvLayout channelsLast(unsigned s, int64_t fltF, int64_t fltC,
                        ArrayRef<int64_t> fltSpatial) {
  ConvLayout l{0, s + 1, {}, fltF, fltC, {}, 0, s + 1, {}};
  for (unsigned i = 0; i < s; ++i) {
    l.inSpatial.push_back(1 + i);
    l.outSpatial.push_back(1 + i);
  }
  l.fltSpatial.assign(fltSpatial.begin(), fltSpatial.end());
  return l;
}

// Channels first: input [N, C, S...], filter [F, C, K...], output
// [N, F, O...].
ConvLayout channelsFirst(unsigned s) {
  ConvLayout l{0, 1, {}, 0, 1, {}, 0, 1, {}};
  for (unsigned i = 0; i < s; ++i) {
    l.inSpatial.push_back(2 + i);
    l.fltSpatial.push_back(2 + i);
    l.outSpatial.push_back(2 + i);
  }
  return l;
}

template <typename ConvOp> ConvForm formOf(ConvOp op, ConvLayout layout) {
  ConvForm f{std::move(layout), {}, {}};
  f.strides.assign(op.getStrides().template getValues<int64_t>().begin(),
                   op.getStrides().template getValues<int64_t>().end());
  f.dilations.assign(op.getDilations().template getValues<int64_t>().begin(),
                     op.getDilations().template getValues<int64_t>().end());
  return f;
}

} // namespace

std::optional<ConvForm> hinm::classifyConv(Operation *op) {
  using Result = std::optional<ConvForm>;
  return llvm::TypeSwitch<Operation *, Result>(op)
      // [N, W, C] * [KW, C, F] -> [N, OW, F]
      .Case([](linalg::Conv1DNwcWcfOp c) -> Result {
        return formOf(c, channelsLast(1, 2, 1, {0}));
      })
      .Case([](linalg::Conv1DNcwFcwOp c) -> Result {
        return formOf(c, channelsFirst(1));
      })
      // [N, H, W, C] * [KH, KW, C, F] -> [N, OH, OW, F]
      .Case([](linalg::Conv2DNhwcHwcfOp c) -> Result {
        return formOf(c, channelsLast(2, 3, 2, {0, 1}));
      })
      // TOSA's form: [N, H, W, C] * [F, KH, KW, C] -> [N, OH, OW, F]
      .Case([](linalg::Conv2DNhwcFhwcOp c) -> Result {
        return formOf(c, channelsLast(2, 0, 3, {1, 2}));
      })
      .Case([](linalg::Conv2DNchwFchwOp c) -> Result {
        return formOf(c, channelsFirst(2));
      })
      // [N, D, H, W, C] * [KD, KH, KW, C, F] -> [N, OD, OH, OW, F]
      .Case([](linalg::Conv3DNdhwcDhwcfOp c) -> Result {
        return formOf(c, channelsLast(3, 4, 3, {0, 1, 2}));
      })
      .Case([](linalg::Conv3DNcdhwFcdhwOp c) -> Result {
        return formOf(c, channelsFirst(3));
      })
      .Default([](Operation *) -> Result { return std::nullopt; });
}

std::optional<GroupedConvForm> hinm::classifyGroupedConv(Operation *op) {
  using Result = std::optional<GroupedConvForm>;
  auto form = [](auto c, int64_t inG, int64_t fltG, int64_t outG,
                 bool channelsLast) -> Result {
    ConvForm f = formOf(c, ConvLayout{});
    return GroupedConvForm{inG,
                           fltG,
                           outG,
                           channelsLast,
                           {f.strides.begin(), f.strides.end()},
                           {f.dilations.begin(), f.dilations.end()}};
  };
  return llvm::TypeSwitch<Operation *, Result>(op)
      // [N, G, C, H, W] * [F, G, C, KH, KW] -> [N, G, F, OH, OW]
      .Case(
          [&](linalg::Conv2DNgchwFgchwOp c) { return form(c, 1, 1, 1, false); })
      // [N, G, C, H, W] * [G, F, C, KH, KW] -> [N, G, F, OH, OW] (torch-mlir's
      // lowering of a grouped Conv2d)
      .Case(
          [&](linalg::Conv2DNgchwGfchwOp c) { return form(c, 1, 0, 1, false); })
      // [N, H, W, G, C] * [G, F, KH, KW, C] -> [N, OH, OW, G, F]
      .Case(
          [&](linalg::Conv2DNhwgcGfhwcOp c) { return form(c, 3, 0, 3, true); })
      .Default([](Operation *) -> Result { return std::nullopt; });
}

StringRef hinm::handledConvNames() {
  return "linalg.conv_1d_nwc_wcf, linalg.conv_1d_ncw_fcw, "
         "linalg.conv_2d_nhwc_hwcf, linalg.conv_2d_nhwc_fhwc, "
         "linalg.conv_2d_nchw_fchw, linalg.conv_2d_ngchw_fgchw, "
         "linalg.conv_2d_ngchw_gfchw, linalg.conv_2d_nhwgc_gfhwc, "
         "linalg.conv_3d_ndhwc_dhwcf and linalg.conv_3d_ncdhw_fcdhw";
}

std::vector<float> hinm::filterAsMatrix(const std::vector<float> &raw,
                                        RankedTensorType ft,
                                        const ConvLayout &l) {
  const int64_t rank = ft.getRank();
  SmallVector<int64_t> strides(rank, 1);
  for (int64_t i = rank - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * ft.getDimSize(i + 1);
  const int64_t F = ft.getDimSize(l.fltF), C = ft.getDimSize(l.fltC);
  int64_t taps = 1;
  for (int64_t d : l.fltSpatial)
    taps *= ft.getDimSize(d);
  const int64_t K = C * taps;
  std::vector<float> w(F * K);
  // Column (c, k1, ..., ks) = c * taps + the kernel position in row-major
  // (k1, ..., ks) order; the kernel position is decoded from `t`.
  for (int64_t f = 0; f < F; ++f)
    for (int64_t c = 0; c < C; ++c)
      for (int64_t t = 0; t < taps; ++t) {
        int64_t at = f * strides[l.fltF] + c * strides[l.fltC];
        int64_t rest = t;
        for (int64_t i = l.spatialRank() - 1; i >= 0; --i) {
          int64_t extent = ft.getDimSize(l.fltSpatial[i]);
          at += (rest % extent) * strides[l.fltSpatial[i]];
          rest /= extent;
        }
        w[f * K + c * taps + t] = raw[at];
      }
  return w;
}
