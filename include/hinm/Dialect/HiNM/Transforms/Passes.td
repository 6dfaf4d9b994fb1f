//===- Passes.td - hinm transformation passes --------------*- tablegen -*-===//
//
// Part of the hinm project.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_TRANSFORMS_PASSES_TD
#define HINM_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def HiNMPrintISAPass : Pass<"hinm-print-isa", "::mlir::ModuleOp"> {
  let summary = "Writes the PTX held by gpu.binary ops to a file or stdout";
  let description = [{
    `gpu-module-to-binary` (and `--hinm-gpu-pipeline`) with `format=isa`
    stores the PTX text of every GPU module in a `#gpu.object` of a
    `gpu.binary` op. This pass writes that text, one object after the other,
    to `output` ("-" for stdout), so it can be read, diffed, checked with
    FileCheck or assembled with ptxas. The IR is left unchanged. A module with
    no assembly-format object is an error: there is nothing to print.

    Example:

    ```
    hinm-opt model.mlir --hinm-gpu-pipeline="chip=sm_80 format=isa" \
        --hinm-print-isa=output=model.ptx -o /dev/null
    ```
  }];
  let options = [
    Option<"output", "output", "std::string", /*default=*/"\"-\"",
           "File the PTX is written to ('-' for stdout)">,
  ];
}

#endif // HINM_TRANSFORMS_PASSES_TD
