/*===- Dialects.h - C API of the hinm dialect ---------------------*- C -*-===*\
|*                                                                            *|
|* Part of the hinm project. The MLIR C API (mlir-c) conventions: a dialect   *|
|* handle for registration, plain C entry points that register hinm's passes  *|
|* and pipelines, and builders/getters for #hinm.format and !hinm.matrix, so  *|
|* a compiler written in C, Rust, Python (ctypes) or another language can     *|
|* load and inspect hinm IR without C++.                                      *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/
#ifndef HINM_C_DIALECTS_H
#define HINM_C_DIALECTS_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// mlirGetDialectHandle__hinm__(): insert or load the hinm dialect with
/// mlirDialectHandleInsertDialect / mlirDialectHandleLoadDialect.
MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(HiNM, hinm);

/// Inserts everything hinm::registerAllDialects inserts (the hinm dialect
/// and the dialects its ops create) into `registry`.
MLIR_CAPI_EXPORTED void hinmRegisterAllDialects(MlirDialectRegistry registry);

/// Registers hinm's passes and conversions with the global pass registry, so
/// that mlirParsePassPipeline knows e.g. "hinm-print-isa". Idempotent.
MLIR_CAPI_EXPORTED void hinmRegisterPasses(void);

/// Registers hinm's named pass pipelines with the global registry.
/// Idempotent (MLIR itself aborts on a pipeline registered twice).
MLIR_CAPI_EXPORTED void hinmRegisterAllPipelines(void);

//===----------------------------------------------------------------------===//
// #hinm.format<vector_size = V, kept = K, n = N, m = M>
//===----------------------------------------------------------------------===//

/// True if `attr` is a #hinm.format attribute.
MLIR_CAPI_EXPORTED bool hinmAttributeIsAFormat(MlirAttribute attr);

/// Returns the #hinm.format with these parameters, or a null attribute (test
/// with mlirAttributeIsNull) after emitting the verifier's diagnostic on the
/// context if they are invalid (e.g. kept not a multiple of m).
MLIR_CAPI_EXPORTED MlirAttribute hinmFormatAttrGet(MlirContext ctx,
                                                   int64_t vectorSize,
                                                   int64_t kept, int64_t n,
                                                   int64_t m);

MLIR_CAPI_EXPORTED int64_t hinmFormatAttrGetVectorSize(MlirAttribute attr);
MLIR_CAPI_EXPORTED int64_t hinmFormatAttrGetKept(MlirAttribute attr);
MLIR_CAPI_EXPORTED int64_t hinmFormatAttrGetN(MlirAttribute attr);
MLIR_CAPI_EXPORTED int64_t hinmFormatAttrGetM(MlirAttribute attr);

//===----------------------------------------------------------------------===//
// !hinm.matrix<ROWSxCOLSxELT, #hinm.format<...>>
//===----------------------------------------------------------------------===//

/// True if `type` is a !hinm.matrix type.
MLIR_CAPI_EXPORTED bool hinmTypeIsAMatrix(MlirType type);

/// Returns the !hinm.matrix of logical shape [rows, cols], element type
/// `elementType` (f16, bf16 or f32) and format `format` (a #hinm.format), in
/// the context of `elementType`; a null type (mlirTypeIsNull) after emitting
/// the verifier's diagnostic if the combination is invalid.
MLIR_CAPI_EXPORTED MlirType hinmMatrixTypeGet(int64_t rows, int64_t cols,
                                              MlirType elementType,
                                              MlirAttribute format);

MLIR_CAPI_EXPORTED int64_t hinmMatrixTypeGetRows(MlirType type);
MLIR_CAPI_EXPORTED int64_t hinmMatrixTypeGetCols(MlirType type);
MLIR_CAPI_EXPORTED MlirType hinmMatrixTypeGetElementType(MlirType type);
MLIR_CAPI_EXPORTED MlirAttribute hinmMatrixTypeGetFormat(MlirType type);
/// Rows rounded up to a multiple of vector_size (the stored row count).
MLIR_CAPI_EXPORTED int64_t hinmMatrixTypeGetPaddedRows(MlirType type);
/// Number of vector_size-row blocks.
MLIR_CAPI_EXPORTED int64_t hinmMatrixTypeGetNumBlocks(MlirType type);

/// The ranked tensor types of the four storage parts (see hinm.assemble) and
/// of the dense logical matrix.
MLIR_CAPI_EXPORTED MlirType hinmMatrixTypeGetValuesType(MlirType type);
MLIR_CAPI_EXPORTED MlirType hinmMatrixTypeGetVectorIndexType(MlirType type);
MLIR_CAPI_EXPORTED MlirType hinmMatrixTypeGetMetadataType(MlirType type);
MLIR_CAPI_EXPORTED MlirType hinmMatrixTypeGetRowPermType(MlirType type);
MLIR_CAPI_EXPORTED MlirType hinmMatrixTypeGetDenseType(MlirType type);

#ifdef __cplusplus
}
#endif

#endif // HINM_C_DIALECTS_H
