//===- Sparsify.cpp - prune constant matmul weights to HiNM ---------------===//
//
// Part of the hinm project. Implements `hinm-sparsify`: linalg.matmul with a
// constant weight -> hinm.matmul on a compile-time packed HiNM constant.
// The pruning (vector + N:M, OCP/IVP permutation) is the HiNMAlgorithm
// library's; this file only recognizes the op forms and builds IR.
//
//===----------------------------------------------------------------------===//
#include "hinm/Algorithm/Prune.h"
#include "hinm/Dialect/HiNM/IR/HiNMOps.h"
#include "hinm/Dialect/HiNM/IR/HiNMStorage.h"
#include "hinm/Dialect/HiNM/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

#include "llvm/Support/FormatVariadic.h"

namespace hinm {
#define GEN_PASS_DEF_HINMSPARSIFYPASS
#include "hinm/Dialect/HiNM/Transforms/Passes.h.inc"
} // namespace hinm

using namespace mlir;
using namespace hinm;

namespace {

/// How a linalg.matmul reads its operands: whether the LHS / RHS are given
/// transposed through indexing_maps. std::nullopt for any other map
/// (broadcasts...), which the pass leaves alone.
struct MatmulLayout {
  bool lhsTransposed = false;
  bool rhsTransposed = false;
};

std::optional<MatmulLayout> classifyMaps(linalg::MatmulOp op) {
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

/// The dense float constant defining `v`, if any.
DenseElementsAttr constantWeight(Value v) {
  auto cst = v.getDefiningOp<arith::ConstantOp>();
  if (!cst)
    return {};
  auto attr = dyn_cast<DenseElementsAttr>(cst.getValue());
  if (!attr || !isa<FloatType>(attr.getElementType()))
    return {};
  return attr;
}

bool isZeroFill(Value v) {
  auto fill = v.getDefiningOp<linalg::FillOp>();
  return fill && fill.getInputs().size() == 1 &&
         (matchPattern(fill.getInputs()[0], m_AnyZeroFloat()) ||
          matchPattern(fill.getInputs()[0], m_Zero()));
}

/// A static 2-D transpose of `v` with linalg.transpose.
Value transpose2D(OpBuilder &b, Location loc, Value v) {
  auto t = cast<RankedTensorType>(v.getType());
  Value init = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{t.getDimSize(1), t.getDimSize(0)},
      t.getElementType());
  return linalg::TransposeOp::create(b, loc, v, init,
                                     ArrayRef<int64_t>{1, 0})
      ->getResult(0);
}

std::vector<float> transposed(const std::vector<float> &w, int64_t rows,
                              int64_t cols) {
  std::vector<float> t(w.size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      t[c * rows + r] = w[r * cols + c];
  return t;
}

struct HiNMSparsifyPass
    : public hinm::impl::HiNMSparsifyPassBase<HiNMSparsifyPass> {
  using Base::Base;

  /// The library options from the pass options, or an error message.
  FailureOr<PruneOptions> pruneOptions(std::string &err) const {
    PruneOptions o;
    o.vectorSize = vectorSize;
    o.vectorSparsity = vectorSparsity;
    o.n = nmN;
    o.m = nmM;
    o.seed = seed;
    o.threads = threads;
    o.ocpIterations = iterations;
    auto method = parsePermuteMethod(permute);
    if (!method) {
      err = llvm::toString(method.takeError());
      return failure();
    }
    o.method = *method;
    err = o.validate();
    if (!err.empty())
      return failure();
    return o;
  }

  LogicalResult initialize(MLIRContext *ctx) override {
    std::string err;
    if (failed(pruneOptions(err)))
      return emitError(UnknownLoc::get(ctx))
             << "hinm-sparsify: invalid options: " << err;
    return success();
  }

  void runOnOperation() override {
    std::string err;
    FailureOr<PruneOptions> opts = pruneOptions(err);
    if (failed(opts)) {
      getOperation().emitError() << "hinm-sparsify: invalid options: " << err;
      return signalPassFailure();
    }
    SmallVector<linalg::MatmulOp> matmuls;
    getOperation().walk([&](linalg::MatmulOp op) { matmuls.push_back(op); });
    IRRewriter rewriter(&getContext());
    bool failedAny = false;
    for (linalg::MatmulOp op : matmuls)
      if (failed(rewriteConstantWeightMatmul(rewriter, op, *opts)))
        failedAny = true;
    if (failedAny)
      signalPassFailure();
  }

  /// Rewrites one matmul if it has a constant weight. Failure only for hard
  /// errors (NaN weights); forms it does not handle are left unchanged.
  LogicalResult rewriteConstantWeightMatmul(IRRewriter &rewriter,
                                            linalg::MatmulOp op,
                                            const PruneOptions &opts);
};

LogicalResult
HiNMSparsifyPass::rewriteConstantWeightMatmul(IRRewriter &rewriter,
                                              linalg::MatmulOp op,
                                              const PruneOptions &opts) {
  if (!op.hasPureTensorSemantics() || op.getInputs().size() != 2 ||
      op.getOutputs().size() != 1)
    return success();
  Value lhs = op.getInputs()[0], rhs = op.getInputs()[1];
  Value acc = op.getOutputs()[0];
  // Only products with a compile-time constant operand are candidates; a
  // candidate that stays dense says why, so users are not left guessing.
  if (!matchPattern(lhs, m_Constant()) && !matchPattern(rhs, m_Constant()))
    return success();
  auto leaveDense = [&](StringRef why, Type type = {}) {
    InFlightDiagnostic diag = op.emitWarning()
                              << "hinm-sparsify: constant weight left dense: "
                              << why;
    if (type)
      diag << " " << type;
    return success();
  };
  std::optional<MatmulLayout> layout = classifyMaps(op);
  if (!layout)
    return leaveDense("indexing maps other than plain or transposed operands");
  auto lt = dyn_cast<RankedTensorType>(lhs.getType());
  auto rt = dyn_cast<RankedTensorType>(rhs.getType());
  auto ct = dyn_cast<RankedTensorType>(acc.getType());
  if (!lt || !rt || !ct || !lt.hasStaticShape() || !rt.hasStaticShape() ||
      !ct.hasStaticShape())
    return leaveDense("dynamic shapes are not supported");
  Type elt = lt.getElementType();
  if (rt.getElementType() != elt)
    return leaveDense("operands have different element types");
  if (!(elt.isF16() || elt.isBF16() || elt.isF32()))
    return leaveDense("element type is not f16, bf16 or f32:", elt);
  Type resElt = ct.getElementType();
  if (resElt != elt && !resElt.isF32())
    return leaveDense("result element type is neither f32 nor the operands':",
                      resElt);

  DenseElementsAttr lhsCst = constantWeight(lhs), rhsCst = constantWeight(rhs);
  if (!lhsCst && !rhsCst)
    return success();
  const bool weightIsLhs = bool(lhsCst);
  const int64_t M = ct.getDimSize(0), N = ct.getDimSize(1);
  const int64_t K = layout->lhsTransposed ? lt.getDimSize(0) : lt.getDimSize(1);

  // The weight in the HiNM view [out, in] (rows = output channels).
  int64_t out = weightIsLhs ? M : N;
  std::vector<float> w = toFloats(weightIsLhs ? lhsCst : rhsCst);
  if (weightIsLhs && layout->lhsTransposed) // A is [K, M]
    w = transposed(w, K, M);
  if (!weightIsLhs && !layout->rhsTransposed) // B is [K, N]
    w = transposed(w, K, N);

  auto fmt = formatFor(opts, out, K);
  if (!fmt) {
    op.emitWarning() << "hinm-sparsify: weight " << out << "x" << K
                     << " left dense: " << llvm::toString(fmt.takeError());
    return success();
  }
  auto pruned = prune(w.data(), out, K, opts);
  if (!pruned) {
    op.emitError() << "hinm-sparsify: cannot prune the " << out << "x" << K
                   << " weight (HiNM view [out, in]): "
                   << llvm::toString(pruned.takeError());
    return failure();
  }
  HiNMStorage storage = pack(w.data(), out, K, pruned->format,
                             pruned->selection);

  if (report) {
    auto rep = measureEfficacy(
        w.data(), out, K, opts,
        {PermuteMethod::OCP, PermuteMethod::IVP, PermuteMethod::TwoCP});
    if (rep) {
      auto pct = [&](PermuteMethod m) {
        return llvm::formatv("{0:F2}", rep->efficacy[int(m)]).str();
      };
      op.emitRemark() << llvm::formatv(
          "hinm-sparsify: {0} weight {1}x{2} (HiNM view), V={3} kept={4} "
          "{5}:{6}, permute={7}: kept importance {8:F4} of {9:F4} (no "
          "permutation {10:F4}, ideal {11:F4}); efficacy ocp {12}%, ivp "
          "{13}%, 2cp {14}%",
          weightIsLhs ? "LHS" : "RHS", out, K, pruned->format.vectorSize,
          pruned->format.kept, pruned->format.n, pruned->format.m,
          permuteMethodName(opts.method), pruned->keptImportance,
          rep->totalImportance, rep->kept[0], rep->idealImportance,
          pct(PermuteMethod::OCP), pct(PermuteMethod::IVP),
          pct(PermuteMethod::TwoCP));
    } else {
      llvm::consumeError(rep.takeError());
    }
  }

  MLIRContext *ctx = op.getContext();
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  auto format =
      FormatAttr::get(ctx, pruned->format.vectorSize, pruned->format.kept,
                      pruned->format.n, pruned->format.m);
  auto matrixType = MatrixType::get(ctx, out, K, elt, format);
  std::array<DenseElementsAttr, 4> parts = attrsFromStorage(matrixType, storage);
  SmallVector<Value, 4> partValues;
  for (DenseElementsAttr a : parts)
    partValues.push_back(arith::ConstantOp::create(rewriter, loc, a));
  Value weight = AssembleOp::create(rewriter, loc, matrixType, partValues[0],
                                    partValues[1], partValues[2],
                                    partValues[3]);

  Value result;
  if (weightIsLhs) {
    // Y[M, N] = W[M, K] X[K, N]; a transposed RHS is [N, K].
    Value x = layout->rhsTransposed ? transpose2D(rewriter, loc, rhs) : rhs;
    result = MatmulOp::create(rewriter, loc,
                              RankedTensorType::get({M, N}, resElt), weight, x);
  } else {
    // Y = X W  <=>  Y^T[N, M] = W^T[N, K] X^T[K, M]; a transposed LHS is
    // already X^T.
    Value xt = layout->lhsTransposed ? lhs : transpose2D(rewriter, loc, lhs);
    Value yt = MatmulOp::create(rewriter, loc,
                                RankedTensorType::get({N, M}, resElt), weight,
                                xt);
    result = transpose2D(rewriter, loc, yt);
  }
  if (!isZeroFill(acc)) {
    Value init = tensor::EmptyOp::create(rewriter, loc, ct.getShape(), resElt);
    result = linalg::AddOp::create(rewriter, loc, TypeRange{ct},
                                   ValueRange{result, acc}, ValueRange{init})
                 ->getResult(0);
  }
  rewriter.replaceOp(op, result);
  // The dense weight is usually dead now; drop it rather than carry it.
  Operation *dense = (weightIsLhs ? lhs : rhs).getDefiningOp();
  if (dense->use_empty())
    rewriter.eraseOp(dense);
  return success();
}

} // namespace
