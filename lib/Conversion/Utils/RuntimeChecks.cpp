//===- RuntimeChecks.cpp - run-time checks of hinm storage parts ----------===//
//
// Part of the hinm project. See RuntimeChecks.h: the hinm.assert checks of
// run-time storage parts, shared by the CPU and GPU lowerings.
//
//===----------------------------------------------------------------------===//
#include "hinm/Conversion/Utils/RuntimeChecks.h"

#include "hinm/Dialect/HiNM/IR/HiNMOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Matchers.h"

#include <functional>

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

void hinm::assertAllInRange(ImplicitLocOpBuilder &b, Value t, int64_t lo,
                            int64_t hi, StringRef message, StringRef position) {
  auto type = cast<RankedTensorType>(t.getType());
  Type elt = type.getElementType();
  std::string text = (message + ": " + position + " is {}, not in [" +
                      Twine(lo) + ", " + Twine(hi) + ")")
                         .str();
  // Nested loops over every element, checking each in turn: the first bad
  // one aborts with its position (nothing is allocated).
  SmallVector<Value> ivs;
  std::function<void(ImplicitLocOpBuilder &, unsigned)> walk =
      [&](ImplicitLocOpBuilder &ib, unsigned dim) {
        if (dim == type.getRank()) {
          Value e = tensor::ExtractOp::create(ib, t, ivs);
          Value loV = arith::ConstantOp::create(ib, ib.getIntegerAttr(elt, lo));
          Value hiV = arith::ConstantOp::create(ib, ib.getIntegerAttr(elt, hi));
          Value geLo =
              arith::CmpIOp::create(ib, arith::CmpIPredicate::sge, e, loV);
          Value ltHi =
              arith::CmpIOp::create(ib, arith::CmpIPredicate::slt, e, hiV);
          SmallVector<Value> shown(ivs);
          shown.push_back(e);
          AssertOp::create(ib, arith::AndIOp::create(ib, geLo, ltHi), text,
                           shown);
          return;
        }
        countedLoop(ib, type.getDimSize(dim), ValueRange{},
                    [&](OpBuilder &nb, Location loc, Value iv, ValueRange) {
                      ImplicitLocOpBuilder kb(loc, nb);
                      ivs.push_back(iv);
                      walk(kb, dim + 1);
                      ivs.pop_back();
                      scf::YieldOp::create(kb);
                    });
      };
  walk(b, 0);
}

void hinm::assertVectorIndexValid(ImplicitLocOpBuilder &b, Value vectorIndex,
                                  MatrixType type, StringRef opName) {
  int64_t cols = type.getCols();
  int64_t blocks = type.getNumBlocks();
  int64_t kept = type.getFormat().getKept();
  assertAllInRange(b, vectorIndex, 0, cols,
                   (opName + ": vector index out of range").str(),
                   "block {}, entry {}");
  // Distinct within a block: seen[c] holds the last block that named column
  // c, so one table of `cols` entries serves all blocks without refilling.
  // The entries are known to be in range here.
  Value seen = tensor::EmptyOp::create(b, ArrayRef<int64_t>{cols},
                                       b.getIndexType());
  Value none = cIndex(b, -1);
  seen = linalg::FillOp::create(b, ValueRange{none}, ValueRange{seen})
             .getResult(0);
  std::string repeated = (opName + ": vector index repeats a column within a "
                                   "block: block {}, entry {} names column {} "
                                   "again")
                             .str();
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
              AssertOp::create(kb, fresh, repeated, ValueRange{blk, c, col});
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
                   (opName + ": row permutation entry out of range").str(),
                   "entry {}");
  Value init =
      tensor::EmptyOp::create(b, ArrayRef<int64_t>{padded}, b.getI32Type());
  init = linalg::FillOp::create(b, ValueRange{cI32(b, -1)}, ValueRange{init})
             .getResult(0);
  std::string repeated =
      (opName + ": row permutation repeats an entry: entries {} and {} both "
                "hold {}")
          .str();
  auto loop = countedLoop(
      b, padded, ValueRange{init},
      [&](OpBuilder &nb, Location loc, Value p, ValueRange iter) {
        ImplicitLocOpBuilder ib(loc, nb);
        Value r = toIndex(ib, tensor::ExtractOp::create(ib, rowPerm, p));
        Value prev = tensor::ExtractOp::create(ib, iter[0], r);
        Value unseen = arith::CmpIOp::create(ib, arith::CmpIPredicate::eq, prev,
                                             cI32(ib, -1));
        AssertOp::create(ib, unseen, repeated, ValueRange{prev, p, r});
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
  std::string notBelowM = (opName +
                           ": metadata index not below M: storage "
                           "row {}, stored element {} holds {} (M = " +
                           Twine(m) + ")")
                              .str();
  std::string unordered =
      (opName + ": metadata positions of a group not strictly ascending: "
                "storage row {}, stored element {} holds {} after {}")
          .str();

  // Loops over the stored elements (p, j) of the rows, checking each in
  // turn (nothing is allocated): field(p, j) < m, then field(p, j) >
  // field(p, j - 1) unless j starts a group. The first bad element aborts
  // with its position; an out-of-range field is reported before the order
  // it breaks.
  auto field = [&](ImplicitLocOpBuilder &ib, Value p, Value jj) {
    Value perW = cIndex(ib, perWord);
    Value word = tensor::ExtractOp::create(
        ib, metadata, ValueRange{p, arith::DivUIOp::create(ib, jj, perW)});
    Value slot = arith::RemUIOp::create(ib, jj, perW);
    Value shift = arith::IndexCastOp::create(
        ib, ib.getI32Type(), arith::MulIOp::create(ib, slot, cIndex(ib, bits)));
    Value shifted = arith::ShRUIOp::create(ib, word, shift);
    return arith::AndIOp::create(ib, shifted,
                                 cI32(ib, (int64_t(1) << bits) - 1))
        .getResult();
  };
  (void)countedLoop(
      b, padded, ValueRange{},
      [&](OpBuilder &nb, Location loc, Value p, ValueRange) {
        ImplicitLocOpBuilder ib(loc, nb);
        (void)countedLoop(
            ib, stored, ValueRange{},
            [&](OpBuilder &eb, Location eloc, Value j, ValueRange) {
              ImplicitLocOpBuilder kb(eloc, eb);
              Value cur = field(kb, p, j);
              if (checkBelowM) {
                Value below = arith::CmpIOp::create(
                    kb, arith::CmpIPredicate::ult, cur, cI32(kb, m));
                AssertOp::create(kb, below, notBelowM, ValueRange{p, j, cur});
              }
              // j - 1 when j is not the first of its group, else j itself
              // (then the comparison is not used and the load stays in
              // bounds).
              Value first = arith::CmpIOp::create(
                  kb, arith::CmpIPredicate::eq,
                  arith::RemUIOp::create(kb, j, cIndex(kb, n)), cIndex(kb, 0));
              Value jPrev = arith::SelectOp::create(
                  kb, first, j, arith::SubIOp::create(kb, j, cIndex(kb, 1)));
              Value prev = field(kb, p, jPrev);
              Value greater = arith::CmpIOp::create(
                  kb, arith::CmpIPredicate::ugt, cur, prev);
              AssertOp::create(kb, arith::OrIOp::create(kb, first, greater),
                               unordered, ValueRange{p, j, cur, prev});
              scf::YieldOp::create(kb);
            });
        scf::YieldOp::create(ib);
      });
}

bool hinm::isVerifiedConstant(Value part) {
  return matchPattern(part, m_Constant());
}
