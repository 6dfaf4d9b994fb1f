//===- HiNMDialect.cpp - hinm dialect, attributes and types ---------------===//
//
// Part of the hinm project.
//
//===----------------------------------------------------------------------===//
#include "hinm/Dialect/HiNM/IR/HiNMDialect.h"
#include "hinm/Dialect/HiNM/IR/HiNMOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace hinm;

#include "hinm/Dialect/HiNM/IR/HiNMDialect.cpp.inc"

/// `64x128xf16` in `!hinm.matrix<64x128xf16, #hinm.format<...>>`.
static ParseResult parseMatrixShape(AsmParser &parser, int64_t &rows,
                                    int64_t &cols, Type &elementType) {
  SmallVector<int64_t> dims;
  SMLoc loc = parser.getCurrentLocation();
  if (parser.parseDimensionList(dims, /*allowDynamic=*/false,
                                /*withTrailingX=*/true) ||
      parser.parseType(elementType))
    return failure();
  if (dims.size() != 2)
    return parser.emitError(loc, "expected a 2-D shape, got ")
           << dims.size() << " dimensions";
  rows = dims[0];
  cols = dims[1];
  return success();
}

static void printMatrixShape(AsmPrinter &printer, int64_t rows, int64_t cols,
                             Type elementType) {
  printer << rows << "x" << cols << "x" << elementType;
}

#define GET_ATTRDEF_CLASSES
#include "hinm/Dialect/HiNM/IR/HiNMAttrs.cpp.inc"

#define GET_TYPEDEF_CLASSES
#include "hinm/Dialect/HiNM/IR/HiNMTypes.cpp.inc"

void HiNMDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "hinm/Dialect/HiNM/IR/HiNMOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "hinm/Dialect/HiNM/IR/HiNMAttrs.cpp.inc"
      >();
  addTypes<
#define GET_TYPEDEF_LIST
#include "hinm/Dialect/HiNM/IR/HiNMTypes.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// FormatAttr
//===----------------------------------------------------------------------===//

LogicalResult FormatAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 int64_t vectorSize, int64_t kept, int64_t n,
                                 int64_t m) {
  std::string err = ::hinm::HiNMFormat{vectorSize, kept, n, m}.validate();
  if (!err.empty())
    return emitError() << err;
  return success();
}

//===----------------------------------------------------------------------===//
// MatrixType
//===----------------------------------------------------------------------===//

LogicalResult MatrixType::verify(function_ref<InFlightDiagnostic()> emitError,
                                 int64_t rows, int64_t cols, Type elementType,
                                 FormatAttr format) {
  if (!elementType.isF16() && !elementType.isBF16() && !elementType.isF32())
    return emitError() << "HiNM element type must be f16, bf16 or f32, got "
                       << elementType;
  if (!format)
    return emitError() << "missing #hinm.format";
  std::string err = format.toLibrary().validateFor(rows, cols);
  if (!err.empty())
    return emitError() << err;
  return success();
}

int64_t MatrixType::getNumBlocks() const {
  return getFormat().toLibrary().numBlocks(getRows());
}
int64_t MatrixType::getPaddedRows() const {
  return getFormat().toLibrary().paddedRows(getRows());
}

RankedTensorType MatrixType::getValuesType() const {
  return RankedTensorType::get(
      {getPaddedRows(), getFormat().toLibrary().compressedCols()},
      getElementType());
}
RankedTensorType MatrixType::getVectorIndexType() const {
  return RankedTensorType::get({getNumBlocks(), getFormat().getKept()},
                               IntegerType::get(getContext(), 32));
}
RankedTensorType MatrixType::getMetadataType() const {
  return RankedTensorType::get(
      {getPaddedRows(), getFormat().toLibrary().metaWordsPerRow()},
      IntegerType::get(getContext(), 32));
}
RankedTensorType MatrixType::getRowPermType() const {
  return RankedTensorType::get({getPaddedRows()},
                               IntegerType::get(getContext(), 32));
}
RankedTensorType MatrixType::getDenseType() const {
  return RankedTensorType::get({getRows(), getCols()}, getElementType());
}

/// Folded storage and dense values become arith.constant ops.
Operation *HiNMDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                           Type type, Location loc) {
  auto typed = dyn_cast<TypedAttr>(value);
  if (!typed || typed.getType() != type)
    return nullptr;
  return arith::ConstantOp::create(builder, loc, type, typed);
}

/// `hinm.sparsify`: a dictionary of per-op hinm-sparsify options, each key
/// known and of its type. Whether the values make a usable format (V a
/// multiple of 16, N < M...) depends on the pass's other options, so the
/// pass checks that.
static LogicalResult verifySparsifyAttr(Operation *op, Attribute value) {
  auto dict = dyn_cast<DictionaryAttr>(value);
  if (!dict)
    return op->emitOpError() << "'" << kSparsifyAttrName
                             << "' must be a dictionary, got " << value;
  for (NamedAttribute entry : dict) {
    StringRef key = entry.getName().getValue();
    Attribute v = entry.getValue();
    auto isInteger = [&] {
      auto i = dyn_cast<IntegerAttr>(v);
      return i && !i.getType().isIndex();
    };
    bool ok;
    StringRef expected;
    if (key == "vector_size" || key == "n" || key == "m") {
      ok = isInteger();
      expected = "an integer";
    } else if (key == "vector_sparsity") {
      ok = isa<FloatAttr>(v);
      expected = "a float";
    } else if (key == "permute") {
      auto str = dyn_cast<StringAttr>(v);
      ok = str &&
           llvm::is_contained({"none", "ocp", "ivp", "2cp"}, str.getValue());
      expected = "\"none\", \"ocp\", \"ivp\" or \"2cp\"";
    } else {
      return op->emitOpError()
             << "'" << kSparsifyAttrName << "' has unknown key '" << key
             << "' (expected vector_size, vector_sparsity, n, m, permute)";
    }
    if (!ok)
      return op->emitOpError() << "'" << kSparsifyAttrName << "' key '" << key
                               << "' must be " << expected << ", got " << v;
  }
  return success();
}

/// Discardable `hinm.*` attributes. `hinm.n_multiple_of` promises the GPU
/// lowering that N is a multiple of its value, so the lowering drops its
/// run-time check: it must be a positive integer on a hinm.matmul. The
/// lowering's own attributes (`hinm.tiling`, `hinm.ordered_metadata`, ...)
/// live on gpu and nvgpu ops and are not checked here.
LogicalResult HiNMDialect::verifyOperationAttribute(Operation *op,
                                                    NamedAttribute attr) {
  if (attr.getName() == kSparsifyAttrName)
    return verifySparsifyAttr(op, attr.getValue());
  if (attr.getName() != kNMultipleOfAttrName)
    return success();
  if (!isa<MatmulOp>(op))
    return op->emitOpError()
           << "'" << kNMultipleOfAttrName << "' is only valid on hinm.matmul";
  auto value = dyn_cast<IntegerAttr>(attr.getValue());
  if (!value || value.getType().isIndex() || value.getInt() <= 0)
    return op->emitOpError() << "'" << kNMultipleOfAttrName
                             << "' must be a positive integer, got "
                             << attr.getValue();
  return success();
}
