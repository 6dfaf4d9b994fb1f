//===- HiNMOps.cpp - hinm operations --------------------------------------===//
//
// Part of the hinm project.
//
//===----------------------------------------------------------------------===//
#include "hinm/Dialect/HiNM/IR/HiNMOps.h"
#include "hinm/Dialect/HiNM/IR/HiNMStorage.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace hinm;

/// The constant behind `v`, if any (arith.constant and friends).
static DenseElementsAttr getConstant(Value v) {
  DenseElementsAttr attr;
  if (matchPattern(v, m_Constant(&attr)))
    return attr;
  return {};
}

static std::vector<int32_t> toI32(DenseElementsAttr attr) {
  std::vector<int32_t> out;
  for (int64_t v : toInts(attr)) {
    // Clamp so that out-of-range 64-bit values still fail the range checks.
    if (v > INT32_MAX)
      v = INT32_MAX;
    if (v < INT32_MIN)
      v = INT32_MIN;
    out.push_back(static_cast<int32_t>(v));
  }
  return out;
}

/// Checks the contents of constant vector-index and row-perm operands.
static LogicalResult verifyConstantIndices(Operation *op, MatrixType type,
                                           Value vectorIndex, Value rowPerm) {
  ::hinm::HiNMFormat fmt = type.getFormat().toLibrary();
  if (DenseElementsAttr idx = getConstant(vectorIndex)) {
    std::vector<int32_t> v = toI32(idx);
    std::string err =
        ::hinm::verifyVectorIndex(fmt, type.getRows(), type.getCols(), v.data());
    if (!err.empty())
      return op->emitOpError() << err;
  }
  if (DenseElementsAttr perm = getConstant(rowPerm)) {
    std::vector<int32_t> v = toI32(perm);
    std::string err = ::hinm::verifyRowPerm(fmt, type.getRows(), v.data());
    if (!err.empty())
      return op->emitOpError() << err;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// AssembleOp
//===----------------------------------------------------------------------===//

LogicalResult AssembleOp::verify() {
  MatrixType type = getType();
  if (failed(verifyConstantIndices(*this, type, getVectorIndex(), getRowPerm())))
    return failure();
  if (DenseElementsAttr meta = getConstant(getMetadata())) {
    std::vector<int64_t> raw = toInts(meta);
    std::vector<uint32_t> words(raw.begin(), raw.end());
    std::string err = ::hinm::verifyMetadata(type.getFormat().toLibrary(),
                                             type.getRows(), words.data());
    if (!err.empty())
      return emitOpError() << err;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// DisassembleOp
//===----------------------------------------------------------------------===//

LogicalResult DisassembleOp::fold(FoldAdaptor,
                                  SmallVectorImpl<OpFoldResult> &results) {
  auto assemble = getMatrix().getDefiningOp<AssembleOp>();
  if (!assemble)
    return failure();
  for (Value v : assemble->getOperands())
    results.push_back(v);
  return success();
}

//===----------------------------------------------------------------------===//
// PackOp
//===----------------------------------------------------------------------===//

LogicalResult PackOp::verify() {
  MatrixType type = getType();
  if (failed(verifyConstantIndices(*this, type, getVectorIndex(), getRowPerm())))
    return failure();
  if (DenseElementsAttr mask = getConstant(getNmMask())) {
    std::vector<uint8_t> bits;
    for (int64_t b : toInts(mask))
      bits.push_back(b != 0);
    std::string err = ::hinm::verifyNMMask(type.getFormat().toLibrary(),
                                           type.getRows(), bits.data());
    if (!err.empty())
      return emitOpError() << err;
  }
  return success();
}

namespace {
/// hinm.pack of constants -> hinm.assemble of constant storage: the weights
/// are pruned and compressed once, at compile time.
struct FoldConstantPack : OpRewritePattern<PackOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(PackOp op,
                                PatternRewriter &rewriter) const override {
    DenseElementsAttr dense = getConstant(op.getDense());
    DenseElementsAttr perm = getConstant(op.getRowPerm());
    DenseElementsAttr index = getConstant(op.getVectorIndex());
    DenseElementsAttr mask = getConstant(op.getNmMask());
    if (!dense || !perm || !index || !mask)
      return rewriter.notifyMatchFailure(op, "operands are not all constant");
    MatrixType type = op.getType();
    ::hinm::HiNMFormat fmt = type.getFormat().toLibrary();
    ::hinm::HiNMSelection sel;
    sel.rowPerm = toI32(perm);
    sel.vectorIndex = toI32(index);
    for (int64_t b : toInts(mask))
      sel.nmMask.push_back(b != 0);
    if (!::hinm::verifySelection(fmt, type.getRows(), type.getCols(), sel)
             .empty())
      return rewriter.notifyMatchFailure(op, "invalid selection");
    std::vector<float> w = toFloats(dense);
    ::hinm::HiNMStorage s =
        ::hinm::pack(w.data(), type.getRows(), type.getCols(), fmt, sel);
    std::array<DenseElementsAttr, 4> parts = attrsFromStorage(type, s);
    SmallVector<Value, 4> values;
    for (DenseElementsAttr part : parts)
      values.push_back(
          arith::ConstantOp::create(rewriter, op.getLoc(), part).getResult());
    rewriter.replaceOpWithNewOp<AssembleOp>(op, type, values[0], values[1],
                                            values[2], values[3]);
    return success();
  }
};
} // namespace

void PackOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                         MLIRContext *context) {
  results.add<FoldConstantPack>(context);
}

//===----------------------------------------------------------------------===//
// ToDenseOp
//===----------------------------------------------------------------------===//

OpFoldResult ToDenseOp::fold(FoldAdaptor) {
  auto assemble = getMatrix().getDefiningOp<AssembleOp>();
  if (!assemble)
    return {};
  SmallVector<Attribute, 4> parts;
  for (Value v : assemble->getOperands())
    parts.push_back(getConstant(v));
  MatrixType type = assemble.getType();
  std::optional<::hinm::HiNMStorage> s = storageFromAttrs(type, parts);
  if (!s)
    return {};
  std::vector<float> dense(type.getRows() * type.getCols());
  ::hinm::unpack(*s, dense.data());
  return fromFloats(type.getDenseType(), dense);
}

//===----------------------------------------------------------------------===//
// MatmulOp
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::verify() {
  MatrixType w = getWeight().getType();
  auto x = cast<RankedTensorType>(getInput().getType());
  auto y = cast<RankedTensorType>(getResult().getType());
  if (x.getRank() != 2)
    return emitOpError() << "input must be 2-D, got rank " << x.getRank();
  if (y.getRank() != 2)
    return emitOpError() << "result must be 2-D, got rank " << y.getRank();
  if (!x.isDynamicDim(0) && x.getDimSize(0) != w.getCols())
    return emitOpError() << "input has " << x.getDimSize(0)
                         << " rows but the weight has " << w.getCols()
                         << " columns";
  if (!y.isDynamicDim(0) && y.getDimSize(0) != w.getRows())
    return emitOpError() << "result has " << y.getDimSize(0)
                         << " rows but the weight has " << w.getRows()
                         << " rows";
  if (!x.isDynamicDim(1) && !y.isDynamicDim(1) &&
      x.getDimSize(1) != y.getDimSize(1))
    return emitOpError() << "result has " << y.getDimSize(1)
                         << " columns but the input has " << x.getDimSize(1);
  if (x.getElementType() != w.getElementType())
    return emitOpError() << "input element type " << x.getElementType()
                         << " differs from the weight's "
                         << w.getElementType();
  Type r = y.getElementType();
  if (r != w.getElementType() && !r.isF32())
    return emitOpError() << "result element type must be f32 or "
                         << w.getElementType() << ", got " << r;
  return success();
}

//===----------------------------------------------------------------------===//
// hinm.assert
//===----------------------------------------------------------------------===//

LogicalResult AssertOp::verify() {
  size_t placeholders = 0;
  for (size_t at = getMessage().find("{}"); at != StringRef::npos;
       at = getMessage().find("{}", at + 2))
    ++placeholders;
  if (placeholders != getValues().size())
    return emitOpError("message has ")
           << placeholders << " '{}' placeholder(s) for " << getValues().size()
           << " value(s)";
  for (Value v : getValues())
    if (auto it = dyn_cast<IntegerType>(v.getType()); it && it.getWidth() > 64)
      return emitOpError("prints integers of up to 64 bits, not ") << it;
  return success();
}

LogicalResult AssertOp::canonicalize(AssertOp op, PatternRewriter &rewriter) {
  // A check that cannot fail is dropped, as cf.assert's is.
  if (matchPattern(op.getCondition(), m_One())) {
    rewriter.eraseOp(op);
    return success();
  }
  return failure();
}

#define GET_OP_CLASSES
#include "hinm/Dialect/HiNM/IR/HiNMOps.cpp.inc"
