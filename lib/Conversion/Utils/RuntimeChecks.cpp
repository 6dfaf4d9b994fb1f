//===- RuntimeChecks.cpp - run-time checks of hinm storage parts ----------===//
//
// Part of the hinm project. See RuntimeChecks.h: the cf.assert checks of
// run-time storage parts, shared by the CPU and GPU lowerings.
//
//===----------------------------------------------------------------------===//
#include "hinm/Conversion/Utils/RuntimeChecks.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace hinm;

static Value cIndex(ImplicitLocOpBuilder &b, int64_t v) {
  return arith::ConstantIndexOp::create(b, v);
}
static Value cI32(ImplicitLocOpBuilder &b, int64_t v) {
  return arith::ConstantOp::create(b, b.getI32IntegerAttr(v));
}
static Value toIndex(ImplicitLocOpBuilder &b, Value v) {
  return arith::IndexCastOp::create(b, b.getIndexType(), v);
}

/// scf.for %iv = 0 to `upper` step 1 (bound constants created one statement
/// at a time, so the IR does not depend on argument evaluation order).
static scf::ForOp
countedLoop(ImplicitLocOpBuilder &b, int64_t upper, ValueRange init,
            function_ref<void(OpBuilder &, Location, Value, ValueRange)> body) {
  Value lb = cIndex(b, 0);
  Value ub = cIndex(b, upper);
  Value step = cIndex(b, 1);
  return scf::ForOp::create(b, lb, ub, step, init, body);
}

/// A 0-d tensor<i1> holding true, the init of an "all" reduction.
static Value trueScalarTensor(ImplicitLocOpBuilder &b) {
  Value init = tensor::EmptyOp::create(b, ArrayRef<int64_t>{}, b.getI1Type());
  Value trueV = arith::ConstantOp::create(b, b.getBoolAttr(true));
  return linalg::FillOp::create(b, ValueRange{trueV}, ValueRange{init})
      .getResult(0);
}

void hinm::assertAllInRange(ImplicitLocOpBuilder &b, Value t, int64_t lo,
                            int64_t hi, StringRef message) {
  auto type = cast<RankedTensorType>(t.getType());
  unsigned rank = type.getRank();
  Value init = trueScalarTensor(b);
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank),
                                 AffineMap::get(rank, 0, b.getContext())};
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::reduction);
  Type elt = type.getElementType();
  auto all = linalg::GenericOp::create(
      b, TypeRange{init.getType()}, ValueRange{t}, ValueRange{init}, maps,
      iters, [&](OpBuilder &nb, Location loc, ValueRange args) {
        ImplicitLocOpBuilder ib(loc, nb);
        Value loV = arith::ConstantOp::create(ib, ib.getIntegerAttr(elt, lo));
        Value hiV = arith::ConstantOp::create(ib, ib.getIntegerAttr(elt, hi));
        Value geLo =
            arith::CmpIOp::create(ib, arith::CmpIPredicate::sge, args[0], loV);
        Value ltHi =
            arith::CmpIOp::create(ib, arith::CmpIPredicate::slt, args[0], hiV);
        Value ok = arith::AndIOp::create(ib, geLo, ltHi);
        linalg::YieldOp::create(
            ib, ValueRange{arith::AndIOp::create(ib, ok, args[1])});
      });
  Value ok = tensor::ExtractOp::create(b, all.getResult(0), ValueRange{});
  cf::AssertOp::create(b, ok, message);
}

void hinm::assertVectorIndexValid(ImplicitLocOpBuilder &b, Value vectorIndex,
                                  MatrixType type, StringRef opName) {
  int64_t cols = type.getCols();
  int64_t blocks = type.getNumBlocks();
  int64_t kept = type.getFormat().getKept();
  assertAllInRange(b, vectorIndex, 0, cols,
                   (opName + ": vector index out of range").str());
  // Distinct within a block: seen[c] holds the last block that named column
  // c, so one table of `cols` entries serves all blocks without refilling.
  // The entries are known to be in range here.
  Value seen = tensor::EmptyOp::create(b, ArrayRef<int64_t>{cols},
                                       b.getIndexType());
  Value none = cIndex(b, -1);
  seen = linalg::FillOp::create(b, ValueRange{none}, ValueRange{seen})
             .getResult(0);
  std::string repeated =
      (opName + ": vector index repeats a column within a block").str();
  (void)countedLoop(
      b, blocks, ValueRange{seen},
      [&](OpBuilder &nb, Location loc, Value blk, ValueRange blkIter) {
        ImplicitLocOpBuilder ib(loc, nb);
        auto inner = countedLoop(
            ib, kept, blkIter,
            [&](OpBuilder &cb, Location cloc, Value c, ValueRange it) {
              ImplicitLocOpBuilder kb(cloc, cb);
              Value col = toIndex(
                  kb, tensor::ExtractOp::create(kb, vectorIndex,
                                                ValueRange{blk, c}));
              Value last = tensor::ExtractOp::create(kb, it[0], col);
              Value fresh = arith::CmpIOp::create(
                  kb, arith::CmpIPredicate::ne, last, blk);
              cf::AssertOp::create(kb, fresh, repeated);
              Value next = tensor::InsertOp::create(kb, blk, it[0], col);
              scf::YieldOp::create(kb, next);
            });
        scf::YieldOp::create(ib, inner.getResults());
      });
}

Value hinm::assertRowPermValidAndInvert(ImplicitLocOpBuilder &b, Value rowPerm,
                                        MatrixType type, StringRef opName) {
  int64_t padded = type.getPaddedRows();
  assertAllInRange(b, rowPerm, 0, padded,
                   (opName + ": row permutation entry out of range").str());
  Value init =
      tensor::EmptyOp::create(b, ArrayRef<int64_t>{padded}, b.getI32Type());
  init = linalg::FillOp::create(b, ValueRange{cI32(b, -1)}, ValueRange{init})
             .getResult(0);
  std::string repeated = (opName + ": row permutation repeats an entry").str();
  auto loop = countedLoop(
      b, padded, ValueRange{init},
      [&](OpBuilder &nb, Location loc, Value p, ValueRange iter) {
        ImplicitLocOpBuilder ib(loc, nb);
        Value r = toIndex(ib, tensor::ExtractOp::create(ib, rowPerm, p));
        Value prev = tensor::ExtractOp::create(ib, iter[0], r);
        Value unseen = arith::CmpIOp::create(ib, arith::CmpIPredicate::eq, prev,
                                             cI32(ib, -1));
        cf::AssertOp::create(ib, unseen, repeated);
        Value pI32 = arith::IndexCastOp::create(ib, ib.getI32Type(), p);
        Value next = tensor::InsertOp::create(ib, pI32, iter[0], r);
        scf::YieldOp::create(ib, next);
      });
  return loop.getResult(0);
}

void hinm::assertMetadataValid(ImplicitLocOpBuilder &b, Value metadata,
                               MatrixType type, StringRef opName) {
  ::hinm::HiNMFormat f = type.getFormat().toLibrary();
  int64_t padded = type.getPaddedRows();
  int64_t stored = f.compressedCols();
  int64_t bits = f.metaBitsPerIndex();
  int64_t perWord = f.metaIndicesPerWord();
  int64_t n = f.n, m = f.m;
  // A bits-wide field can exceed m - 1 only when m is not a power of two.
  bool checkBelowM = (int64_t(1) << bits) != m;

  // One reduction over the stored elements (p, j) of the rows: field(p, j)
  // < m, and field(p, j) > field(p, j - 1) unless j starts a group. Outputs:
  // [ascending, below M].
  MLIRContext *ctx = b.getContext();
  SmallVector<Value> inits = {trueScalarTensor(b)};
  if (checkBelowM)
    inits.push_back(trueScalarTensor(b));
  AffineMap scalar = AffineMap::get(2, 0, ctx);
  SmallVector<AffineMap> maps(inits.size(), scalar);
  SmallVector<utils::IteratorType> iters(2, utils::IteratorType::reduction);
  // The iteration space comes from a shape-only input [P, S] (its values are
  // unused): an empty tensor of that shape.
  Value domain = tensor::EmptyOp::create(
      b, ArrayRef<int64_t>{padded, stored}, b.getI1Type());
  maps.insert(maps.begin(), b.getMultiDimIdentityMap(2));
  SmallVector<Type> resultTypes;
  for (Value v : inits)
    resultTypes.push_back(v.getType());
  auto all = linalg::GenericOp::create(
      b, resultTypes, ValueRange{domain}, inits, maps, iters,
      [&](OpBuilder &nb, Location loc, ValueRange args) {
        ImplicitLocOpBuilder ib(loc, nb);
        Value p = linalg::IndexOp::create(ib, 0);
        Value j = linalg::IndexOp::create(ib, 1);
        auto field = [&](Value jj) {
          Value perW = cIndex(ib, perWord);
          Value word = tensor::ExtractOp::create(
              ib, metadata, ValueRange{p, arith::DivUIOp::create(ib, jj, perW)});
          Value slot = arith::RemUIOp::create(ib, jj, perW);
          Value shift = arith::IndexCastOp::create(
              ib, ib.getI32Type(),
              arith::MulIOp::create(ib, slot, cIndex(ib, bits)));
          Value shifted = arith::ShRUIOp::create(ib, word, shift);
          return arith::AndIOp::create(ib, shifted,
                                       cI32(ib, (int64_t(1) << bits) - 1))
              .getResult();
        };
        Value cur = field(j);
        // j - 1 when j is not the first of its group, else j itself (then
        // the comparison is not used, and the load stays in bounds).
        Value first = arith::CmpIOp::create(
            ib, arith::CmpIPredicate::eq,
            arith::RemUIOp::create(ib, j, cIndex(ib, n)), cIndex(ib, 0));
        Value jPrev = arith::SelectOp::create(
            ib, first, j, arith::SubIOp::create(ib, j, cIndex(ib, 1)));
        Value prev = field(jPrev);
        Value greater =
            arith::CmpIOp::create(ib, arith::CmpIPredicate::ugt, cur, prev);
        Value ascending = arith::OrIOp::create(ib, first, greater);
        SmallVector<Value> results = {
            arith::AndIOp::create(ib, ascending, args[1])};
        if (checkBelowM) {
          Value below =
              arith::CmpIOp::create(ib, arith::CmpIPredicate::ult, cur,
                                    cI32(ib, m));
          results.push_back(arith::AndIOp::create(ib, below, args[2]));
        }
        linalg::YieldOp::create(ib, results);
      });
  // Below M first: an out-of-range field says more than an order violation.
  if (checkBelowM) {
    Value below = tensor::ExtractOp::create(b, all.getResult(1), ValueRange{});
    cf::AssertOp::create(b, below,
                         (opName + ": metadata index not below M").str());
  }
  Value ascending = tensor::ExtractOp::create(b, all.getResult(0), ValueRange{});
  cf::AssertOp::create(
      b, ascending,
      (opName + ": metadata positions of a group not strictly ascending")
          .str());
}

bool hinm::isVerifiedConstant(Value part) {
  return matchPattern(part, m_Constant());
}
