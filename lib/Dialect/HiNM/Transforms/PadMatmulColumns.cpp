//===- PadMatmulColumns.cpp - pad hinm.matmul's N for the GPU kernel ------===//
//
// Part of the hinm project. See HiNMPadMatmulColumnsPass in Passes.td: the
// GPU kernel's 16-byte cp.async rows need N % 8 == 0; zero columns added to
// the activations only add result columns that are sliced away again.
//
//===----------------------------------------------------------------------===//
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
/// hinm.matmul with static N % multiple != 0 -> tensor.pad of the
/// activations, hinm.matmul on the padded N, tensor.extract_slice of the
/// first N result columns.
struct PadMatmulColumns : OpRewritePattern<MatmulOp> {
  PadMatmulColumns(MLIRContext *ctx, int64_t multiple)
      : OpRewritePattern(ctx), multiple(multiple) {}

  LogicalResult matchAndRewrite(MatmulOp op,
                                PatternRewriter &rewriter) const override {
    auto xType = dyn_cast<RankedTensorType>(op.getInput().getType());
    auto yType = dyn_cast<RankedTensorType>(op.getType());
    if (!xType || !yType || xType.getRank() != 2 || yType.getRank() != 2 ||
        ShapedType::isDynamic(xType.getDimSize(1)))
      return rewriter.notifyMatchFailure(op, "N is not a static dimension");
    int64_t n = xType.getDimSize(1);
    int64_t padded = llvm::divideCeil(n, multiple) * multiple;
    if (padded == n)
      return rewriter.notifyMatchFailure(op, "N is already a multiple");
    Location loc = op.getLoc();
    Type xElt = xType.getElementType();
    Value zero = arith::ConstantOp::create(rewriter, loc, xElt,
                                           rewriter.getZeroAttr(xElt));
    auto paddedX = RankedTensorType::get({xType.getDimSize(0), padded}, xElt);
    SmallVector<OpFoldResult> low(2, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> high = {rewriter.getIndexAttr(0),
                                      rewriter.getIndexAttr(padded - n)};
    Value xp = tensor::PadOp::create(rewriter, loc, paddedX, op.getInput(),
                                     low, high, zero);
    auto paddedY = RankedTensorType::get({yType.getDimSize(0), padded},
                                         yType.getElementType());
    Value yp = MatmulOp::create(rewriter, loc, paddedY, op.getWeight(), xp);
    SmallVector<OpFoldResult> offsets(2, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes = {rewriter.getIndexAttr(yType.getDimSize(0)),
                                       rewriter.getIndexAttr(n)};
    SmallVector<OpFoldResult> strides(2, rewriter.getIndexAttr(1));
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(op, yType, yp, offsets,
                                                        sizes, strides);
    return success();
  }

  int64_t multiple;
};

struct HiNMPadMatmulColumnsPass
    : hinm::impl::HiNMPadMatmulColumnsPassBase<HiNMPadMatmulColumnsPass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *ctx) override {
    if (multiple <= 0)
      return emitError(UnknownLoc::get(ctx))
             << "hinm-pad-matmul-columns: multiple must be positive, got "
             << static_cast<int64_t>(multiple);
    return success();
  }

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<PadMatmulColumns>(&getContext(), multiple);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
