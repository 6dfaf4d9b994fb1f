//===- PadMatmulColumns.cpp - pad hinm.matmul's N for the GPU kernel ------===//
//
// Part of the hinm project. See HiNMPadMatmulColumnsPass in Passes.td: the
// GPU kernel's 16-byte cp.async rows need N % 8 == 0; zero columns added to
// the activations only add result columns that are sliced away again.
//
//===----------------------------------------------------------------------===//
#include "PadMultiple.h"

#include "hinm/Dialect/HiNM/IR/HiNMOps.h"
#include "hinm/Dialect/HiNM/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
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

struct HiNMPadMatmulColumnsPass
    : hinm::impl::HiNMPadMatmulColumnsPassBase<HiNMPadMatmulColumnsPass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *ctx) override {
    return checkPadMultiple(ctx, "hinm-pad-matmul-columns", multiple);
  }

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<PadMatmulColumns>(&getContext(), multiple);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
