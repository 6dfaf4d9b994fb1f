//===- Epilogue.cpp - elementwise ops fused into the matmul kernel --------===//
//
// Part of the hinm project. See Epilogue.h. The kernel applies the chain to
// each accumulator element right before its store, in the element types the
// linalg bodies use, so the fused program computes what the host ops did:
// the PTX keeps each operation's own rounding (add.rn, mul.rn; a multiply
// and an add are not contracted into an fma, docs/gpu-codegen.md, 1b).
//
//===----------------------------------------------------------------------===//
#include "Epilogue.h"

#include "hinm/Dialect/HiNM/Transforms/ElementwiseOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace hinm;

Value MatmulEpilogue::result() const { return ops.back()->getResult(0); }

Operation *MatmulEpilogue::last() const { return ops.back(); }

/// The (d0, d1) -> (d<dim>) map.
static AffineMap dimMap(MLIRContext *ctx, unsigned dim) {
  return AffineMap::get(2, 0, getAffineDimExpr(dim, ctx), ctx);
}

/// How `lop` reads input `in` when it is not the chained value; the operand
/// (source, kind) on success.
static std::optional<EpilogueOperand>
classifyOperand(linalg::LinalgOp lop, OpOperand *in, RankedTensorType result) {
  Value v = in->get();
  if (lop.isScalar(in))
    return v.getType().isIntOrIndexOrFloat()
               ? std::optional<EpilogueOperand>(
                     {v, EpilogueOperand::Kind::Scalar})
               : std::nullopt;
  auto tt = dyn_cast<RankedTensorType>(v.getType());
  if (!tt || !tt.hasStaticShape())
    return std::nullopt;
  // A constant without data can be neither embedded nor copied; left on
  // the host, it fails where it always did.
  DenseResourceElementsAttr resource;
  if (matchPattern(v, m_Constant(&resource)) &&
      !resource.getRawHandle().getBlob())
    return std::nullopt;
  if (tt.getRank() == 0)
    return EpilogueOperand{v, EpilogueOperand::Kind::Scalar};
  MLIRContext *ctx = lop->getContext();
  AffineMap map = lop.getMatchingIndexingMap(in);
  // A tensor broadcast from a per-row or per-column vector (linalg.broadcast
  // of a bias) is read through the vector instead: no full matrix on the
  // device.
  if (map.isIdentity())
    if (auto bc = v.getDefiningOp<linalg::BroadcastOp>();
        bc && bc.hasPureTensorSemantics()) {
      OpOperand *src = bc.getDpsInputOperand(0);
      auto st = dyn_cast<RankedTensorType>(src->get().getType());
      if (st && st.hasStaticShape() && tt.getShape() == result.getShape()) {
        AffineMap srcMap = bc.getMatchingIndexingMap(src);
        if (srcMap == dimMap(ctx, 0))
          return EpilogueOperand{src->get(), EpilogueOperand::Kind::Row};
        if (srcMap == dimMap(ctx, 1))
          return EpilogueOperand{src->get(), EpilogueOperand::Kind::Column};
      }
    }
  if (map.isIdentity() && tt.getShape() == result.getShape())
    return EpilogueOperand{v, EpilogueOperand::Kind::Element};
  if (map == dimMap(ctx, 0) && tt.getDimSize(0) == result.getDimSize(0))
    return EpilogueOperand{v, EpilogueOperand::Kind::Row};
  if (map == dimMap(ctx, 1) && !result.isDynamicDim(1) &&
      tt.getDimSize(0) == result.getDimSize(1))
    return EpilogueOperand{v, EpilogueOperand::Kind::Column};
  return std::nullopt;
}

/// Adds `lop`, which consumes `chained`, to `epi` if it qualifies.
static bool appendIfFusible(MatmulEpilogue &epi, linalg::LinalgOp lop,
                            Value chained) {
  if (!isElementwiseOn(lop, chained))
    return false;
  auto chainedType = cast<RankedTensorType>(chained.getType());
  Type elt = getElementTypeOrSelf(lop->getResult(0).getType());
  if (!elt.isF16() && !elt.isBF16() && !elt.isF32())
    return false;

  SmallVector<int> inputs;
  SmallVector<EpilogueOperand> added;
  for (OpOperand *in : lop.getDpsInputOperands()) {
    if (in->get() == chained) {
      inputs.push_back(-1);
      continue;
    }
    std::optional<EpilogueOperand> operand =
        classifyOperand(lop, in, chainedType);
    if (!operand)
      return false;
    // One device buffer per distinct (value, kind).
    auto same = [&](const EpilogueOperand &o) {
      return o.source == operand->source && o.kind == operand->kind;
    };
    auto it = llvm::find_if(epi.operands, same);
    auto itAdded = llvm::find_if(added, same);
    if (it != epi.operands.end()) {
      inputs.push_back(it - epi.operands.begin());
    } else if (itAdded != added.end()) {
      inputs.push_back(epi.operands.size() + (itAdded - added.begin()));
    } else {
      inputs.push_back(epi.operands.size() + added.size());
      added.push_back(*operand);
    }
  }
  epi.ops.push_back(lop);
  epi.inputs.push_back(std::move(inputs));
  epi.operands.append(added.begin(), added.end());
  return true;
}

MatmulEpilogue hinm::collectEpilogue(MatmulOp op) {
  MatmulEpilogue epi;
  Value cur = op.getResult();
  while (cur.hasOneUse()) {
    auto lop = dyn_cast<linalg::LinalgOp>(*cur.getUsers().begin());
    if (!lop || !appendIfFusible(epi, lop, cur))
      break;
    cur = lop->getResult(0);
  }
  return epi;
}

Value hinm::applyEpilogue(OpBuilder &b, Location loc,
                          const MatmulEpilogue &epilogue, Value acc, Value col,
                          ArrayRef<Value> operandValues,
                          ArrayRef<Value> rowValues, Value row) {
  Value cur = acc;
  for (auto [op, inputs] : llvm::zip(epilogue.ops, epilogue.inputs)) {
    linalg::LinalgOp lop = op;
    Block *body = lop.getBlock();
    IRMapping map;
    for (auto [j, in] : llvm::enumerate(inputs)) {
      Value bound;
      if (in < 0) {
        bound = cur;
      } else {
        Value v = operandValues[in];
        switch (epilogue.operands[in].kind) {
        case EpilogueOperand::Kind::Scalar:
          bound = v;
          break;
        case EpilogueOperand::Kind::Row:
          bound = rowValues[in];
          break;
        case EpilogueOperand::Kind::Column:
          bound = memref::LoadOp::create(b, loc, v, ValueRange{col});
          break;
        case EpilogueOperand::Kind::Element:
          bound = memref::LoadOp::create(b, loc, v, ValueRange{row, col});
          break;
        }
      }
      map.map(body->getArgument(j), bound);
    }
    for (Operation &o : body->without_terminator())
      b.clone(o, map);
    cur = map.lookupOrDefault(body->getTerminator()->getOperand(0));
  }
  return cur;
}
