//===- FlattenProducts.cpp - batch and vector products as one matmul ------===//
//
// Part of the hinm project. See FlattenProducts.h.
//
//===----------------------------------------------------------------------===//
#include "FlattenProducts.h"

#include "ConstantWeight.h"
#include "RewriteUtils.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace hinm;

namespace {

/// A 2-D weight that a linalg.batch_matmul applies to every batch: the
/// [K, N] RHS or the [M, K] LHS, or, for a batch of one, the [1, K, N] /
/// [1, M, K] operand itself (`weight` is then 3-D).
struct SharedWeight {
  Value weight;
  bool isLhs;
};

/// The weight a linalg.batch_matmul shares over its batch, if any: a 3-D
/// operand that repeats one 2-D tensor (batchBroadcastSource), a 2-D
/// operand read through the broadcast map (b, m, n, k) -> (k, n) for the
/// RHS or (b, m, n, k) -> (m, k) for the LHS, or any 3-D operand when the
/// batch is statically 1 (TOSA's 3-D matmul of a linear layer). The other
/// operand and the result must use the plain maps. The RHS is tried first.
std::optional<SharedWeight> batchSharedWeight(linalg::BatchMatmulOp op) {
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  SmallVector<AffineMap> plain =
      linalg::BatchMatmulOp::getDefaultIndexingMaps(op.getContext());
  if (maps[2] != plain[2])
    return std::nullopt;
  auto ct = dyn_cast<RankedTensorType>(op.getOutputs()[0].getType());
  const bool batchOfOne = ct && ct.getRank() == 3 && ct.getDimSize(0) == 1;
  MLIRContext *ctx = op.getContext();
  AffineExpr m = getAffineDimExpr(1, ctx), n = getAffineDimExpr(2, ctx),
             k = getAffineDimExpr(3, ctx);
  // Operand `i` is shared if its map broadcasts `broadcastMap`, or, under
  // the plain map, it repeats a 2-D tensor or the batch is 1.
  auto shared = [&](unsigned i, AffineMap broadcastMap) -> Value {
    Value v = op.getInputs()[i];
    if (maps[i] != plain[i])
      return maps[i] == broadcastMap ? v : Value();
    if (Value src = batchBroadcastSource(v))
      return src;
    return batchOfOne && isConstantWeight(v) ? v : Value();
  };
  if (maps[0] == plain[0])
    if (Value w = shared(1, AffineMap::get(4, 0, {k, n}, ctx)))
      return SharedWeight{w, /*isLhs=*/false};
  if (maps[1] == plain[1])
    if (Value w = shared(0, AffineMap::get(4, 0, {m, k}, ctx)))
      return SharedWeight{w, /*isLhs=*/true};
  return std::nullopt;
}

} // namespace

linalg::MatmulOp
hinm::flattenSharedWeightBatchMatmul(RewriterBase &rewriter,
                                     linalg::BatchMatmulOp op) {
  if (!op.hasPureTensorSemantics() || op.getInputs().size() != 2 ||
      op.getOutputs().size() != 1)
    return {};
  Value acc = op.getOutputs()[0];
  std::optional<SharedWeight> shared = batchSharedWeight(op);
  if (!shared || !isConstantWeight(shared->weight))
    return {};
  Value weightOperand = op.getInputs()[shared->isLhs ? 0 : 1];
  Value x = op.getInputs()[shared->isLhs ? 1 : 0];
  auto xt = dyn_cast<RankedTensorType>(x.getType());
  auto ct = dyn_cast<RankedTensorType>(acc.getType());
  if (!xt || !ct || xt.getRank() != 3 || ct.getRank() != 3)
    return {};
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  Value w = shared->weight;
  if (auto wt = cast<RankedTensorType>(w.getType()); wt.getRank() == 3)
    w = tensor::CollapseShapeOp::create(
        rewriter, loc,
        RankedTensorType::get({wt.getDimSize(1), wt.getDimSize(2)},
                              wt.getElementType()),
        w, SmallVector<ReassociationIndices>{{0, 1}, {2}});
  Type accElt = ct.getElementType();
  auto product = [](RankedTensorType t, int64_t d0, int64_t d1) {
    return t.isDynamicDim(d0) || t.isDynamicDim(d1)
               ? ShapedType::kDynamic
               : t.getDimSize(d0) * t.getDimSize(d1);
  };
  Value y;
  linalg::MatmulOp mm;
  if (!shared->isLhs) {
    // [B, M, K] -> [B*M, K]; the result [B*M, N] -> [B, M, N].
    SmallVector<ReassociationIndices> groups = {{0, 1}, {2}};
    Value x2 = tensor::CollapseShapeOp::create(
        rewriter, loc,
        RankedTensorType::get({product(xt, 0, 1), xt.getDimSize(2)},
                              xt.getElementType()),
        x, groups);
    Value c;
    if (isZeroFill(acc))
      c = freshZeroFill(rewriter, loc, acc,
                        {tensor::getMixedSizes(rewriter, loc, x2)[0],
                         rewriter.getIndexAttr(ct.getDimSize(2))},
                        accElt);
    else
      c = tensor::CollapseShapeOp::create(
          rewriter, loc,
          RankedTensorType::get({product(ct, 0, 1), ct.getDimSize(2)}, accElt),
          acc, groups);
    mm = linalg::MatmulOp::create(rewriter, loc, ValueRange{x2, w},
                                  ValueRange{c});
    y = tensor::ExpandShapeOp::create(
        rewriter, loc, ct, mm.getResult(0), groups,
        tensor::getMixedSizes(rewriter, loc, acc));
  } else {
    // [B, K, N] -> [K, B, N] -> [K, B*N]; the result [M, B*N] ->
    // [M, B, N] -> [B, M, N].
    SmallVector<ReassociationIndices> groups = {{0}, {1, 2}};
    auto toColumns = [&](Value v, RankedTensorType t) {
      Value moved = transposeTensor(rewriter, loc, v, {1, 0, 2});
      return tensor::CollapseShapeOp::create(
          rewriter, loc,
          RankedTensorType::get({t.getDimSize(1), product(t, 0, 2)},
                                t.getElementType()),
          moved, groups);
    };
    Value x2 = toColumns(x, xt);
    Value c;
    if (isZeroFill(acc))
      c = freshZeroFill(rewriter, loc, acc,
                        {rewriter.getIndexAttr(ct.getDimSize(1)),
                         tensor::getMixedSizes(rewriter, loc, x2)[1]},
                        accElt);
    else
      c = toColumns(acc, ct);
    mm = linalg::MatmulOp::create(rewriter, loc, ValueRange{w, x2},
                                  ValueRange{c});
    SmallVector<OpFoldResult> accSizes =
        tensor::getMixedSizes(rewriter, loc, acc);
    Value y3 = tensor::ExpandShapeOp::create(
        rewriter, loc,
        RankedTensorType::get(
            {ct.getDimSize(1), ct.getDimSize(0), ct.getDimSize(2)}, accElt),
        mm.getResult(0), groups, {accSizes[1], accSizes[0], accSizes[2]});
    y = transposeTensor(rewriter, loc, y3, {1, 0, 2});
  }
  rewriter.replaceOp(op, y);
  if (Operation *bcast = weightOperand.getDefiningOp();
      weightOperand != w && bcast && bcast->use_empty())
    rewriter.eraseOp(bcast);
  return mm;
}

linalg::MatmulOp hinm::expandVectorProduct(RewriterBase &rewriter,
                                           linalg::LinalgOp op,
                                           bool matrixIsLhs) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1)
    return {};
  Value a = op.getDpsInputs()[matrixIsLhs ? 0 : 1];
  Value x = op.getDpsInputs()[matrixIsLhs ? 1 : 0];
  Value acc = op.getDpsInits()[0];
  auto at = dyn_cast<RankedTensorType>(a.getType());
  auto xt = dyn_cast<RankedTensorType>(x.getType());
  auto ct = dyn_cast<RankedTensorType>(acc.getType());
  if (!at || !xt || !ct || at.getRank() != 2 || xt.getRank() != 1 ||
      ct.getRank() != 1 || !isConstantWeight(a))
    return {};
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  // [n] <-> [n, 1] (matvec: a column) or [1, n] (vecmat: a row).
  SmallVector<ReassociationIndices> groups = {{0, 1}};
  auto asMatrix = [&](Value v, RankedTensorType t) -> Value {
    SmallVector<int64_t> shape = {t.getDimSize(0), 1};
    if (!matrixIsLhs)
      std::swap(shape[0], shape[1]);
    return tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get(shape, t.getElementType()), v,
        groups);
  };
  Value c;
  if (isZeroFill(acc)) {
    SmallVector<OpFoldResult> sizes = {rewriter.getIndexAttr(ct.getDimSize(0)),
                                       rewriter.getIndexAttr(1)};
    if (!matrixIsLhs)
      std::swap(sizes[0], sizes[1]);
    c = freshZeroFill(rewriter, loc, acc, sizes, ct.getElementType());
  } else {
    c = asMatrix(acc, ct);
  }
  Value x2 = asMatrix(x, xt);
  auto mm = linalg::MatmulOp::create(
      rewriter, loc, matrixIsLhs ? ValueRange{a, x2} : ValueRange{x2, a},
      ValueRange{c});
  rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(op, ct, mm.getResult(0),
                                                       groups);
  return mm;
}
