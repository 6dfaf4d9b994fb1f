//===- PadMatmulKept.cpp - pad hinm.matmul's kept count for the GPU -------===//
//
// Part of the hinm project. See HiNMPadMatmulKeptPass in Passes.td: the GPU
// kernel's k tiles need kept % 32 == 0; zero columns appended to the matrix
// (kept by every block) and zero rows appended to the activations leave the
// product unchanged. The storage arithmetic is the library's
// (hinm/Algorithm/KeptPadding.h); this file builds the IR.
//
//===----------------------------------------------------------------------===//
#include "PadMultiple.h"
#include "hinm/Algorithm/KeptPadding.h"

#include "hinm/Dialect/HiNM/IR/HiNMOps.h"
#include "hinm/Dialect/HiNM/IR/HiNMStorage.h"
#include "hinm/Dialect/HiNM/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <numeric>

namespace hinm {
#define GEN_PASS_DEF_HINMPADMATMULKEPTPASS
#include "hinm/Dialect/HiNM/Transforms/Passes.h.inc"
} // namespace hinm

using namespace mlir;
using namespace hinm;

namespace {

/// `v` with `high` more elements at the end of each dimension, filled with
/// `fill` (a constant of v's element type).
Value padHigh(OpBuilder &b, Location loc, Value v, ArrayRef<int64_t> high,
              TypedAttr fill) {
  auto t = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape(t.getShape());
  SmallVector<OpFoldResult> lows, highs;
  for (auto [d, h] : llvm::enumerate(high)) {
    if (!t.isDynamicDim(d))
      shape[d] += h;
    lows.push_back(b.getIndexAttr(0));
    highs.push_back(b.getIndexAttr(h));
  }
  Value f = arith::ConstantOp::create(b, loc, fill);
  return tensor::PadOp::create(b, loc,
                               RankedTensorType::get(shape, t.getElementType()),
                               v, lows, highs, f);
}

/// The four padded storage parts, built from run-time tensors: values and
/// metadata padded (the metadata words then merged with the new fields),
/// the vector index extended by the appended columns.
SmallVector<Value, 4> padPartsAtRunTime(OpBuilder &b, Location loc,
                                        AssembleOp assemble, MatrixType padded,
                                        const KeptPadding &pad,
                                        int64_t oldCols) {
  auto oldType = cast<MatrixType>(assemble.getType());
  ::hinm::HiNMFormat fmt = oldType.getFormat().toLibrary();
  Type i32 = b.getI32Type();
  // Values: zeros after each row's stored values.
  Value values =
      padHigh(b, loc, assemble.getValues(),
              {0, pad.format.compressedCols() - fmt.compressedCols()},
              b.getZeroAttr(padded.getElementType()));
  // Vector index: every block keeps the appended columns oldCols, ...
  const int64_t blocks = oldType.getNumBlocks();
  std::vector<int32_t> added;
  for (int64_t blk = 0; blk < blocks; ++blk)
    for (int64_t c = 0; c < pad.addedColumns; ++c)
      added.push_back(static_cast<int32_t>(oldCols + c));
  auto addedType = RankedTensorType::get({blocks, pad.addedColumns}, i32);
  Value addedCols = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(addedType, ArrayRef<int32_t>(added)));
  Value index = tensor::EmptyOp::create(b, loc, padded.getVectorIndexType(),
                                        ValueRange{});
  auto insert = [&](Value src, Value dst, int64_t col, int64_t width) {
    SmallVector<OpFoldResult> offsets = {b.getIndexAttr(0),
                                         b.getIndexAttr(col)};
    SmallVector<OpFoldResult> sizes = {b.getIndexAttr(blocks),
                                       b.getIndexAttr(width)};
    SmallVector<OpFoldResult> strides(2, b.getIndexAttr(1));
    return tensor::InsertSliceOp::create(b, loc, src, dst, offsets, sizes,
                                         strides)
        .getResult();
  };
  index = insert(assemble.getVectorIndex(), index, 0, fmt.kept);
  index = insert(addedCols, index, fmt.kept, pad.addedColumns);
  // Metadata: words past the old ones start at 0; every word becomes
  // (word & keepBits[w]) | padFields[w], the same for every row.
  const int64_t words = pad.format.metaWordsPerRow();
  Value meta =
      padHigh(b, loc, assemble.getMetadata(),
              {0, words - fmt.metaWordsPerRow()}, b.getI32IntegerAttr(0));
  auto maskType = RankedTensorType::get({words}, i32);
  Value keep = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(maskType, ArrayRef(pad.keepBits)));
  Value fields = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(maskType, ArrayRef(pad.padFields)));
  MLIRContext *ctx = b.getContext();
  AffineExpr p, w;
  bindDims(ctx, p, w);
  SmallVector<AffineMap> maps = {
      AffineMap::get(2, 0, {p, w}, ctx), AffineMap::get(2, 0, {w}, ctx),
      AffineMap::get(2, 0, {w}, ctx), AffineMap::get(2, 0, {p, w}, ctx)};
  Value metaInit =
      tensor::EmptyOp::create(b, loc, padded.getMetadataType(), ValueRange{});
  Value merged =
      linalg::GenericOp::create(
          b, loc, padded.getMetadataType(), ValueRange{meta, keep, fields},
          ValueRange{metaInit}, maps,
          SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
          [](OpBuilder &nb, Location nl, ValueRange args) {
            Value kept = arith::AndIOp::create(nb, nl, args[0], args[1]);
            linalg::YieldOp::create(
                nb, nl,
                ValueRange{
                    arith::OrIOp::create(nb, nl, kept, args[2]).getResult()});
          })
          ->getResult(0);
  return {values, index, merged, assemble.getRowPerm()};
}

/// hinm.matmul on a hinm.assemble whose kept count is not a multiple of
/// `multiple` -> hinm.matmul on the padded matrix and zero-padded
/// activations (KeptPadding.h).
struct PadMatmulKept : OpRewritePattern<MatmulOp> {
  PadMatmulKept(MLIRContext *ctx, int64_t multiple)
      : OpRewritePattern(ctx), multiple(multiple) {}

  LogicalResult matchAndRewrite(MatmulOp op,
                                PatternRewriter &rewriter) const override {
    auto assemble = op.getWeight().getDefiningOp<AssembleOp>();
    if (!assemble)
      return rewriter.notifyMatchFailure(op, "weight is not hinm.assemble");
    auto type = cast<MatrixType>(assemble.getType());
    ::hinm::HiNMFormat fmt = type.getFormat().toLibrary();
    const int64_t step = std::lcm(multiple, fmt.m);
    const int64_t newKept = llvm::divideCeil(fmt.kept, step) * step;
    if (newKept == fmt.kept)
      return rewriter.notifyMatchFailure(op, "kept is already a multiple");
    auto xType = dyn_cast<RankedTensorType>(op.getInput().getType());
    if (!xType || xType.getRank() != 2 || xType.isDynamicDim(0) ||
        xType.getDimSize(0) != type.getCols())
      return rewriter.notifyMatchFailure(
          op, "activations are not a static [cols, N] tensor");
    if (!validateKeptPadding(fmt, newKept).empty())
      return rewriter.notifyMatchFailure(op, "kept cannot be padded");
    KeptPadding pad = keptPadding(fmt, newKept);
    MLIRContext *ctx = op.getContext();
    auto paddedType = MatrixType::get(
        ctx, type.getRows(), type.getCols() + pad.addedColumns,
        type.getElementType(),
        FormatAttr::get(ctx, fmt.vectorSize, newKept, fmt.n, fmt.m));
    Location loc = op.getLoc();

    // Constant parts are padded now, by the library; others at run time.
    SmallVector<Attribute, 4> cst(4);
    bool allConstant = true;
    for (auto [i, part] : llvm::enumerate(assemble->getOperands()))
      allConstant &= matchPattern(part, m_Constant(&cst[i]));
    std::optional<::hinm::HiNMStorage> storage;
    if (allConstant)
      storage = storageFromAttrs(type, cst);
    SmallVector<Value, 4> parts;
    if (storage) {
      ::hinm::HiNMStorage paddedStorage = padKept(*storage, newKept);
      for (DenseElementsAttr a : attrsFromStorage(paddedType, paddedStorage))
        parts.push_back(arith::ConstantOp::create(rewriter, loc, a));
    } else {
      parts = padPartsAtRunTime(rewriter, loc, assemble, paddedType, pad,
                                type.getCols());
    }
    Value w = AssembleOp::create(rewriter, loc, paddedType, parts[0], parts[1],
                                 parts[2], parts[3]);
    Value x = padHigh(rewriter, loc, op.getInput(), {pad.addedColumns, 0},
                      rewriter.getZeroAttr(xType.getElementType()));
    auto padded = MatmulOp::create(rewriter, loc, op.getType(), w, x);
    padded->setDiscardableAttrs(op->getDiscardableAttrDictionary());
    rewriter.replaceOp(op, padded.getResult());
    return success();
  }

  int64_t multiple;
};

struct HiNMPadMatmulKeptPass
    : hinm::impl::HiNMPadMatmulKeptPassBase<HiNMPadMatmulKeptPass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *ctx) override {
    return checkPadMultiple(ctx, "hinm-pad-matmul-kept", multiple);
  }

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<PadMatmulKept>(&getContext(), multiple);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
