//===- hinm-capi-test.c - exercise the hinm C API -------------------------===//
//
// Part of the hinm project.
//
//===----------------------------------------------------------------------===//

// RUN: hinm-capi-test 2>&1 | FileCheck %s
// The C API from plain C: dialect handle, #hinm.format and !hinm.matrix
// builders/getters (and their null result on bad parameters), parsing hinm IR,
// running the canonicalizer (constant hinm.pack folds), and registering hinm
// passes/pipelines so a textual pipeline can name them.

#include "hinm-c/Dialects.h"
#include "mlir-c/BuiltinAttributes.h"
#include "mlir-c/BuiltinTypes.h"
#include "mlir-c/Diagnostics.h"
#include "mlir-c/Dialect/Func.h"
#include "mlir-c/IR.h"
#include "mlir-c/Pass.h"
#include "mlir-c/Transforms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void printToStderr(MlirStringRef str, void *userData) {
  (void)userData;
  fwrite(str.data, 1, str.length, stderr);
}

static MlirLogicalResult printDiagnostic(MlirDiagnostic diag, void *userData) {
  (void)userData;
  fprintf(stderr, "diagnostic: ");
  mlirDiagnosticPrint(diag, printToStderr, NULL);
  fprintf(stderr, "\n");
  return mlirLogicalResultSuccess();
}

static void printType(const char *label, MlirType type) {
  fprintf(stderr, "%s: ", label);
  mlirTypePrint(type, printToStderr, NULL);
  fprintf(stderr, "\n");
}

// main() loads the dialect through its handle first.
// CHECK: loaded dialect: hinm

static void testFormat(MlirContext ctx) {
  // CHECK-LABEL: testFormat
  fprintf(stderr, "testFormat\n");
  MlirAttribute fmt = hinmFormatAttrGet(ctx, 32, 64, 2, 4);
  // CHECK: is format: 1
  fprintf(stderr, "is format: %d\n", hinmAttributeIsAFormat(fmt));
  // CHECK: #hinm.format<vector_size = 32, kept = 64, n = 2, m = 4>
  mlirAttributeDump(fmt);
  // CHECK: fields: 32 64 2 4
  fprintf(stderr, "fields: %lld %lld %lld %lld\n",
          (long long)hinmFormatAttrGetVectorSize(fmt),
          (long long)hinmFormatAttrGetKept(fmt),
          (long long)hinmFormatAttrGetN(fmt), (long long)hinmFormatAttrGetM(fmt));
  // A non-format attribute is not a format.
  // CHECK: unit is format: 0
  fprintf(stderr, "unit is format: %d\n",
          hinmAttributeIsAFormat(mlirUnitAttrGet(ctx)));
  // kept = 6 is not a multiple of m = 4: a diagnostic and a null attribute.
  // CHECK: diagnostic: {{.*}}kept
  // CHECK: bad format is null: 1
  MlirAttribute bad = hinmFormatAttrGet(ctx, 32, 6, 2, 4);
  fprintf(stderr, "bad format is null: %d\n", mlirAttributeIsNull(bad));
}

static void testMatrix(MlirContext ctx) {
  // CHECK-LABEL: testMatrix
  fprintf(stderr, "testMatrix\n");
  MlirAttribute fmt = hinmFormatAttrGet(ctx, 32, 128, 2, 4);
  MlirType m = hinmMatrixTypeGet(120, 256, mlirF16TypeGet(ctx), fmt);
  // CHECK: matrix: !hinm.matrix<120x256xf16, #hinm.format<vector_size = 32, kept = 128, n = 2, m = 4>>
  printType("matrix", m);
  // CHECK: is matrix: 1, f16 is matrix: 0
  fprintf(stderr, "is matrix: %d, f16 is matrix: %d\n", hinmTypeIsAMatrix(m),
          hinmTypeIsAMatrix(mlirF16TypeGet(ctx)));
  // 120 rows pad to 4 blocks of 32.
  // CHECK: rows 120 cols 256 padded 128 blocks 4 same format 1
  fprintf(stderr, "rows %lld cols %lld padded %lld blocks %lld same format %d\n",
          (long long)hinmMatrixTypeGetRows(m), (long long)hinmMatrixTypeGetCols(m),
          (long long)hinmMatrixTypeGetPaddedRows(m),
          (long long)hinmMatrixTypeGetNumBlocks(m),
          mlirAttributeEqual(hinmMatrixTypeGetFormat(m), fmt));
  // CHECK: element: f16
  printType("element", hinmMatrixTypeGetElementType(m));
  // values [128, 128/4*2], index [4, 128], metadata [128, 64/16], perm [128].
  // CHECK: values: tensor<128x64xf16>
  printType("values", hinmMatrixTypeGetValuesType(m));
  // CHECK: vector index: tensor<4x128xi32>
  printType("vector index", hinmMatrixTypeGetVectorIndexType(m));
  // CHECK: metadata: tensor<128x4xi32>
  printType("metadata", hinmMatrixTypeGetMetadataType(m));
  // CHECK: row perm: tensor<128xi32>
  printType("row perm", hinmMatrixTypeGetRowPermType(m));
  // CHECK: dense: tensor<120x256xf16>
  printType("dense", hinmMatrixTypeGetDenseType(m));
  // i32 elements are rejected by the type verifier.
  // CHECK: diagnostic: HiNM element type must be f16, bf16 or f32, got 'i32'
  // CHECK: bad matrix is null: 1
  MlirType bad =
      hinmMatrixTypeGet(120, 256, mlirIntegerTypeGet(ctx, 32), fmt);
  fprintf(stderr, "bad matrix is null: %d\n", mlirTypeIsNull(bad));
}

// A constant hinm.pack (16 rows, one block keeping columns 6, 1, 3, 0; rows 0
// and 1 swap places; row 0 keeps compacted positions 1 and 3).
static const char *kModule =
    "!W = !hinm.matrix<16x8xf32, #hinm.format<vector_size = 16, kept = 4, "
    "n = 2, m = 4>>\n"
    "func.func @pack() -> !W {\n"
    "  %d = arith.constant dense<2.0> : tensor<16x8xf32>\n"
    "  %p = arith.constant dense<[1, 0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, "
    "13, 14, 15]> : tensor<16xi32>\n"
    "  %i = arith.constant dense<[[6, 1, 3, 0]]> : tensor<1x4xi32>\n"
    "  %mask = arith.constant dense<[[true, false, true, false], "
    "[false, true, false, true], [true, false, true, false], "
    "[true, false, true, false], [true, false, true, false], "
    "[true, false, true, false], [true, false, true, false], "
    "[true, false, true, false], [true, false, true, false], "
    "[true, false, true, false], [true, false, true, false], "
    "[true, false, true, false], [true, false, true, false], "
    "[true, false, true, false], [true, false, true, false], "
    "[true, false, true, false]]> : tensor<16x4xi1>\n"
    "  %w = hinm.pack %d, %p, %i, %mask : !W\n"
    "  return %w : !W\n"
    "}\n";

static int testParseAndCanonicalize(MlirContext ctx) {
  // CHECK-LABEL: testParseAndCanonicalize
  fprintf(stderr, "testParseAndCanonicalize\n");
  MlirModule module =
      mlirModuleCreateParse(ctx, mlirStringRefCreateFromCString(kModule));
  if (mlirModuleIsNull(module)) {
    fprintf(stderr, "parse failed\n");
    return 1;
  }
  // The function's body: constants, then hinm.pack, then return.
  MlirOperation func =
      mlirBlockGetFirstOperation(mlirModuleGetBody(module));
  MlirBlock body = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
  for (MlirOperation op = mlirBlockGetFirstOperation(body);
       !mlirOperationIsNull(op); op = mlirOperationGetNextInBlock(op)) {
    MlirStringRef name = mlirIdentifierStr(mlirOperationGetName(op));
    if (name.length != 9 || strncmp(name.data, "hinm.pack", 9) != 0)
      continue;
    MlirType t = mlirValueGetType(mlirOperationGetResult(op, 0));
    // CHECK: pack result is matrix: 1, kept 4, blocks 1
    fprintf(stderr, "pack result is matrix: %d, kept %lld, blocks %lld\n",
            hinmTypeIsAMatrix(t),
            (long long)hinmFormatAttrGetKept(hinmMatrixTypeGetFormat(t)),
            (long long)hinmMatrixTypeGetNumBlocks(t));
  }

  MlirPassManager pm = mlirPassManagerCreate(ctx);
  mlirPassManagerAddOwnedPass(pm, mlirCreateTransformsCanonicalizer());
  MlirLogicalResult result =
      mlirPassManagerRunOnOp(pm, mlirModuleGetOperation(module));
  // CHECK: canonicalize: success
  fprintf(stderr, "canonicalize: %s\n",
          mlirLogicalResultIsSuccess(result) ? "success" : "failure");
  // Every stored value is 2.0; storage row 1 (original row 0) keeps
  // compacted positions 1 and 3: metadata 1 | 3 << 2 = 13.
  // CHECK: func.func @pack
  // CHECK-NOT: hinm.pack
  // CHECK-DAG: arith.constant dense<2.000000e+00> : tensor<16x2xf32>
  // CHECK-DAG: arith.constant dense<{{\[\[}}8], [13], [8],
  // CHECK: hinm.assemble
  mlirOperationDump(mlirModuleGetOperation(module));
  mlirPassManagerDestroy(pm);
  mlirModuleDestroy(module);
  return 0;
}

static void testPassRegistration(MlirContext ctx) {
  // CHECK-LABEL: testPassRegistration
  fprintf(stderr, "testPassRegistration\n");
  MlirStringRef pipeline =
      mlirStringRefCreateFromCString("builtin.module(hinm-print-isa)");
  MlirPassManager pm = mlirPassManagerCreate(ctx);
  // Unknown until hinm registers its passes.
  // CHECK: before registration: failure
  MlirLogicalResult before = mlirParsePassPipeline(
      mlirPassManagerGetAsOpPassManager(pm), pipeline, printToStderr, NULL);
  fprintf(stderr, "\nbefore registration: %s\n",
          mlirLogicalResultIsSuccess(before) ? "success" : "failure");
  mlirPassManagerDestroy(pm);

  hinmRegisterPasses();
  hinmRegisterPasses();
  hinmRegisterAllPipelines();
  hinmRegisterAllPipelines();
  pm = mlirPassManagerCreate(ctx);
  MlirLogicalResult after = mlirParsePassPipeline(
      mlirPassManagerGetAsOpPassManager(pm), pipeline, printToStderr, NULL);
  // CHECK: after registration: success
  fprintf(stderr, "after registration: %s\n",
          mlirLogicalResultIsSuccess(after) ? "success" : "failure");
  mlirPassManagerDestroy(pm);
}

int main(void) {
  MlirContext ctx = mlirContextCreate();
  mlirContextAttachDiagnosticHandler(ctx, printDiagnostic, NULL, NULL);
  mlirDialectHandleLoadDialect(mlirGetDialectHandle__func__(), ctx);
  MlirDialect hinm = mlirDialectHandleLoadDialect(mlirGetDialectHandle__hinm__(), ctx);
  MlirStringRef ns = mlirDialectGetNamespace(hinm);
  fprintf(stderr, "loaded dialect: %.*s\n", (int)ns.length, ns.data);

  testFormat(ctx);
  testMatrix(ctx);
  int status = testParseAndCanonicalize(ctx);
  testPassRegistration(ctx);

  mlirContextDestroy(ctx);
  // CHECK: done
  fprintf(stderr, "done\n");
  return status;
}
