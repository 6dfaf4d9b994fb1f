//===- SinkResultReshapes.cpp - elementwise ops before a result reshape ---===//
//
// Part of the hinm project. See HiNMSinkResultReshapesPass in Passes.td: a
// convolution's result leaves its GEMM view through a tensor.expand_shape
// (rows x N*H*W to N x C x H x W), and the bias, activation and cast that
// follow it are written on the 4-D tensor. Rewritten on the 2-D result
// before the reshape, they become the matmul's elementwise epilogue, which
// the GPU kernel applies before its store.
//
//===----------------------------------------------------------------------===//
#include "hinm/Dialect/HiNM/IR/HiNMOps.h"
#include "hinm/Dialect/HiNM/Transforms/ElementwiseOps.h"
#include "hinm/Dialect/HiNM/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace hinm {
#define GEN_PASS_DEF_HINMSINKRESULTRESHAPESPASS
#include "hinm/Dialect/HiNM/Transforms/Passes.h.inc"
} // namespace hinm

using namespace mlir;
using namespace hinm;

namespace {

/// Whether `v` is a hinm.matmul result, possibly through elementwise linalg
/// ops on it (the ones this pass already moved before the reshape).
bool isMatmulResult(Value v) {
  while (auto lop = v.getDefiningOp<linalg::LinalgOp>()) {
    // The input read element by element (a cast changes only the type).
    auto shape = cast<ShapedType>(v.getType()).getShape();
    Value chained;
    for (OpOperand *in : lop.getDpsInputOperands())
      if (auto t = dyn_cast<RankedTensorType>(in->get().getType());
          t && t.getShape() == shape &&
          lop.getMatchingIndexingMap(in).isIdentity())
        chained = in->get();
    if (!chained)
      return false;
    v = chained;
  }
  return v.getDefiningOp<MatmulOp>() != nullptr;
}

/// The map from the indices of `expand`'s source to those of its result:
/// within each reassociation group, result dimension k of size s_k is
/// (src floordiv stride_k) mod s_k, where stride_k is the product of the
/// sizes after k in the group. Unit dimensions are 0; the floordiv and mod
/// are left out where they cannot change the value.
AffineMap expansionMap(tensor::ExpandShapeOp expand) {
  MLIRContext *ctx = expand.getContext();
  ArrayRef<int64_t> shape = expand.getResultType().getShape();
  SmallVector<AffineExpr> exprs(shape.size());
  for (auto [srcDim, group] :
       llvm::enumerate(expand.getReassociationIndices())) {
    AffineExpr d = getAffineDimExpr(srcDim, ctx);
    int64_t before = 1;
    for (auto [k, dim] : llvm::enumerate(group)) {
      int64_t stride = 1;
      for (int64_t later : ArrayRef<int64_t>(group).drop_front(k + 1))
        stride *= shape[later];
      AffineExpr e = getAffineConstantExpr(0, ctx);
      if (shape[dim] != 1) {
        e = stride == 1 ? d : d.floorDiv(stride);
        if (before > 1)
          e = e % shape[dim];
      }
      exprs[dim] = e;
      before *= shape[dim];
    }
  }
  return AffineMap::get(expand.getSrcType().getRank(), 0, exprs, ctx);
}

/// Rewrites an elementwise linalg op that reads `tensor.expand_shape` of a
/// matmul result through the identity map into the same op on the
/// unexpanded result, followed by the expand_shape of its output. Its other
/// inputs must be scalars, or tensors read through a map that becomes a
/// projected permutation of the unexpanded loops (a bias per channel: one
/// value per matmul row), or through the identity map (then they are
/// collapsed the same way).
struct SinkExpandShapeBelowElementwise
    : OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics() || op->getNumResults() != 1 ||
        op.getNumDpsInits() != 1 || !op.isAllParallelLoops() ||
        !hasScalarBody(op))
      return rewriter.notifyMatchFailure(op, "not elementwise");
    OpOperand *init = op.getDpsInitOperand(0);
    auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!resultType || !resultType.hasStaticShape() ||
        op.payloadUsesValueFromOperand(init) ||
        !op.getMatchingIndexingMap(init).isIdentity())
      return rewriter.notifyMatchFailure(op, "output not a plain result");
    // The expanded matmul result it reads element by element.
    tensor::ExpandShapeOp expand;
    for (OpOperand *in : op.getDpsInputOperands()) {
      auto e = in->get().getDefiningOp<tensor::ExpandShapeOp>();
      if (e && op.getMatchingIndexingMap(in).isIdentity() &&
          e.getResultType() == in->get().getType() &&
          e.getResultType().getShape() == resultType.getShape() &&
          e.getSrcType().hasStaticShape() && isMatmulResult(e.getSrc())) {
        expand = e;
        break;
      }
    }
    if (!expand)
      return rewriter.notifyMatchFailure(op, "no expanded matmul result");
    Value src = expand.getSrc();
    AffineMap e = expansionMap(expand);
    unsigned rank = expand.getSrcType().getRank();
    MLIRContext *ctx = rewriter.getContext();
    Location loc = op.getLoc();

    SmallVector<Value> inputs;
    SmallVector<AffineMap> maps;
    for (OpOperand *in : op.getDpsInputOperands()) {
      AffineMap map = op.getMatchingIndexingMap(in);
      Value v = in->get();
      if (v == expand.getResult()) {
        inputs.push_back(src);
        maps.push_back(AffineMap::getMultiDimIdentityMap(rank, ctx));
        continue;
      }
      AffineMap composed = map.compose(e);
      if (composed.isProjectedPermutation()) {
        inputs.push_back(v);
        maps.push_back(composed);
        continue;
      }
      // A full operand of the expanded shape: collapsed like the result, or
      // read before its own expansion the same way (another layer's result:
      // a residual input).
      auto type = dyn_cast<RankedTensorType>(v.getType());
      if (!map.isIdentity() || !type ||
          type.getShape() != resultType.getShape())
        return rewriter.notifyMatchFailure(op, "operand map not reducible");
      auto same = v.getDefiningOp<tensor::ExpandShapeOp>();
      if (same &&
          same.getReassociationIndices() == expand.getReassociationIndices() &&
          same.getSrcType().getShape() == expand.getSrcType().getShape())
        inputs.push_back(same.getSrc());
      else
        inputs.push_back(tensor::CollapseShapeOp::create(
            rewriter, loc, v, expand.getReassociationIndices()));
      maps.push_back(AffineMap::getMultiDimIdentityMap(rank, ctx));
    }
    maps.push_back(AffineMap::getMultiDimIdentityMap(rank, ctx));

    Value empty =
        tensor::EmptyOp::create(rewriter, loc, expand.getSrcType().getShape(),
                                resultType.getElementType());
    Block *body = op.getBlock();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{empty.getType()}, inputs, ValueRange{empty},
        maps,
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location, ValueRange args) {
          IRMapping mapping;
          mapping.map(body->getArguments(), args);
          for (Operation &o : body->without_terminator())
            b.clone(o, mapping);
          linalg::YieldOp::create(
              b, loc,
              mapping.lookupOrDefault(body->getTerminator()->getOperand(0)));
        });
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
        op, resultType, generic.getResult(0), expand.getReassociationIndices());
    return success();
  }
};

struct HiNMSinkResultReshapesPass
    : hinm::impl::HiNMSinkResultReshapesPassBase<HiNMSinkResultReshapesPass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<SinkExpandShapeBelowElementwise>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
