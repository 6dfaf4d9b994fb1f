//===- PadMatmulColumns.cpp - pad hinm.matmul's N for the GPU kernel ------===//
//
// Part of the hinm project. See HiNMPadMatmulColumnsPass in Passes.td: the
// GPU kernel's 16-byte cp.async rows need N % 8 == 0; zero columns added to
// the activations only add result columns that are sliced away again.
//
//===----------------------------------------------------------------------===//
#include "PadMultiple.h"

#include "hinm/Dialect/HiNM/IR/HiNMOps.h"
#include "hinm/Dialect/HiNM/Transforms/ElementwiseOps.h"
#include "hinm/Dialect/HiNM/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace hinm {
#define GEN_PASS_DEF_HINMPADMATMULCOLUMNSPASS
#include "hinm/Dialect/HiNM/Transforms/Passes.h.inc"
} // namespace hinm

using namespace mlir;
using namespace hinm;

namespace {
/// hinm.matmul with N % multiple != 0 (static), or with a dynamic N ->
/// tensor.pad of the activations to the next multiple, hinm.matmul on the
/// padded N, tensor.extract_slice of the first N result columns. A padded
/// matmul with dynamic N carries kNMultipleOfAttrName (its N is a multiple
/// at run time), so it is not padded again and the GPU lowering needs no
/// check.
struct PadMatmulColumns : OpRewritePattern<MatmulOp> {
  PadMatmulColumns(MLIRContext *ctx, int64_t multiple)
      : OpRewritePattern(ctx), multiple(multiple) {}

  LogicalResult matchAndRewrite(MatmulOp op,
                                PatternRewriter &rewriter) const override {
    auto xType = dyn_cast<RankedTensorType>(op.getInput().getType());
    auto yType = dyn_cast<RankedTensorType>(op.getType());
    if (!xType || !yType || xType.getRank() != 2 || yType.getRank() != 2)
      return rewriter.notifyMatchFailure(op, "not a 2-D tensor matmul");
    if (auto done = op->getAttrOfType<IntegerAttr>(kNMultipleOfAttrName))
      if (done.getInt() % multiple == 0)
        return rewriter.notifyMatchFailure(op, "already padded");
    bool dynamic = xType.isDynamicDim(1);
    if (dynamic != yType.isDynamicDim(1))
      return rewriter.notifyMatchFailure(op, "N static on one side only");
    int64_t n = xType.getDimSize(1);
    if (!dynamic && n % multiple == 0)
      return rewriter.notifyMatchFailure(op, "N is already a multiple");
    Location loc = op.getLoc();
    Type xElt = xType.getElementType();
    Value zero = arith::ConstantOp::create(rewriter, loc, xElt,
                                           rewriter.getZeroAttr(xElt));
    // Padded N and the pad amount: constants, or computed at run time.
    OpFoldResult nSize, padAmount;
    int64_t paddedStatic = ShapedType::kDynamic;
    if (dynamic) {
      Value nv = tensor::DimOp::create(rewriter, loc, op.getInput(), 1);
      Value m = arith::ConstantIndexOp::create(rewriter, loc, multiple);
      Value padded = arith::MulIOp::create(
          rewriter, loc, arith::CeilDivUIOp::create(rewriter, loc, nv, m), m);
      nSize = nv;
      padAmount = arith::SubIOp::create(rewriter, loc, padded, nv).getResult();
    } else {
      paddedStatic = llvm::divideCeil(n, multiple) * multiple;
      nSize = rewriter.getIndexAttr(n);
      padAmount = rewriter.getIndexAttr(paddedStatic - n);
    }
    auto paddedX =
        RankedTensorType::get({xType.getDimSize(0), paddedStatic}, xElt);
    SmallVector<OpFoldResult> low(2, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> high = {rewriter.getIndexAttr(0), padAmount};
    Value xp = tensor::PadOp::create(rewriter, loc, paddedX, op.getInput(),
                                     low, high, zero);
    auto paddedY = RankedTensorType::get({yType.getDimSize(0), paddedStatic},
                                         yType.getElementType());
    auto padded = MatmulOp::create(rewriter, loc, paddedY, op.getWeight(), xp);
    if (dynamic)
      padded->setAttr(kNMultipleOfAttrName,
                      rewriter.getI64IntegerAttr(multiple));
    SmallVector<OpFoldResult> offsets(2, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes = {
        rewriter.getIndexAttr(yType.getDimSize(0)), nSize};
    SmallVector<OpFoldResult> strides(2, rewriter.getIndexAttr(1));
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
        op, yType, padded.getResult(), offsets, sizes, strides);
    return success();
  }

  int64_t multiple;
};

/// Whether `lop` maps a (rows x N) tensor `chained` elementwise to one of
/// the same shape (isElementwiseOn) without looking across columns: its
/// other inputs are scalars or per-row vectors. Such an op can run on padded
/// columns as well: each column stays its own.
static bool isColumnwiseElementwise(linalg::LinalgOp lop, Value chained) {
  if (!isElementwiseOn(lop, chained))
    return false;
  MLIRContext *ctx = lop->getContext();
  AffineMap row = AffineMap::get(2, 0, getAffineDimExpr(0, ctx), ctx);
  for (OpOperand *in : lop.getDpsInputOperands()) {
    AffineMap map = lop.getMatchingIndexingMap(in);
    if (in->get() != chained && !lop.isScalar(in) && map.getNumResults() != 0 &&
        map != row)
      return false;
  }
  return true;
}

/// The operand of `lop` that a column-wise chain goes through: its only
/// 2-D tensor input (the others are scalars or per-row vectors).
static Value chainedInput(linalg::LinalgOp lop) {
  Value chained;
  for (OpOperand *in : lop.getDpsInputOperands()) {
    auto tt = dyn_cast<RankedTensorType>(in->get().getType());
    if (!tt || tt.getRank() != 2)
      continue;
    if (chained)
      return Value();
    chained = in->get();
  }
  return chained;
}

/// Whether only the first `n` columns of `v` can reach anything the program
/// returns or stores: every user is a slice of at most the first `n`
/// columns, or keeps columns apart (a column-wise elementwise op reading
/// `v`, a matmul reading it as activations) and passes them on to users of
/// the same kind.
static bool onlyFirstColumnsUsed(Value v, int64_t n) {
  for (Operation *user : v.getUsers()) {
    if (auto slice = dyn_cast<tensor::ExtractSliceOp>(user)) {
      if (!slice.hasZeroOffset() || !slice.hasUnitStride() ||
          slice.getStaticSizes()[1] == ShapedType::kDynamic ||
          slice.getStaticSizes()[1] > n)
        return false;
      continue;
    }
    if (auto mm = dyn_cast<MatmulOp>(user)) {
      if (mm.getInput() != v || !onlyFirstColumnsUsed(mm.getResult(), n))
        return false;
      continue;
    }
    auto lop = dyn_cast<linalg::LinalgOp>(user);
    if (!lop || chainedInput(lop) != v || !isColumnwiseElementwise(lop, v) ||
        !onlyFirstColumnsUsed(lop->getResult(0), n))
      return false;
  }
  return true;
}

/// The padded activations of a padded matmul that come from another padded
/// matmul, through a slice and column-wise elementwise ops:
///   %p = hinm.matmul(...) : ... -> tensor<R x 8>    (the first layer)
///   %s = tensor.extract_slice %p [0, 0] [R, 1] [1, 1]
///   %t = linalg.generic (bias, ReLU, cast) %s       (each a single user)
///   %x = tensor.pad %t high[0, 7] -> tensor<R x 8>  (the second layer's)
/// become the same elementwise ops on %p itself, whose padded columns stand
/// in for the pad's: matmul columns are independent, so whatever the padded
/// columns hold only reaches result columns that are sliced away (checked:
/// onlyFirstColumnsUsed). The chain of layers then stays padded, which lets
/// the GPU conversion fuse the ops into the first kernel and keep its
/// result on the device.
struct ForwardPaddedColumns : OpRewritePattern<tensor::PadOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::PadOp pad,
                                PatternRewriter &rewriter) const override {
    auto next =
        pad->hasOneUse() ? dyn_cast<MatmulOp>(*pad->user_begin()) : MatmulOp();
    if (!next || next.getInput() != pad.getResult())
      return rewriter.notifyMatchFailure(pad, "not a matmul's activations");
    auto padType = pad.getResultType();
    auto srcType = pad.getSourceType();
    if (padType.getRank() != 2 || !padType.hasStaticShape() ||
        !srcType.hasStaticShape() || !pad.hasZeroLowPad() ||
        pad.getStaticHigh()[0] != 0)
      return rewriter.notifyMatchFailure(pad, "not a static column padding");
    if (!onlyFirstColumnsUsed(next.getResult(), srcType.getDimSize(1)))
      return rewriter.notifyMatchFailure(pad, "padded columns are used");
    // Walk back over the elementwise ops to the slice.
    SmallVector<linalg::LinalgOp> chain;
    Value cur = pad.getSource();
    while (auto lop = cur.getDefiningOp<linalg::LinalgOp>()) {
      Value chained = chainedInput(lop);
      if (!cur.hasOneUse() || !chained ||
          !isColumnwiseElementwise(lop, chained))
        return rewriter.notifyMatchFailure(pad, "not a column-wise chain");
      chain.push_back(lop);
      cur = chained;
    }
    auto slice = cur.getDefiningOp<tensor::ExtractSliceOp>();
    // (What the source holds past the sliced columns does not matter: it
    // only reaches columns of `next` that are sliced away.)
    if (!slice || !slice.hasZeroOffset() || !slice.hasUnitStride() ||
        slice.getSourceType().getShape() != padType.getShape())
      return rewriter.notifyMatchFailure(pad, "not a slice of a tensor of "
                                              "the padded width");
    // Rebuild the chain on the padded tensor, first op first.
    Value padded = slice.getSource();
    for (linalg::LinalgOp lop : llvm::reverse(chain)) {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPoint(lop);
      Type elt = getElementTypeOrSelf(lop->getResult(0).getType());
      auto paddedRes = RankedTensorType::get(padType.getShape(), elt);
      Value init = tensor::EmptyOp::create(rewriter, lop.getLoc(),
                                           paddedRes.getShape(), elt);
      IRMapping map;
      map.map(lop.getDpsInitOperand(0)->get(), init);
      map.map(chainedInput(lop), padded);
      Operation *clone = rewriter.clone(*lop, map);
      clone->getResult(0).setType(paddedRes);
      padded = clone->getResult(0);
    }
    rewriter.replaceOp(pad, padded);
    return success();
  }
};

/// A column-wise elementwise op on the column slice of a padded result
/// runs on the padded result instead, and the slice moves after it:
///   %s = tensor.extract_slice %p [0, 0] [R, 1] [1, 1]  (%p: R x 8)
///   %t = linalg.generic (bias, ReLU) %s
/// becomes the generic on %p and the slice of its result. The op then
/// directly follows the matmul (for the last layer of a chain too), where
/// the GPU conversion can fuse it into the kernel. Only slices of matmul
/// results, or of ops moved here before, are sunk: elsewhere the op would
/// just do the padded columns' work for nothing.
struct SinkColumnSlice : OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(linalg::LinalgOp lop,
                                PatternRewriter &rewriter) const override {
    Value chained = chainedInput(lop);
    auto slice =
        chained ? chained.getDefiningOp<tensor::ExtractSliceOp>() : nullptr;
    if (!slice || !isColumnwiseElementwise(lop, chained))
      return rewriter.notifyMatchFailure(lop, "not column-wise on a slice");
    auto srcType = slice.getSourceType();
    auto sliceType = slice.getResultType();
    Operation *src = slice.getSource().getDefiningOp();
    if (!src || !(isa<MatmulOp>(src) || isa<linalg::LinalgOp>(src)) ||
        !slice.hasZeroOffset() || !slice.hasUnitStride() ||
        srcType.getRank() != 2 || !srcType.hasStaticShape() ||
        !sliceType.hasStaticShape() ||
        sliceType.getDimSize(0) != srcType.getDimSize(0))
      return rewriter.notifyMatchFailure(lop, "not a column slice of a "
                                              "padded result");
    Type elt = getElementTypeOrSelf(lop->getResult(0).getType());
    Value init = tensor::EmptyOp::create(rewriter, lop.getLoc(),
                                         srcType.getShape(), elt);
    IRMapping map;
    map.map(lop.getDpsInitOperand(0)->get(), init);
    map.map(chained, slice.getSource());
    Operation *clone = rewriter.clone(*lop, map);
    clone->getResult(0).setType(RankedTensorType::get(srcType.getShape(), elt));
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
        lop, cast<RankedTensorType>(lop->getResult(0).getType()),
        clone->getResult(0), slice.getMixedOffsets(), slice.getMixedSizes(),
        slice.getMixedStrides());
    return success();
  }
};

struct HiNMPadMatmulColumnsPass
    : hinm::impl::HiNMPadMatmulColumnsPassBase<HiNMPadMatmulColumnsPass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *ctx) override {
    return checkPadMultiple(ctx, "hinm-pad-matmul-columns", multiple);
  }

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<PadMatmulColumns>(&getContext(), multiple);
    patterns.add<ForwardPaddedColumns, SinkColumnSlice>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
