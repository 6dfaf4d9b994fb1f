//===- HiNMAttrs.td - hinm attributes ----------------------*- tablegen -*-===//
//
// Part of the hinm project.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_ATTRS_TD
#define HINM_ATTRS_TD

include "hinm/Dialect/HiNM/IR/HiNMBase.td"

def HiNM_FormatAttr : AttrDef<HiNM_Dialect, "Format"> {
  let mnemonic = "format";
  let summary = "Parameters of a Hierarchical N:M sparse format";
  let description = [{
    `vector_size` (V) is the number of consecutive rows that share one vector
    index: a positive multiple of 16, the row count of an `mma.sp` tile (the
    paper uses 32 and 64). `kept` is how many columns ("vectors") every block
    keeps, a positive multiple of `m`. `n` and `m` give the N:M pattern applied
    to each row of the compacted block: any 0 < n < m <= 32 for the CPU path;
    the GPU lowering runs 2:4 (FP16/BF16 `mma.sp`) and says so otherwise.

    The vector sparsity is `1 - kept / cols`; the total sparsity is
    `1 - (kept / cols) * (n / m)`.

    Example:

    ```mlir
    #hinm.format<vector_size = 32, kept = 64, n = 2, m = 4>
    ```
  }];
  let parameters = (ins "int64_t":$vector_size, "int64_t":$kept,
                        "int64_t":$n, "int64_t":$m);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The MLIR-free description shared with the algorithm library.
    ::hinm::HiNMFormat toLibrary() const {
      return ::hinm::HiNMFormat{getVectorSize(), getKept(), getN(), getM()};
    }
  }];
}

#endif // HINM_ATTRS_TD
