//===- MatmulForms.cpp - ops hinm-sparsify reads as a matrix product ------===//
//
// Part of the hinm project. See MatmulForms.h.
//
//===----------------------------------------------------------------------===//
#include "MatmulForms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/AffineMap.h"

using namespace mlir;
using namespace hinm;

std::optional<MatmulLayout> hinm::classifyMaps(linalg::MatmulOp op) {
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (maps.size() != 3)
    return std::nullopt;
  MLIRContext *ctx = op.getContext();
  AffineExpr d0, d1, d2;
  bindDims(ctx, d0, d1, d2);
  auto map = [&](AffineExpr a, AffineExpr b) {
    return AffineMap::get(3, 0, {a, b}, ctx);
  };
  if (maps[2] != map(d0, d1))
    return std::nullopt;
  MatmulLayout l;
  if (maps[0] == map(d2, d0))
    l.lhsTransposed = true;
  else if (maps[0] != map(d0, d2))
    return std::nullopt;
  if (maps[1] == map(d1, d2))
    l.rhsTransposed = true;
  else if (maps[1] != map(d2, d1))
    return std::nullopt;
  return l;
}

namespace {

/// The two loop dimensions a map reads, in order, when it reads exactly two
/// distinct loop dimensions and nothing else.
std::optional<std::pair<unsigned, unsigned>> twoDims(AffineMap map) {
  if (map.getNumResults() != 2 || map.getNumSymbols() != 0)
    return std::nullopt;
  auto a = dyn_cast<AffineDimExpr>(map.getResult(0));
  auto b = dyn_cast<AffineDimExpr>(map.getResult(1));
  if (!a || !b || a.getPosition() == b.getPosition())
    return std::nullopt;
  return std::make_pair(a.getPosition(), b.getPosition());
}

/// Whether `v` is `arg`, possibly extended to a wider float type.
bool isMaybeExtended(Value v, BlockArgument arg) {
  if (auto ext = v.getDefiningOp<arith::ExtFOp>())
    v = ext.getIn();
  return v == arg;
}

/// Whether the body yields addf(mulf(in0', in1'), out), operands of addf
/// and mulf in either order, in0'/in1' the inputs or their extf.
bool isMulAddBody(Block &body) {
  if (body.getNumArguments() != 3)
    return false;
  BlockArgument in0 = body.getArgument(0), in1 = body.getArgument(1);
  BlockArgument out = body.getArgument(2);
  auto yield = dyn_cast<linalg::YieldOp>(body.getTerminator());
  if (!yield || yield.getNumOperands() != 1)
    return false;
  auto add = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add || add->getBlock() != &body)
    return false;
  Value prod = add.getLhs() == out   ? add.getRhs()
               : add.getRhs() == out ? add.getLhs()
                                     : Value();
  auto mul = prod ? prod.getDefiningOp<arith::MulFOp>() : arith::MulFOp();
  if (!mul || mul->getBlock() != &body)
    return false;
  // The yielded value is then exactly out + in0 * in1 (other ops in the
  // body, if any, are dead: a linalg body has no side effects).
  Value x = mul.getLhs(), y = mul.getRhs();
  return (isMaybeExtended(x, in0) && isMaybeExtended(y, in1)) ||
         (isMaybeExtended(x, in1) && isMaybeExtended(y, in0));
}

} // namespace

std::optional<MatmulLayout> hinm::classifyContraction(linalg::LinalgOp op) {
  if (!isa<linalg::GenericOp, linalg::ContractOp>(op.getOperation()) ||
      !op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || op.getNumLoops() != 3 ||
      op.getNumReductionLoops() != 1 || op->getNumRegions() != 1 ||
      op->getRegion(0).getBlocks().size() != 1)
    return std::nullopt;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  auto lhs = twoDims(maps[0]), rhs = twoDims(maps[1]), res = twoDims(maps[2]);
  if (!lhs || !rhs || !res)
    return std::nullopt;
  SmallVector<utils::IteratorType> iters = op.getIteratorTypesArray();
  auto [m, n] = *res;
  unsigned k = 3 - m - n; // the third of 0, 1, 2
  if (iters[m] != utils::IteratorType::parallel ||
      iters[n] != utils::IteratorType::parallel ||
      iters[k] != utils::IteratorType::reduction)
    return std::nullopt;
  MatmulLayout l;
  if (*lhs == std::make_pair(k, m))
    l.lhsTransposed = true;
  else if (*lhs != std::make_pair(m, k))
    return std::nullopt;
  if (*rhs == std::make_pair(n, k))
    l.rhsTransposed = true;
  else if (*rhs != std::make_pair(k, n))
    return std::nullopt;
  if (!isMulAddBody(op->getRegion(0).front()))
    return std::nullopt;
  return l;
}
