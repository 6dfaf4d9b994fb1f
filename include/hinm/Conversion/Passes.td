//===- Passes.td - hinm conversion passes ------------------*- tablegen -*-===//
//
// Part of the hinm project. One folder per conversion, as upstream:
// lib/Conversion/HiNMToLinalg (CPU reference), lib/Conversion/HiNMToNVGPU
// (GPU code generation).
//
//===----------------------------------------------------------------------===//
#ifndef HINM_CONVERSION_PASSES_TD
#define HINM_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"


//===----------------------------------------------------------------------===//
// HiNMToLinalg
//===----------------------------------------------------------------------===//

def ConvertHiNMToLinalg : Pass<"convert-hinm-to-linalg", "::mlir::ModuleOp"> {
  let summary = "Lowers hinm ops to linalg, tensor, arith and scf (the CPU reference)";
  let description = [{
    Replaces every `!hinm.matrix` value by its four storage tensors (values,
    vector index, metadata, row permutation), also across function
    signatures, calls, returns and scf control flow, and every hinm op by
    tensor code:

    * `hinm.assemble` / `hinm.disassemble` become the parts themselves;
    * `hinm.matmul` becomes a gather of the kept activation rows through the
      vector index (`linalg.generic`), a decode of the N:M metadata into
      compacted column numbers (`linalg.generic`), the product over the
      stored values only, accumulated in the result type (`linalg.generic`),
      and a gather through the inverse row permutation that puts rows back
      in their original order and drops padding rows;
    * `hinm.pack` and `hinm.to_dense` become `scf.for` loops on tensors.

    Contents that would make the code read out of bounds (vector indices
    outside `[0, cols)`, a row permutation that is not one, metadata fields
    not below M, an N:M mask that does not keep N of every M, activations
    whose row count differs from the weight's columns) are checked at run
    time with `cf.assert`.

    Example:

    ```mlir
    // hinm-opt --convert-hinm-to-linalg
    %y = hinm.matmul %w, %x : !hinm.matrix<64x128xf16, #hinm.format<vector_size = 32, kept = 64, n = 2, m = 4>>,
                              tensor<128x16xf16> -> tensor<64x16xf32>
    // becomes linalg.generic ops over %values, %index, %meta, %perm.
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::cf::ControlFlowDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // HINM_CONVERSION_PASSES_TD
