//===- HiNMToLinalg.cpp - hinm to linalg/tensor/scf conversion ------------===//
//
// Part of the hinm project. The CPU reference lowering of the hinm dialect:
// a !hinm.matrix becomes its four storage tensors (a 1:N type conversion) and
// every hinm op becomes tensor code. hinm.matmul is lowered to plain
// linalg.generic ops (gather, metadata decode, product, row unpermute) so the
// upstream tiling and fusion transformations apply to it unchanged;
// hinm.pack and hinm.to_dense are data-dependent scatters and become scf.for
// loops on tensors. docs/cpu-lowering.md describes the result op by op.
//
//===----------------------------------------------------------------------===//
#include "hinm/Conversion/HiNMToLinalg/HiNMToLinalg.h"
#include "hinm/Conversion/Utils/RuntimeChecks.h"

#include "hinm/Dialect/HiNM/IR/HiNMDialect.h"
#include "hinm/Dialect/HiNM/IR/HiNMOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Patterns.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/Transforms/DialectConversion.h"

namespace hinm {
#define GEN_PASS_DEF_CONVERTHINMTOLINALG
#include "hinm/Conversion/Passes.h.inc"
} // namespace hinm

using namespace mlir;
using namespace hinm;

namespace {

//===----------------------------------------------------------------------===//
// Small builders shared by the patterns
//===----------------------------------------------------------------------===//

/// The storage parts of a converted matrix, in hinm.assemble's order.
struct StorageParts {
  Value values, vectorIndex, metadata, rowPerm;
  explicit StorageParts(ValueRange parts)
      : values(parts[0]), vectorIndex(parts[1]), metadata(parts[2]),
        rowPerm(parts[3]) {}
};

/// Format numbers of a matrix type, as plain integers.
struct Shape {
  int64_t rows, cols, v, kept, n, m, padded, blocks, compressed, bits, perWord;
  explicit Shape(MatrixType t) {
    ::hinm::HiNMFormat f = t.getFormat().toLibrary();
    rows = t.getRows();
    cols = t.getCols();
    v = f.vectorSize;
    kept = f.kept;
    n = f.n;
    m = f.m;
    padded = t.getPaddedRows();
    blocks = t.getNumBlocks();
    compressed = f.compressedCols();
    bits = f.metaBitsPerIndex();
    perWord = f.metaIndicesPerWord();
  }
};

Value cIndex(ImplicitLocOpBuilder &b, int64_t v) {
  return arith::ConstantIndexOp::create(b, v);
}
Value cI32(ImplicitLocOpBuilder &b, int64_t v) {
  return arith::ConstantOp::create(b, b.getI32IntegerAttr(v));
}
/// scf.for %iv = 0 to `upper` step 1. The bound constants are created one
/// statement at a time, so the IR does not depend on the order in which the
/// compiler evaluates function arguments.
scf::ForOp buildCountedLoop(
    ImplicitLocOpBuilder &b, int64_t upper, ValueRange init,
    function_ref<void(OpBuilder &, Location, Value, ValueRange)> body) {
  Value lb = cIndex(b, 0);
  Value ub = cIndex(b, upper);
  Value step = cIndex(b, 1);
  return scf::ForOp::create(b, lb, ub, step, init, body);
}
Value toIndex(ImplicitLocOpBuilder &b, Value v) {
  return arith::IndexCastOp::create(b, b.getIndexType(), v);
}

/// An all-parallel identity-indexed generic whose body only uses
/// linalg.index: the "compute every element from its coordinates" form.
Value buildIndexedGeneric(
    ImplicitLocOpBuilder &b, Value init, ValueRange inputs,
    ArrayRef<AffineMap> inputMaps,
    function_ref<Value(ImplicitLocOpBuilder &, ValueRange, ValueRange)> body) {
  auto type = cast<RankedTensorType>(init.getType());
  unsigned rank = type.getRank();
  SmallVector<AffineMap> maps(inputMaps.begin(), inputMaps.end());
  maps.push_back(b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, TypeRange{type}, inputs, ValueRange{init}, maps, iters,
      [&](OpBuilder &nb, Location loc, ValueRange args) {
        ImplicitLocOpBuilder ib(loc, nb);
        SmallVector<Value> ivs;
        for (unsigned d = 0; d < rank; ++d)
          ivs.push_back(linalg::IndexOp::create(ib, d));
        Value result = body(ib, ivs, args.drop_back());
        linalg::YieldOp::create(ib, result);
      });
  return generic.getResult(0);
}

/// Metadata decode: compacted column (within its block's kept columns) of
/// stored element j of storage row p, tensor<P x CC x index>:
///   (j / n) * m + field,  field = (meta[p, j / perWord] >> (j % perWord) *
///   bits) & (2^bits - 1).
/// The fields are checked before (assertMetadataValid) when run-time.
Value decodeCompactedColumns(ImplicitLocOpBuilder &b, Value metadata,
                             const Shape &s, StringRef opName) {
  Value init = tensor::EmptyOp::create(
      b, ArrayRef<int64_t>{s.padded, s.compressed}, b.getIndexType());
  Value columns = buildIndexedGeneric(
      b, init, {}, {},
      [&](ImplicitLocOpBuilder &ib, ValueRange ivs, ValueRange) {
        Value p = ivs[0], j = ivs[1];
        Value perWord = cIndex(ib, s.perWord);
        Value word = tensor::ExtractOp::create(
            ib, metadata,
            ValueRange{p, arith::DivUIOp::create(ib, j, perWord)});
        Value slot = arith::RemUIOp::create(ib, j, perWord);
        Value shift = arith::IndexCastOp::create(
            ib, ib.getI32Type(),
            arith::MulIOp::create(ib, slot, cIndex(ib, s.bits)));
        Value shifted = arith::ShRUIOp::create(ib, word, shift);
        Value field = arith::AndIOp::create(
            ib, shifted, cI32(ib, (int64_t(1) << s.bits) - 1));
        Value group = arith::DivUIOp::create(ib, j, cIndex(ib, s.n));
        Value base = arith::MulIOp::create(ib, group, cIndex(ib, s.m));
        return arith::AddIOp::create(ib, base, toIndex(ib, field)).getResult();
      });
  return columns;
}

Value castFloat(ImplicitLocOpBuilder &b, Value v, Type to) {
  Type from = v.getType();
  if (from == to)
    return v;
  if (from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth())
    return arith::ExtFOp::create(b, to, v);
  return arith::TruncFOp::create(b, to, v);
}

//===----------------------------------------------------------------------===//
// hinm.assemble / hinm.disassemble: the parts are the matrix
//===----------------------------------------------------------------------===//

/// hinm.assemble -> its four operands, now the converted matrix.
struct AssembleToParts : OpConversionPattern<AssembleOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(AssembleOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<Value> parts;
    for (ValueRange operand : adaptor.getOperands())
      llvm::append_range(parts, operand);
    rewriter.replaceOpWithMultiple(op, {parts});
    return success();
  }
};

/// hinm.disassemble -> the four tensors the matrix was converted to.
struct DisassembleToParts : OpConversionPattern<DisassembleOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DisassembleOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getMatrix());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// hinm.matmul
//===----------------------------------------------------------------------===//

/// hinm.matmul -> gather of the kept activation rows, metadata decode,
/// product over the stored values, and un-permutation of the output rows:
///
///   xg[b, c, k]   = x[index[b, c], k]                      (gather)
///   col[p, j]     = (j / n) * m + field(meta[p], j)         (decode)
///   ys[p, k]     += values[p, j] * xg[p / V, col[p, j], k]  (product)
///   y[r, k]       = ys[inverse(perm)[r], k], r < rows       (unpermute)
///
/// Pruned weights are never multiplied: the reduction runs over the stored
/// values only. Products accumulate in the result element type.
struct MatmulToLinalg : OpConversionPattern<MatmulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MatmulOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    MatrixType wType = op.getWeight().getType();
    Shape s(wType);
    StorageParts w(adaptor.getWeight());
    Value x = adaptor.getInput().front();
    auto xType = cast<RankedTensorType>(x.getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    Type acc = resultType.getElementType();
    Type xElt = xType.getElementType();

    // Shapes the verifier could not check are checked at run time.
    if (xType.isDynamicDim(0)) {
      Value k = tensor::DimOp::create(b, x, 0);
      Value ok = arith::CmpIOp::create(b, arith::CmpIPredicate::eq, k,
                                       cIndex(b, s.cols));
      AssertOp::create(b, ok,
                       "hinm.matmul: input row count {} differs from the "
                       "weight's column count " +
                           std::to_string(s.cols),
                       ValueRange{k});
    }
    SmallVector<Value> dynN;
    int64_t staticN = xType.getDimSize(1);
    if (xType.isDynamicDim(1)) {
      dynN.push_back(tensor::DimOp::create(b, x, 1));
      if (!resultType.isDynamicDim(1)) {
        Value ok = arith::CmpIOp::create(b, arith::CmpIPredicate::eq, dynN[0],
                                         cIndex(b, resultType.getDimSize(1)));
        AssertOp::create(b, ok,
                         "hinm.matmul: input column count {} differs from "
                         "the result's column count " +
                             std::to_string(resultType.getDimSize(1)),
                         ValueRange{dynN[0]});
      }
    }
    // Run-time storage is checked before it is used as indices (constant
    // parts were checked by the verifiers). The permutation is inverted
    // either way; checking it costs nothing extra then.
    if (!isVerifiedConstant(w.vectorIndex))
      assertVectorIndexValid(b, w.vectorIndex, wType, "hinm.matmul");
    if (!isVerifiedConstant(w.metadata))
      assertMetadataValid(b, w.metadata, wType, "hinm.matmul");
    Value inverse =
        assertRowPermValidAndInvert(b, w.rowPerm, wType, "hinm.matmul");

    // Gather: the kept activation rows of every block.
    Value xgInit = tensor::EmptyOp::create(
        b, ArrayRef<int64_t>{s.blocks, s.kept, staticN}, xElt, dynN);
    MLIRContext *ctx = b.getContext();
    AffineExpr d0 = getAffineDimExpr(0, ctx), d1 = getAffineDimExpr(1, ctx),
               d2 = getAffineDimExpr(2, ctx);
    Value gathered = buildIndexedGeneric(
        b, xgInit, {w.vectorIndex}, {AffineMap::get(3, 0, {d0, d1}, ctx)},
        [&](ImplicitLocOpBuilder &ib, ValueRange ivs, ValueRange args) {
          Value row = toIndex(ib, args[0]);
          return tensor::ExtractOp::create(ib, x, ValueRange{row, ivs[2]})
              .getResult();
        });

    // Decode: compacted column of every stored value.
    Value columns = decodeCompactedColumns(b, w.metadata, s, "hinm.matmul");

    // Product over the stored values, in storage row order.
    Value ysInit = tensor::EmptyOp::create(
        b, ArrayRef<int64_t>{s.padded, staticN}, acc, dynN);
    Value zero = arith::ConstantOp::create(b, b.getZeroAttr(acc));
    ysInit = linalg::FillOp::create(b, ValueRange{zero}, ValueRange{ysInit})
                 .getResult(0);
    SmallVector<AffineMap> maps = {AffineMap::get(3, 0, {d0, d2}, ctx),
                                   AffineMap::get(3, 0, {d0, d2}, ctx),
                                   AffineMap::get(3, 0, {d0, d1}, ctx)};
    SmallVector<utils::IteratorType> iters = {utils::IteratorType::parallel,
                                              utils::IteratorType::parallel,
                                              utils::IteratorType::reduction};
    auto product = linalg::GenericOp::create(
        b, TypeRange{ysInit.getType()}, ValueRange{w.values, columns},
        ValueRange{ysInit}, maps, iters,
        [&](OpBuilder &nb, Location loc, ValueRange args) {
          ImplicitLocOpBuilder ib(loc, nb);
          Value p = linalg::IndexOp::create(ib, 0);
          Value k = linalg::IndexOp::create(ib, 1);
          Value block = arith::DivUIOp::create(ib, p, cIndex(ib, s.v));
          Value xv = tensor::ExtractOp::create(ib, gathered,
                                               ValueRange{block, args[1], k});
          Value wv = castFloat(ib, args[0], acc);
          xv = castFloat(ib, xv, acc);
          Value prod = arith::MulFOp::create(ib, wv, xv);
          linalg::YieldOp::create(
              ib, ValueRange{arith::AddFOp::create(ib, args[2], prod)});
        });
    Value stored = product.getResult(0);

    // Unpermute: original row r is storage row inverse[r]; padding rows
    // (perm entries >= rows) are never read.
    Value firstRows = tensor::ExtractSliceOp::create(
        b, inverse, ArrayRef<OpFoldResult>{b.getIndexAttr(0)},
        ArrayRef<OpFoldResult>{b.getIndexAttr(s.rows)},
        ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
    Value yInit = tensor::EmptyOp::create(b, ArrayRef<int64_t>{s.rows, staticN},
                                          acc, dynN);
    Value y = buildIndexedGeneric(
        b, yInit, {firstRows}, {AffineMap::get(2, 0, {d0}, ctx)},
        [&](ImplicitLocOpBuilder &ib, ValueRange ivs, ValueRange args) {
          Value p = toIndex(ib, args[0]);
          return tensor::ExtractOp::create(ib, stored, ValueRange{p, ivs[1]})
              .getResult();
        });
    if (y.getType() != resultType)
      y = tensor::CastOp::create(b, resultType, y);
    rewriter.replaceOp(op, y);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// hinm.pack
//===----------------------------------------------------------------------===//

/// What hinm.pack's loops know about the storage row being packed.
struct PackRow {
  const Shape &s;
  Value dense, vectorIndex, zero;
  /// Storage row, its block, its (clamped) original row, and whether that
  /// row is real rather than padding.
  Value p, block, safeRow, real;
};

/// Appends the kept value at position `i` of group `g` (compacted column
/// `c`) of the row: stored element j = g * n + count gets the weight and its
/// metadata field `i`. `it` = (values, metadata, count); returns the next.
SmallVector<Value> appendKeptValue(ImplicitLocOpBuilder &b, const PackRow &row,
                                   Value g, Value i, Value c, ValueRange it) {
  const Shape &s = row.s;
  Value count = it[2];
  Value room = arith::CmpIOp::create(b, arith::CmpIPredicate::ult, count,
                                     cIndex(b, s.n));
  AssertOp::create(b, room,
                   "hinm.pack: N:M mask keeps more than N values in a group: "
                   "mask row {}, group {}",
                   ValueRange{row.p, g});
  Value groupStart = arith::MulIOp::create(b, g, cIndex(b, s.n));
  Value j = arith::AddIOp::create(b, groupStart, count);
  Value col = toIndex(b, tensor::ExtractOp::create(b, row.vectorIndex,
                                                   ValueRange{row.block, c}));
  Value w =
      tensor::ExtractOp::create(b, row.dense, ValueRange{row.safeRow, col});
  w = castFloat(b, w, row.zero.getType());
  w = arith::SelectOp::create(b, row.real, w, row.zero);
  Value values = tensor::InsertOp::create(b, w, it[0], ValueRange{row.p, j});
  // The field goes to bits (j % perWord) * bits of word j / perWord.
  Value perWord = cIndex(b, s.perWord);
  Value wordIdx = arith::DivUIOp::create(b, j, perWord);
  Value slot = arith::RemUIOp::create(b, j, perWord);
  Value shift = arith::IndexCastOp::create(
      b, b.getI32Type(), arith::MulIOp::create(b, slot, cIndex(b, s.bits)));
  Value field = arith::ShLIOp::create(
      b, arith::IndexCastOp::create(b, b.getI32Type(), i), shift);
  Value old = tensor::ExtractOp::create(b, it[1], ValueRange{row.p, wordIdx});
  Value word = arith::OrIOp::create(b, old, field);
  Value meta =
      tensor::InsertOp::create(b, word, it[1], ValueRange{row.p, wordIdx});
  Value next = arith::AddIOp::create(b, count, cIndex(b, 1));
  return {values, meta, next};
}

/// hinm.pack -> scf.for loops on tensors that walk every storage row and
/// every group of m compacted columns, and append the kept values (dense
/// weight at the permuted row and the block's vector index) and their
/// positions in the group (the metadata fields). A mask that keeps other
/// than n values of a group aborts before anything is written out of place.
struct PackToLoops : OpConversionPattern<PackOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(PackOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    MatrixType type = op.getType();
    Shape s(type);
    Value dense = adaptor.getDense().front();
    Value rowPerm = adaptor.getRowPerm().front();
    Value vectorIndex = adaptor.getVectorIndex().front();
    Value mask = adaptor.getNmMask().front();
    Type elt = type.getElementType();

    if (!isVerifiedConstant(vectorIndex))
      assertVectorIndexValid(b, vectorIndex, type, "hinm.pack");
    if (!isVerifiedConstant(rowPerm))
      (void)assertRowPermValidAndInvert(b, rowPerm, type, "hinm.pack");

    Value zero = arith::ConstantOp::create(b, b.getZeroAttr(elt));
    Value values = tensor::EmptyOp::create(b, type.getValuesType(), {});
    values = linalg::FillOp::create(b, ValueRange{zero}, ValueRange{values})
                 .getResult(0);
    Value meta = tensor::EmptyOp::create(b, type.getMetadataType(), {});
    meta = linalg::FillOp::create(b, ValueRange{cI32(b, 0)}, ValueRange{meta})
               .getResult(0);

    auto rowLoop = buildCountedLoop(
        b, s.padded, ValueRange{values, meta},
        [&](OpBuilder &nb, Location loc, Value p, ValueRange rowIter) {
          ImplicitLocOpBuilder ib(loc, nb);
          Value r = toIndex(ib, tensor::ExtractOp::create(ib, rowPerm, p));
          // Padding rows store zeros; clamp their row so the load is in
          // bounds and select zero.
          Value real = arith::CmpIOp::create(ib, arith::CmpIPredicate::ult, r,
                                             cIndex(ib, s.rows));
          Value safeR = arith::SelectOp::create(ib, real, r, cIndex(ib, 0));
          Value block = arith::DivUIOp::create(ib, p, cIndex(ib, s.v));
          PackRow row{s, dense, vectorIndex, zero, p, block, safeR, real};
          auto groupLoop = buildCountedLoop(
              ib, s.kept / s.m, rowIter,
              [&](OpBuilder &gb, Location gloc, Value g, ValueRange groupIter) {
                ImplicitLocOpBuilder jb(gloc, gb);
                SmallVector<Value> init(groupIter);
                init.push_back(cIndex(jb, 0));
                auto posLoop = buildCountedLoop(
                    jb, s.m, init,
                    [&](OpBuilder &pb, Location ploc, Value i, ValueRange it) {
                      ImplicitLocOpBuilder kb(ploc, pb);
                      Value c = arith::AddIOp::create(
                          kb, arith::MulIOp::create(kb, g, cIndex(kb, s.m)), i);
                      Value keep =
                          tensor::ExtractOp::create(kb, mask, ValueRange{p, c});
                      auto ifOp = scf::IfOp::create(
                          kb, keep,
                          [&](OpBuilder &tb, Location tloc) {
                            ImplicitLocOpBuilder t(tloc, tb);
                            scf::YieldOp::create(
                                t, appendKeptValue(t, row, g, i, c, it));
                          },
                          [&](OpBuilder &eb, Location eloc) {
                            scf::YieldOp::create(eb, eloc, it);
                          });
                      scf::YieldOp::create(kb, ifOp.getResults());
                    });
                Value exact = arith::CmpIOp::create(
                    jb, arith::CmpIPredicate::eq, posLoop.getResult(2),
                    cIndex(jb, s.n));
                AssertOp::create(jb, exact,
                                 "hinm.pack: N:M mask keeps fewer than N "
                                 "values in a group: mask row {}, group {}",
                                 ValueRange{p, g});
                scf::YieldOp::create(
                    jb, ValueRange{posLoop.getResult(0), posLoop.getResult(1)});
              });
          scf::YieldOp::create(ib, groupLoop.getResults());
        });

    SmallVector<Value> parts = {rowLoop.getResult(0), vectorIndex,
                                rowLoop.getResult(1), rowPerm};
    rewriter.replaceOpWithMultiple(op, {parts});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// hinm.to_dense
//===----------------------------------------------------------------------===//

/// hinm.to_dense -> a zero dense tensor and an scf.for scatter of every
/// stored value of a real (non-padding) row to
/// [perm[p], index[p / V, decoded column]].
struct ToDenseToLoops : OpConversionPattern<ToDenseOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ToDenseOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    MatrixType type = op.getMatrix().getType();
    Shape s(type);
    StorageParts w(adaptor.getMatrix());
    auto denseType = cast<RankedTensorType>(op.getType());
    Type elt = denseType.getElementType();

    if (!isVerifiedConstant(w.vectorIndex))
      assertVectorIndexValid(b, w.vectorIndex, type, "hinm.to_dense");
    if (!isVerifiedConstant(w.rowPerm))
      (void)assertRowPermValidAndInvert(b, w.rowPerm, type, "hinm.to_dense");
    if (!isVerifiedConstant(w.metadata))
      assertMetadataValid(b, w.metadata, type, "hinm.to_dense");
    Value columns = decodeCompactedColumns(b, w.metadata, s, "hinm.to_dense");

    Value zero = arith::ConstantOp::create(b, b.getZeroAttr(elt));
    Value dense = tensor::EmptyOp::create(b, denseType, {});
    dense = linalg::FillOp::create(b, ValueRange{zero}, ValueRange{dense})
                .getResult(0);
    auto rowLoop = buildCountedLoop(
        b, s.padded, ValueRange{dense},
        [&](OpBuilder &nb, Location loc, Value p, ValueRange rowIter) {
          ImplicitLocOpBuilder ib(loc, nb);
          Value r = toIndex(ib, tensor::ExtractOp::create(ib, w.rowPerm, p));
          Value real = arith::CmpIOp::create(ib, arith::CmpIPredicate::ult, r,
                                             cIndex(ib, s.rows));
          Value block = arith::DivUIOp::create(ib, p, cIndex(ib, s.v));
          auto ifOp = scf::IfOp::create(
              ib, real,
              [&](OpBuilder &tb, Location tloc) {
                ImplicitLocOpBuilder t(tloc, tb);
                auto scatter = buildCountedLoop(
                    t, s.compressed, rowIter,
                    [&](OpBuilder &jb, Location jloc, Value j, ValueRange it) {
                      ImplicitLocOpBuilder e(jloc, jb);
                      Value c = tensor::ExtractOp::create(e, columns,
                                                          ValueRange{p, j});
                      Value col = toIndex(
                          e, tensor::ExtractOp::create(e, w.vectorIndex,
                                                       ValueRange{block, c}));
                      Value v = tensor::ExtractOp::create(e, w.values,
                                                          ValueRange{p, j});
                      Value out = tensor::InsertOp::create(
                          e, castFloat(e, v, elt), it[0], ValueRange{r, col});
                      scf::YieldOp::create(e, out);
                    });
                scf::YieldOp::create(t, scatter.getResults());
              },
              [&](OpBuilder &eb, Location eloc) {
                scf::YieldOp::create(eb, eloc, rowIter);
              });
          scf::YieldOp::create(ib, ifOp.getResults());
        });
    rewriter.replaceOp(op, rowLoop.getResult(0));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

struct ConvertHiNMToLinalgPass
    : hinm::impl::ConvertHiNMToLinalgBase<ConvertHiNMToLinalgPass> {
  using Base::Base;
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    TypeConverter converter;
    populateHiNMToLinalgTypeConversion(converter);

    ConversionTarget target(*ctx);
    target.addIllegalDialect<HiNMDialect>();
    // The run-time checks this conversion emits stay until
    // hinm-assert-to-stderr.
    target.addLegalOp<AssertOp>();

    RewritePatternSet patterns(ctx);
    populateHiNMToLinalgConversionPatterns(converter, patterns);
    populateHiNMToLinalgStructuralConversions(converter, patterns, target);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void hinm::populateHiNMToLinalgTypeConversion(TypeConverter &converter) {
  converter.addConversion([](Type type) { return type; });
  converter.addConversion(
      [](MatrixType type, SmallVectorImpl<Type> &results) -> LogicalResult {
        results.append({type.getValuesType(), type.getVectorIndexType(),
                        type.getMetadataType(), type.getRowPermType()});
        return success();
      });
}

void hinm::populateHiNMToLinalgConversionPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<AssembleToParts, DisassembleToParts, MatmulToLinalg, PackToLoops,
               ToDenseToLoops>(converter, patterns.getContext());
}

void hinm::populateHiNMToLinalgStructuralConversions(
    const TypeConverter &converter, RewritePatternSet &patterns,
    ConversionTarget &target) {
  populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                 converter);
  populateCallOpTypeConversionPattern(patterns, converter);
  populateReturnOpTypeConversionPattern(patterns, converter);
  populateBranchOpInterfaceTypeConversionPattern(patterns, converter);
  scf::populateSCFStructuralTypeConversionsAndLegality(converter, patterns,
                                                       target);
  target.addDynamicallyLegalOp<func::FuncOp>([&converter](func::FuncOp op) {
    return converter.isSignatureLegal(op.getFunctionType()) &&
           converter.isLegal(&op.getBody());
  });
  target.addDynamicallyLegalOp<func::ReturnOp, func::CallOp>(
      [&converter](Operation *op) { return converter.isLegal(op); });
  target.markUnknownOpDynamicallyLegal([&converter](Operation *op) {
    return isNotBranchOpInterfaceOrReturnLikeOp(op) ||
           isLegalForBranchOpInterfaceTypeConversionPattern(op, converter) ||
           isLegalForReturnOpTypeConversionPattern(op, converter);
  });
}
