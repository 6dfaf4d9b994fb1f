//===- ConstantWeight.cpp - read compile-time weights for hinm-sparsify ---===//
//
// Part of the hinm project.
//
//===----------------------------------------------------------------------===//
#include "ConstantWeight.h"

#include "hinm/Dialect/HiNM/IR/HiNMStorage.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/PatternMatch.h"

#include <cstring>
#include <optional>
#include <variant>

using namespace mlir;
using namespace hinm;

namespace {

/// The elements of a float constant, read one at a time or all at once, as
/// f32: a slice of a large constant (one expert of a stack of them, one
/// group of a grouped filter) reads only its own elements.
class ElementReader {
public:
  /// A reader for `attr`, or the reason it cannot be read.
  static std::variant<ElementReader, std::string> get(Attribute attr);

  float at(int64_t i) const {
    if (dense) {
      if (dense.getElementType().isF32())
        return *(dense.value_begin<float>() + i);
      return toF32(*(dense.value_begin<APFloat>() + i));
    }
    if (width == 4) {
      float v;
      std::memcpy(&v, bytes + 4 * i, 4);
      return v;
    }
    uint16_t bits;
    std::memcpy(&bits, bytes + 2 * i, 2);
    return toF32(APFloat(*semantics, APInt(16, bits)));
  }
  std::vector<float> all() const {
    if (dense)
      return toFloats(dense);
    std::vector<float> out(count);
    if (width == 4) {
      std::memcpy(out.data(), bytes, 4 * count);
      return out;
    }
    for (int64_t i = 0; i < count; ++i)
      out[i] = at(i);
    return out;
  }

private:
  static float toF32(APFloat v) {
    bool lost;
    v.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven, &lost);
    return v.convertToFloat();
  }
  DenseElementsAttr dense;
  // A dense_resource blob: f32, f16 or bf16 elements in host byte order, as
  // MLIR writes them.
  const char *bytes = nullptr;
  int64_t width = 0;
  const llvm::fltSemantics *semantics = nullptr;
  int64_t count = 0;
};

std::variant<ElementReader, std::string> ElementReader::get(Attribute attr) {
  ElementReader r;
  if (auto d = dyn_cast<DenseElementsAttr>(attr)) {
    if (!isa<FloatType>(d.getElementType()))
      return std::string("the constant's elements are not floats");
    r.dense = d;
    r.count = d.getNumElements();
    return r;
  }
  auto res = dyn_cast<DenseResourceElementsAttr>(attr);
  if (!res)
    return std::string("only dense and dense_resource constants can be read");
  DialectResourceBlobHandle<BuiltinDialect> handle = res.getRawHandle();
  std::string name = handle.getKey().str();
  AsmResourceBlob *blob = handle.getBlob();
  if (!blob)
    return "its dense_resource blob '" + name +
           "' is not available (elided or missing)";
  Type elt = res.getElementType();
  if (!elt.isF32() && !elt.isF16() && !elt.isBF16())
    return std::string("dense_resource weights must be f32, f16 or bf16");
  ArrayRef<char> data = blob->getData();
  r.count = res.getNumElements();
  r.width = elt.getIntOrFloatBitWidth() / 8;
  if (int64_t(data.size()) != r.count * r.width)
    return "its dense_resource blob '" + name + "' holds " +
           std::to_string(data.size()) + " bytes where " +
           std::to_string(r.count) + " elements need " +
           std::to_string(r.count * r.width);
  r.bytes = data.data();
  r.semantics = &cast<FloatType>(elt).getFloatSemantics();
  return r;
}

/// For a linalg.generic on tensors with `loops` parallel loops, one input and
/// one output, whose body only yields its input element: that input (the op
/// copies it under its indexing maps). Null for any other op.
Value copyGenericInput(Operation *op, unsigned loops) {
  auto g = dyn_cast<linalg::GenericOp>(op);
  if (!g || !g.hasPureTensorSemantics() || g.getNumDpsInputs() != 1 ||
      g.getNumDpsInits() != 1 || g.getNumLoops() != loops ||
      g.getNumParallelLoops() != loops)
    return {};
  Block &body = g.getRegion().front();
  auto yield = dyn_cast<linalg::YieldOp>(body.getTerminator());
  if (body.getOperations().size() != 1 || !yield ||
      yield->getNumOperands() != 1 ||
      yield->getOperand(0) != body.getArgument(0))
    return {};
  return g.getDpsInputs()[0];
}

/// For an op that copies a tensor with its dimensions permuted, or reshapes
/// one (the row-major order of its elements unchanged): its source, and in
/// `perm` the permutation (result dimension i is the source's perm[i];
/// empty when the order is unchanged). Null for any other op.
Value copiedFrom(Operation *op, SmallVectorImpl<int64_t> &perm) {
  perm.clear();
  // TOSA's matmul is 3-D: a weight [K, N] reaches linalg.batch_matmul as
  // [1, K, N], which hinm-sparsify collapses back. torch-mlir reshapes a
  // grouped Conv2d's weight [F, C/G, KH, KW] into [G, F/G, C/G, KH, KW].
  if (auto c = dyn_cast<tensor::CollapseShapeOp>(op))
    return c.getSrc();
  if (auto e = dyn_cast<tensor::ExpandShapeOp>(op))
    return e.getSrc();
  Value src;
  if (auto t = dyn_cast<linalg::TransposeOp>(op)) {
    if (!t.hasPureTensorSemantics())
      return {};
    src = t.getInput();
    perm.assign(t.getPermutation().begin(), t.getPermutation().end());
  } else if (auto g = dyn_cast<linalg::GenericOp>(op)) {
    // torch-mlir's lowering of aten.t and aten.transpose: a generic that
    // yields its input, the input and output maps two permutations of the
    // loops. Result dimension i reads the loop of output result i, which is
    // input dimension perm[i].
    src = copyGenericInput(op, g.getNumLoops());
    if (!src)
      return {};
    SmallVector<AffineMap> maps = g.getIndexingMapsArray();
    if (!maps[0].isPermutation() || !maps[1].isPermutation())
      return {};
    for (unsigned i = 0; i < maps[1].getNumResults(); ++i)
      for (unsigned k = 0; k < maps[0].getNumResults(); ++k)
        if (maps[0].getDimPosition(k) == maps[1].getDimPosition(i))
          perm.push_back(k);
  } else {
    return {};
  }
  if (llvm::equal(perm, llvm::seq<int64_t>(0, int64_t(perm.size()))))
    perm.clear();
  return src;
}

/// The row-major values of a tensor of `shape` with its dimensions permuted
/// (result dimension i is source dimension perm[i]).
std::vector<float> permuted(const std::vector<float> &values,
                            ArrayRef<int64_t> shape, ArrayRef<int64_t> perm) {
  const int64_t rank = int64_t(shape.size());
  SmallVector<int64_t> stride(rank, 1), outShape(rank);
  for (int64_t d = rank - 2; d >= 0; --d)
    stride[d] = stride[d + 1] * shape[d + 1];
  for (int64_t d = 0; d < rank; ++d)
    outShape[d] = shape[perm[d]];
  std::vector<float> out;
  out.reserve(values.size());
  if (values.empty())
    return out;
  SmallVector<int64_t> idx(rank, 0);
  for (size_t n = 0; n < values.size(); ++n) {
    int64_t at = 0;
    for (int64_t d = 0; d < rank; ++d)
      at += idx[d] * stride[perm[d]];
    out.push_back(values[at]);
    for (int64_t d = rank - 1; d >= 0 && ++idx[d] == outShape[d]; --d)
      idx[d] = 0;
  }
  return out;
}

/// For a tensor.extract_slice with static offsets, sizes and strides of a
/// statically shaped tensor (a part of a fused weight, or one batch of a
/// stacked one): its source. Null for any other op.
tensor::ExtractSliceOp staticSlice(Operation *op) {
  auto s = dyn_cast_or_null<tensor::ExtractSliceOp>(op);
  auto isStatic = [](ArrayRef<int64_t> values) {
    return llvm::none_of(values, ShapedType::isDynamic);
  };
  if (!s || !isStatic(s.getStaticOffsets()) || !isStatic(s.getStaticSizes()) ||
      !isStatic(s.getStaticStrides()) || !s.getSourceType().hasStaticShape())
    return {};
  return s;
}

/// The elements of `slice` (row-major, the slice's own order: dropped unit
/// dimensions do not change it), `source(i)` being element i of the
/// row-major source.
template <typename ElementAt>
std::vector<float> gatherSlice(tensor::ExtractSliceOp slice, ElementAt source) {
  ArrayRef<int64_t> shape = slice.getSourceType().getShape();
  ArrayRef<int64_t> offsets = slice.getStaticOffsets();
  ArrayRef<int64_t> sizes = slice.getStaticSizes();
  ArrayRef<int64_t> strides = slice.getStaticStrides();
  const int64_t rank = int64_t(shape.size());
  int64_t count = 1;
  for (int64_t s : sizes)
    count *= s;
  std::vector<float> out;
  out.reserve(count);
  if (count == 0)
    return out;
  SmallVector<int64_t> idx(rank, 0);
  for (int64_t i = 0; i < count; ++i) {
    int64_t at = 0;
    for (int64_t d = 0; d < rank; ++d)
      at = at * shape[d] + offsets[d] + idx[d] * strides[d];
    out.push_back(source(at));
    for (int64_t d = rank - 1; d >= 0 && ++idx[d] == sizes[d]; --d)
      idx[d] = 0;
  }
  return out;
}

/// At most this many copies between a constant and its use are looked
/// through (real frontends emit one).
constexpr int kMaxCopies = 4;

/// What read() found: a ConstantWeight whose values are either in `w` or,
/// while only reshapes (which keep the row-major order) lie between the
/// constant and here, still in the constant (`lazy`), so that a slice reads
/// only its own elements.
struct Reading {
  ConstantWeight w;
  std::optional<ElementReader> lazy;

  /// The values, read from the constant if they are still there.
  std::vector<float> &values() {
    if (lazy) {
      w.values = lazy->all();
      lazy.reset();
    }
    return w.values;
  }
};

Reading read(Value v, int copies) {
  Operation *def = v.getDefiningOp();
  if (!def)
    return {};
  if (auto cst = dyn_cast<arith::ConstantOp>(def)) {
    Reading r;
    r.w.chain.push_back(def);
    auto reader = ElementReader::get(cst.getValue());
    if (auto *why = std::get_if<std::string>(&reader)) {
      r.w.kind = ConstantWeight::Kind::Unreadable;
      r.w.why = *why;
      return r;
    }
    r.w.kind = ConstantWeight::Kind::Readable;
    r.lazy = std::get<ElementReader>(reader);
    return r;
  }
  if (tensor::ExtractSliceOp slice = staticSlice(def)) {
    Reading r =
        copies < kMaxCopies ? read(slice.getSource(), copies + 1) : Reading();
    if (!r.w.isConstant())
      return r;
    r.w.chain.insert(r.w.chain.begin(), def);
    if (r.w.kind != ConstantWeight::Kind::Readable)
      return r;
    if (r.lazy) {
      const ElementReader &c = *r.lazy;
      r.w.values = gatherSlice(slice, [&](int64_t i) { return c.at(i); });
      r.lazy.reset();
    } else {
      const std::vector<float> &all = r.w.values;
      r.w.values = gatherSlice(slice, [&](int64_t i) { return all[i]; });
    }
    return r;
  }
  SmallVector<int64_t> perm;
  Value src = copies < kMaxCopies ? copiedFrom(def, perm) : Value();
  if (!src)
    return {};
  Reading r = read(src, copies + 1);
  if (!r.w.isConstant())
    return r;
  r.w.chain.insert(r.w.chain.begin(), def);
  if (r.w.kind == ConstantWeight::Kind::Readable && !perm.empty()) {
    auto type = dyn_cast<RankedTensorType>(src.getType());
    if (!type || !type.hasStaticShape()) {
      r.lazy.reset();
      r.w.kind = ConstantWeight::Kind::Unreadable;
      r.w.why = "a permuted weight must have a static shape";
      return r;
    }
    r.w.values = permuted(r.values(), type.getShape(), perm);
  }
  return r;
}

} // namespace

std::vector<float> hinm::transposed(const std::vector<float> &w, int64_t rows,
                                    int64_t cols) {
  std::vector<float> t(w.size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      t[c * rows + r] = w[r * cols + c];
  return t;
}

ConstantWeight hinm::readConstantWeight(Value v) {
  Reading r = read(v, 0);
  if (r.lazy)
    r.values();
  return std::move(r.w);
}

bool hinm::isConstantWeight(Value v) {
  // The walk of read(), without reading the values.
  for (int copies = 0; v; ++copies) {
    Operation *def = v.getDefiningOp();
    if (!def)
      return false;
    if (isa<arith::ConstantOp>(def))
      return true;
    SmallVector<int64_t> perm;
    if (copies >= kMaxCopies)
      return false;
    if (tensor::ExtractSliceOp slice = staticSlice(def))
      v = slice.getSource();
    else
      v = copiedFrom(def, perm);
  }
  return false;
}

Value hinm::batchBroadcastSource(Value v) {
  Operation *def = v.getDefiningOp();
  if (!def)
    return {};
  auto outType = dyn_cast<RankedTensorType>(v.getType());
  if (!outType || outType.getRank() != 3)
    return {};
  Value src;
  if (auto b = dyn_cast<linalg::BroadcastOp>(def)) {
    if (!b.hasPureTensorSemantics() ||
        b.getDimensions() != ArrayRef<int64_t>{0})
      return {};
    src = b.getInput();
  } else if ((src = copyGenericInput(def, 3))) {
    MLIRContext *ctx = def->getContext();
    AffineExpr d0, d1, d2;
    bindDims(ctx, d0, d1, d2);
    SmallVector<AffineMap> maps =
        cast<linalg::GenericOp>(def).getIndexingMapsArray();
    if (maps[0] != AffineMap::get(3, 0, {d1, d2}, ctx) || !maps[1].isIdentity())
      return {};
  } else {
    return {};
  }
  auto srcType = dyn_cast<RankedTensorType>(src.getType());
  if (!srcType || srcType.getRank() != 2)
    return {};
  return src;
}

void hinm::eraseDeadChain(RewriterBase &rewriter, const ConstantWeight &w) {
  for (Operation *op : w.chain) {
    if (!op->use_empty())
      return;
    rewriter.eraseOp(op);
  }
}
