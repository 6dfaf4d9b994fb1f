//===- DeviceGather.cpp - the ops between two layers as one kernel --------===//
//
// Part of the hinm project. See DeviceGather.h.
//
//===----------------------------------------------------------------------===//
#include "DeviceGather.h"

#include "hinm/Dialect/HiNM/Transforms/ElementwiseOps.h"
#include "mlir/Dialect/Affine/Utils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace hinm;

static bool hasStaticShape(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t && t.hasStaticShape();
}

static ArrayRef<int64_t> shapeOf(Value v) {
  return cast<ShapedType>(v.getType()).getShape();
}

/// Appends linalg op `lop`, which reads `cur`, when it qualifies (see
/// GatherChain::ops).
static bool appendLinalg(GatherChain &chain, linalg::LinalgOp lop, Value cur) {
  if (!lop.hasPureTensorSemantics() || lop->getNumResults() != 1 ||
      lop.getNumDpsInits() != 1 || !lop.isAllParallelLoops() ||
      !hasScalarBody(lop) || !hasStaticShape(lop->getResult(0)))
    return false;
  OpOperand *init = lop.getDpsInitOperand(0);
  if (init->get() == cur || lop.payloadUsesValueFromOperand(init) ||
      !lop.getMatchingIndexingMap(init).isIdentity())
    return false;
  SmallVector<int> inputs;
  SmallVector<Value> added; // new operands, committed on success
  for (OpOperand *in : lop.getDpsInputOperands()) {
    Value v = in->get();
    if (lop.getMatchingIndexingMap(in).getNumSymbols() != 0)
      return false;
    if (v == cur) {
      if (llvm::is_contained(inputs, -1))
        return false; // read twice: two indices into one element stream
      inputs.push_back(-1);
      continue;
    }
    // Other tensors must be constants: they become device globals. A
    // run-time tensor (a residual input) keeps the chain on the host.
    ElementsAttr value;
    if (isa<ShapedType>(v.getType())
            ? !hasStaticShape(v) || !matchPattern(v, m_Constant(&value))
            : !v.getType().isIntOrIndexOrFloat())
      return false;
    auto it = llvm::find(chain.operands, v);
    auto itAdded = llvm::find(added, v);
    if (it != chain.operands.end()) {
      inputs.push_back(it - chain.operands.begin());
    } else {
      inputs.push_back(chain.operands.size() + (itAdded - added.begin()));
      if (itAdded == added.end())
        added.push_back(v);
    }
  }
  if (!llvm::is_contained(inputs, -1))
    return false;
  chain.inputs.push_back(std::move(inputs));
  chain.operands.append(added.begin(), added.end());
  return true;
}

static bool isGatherablePad(tensor::PadOp pad) {
  return pad.getLow().empty() && pad.getHigh().empty() &&
         llvm::all_of(pad.getStaticLow(), [](int64_t v) { return v >= 0; }) &&
         llvm::all_of(pad.getStaticHigh(), [](int64_t v) { return v >= 0; }) &&
         pad.getConstantPaddingValue() && hasStaticShape(pad.getResult());
}

GatherChain hinm::collectGatherChain(Value value, Block *block,
                                     function_ref<bool(MatmulOp)> canRead,
                                     Operation *firstUser) {
  GatherChain chain;
  Value cur = value;
  for (Operation *user = firstUser;; user = nullptr) {
    if (!user) {
      if (!cur.hasOneUse())
        break;
      user = *cur.user_begin();
    }
    if (user->getBlock() != block)
      break;
    if (auto next = dyn_cast<MatmulOp>(user)) {
      if (next.getInput() == cur && canRead(next))
        chain.next = next;
      break;
    }
    // Every value on the way has a static shape (the start may have a
    // dynamic N only when the next matmul reads it directly).
    if (!hasStaticShape(cur))
      break;
    bool ok = false;
    if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(user))
      ok = hasStaticShape(user->getResult(0));
    else if (auto pad = dyn_cast<tensor::PadOp>(user))
      ok = isGatherablePad(pad);
    else if (auto lop = dyn_cast<linalg::LinalgOp>(user))
      ok = appendLinalg(chain, lop, cur); // records its inputs
    if (!ok)
      break;
    if (!isa<linalg::LinalgOp>(user))
      chain.inputs.emplace_back();
    chain.ops.push_back(user);
    cur = user->getResult(0);
  }
  if (chain.next)
    return chain;
  // Ends on the host: the ops up to the last one that computes or pads run
  // on the device, and its result is copied back. Trailing reshapes stay
  // on the host, where they cost nothing; a chain of reshapes alone is not
  // worth a kernel.
  while (
      !chain.ops.empty() &&
      isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(chain.ops.back())) {
    chain.ops.pop_back();
    chain.inputs.pop_back();
  }
  return chain;
}

/// The operand of `lop` that reads the chained value; `inputs` is the op's
/// entry of GatherChain::inputs.
static OpOperand *chainedOperand(linalg::LinalgOp lop, ArrayRef<int> inputs) {
  return lop.getDpsInputOperand(llvm::find(inputs, -1) - inputs.begin());
}

Value GatherChain::start() const {
  // Reshapes and pads read operand 0.
  if (auto lop = dyn_cast<linalg::LinalgOp>(ops.front()))
    return chainedOperand(lop, inputs.front())->get();
  return ops.front()->getOperand(0);
}

//===----------------------------------------------------------------------===//
// The kernel body
//===----------------------------------------------------------------------===//

namespace {
/// Index arithmetic on static shapes, row-major.
struct IndexMath {
  OpBuilder &b;
  Location loc;

  Value cst(int64_t c) { return arith::ConstantIndexOp::create(b, loc, c); }

  Value linearize(ArrayRef<Value> idx, ArrayRef<int64_t> shape) {
    Value acc = idx.empty() ? cst(0) : idx[0];
    for (size_t d = 1; d < shape.size(); ++d)
      acc = arith::AddIOp::create(
          b, loc, arith::MulIOp::create(b, loc, acc, cst(shape[d])), idx[d]);
    return acc;
  }

  /// `linear` must be below the element count of `shape`.
  SmallVector<Value> delinearize(Value linear, ArrayRef<int64_t> shape) {
    SmallVector<Value> idx(shape.size());
    for (int64_t d = int64_t(shape.size()) - 1; d >= 0; --d) {
      if (shape[d] == 1) {
        idx[d] = cst(0);
      } else if (d == 0) {
        idx[d] = linear;
      } else {
        idx[d] = arith::RemUIOp::create(b, loc, linear, cst(shape[d]));
        linear = arith::DivUIOp::create(b, loc, linear, cst(shape[d]));
      }
    }
    return idx;
  }

  /// The same element under another shape of the same element count.
  SmallVector<Value> reshape(ArrayRef<Value> idx, ArrayRef<int64_t> from,
                             ArrayRef<int64_t> to) {
    if (from == to)
      return SmallVector<Value>(idx);
    return delinearize(linearize(idx, from), to);
  }

  SmallVector<Value> apply(AffineMap map, ArrayRef<Value> dims) {
    SmallVector<Value> out;
    for (AffineExpr e : map.getResults())
      out.push_back(affine::expandAffineExpr(b, loc, e, dims, ValueRange{}));
    return out;
  }

  Value andOf(Value a, Value c) {
    return a ? arith::AndIOp::create(b, loc, a, c).getResult() : c;
  }
};
} // namespace

void hinm::buildGatherElement(OpBuilder &b, Location loc,
                              const GatherChain &chain, Value src,
                              ArrayRef<Value> operandValues, Value dst,
                              Value linear) {
  IndexMath im{b, loc};
  size_t n = chain.ops.size();
  // Backward: the element of each op's result that the output element
  // needs, down to the element of the start value.
  SmallVector<SmallVector<Value>> at(n);
  SmallVector<Value> inRange(n);
  SmallVector<Value> idx = im.delinearize(linear, shapeOf(chain.result()));
  SmallVector<Value> dstIdx = idx;
  for (size_t i = n; i-- > 0;) {
    Operation *op = chain.ops[i];
    at[i] = idx;
    if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(op)) {
      idx = im.reshape(idx, shapeOf(op->getResult(0)),
                       shapeOf(op->getOperand(0)));
    } else if (auto pad = dyn_cast<tensor::PadOp>(op)) {
      ArrayRef<int64_t> srcShape = shapeOf(pad.getSource());
      for (auto [d, low, high] :
           llvm::enumerate(pad.getStaticLow(), pad.getStaticHigh())) {
        // Out-of-range positions read a clamped element (so every load
        // stays in bounds) and select the padding value below.
        Value s =
            low ? arith::SubIOp::create(b, loc, idx[d], im.cst(low)).getResult()
                : idx[d];
        if (low) {
          Value zero = im.cst(0);
          inRange[i] = im.andOf(
              inRange[i], arith::CmpIOp::create(
                              b, loc, arith::CmpIPredicate::sge, s, zero));
          s = arith::MaxSIOp::create(b, loc, s, zero);
        }
        if (high) {
          Value size = im.cst(srcShape[d]);
          inRange[i] = im.andOf(
              inRange[i], arith::CmpIOp::create(
                              b, loc, arith::CmpIPredicate::slt, s, size));
          s = arith::MinSIOp::create(b, loc, s, im.cst(srcShape[d] - 1));
        }
        idx[d] = s;
      }
    } else {
      auto lop = cast<linalg::LinalgOp>(op);
      // The output map is the identity: `idx` are the loop indices.
      idx = im.apply(
          lop.getMatchingIndexingMap(chainedOperand(lop, chain.inputs[i])),
          idx);
    }
  }
  Value v = memref::LoadOp::create(
      b, loc, src, im.reshape(idx, shapeOf(chain.start()), shapeOf(src)));

  // Forward: the values through each op.
  for (size_t i = 0; i < n; ++i) {
    Operation *op = chain.ops[i];
    if (auto pad = dyn_cast<tensor::PadOp>(op)) {
      if (!inRange[i])
        continue; // no padding on any dimension
      Value padValue = pad.getConstantPaddingValue();
      if (Operation *def = padValue.getDefiningOp();
          def && pad.getRegion().isAncestor(def->getParentRegion()))
        padValue = b.clone(*def)->getResult(0); // a constant in the body
      v = arith::SelectOp::create(b, loc, inRange[i], v, padValue);
    } else if (auto lop = dyn_cast<linalg::LinalgOp>(op)) {
      Block *body = lop.getBlock();
      IRMapping map;
      for (auto [j, in] : llvm::enumerate(chain.inputs[i])) {
        Value bound = v;
        if (in >= 0) {
          bound = operandValues[in];
          if (isa<MemRefType>(bound.getType()))
            bound = memref::LoadOp::create(
                b, loc, bound,
                im.apply(lop.getMatchingIndexingMap(lop.getDpsInputOperand(j)),
                         at[i]));
        }
        map.map(body->getArgument(j), bound);
      }
      for (Operation &o : body->without_terminator())
        b.clone(o, map);
      v = map.lookupOrDefault(body->getTerminator()->getOperand(0));
    }
  }
  memref::StoreOp::create(b, loc, v, dst, dstIdx);
}
