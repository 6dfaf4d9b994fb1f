//===- MatmulKernel.cpp - the mma.sp kernel body of one hinm.matmul -------===//
//
// Part of the hinm project. See MatmulKernel.h.
//
// All per-lane index math goes through hinm/Algorithm/MmaSpLayout.h, the same
// templates the lane-level model test (unittests/GPU) runs on integers.
//
//===----------------------------------------------------------------------===//
#include "MatmulKernel.h"

#include "hinm/Algorithm/MmaSpLayout.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace hinm;

//===----------------------------------------------------------------------===//
// An integer value wrapper for the MmaSpLayout.h templates
//===----------------------------------------------------------------------===//

namespace {
/// A Value with arithmetic operators that emit (folded) arith ops, so the
/// layout templates can build IR. Operands are non-negative, hence unsigned
/// division/remainder/shift.
struct Ix {
  OpBuilder *b = nullptr;
  LocationAttr loc;
  Value v;

  Ix cst(int64_t c) const {
    Type t = v.getType();
    return {b, loc,
            arith::ConstantOp::create(*b, loc, b->getIntegerAttr(t, c))};
  }
  template <typename OpTy> Ix bin(Ix o) const {
    return {b, loc, b->createOrFold<OpTy>(loc, v, o.v)};
  }
  operator Value() const { return v; }
};

Ix operator+(Ix a, Ix c) { return a.bin<arith::AddIOp>(c); }
Ix operator+(Ix a, int64_t c) { return c == 0 ? a : a + a.cst(c); }
Ix operator*(Ix a, Ix c) { return a.bin<arith::MulIOp>(c); }
Ix operator*(Ix a, int64_t c) { return c == 1 ? a : a * a.cst(c); }
Ix operator/(Ix a, int64_t c) {
  return c == 1 ? a : a.bin<arith::DivUIOp>(a.cst(c));
}
Ix operator%(Ix a, int64_t c) { return a.bin<arith::RemUIOp>(a.cst(c)); }
Ix operator^(Ix a, Ix c) { return a.bin<arith::XOrIOp>(c); }
Ix operator&(Ix a, int64_t c) { return a.bin<arith::AndIOp>(a.cst(c)); }
Ix operator|(Ix a, Ix c) { return a.bin<arith::OrIOp>(c); }
Ix operator<<(Ix a, int64_t c) { return a.bin<arith::ShLIOp>(a.cst(c)); }
Ix operator>>(Ix a, Ix c) { return a.bin<arith::ShRUIOp>(c); }
} // namespace

//===----------------------------------------------------------------------===//
// Kernel body
//===----------------------------------------------------------------------===//

namespace {
/// Builds the body of the gpu.launch for one matmul. The spec's fields are
/// copied into members of the same names (see MatmulKernelSpec), so the
/// kernel code reads them directly.
struct KernelBuilder {
  KernelBuilder(OpBuilder &b, Location loc, const MatmulKernelSpec &s)
      : b(b), loc(loc), t(*s.tiling), rows(s.rows), n(s.n),
        vectorSize(s.vectorSize), nValue(s.nValue), inElt(s.inElt),
        accElt(s.accElt), orderedMetadata(s.orderedMetadata), vals(s.vals),
        vidx(s.vidx), meta(s.meta), perm(s.perm), x(s.x), out(s.out), sA(s.sA),
        sB(s.sB), tail(s.tail), tailValues(s.tailValues), outElt(s.outElt) {}

  OpBuilder &b;
  Location loc;
  const GPUTiling &t;
  int64_t rows, n, vectorSize;
  Value nValue;
  Type inElt, accElt;
  bool orderedMetadata;
  Value vals, vidx, meta, perm, x, out;
  Value sA, sB;
  const MatmulEpilogue *tail;
  SmallVector<Value> tailValues;
  Type outElt;
  // Per-thread values, set by build().
  Ix tid, lane, rowBase, colBase, vblock, warpRowOff, warpColOff;
  Value asyncTok; // a token for nvgpu.device_async_wait (its value is unused)

  Ix idx(int64_t c) {
    return Ix{&b, loc, arith::ConstantIndexOp::create(b, loc, c)};
  }
  Ix wrap(Value v) { return Ix{&b, loc, v}; }
  /// N as an index value.
  Ix nIx() { return ShapedType::isDynamic(n) ? wrap(nValue) : idx(n); }
  /// Whether the last column tile can reach past N (guards needed).
  bool partialColumnTile() const {
    return ShapedType::isDynamic(n) || n % t.blockN != 0;
  }

  /// The activation rows this thread copies for pipeline step `kt`: the vector
  /// index entries, read from global memory. Split from the copies so the
  /// steady-state loop can issue these loads before it waits.
  SmallVector<Value> loadGatherRows(Ix kt) {
    SmallVector<Value> rows;
    const int64_t chunksB = t.blockN / mmasp::kChunkElems;
    forEachCopy(t.kTile * chunksB, [&](Ix i) {
      Ix krow = i / chunksB;
      Value k = memref::LoadOp::create(b, loc, vidx,
                                       ValueRange{vblock, kt * t.kTile + krow});
      rows.push_back(arith::IndexCastUIOp::create(b, loc, b.getIndexType(), k));
    });
    return rows;
  }

  /// Issues the cp.async copies of pipeline step `kt` into stage `stage`
  /// (activation rows from loadGatherRows(kt)) and commits them as one group.
  Value loadTile(Ix kt, Ix stage, ValueRange gatherRows) {
    auto tokTy = nvgpu::DeviceAsyncTokenType::get(b.getContext());
    SmallVector<Value> toks;
    auto copy = [&](Value dst, ValueRange dstIdx, Value src, ValueRange srcIdx,
                    Value srcElems) {
      toks.push_back(nvgpu::DeviceAsyncCopyOp::create(
          b, loc, tokTy, dst, dstIdx, src, srcIdx,
          b.getIndexAttr(mmasp::kChunkElems), srcElems, b.getUnitAttr()));
    };
    // Compressed weights: blockM rows x kTile/2 stored values (2 or 4
    // chunks).
    const int64_t chunksA = t.kTile / 2 / mmasp::kChunkElems;
    forEachCopy(t.blockM * chunksA, [&](Ix i) {
      Ix row = i / chunksA, ch = i % chunksA;
      Ix col = mmasp::swizzleChunk(row, ch, chunksA) * mmasp::kChunkElems;
      copy(sA, {stage, row, col}, vals,
           {rowBase + row, kt * (t.kTile / 2) + ch * mmasp::kChunkElems},
           Value());
    });
    // Activations: kTile kept rows, gathered through the vector index.
    const int64_t chunksB = t.blockN / mmasp::kChunkElems;
    unsigned r = 0;
    forEachCopy(t.kTile * chunksB, [&](Ix i) {
      Ix krow = i / chunksB, ch = i % chunksB;
      Value xrow = gatherRows[r++];
      Ix col = colBase + ch * mmasp::kChunkElems;
      Value srcCol = col, srcElems;
      if (partialColumnTile()) {
        // Columns past N: copy nothing, zero-fill, read a valid address.
        Value inB = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                          col, nIx());
        srcCol = arith::SelectOp::create(b, loc, inB, col, idx(0));
        srcElems = arith::SelectOp::create(b, loc, inB, idx(mmasp::kChunkElems),
                                           idx(0));
      }
      Ix dcol = mmasp::swizzleChunk(krow, ch, chunksB) * mmasp::kChunkElems;
      copy(sB, {stage, krow, dcol}, x, {xrow, srcCol}, srcElems);
    });
    return nvgpu::DeviceAsyncCreateGroupOp::create(b, loc, tokTy, toks);
  }

  /// Calls `fn(i)` for copy indices i in [0, count), spread over the threads.
  /// When count is not a multiple of the thread count, the last round wraps
  /// around: a few chunks are copied twice, by two threads, with the same
  /// bytes to the same place (benign, and cheaper than a branch).
  void forEachCopy(int64_t count, function_ref<void(Ix)> fn) {
    for (int64_t base = 0; base < count; base += t.threads) {
      Ix i = tid + base;
      if (base + t.threads > count)
        i = i % count;
      fn(i);
    }
  }

  /// The metadata operands of pipeline step `kt`, one per (k step, m tile)
  /// in that order: the 32-bit words of rows g and g+8 of the tile (global
  /// loads), combined into the operand layout of sparsity selector 0.
  SmallVector<Value> loadMetadata(Ix kt) {
    SmallVector<Value> metaFrag;
    for (int64_t s = 0; s < t.kSteps; ++s) {
      Ix word = kt * t.kSteps + s;
      for (int64_t mt = 0; mt < t.mTiles; ++mt) {
        Ix tileRow = warpRowOff + mt * mmasp::kTileM;
        Ix pLo = rowBase + tileRow + mmasp::metaRowLo(lane);
        Ix pHi = rowBase + tileRow + mmasp::metaRowHi(lane);
        Ix wLo =
            wrap(memref::LoadOp::create(b, loc, meta, ValueRange{pLo, word}));
        Ix wHi =
            wrap(memref::LoadOp::create(b, loc, meta, ValueRange{pHi, word}));
        Ix shift = wrap(arith::IndexCastUIOp::create(b, loc, b.getI32Type(),
                                                     mmasp::metaShift(lane)));
        Value w = mmasp::metaOperand(wLo, wHi, shift);
        Value vec = vector::BroadcastOp::create(
            b, loc, VectorType::get({1}, b.getI32Type()), w);
        metaFrag.push_back(vector::BitCastOp::create(
            b, loc, VectorType::get({2}, b.getI16Type()), vec));
      }
    }
    return metaFrag;
  }

  /// One pipeline step on stage `stage`: for each 32-wide k step inside it,
  /// ldmatrix + mma.sp for the warp tile. Returns the new accumulators
  /// (mTiles x nTiles, row-major).
  SmallVector<Value> compute(Ix stage, ValueRange metaFrag, ValueRange accs) {
    auto fragTy = VectorType::get({4, 2}, inElt);
    const int64_t chunksA = t.kTile / 2 / mmasp::kChunkElems;
    const int64_t chunksB = t.blockN / mmasp::kChunkElems;
    SmallVector<Value> cur(accs);
    for (int64_t s = 0; s < t.kSteps; ++s) {
      SmallVector<Value> aFrag, bFrag;
      for (int64_t mt = 0; mt < t.mTiles; ++mt) {
        Ix row = warpRowOff + mt * mmasp::kTileM + mmasp::ldmatrixARow(lane);
        // Step s reads stored columns [16 s, 16 s + 16): chunks 2s, 2s + 1.
        Ix ch = mmasp::ldmatrixAChunk(lane) +
                s * (mmasp::kTileKc / mmasp::kChunkElems);
        Ix col = mmasp::swizzleChunk(row, ch, chunksA) * mmasp::kChunkElems;
        aFrag.push_back(nvgpu::LdMatrixOp::create(b, loc, fragTy, sA,
                                                  ValueRange{stage, row, col},
                                                  /*transpose=*/false, 4));
      }
      for (int64_t nt = 0; nt < t.nTiles; ++nt) {
        Ix krow = mmasp::ldmatrixBRow(lane) + s * mmasp::kTileK;
        Ix ch = (warpColOff + nt * mmasp::kTileN) / mmasp::kChunkElems;
        Ix col = mmasp::swizzleChunk(krow, ch, chunksB) * mmasp::kChunkElems;
        bFrag.push_back(nvgpu::LdMatrixOp::create(b, loc, fragTy, sB,
                                                  ValueRange{stage, krow, col},
                                                  /*transpose=*/true, 4));
      }
      for (int64_t mt = 0; mt < t.mTiles; ++mt)
        for (int64_t nt = 0; nt < t.nTiles; ++nt) {
          Value &acc = cur[mt * t.nTiles + nt];
          auto mma = nvgpu::MmaSparseSyncOp::create(
              b, loc, aFrag[mt], bFrag[nt], acc, metaFrag[s * t.mTiles + mt],
              ArrayRef<int64_t>{mmasp::kTileM, mmasp::kTileN, mmasp::kTileK});
          if (orderedMetadata)
            mma->setAttr(kOrderedMetadataAttrName, b.getUnitAttr());
          acc = mma;
        }
    }
    return cur;
  }

  /// The k loop [lb, ub) with a cp.async wait of `waitGroups` pending groups
  /// and, when `prefetch`, the load of tile kt + stages - 1.
  SmallVector<Value> kLoop(int64_t lb, int64_t ub, int32_t waitGroups,
                           bool prefetch, ValueRange accs) {
    if (lb >= ub)
      return SmallVector<Value>(accs);
    auto loop = scf::ForOp::create(
        b, loc, idx(lb), idx(ub), idx(1), accs,
        [&](OpBuilder &, Location, Value iv, ValueRange iter) {
          Ix kt = wrap(iv);
          // Metadata and the vector index entries of the prefetched tile
          // come from global memory, independent of the shared pipeline:
          // issue their loads before waiting, so their latency overlaps it.
          SmallVector<Value> metaFrag = loadMetadata(kt);
          Ix next;
          SmallVector<Value> rows;
          if (prefetch) {
            next = kt + (t.stages - 1);
            rows = loadGatherRows(next);
          }
          nvgpu::DeviceAsyncWaitOp::create(b, loc, asyncTok,
                                           b.getI32IntegerAttr(waitGroups));
          // Tile kt is visible to all threads, and every thread is done with
          // the stage the prefetch below overwrites (the one of kt - 1).
          gpu::BarrierOp::create(b, loc);
          if (prefetch)
            loadTile(next, next % t.stages, rows);
          SmallVector<Value> res = compute(kt % t.stages, metaFrag, iter);
          scf::YieldOp::create(b, loc, res);
        });
    return SmallVector<Value>(loop.getResults());
  }

  /// Writes the accumulators: storage row p to result row perm[p], skipping
  /// padding rows (perm[p] >= rows) and columns past N. A fused epilogue is
  /// applied to each element first, inside the column guard (its column and
  /// element operands have N columns).
  void epilogue(ValueRange accs) {
    auto outVecTy = VectorType::get({2}, outElt);
    for (int64_t mt = 0; mt < t.mTiles; ++mt) {
      for (int64_t r = 0; r < 2; ++r) {
        Ix p = rowBase + warpRowOff + mt * mmasp::kTileM +
               mmasp::fragCRow(lane, r);
        Value orig = memref::LoadOp::create(b, loc, perm, ValueRange{p});
        Value origIdx =
            arith::IndexCastUIOp::create(b, loc, b.getIndexType(), orig);
        Value inRows = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                             origIdx, idx(rows));
        scf::IfOp::create(b, loc, inRows, [&](OpBuilder &, Location) {
          // Per-row operands (a bias): one load per row, for all n tiles.
          SmallVector<Value> rowValues;
          if (tail)
            for (auto [operand, v] : llvm::zip(tail->operands, tailValues))
              rowValues.push_back(
                  operand.kind == EpilogueOperand::Kind::Row
                      ? memref::LoadOp::create(b, loc, v, ValueRange{origIdx})
                      : Value());
          for (int64_t nt = 0; nt < t.nTiles; ++nt) {
            Ix col = colBase + warpColOff + nt * mmasp::kTileN +
                     mmasp::fragCCol(lane, 0);
            Value v = vector::ExtractOp::create(
                b, loc, accs[mt * t.nTiles + nt], ArrayRef<int64_t>{r});
            // Columns are even, so the two elements are 2-element aligned:
            // one st.global.v2.f32 / st.global.b32.
            auto store = [&] {
              Value res = v;
              if (tail) {
                SmallVector<Value, 2> elems;
                for (int64_t e = 0; e < 2; ++e) {
                  Value a = vector::ExtractOp::create(b, loc, v,
                                                      ArrayRef<int64_t>{e});
                  elems.push_back(applyEpilogue(b, loc, *tail, a, col + e,
                                                tailValues, rowValues,
                                                origIdx));
                }
                res = vector::FromElementsOp::create(b, loc, outVecTy, elems);
              }
              vector::StoreOp::create(
                  b, loc, res, out, ValueRange{origIdx, col},
                  /*nontemporal=*/false,
                  llvm::MaybeAlign(2 * outElt.getIntOrFloatBitWidth() / 8));
            };
            if (!partialColumnTile()) {
              store();
              continue;
            }
            Value inCols = arith::CmpIOp::create(
                b, loc, arith::CmpIPredicate::ult, col, nIx());
            scf::IfOp::create(b, loc, inCols, [&](OpBuilder &, Location) {
              store();
              scf::YieldOp::create(b, loc);
            });
          }
          scf::YieldOp::create(b, loc);
        });
      }
    }
  }

  void build(Value threadX, Value blockX, Value blockY) {
    tid = wrap(threadX);
    lane = tid % 32;
    Ix warp = tid / 32;
    warpRowOff = (warp / t.warpsN) * t.warpRows;
    warpColOff = (warp % t.warpsN) * t.warpCols;
    rowBase = wrap(blockX) * t.blockM;
    colBase = wrap(blockY) * t.blockN;
    vblock = rowBase / vectorSize;

    // Prologue: the first stages - 1 tiles in flight.
    int64_t pro = std::min(t.stages - 1, t.kTiles);
    for (int64_t s = 0; s < pro; ++s) {
      // (Separate statements: the IR order must not depend on the C++
      // compiler's argument evaluation order.)
      SmallVector<Value> rows = loadGatherRows(idx(s));
      Value tok = loadTile(idx(s), idx(s), rows);
      if (!asyncTok)
        asyncTok = tok;
    }
    auto accTy = VectorType::get({2, 2}, accElt);
    Value zero = arith::ConstantOp::create(
        b, loc, accTy, DenseElementsAttr::get(accTy, b.getZeroAttr(accElt)));
    SmallVector<Value> accs(t.mTiles * t.nTiles, zero);
    // Steady state: wait for tile kt (stages - 2 younger groups may still be
    // in flight), prefetch tile kt + stages - 1, compute tile kt.
    int64_t mainEnd = std::max<int64_t>(0, t.kTiles - (t.stages - 1));
    accs = kLoop(0, mainEnd, t.stages - 2, /*prefetch=*/true, accs);
    // Drain: nothing left to prefetch; wait for everything.
    accs = kLoop(mainEnd, t.kTiles, 0, /*prefetch=*/false, accs);
    epilogue(accs);
  }
};
} // namespace

void hinm::buildMatmulKernel(OpBuilder &b, Location loc,
                             const MatmulKernelSpec &s, Value threadX,
                             Value blockX, Value blockY) {
  KernelBuilder(b, loc, s).build(threadX, blockX, blockY);
}
