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

def HiNMSparsifyPass : Pass<"hinm-sparsify", "::mlir::func::FuncOp"> {
  let summary = "Prunes constant linalg.matmul weights to HiNM (2CP) and "
                "rewrites the products into hinm.matmul";
  let description = [{
    Finds `linalg.matmul` ops (tensor semantics, static 2-D shapes) whose
    weight operand is an `arith.constant dense<...>` and replaces them with a
    `hinm.matmul` on a packed constant: `hinm.assemble` of four
    `arith.constant` storage tensors computed at compile time by the
    HiNMAlgorithm library (vector pruning, N:M pruning and the chosen channel
    permutation; docs/permutation.md).

    Handled forms (d0 = output rows, d1 = output columns, d2 = reduction):
      * constant LHS `W[out, in]`, `Y = W X`: `hinm.matmul(W, X)`;
      * constant RHS `W[in, out]`, `Y = X W` (the `y = x W^T` layout of a
        linear layer): the weight is viewed as `W^T[out, in]`, and
        `Y = transpose(hinm.matmul(W^T, transpose(X)))`;
      * either operand given transposed through `indexing_maps`
        (`(d2, d0)` for the LHS, `(d1, d2)` for the RHS): constants are
        transposed at compile time, activations with `linalg.transpose`.
    If both operands are constant the LHS is taken as the weight. Not
    handled (left dense): broadcast maps, dynamic shapes, memref operands,
    `linalg.batch_matmul`, convolutions (an im2col rewrite would be needed)
    and `linalg.generic` contractions.

    The accumulator: a `linalg.fill` of zero is dropped (the hinm.matmul
    result replaces the matmul); any other accumulator is added with
    `linalg.add`. The rewritten program computes exactly what the pruned
    dense weights compute (hinm.matmul returns rows in the original order).

    A weight that does not fit (fewer than `m` columns) is left dense with a
    warning. NaN or infinite weights are an error (pass failure) naming the
    first bad element. Bad option values are an error before any rewrite.
    With `report`, every rewritten op gets a remark with its kept
    importance and the efficacy of each permutation method.

    Example:

    ```
    hinm-opt model.mlir --hinm-sparsify="vector-size=32 vector-sparsity=0.5 permute=2cp report"
    ```
  }];
  let dependentDialects = [
    "::hinm::HiNMDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
  let options = [
    Option<"vectorSize", "vector-size", "int64_t", /*default=*/"32",
           "Rows per block V (a positive multiple of 16)">,
    Option<"vectorSparsity", "vector-sparsity", "double", /*default=*/"0.5",
           "Share of vectors (columns of a block) pruned, in [0, 1)">,
    Option<"nmN", "n", "int64_t", /*default=*/"2", "N of N:M">,
    Option<"nmM", "m", "int64_t", /*default=*/"4", "M of N:M">,
    Option<"permute", "permute", "std::string", /*default=*/"\"2cp\"",
           "Channel permutation: none, ocp, ivp or 2cp">,
    Option<"iterations", "iterations", "int64_t", /*default=*/"0",
           "OCP iteration cap (0 = chosen from the matrix size)">,
    Option<"seed", "seed", "uint64_t", /*default=*/"0",
           "Seed of the permutation search">,
    Option<"threads", "threads", "unsigned", /*default=*/"1",
           "Worker threads of the search (0 = all; the result does not "
           "depend on it)">,
    Option<"report", "report", "bool", /*default=*/"false",
           "Emit a remark per rewritten op with kept importance and "
           "efficacy of every permutation method">,
  ];
}

def HiNMAssertToStderrPass : Pass<"hinm-assert-to-stderr", "::mlir::ModuleOp"> {
  let summary = "Reports failed cf.assert on stderr before aborting";
  let description = [{
    Upstream lowers a failed `cf.assert` to `puts(message)` and `abort()`.
    `puts` writes to stdout, which is block-buffered when it is a pipe or a
    file, and `abort()` does not flush it: the message of a failed run-time
    check (a shape mismatch through dynamic dims, an index out of range in
    run-time storage) is then lost and only the crash remains. This pass
    rewrites each `cf.assert %cond, "msg"` in a function into
    `scf.if` on the negated condition that writes `msg` to the unbuffered
    stderr (`fputs`) and calls `abort()`, so the reason always reaches the
    user. `--hinm-cpu-pipeline` runs it before lowering scf.

    Example:

    ```mlir
    cf.assert %ok, "hinm.matmul: input rows differ from the weight's columns"
    // becomes
    %fail = arith.xori %ok, %true : i1
    scf.if %fail {
      // llvm.call @fputs(<message>, <stderr>); llvm.call @abort()
    }
    ```
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::arith::ArithDialect"];
}

#endif // HINM_TRANSFORMS_PASSES_TD
