//===- LowerSparseMma.cpp - nvgpu.mma.sp.sync to nvvm.mma.sp.sync ---------===//
//
// Part of the hinm project. Upstream's convert-nvgpu-to-nvvm lowers
// nvgpu.mma.sp.sync to an inline-PTX plain `mma.sp` and rejects bf16
// operands ("failed to deduce operand PTX types"). The kernel needs two more
// forms: `mma.sp::ordered_metadata` (what sm_90 and newer run at full rate)
// and bf16 inputs with f32 accumulation. Both exist as nvvm.mma.sp.sync
// (an NVVM intrinsic, so the NVPTX backend checks the target and the PTX
// version instead of an opaque asm string). This pass rewrites the
// nvgpu.mma.sp.sync ops that need them; the rest stay for upstream.
//
//===----------------------------------------------------------------------===//
#include "hinm/Conversion/HiNMToNVGPU/HiNMToNVGPU.h"
#include "hinm/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace hinm {
#define GEN_PASS_DEF_HINMLOWERSPARSEMMA
#include "hinm/Conversion/Passes.h.inc"
} // namespace hinm

using namespace mlir;
using namespace hinm;

namespace {
/// Rewrites an m16n8k32 `nvgpu.mma.sp.sync` with f16 or bf16 operands that
/// is marked `hinm.ordered_metadata` or has bf16 operands into
/// `nvvm.mma.sp.sync`. Operands are unpacked in the order of upstream's
/// inline-asm lowering (vector rows = registers; f32 accumulators row-major
/// scalars), so the two lowerings agree on every register.
struct MmaSparseSyncToNVVM : public OpRewritePattern<nvgpu::MmaSparseSyncOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(nvgpu::MmaSparseSyncOp op,
                                PatternRewriter &rewriter) const override {
    VectorType aTy = op.getMatrixA().getType();
    VectorType bTy = op.getMatrixB().getType();
    VectorType cTy = op.getMatrixC().getType();
    Type elt = aTy.getElementType();
    bool ordered = op->hasAttr(kOrderedMetadataAttrName);
    bool bf16 = elt.isBF16();
    if (!ordered && !bf16)
      return rewriter.notifyMatchFailure(op, "left to upstream's lowering");
    if (op.getMmaShapeAsArray() != std::array<int64_t, 3>{16, 8, 32} ||
        !(elt.isF16() || bf16) || bTy.getElementType() != elt ||
        aTy.getShape() != ArrayRef<int64_t>{4, 2} ||
        bTy.getShape() != ArrayRef<int64_t>{4, 2} ||
        cTy.getShape() != ArrayRef<int64_t>{2, 2})
      return rewriter.notifyMatchFailure(
          op, "only m16n8k32 with f16/bf16 vector<4x2> operands");
    Type accElt = cTy.getElementType();
    if (!accElt.isF32() && !(accElt.isF16() && !bf16))
      return rewriter.notifyMatchFailure(
          op, "accumulator must be f32 (or f16 for f16 inputs)");
    if (op.getSparsitySelector() != 0)
      return rewriter.notifyMatchFailure(
          op, "m16n8k32 f16/bf16 takes sparsity selector 0 only");

    Location loc = op.getLoc();
    Type i32 = rewriter.getI32Type();
    // One value per 32-bit register: vector<2xf16>, or for bf16 an i32
    // (the NVVM bf16 intrinsics take packed registers).
    auto unpackInputs = [&](Value v) {
      SmallVector<Value> regs;
      for (int64_t r = 0; r < 4; ++r) {
        Value row = vector::ExtractOp::create(rewriter, loc, v,
                                              ArrayRef<int64_t>{r});
        if (bf16) {
          Value asInt = vector::BitCastOp::create(
              rewriter, loc, VectorType::get({1}, i32), row);
          row = vector::ExtractOp::create(rewriter, loc, asInt,
                                          ArrayRef<int64_t>{0});
        }
        regs.push_back(row);
      }
      return regs;
    };
    SmallVector<Value> a = unpackInputs(op.getMatrixA());
    SmallVector<Value> b = unpackInputs(op.getMatrixB());
    SmallVector<Value> c;
    SmallVector<Type> resFields;
    if (accElt.isF32()) {
      for (int64_t r = 0; r < 2; ++r)
        for (int64_t h = 0; h < 2; ++h) {
          c.push_back(vector::ExtractOp::create(rewriter, loc, op.getMatrixC(),
                                                ArrayRef<int64_t>{r, h}));
          resFields.push_back(accElt);
        }
    } else {
      for (int64_t r = 0; r < 2; ++r) {
        c.push_back(vector::ExtractOp::create(rewriter, loc, op.getMatrixC(),
                                              ArrayRef<int64_t>{r}));
        resFields.push_back(VectorType::get({2}, accElt));
      }
    }
    Value metaVec = vector::BitCastOp::create(
        rewriter, loc, VectorType::get({1}, i32), op.getSparseMetadata());
    Value meta = vector::ExtractOp::create(rewriter, loc, metaVec,
                                           ArrayRef<int64_t>{0});
    Value selector = LLVM::ConstantOp::create(rewriter, loc, i32,
                                              rewriter.getI32IntegerAttr(0));

    auto resTy =
        LLVM::LLVMStructType::getLiteral(rewriter.getContext(), resFields);
    std::optional<std::array<NVVM::MMATypes, 2>> ptxTypes;
    if (bf16)
      ptxTypes = {NVVM::MMATypes::bf16, NVVM::MMATypes::bf16};
    auto mma = NVVM::MmaSpOp::create(
        rewriter, loc, resTy, a, b, c, meta, selector,
        ArrayRef<int64_t>{16, 8, 32}, /*intOverflow=*/std::nullopt, ptxTypes);
    if (ordered)
      mma.setOrderedMetadata(true);

    SmallVector<Value> fields;
    for (int64_t i = 0, e = resFields.size(); i < e; ++i)
      fields.push_back(
          LLVM::ExtractValueOp::create(rewriter, loc, mma.getRes(), i));
    Value result;
    if (accElt.isF32()) {
      result = vector::FromElementsOp::create(rewriter, loc, cTy, fields);
    } else {
      // Two vector<2xf16> rows into vector<2x2xf16>.
      result = arith::ConstantOp::create(rewriter, loc, cTy,
                                         rewriter.getZeroAttr(cTy));
      for (int64_t r = 0; r < 2; ++r)
        result = vector::InsertOp::create(rewriter, loc, fields[r], result,
                                          ArrayRef<int64_t>{r});
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct HiNMLowerSparseMmaPass
    : public hinm::impl::HiNMLowerSparseMmaBase<HiNMLowerSparseMmaPass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<MmaSparseSyncToNVVM>(&getContext());
    // Only the matched ops change: no folding of the rest of the module, and
    // the new constants stay where the rewrite puts them (not hoisted out of
    // the kernel body).
    GreedyRewriteConfig config;
    config.enableFolding(false);
    config.enableConstantCSE(false);
    config.setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns),
                                     config)))
      return signalPassFailure();
    // An op that needed this lowering but did not match would reach
    // upstream's lowering and fail there with a less clear message (bf16)
    // or silently lose the ordered form: report it here.
    WalkResult r = getOperation()->walk([&](nvgpu::MmaSparseSyncOp op) {
      if (!op->hasAttr(kOrderedMetadataAttrName) &&
          !op.getMatrixA().getType().getElementType().isBF16())
        return WalkResult::advance();
      op.emitOpError() << "cannot be lowered to nvvm.mma.sp.sync (ordered "
                          "metadata / bf16 need m16n8k32, vector<4x2> f16 or "
                          "bf16 inputs, an f32 accumulator (or f16 for f16 "
                          "inputs) and sparsity selector 0)";
      return WalkResult::interrupt();
    });
    if (r.wasInterrupted())
      signalPassFailure();
  }
};
} // namespace
