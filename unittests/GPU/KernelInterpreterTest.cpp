//===- KernelInterpreterTest.cpp - run the generated kernel IR on the CPU -===//
//
// Part of the hinm project. No GPU needed. Lowers a hinm.matmul with
// --convert-hinm-to-nvgpu (+ canonicalize, cse, as the pipeline does before
// outlining, and hinm-lower-sparse-mma, which the pipeline runs after it)
// and interprets the resulting gpu.launch body: every thread of every block,
// in lockstep (SIMT), with cp.async as a copy, ldmatrix and mma.sp (nvgpu,
// or nvvm for bf16 / ordered metadata, whose metadata groups must then be
// ascending) executed per warp by the PTX model of PtxSemantics.h. The
// storage parts are function arguments (copied to the device) or constants
// (device globals the kernel names). The result must equal
// hinm::referenceMatmul in every element, each written once.
//
// Where MmaSpModelTest checks the lane maps against a model of the schedule,
// this checks the IR the generator actually emits: its stage indexing,
// swizzled copy and ldmatrix addresses, metadata assembly, loop structure and
// epilogue permutation. Shared memory starts as NaN, so reading a chunk that
// no copy wrote poisons the result. Each case runs twice: with cp.async
// landing at issue (the earliest moment: catches overwriting a stage still to
// be read) and at the cp.async.wait_group that retires its group (the latest:
// catches reading a tile not yet waited for). Barriers are not checked: the
// threads run in lockstep.
//
//===----------------------------------------------------------------------===//
#include "PtxSemantics.h"
#include "hinm/Algorithm/Format.h"
#include "hinm/Conversion/HiNMToNVGPU/HiNMToNVGPU.h"
#include "hinm/Conversion/Passes.h"
#include "hinm/InitAll.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <map>
#include <numeric>
#include <random>

using namespace mlir;

namespace {

/// A memref's contents, row-major, every element as a double (integers of up
/// to 32 bits and f16/f32 values are exact).
struct Buffer {
  std::vector<int64_t> shape;
  std::vector<double> data;
  int64_t offset(ArrayRef<int64_t> idx) const {
    int64_t off = 0;
    for (size_t d = 0; d < shape.size(); ++d) {
      if (idx[d] < 0 || idx[d] >= shape[d])
        return -1;
      off = off * shape[d] + idx[d];
    }
    return off;
  }
};

/// One SSA value for every thread of the block: scalars have one element,
/// vectors are flattened row-major.
using Lanes = std::vector<SmallVector<double, 8>>;

/// A cp.async in flight: where it lands and what.
struct PendingCopy {
  Buffer *dst;
  int64_t offset;
  SmallVector<double, 8> data;
};

struct Interpreter {
  int64_t threads;
  /// When copies land. false: at issue (the earliest: catches a prefetch
  /// that overwrites a stage still to be read). true: at the
  /// cp.async.wait_group that retires their group (the latest: catches
  /// reading a tile before waiting for it, or a wrong group count).
  bool landAtWait = false;
  std::vector<SmallVector<PendingCopy>> uncommitted;         // per thread
  std::vector<std::deque<SmallVector<PendingCopy>>> groups; // per thread
  /// SSA values. A node-based map: references returned by get() must stay
  /// valid while later get() calls insert (hoisted constants).
  struct ValueMap {
    std::map<const void *, Lanes> m;
    Lanes &operator[](Value v) { return m[v.getAsOpaquePointer()]; }
    Lanes *lookup(Value v) {
      auto it = m.find(v.getAsOpaquePointer());
      return it == m.end() ? nullptr : &it->second;
    }
  } vals;
  DenseMap<Value, Buffer *> mems;
  std::vector<int> *writes = nullptr; // per element of the output buffer
  Buffer *out = nullptr;
  std::string error;

  static void land(const PendingCopy &pc) {
    for (size_t e = 0; e < pc.data.size(); ++e)
      pc.dst->data[pc.offset + e] = pc.data[e];
  }

  bool fail(Operation *op, const std::string &why) {
    if (error.empty()) {
      std::string s;
      llvm::raw_string_ostream os(s);
      os << why << ": " << *op;
      error = s;
    }
    return false;
  }

  static unsigned width(Type t) {
    return t.isIndex() ? 64 : t.getIntOrFloatBitWidth();
  }
  /// Integers are kept as unsigned bit patterns of their width (index as
  /// int64), so shifts and masks behave like the hardware's.
  static double wrapInt(Type t, int64_t v) {
    unsigned w = width(getElementTypeOrSelf(t));
    if (w >= 64)
      return double(v);
    return double(uint64_t(v) & ((uint64_t(1) << w) - 1));
  }

  Lanes &get(Value v) {
    Lanes *l = vals.lookup(v);
    if (l && int64_t(l->size()) == threads)
      return *l;
    // Constants hoisted out of the launch body (evaluated again when an
    // earlier launch, with another block size, evaluated them first).
    if (auto c = v.getDefiningOp<arith::ConstantOp>())
      evalConstant(c);
    else if (auto c = v.getDefiningOp<LLVM::ConstantOp>())
      evalLLVMConstant(c);
    return vals[v];
  }

  void evalConstant(arith::ConstantOp c) {
    SmallVector<double, 8> e;
    Attribute a = c.getValue();
    if (auto i = dyn_cast<IntegerAttr>(a))
      e.push_back(wrapInt(c.getType(), i.getValue().getSExtValue()));
    else if (auto f = dyn_cast<FloatAttr>(a))
      e.push_back(f.getValueAsDouble());
    else if (auto d = dyn_cast<DenseElementsAttr>(a)) {
      int64_t n = cast<ShapedType>(d.getType()).getNumElements();
      for (int64_t k = 0; k < n; ++k) {
        Attribute el = d.getValues<Attribute>()[k];
        if (auto f = dyn_cast<FloatAttr>(el))
          e.push_back(f.getValueAsDouble());
        else
          e.push_back(wrapInt(d.getElementType(),
                              cast<IntegerAttr>(el).getValue().getSExtValue()));
      }
    }
    vals[c.getResult()] = Lanes(threads, e);
  }

  void evalLLVMConstant(LLVM::ConstantOp c) {
    if (auto i = dyn_cast<IntegerAttr>(c.getValue()))
      vals[c.getResult()] =
          Lanes(threads, {wrapInt(c.getType(), i.getValue().getSExtValue())});
  }

  int64_t scalar(Value v, int64_t t) { return int64_t(get(v)[t][0]); }

  /// `v` rounded to float type `t` (to nearest even, as the hardware's
  /// cvt.rn and f32 arithmetic do).
  static double roundTo(Type t, double v) {
    if (t.isF64())
      return v;
    llvm::APFloat f(v);
    bool lost = false;
    (void)f.convert(cast<FloatType>(t).getFloatSemantics(),
                    llvm::APFloat::rmNearestTiesToEven, &lost);
    return f.convertToDouble();
  }

  SmallVector<int64_t> indices(ValueRange idx, int64_t t) {
    SmallVector<int64_t> r;
    for (Value v : idx)
      r.push_back(scalar(v, t));
    return r;
  }

  bool runRegion(Region &region, const std::vector<bool> &mask,
                 SmallVectorImpl<Lanes> *yielded = nullptr) {
    for (Operation &op : region.front()) {
      if (isa<scf::YieldOp>(op)) {
        if (yielded)
          for (Value v : op.getOperands())
            yielded->push_back(get(v));
        return true;
      }
      if (!run(op, mask))
        return false;
    }
    return true;
  }

  /// Runs warp `w`'s mma.sp on the fragments its lanes hold and appends
  /// every lane's four results to `res`. With ordered metadata, every group
  /// the hardware reads must hold ascending indices, else it fails.
  bool warpMmaSp(Operation *op, int64_t w,
                 const std::array<hinm::ptx::Frag4, 32> &fa,
                 const std::array<hinm::ptx::Frag4, 32> &fb,
                 const std::array<hinm::ptx::Acc, 32> &fc,
                 const std::array<uint32_t, 32> &fe, bool ordered,
                 Lanes &res) {
    if (ordered) {
      int bad = hinm::ptx::unorderedMetadataLane(fe);
      if (bad >= 0)
        return fail(op, "mma.sp::ordered_metadata with unordered metadata "
                        "indices in lane " +
                            std::to_string(bad));
    }
    auto d = hinm::ptx::mmaSp(fa, fb, fc, fe);
    for (int64_t l = 0; l < 32; ++l)
      for (int r = 0; r < 2; ++r)
        for (int h = 0; h < 2; ++h)
          res[32 * w + l].push_back(d[l][r][h]);
    return true;
  }

  /// nvvm.mma.sp.sync (from hinm-lower-sparse-mma): m16n8k32, A and B four
  /// registers each (vector<2xf16>, or i32 holding two bf16), C four f32 or
  /// two vector<2xf16>, an i32 metadata, selector 0. The result struct is
  /// flattened like the accumulator vector.
  bool runNVVMMmaSp(NVVM::MmaSpOp mma) {
    Operation *op = mma;
    if (mma.getShape().getM() != 16 || mma.getShape().getN() != 8 ||
        mma.getShape().getK() != 32 || mma.getOperandA().size() != 4 ||
        mma.getOperandB().size() != 4)
      return fail(op, "unsupported nvvm.mma.sp.sync shape");
    if (int64_t(get(mma.getSparsitySelector())[0][0]) != 0)
      return fail(op, "selector must be 0");
    bool packedBf16 = isa<IntegerType>(mma.getOperandA()[0].getType());
    if (packedBf16 &&
        (!mma.getMultiplicandAPtxType() ||
         *mma.getMultiplicandAPtxType() != NVVM::MMATypes::bf16 ||
         !mma.getMultiplicandBPtxType() ||
         *mma.getMultiplicandBPtxType() != NVVM::MMATypes::bf16))
      return fail(op, "i32 operands without bf16 multiplicand types");
    Lanes res(threads);
    for (int64_t w = 0; w < threads / 32; ++w) {
      std::array<hinm::ptx::Frag4, 32> fa, fb;
      std::array<hinm::ptx::Acc, 32> fc;
      std::array<uint32_t, 32> fe;
      for (int64_t l = 0; l < 32; ++l) {
        int64_t t = 32 * w + l;
        auto reg = [&](Value v, hinm::ptx::Reg &r) {
          const auto &x = get(v)[t];
          if (packedBf16) {
            uint32_t bits = uint32_t(x[0]);
            r = {hinm::ptx::bf16Value(bits), hinm::ptx::bf16Value(bits >> 16)};
          } else {
            r = {float(x[0]), float(x[1])};
          }
        };
        for (int r = 0; r < 4; ++r) {
          reg(mma.getOperandA()[r], fa[l][r]);
          reg(mma.getOperandB()[r], fb[l][r]);
        }
        ValueRange c = mma.getOperandC();
        if (c.size() == 4) {
          for (int i = 0; i < 4; ++i)
            fc[l][i / 2][i % 2] = float(get(c[i])[t][0]);
        } else if (c.size() == 2) {
          for (int r = 0; r < 2; ++r)
            for (int h = 0; h < 2; ++h)
              fc[l][r][h] = float(get(c[r])[t][h]);
        } else {
          return fail(op, "unsupported accumulator operands");
        }
        fe[l] = uint32_t(get(mma.getSparseMetadata())[t][0]);
      }
      if (!warpMmaSp(op, w, fa, fb, fc, fe, mma.getOrderedMetadata(), res))
        return false;
    }
    vals[mma.getRes()] = res;
    return true;
  }

  bool run(Operation &opRef, const std::vector<bool> &mask) {
    Operation *op = &opRef;
    Lanes res(threads);
    auto binInt = [&](auto fn) {
      Type t = op->getResult(0).getType();
      Lanes &a = get(op->getOperand(0)), &b = get(op->getOperand(1));
      for (int64_t l = 0; l < threads; ++l)
        res[l] = {wrapInt(t, fn(int64_t(a[l][0]), int64_t(b[l][0])))};
      vals[op->getResult(0)] = res;
      return true;
    };
    // Float ops of a fused epilogue, rounded to their result type.
    auto binF = [&](auto fn) {
      Type t = op->getResult(0).getType();
      Lanes &a = get(op->getOperand(0)), &b = get(op->getOperand(1));
      for (int64_t l = 0; l < threads; ++l)
        res[l] = {roundTo(t, fn(a[l][0], b[l][0]))};
      vals[op->getResult(0)] = res;
      return true;
    };
    auto nanOr = [](double a, double b, double r) {
      return std::isnan(a) || std::isnan(b) ? double(NAN) : r;
    };
    if (auto c = dyn_cast<arith::ConstantOp>(op)) {
      evalConstant(c);
      return true;
    }
    if (isa<arith::AddFOp>(op))
      return binF([](double a, double b) { return a + b; });
    if (isa<arith::SubFOp>(op))
      return binF([](double a, double b) { return a - b; });
    if (isa<arith::MulFOp>(op))
      return binF([](double a, double b) { return a * b; });
    if (isa<arith::MaximumFOp>(op))
      return binF(
          [&](double a, double b) { return nanOr(a, b, std::max(a, b)); });
    if (isa<arith::MinimumFOp>(op))
      return binF(
          [&](double a, double b) { return nanOr(a, b, std::min(a, b)); });
    if (isa<arith::TruncFOp, arith::ExtFOp, arith::NegFOp>(op)) {
      Type t = op->getResult(0).getType();
      double sign = isa<arith::NegFOp>(op) ? -1.0 : 1.0;
      Lanes &a = get(op->getOperand(0));
      for (int64_t l = 0; l < threads; ++l)
        res[l] = {roundTo(t, sign * a[l][0])};
      vals[op->getResult(0)] = res;
      return true;
    }
    if (isa<arith::AddIOp>(op))
      return binInt([](int64_t a, int64_t b) { return a + b; });
    if (isa<arith::SubIOp>(op))
      return binInt([](int64_t a, int64_t b) { return a - b; });
    if (isa<arith::MulIOp>(op))
      return binInt([](int64_t a, int64_t b) { return a * b; });
    if (isa<arith::DivUIOp>(op))
      return binInt([](int64_t a, int64_t b) { return b ? a / b : 0; });
    if (isa<arith::RemUIOp>(op))
      return binInt([](int64_t a, int64_t b) { return b ? a % b : 0; });
    if (isa<arith::XOrIOp>(op))
      return binInt([](int64_t a, int64_t b) { return a ^ b; });
    if (isa<arith::AndIOp>(op))
      return binInt([](int64_t a, int64_t b) { return a & b; });
    if (isa<arith::OrIOp>(op))
      return binInt([](int64_t a, int64_t b) { return a | b; });
    if (isa<arith::ShLIOp>(op))
      return binInt([](int64_t a, int64_t b) { return int64_t(uint64_t(a) << b); });
    if (isa<arith::ShRUIOp>(op))
      return binInt([](int64_t a, int64_t b) { return int64_t(uint64_t(a) >> b); });
    if (isa<arith::MinUIOp, arith::MinSIOp>(op))
      return binInt([](int64_t a, int64_t b) { return std::min(a, b); });
    if (isa<arith::MaxUIOp, arith::MaxSIOp>(op))
      return binInt([](int64_t a, int64_t b) { return std::max(a, b); });
    if (auto cmp = dyn_cast<arith::CmpIOp>(op)) {
      Lanes &a = get(cmp.getLhs()), &b = get(cmp.getRhs());
      for (int64_t l = 0; l < threads; ++l) {
        int64_t x = int64_t(a[l][0]), y = int64_t(b[l][0]);
        bool r = false;
        switch (cmp.getPredicate()) {
        case arith::CmpIPredicate::eq: r = x == y; break;
        case arith::CmpIPredicate::ne: r = x != y; break;
        case arith::CmpIPredicate::ult: case arith::CmpIPredicate::slt: r = x < y; break;
        case arith::CmpIPredicate::ule: case arith::CmpIPredicate::sle: r = x <= y; break;
        case arith::CmpIPredicate::ugt: case arith::CmpIPredicate::sgt: r = x > y; break;
        case arith::CmpIPredicate::uge: case arith::CmpIPredicate::sge: r = x >= y; break;
        }
        res[l] = {double(r)};
      }
      vals[cmp.getResult()] = res;
      return true;
    }
    if (auto sel = dyn_cast<arith::SelectOp>(op)) {
      Lanes &c = get(sel.getCondition()), &a = get(sel.getTrueValue()),
            &b = get(sel.getFalseValue());
      for (int64_t l = 0; l < threads; ++l)
        res[l] = c[l][0] != 0 ? a[l] : b[l];
      vals[sel.getResult()] = res;
      return true;
    }
    if (isa<arith::IndexCastUIOp, arith::IndexCastOp, arith::ExtUIOp,
            arith::TruncIOp>(op)) {
      Lanes &a = get(op->getOperand(0));
      for (int64_t l = 0; l < threads; ++l)
        res[l] = {wrapInt(op->getResult(0).getType(), int64_t(a[l][0]))};
      vals[op->getResult(0)] = res;
      return true;
    }
    if (auto load = dyn_cast<memref::LoadOp>(op)) {
      Buffer *buf = mems.lookup(load.getMemRef());
      if (!buf)
        return fail(op, "load from an unknown memref");
      for (int64_t l = 0; l < threads; ++l) {
        if (!mask[l]) {
          res[l] = {0.0};
          continue;
        }
        int64_t off = buf->offset(indices(load.getIndices(), l));
        if (off < 0)
          return fail(op, "out-of-bounds load by thread " + std::to_string(l));
        res[l] = {wrapInt(load.getType(), 0) * 0 +
                  (load.getType().isIntOrIndex()
                       ? wrapInt(load.getType(), int64_t(buf->data[off]))
                       : buf->data[off])};
      }
      vals[load.getResult()] = res;
      return true;
    }
    if (auto copy = dyn_cast<nvgpu::DeviceAsyncCopyOp>(op)) {
      Buffer *dst = mems.lookup(copy.getDst()), *src = mems.lookup(copy.getSrc());
      if (!dst || !src)
        return fail(op, "copy with an unknown memref");
      int64_t n = copy.getDstElements().getZExtValue();
      for (int64_t l = 0; l < threads; ++l) {
        if (!mask[l])
          continue;
        int64_t srcN = copy.getSrcElements() ? scalar(copy.getSrcElements(), l) : n;
        int64_t d = dst->offset(indices(copy.getDstIndices(), l));
        int64_t s = src->offset(indices(copy.getSrcIndices(), l));
        if (d < 0 || d + n > int64_t(dst->data.size()) || d % n != 0)
          return fail(op, "bad or misaligned shared destination");
        if (srcN > 0 && (s < 0 || s + srcN > int64_t(src->data.size())))
          return fail(op, "out-of-bounds global source");
        PendingCopy pc{dst, d, {}};
        for (int64_t e = 0; e < n; ++e)
          pc.data.push_back(e < srcN ? src->data[s + e] : 0.0);
        if (landAtWait)
          uncommitted[l].push_back(std::move(pc));
        else
          land(pc);
      }
      vals[copy.getResult()] = Lanes(threads, {0.0});
      return true;
    }
    if (isa<nvgpu::DeviceAsyncCreateGroupOp>(op)) {
      for (int64_t l = 0; l < threads; ++l)
        if (mask[l]) {
          groups[l].push_back(std::move(uncommitted[l]));
          uncommitted[l].clear();
        }
      vals[op->getResult(0)] = Lanes(threads, {0.0});
      return true;
    }
    if (auto wait = dyn_cast<nvgpu::DeviceAsyncWaitOp>(op)) {
      // cp.async.wait_group N: all but the N most recent committed groups
      // of this thread have landed.
      size_t keep = wait.getNumGroups() ? *wait.getNumGroups() : 0;
      for (int64_t l = 0; l < threads; ++l)
        while (mask[l] && groups[l].size() > keep) {
          for (PendingCopy &pc : groups[l].front())
            land(pc);
          groups[l].pop_front();
        }
      return true;
    }
    if (isa<gpu::BarrierOp>(op))
      return true; // lockstep: every thread is here already
    if (auto ld = dyn_cast<nvgpu::LdMatrixOp>(op)) {
      Buffer *buf = mems.lookup(ld.getSrcMemref());
      if (!buf || ld.getNumTiles() != 4)
        return fail(op, "unsupported ldmatrix");
      std::vector<float> smem(buf->data.begin(), buf->data.end());
      for (int64_t w = 0; w < threads / 32; ++w) {
        std::array<int64_t, 32> addr;
        for (int64_t l = 0; l < 32; ++l) {
          addr[l] = buf->offset(indices(ld.getIndices(), 32 * w + l));
          if (addr[l] < 0 || addr[l] % 8 != 0)
            return fail(op, "bad or misaligned ldmatrix row address");
        }
        auto frag = hinm::ptx::ldmatrixX4(smem, addr, ld.getTranspose());
        for (int64_t l = 0; l < 32; ++l)
          for (int q = 0; q < 4; ++q)
            for (int h = 0; h < 2; ++h)
              res[32 * w + l].push_back(frag[l][q][h]);
      }
      vals[ld.getResult()] = res;
      return true;
    }
    if (auto bc = dyn_cast<vector::BroadcastOp>(op)) {
      int64_t n = bc.getResultVectorType().getNumElements();
      Lanes &a = get(bc.getSource());
      for (int64_t l = 0; l < threads; ++l)
        res[l] = SmallVector<double, 8>(n, a[l][0]);
      vals[bc.getResult()] = res;
      return true;
    }
    if (auto cast = dyn_cast<vector::BitCastOp>(op)) {
      // The metadata operand, vector<1xi32> <-> vector<2xi16>, and (from
      // hinm-lower-sparse-mma) a bf16 register, vector<2xbf16> ->
      // vector<1xi32>, packed as the hardware sees it.
      VectorType from = cast.getSourceVectorType(),
                 to = cast.getResultVectorType();
      Lanes &a = get(cast.getSource());
      auto isVec = [](VectorType t, int64_t n, unsigned bits) {
        return t.getRank() == 1 && t.getNumElements() == n &&
               t.getElementTypeBitWidth() == bits;
      };
      if (isVec(from, 1, 32) && isVec(to, 2, 16) &&
          to.getElementType().isInteger(16)) {
        for (int64_t l = 0; l < threads; ++l) {
          uint32_t v = uint32_t(int64_t(a[l][0]));
          res[l] = {double(v & 0xFFFF), double(v >> 16)};
        }
      } else if (isVec(from, 2, 16) && from.getElementType().isInteger(16) &&
                 isVec(to, 1, 32)) {
        for (int64_t l = 0; l < threads; ++l)
          res[l] = {double(uint32_t(a[l][0]) | (uint32_t(a[l][1]) << 16))};
      } else if (isVec(from, 2, 16) && from.getElementType().isBF16() &&
                 isVec(to, 1, 32)) {
        for (int64_t l = 0; l < threads; ++l) {
          uint32_t lo, hi;
          if (!hinm::ptx::bf16Bits(float(a[l][0]), lo) ||
              !hinm::ptx::bf16Bits(float(a[l][1]), hi))
            return fail(op, "value not exact in bf16");
          res[l] = {double(lo | (hi << 16))};
        }
      } else {
        return fail(op, "unsupported bitcast");
      }
      vals[cast.getResult()] = res;
      return true;
    }
    if (auto c = dyn_cast<LLVM::ConstantOp>(op)) {
      if (!isa<IntegerAttr>(c.getValue()))
        return fail(op, "unsupported llvm.mlir.constant");
      evalLLVMConstant(c);
      return true;
    }
    if (auto mma = dyn_cast<NVVM::MmaSpOp>(op))
      return runNVVMMmaSp(mma);
    if (auto ev = dyn_cast<LLVM::ExtractValueOp>(op)) {
      // Struct values are flattened: field i starts after the elements of
      // fields 0..i-1.
      auto st = dyn_cast<LLVM::LLVMStructType>(ev.getContainer().getType());
      if (!st || ev.getPosition().size() != 1)
        return fail(op, "unsupported extractvalue");
      auto count = [](Type t) -> int64_t {
        if (auto v = dyn_cast<VectorType>(t))
          return v.getNumElements();
        return 1;
      };
      int64_t start = 0, field = ev.getPosition()[0];
      for (int64_t f = 0; f < field; ++f)
        start += count(st.getBody()[f]);
      int64_t n = count(st.getBody()[field]);
      Lanes &a = get(ev.getContainer());
      for (int64_t l = 0; l < threads; ++l)
        res[l] = SmallVector<double, 8>(a[l].begin() + start,
                                        a[l].begin() + start + n);
      vals[ev.getResult()] = res;
      return true;
    }
    if (auto fe = dyn_cast<vector::FromElementsOp>(op)) {
      for (int64_t l = 0; l < threads; ++l)
        for (Value e : fe.getElements())
          res[l].push_back(get(e)[l][0]);
      vals[fe.getResult()] = res;
      return true;
    }
    if (auto ins = dyn_cast<vector::InsertOp>(op)) {
      if (!ins.getDynamicPosition().empty())
        return fail(op, "dynamic insert");
      VectorType destTy = ins.getDestVectorType();
      int64_t inner = 1;
      for (int64_t d = ins.getStaticPosition().size(); d < destTy.getRank();
           ++d)
        inner *= destTy.getDimSize(d);
      int64_t start = 0;
      for (size_t d = 0; d < ins.getStaticPosition().size(); ++d)
        start = start * destTy.getDimSize(d) + ins.getStaticPosition()[d];
      start *= inner;
      Lanes &dst = get(ins.getDest()), &v = get(ins.getValueToStore());
      for (int64_t l = 0; l < threads; ++l) {
        res[l] = dst[l];
        for (int64_t e = 0; e < inner; ++e)
          res[l][start + e] = v[l][e];
      }
      vals[ins.getResult()] = res;
      return true;
    }
    if (auto mma = dyn_cast<nvgpu::MmaSparseSyncOp>(op)) {
      if (mma.getSparsitySelector() != 0)
        return fail(op, "selector must be 0");
      Lanes &a = get(mma.getMatrixA()), &b = get(mma.getMatrixB()),
            &c = get(mma.getMatrixC()), &e = get(mma.getSparseMetadata());
      for (int64_t w = 0; w < threads / 32; ++w) {
        std::array<hinm::ptx::Frag4, 32> fa, fb;
        std::array<hinm::ptx::Acc, 32> fc;
        std::array<uint32_t, 32> fe;
        for (int64_t l = 0; l < 32; ++l) {
          int64_t t = 32 * w + l;
          for (int r = 0; r < 4; ++r)
            for (int h = 0; h < 2; ++h) {
              fa[l][r][h] = a[t][2 * r + h];
              fb[l][r][h] = b[t][2 * r + h];
            }
          for (int r = 0; r < 2; ++r)
            for (int h = 0; h < 2; ++h)
              fc[l][r][h] = c[t][2 * r + h];
          fe[l] = uint32_t(e[t][0]) | (uint32_t(e[t][1]) << 16);
        }
        if (!warpMmaSp(op, w, fa, fb, fc, fe,
                       mma->hasAttr(hinm::kOrderedMetadataAttrName), res))
          return false;
      }
      vals[mma.getResult()] = res;
      return true;
    }
    if (auto ex = dyn_cast<vector::ExtractOp>(op)) {
      if (!ex.getDynamicPosition().empty())
        return fail(op, "dynamic extract");
      auto srcTy = ex.getSourceVectorType();
      int64_t inner = 1;
      for (int64_t d = ex.getStaticPosition().size(); d < srcTy.getRank(); ++d)
        inner *= srcTy.getDimSize(d);
      int64_t start = 0;
      for (size_t d = 0; d < ex.getStaticPosition().size(); ++d)
        start = start * srcTy.getDimSize(d) + ex.getStaticPosition()[d];
      start *= inner;
      Lanes &a = get(ex.getSource());
      for (int64_t l = 0; l < threads; ++l)
        res[l] = SmallVector<double, 8>(a[l].begin() + start,
                                        a[l].begin() + start + inner);
      vals[ex.getResult()] = res;
      return true;
    }
    if (isa<vector::StoreOp, memref::StoreOp>(op)) {
      // vector.store and memref.store: value, base, indices.
      Buffer *buf = mems.lookup(op->getOperand(1));
      if (!buf)
        return fail(op, "store to an unknown memref");
      Lanes &v = get(op->getOperand(0));
      for (int64_t l = 0; l < threads; ++l) {
        if (!mask[l])
          continue;
        int64_t off = buf->offset(indices(op->getOperands().drop_front(2), l));
        if (off < 0 || off + int64_t(v[l].size()) > int64_t(buf->data.size()))
          return fail(op, "out-of-bounds store");
        for (size_t e = 0; e < v[l].size(); ++e) {
          buf->data[off + e] = v[l][e];
          if (buf == out)
            ++(*writes)[off + e];
        }
      }
      return true;
    }
    if (auto ifOp = dyn_cast<scf::IfOp>(op)) {
      if (ifOp.getNumResults() != 0)
        return fail(op, "scf.if with results");
      std::vector<bool> thenMask(threads), elseMask(threads);
      Lanes &c = get(ifOp.getCondition());
      for (int64_t l = 0; l < threads; ++l) {
        thenMask[l] = mask[l] && c[l][0] != 0;
        elseMask[l] = mask[l] && c[l][0] == 0;
      }
      if (!runRegion(ifOp.getThenRegion(), thenMask))
        return false;
      if (!ifOp.getElseRegion().empty())
        return runRegion(ifOp.getElseRegion(), elseMask);
      return true;
    }
    if (auto loop = dyn_cast<scf::ForOp>(op)) {
      int64_t lb = scalar(loop.getLowerBound(), 0),
              ub = scalar(loop.getUpperBound(), 0),
              step = scalar(loop.getStep(), 0);
      for (int64_t l = 0; l < threads; ++l)
        if (scalar(loop.getLowerBound(), l) != lb ||
            scalar(loop.getUpperBound(), l) != ub)
          return fail(op, "divergent loop bounds");
      SmallVector<Lanes> iter;
      for (Value v : loop.getInitArgs())
        iter.push_back(get(v));
      for (int64_t i = lb; i < ub; i += step) {
        vals[loop.getInductionVar()] = Lanes(threads, {double(i)});
        for (auto [arg, v] : llvm::zip(loop.getRegionIterArgs(), iter))
          vals[arg] = v;
        SmallVector<Lanes> next;
        if (!runRegion(loop.getRegion(), mask, &next))
          return false;
        iter = std::move(next);
      }
      for (auto [r, v] : llvm::zip(loop.getResults(), iter))
        vals[r] = v;
      return true;
    }
    // Device globals (constant storage parts) are bound before the run.
    if (isa<gpu::TerminatorOp, memref::GetGlobalOp>(op))
      return true;
    return fail(op, "op not supported by the interpreter");
  }
};

struct Case {
  int64_t rows, cols, v, kept, n;
  std::string options;
  bool f16Result = false;
  unsigned seed = 1;
  /// Element type of the weights and activations: f16 or bf16.
  std::string elt = "f16";
  /// Whether the options ask for mma.sp::ordered_metadata (checked on the
  /// ops after hinm-lower-sparse-mma).
  bool expectOrdered = false;
  /// Whether N is dynamic in the program (read from the activations at run
  /// time; the grid and the column guards then use that value).
  bool dynamicN = false;
  /// Whether the storage parts are constants in the program (the kernel then
  /// reads them from device globals instead of copies of the arguments).
  bool constantWeights = false;
  /// Elementwise ops after the matmul, which the conversion fuses into the
  /// kernel's store (the f32 result only):
  /// - BiasReluF16: a generic adding a constant per-row bias (a device
  ///   global), max with 0, truncf to f16: the function returns f16;
  /// - ArgOps: linalg.add of a full-matrix argument, a generic computing
  ///   2 * t - c[col] with a scalar argument (2) and a per-column argument,
  ///   then linalg.max with a per-row argument broadcast by linalg.broadcast
  ///   (read through the 1-D argument, not a matrix).
  enum class Tail { None, BiasReluF16, ArgOps } tail = Tail::None;
};

/// The `dense<...>` literal of `data` as a matrix of `cols` columns, or as
/// a 1-D tensor when `cols` is 0 (integers, or floats that print exactly).
template <typename T>
std::string denseLiteral(const std::vector<T> &data, int64_t cols = 0) {
  std::string s = "dense<[";
  for (size_t k = 0; k < data.size(); ++k) {
    if (cols && k % cols == 0)
      s += k ? "], [" : "[";
    else if (k)
      s += ", ";
    if constexpr (std::is_floating_point_v<T>) {
      char buf[32];
      std::snprintf(buf, sizeof(buf), "%.9g", double(data[k]));
      s += buf;
      if (!std::strpbrk(buf, ".en"))
        s += ".0";
    } else {
      s += std::to_string(int64_t(data[k]));
    }
  }
  return s + (cols ? "]]>" : "]>");
}

/// A context with the dialects of the lowered kernels, and the passes
/// registered for parsePassPipeline.
std::unique_ptr<MLIRContext> makeContext() {
  static bool registered = [] {
    hinm::registerAllPasses();
    registerTransformsPasses();
    return true;
  }();
  (void)registered;
  DialectRegistry registry;
  hinm::registerAllDialects(registry);
  registry.insert<arith::ArithDialect, bufferization::BufferizationDialect,
                  func::FuncDialect, gpu::GPUDialect, LLVM::LLVMDialect,
                  memref::MemRefDialect, nvgpu::NVGPUDialect, NVVM::NVVMDialect,
                  scf::SCFDialect, tensor::TensorDialect, linalg::LinalgDialect,
                  vector::VectorDialect>();
  auto ctx = std::make_unique<MLIRContext>(registry);
  ctx->loadAllAvailableDialects();
  return ctx;
}

/// A random HiNM matrix (rows x cols, vector size v, `kept` columns per
/// block, 2:4) with small-integer values, exact in f16 and f32, rows moved
/// by a random permutation.
hinm::HiNMStorage randomStorage(std::mt19937 &rng, int64_t rows, int64_t cols,
                                int64_t v, int64_t kept) {
  std::uniform_int_distribution<int> val(-3, 3);
  hinm::HiNMFormat f{v, kept, 2, 4};
  int64_t p = f.paddedRows(rows);
  std::vector<float> dense(rows * cols);
  for (float &d : dense)
    d = float(val(rng));
  hinm::HiNMSelection sel;
  sel.rowPerm.resize(p);
  std::iota(sel.rowPerm.begin(), sel.rowPerm.end(), 0);
  std::shuffle(sel.rowPerm.begin(), sel.rowPerm.end(), rng);
  for (int64_t b = 0; b < f.numBlocks(rows); ++b) {
    std::vector<int32_t> order(cols);
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    sel.vectorIndex.insert(sel.vectorIndex.end(), order.begin(),
                           order.begin() + kept);
  }
  sel.nmMask.assign(p * kept, 0);
  for (int64_t r = 0; r < p; ++r)
    for (int64_t g = 0; g < kept / 4; ++g) {
      std::array<int, 4> pos = {0, 1, 2, 3};
      std::shuffle(pos.begin(), pos.end(), rng);
      sel.nmMask[r * kept + g * 4 + pos[0]] = 1;
      sel.nmMask[r * kept + g * 4 + pos[1]] = 1;
    }
  return hinm::pack(dense.data(), rows, cols, f, sel);
}

template <typename Range> std::vector<double> toDoubles(const Range &r) {
  return std::vector<double>(r.begin(), r.end());
}

/// The interpreter's buffers of the four storage parts of `st` (vector size
/// `v`, `kept` columns per block), in operand order; metadata words as the
/// kernel's memref<...xi32> reads them.
std::vector<Buffer> storageBuffers(const hinm::HiNMStorage &st, int64_t v,
                                   int64_t kept) {
  int64_t p = int64_t(st.rowPerm.size());
  std::vector<Buffer> b = {{{p, kept / 2}, toDoubles(st.values)},
                           {{p / v, kept}, toDoubles(st.vectorIndex)},
                           {{p, kept / 32}, {}},
                           {{p}, toDoubles(st.rowPerm)}};
  for (uint32_t word : st.metadata)
    b[2].data.push_back(double(int32_t(word)));
  return b;
}

/// Parses `src` and runs `pipeline` on it; null, with a test failure, when
/// either fails.
OwningOpRef<ModuleOp> parseAndLower(MLIRContext *ctx, const std::string &src,
                                    StringRef pipeline) {
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(src, ctx);
  if (!module) {
    ADD_FAILURE() << "the test program does not parse";
    return nullptr;
  }
  PassManager pm(ctx);
  if (failed(parsePassPipeline(pipeline, pm)) || failed(pm.run(*module))) {
    ADD_FAILURE() << "pipeline failed: " << pipeline.str();
    return nullptr;
  }
  return module;
}

/// The `!hinm.matrix` type of a 32-row f16 layer with `cols` columns and
/// `kept` of them per block (V = 32, 2:4), and the function arguments of
/// its four storage parts, named %v<k>, %i<k>, %m<k> and %p<k>.
std::pair<std::string, std::string>
storageSignature(const std::string &k, int64_t cols, int64_t kept) {
  std::string mat =
      "!hinm.matrix<32x" + std::to_string(cols) +
      "xf16, #hinm.format<vector_size = 32, kept = " + std::to_string(kept) +
      ", n = 2, m = 4>>";
  std::string args =
      "%v" + k + ": tensor<32x" + std::to_string(kept / 2) + "xf16>, %i" + k +
      ": tensor<1x" + std::to_string(kept) + "xi32>, %m" + k + ": tensor<32x" +
      std::to_string(kept / 32) + "xi32>, %p" + k + ": tensor<32xi32>";
  return {mat, args};
}

/// Binds the gpu.memcpy ops of `module` in `in`: the device copy of
/// function argument i reads args[i], a copy back to the host writes `out`.
/// Returns the number of copies in and out.
std::pair<int, int> bindCopies(ModuleOp module, Interpreter &in,
                               std::vector<Buffer> &args, Buffer &out) {
  int copiesIn = 0, copiesOut = 0;
  module->walk([&](gpu::MemcpyOp cp) {
    if (auto tb = cp.getSrc().getDefiningOp<bufferization::ToBufferOp>()) {
      in.mems[cp.getDst()] =
          &args[cast<BlockArgument>(tb.getTensor()).getArgNumber()];
      ++copiesIn;
    } else {
      in.mems[cp.getSrc()] = &out;
      ++copiesOut;
    }
  });
  return {copiesIn, copiesOut};
}

/// The value of a constant index (a launch's grid and block sizes).
int64_t constIndex(Value v) {
  return cast<IntegerAttr>(v.getDefiningOp<arith::ConstantOp>().getValue())
      .getInt();
}

/// `x` rounded to f16 (to nearest, ties to even), as the kernels' casts do.
float toHalf(float x) {
  llvm::APFloat f(x);
  bool lost = false;
  (void)f.convert(llvm::APFloat::IEEEhalf(), llvm::APFloat::rmNearestTiesToEven,
                  &lost);
  return float(f.convertToDouble());
}

/// Runs every block of `launch` (grid gx x gy) through `in`, whose device
/// buffers and captured values are bound; shared memory starts as NaN.
/// Returns the interpreter's error, or "".
std::string runLaunch(Interpreter &in, gpu::LaunchOp launch, int64_t gx,
                      int64_t gy) {
  int64_t threads = in.threads;
  std::vector<Buffer> smem;
  for (Value wg : launch.getWorkgroupAttributions()) {
    auto t = cast<MemRefType>(wg.getType());
    smem.push_back(
        {std::vector<int64_t>(t.getShape().begin(), t.getShape().end()), {}});
  }
  for (int64_t bx = 0; bx < gx; ++bx)
    for (int64_t by = 0; by < gy; ++by) {
      for (auto [wg, buf] :
           llvm::zip(launch.getWorkgroupAttributions(), smem)) {
        int64_t n = 1;
        for (int64_t s : buf.shape)
          n *= s;
        buf.data.assign(n, NAN); // unwritten shared memory poisons results
        in.mems[wg] = &buf;
      }
      Lanes tid(threads), zero(threads, {0.0});
      for (int64_t l = 0; l < threads; ++l)
        tid[l] = {double(l)};
      in.vals[launch.getThreadIds().x] = tid;
      in.vals[launch.getThreadIds().y] = zero;
      in.vals[launch.getThreadIds().z] = zero;
      in.vals[launch.getBlockIds().x] = Lanes(threads, {double(bx)});
      in.vals[launch.getBlockIds().y] = Lanes(threads, {double(by)});
      in.vals[launch.getBlockIds().z] = zero;
      in.vals[launch.getGridSize().x] = Lanes(threads, {double(gx)});
      in.vals[launch.getGridSize().y] = Lanes(threads, {double(gy)});
      in.vals[launch.getGridSize().z] = Lanes(threads, {1.0});
      in.vals[launch.getBlockSize().x] = Lanes(threads, {double(threads)});
      in.vals[launch.getBlockSize().y] = Lanes(threads, {1.0});
      in.vals[launch.getBlockSize().z] = Lanes(threads, {1.0});
      in.uncommitted.assign(threads, {});
      in.groups.assign(threads, {});
      std::vector<bool> all(threads, true);
      for (Operation &op : launch.getBody().front())
        if (!in.run(op, all))
          return in.error;
    }
  return "";
}

void runCase(const Case &c, bool landAtWait);

void runCase(const Case &c) {
  runCase(c, /*landAtWait=*/false);
  runCase(c, /*landAtWait=*/true);
}

void runCase(const Case &c, bool landAtWait) {
  SCOPED_TRACE(
      "rows=" + std::to_string(c.rows) + " cols=" + std::to_string(c.cols) +
      " V=" + std::to_string(c.v) + " kept=" + std::to_string(c.kept) +
      " N=" + std::to_string(c.n) + " " + c.options +
      (landAtWait ? " (copies land at the wait)" : " (copies land at issue)"));
  std::mt19937 rng(c.seed);
  std::uniform_int_distribution<int> val(-3, 3);
  int64_t p = hinm::HiNMFormat{c.v, c.kept, 2, 4}.paddedRows(c.rows);
  hinm::HiNMStorage w = randomStorage(rng, c.rows, c.cols, c.v, c.kept);
  std::vector<float> x(c.cols * c.n);
  for (float &e : x)
    e = float(val(rng));
  // Epilogue operands: small integers (and halves), exact in f16 and f32.
  std::vector<float> bias(c.rows), full(c.rows * c.n), perCol(c.n),
      perRow(c.rows);
  for (float &e : bias)
    e = float(val(rng)) + 0.5f;
  for (float &e : full)
    e = float(val(rng));
  for (float &e : perCol)
    e = float(val(rng));
  for (float &e : perRow)
    e = float(val(rng));
  const float scalarArg = 2.0f;

  // The program, lowered as --hinm-gpu-pipeline does before outlining.
  std::string res = c.f16Result ? "f16" : "f32";
  std::string mat = "!hinm.matrix<" + std::to_string(c.rows) + "x" +
                    std::to_string(c.cols) + "x" + c.elt +
                    ", #hinm.format<vector_size = " +
                    std::to_string(c.v) + ", kept = " + std::to_string(c.kept) +
                    ", n = 2, m = 4>>";
  auto t2 = [](int64_t a, int64_t b, const std::string &e) {
    return "tensor<" + std::to_string(a) + "x" + std::to_string(b) + "x" + e + ">";
  };
  std::string tv = t2(p, c.kept / 2, c.elt), ti = t2(p / c.v, c.kept, "i32"),
              tm = t2(p, c.kept / 32, "i32"),
              tp = "tensor<" + std::to_string(p) + "xi32>",
              tx = t2(c.cols, c.n, c.elt), ty = t2(c.rows, c.n, res);
  if (c.dynamicN) {
    tx = "tensor<" + std::to_string(c.cols) + "x?x" + c.elt + ">";
    ty = "tensor<" + std::to_string(c.rows) + "x?x" + res + ">";
  }
  // The function's extra arguments and result type with a tail.
  std::string rs = std::to_string(c.rows), ns = std::to_string(c.n);
  std::string extraArgs, fty = ty;
  if (c.tail == Case::Tail::ArgOps)
    extraArgs = ", %e: " + ty + ", %c: tensor<" + ns + "xf32>, %r: tensor<" +
                rs + "xf32>, %s: f32";
  if (c.tail == Case::Tail::BiasReluF16)
    fty = t2(c.rows, c.n, "f16");
  std::string src = "func.func @f(%v: " + tv + ", %i: " + ti + ", %m: " + tm +
                    ", %p: " + tp + ", %x: " + tx + extraArgs + ") -> " + fty +
                    " {\n";
  if (c.constantWeights) {
    std::vector<int32_t> words(w.metadata.begin(), w.metadata.end());
    src = "func.func @f(%x: " + tx + extraArgs + ") -> " + fty + " {\n" +
          "  %v = arith.constant " + denseLiteral(w.values, c.kept / 2) +
          " : " + tv + "\n" + "  %i = arith.constant " +
          denseLiteral(w.vectorIndex, c.kept) + " : " + ti + "\n" +
          "  %m = arith.constant " + denseLiteral(words, c.kept / 32) + " : " +
          tm + "\n" + "  %p = arith.constant " + denseLiteral(w.rowPerm) +
          " : " + tp + "\n";
  }
  src += "  %w = hinm.assemble %v, %i, %m, %p : " + mat + "\n" +
         "  %y = hinm.matmul %w, %x : " + mat + ", " + tx + " -> " + ty + "\n";
  const std::string id = "affine_map<(i, j) -> (i, j)>",
                    par = "iterator_types = [\"parallel\", \"parallel\"]";
  std::string ret = "%y";
  if (c.tail == Case::Tail::BiasReluF16) {
    src += "  %bias = arith.constant " + denseLiteral(bias) + " : tensor<" +
           rs + "xf32>\n  %zero = arith.constant 0.0 : f32\n" +
           "  %e0 = tensor.empty() : " + fty + "\n" +
           "  %z = linalg.generic {indexing_maps = [" + id +
           ", affine_map<(i, j) -> (i)>, " + id + "], " + par +
           "} ins(%y, %bias : " + ty + ", tensor<" + rs +
           "xf32>) outs(%e0 : " + fty +
           ") {\n  ^bb0(%a: f32, %b: f32, %o: f16):\n" +
           "    %ts = arith.addf %a, %b : f32\n" +
           "    %tm = arith.maximumf %ts, %zero : f32\n" +
           "    %th = arith.truncf %tm : f32 to f16\n" +
           "    linalg.yield %th : f16\n  } -> " + fty + "\n";
    ret = "%z";
  } else if (c.tail == Case::Tail::ArgOps) {
    src += "  %e1 = tensor.empty() : " + ty + "\n" +
           "  %t1 = linalg.add ins(%y, %e : " + ty + ", " + ty +
           ") outs(%e1 : " + ty + ") -> " + ty + "\n" +
           "  %t2 = linalg.generic {indexing_maps = [" + id +
           ", affine_map<(i, j) -> (j)>, affine_map<(i, j) -> ()>, " + id +
           "], " + par + "} ins(%t1, %c, %s : " + ty + ", tensor<" + ns +
           "xf32>, f32) outs(%e1 : " + ty + ") {\n" +
           "  ^bb0(%a: f32, %cc: f32, %ss: f32, %o: f32):\n" +
           "    %tq = arith.mulf %a, %ss : f32\n" +
           "    %td = arith.subf %tq, %cc : f32\n" +
           "    linalg.yield %td : f32\n  } -> " + ty + "\n" +
           "  %bb = linalg.broadcast ins(%r : tensor<" + rs +
           "xf32>) outs(%e1 : " + ty + ") dimensions = [1]\n" +
           "  %z = linalg.max ins(%t2, %bb : " + ty + ", " + ty +
           ") outs(%e1 : " + ty + ") -> " + ty + "\n";
    ret = "%z";
  }
  src += "  return " + ret + " : " + fty + "\n}\n";

  std::unique_ptr<MLIRContext> ctxOwner = makeContext();
  MLIRContext &ctx = *ctxOwner;
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(src, &ctx);
  ASSERT_TRUE(module);
  PassManager pm(&ctx);
  // (pm is anchored on the module already: no builtin.module(...) here.)
  // hinm-lower-sparse-mma runs as in the pipeline (there after outlining):
  // bf16 and ordered-metadata mma.sp become nvvm.mma.sp.sync, whose operand
  // unpacking the interpreter then checks too.
  std::string pipeline = "convert-hinm-to-nvgpu{" + c.options +
                         "},canonicalize,cse,hinm-lower-sparse-mma";
  ASSERT_TRUE(succeeded(parsePassPipeline(pipeline, pm)));
  ASSERT_TRUE(succeeded(pm.run(*module)));
  {
    int nvvmOrdered = 0, nvvmPlain = 0, nvgpu = 0;
    module->walk([&](Operation *op) {
      if (auto m = dyn_cast<NVVM::MmaSpOp>(op))
        ++(m.getOrderedMetadata() ? nvvmOrdered : nvvmPlain);
      nvgpu += isa<nvgpu::MmaSparseSyncOp>(op);
    });
    // Plain f16 stays nvgpu (upstream lowers it); bf16 or ordered become
    // nvvm ops, ordered exactly when asked for.
    bool lowered = c.expectOrdered || c.elt == "bf16";
    EXPECT_EQ(nvgpu == 0, lowered);
    EXPECT_EQ(nvvmOrdered > 0, c.expectOrdered);
    EXPECT_EQ(nvvmPlain > 0, lowered && !c.expectOrdered);
  }

  gpu::LaunchOp launch;
  module->walk([&](gpu::LaunchOp l) { launch = l; });
  ASSERT_TRUE(launch) << [&] {
    std::string s;
    llvm::raw_string_ostream os(s);
    module->print(os);
    return s;
  }();

  // Bind the device buffers: gpu.memcpy(alloc, to_buffer(%argN)) gives the
  // input of each alloc; the alloc copied back to the host is the output.
  std::vector<Buffer> args = storageBuffers(w, c.v, c.kept);
  args.push_back({{c.cols, c.n}, toDoubles(x)});
  args.push_back({{c.rows, c.n}, toDoubles(full)});
  args.push_back({{c.n}, toDoubles(perCol)});
  args.push_back({{c.rows}, toDoubles(perRow)});
  Buffer biasBuf{{c.rows}, toDoubles(bias)};
  Buffer outBuf{{c.rows, c.n}, std::vector<double>(c.rows * c.n, NAN)};
  std::vector<int> writes(c.rows * c.n, 0);
  Interpreter in;
  in.landAtWait = landAtWait;
  in.out = &outBuf;
  in.writes = &writes;
  int copies = 0;
  module->walk([&](gpu::MemcpyOp cp) {
    ++copies;
    Value dst = cp.getDst(), src = cp.getSrc();
    if (auto tb = src.getDefiningOp<bufferization::ToBufferOp>()) {
      auto arg = cast<BlockArgument>(tb.getTensor());
      // With constant parts the arguments start with the activations.
      in.mems[dst] = &args[arg.getArgNumber() + (c.constantWeights ? 4 : 0)];
    } else if (src.getDefiningOp<gpu::AllocOp>()) {
      in.mems[src] = &outBuf;
    }
  });
  // Constant parts: no copies, the kernel names one device global each.
  int globals = 0;
  launch.walk([&](memref::GetGlobalOp g) {
    static const char *const names[] = {"__hinm_values", "__hinm_vector_index",
                                        "__hinm_metadata", "__hinm_row_perm"};
    for (int k = 0; k < 4; ++k)
      if (g.getName() == names[k]) {
        in.mems[g.getResult()] = &args[k];
        ++globals;
      }
    if (g.getName() == "__hinm_epilogue") {
      in.mems[g.getResult()] = &biasBuf;
      ++globals;
    }
  });
  // The fused tail leaves no linalg op on the host.
  int linalgOps = 0;
  module->walk([&](Operation *op) {
    linalgOps += isa<linalg::LinalgOp>(op) && !isa<linalg::FillOp>(op);
  });
  EXPECT_EQ(linalgOps, 0);
  int tailCopies = c.tail == Case::Tail::ArgOps ? 3 : 0;
  EXPECT_EQ(copies, (c.constantWeights ? 2 : 6) + tailCopies);
  EXPECT_EQ(globals, (c.constantWeights ? 4 : 0) +
                         (c.tail == Case::Tail::BiasReluF16 ? 1 : 0));

  auto dim = [](Value v) -> int64_t {
    return cast<IntegerAttr>(v.getDefiningOp<arith::ConstantOp>().getValue())
        .getInt();
  };
  int64_t gx = dim(launch.getGridSizeX()), gy;
  int64_t threads = dim(launch.getBlockSizeX());
  in.threads = threads;
  // The scalar argument is captured by the launch.
  if (c.tail == Case::Tail::ArgOps) {
    auto func = cast<func::FuncOp>(launch->getParentOp());
    in.vals[func.getArguments().back()] = Lanes(threads, {scalarArg});
  }
  if (c.dynamicN) {
    // The host computes max(ceil(N / block_n), 1) column tiles from the
    // activations' N (tensor.dim), which the kernel also reads.
    int dims = 0;
    module->walk([&](tensor::DimOp d) {
      in.vals[d.getResult()] = Lanes(threads, {double(c.n)});
      ++dims;
    });
    ASSERT_EQ(dims, 1) << "expected one tensor.dim (N) on the host";
    auto tiling = launch->getAttrOfType<DictionaryAttr>("hinm.tiling");
    int64_t blockN = cast<IntegerAttr>(tiling.get("block_n")).getInt();
    gy = std::max<int64_t>(1, (c.n + blockN - 1) / blockN);
    ASSERT_FALSE(launch.getGridSizeY().getDefiningOp<arith::ConstantOp>());
  } else {
    gy = dim(launch.getGridSizeY());
  }
  std::string error = runLaunch(in, launch, gx, gy);
  ASSERT_TRUE(error.empty()) << error;

  std::vector<float> want(c.rows * c.n);
  hinm::referenceMatmul(w, x.data(), c.n, want.data());
  for (int64_t i = 0; i < c.rows * c.n; ++i) {
    int64_t r = i / c.n, col = i % c.n;
    if (c.tail == Case::Tail::BiasReluF16) {
      llvm::APFloat h(std::max(want[i] + bias[r], 0.0f));
      bool lost = false;
      (void)h.convert(llvm::APFloat::IEEEhalf(),
                      llvm::APFloat::rmNearestTiesToEven, &lost);
      want[i] = float(h.convertToDouble());
    } else if (c.tail == Case::Tail::ArgOps) {
      want[i] =
          std::max((want[i] + full[i]) * scalarArg - perCol[col], perRow[r]);
    }
  }
  for (int64_t i = 0; i < c.rows * c.n; ++i) {
    ASSERT_EQ(writes[i], 1) << "element " << i << " written " << writes[i]
                            << " times";
    ASSERT_EQ(outBuf.data[i], double(want[i]))
        << "row " << i / c.n << " col " << i % c.n;
  }
}

} // namespace

TEST(KernelInterpreter, DefaultTilesV32PaddingRows) {
  runCase({80, 128, 32, 64, 64, ""});
}

TEST(KernelInterpreter, SteadyStateLoopV32) {
  runCase({64, 256, 32, 192, 64, "stages=3", false, 2});
}

TEST(KernelInterpreter, V64F16AccumulationNPastTheTile) {
  runCase({128, 128, 64, 96, 40, "block-n=32 warps-n=2 stages=4", true, 3});
}

TEST(KernelInterpreter, TwoStagesWideWarps) {
  runCase({64, 256, 64, 128, 128, "block-n=128 warps-m=1 warps-n=4 stages=2",
           false, 4});
}

TEST(KernelInterpreter, KTile32AndKTile64TwoStages) {
  runCase({96, 256, 32, 128, 64, "k-tile=32", false, 6});
  runCase({64, 512, 64, 256, 64, "k-tile=64 stages=2", false, 7});
}

TEST(KernelInterpreter, PlainTwoFourV16) {
  runCase({48, 128, 16, 128, 64, "", false, 5});
}

TEST(KernelInterpreter, OrderedMetadataF32AndF16Accumulation) {
  // The nvvm.mma.sp.sync form (ordered metadata) of the f16 kernel; the
  // interpreter also checks every metadata group it feeds is ascending.
  Case a{80, 128, 32, 64, 64, "chip=sm_90", false, 8};
  a.expectOrdered = true; // auto: on for sm_90
  runCase(a);
  Case b{128, 128, 64, 96, 40, "ordered-metadata=true block-n=32 stages=4",
         true, 9};
  b.expectOrdered = true;
  runCase(b);
  Case off{64, 128, 32, 64, 64, "chip=sm_90 ordered-metadata=false", false,
           10};
  runCase(off);
}

TEST(KernelInterpreter, BF16WeightsF32Accumulation) {
  Case a{80, 256, 32, 128, 64, "", false, 12};
  a.elt = "bf16";
  runCase(a);
  Case b{64, 256, 64, 128, 40, "chip=sm_90 block-n=32 k-tile=32", false, 13};
  b.elt = "bf16";
  b.expectOrdered = true;
  runCase(b);
}

TEST(KernelInterpreter, DynamicN) {
  // N known only at run time: 40 (a partial column tile of 64) and 64 (a
  // full one, where a static N would need no guards), V = 32 and V = 64.
  Case a{80, 128, 32, 64, 40, "", false, 14};
  a.dynamicN = true;
  runCase(a);
  Case b{128, 256, 64, 128, 64, "block-n=32 stages=4", true, 15};
  b.dynamicN = true;
  runCase(b);
}

TEST(KernelInterpreter, ConstantWeightsFromDeviceGlobals) {
  // The storage parts are constants: the kernel reads them from device
  // globals (memref.get_global), and only the activations are copied in.
  Case a{80, 128, 32, 64, 64, "", false, 16};
  a.constantWeights = true;
  runCase(a);
  Case b{64, 256, 64, 128, 40, "chip=sm_90 block-n=32 k-tile=32", false, 17};
  b.elt = "bf16";
  b.expectOrdered = true;
  b.constantWeights = true;
  runCase(b);
}

TEST(KernelInterpreter, FusedEpilogue) {
  // Elementwise ops on the result run in the kernel before the store: a
  // constant bias (device global), ReLU and an f16 cast; then argument
  // operands by element, column, scalar and (through linalg.broadcast) row,
  // with a partial column tile (N = 40) whose guard must cover their loads.
  Case a{80, 128, 32, 64, 64, "", false, 18};
  a.tail = Case::Tail::BiasReluF16;
  runCase(a);
  Case b{64, 256, 64, 128, 40, "block-n=32", false, 19};
  b.tail = Case::Tail::ArgOps;
  runCase(b);
  Case cw{80, 128, 32, 64, 64, "chip=sm_90", false, 20};
  cw.constantWeights = true;
  cw.expectOrdered = true;
  cw.tail = Case::Tail::BiasReluF16;
  runCase(cw);
}

TEST(KernelInterpreter, TwoLayersBatchOneStayOnTheDevice) {
  // y = W2 f16(relu(W1 x + b1)) + b2 with a batch of one, lowered as the
  // GPU pipeline does before outlining: both layers padded to N = 8 and kept
  // padded, the bias, ReLU and cast fused into the first kernel, whose
  // output buffer the second kernel reads in place (no copy), the second
  // bias fused into the second kernel. The padded columns then carry
  // relu(b1) into the second layer instead of zeros; the real column must
  // still be exact.
  const int64_t r1 = 64, c1 = 128, k1 = 64, r2 = 32, k2 = 32, v = 32;
  for (bool landAtWait : {false, true}) {
    SCOPED_TRACE(landAtWait ? "copies land at the wait"
                            : "copies land at issue");
    std::mt19937 rng(31);
    std::uniform_int_distribution<int> val(-3, 3);
    hinm::HiNMStorage w1 = randomStorage(rng, r1, c1, v, k1);
    hinm::HiNMStorage w2 = randomStorage(rng, r2, r1, v, k2);
    std::vector<float> x(c1), b1(r1), b2(r2);
    for (float &e : x)
      e = float(val(rng));
    for (float &e : b1)
      e = float(val(rng)) + 0.5f;
    for (float &e : b2)
      e = float(val(rng));

    auto storageArgs = [](const std::string &k, int64_t rows, int64_t cols,
                          int64_t kept) {
      int64_t p = hinm::HiNMFormat{v, kept, 2, 4}.paddedRows(rows);
      std::string mat = "!hinm.matrix<" + std::to_string(rows) + "x" +
                        std::to_string(cols) +
                        "xf16, #hinm.format<vector_size = 32, kept = " +
                        std::to_string(kept) + ", n = 2, m = 4>>";
      std::string args =
          "%v" + k + ": tensor<" + std::to_string(p) + "x" +
          std::to_string(kept / 2) + "xf16>, %i" + k + ": tensor<" +
          std::to_string(p / v) + "x" + std::to_string(kept) + "xi32>, %m" + k +
          ": tensor<" + std::to_string(p) + "x" + std::to_string(kept / 32) +
          "xi32>, %p" + k + ": tensor<" + std::to_string(p) + "xi32>";
      return std::make_pair(mat, args);
    };
    auto [m1, a1] = storageArgs("1", r1, c1, k1);
    auto [m2, a2] = storageArgs("2", r2, r1, k2);
    std::string src =
        "#id = affine_map<(i, j) -> (i, j)>\n"
        "#row = affine_map<(i, j) -> (i)>\n"
        "func.func @f(" +
        a1 + ", " + a2 +
        ", %x: tensor<128x1xf16>, %b1: tensor<64xf32>, %b2: tensor<32xf32>)"
        " -> tensor<32x1xf32> {\n"
        "  %w1 = hinm.assemble %v1, %i1, %m1, %p1 : " +
        m1 +
        "\n"
        "  %w2 = hinm.assemble %v2, %i2, %m2, %p2 : " +
        m2 +
        "\n"
        "  %zero = arith.constant 0.0 : f32\n"
        "  %y = hinm.matmul %w1, %x : " +
        m1 +
        ", tensor<128x1xf16> -> tensor<64x1xf32>\n"
        "  %e = tensor.empty() : tensor<64x1xf16>\n"
        "  %h = linalg.generic {indexing_maps = [#id, #row, #id], "
        "iterator_types = "
        "[\"parallel\", \"parallel\"]} ins(%y, %b1 : tensor<64x1xf32>, "
        "tensor<64xf32>) "
        "outs(%e : tensor<64x1xf16>) {\n"
        "  ^bb0(%a: f32, %b: f32, %o: f16):\n"
        "    %s = arith.addf %a, %b : f32\n"
        "    %r = arith.maximumf %s, %zero : f32\n"
        "    %t = arith.truncf %r : f32 to f16\n"
        "    linalg.yield %t : f16\n"
        "  } -> tensor<64x1xf16>\n"
        "  %z = hinm.matmul %w2, %h : " +
        m2 +
        ", tensor<64x1xf16> -> tensor<32x1xf32>\n"
        "  %e2 = tensor.empty() : tensor<32x1xf32>\n"
        "  %out = linalg.generic {indexing_maps = [#id, #row, #id], "
        "iterator_types = "
        "[\"parallel\", \"parallel\"]} ins(%z, %b2 : tensor<32x1xf32>, "
        "tensor<32xf32>) "
        "outs(%e2 : tensor<32x1xf32>) {\n"
        "  ^bb0(%a: f32, %b: f32, %o: f32):\n"
        "    %s = arith.addf %a, %b : f32\n"
        "    linalg.yield %s : f32\n"
        "  } -> tensor<32x1xf32>\n"
        "  return %out : tensor<32x1xf32>\n}\n";

    std::unique_ptr<MLIRContext> ctx = makeContext();
    OwningOpRef<ModuleOp> module = parseAndLower(
        ctx.get(), src,
        "func.func(hinm-pad-matmul-columns),canonicalize,convert-hinm-to-nvgpu,"
        "canonicalize,cse,hinm-lower-sparse-mma");
    ASSERT_TRUE(module);
    SmallVector<gpu::LaunchOp> launches;
    int linalgOps = 0;
    module->walk([&](Operation *op) {
      if (auto l = dyn_cast<gpu::LaunchOp>(op))
        launches.push_back(l);
      linalgOps += isa<linalg::LinalgOp>(op) && !isa<linalg::FillOp>(op);
    });
    ASSERT_EQ(launches.size(), 2u);
    EXPECT_EQ(linalgOps, 0); // both tails fused

    // Host-to-device copies come from arguments (the activations through
    // their zero padding); the one copy back is the final result. Every
    // other device buffer is the first kernel's output.
    std::vector<Buffer> args = storageBuffers(w1, v, k1);
    for (Buffer &b : storageBuffers(w2, v, k2))
      args.push_back(b);
    std::vector<double> xPadded(c1 * 8, 0.0);
    for (int64_t k = 0; k < c1; ++k)
      xPadded[k * 8] = x[k];
    args.push_back({{c1, 8}, xPadded});
    args.push_back({{r1}, toDoubles(b1)});
    args.push_back({{r2}, toDoubles(b2)});
    Buffer outBuf{{r2, 8}, std::vector<double>(r2 * 8, NAN)};
    Buffer hidden{{r1, 8}, std::vector<double>(r1 * 8, NAN)};
    std::vector<int> writes(r2 * 8, 0);
    Interpreter in;
    in.landAtWait = landAtWait;
    in.out = &outBuf;
    in.writes = &writes;
    int copiesIn = 0, copiesOut = 0;
    module->walk([&](gpu::MemcpyOp cp) {
      if (auto tb = cp.getSrc().getDefiningOp<bufferization::ToBufferOp>()) {
        Value t = tb.getTensor();
        if (auto pad = t.getDefiningOp<tensor::PadOp>())
          t = pad.getSource(); // the activations, bound padded above
        in.mems[cp.getDst()] = &args[cast<BlockArgument>(t).getArgNumber()];
        ++copiesIn;
      } else {
        in.mems[cp.getSrc()] = &outBuf;
        ++copiesOut;
      }
    });
    EXPECT_EQ(copiesIn, 11); // 2 x 4 storage parts, x, b1, b2
    EXPECT_EQ(copiesOut, 1); // only the final result
    int others = 0;
    module->walk([&](gpu::AllocOp a) {
      if (!in.mems.count(a.getMemref())) {
        in.mems[a.getMemref()] = &hidden;
        ++others;
      }
    });
    EXPECT_EQ(others, 1);
    auto dim = [](Value val) {
      return cast<IntegerAttr>(
                 val.getDefiningOp<arith::ConstantOp>().getValue())
          .getInt();
    };
    for (gpu::LaunchOp l : launches) {
      in.threads = dim(l.getBlockSizeX());
      std::string error =
          runLaunch(in, l, dim(l.getGridSizeX()), dim(l.getGridSizeY()));
      ASSERT_TRUE(error.empty()) << error;
    }

    // Reference: the real column through both layers, on the CPU.
    std::vector<float> y(r1), h(r1), z(r2);
    hinm::referenceMatmul(w1, x.data(), 1, y.data());
    for (int64_t r = 0; r < r1; ++r) {
      llvm::APFloat f(std::max(y[r] + b1[r], 0.0f));
      bool lost = false;
      (void)f.convert(llvm::APFloat::IEEEhalf(),
                      llvm::APFloat::rmNearestTiesToEven, &lost);
      h[r] = float(f.convertToDouble());
      // The padded columns of the hidden layer hold relu(b1), not zeros.
      EXPECT_EQ(hidden.data[r * 8 + 1], std::max(b1[r], 0.0f)) << "row " << r;
    }
    hinm::referenceMatmul(w2, h.data(), 1, z.data());
    for (int64_t r = 0; r < r2; ++r) {
      EXPECT_EQ(writes[r * 8], 1) << "row " << r;
      EXPECT_EQ(outBuf.data[r * 8], double(z[r] + b2[r])) << "row " << r;
    }
  }
}

TEST(KernelInterpreter, ResidualInputStaysOnTheDevice) {
  // out = W2 h + h with h = f16(relu(W1 x)): the first kernel's output is
  // read in place by the second kernel twice, as its activations and as the
  // residual input of its epilogue, and freed once, after it. Only x, the
  // storage parts and the final result cross to or from the host.
  const int64_t r = 32, c1 = 64, n = 16, v = 32, kept1 = 32, kept2 = 32;
  std::mt19937 rng(53);
  std::uniform_int_distribution<int> val(-3, 3);
  hinm::HiNMStorage w1 = randomStorage(rng, r, c1, v, kept1);
  hinm::HiNMStorage w2 = randomStorage(rng, r, r, v, kept2);
  std::vector<float> x(c1 * n);
  for (float &e : x)
    e = float(val(rng));
  auto [m1, a1] = storageSignature("1", c1, kept1);
  auto [m2, a2] = storageSignature("2", r, kept2);
  std::string src =
      "#id = affine_map<(i, j) -> (i, j)>\n"
      "func.func @f(" +
      a1 + ", " + a2 +
      ", %x: tensor<64x16xf16>) -> tensor<32x16xf32> {\n"
      "  %w1 = hinm.assemble %v1, %i1, %m1, %p1 : " +
      m1 + "\n  %w2 = hinm.assemble %v2, %i2, %m2, %p2 : " + m2 +
      "\n  %zero = arith.constant 0.0 : f32\n"
      "  %y = hinm.matmul %w1, %x : " +
      m1 +
      ", tensor<64x16xf16> -> tensor<32x16xf32>\n"
      "  %e = tensor.empty() : tensor<32x16xf16>\n"
      "  %h = linalg.generic {indexing_maps = [#id, #id], iterator_types = "
      "[\"parallel\", \"parallel\"]} ins(%y : tensor<32x16xf32>) outs(%e : "
      "tensor<32x16xf16>) {\n"
      "  ^bb0(%a: f32, %o: f16):\n"
      "    %m = arith.maximumf %a, %zero : f32\n"
      "    %t = arith.truncf %m : f32 to f16\n"
      "    linalg.yield %t : f16\n"
      "  } -> tensor<32x16xf16>\n"
      "  %z = hinm.matmul %w2, %h : " +
      m2 +
      ", tensor<32x16xf16> -> tensor<32x16xf32>\n"
      "  %e2 = tensor.empty() : tensor<32x16xf32>\n"
      "  %out = linalg.generic {indexing_maps = [#id, #id, #id], "
      "iterator_types = [\"parallel\", \"parallel\"]} ins(%z, %h : "
      "tensor<32x16xf32>, tensor<32x16xf16>) outs(%e2 : tensor<32x16xf32>) {\n"
      "  ^bb0(%a: f32, %b: f16, %o: f32):\n"
      "    %bf = arith.extf %b : f16 to f32\n"
      "    %s = arith.addf %a, %bf : f32\n"
      "    linalg.yield %s : f32\n"
      "  } -> tensor<32x16xf32>\n"
      "  return %out : tensor<32x16xf32>\n}\n";

  std::unique_ptr<MLIRContext> ctx = makeContext();
  OwningOpRef<ModuleOp> module = parseAndLower(
      ctx.get(), src,
      "convert-hinm-to-nvgpu,canonicalize,cse,hinm-lower-sparse-mma");
  ASSERT_TRUE(module);
  SmallVector<gpu::LaunchOp> launches;
  int deallocs = 0;
  module->walk([&](Operation *op) {
    if (auto l = dyn_cast<gpu::LaunchOp>(op))
      launches.push_back(l);
    deallocs += isa<gpu::DeallocOp>(op);
  });
  ASSERT_EQ(launches.size(), 2u);

  std::vector<Buffer> args = storageBuffers(w1, v, kept1);
  for (Buffer &b : storageBuffers(w2, v, kept2))
    args.push_back(b);
  args.push_back({{c1, n}, toDoubles(x)});
  Buffer outBuf{{r, n}, std::vector<double>(r * n, NAN)};
  Buffer hidden{{r, n}, std::vector<double>(r * n, NAN)};
  Interpreter in;
  auto [copiesIn, copiesOut] = bindCopies(*module, in, args, outBuf);
  EXPECT_EQ(copiesIn, 9);  // 2 x 4 storage parts, x
  EXPECT_EQ(copiesOut, 1); // only the final result
  int others = 0;
  Value hiddenMem;
  module->walk([&](gpu::AllocOp a) {
    if (!in.mems.count(a.getMemref())) {
      in.mems[a.getMemref()] = &hidden;
      hiddenMem = a.getMemref();
      ++others;
    }
  });
  ASSERT_EQ(others, 1); // the first result, on the device
  // Every device buffer is freed once: 9 copies in, the first result, the
  // second result.
  EXPECT_EQ(deallocs, 11);
  int hiddenFrees = 0;
  module->walk([&](gpu::DeallocOp d) {
    if (d.getMemref() == hiddenMem) {
      ++hiddenFrees;
      // After the second launch, its last reader.
      EXPECT_TRUE(launches[1]->isBeforeInBlock(d));
    }
  });
  EXPECT_EQ(hiddenFrees, 1);
  std::vector<int> hiddenWrites(r * n, 0), outWrites(r * n, 0);
  Buffer *outs[] = {&hidden, &outBuf};
  std::vector<int> *writes[] = {&hiddenWrites, &outWrites};
  for (auto [i, l] : llvm::enumerate(launches)) {
    in.threads = constIndex(l.getBlockSizeX());
    in.out = outs[i];
    in.writes = writes[i];
    std::string error = runLaunch(in, l, constIndex(l.getGridSizeX()),
                                  constIndex(l.getGridSizeY()));
    ASSERT_TRUE(error.empty()) << "launch " << i << ": " << error;
  }

  std::vector<float> y(r * n), h(r * n), z(r * n);
  hinm::referenceMatmul(w1, x.data(), n, y.data());
  for (int64_t e = 0; e < r * n; ++e) {
    h[e] = toHalf(std::max(y[e], 0.0f));
    ASSERT_EQ(hiddenWrites[e], 1) << "element " << e;
    ASSERT_EQ(hidden.data[e], double(h[e])) << "element " << e;
  }
  hinm::referenceMatmul(w2, h.data(), n, z.data());
  for (int64_t e = 0; e < r * n; ++e) {
    ASSERT_EQ(outWrites[e], 1) << "element " << e;
    ASSERT_EQ(outBuf.data[e], double(z[e] + h[e])) << "element " << e;
  }
}

/// Two 3x3 convolutions (NCHW, batch 1, 8x8, padding 1) in the form
/// hinm-sparsify gives them: the first as a matmul on given im2col
/// activations, then the bias, ReLU and f16 cast in NCHW form, the zero
/// padding and the im2col gather of the second, and after the second the
/// reshape to NCHW and a ReLU, lowered (with hinm-sink-result-reshapes
/// first when `sinkReshapes`) and run launch by launch, every device buffer
/// checked against a CPU reference.
/// Without hinm-sink-result-reshapes the ops between the matmuls are one
/// gather kernel reading the first kernel's output on the device (no copy
/// back), whose output the second kernel reads, and the ReLU is a second
/// gather kernel, whose output alone is copied back (4 launches). With it,
/// the bias, ReLU and cast run in the first kernel's epilogue, the gather
/// kernel only moves f16 values, and the last ReLU runs in the second
/// kernel, whose output is copied back (3 launches).
static void runTwoConvolutions(bool sinkReshapes) {
  const int64_t ch = 32, k1 = 64, kept1 = 32, kept2 = 128, hw = 8, v = 32;
  const int64_t n = hw * hw, k2 = ch * 9;
  std::mt19937 rng(47);
  std::uniform_int_distribution<int> val(-3, 3);
  hinm::HiNMStorage w1 = randomStorage(rng, ch, k1, v, kept1);
  hinm::HiNMStorage w2 = randomStorage(rng, ch, k2, v, kept2);
  std::vector<float> x(k1 * n), bias(ch);
  for (float &e : x)
    e = float(val(rng));
  std::string biasText;
  for (float &e : bias) {
    e = float(val(rng)) + 0.5f;
    biasText += (biasText.empty() ? "" : ", ") + std::to_string(e);
  }
  auto [m1, a1] = storageSignature("1", k1, kept1);
  auto [m2, a2] = storageSignature("2", k2, kept2);
  std::string src =
      "#id4 = affine_map<(n, c, i, j) -> (n, c, i, j)>\n"
      "#chan = affine_map<(n, c, i, j) -> (c)>\n"
      "#im2col = affine_map<(c, kh, kw, n, oh, ow) -> (n, c, oh + kh, ow + "
      "kw)>\n"
      "#id6 = affine_map<(c, kh, kw, n, oh, ow) -> (c, kh, kw, n, oh, ow)>\n"
      "func.func @f(" +
      a1 + ", " + a2 +
      ", %x: tensor<64x64xf16>) -> tensor<1x32x8x8xf32> {\n"
      "  %w1 = hinm.assemble %v1, %i1, %m1, %p1 : " +
      m1 + "\n  %w2 = hinm.assemble %v2, %i2, %m2, %p2 : " + m2 +
      "\n  %bias = arith.constant dense<[" + biasText +
      "]> : tensor<32xf32>\n"
      "  %zero = arith.constant 0.0 : f32\n"
      "  %zh = arith.constant 0.0 : f16\n"
      "  %y = hinm.matmul %w1, %x : " +
      m1 +
      ", tensor<64x64xf16> -> tensor<32x64xf32>\n"
      "  %y4 = tensor.expand_shape %y [[0, 1], [2, 3]] output_shape [1, 32, "
      "8, 8] : tensor<32x64xf32> into tensor<1x32x8x8xf32>\n"
      "  %e = tensor.empty() : tensor<1x32x8x8xf16>\n"
      "  %h = linalg.generic {indexing_maps = [#id4, #chan, #id4], "
      "iterator_types = [\"parallel\", \"parallel\", \"parallel\", "
      "\"parallel\"]} ins(%y4, %bias : tensor<1x32x8x8xf32>, tensor<32xf32>) "
      "outs(%e : tensor<1x32x8x8xf16>) {\n"
      "  ^bb0(%a: f32, %b: f32, %o: f16):\n"
      "    %s = arith.addf %a, %b : f32\n"
      "    %r = arith.maximumf %s, %zero : f32\n"
      "    %t = arith.truncf %r : f32 to f16\n"
      "    linalg.yield %t : f16\n"
      "  } -> tensor<1x32x8x8xf16>\n"
      "  %hp = tensor.pad %h low[0, 0, 1, 1] high[0, 0, 1, 1] {\n"
      "  ^bb0(%i0: index, %i1_: index, %i2_: index, %i3: index):\n"
      "    tensor.yield %zh : f16\n"
      "  } : tensor<1x32x8x8xf16> to tensor<1x32x10x10xf16>\n"
      "  %e6 = tensor.empty() : tensor<32x3x3x1x8x8xf16>\n"
      "  %g = linalg.generic {indexing_maps = [#im2col, #id6], iterator_types "
      "= [\"parallel\", \"parallel\", \"parallel\", \"parallel\", "
      "\"parallel\", \"parallel\"]} ins(%hp : tensor<1x32x10x10xf16>) "
      "outs(%e6 : tensor<32x3x3x1x8x8xf16>) {\n"
      "  ^bb0(%in: f16, %o: f16):\n"
      "    linalg.yield %in : f16\n"
      "  } -> tensor<32x3x3x1x8x8xf16>\n"
      "  %x2 = tensor.collapse_shape %g [[0, 1, 2], [3, 4, 5]] : "
      "tensor<32x3x3x1x8x8xf16> into tensor<288x64xf16>\n"
      "  %z = hinm.matmul %w2, %x2 : " +
      m2 +
      ", tensor<288x64xf16> -> tensor<32x64xf32>\n"
      "  %z4 = tensor.expand_shape %z [[0, 1], [2, 3]] output_shape [1, 32, "
      "8, 8] : tensor<32x64xf32> into tensor<1x32x8x8xf32>\n"
      "  %ef = tensor.empty() : tensor<1x32x8x8xf32>\n"
      "  %r = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = "
      "[\"parallel\", \"parallel\", \"parallel\", \"parallel\"]} ins(%z4 : "
      "tensor<1x32x8x8xf32>) outs(%ef : tensor<1x32x8x8xf32>) {\n"
      "  ^bb0(%a: f32, %o: f32):\n"
      "    %m = arith.maximumf %a, %zero : f32\n"
      "    linalg.yield %m : f32\n"
      "  } -> tensor<1x32x8x8xf32>\n"
      "  return %r : tensor<1x32x8x8xf32>\n}\n";

  std::unique_ptr<MLIRContext> ctx = makeContext();
  OwningOpRef<ModuleOp> module = parseAndLower(
      ctx.get(), src,
      std::string(sinkReshapes ? "func.func(hinm-sink-result-reshapes)," : "") +
          "convert-hinm-to-nvgpu,canonicalize,cse,hinm-lower-sparse-mma");
  ASSERT_TRUE(module);
  SmallVector<gpu::LaunchOp> launches;
  int hostOps = 0;
  module->walk([&](Operation *op) {
    if (auto l = dyn_cast<gpu::LaunchOp>(op))
      launches.push_back(l);
    hostOps += isa<linalg::LinalgOp, tensor::PadOp, tensor::ExpandShapeOp,
                   tensor::CollapseShapeOp>(op) &&
               !isa<linalg::FillOp>(op); // fills: the run-time checks
  });
  // matmul, gather, matmul[, gather]; with the reshapes sunk, the last
  // expand_shape stays on the host (a reshape of the copied-back result).
  ASSERT_EQ(launches.size(), sinkReshapes ? 3u : 4u);
  EXPECT_EQ(hostOps, sinkReshapes ? 1 : 0);

  std::vector<Buffer> args = storageBuffers(w1, v, kept1);
  for (Buffer &b : storageBuffers(w2, v, kept2))
    args.push_back(b);
  args.push_back({{k1, n}, toDoubles(x)});
  Buffer biasBuf{{ch}, toDoubles(bias)};
  // The buffer copied back: the last gather kernel's NCHW output, or the
  // second kernel's 2-D one.
  Buffer outBuf{sinkReshapes ? std::vector<int64_t>{ch, n}
                             : std::vector<int64_t>{1, ch, hw, hw},
                std::vector<double>(ch * n, NAN)};
  Buffer hidden{{ch, n}, std::vector<double>(ch * n, NAN)};
  Buffer gathered{{k2, n}, std::vector<double>(k2 * n, NAN)};
  Buffer second{{ch, n}, std::vector<double>(ch * n, NAN)};
  Interpreter in;
  auto [copiesIn, copiesOut] = bindCopies(*module, in, args, outBuf);
  EXPECT_EQ(copiesIn, 9);  // 2 x 4 storage parts, x
  EXPECT_EQ(copiesOut, 1); // only the final result, after the ReLU
  // The other device buffers, in program order: the first result, the
  // gathered activations, the second result (copied back itself when its
  // ReLU is fused).
  std::vector<Buffer *> others;
  module->walk([&](gpu::AllocOp a) {
    if (in.mems.count(a.getMemref()))
      return;
    Buffer *b = a.getType().getShape()[0] == k2 ? &gathered
                : others.empty()                ? &hidden
                                                : &second;
    in.mems[a.getMemref()] = b;
    others.push_back(b);
  });
  EXPECT_EQ(others, sinkReshapes
                        ? (std::vector<Buffer *>{&hidden, &gathered})
                        : (std::vector<Buffer *>{&hidden, &gathered, &second}));
  // The bias: a device global of the kernel that applies it.
  int globals = 0;
  launches[sinkReshapes ? 0 : 1].walk([&](memref::GetGlobalOp g) {
    EXPECT_EQ(g.getName(), sinkReshapes ? "__hinm_epilogue" : "__hinm_gather");
    in.mems[g.getResult()] = &biasBuf;
    ++globals;
  });
  EXPECT_EQ(globals, 1);
  std::vector<int> outWrites(ch * n, 0), gatherWrites(k2 * n, 0),
      secondWrites(ch * n, 0);
  std::vector<int> hiddenWrites(ch * n, 0);
  std::vector<Buffer *> outs = {&hidden, &gathered, &second, &outBuf};
  std::vector<std::vector<int> *> writes = {&hiddenWrites, &gatherWrites,
                                            &secondWrites, &outWrites};
  if (sinkReshapes) {
    outs.erase(outs.begin() + 2);
    writes.erase(writes.begin() + 2);
  }
  for (auto [i, l] : llvm::enumerate(launches)) {
    in.threads = constIndex(l.getBlockSizeX());
    in.out = outs[i];
    in.writes = writes[i];
    std::string error = runLaunch(in, l, constIndex(l.getGridSizeX()),
                                  constIndex(l.getGridSizeY()));
    ASSERT_TRUE(error.empty()) << "launch " << i << ": " << error;
  }

  // Reference on the CPU: the first layer, its tail, the padded im2col
  // view, the second layer.
  std::vector<float> y(ch * n), h(ch * n), x2(k2 * n), z(ch * n);
  hinm::referenceMatmul(w1, x.data(), n, y.data());
  for (int64_t c = 0; c < ch; ++c)
    for (int64_t p = 0; p < n; ++p) {
      h[c * n + p] = toHalf(std::max(y[c * n + p] + bias[c], 0.0f));
    }
  for (int64_t c = 0; c < ch; ++c)
    for (int64_t kh = 0; kh < 3; ++kh)
      for (int64_t kw = 0; kw < 3; ++kw)
        for (int64_t oh = 0; oh < hw; ++oh)
          for (int64_t ow = 0; ow < hw; ++ow) {
            int64_t i = oh + kh - 1, j = ow + kw - 1;
            bool inside = i >= 0 && i < hw && j >= 0 && j < hw;
            x2[((c * 3 + kh) * 3 + kw) * n + oh * hw + ow] =
                inside ? h[c * n + i * hw + j] : 0.0f;
          }
  if (sinkReshapes)
    for (int64_t e = 0; e < ch * n; ++e) {
      ASSERT_EQ(hiddenWrites[e], 1) << "first result element " << e;
      ASSERT_EQ(hidden.data[e], double(h[e])) << "first result element " << e;
    }
  for (int64_t e = 0; e < k2 * n; ++e) {
    ASSERT_EQ(gatherWrites[e], 1) << "gathered element " << e;
    ASSERT_EQ(gathered.data[e], double(x2[e])) << "gathered element " << e;
  }
  hinm::referenceMatmul(w2, x2.data(), n, z.data());
  for (int64_t e = 0; e < ch * n; ++e) {
    if (!sinkReshapes) {
      ASSERT_EQ(secondWrites[e], 1) << "element " << e;
      ASSERT_EQ(second.data[e], double(z[e])) << "element " << e;
    }
    ASSERT_EQ(outWrites[e], 1) << "element " << e;
    ASSERT_EQ(outBuf.data[e], double(std::max(z[e], 0.0f))) << "element " << e;
  }
}

TEST(KernelInterpreter, TwoConvolutionsGatherOnTheDevice) {
  runTwoConvolutions(/*sinkReshapes=*/false);
}

TEST(KernelInterpreter, TwoConvolutionsTailsInTheKernels) {
  runTwoConvolutions(/*sinkReshapes=*/true);
}

TEST(PtxSemantics, UnorderedMetadataIsCaught) {
  // The check the interpreter applies to every ordered-metadata mma.sp:
  // ascending groups pass (0x4, 0x8, 0xC, 0x9, 0xD, 0xE), a descending or
  // repeated group in a lane that supplies metadata (lane % 4 < 2) fails,
  // lanes the hardware ignores for selector 0 are not checked.
  std::array<uint32_t, 32> e;
  e.fill(0xE9DC84E4u);
  EXPECT_EQ(hinm::ptx::unorderedMetadataLane(e), -1);
  e[6] = 0x0u; // lane 6 (t = 2) is not read
  EXPECT_EQ(hinm::ptx::unorderedMetadataLane(e), -1);
  e[5] = 0xE9DC84E1u; // lowest group of lane 5: indices 1, 0
  EXPECT_EQ(hinm::ptx::unorderedMetadataLane(e), 5);
  e[5] = 0xE9DC84E4u;
  e[0] = 0x59DC84E4u; // top group of lane 0 (row g + 8): 1, 1
  EXPECT_EQ(hinm::ptx::unorderedMetadataLane(e), 0);
}
