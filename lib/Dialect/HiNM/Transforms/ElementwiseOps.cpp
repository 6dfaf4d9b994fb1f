//===- ElementwiseOps.cpp - linalg ops that act element by element --------===//
//
// Part of the hinm project. See ElementwiseOps.h.
//
//===----------------------------------------------------------------------===//
#include "hinm/Dialect/HiNM/Transforms/ElementwiseOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;

bool hinm::isElementwiseOn(linalg::LinalgOp lop, Value chained) {
  if (!lop.hasPureTensorSemantics() || lop->getNumResults() != 1 ||
      lop.getNumDpsInits() != 1 || lop.getNumLoops() != 2 ||
      !lop.isAllParallelLoops())
    return false;
  auto chainedType = dyn_cast<RankedTensorType>(chained.getType());
  auto resType = dyn_cast<RankedTensorType>(lop->getResult(0).getType());
  OpOperand *init = lop.getDpsInitOperand(0);
  if (!chainedType || !resType ||
      resType.getShape() != chainedType.getShape() || init->get() == chained ||
      lop.payloadUsesValueFromOperand(init) ||
      !lop.getMatchingIndexingMap(init).isIdentity())
    return false;
  bool reads = false;
  for (OpOperand *in : lop.getDpsInputOperands()) {
    if (in->get() != chained)
      continue;
    if (!lop.getMatchingIndexingMap(in).isIdentity())
      return false;
    reads = true;
  }
  return reads && hasScalarBody(lop);
}

bool hinm::hasScalarBody(linalg::LinalgOp lop) {
  Block &body = *lop.getBlock();
  for (Operation &o : body.without_terminator()) {
    if (!isa<arith::ArithDialect, math::MathDialect>(o.getDialect()) ||
        !isPure(&o) || o.getNumRegions() != 0)
      return false;
    for (Type t : o.getResultTypes())
      if (!t.isIntOrIndexOrFloat())
        return false;
  }
  return body.getTerminator()->getNumOperands() == 1;
}
