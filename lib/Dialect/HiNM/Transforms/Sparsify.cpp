//===- Sparsify.cpp - prune constant matmul/conv weights to HiNM ----------===//
//
// Part of the hinm project. Implements `hinm-sparsify`: linalg.matmul with a
// constant weight, and 1-D, 2-D and 3-D convolutions with a constant filter
// (through their im2col GEMM view), -> hinm.matmul on a compile-time packed
// HiNM constant. Products in other spellings become a linalg.matmul first
// (FlattenProducts.h), and batches of weights and grouped convolutions one
// product per weight (SplitWeights.h).
// The pruning (vector + N:M, OCP/IVP permutation) is the HiNMAlgorithm
// library's; this file only recognizes the op forms and builds IR. Weights
// are read through ConstantWeight.h (dense_resource blobs, transposes).
//
//===----------------------------------------------------------------------===//
#include "ConstantWeight.h"
#include "ConvForms.h"
#include "FlattenProducts.h"
#include "MatmulForms.h"
#include "RewriteUtils.h"
#include "SplitWeights.h"

#include "hinm/Algorithm/Prune.h"
#include "hinm/Dialect/HiNM/IR/HiNMOps.h"
#include "hinm/Dialect/HiNM/IR/HiNMStorage.h"
#include "hinm/Dialect/HiNM/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/Threading.h"

#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

namespace hinm {
#define GEN_PASS_DEF_HINMSPARSIFYPASS
#include "hinm/Dialect/HiNM/Transforms/Passes.h.inc"
} // namespace hinm

using namespace mlir;
using namespace hinm;

namespace {

/// A 2-D transpose of `v`.
Value transpose2D(OpBuilder &b, Location loc, Value v) {
  return transposeTensor(b, loc, v, {1, 0});
}

/// `result + acc` (linalg.add), or `result` alone when `acc` is a zero fill:
/// the hinm.matmul result then replaces the op's.
Value addAccumulator(OpBuilder &b, Location loc, Value result, Value acc) {
  if (isZeroFill(acc))
    return result;
  auto t = cast<RankedTensorType>(acc.getType());
  Value init = tensor::EmptyOp::create(
      b, loc, tensor::getMixedSizes(b, loc, acc), t.getElementType());
  return linalg::AddOp::create(b, loc, TypeRange{t}, ValueRange{result, acc},
                               ValueRange{init})
      ->getResult(0);
}

/// Prepares the rewrite of every part a split made of an op (SplitWeights.h),
/// each named " of <noun> i" in the report and in diagnostics; fails when
/// the split or any part failed.
template <typename Part, typename RewritePart>
LogicalResult rewriteEachPart(FailureOr<SmallVector<Part>> parts,
                              StringRef noun, RewritePart rewritePart) {
  if (failed(parts))
    return failure();
  LogicalResult all = success();
  for (auto [i, part] : llvm::enumerate(*parts))
    if (failed(rewritePart(part, (" of " + noun + " " + Twine(i)).str())))
      all = failure();
  return all;
}

/// A weight the pass prunes, and the IR to build once it is packed. The
/// candidates are prepared one after the other (their IR is read, and
/// flattened where needed), the weights are pruned in parallel (the library
/// calls are independent, each deterministic), and the IR is built in
/// candidate order: the output and the diagnostics do not depend on the
/// thread count.
struct PendingPack {
  Operation *op;
  /// The pass's options, or the op's own (hinm.sparsify).
  PruneOptions opts;
  std::vector<float> w;
  int64_t out, K;
  Type elt;
  std::string noun, label;
  /// Builds the rewritten IR around the packed weight (a hinm.matrix).
  std::function<void(IRRewriter &, Value)> finish;
  // Set by the parallel phase.
  std::optional<PruneResult> pruned;
  std::string error;
  HiNMStorage storage;
  std::optional<EfficacyReport> report;
};

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
    o.ocpGlobal = ocpGlobal;
    o.ocpAnneal = ocpAnneal;
    o.ivpKicks = ivpKicks;
    o.ivpAnneal = ivpAnneal;
    o.ivpEject = ivpEject;
    o.ivpLP = ivpLP;
    o.ivpSweeps = ivpSweeps;
    o.refineVectors = refineVectors;
    o.jointRounds = jointRounds;
    o.restarts = restarts;
    o.effort = effort;
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

  /// `base` with the overrides of `op`'s hinm.sparsify dictionary (keys
  /// and types checked by the dialect's verifier); an error at the op when
  /// they make unusable options.
  FailureOr<PruneOptions> optionsFor(Operation *op,
                                     const PruneOptions &base) const {
    auto dict = op->getAttrOfType<DictionaryAttr>(kSparsifyAttrName);
    if (!dict)
      return base;
    PruneOptions o = base;
    for (NamedAttribute entry : dict) {
      StringRef key = entry.getName().getValue();
      Attribute v = entry.getValue();
      auto integer = dyn_cast<IntegerAttr>(v);
      if (key == "vector_size" && integer)
        o.vectorSize = integer.getInt();
      else if (key == "n" && integer)
        o.n = integer.getInt();
      else if (key == "m" && integer)
        o.m = integer.getInt();
      else if (auto f = dyn_cast<FloatAttr>(v); key == "vector_sparsity" && f)
        o.vectorSparsity = f.getValueAsDouble();
      else if (auto str = dyn_cast<StringAttr>(v); key == "permute" && str) {
        auto method = parsePermuteMethod(str.getValue());
        if (!method)
          return op->emitError()
                 << "hinm-sparsify: invalid " << kSparsifyAttrName << ": "
                 << llvm::toString(method.takeError());
        o.method = *method;
      } else {
        return op->emitError() << "hinm-sparsify: invalid " << kSparsifyAttrName
                               << " entry " << key << " = " << v;
      }
    }
    if (std::string err = o.validate(); !err.empty())
      return op->emitError() << "hinm-sparsify: invalid " << kSparsifyAttrName
                             << " options: " << err;
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
    // Collected first: the rewrites erase ops and create new ones. Ops the
    // user marked hinm.keep_dense are not candidates.
    SmallVector<Operation *> candidates;
    getOperation().walk([&](Operation *op) {
      if (isa<linalg::MatmulOp, linalg::BatchMatmulOp, linalg::MatvecOp,
              linalg::VecmatOp, linalg::GenericOp, linalg::ContractOp,
              linalg::ConvolutionOpInterface>(op) &&
          !op->hasAttr(kKeepDenseAttrName))
        candidates.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    bool failedAny = false;
    for (Operation *op : candidates) {
      // The op's own hinm.sparsify options, if it has them, for this op and
      // the parts a split makes of it.
      FailureOr<PruneOptions> opOpts = optionsFor(op, *opts);
      if (failed(opOpts)) {
        failedAny = true;
        continue;
      }
      const PruneOptions &o = *opOpts;
      LogicalResult r =
          TypeSwitch<Operation *, LogicalResult>(op)
              .Case([&](linalg::MatmulOp mm) {
                return rewriteConstantWeightProduct(rewriter, mm,
                                                    classifyMaps(mm), o);
              })
              .Case<linalg::GenericOp, linalg::ContractOp>([&](auto c) {
                // Only a plain matrix product is a candidate; any other
                // generic is none of this pass's business.
                std::optional<MatmulLayout> l = classifyContraction(c);
                return l ? rewriteConstantWeightProduct(rewriter, c, l, o)
                         : success();
              })
              .Case<linalg::MatvecOp, linalg::VecmatOp>([&](auto vec) {
                linalg::MatmulOp mm = expandVectorProduct(
                    rewriter, vec, isa<linalg::MatvecOp>(vec.getOperation()));
                return mm ? rewriteConstantWeightProduct(rewriter, mm,
                                                         classifyMaps(mm), o)
                          : success();
              })
              .Case([&](linalg::BatchMatmulOp bmm) -> LogicalResult {
                if (linalg::MatmulOp mm =
                        flattenSharedWeightBatchMatmul(rewriter, bmm))
                  return rewriteConstantWeightProduct(rewriter, mm,
                                                      classifyMaps(mm), o);
                return rewriteEachPart(
                    splitPerBatchWeights(rewriter, bmm, o), "batch",
                    [&](linalg::MatmulOp mm, StringRef which) {
                      return rewriteConstantWeightProduct(
                          rewriter, mm, classifyMaps(mm), o, which);
                    });
              })
              .Default([&](Operation *other) {
                auto linalgOp = dyn_cast<linalg::LinalgOp>(other);
                if (std::optional<ConvForm> conv = classifyConv(other))
                  return rewriteConstantFilterConv(rewriter, linalgOp, *conv,
                                                   o);
                if (std::optional<GroupedConvForm> grouped =
                        classifyGroupedConv(other))
                  return rewriteEachPart(
                      splitGroupedConv(rewriter, linalgOp, *grouped, o),
                      "group", [&](linalg::LinalgOp conv, StringRef which) {
                        return rewriteConstantFilterConv(
                            rewriter, conv, *classifyConv(conv), o, which);
                      });
                warnUnhandledConv(other);
                return success();
              });
      if (failed(r))
        failedAny = true;
    }
    // The weights of every rewrite, pruned in parallel on the context's
    // threads (none with --mlir-disable-threading).
    mlir::parallelForEach(&getContext(), pending,
                          [&](PendingPack &p) { pruneAndPack(p); });
    for (PendingPack &p : pending)
      if (failed(materialize(rewriter, p)))
        failedAny = true;
    pending.clear();
    if (failedAny)
      signalPassFailure();
  }

  /// The rewrites prepared by the candidate loop, in candidate order.
  std::vector<PendingPack> pending;

  /// Prepares the rewrite of one 2-D product (a linalg.matmul, or a
  /// generic / contract that computes one, MatmulForms.h) if it has a
  /// constant weight: queues the weight (deferPackedWeight) with the IR to
  /// build around it. `layout` is how it reads its operands, nothing for
  /// maps the pass does not handle. Forms it does not handle are left
  /// unchanged; NaN weights fail later, when the IR would be built.
  /// `whichWeight` follows "LHS weight" / "RHS weight" in the report and in
  /// diagnostics (" of batch 2" for one product of a batch of weights).
  LogicalResult rewriteConstantWeightProduct(IRRewriter &rewriter,
                                             linalg::LinalgOp op,
                                             std::optional<MatmulLayout> layout,
                                             const PruneOptions &opts,
                                             StringRef whichWeight = "");

  /// Prepares the rewrite of a 1-D, 2-D or 3-D convolution with a constant
  /// filter (ConvForms.h) into im2col + hinm.matmul, as above; `form` says
  /// where each dimension lives. Failure for NaN or infinite filters (an
  /// error naming the element in the filter's own coordinates).
  /// `whichFilter` follows "filter" in the report and in diagnostics
  /// (" of group 2" for one group of a grouped convolution).
  LogicalResult rewriteConstantFilterConv(IRRewriter &rewriter,
                                          linalg::LinalgOp op,
                                          const ConvForm &form,
                                          const PruneOptions &opts,
                                          StringRef whichFilter = "");

  /// A convolution the pass has no rewrite for (depthwise, quantized, other
  /// layouts) stays dense; with a constant filter it was a
  /// candidate, so a warning says so.
  void warnUnhandledConv(Operation *op);

  /// Queues the weight `w` of `op`, viewed as [out, in], for pruning;
  /// `finish` builds the rewritten IR once it is packed. False (and a
  /// warning: left dense) when the weight does not fit the format. `noun`
  /// names the weight in diagnostics, `label` in the `report` remark.
  bool deferPackedWeight(Operation *op, std::vector<float> w, int64_t out,
                         int64_t in, Type elt, const PruneOptions &opts,
                         StringRef noun, StringRef label,
                         std::function<void(IRRewriter &, Value)> finish);

  /// Prunes and packs one queued weight (and measures its efficacy for
  /// `report`). Thread-safe: touches no IR and emits no diagnostics.
  void pruneAndPack(PendingPack &p) const;

  /// The `hinm.assemble` of four constants for a packed weight, before its
  /// op, then the op's rewrite; failure (an error at the op) for weights the
  /// library rejected (NaN...).
  LogicalResult materialize(IRRewriter &rewriter, PendingPack &p);
};

bool HiNMSparsifyPass::deferPackedWeight(
    Operation *op, std::vector<float> w, int64_t out, int64_t K, Type elt,
    const PruneOptions &opts, StringRef noun, StringRef label,
    std::function<void(IRRewriter &, Value)> finish) {
  auto fmt = formatFor(opts, out, K);
  if (!fmt) {
    op->emitWarning() << "hinm-sparsify: " << noun << " " << out << "x" << K
                      << " left dense: " << llvm::toString(fmt.takeError());
    return false;
  }
  PendingPack p;
  p.op = op;
  p.w = std::move(w);
  p.out = out;
  p.K = K;
  p.elt = elt;
  p.noun = noun.str();
  p.label = label.str();
  p.finish = std::move(finish);
  p.opts = opts;
  pending.push_back(std::move(p));
  return true;
}

void HiNMSparsifyPass::pruneAndPack(PendingPack &p) const {
  const PruneOptions &opts = p.opts;
  auto pruned = prune(p.w.data(), p.out, p.K, opts);
  if (!pruned) {
    p.error = llvm::toString(pruned.takeError());
    return;
  }
  p.storage = pack(p.w.data(), p.out, p.K, pruned->format, pruned->selection);
  p.pruned = std::move(*pruned);
  if (report) {
    auto rep = measureEfficacy(
        p.w.data(), p.out, p.K, opts,
        {PermuteMethod::OCP, PermuteMethod::IVP, PermuteMethod::TwoCP});
    if (rep)
      p.report = std::move(*rep);
    else
      llvm::consumeError(rep.takeError());
  }
}

LogicalResult HiNMSparsifyPass::materialize(IRRewriter &rewriter,
                                            PendingPack &p) {
  const PruneOptions &opts = p.opts;
  Operation *op = p.op;
  if (!p.pruned) {
    op->emitError() << "hinm-sparsify: cannot prune the " << p.out << "x" << p.K
                    << " " << p.noun << " (HiNM view [out, in]): " << p.error;
    return failure();
  }
  const PruneResult &pruned = *p.pruned;
  if (p.report) {
    const EfficacyReport &rep = *p.report;
    auto pct = [&](PermuteMethod m) {
      return llvm::formatv("{0:F2}", rep.efficacy[int(m)]).str();
    };
    op->emitRemark() << llvm::formatv(
        "hinm-sparsify: {0} {1}x{2} (HiNM view), V={3} kept={4} "
        "{5}:{6}, permute={7}: kept importance {8:F4} of {9:F4} (no "
        "permutation {10:F4}, ideal {11:F4}); efficacy ocp {12}%, ivp "
        "{13}%, 2cp {14}%",
        p.label, p.out, p.K, pruned.format.vectorSize, pruned.format.kept,
        pruned.format.n, pruned.format.m, permuteMethodName(opts.method),
        pruned.keptImportance, rep.totalImportance, rep.kept[0],
        rep.idealImportance, pct(PermuteMethod::OCP), pct(PermuteMethod::IVP),
        pct(PermuteMethod::TwoCP));
  }

  MLIRContext *ctx = op->getContext();
  Location loc = op->getLoc();
  rewriter.setInsertionPoint(op);
  auto format =
      FormatAttr::get(ctx, pruned.format.vectorSize, pruned.format.kept,
                      pruned.format.n, pruned.format.m);
  auto matrixType = MatrixType::get(ctx, p.out, p.K, p.elt, format);
  std::array<DenseElementsAttr, 4> parts =
      attrsFromStorage(matrixType, p.storage);
  SmallVector<Value, 4> partValues;
  for (DenseElementsAttr a : parts)
    partValues.push_back(arith::ConstantOp::create(rewriter, loc, a));
  Value weight =
      AssembleOp::create(rewriter, loc, matrixType, partValues[0],
                         partValues[1], partValues[2], partValues[3]);
  rewriter.setInsertionPoint(op);
  p.finish(rewriter, weight);
  return success();
}

LogicalResult HiNMSparsifyPass::rewriteConstantWeightProduct(
    IRRewriter &rewriter, linalg::LinalgOp op,
    std::optional<MatmulLayout> layout, const PruneOptions &opts,
    StringRef whichWeight) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1)
    return success();
  Value lhs = op.getDpsInputs()[0], rhs = op.getDpsInputs()[1];
  Value acc = op.getDpsInits()[0];
  // Only products with a compile-time constant operand are candidates; a
  // candidate that stays dense says why, so users are not left guessing.
  const bool weightIsLhs = isConstantWeight(lhs);
  if (!weightIsLhs && !isConstantWeight(rhs))
    return success();
  auto leaveDense = [&](StringRef why, Type type = {}) {
    warnLeftDense(op, "constant weight", why, type);
    return success();
  };
  if (!layout)
    return leaveDense("indexing maps other than plain or transposed operands");
  auto lt = dyn_cast<RankedTensorType>(lhs.getType());
  auto rt = dyn_cast<RankedTensorType>(rhs.getType());
  auto ct = dyn_cast<RankedTensorType>(acc.getType());
  if (!lt || !rt || !ct)
    return leaveDense("unranked operands are not supported");
  // The weight (a constant) is static. The activations and the result may
  // have a dynamic batch (the dimension that is not the reduction), as
  // frontends emit for a variable batch or sequence length; the reduction
  // dimension must be static, as it is the weight's.
  {
    RankedTensorType act = weightIsLhs ? rt : lt;
    int64_t kDim = weightIsLhs ? (layout->rhsTransposed ? 1 : 0)
                               : (layout->lhsTransposed ? 0 : 1);
    if (!(weightIsLhs ? lt : rt).hasStaticShape() || act.isDynamicDim(kDim))
      return leaveDense("dynamic reduction or weight dimensions are not "
                        "supported");
    int64_t resBatchDim = weightIsLhs ? 1 : 0;
    if (ct.isDynamicDim(1 - resBatchDim) ||
        act.isDynamicDim(1 - kDim) != ct.isDynamicDim(resBatchDim))
      return leaveDense("a dynamic batch must be dynamic in both the "
                        "activations and the result");
  }
  Type elt = lt.getElementType();
  Type resElt = ct.getElementType();
  if (auto problem =
          checkElementTypes(elt, rt.getElementType(), resElt))
    return leaveDense(problem->why, problem->type);
  // The values are read only now, for a product the pass can rewrite.
  if (auto why = tooLargeToRead(weightIsLhs ? lt : rt))
    return leaveDense(*why);
  ConstantWeight cst = readConstantWeight(weightIsLhs ? lhs : rhs);
  if (cst.kind == ConstantWeight::Kind::Unreadable)
    return leaveDense(cst.why);
  const int64_t M = ct.getDimSize(0), N = ct.getDimSize(1);
  const int64_t K = layout->lhsTransposed ? lt.getDimSize(0) : lt.getDimSize(1);

  // The weight in the HiNM view [out, in] (rows = output channels).
  int64_t out = weightIsLhs ? M : N;
  std::vector<float> w = std::move(cst.values);
  if (weightIsLhs && layout->lhsTransposed) // A is [K, M]
    w = transposed(w, K, M);
  if (!weightIsLhs && !layout->rhsTransposed) // B is [K, N]
    w = transposed(w, K, N);

  deferPackedWeight(
      op, std::move(w), out, K, elt, opts, ("weight" + whichWeight).str(),
      ((weightIsLhs ? "LHS weight" : "RHS weight") + whichWeight).str(),
      [=](IRRewriter &rewriter, Value weight) mutable {
        Location loc = op.getLoc();
        Value result;
        if (weightIsLhs) {
          // Y[M, N] = W[M, K] X[K, N]; a transposed RHS is [N, K].
          Value x =
              layout->rhsTransposed ? transpose2D(rewriter, loc, rhs) : rhs;
          result = MatmulOp::create(
              rewriter, loc, RankedTensorType::get({M, N}, resElt), weight, x);
        } else {
          // Y = X W  <=>  Y^T[N, M] = W^T[N, K] X^T[K, M]; a transposed LHS is
          // already X^T.
          Value xt =
              layout->lhsTransposed ? lhs : transpose2D(rewriter, loc, lhs);
          Value yt = MatmulOp::create(
              rewriter, loc, RankedTensorType::get({N, M}, resElt), weight, xt);
          result = transpose2D(rewriter, loc, yt);
        }
        rewriter.replaceOp(op, addAccumulator(rewriter, loc, result, acc));
        eraseDeadChain(rewriter, cst);
        eraseDeadZeroFill(rewriter, acc);
      });
  return success();
}

LogicalResult HiNMSparsifyPass::rewriteConstantFilterConv(
    IRRewriter &rewriter, linalg::LinalgOp op, const ConvForm &form,
    const PruneOptions &opts, StringRef whichFilter) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1)
    return success();
  Value input = op.getDpsInputs()[0], filter = op.getDpsInputs()[1];
  Value acc = op.getDpsInits()[0];
  if (!isConstantWeight(filter))
    return success();
  auto leaveDense = [&](StringRef why, Type type = {}) {
    warnLeftDense(op, "constant filter", why, type);
    return success();
  };
  const ConvLayout &l = form.layout;
  const unsigned s = l.spatialRank();
  auto it = dyn_cast<RankedTensorType>(input.getType());
  auto ft = dyn_cast<RankedTensorType>(filter.getType());
  auto ot = dyn_cast<RankedTensorType>(acc.getType());
  if (!it || !ft || !ot)
    return leaveDense("unranked operands are not supported");
  // Only the batch may be dynamic, in both the input and the output (as
  // frontends emit for a batch known at run time).
  bool dynamicBatch = it.isDynamicDim(l.inN);
  for (int64_t i = 0, e = s + 2; i < e; ++i)
    if ((i != l.inN && it.isDynamicDim(i)) ||
        (i != l.outN && ot.isDynamicDim(i)) || ft.isDynamicDim(i))
      return leaveDense("dynamic shapes other than the batch are not "
                        "supported");
  if (dynamicBatch != ot.isDynamicDim(l.outN))
    return leaveDense("a dynamic batch must be dynamic in both the input "
                      "and the output");
  Type elt = it.getElementType();
  Type resElt = ot.getElementType();
  if (auto problem = checkElementTypes(elt, ft.getElementType(), resElt))
    return leaveDense(problem->why, problem->type);
  // The values are read only now, for a convolution the pass can rewrite.
  if (auto why = tooLargeToRead(ft))
    return leaveDense(*why);
  ConstantWeight filterCst = readConstantWeight(filter);
  if (filterCst.kind == ConstantWeight::Kind::Unreadable)
    return leaveDense(filterCst.why);

  const int64_t N = ot.getDimSize(l.outN), F = ot.getDimSize(l.outF);
  const int64_t C = ft.getDimSize(l.fltC);
  SmallVector<int64_t, 3> kernel, outSize;
  int64_t taps = 1, pixels = 1;
  for (unsigned i = 0; i < s; ++i) {
    kernel.push_back(ft.getDimSize(l.fltSpatial[i]));
    outSize.push_back(ot.getDimSize(l.outSpatial[i]));
    taps *= kernel.back();
    pixels *= outSize.back();
  }
  const int64_t K = C * taps;
  // Columns of the GEMM view: N * O1 * ... * Os, dynamic with the batch.
  const int64_t P =
      ShapedType::isDynamic(N) ? ShapedType::kDynamic : N * pixels;

  // A bad element is named in the filter's own coordinates (the library
  // would name it in the [F, C*K...] view, which the user never wrote).
  if (failed(checkFinite(op, filterCst.values, ft.getShape(),
                         "cannot prune the filter: element at")))
    return failure();
  // The filter as W[F, C*K...], columns in (c, k...) order whatever the
  // layout: PyTorch's weight.reshape(out, -1), the view hinm.torch and
  // hinm-prune prune, so a layer gets the same mask in every layout.
  // The rewrite keeps only the constant's ops (to erase them), not its
  // values.
  ConstantWeight chain;
  chain.chain = filterCst.chain;
  deferPackedWeight(
      op, filterAsMatrix(filterCst.values, ft, l), F, K, elt, opts,
      ("filter" + whichFilter).str(),
      (op->getName().stripDialect() + " filter" + whichFilter).str(),
      [=](IRRewriter &rewriter, Value weight) mutable {
        // im2col: X[c, k1..ks, n, o1..os] = input[n, c, o1*s1 + k1*d1, ...] (at
        // the layout's positions), collapsed to X[C*K..., N*O...]; rows follow
        // W's column order.
        MLIRContext *ctx = op->getContext();
        Location loc = op->getLoc();
        const unsigned loops = 2 + 2 * s;
        auto dim = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
        // Loop order: c = 0, k_i = 1 + i, n = 1 + s, o_i = 2 + s + i.
        SmallVector<AffineExpr, 5> inExprs(s + 2);
        inExprs[l.inN] = dim(1 + s);
        inExprs[l.inC] = dim(0);
        for (unsigned i = 0; i < s; ++i)
          inExprs[l.inSpatial[i]] =
              dim(2 + s + i) * form.strides[i] + dim(1 + i) * form.dilations[i];
        SmallVector<AffineMap> maps = {
            AffineMap::get(loops, 0, inExprs, ctx),
            AffineMap::getMultiDimIdentityMap(loops, ctx)};
        // The batch: a constant, or read from the input.
        OpFoldResult nSize = rewriter.getIndexAttr(N);
        if (dynamicBatch)
          nSize =
              tensor::DimOp::create(rewriter, loc, input, l.inN).getResult();
        auto at = [&](int64_t v) -> OpFoldResult {
          return rewriter.getIndexAttr(v);
        };
        SmallVector<OpFoldResult> colsShape = {at(C)};
        for (int64_t k : kernel)
          colsShape.push_back(at(k));
        colsShape.push_back(nSize);
        for (int64_t o : outSize)
          colsShape.push_back(at(o));
        Value colsInit = tensor::EmptyOp::create(rewriter, loc, colsShape, elt);
        Value colsND = linalg::GenericOp::create(
                           rewriter, loc, colsInit.getType(), ValueRange{input},
                           ValueRange{colsInit}, maps,
                           SmallVector<utils::IteratorType>(
                               loops, utils::IteratorType::parallel),
                           [](OpBuilder &b, Location nested, ValueRange args) {
                             linalg::YieldOp::create(b, nested, args[0]);
                           })
                           ->getResult(0);
        ReassociationIndices rowGroup, colGroup;
        for (unsigned i = 0; i < loops; ++i)
          (i <= s ? rowGroup : colGroup).push_back(i);
        Value cols = tensor::CollapseShapeOp::create(
            rewriter, loc, RankedTensorType::get({K, P}, elt), colsND,
            SmallVector<ReassociationIndices>{rowGroup, colGroup});

        // Y[F, N*O...] = W X, then back to the conv's output layout.
        Value y = MatmulOp::create(
            rewriter, loc, RankedTensorType::get({F, P}, resElt), weight, cols);
        Value result;
        if (!dynamicBatch && N == 1 && l.outN == 0 && l.outF == 1) {
          // Channels first with one image: [F, O...] is already [1, F, O...] in
          // memory order, no transpose.
          ReassociationIndices pixelGroup;
          for (unsigned i = 0; i < s; ++i)
            pixelGroup.push_back(2 + i);
          result = tensor::ExpandShapeOp::create(
              rewriter, loc, ot, y,
              SmallVector<ReassociationIndices>{{0, 1}, pixelGroup});
        } else {
          // yND dims: F = 0, N = 1, O_i = 2 + i.
          SmallVector<int64_t> yShape = {F, N};
          SmallVector<OpFoldResult> ySizes = {at(F), nSize};
          ReassociationIndices pixelGroup = {1};
          for (unsigned i = 0; i < s; ++i) {
            yShape.push_back(outSize[i]);
            ySizes.push_back(at(outSize[i]));
            pixelGroup.push_back(2 + i);
          }
          Value yND = tensor::ExpandShapeOp::create(
              rewriter, loc, RankedTensorType::get(yShape, resElt), y,
              SmallVector<ReassociationIndices>{{0}, pixelGroup}, ySizes);
          SmallVector<int64_t> perm(s + 2);
          perm[l.outF] = 0;
          perm[l.outN] = 1;
          for (unsigned i = 0; i < s; ++i)
            perm[l.outSpatial[i]] = 2 + i;
          result = transposeTensor(rewriter, loc, yND, perm);
        }
        rewriter.replaceOp(op, addAccumulator(rewriter, loc, result, acc));
        eraseDeadChain(rewriter, chain);
        eraseDeadZeroFill(rewriter, acc);
      });
  return success();
}

void HiNMSparsifyPass::warnUnhandledConv(Operation *op) {
  // Pooling ops are ConvolutionOpInterface ops too, with a shape-only
  // window operand: not a weight.
  StringRef name = op->getName().stripDialect();
  if (!name.starts_with("conv_") && !name.starts_with("depthwise_conv_"))
    return;
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || !linalgOp.hasPureTensorSemantics() ||
      linalgOp.getNumDpsInputs() < 2 ||
      !matchPattern(linalgOp.getDpsInputs()[1], m_Constant()))
    return;
  op->emitWarning() << "hinm-sparsify: constant filter left dense: "
                    << op->getName() << " is not handled (only "
                    << handledConvNames() << " are)";
}

} // namespace
