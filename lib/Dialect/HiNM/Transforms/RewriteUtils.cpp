//===- RewriteUtils.cpp - IR helpers of hinm-sparsify's rewrites ----------===//
//
// Part of the hinm project. See RewriteUtils.h.
//
//===----------------------------------------------------------------------===//
#include "RewriteUtils.h"

#include "hinm/Algorithm/Prune.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

#include <cmath>

using namespace mlir;

Value hinm::transposeTensor(OpBuilder &b, Location loc, Value v,
                            ArrayRef<int64_t> perm) {
  auto t = cast<RankedTensorType>(v.getType());
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, v), shape;
  for (int64_t p : perm)
    shape.push_back(sizes[p]);
  Value init = tensor::EmptyOp::create(b, loc, shape, t.getElementType());
  return linalg::TransposeOp::create(b, loc, v, init, perm)->getResult(0);
}

bool hinm::isZeroFill(Value v) {
  auto fill = v.getDefiningOp<linalg::FillOp>();
  return fill && fill.getInputs().size() == 1 &&
         (matchPattern(fill.getInputs()[0], m_AnyZeroFloat()) ||
          matchPattern(fill.getInputs()[0], m_Zero()));
}

Value hinm::freshZeroFill(OpBuilder &b, Location loc, Value zeroFill,
                          ArrayRef<OpFoldResult> sizes, Type elt) {
  Value e = tensor::EmptyOp::create(b, loc, sizes, elt);
  Value zero = zeroFill.getDefiningOp<linalg::FillOp>().getInputs()[0];
  return linalg::FillOp::create(b, loc, ValueRange{zero}, ValueRange{e})
      .getResult(0);
}

void hinm::eraseDeadZeroFill(RewriterBase &rewriter, Value acc) {
  if (!isZeroFill(acc) || !acc.use_empty())
    return;
  auto fill = acc.getDefiningOp<linalg::FillOp>();
  Value init = fill.getOutputs()[0];
  rewriter.eraseOp(fill);
  if (auto empty = init.getDefiningOp<tensor::EmptyOp>();
      empty && empty->use_empty())
    rewriter.eraseOp(empty);
}

std::optional<hinm::TypeProblem> hinm::checkElementTypes(Type act, Type weight,
                                                         Type result) {
  if (weight != act)
    return TypeProblem{"operands have different element types", {}};
  if (!(weight.isF16() || weight.isBF16() || weight.isF32()))
    return TypeProblem{"element type is not f16, bf16 or f32:", weight};
  if (result != weight && !result.isF32())
    return TypeProblem{"result element type is neither f32 nor the operands':",
                       result};
  return std::nullopt;
}

void hinm::warnLeftDense(Operation *op, StringRef what, const Twine &why,
                         Type type) {
  InFlightDiagnostic diag = op->emitWarning() << "hinm-sparsify: " << what
                                              << " left dense: " << why;
  if (type)
    diag << " " << type;
}

std::optional<std::string> hinm::tooLargeToRead(ShapedType type) {
  if (!type.hasStaticShape() || type.getNumElements() <= kMaxPrunedElements)
    return std::nullopt;
  return "it has " + std::to_string(type.getNumElements()) +
         " elements, more than the " + std::to_string(kMaxPrunedElements) +
         " hinm prunes";
}

LogicalResult hinm::checkFinite(Operation *op, const std::vector<float> &values,
                                ArrayRef<int64_t> shape, StringRef what) {
  auto bad = llvm::find_if(values, [](float v) { return !std::isfinite(v); });
  if (bad == values.end())
    return success();
  int64_t rest = bad - values.begin();
  SmallVector<int64_t> coords(shape.size());
  for (int64_t i = int64_t(shape.size()) - 1; i >= 0; --i) {
    coords[i] = rest % shape[i];
    rest /= shape[i];
  }
  InFlightDiagnostic diag = op->emitError()
                            << "hinm-sparsify: " << what << " [";
  llvm::interleaveComma(coords, diag);
  diag << "] is " << (std::isnan(*bad) ? "NaN" : "infinite");
  return failure();
}
