//===- Dialects.cpp - C API of the hinm dialect ---------------------------===//
//
// Part of the hinm project.
//
//===----------------------------------------------------------------------===//
#include "hinm-c/Dialects.h"

#include "hinm/Dialect/HiNM/IR/HiNMDialect.h"
#include "hinm/InitAll.h"
#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Registration.h"
#include "mlir/IR/Diagnostics.h"

#include <mutex>

using namespace mlir;
using namespace hinm;

MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(HiNM, hinm, ::hinm::HiNMDialect)

void hinmRegisterAllDialects(MlirDialectRegistry registry) {
  hinm::registerAllDialects(*unwrap(registry));
}

void hinmRegisterPasses(void) {
  static std::once_flag once;
  std::call_once(once, [] { hinm::registerAllPasses(); });
}

void hinmRegisterAllPipelines(void) {
  // Pipelines abort when registered twice: keep repeated calls harmless.
  static std::once_flag once;
  std::call_once(once, [] { hinm::registerAllPipelines(); });
}

//===----------------------------------------------------------------------===//
// #hinm.format
//===----------------------------------------------------------------------===//

bool hinmAttributeIsAFormat(MlirAttribute attr) {
  return isa<FormatAttr>(unwrap(attr));
}

MlirAttribute hinmFormatAttrGet(MlirContext ctx, int64_t vectorSize,
                                int64_t kept, int64_t n, int64_t m) {
  MLIRContext *context = unwrap(ctx);
  // getChecked reports a bad parameter set as a diagnostic and returns null,
  // instead of the verifier failure that FormatAttr::get would be.
  return wrap(FormatAttr::getChecked(
      [context] { return emitError(UnknownLoc::get(context)); }, context,
      vectorSize, kept, n, m));
}

int64_t hinmFormatAttrGetVectorSize(MlirAttribute attr) {
  return cast<FormatAttr>(unwrap(attr)).getVectorSize();
}
int64_t hinmFormatAttrGetKept(MlirAttribute attr) {
  return cast<FormatAttr>(unwrap(attr)).getKept();
}
int64_t hinmFormatAttrGetN(MlirAttribute attr) {
  return cast<FormatAttr>(unwrap(attr)).getN();
}
int64_t hinmFormatAttrGetM(MlirAttribute attr) {
  return cast<FormatAttr>(unwrap(attr)).getM();
}

//===----------------------------------------------------------------------===//
// !hinm.matrix
//===----------------------------------------------------------------------===//

bool hinmTypeIsAMatrix(MlirType type) { return isa<MatrixType>(unwrap(type)); }

MlirType hinmMatrixTypeGet(int64_t rows, int64_t cols, MlirType elementType,
                           MlirAttribute format) {
  Type elt = unwrap(elementType);
  MLIRContext *context = elt.getContext();
  auto emit = [context] { return emitError(UnknownLoc::get(context)); };
  auto fmt = dyn_cast_if_present<FormatAttr>(unwrap(format));
  if (!fmt) {
    emit() << "hinmMatrixTypeGet: format must be a #hinm.format attribute";
    return MlirType{nullptr};
  }
  return wrap(MatrixType::getChecked(emit, context, rows, cols, elt, fmt));
}

static MatrixType matrix(MlirType type) { return cast<MatrixType>(unwrap(type)); }

int64_t hinmMatrixTypeGetRows(MlirType type) { return matrix(type).getRows(); }
int64_t hinmMatrixTypeGetCols(MlirType type) { return matrix(type).getCols(); }
MlirType hinmMatrixTypeGetElementType(MlirType type) {
  return wrap(matrix(type).getElementType());
}
MlirAttribute hinmMatrixTypeGetFormat(MlirType type) {
  return wrap(Attribute(matrix(type).getFormat()));
}
int64_t hinmMatrixTypeGetPaddedRows(MlirType type) {
  return matrix(type).getPaddedRows();
}
int64_t hinmMatrixTypeGetNumBlocks(MlirType type) {
  return matrix(type).getNumBlocks();
}
MlirType hinmMatrixTypeGetValuesType(MlirType type) {
  return wrap(Type(matrix(type).getValuesType()));
}
MlirType hinmMatrixTypeGetVectorIndexType(MlirType type) {
  return wrap(Type(matrix(type).getVectorIndexType()));
}
MlirType hinmMatrixTypeGetMetadataType(MlirType type) {
  return wrap(Type(matrix(type).getMetadataType()));
}
MlirType hinmMatrixTypeGetRowPermType(MlirType type) {
  return wrap(Type(matrix(type).getRowPermType()));
}
MlirType hinmMatrixTypeGetDenseType(MlirType type) {
  return wrap(Type(matrix(type).getDenseType()));
}
