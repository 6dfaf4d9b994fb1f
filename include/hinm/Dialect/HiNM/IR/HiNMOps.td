//===- HiNMOps.td - hinm operations ------------------------*- tablegen -*-===//
//
// Part of the hinm project.
//
// Storage parts are typed from the matrix type (TypesMatchWith), so the
// assembly names the `!hinm.matrix` type once and the parser derives the
// tensor types of values, vector index, metadata and row permutation.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_OPS_TD
#define HINM_OPS_TD

include "hinm/Dialect/HiNM/IR/HiNMTypes.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

class HiNM_StoragePartOf<string matrix, string part, string getter>
    : TypesMatchWith<part # " type is derived from the matrix type", matrix,
                     part, "::llvm::cast<::hinm::MatrixType>($_self)." # getter # "()">;

def HiNM_AssembleOp : HiNM_Op<"assemble", [Pure,
    HiNM_StoragePartOf<"result", "values", "getValuesType">,
    HiNM_StoragePartOf<"result", "vector_index", "getVectorIndexType">,
    HiNM_StoragePartOf<"result", "metadata", "getMetadataType">,
    HiNM_StoragePartOf<"result", "row_perm", "getRowPermType">]> {
  let summary = "Builds a HiNM matrix from its stored parts";
  let description = [{
    Gives the four storage tensors (see `!hinm.matrix` and docs/format.md) the
    meaning of a HiNM matrix. This is what compile-time packing produces (all
    four parts constant) and how a matrix packed elsewhere (by the `hinm`
    Python package, say) enters a program at run time.

    When a part is a constant, the verifier checks its contents: vector
    indices in range and distinct per block, metadata indices ascending and
    below M in every group, the row permutation a permutation.

    Example:

    ```mlir
    %w = hinm.assemble %values, %index, %meta, %perm
        : !hinm.matrix<64x128xf16, #hinm.format<vector_size = 32, kept = 64, n = 2, m = 4>>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$values, AnyRankedTensor:$vector_index,
                       AnyRankedTensor:$metadata, AnyRankedTensor:$row_perm);
  let results = (outs HiNM_MatrixType:$result);
  let assemblyFormat = [{
    $values `,` $vector_index `,` $metadata `,` $row_perm attr-dict `:` qualified(type($result))
  }];
  let hasVerifier = 1;
}

def HiNM_DisassembleOp : HiNM_Op<"disassemble", [Pure,
    HiNM_StoragePartOf<"matrix", "values", "getValuesType">,
    HiNM_StoragePartOf<"matrix", "vector_index", "getVectorIndexType">,
    HiNM_StoragePartOf<"matrix", "metadata", "getMetadataType">,
    HiNM_StoragePartOf<"matrix", "row_perm", "getRowPermType">]> {
  let summary = "Returns the stored parts of a HiNM matrix";
  let description = [{
    The inverse of `hinm.assemble`: yields values, vector index, metadata and
    row permutation. `hinm.disassemble` of a `hinm.assemble` folds to the
    assembled parts.

    Example:

    ```mlir
    %values, %index, %meta, %perm = hinm.disassemble %w
        : !hinm.matrix<64x128xf16, #hinm.format<vector_size = 32, kept = 64, n = 2, m = 4>>
    ```
  }];
  let arguments = (ins HiNM_MatrixType:$matrix);
  let results = (outs AnyRankedTensor:$values, AnyRankedTensor:$vector_index,
                      AnyRankedTensor:$metadata, AnyRankedTensor:$row_perm);
  let assemblyFormat = "$matrix attr-dict `:` qualified(type($matrix))";
  let hasFolder = 1;
}

def HiNM_PackOp : HiNM_Op<"pack", [Pure,
    HiNM_StoragePartOf<"result", "dense", "getDenseType">,
    HiNM_StoragePartOf<"result", "row_perm", "getRowPermType">,
    HiNM_StoragePartOf<"result", "vector_index", "getVectorIndexType">,
    TypesMatchWith<"N:M mask type is derived from the matrix type", "result",
      "nm_mask", "::mlir::RankedTensorType::get({::llvm::cast<::hinm::MatrixType>($_self).getPaddedRows(), ::llvm::cast<::hinm::MatrixType>($_self).getFormat().getKept()}, ::mlir::IntegerType::get($_self.getContext(), 1))">]> {
  let summary = "Prunes and packs a dense matrix under explicit HiNM masks";
  let description = [{
    Builds a HiNM matrix from a dense `[rows, cols]` tensor and a complete
    pruning decision: the row permutation (`tensor<P x i32>`, storage row p
    holds original row perm[p]), the vector index of every block
    (`tensor<P/V x kept x i32>`, in IVP order) and the N:M mask over the
    compacted blocks (`tensor<P x kept x i1>`, exactly `n` true values in
    each group of `m`). Weights outside the selection are dropped.

    When every operand is a constant, canonicalization packs at compile time
    and replaces the op by a `hinm.assemble` of constant storage, so weights
    are compressed once, by the compiler.

    Example:

    ```mlir
    %w = hinm.pack %dense, %perm, %index, %mask
        : !hinm.matrix<64x128xf32, #hinm.format<vector_size = 32, kept = 64, n = 2, m = 4>>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$dense, AnyRankedTensor:$row_perm,
                       AnyRankedTensor:$vector_index, AnyRankedTensor:$nm_mask);
  let results = (outs HiNM_MatrixType:$result);
  let assemblyFormat = [{
    $dense `,` $row_perm `,` $vector_index `,` $nm_mask attr-dict `:` qualified(type($result))
  }];
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
}

def HiNM_ToDenseOp : HiNM_Op<"to_dense", [Pure,
    HiNM_StoragePartOf<"matrix", "result", "getDenseType">]> {
  let summary = "Converts a HiNM matrix back to a dense tensor";
  let description = [{
    Returns the pruned weights as a dense `[rows, cols]` tensor in the
    ORIGINAL row and column order: dropped weights are zero, and the row
    permutation is undone. Folds to a dense constant when the matrix is
    assembled from constants.

    Example:

    ```mlir
    %d = hinm.to_dense %w
        : !hinm.matrix<64x128xf32, #hinm.format<vector_size = 32, kept = 64, n = 2, m = 4>>
    ```
  }];
  let arguments = (ins HiNM_MatrixType:$matrix);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$matrix attr-dict `:` qualified(type($matrix))";
  let hasFolder = 1;
}

def HiNM_MatmulOp : HiNM_Op<"matmul", [Pure]> {
  let summary = "HiNM weight times dense activations";
  let description = [{
    Computes `result[r, j] = sum_k W[r, k] * X[k, j]` for a HiNM matrix `W` of
    logical shape `[rows, K]` and dense activations `X` of shape `[K, N]`.
    The result rows are in the ORIGINAL order whatever the row permutation
    (OCP) did: lowerings write storage row p to result row perm[p].

    Only kept activation rows (the vector index) take part, and only the N
    kept values of each group of M: a lowering never multiplies pruned
    weights. The activation element type equals the weight's; the result is
    f32, or the weight's element type (f16 accumulation on the GPU).

    Example:

    ```mlir
    %y = hinm.matmul %w, %x
        : !hinm.matrix<64x128xf16, #hinm.format<vector_size = 32, kept = 64, n = 2, m = 4>>,
          tensor<128x16xf16> -> tensor<64x16xf32>
    ```
  }];
  let arguments = (ins HiNM_MatrixType:$weight, AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $weight `,` $input attr-dict `:` qualified(type($weight)) `,` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def HiNM_AssertOp : HiNM_Op<"assert", [MemoryEffects<[MemWrite]>]> {
  let summary = "Run-time check whose failure message names run-time values";
  let description = [{
    Like `cf.assert`, aborts the program with `message` when `condition` is
    false, but the message may hold `{}` placeholders, one per operand after
    it, replaced by those values (signless integers up to 64 bits or
    `index`, printed as signed decimal numbers). The lowerings' run-time
    checks of storage parts use it to say which entry is bad, not only that
    one is: a `cf.assert` message is a constant string.

    `hinm-assert-to-stderr` lowers it (with `cf.assert`) to a branch that
    prints the message on stderr with `fprintf` and calls `abort()`. It
    folds away when the condition is a constant true.

    Example:

    ```mlir
    hinm.assert %ok, "hinm.matmul: vector index out of range: block {}, entry {} is {}"
        (%block, %entry, %value : index, index, i32)
    ```
  }];
  let arguments = (ins I1:$condition, StrAttr:$message,
                       Variadic<AnySignlessIntegerOrIndex>:$values);
  let assemblyFormat = [{
    $condition `,` $message (`(` $values^ `:` type($values) `)`)? attr-dict
  }];
  let builders = [
    OpBuilder<(ins "::mlir::Value":$condition, "::llvm::StringRef":$message,
                   CArg<"::mlir::ValueRange", "{}">:$values), [{
      build($_builder, $_state, condition, $_builder.getStringAttr(message),
            values);
    }]>
  ];
  let hasVerifier = 1;
  let hasCanonicalizeMethod = 1;
}

#endif // HINM_OPS_TD
