//===- HiNMBase.td - hinm dialect definition ---------------*- tablegen -*-===//
//
// Part of the hinm project.
//
// The `hinm` dialect represents weight matrices pruned to Hierarchical N:M
// sparsity (Yu, Lee, Shin, "Accelerating DNN Models via Hierarchical N:M
// Sparsity", Journal of KIISE 51(7), 2024) and the operations on them.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_BASE_TD
#define HINM_BASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def HiNM_Dialect : Dialect {
  let name = "hinm";
  let cppNamespace = "::hinm";
  let summary = "Hierarchical N:M (HiNM) sparse matrices and their products";
  let description = [{
    A HiNM matrix is pruned at two levels. Its rows (output channels) are cut
    into blocks of `V` consecutive rows; every block keeps the same number of
    columns ("vectors" of V weights), listed in the block's *vector index*.
    Inside the compacted block, every run of `M` kept columns keeps `N` values
    per row (2:4 for the Sparse Tensor Cores' `mma.sp`). An output-row
    permutation (OCP) says which original row each stored row holds.

    The dialect gives this a type, `!hinm.matrix`, whose storage is four
    tensors (compressed values, vector index, N:M metadata, row permutation;
    see docs/format.md), ops to build and take apart such matrices, and
    `hinm.matmul`, which lowers to linalg for the CPU and to nvgpu
    (`ldmatrix`, `mma.sp`) for NVIDIA GPUs.
  }];
  let useDefaultAttributePrinterParser = 1;
  let useDefaultTypePrinterParser = 1;
  let hasConstantMaterializer = 1;
  // Checks `hinm.n_multiple_of` (HiNMDialect.h) where it appears.
  let hasOperationAttrVerify = 1;
  let dependentDialects = ["::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect"];
}

class HiNM_Op<string mnemonic, list<Trait> traits = []>
    : Op<HiNM_Dialect, mnemonic, traits>;

#endif // HINM_BASE_TD
