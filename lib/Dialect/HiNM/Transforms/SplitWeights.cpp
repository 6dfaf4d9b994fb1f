//===- SplitWeights.cpp - products with a weight per batch or group -------===//
//
// Part of the hinm project. See SplitWeights.h.
//
//===----------------------------------------------------------------------===//
#include "SplitWeights.h"

#include "ConstantWeight.h"
#include "RewriteUtils.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace hinm;

namespace {

/// The checks every part of a split op would fail alike, made once for all
/// of them before splitting: the parts' weights ([out, K] in the HiNM view)
/// fit the format, the op has something to compute (no empty `operands`),
/// and the constant `weight` is readable and finite. A weight that cannot
/// be pruned is one warning at the op, "<leftDense> left dense: <noun> ..."
/// (false: the op is left alone, as for empty operands, without a warning);
/// a NaN or infinite element an error naming it in `weight`'s coordinates
/// (failure). True: split.
FailureOr<bool> checkSplitWeight(Operation *op, Value weight, int64_t out,
                                 int64_t K, ArrayRef<RankedTensorType> operands,
                                 const PruneOptions &opts, StringRef leftDense,
                                 StringRef noun, StringRef badElement) {
  auto warn = [&](const Twine &why) {
    warnLeftDense(op, leftDense, why);
    return false;
  };
  if (auto fmt = formatFor(opts, out, K); !fmt)
    return warn(noun + " " + Twine(out) + "x" + Twine(K) +
                " (HiNM view [out, in]): " + llvm::toString(fmt.takeError()));
  // Nothing to compute (and a slice of an empty dimension would not verify).
  for (RankedTensorType t : operands)
    if (llvm::is_contained(t.getShape(), 0))
      return false;
  // Non-finite weights are reported here, in the coordinates the user
  // wrote; the rewrite of one part would name only its own slice. A stack
  // too large to read whole is left to the parts, which read only their
  // own slices (and name a bad element in them).
  if (tooLargeToRead(cast<ShapedType>(weight.getType())))
    return true;
  ConstantWeight cst = readConstantWeight(weight);
  if (cst.kind == ConstantWeight::Kind::Unreadable)
    return warn(cst.why);
  if (failed(checkFinite(op, cst.values,
                         cast<RankedTensorType>(weight.getType()).getShape(),
                         badElement)))
    return failure();
  return true;
}

} // namespace

FailureOr<SmallVector<linalg::MatmulOp>>
hinm::splitPerBatchWeights(RewriterBase &rewriter, linalg::BatchMatmulOp op,
                           const PruneOptions &opts) {
  SmallVector<linalg::MatmulOp> parts;
  if (!op.hasPureTensorSemantics() || op.getInputs().size() != 2 ||
      op.getOutputs().size() != 1 ||
      op.getIndexingMapsArray() !=
          linalg::BatchMatmulOp::getDefaultIndexingMaps(op.getContext()))
    return parts;
  // As for a single product, the LHS is the weight when both are constant.
  const bool weightIsLhs = isConstantWeight(op.getInputs()[0]);
  Value w = op.getInputs()[weightIsLhs ? 0 : 1];
  Value x = op.getInputs()[weightIsLhs ? 1 : 0];
  Value acc = op.getOutputs()[0];
  auto wt = dyn_cast<RankedTensorType>(w.getType());
  auto xt = dyn_cast<RankedTensorType>(x.getType());
  auto ct = dyn_cast<RankedTensorType>(acc.getType());
  if (!isConstantWeight(w) || !wt || !xt || !ct || wt.getRank() != 3 ||
      xt.getRank() != 3 || ct.getRank() != 3 || !wt.hasStaticShape() ||
      wt.getDimSize(0) < 2)
    return parts;
  // What would leave every batch's product dense is said once, here, and
  // the op is not split.
  auto leaveDense = [&](const Twine &why, Type type = {}) {
    warnLeftDense(op, "constant weight", why, type);
    return SmallVector<linalg::MatmulOp>();
  };
  if (auto problem = checkElementTypes(xt.getElementType(), wt.getElementType(),
                                       ct.getElementType()))
    return leaveDense(problem->why, problem->type);
  const int64_t out = wt.getDimSize(weightIsLhs ? 1 : 2);
  const int64_t K = wt.getDimSize(weightIsLhs ? 2 : 1);
  FailureOr<bool> split =
      checkSplitWeight(op, w, out, K, {xt, ct}, opts, "constant weight",
                       "batch weights", "batch weight element");
  if (failed(split))
    return failure();
  if (!*split)
    return parts;
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  const int64_t B = wt.getDimSize(0);
  // Batch b of a 3-D tensor: offsets (b, 0, 0), sizes (1, d1, d2), unit
  // strides (a dynamic size read with tensor.dim).
  SmallVector<OpFoldResult> strides(3, rewriter.getIndexAttr(1));
  auto batchOffsets = [&](int64_t b) -> SmallVector<OpFoldResult> {
    return {rewriter.getIndexAttr(b), rewriter.getIndexAttr(0),
            rewriter.getIndexAttr(0)};
  };
  auto batchSizes = [&](Value v) {
    SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(rewriter, loc, v);
    sizes[0] = rewriter.getIndexAttr(1);
    return sizes;
  };
  // Sizes are read once per operand (a dynamic dimension with one
  // tensor.dim).
  SmallVector<OpFoldResult> xSizes = batchSizes(x), wSizes = batchSizes(w);
  // Batch b of a 3-D tensor, as a 2-D one.
  auto batchOf = [&](Value v, ArrayRef<OpFoldResult> sizes,
                     int64_t b) -> Value {
    auto t = cast<RankedTensorType>(v.getType());
    auto type = RankedTensorType::get({t.getDimSize(1), t.getDimSize(2)},
                                      t.getElementType());
    return tensor::ExtractSliceOp::create(rewriter, loc, type, v,
                                          batchOffsets(b), sizes, strides);
  };
  SmallVector<OpFoldResult> accSizes = batchSizes(acc);
  Value result = acc;
  for (int64_t b = 0; b < B; ++b) {
    Value xb = batchOf(x, xSizes, b), wb = batchOf(w, wSizes, b);
    Value cb = isZeroFill(acc) ? freshZeroFill(rewriter, loc, acc,
                                               {accSizes[1], accSizes[2]},
                                               ct.getElementType())
                               : batchOf(acc, accSizes, b);
    auto mm = linalg::MatmulOp::create(
        rewriter, loc, weightIsLhs ? ValueRange{wb, xb} : ValueRange{xb, wb},
        ValueRange{cb});
    parts.push_back(mm);
    result =
        tensor::InsertSliceOp::create(rewriter, loc, mm.getResult(0), result,
                                      batchOffsets(b), accSizes, strides);
  }
  rewriter.replaceOp(op, result);
  return parts;
}

FailureOr<SmallVector<linalg::LinalgOp>>
hinm::splitGroupedConv(RewriterBase &rewriter, linalg::LinalgOp op,
                       const GroupedConvForm &form, const PruneOptions &opts) {
  SmallVector<linalg::LinalgOp> parts;
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1)
    return parts;
  Value input = op.getDpsInputs()[0], filter = op.getDpsInputs()[1];
  Value acc = op.getDpsInits()[0];
  if (!isConstantWeight(filter))
    return parts;
  // What would leave every group dense is said once, here, and the op is
  // not split.
  auto leaveDense = [&](const Twine &why, Type type = {}) {
    warnLeftDense(op, "constant filter", why, type);
    return SmallVector<linalg::LinalgOp>();
  };
  auto it = dyn_cast<RankedTensorType>(input.getType());
  auto ft = dyn_cast<RankedTensorType>(filter.getType());
  auto ot = dyn_cast<RankedTensorType>(acc.getType());
  if (!it || !ft || !ot)
    return leaveDense("unranked operands are not supported");
  // The batch is the leading dimension of the input and the output in both
  // layouts; it alone may be dynamic, as for a plain convolution.
  for (int64_t i = 0; i < 5; ++i)
    if ((i != 0 && (it.isDynamicDim(i) || ot.isDynamicDim(i))) ||
        ft.isDynamicDim(i))
      return leaveDense("dynamic shapes other than the batch are not "
                        "supported");
  if (it.isDynamicDim(0) != ot.isDynamicDim(0))
    return leaveDense("a dynamic batch must be dynamic in both the input "
                      "and the output");
  if (auto problem = checkElementTypes(it.getElementType(), ft.getElementType(),
                                       ot.getElementType()))
    return leaveDense(problem->why, problem->type);
  // One group's filter: the grouped one without its group dimension, [F, C,
  // KH, KW] or [F, KH, KW, C], so F leads and the rest are its columns.
  auto dropDim = [](ArrayRef<int64_t> shape, int64_t d) {
    SmallVector<int64_t> out(shape);
    out.erase(out.begin() + d);
    return out;
  };
  SmallVector<int64_t> groupFilter = dropDim(ft.getShape(), form.fltG);
  const int64_t F = groupFilter[0];
  const int64_t K = groupFilter[1] * groupFilter[2] * groupFilter[3];
  FailureOr<bool> split =
      checkSplitWeight(op, filter, F, K, {it, ot}, opts, "constant filter",
                       "group filters", "cannot prune the filter: element at");
  if (failed(split))
    return failure();
  if (!*split)
    return parts;
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  const int64_t G = ft.getDimSize(form.fltG);
  // Group g of a 5-D operand whose group dimension is `gDim`: offsets g there
  // and 0 elsewhere, size 1 there (a dynamic batch read with tensor.dim),
  // unit strides; as a 4-D tensor.
  SmallVector<OpFoldResult> strides(5, rewriter.getIndexAttr(1));
  auto groupOffsets = [&](int64_t gDim, int64_t g) {
    SmallVector<OpFoldResult> offsets(5, rewriter.getIndexAttr(0));
    offsets[gDim] = rewriter.getIndexAttr(g);
    return offsets;
  };
  auto groupSizes = [&](Value v, int64_t gDim) {
    SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(rewriter, loc, v);
    sizes[gDim] = rewriter.getIndexAttr(1);
    return sizes;
  };
  auto groupType = [&](RankedTensorType t, int64_t gDim) {
    return RankedTensorType::get(dropDim(t.getShape(), gDim),
                                 t.getElementType());
  };
  // Sizes are read once per operand (a dynamic batch with one tensor.dim).
  SmallVector<OpFoldResult> inSizes = groupSizes(input, form.inG);
  SmallVector<OpFoldResult> fltSizes = groupSizes(filter, form.fltG);
  SmallVector<OpFoldResult> accSizes = groupSizes(acc, form.outG);
  auto groupOf = [&](Value v, int64_t gDim, ArrayRef<OpFoldResult> sizes,
                     int64_t g) -> Value {
    auto t = cast<RankedTensorType>(v.getType());
    return tensor::ExtractSliceOp::create(rewriter, loc, groupType(t, gDim), v,
                                          groupOffsets(gDim, g), sizes,
                                          strides);
  };
  auto i64Vector = [&](ArrayRef<int64_t> values) {
    return DenseIntElementsAttr::get(
        RankedTensorType::get({int64_t(values.size())}, rewriter.getI64Type()),
        values);
  };
  DenseIntElementsAttr stridesAttr = i64Vector(form.strides);
  DenseIntElementsAttr dilationsAttr = i64Vector(form.dilations);
  SmallVector<OpFoldResult> groupAccSizes(accSizes);
  groupAccSizes.erase(groupAccSizes.begin() + form.outG);
  RankedTensorType groupOut = groupType(ot, form.outG);
  Value result = acc;
  for (int64_t g = 0; g < G; ++g) {
    Value xg = groupOf(input, form.inG, inSizes, g);
    Value wg = groupOf(filter, form.fltG, fltSizes, g);
    Value cg = isZeroFill(acc)
                   ? freshZeroFill(rewriter, loc, acc, groupAccSizes,
                                   ot.getElementType())
                   : groupOf(acc, form.outG, accSizes, g);
    linalg::LinalgOp conv;
    if (form.channelsLast)
      conv = linalg::Conv2DNhwcFhwcOp::create(
          rewriter, loc, TypeRange{groupOut}, ValueRange{xg, wg},
          ValueRange{cg}, stridesAttr, dilationsAttr);
    else
      conv = linalg::Conv2DNchwFchwOp::create(
          rewriter, loc, TypeRange{groupOut}, ValueRange{xg, wg},
          ValueRange{cg}, stridesAttr, dilationsAttr);
    parts.push_back(conv);
    result = tensor::InsertSliceOp::create(rewriter, loc, conv->getResult(0),
                                           result, groupOffsets(form.outG, g),
                                           accSizes, strides);
  }
  rewriter.replaceOp(op, result);
  return parts;
}
