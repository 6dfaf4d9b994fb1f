//===- HiNMTypes.td - hinm types ---------------------------*- tablegen -*-===//
//
// Part of the hinm project.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_TYPES_TD
#define HINM_TYPES_TD

include "hinm/Dialect/HiNM/IR/HiNMAttrs.td"
include "mlir/IR/BuiltinTypeInterfaces.td"

def HiNM_MatrixType : TypeDef<HiNM_Dialect, "Matrix"> {
  let mnemonic = "matrix";
  let summary = "A HiNM-sparse matrix of a given logical shape";
  let description = [{
    A value-semantic HiNM matrix with logical shape `[rows, cols]` (rows are
    output channels, cols the reduction dimension), an element type (f16,
    bf16 or f32) and a `#hinm.format`. Any row count is allowed: storage pads
    the last block with zero rows up to a multiple of `vector_size`.

    Its storage (see `hinm.assemble`), with P = ceil(rows / V) * V:
      * values:       `tensor<P x (kept/m*n) x elt>`
      * vector index: `tensor<(P/V) x kept x i32>`
      * metadata:     `tensor<P x W x i32>`, W 32-bit words per row of packed
                      N:M indices (16 two-bit indices a word for 2:4, the
                      word `mma.sp` reads per row and k32 tile)
      * row perm:     `tensor<P x i32>`, storage row p holds original row
                      perm[p]; entries >= rows are zero padding rows.

    Why a type and not a tensor encoding: the storage is four tensors of
    different shapes and element types, none of which is the logical tensor.
    A `RankedTensorType` encoding would invite every tensor/linalg pattern to
    treat the value as a dense tensor of the logical shape (as happens to
    sparse_tensor encodings without the sparsifier); a dedicated type makes
    every consumer say how it handles HiNM storage.

    Example:

    ```mlir
    !hinm.matrix<120x256xf16, #hinm.format<vector_size = 32, kept = 128, n = 2, m = 4>>
    ```
  }];
  let parameters = (ins "int64_t":$rows, "int64_t":$cols,
                        "::mlir::Type":$elementType,
                        "::hinm::FormatAttr":$format);
  let assemblyFormat = [{
    `<` custom<MatrixShape>($rows, $cols, $elementType) `,` qualified($format) `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    int64_t getPaddedRows() const;
    int64_t getNumBlocks() const;
    /// Storage tensor types, in the order of hinm.assemble's operands.
    ::mlir::RankedTensorType getValuesType() const;
    ::mlir::RankedTensorType getVectorIndexType() const;
    ::mlir::RankedTensorType getMetadataType() const;
    ::mlir::RankedTensorType getRowPermType() const;
    /// The dense tensor of the logical shape.
    ::mlir::RankedTensorType getDenseType() const;
  }];
}

#endif // HINM_TYPES_TD
