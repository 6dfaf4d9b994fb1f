// RUN: hinm-opt %s --split-input-file --convert-hinm-to-nvgpu --verify-diagnostics
// Matmuls the GPU kernel cannot take get an error at the op, never a crash.

!W = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 1, m = 4>>
func.func @not_2_4(%w: !W, %x: tensor<64x16xf16>) -> tensor<32x16xf32> {
  // expected-error @+1 {{cannot be lowered to the GPU kernel: only 2:4 sparsity maps to mma.sp; got 1:4}}
  %y = hinm.matmul %w, %x : !W, tensor<64x16xf16> -> tensor<32x16xf32>
  return %y : tensor<32x16xf32>
}

// -----

!W = !hinm.matrix<32x64xf32, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
func.func @f32_weights(%w: !W, %x: tensor<64x16xf32>) -> tensor<32x16xf32> {
  // expected-error @+1 {{cannot be lowered to the GPU kernel: the GPU kernel needs f16 or bf16 weights (mma.sp .f16/.bf16)}}
  %y = hinm.matmul %w, %x : !W, tensor<64x16xf32> -> tensor<32x16xf32>
  return %y : tensor<32x16xf32>
}

// -----

// mma has no bf16 accumulator: bf16 weights need an f32 result.
!W = !hinm.matrix<32x64xbf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
func.func @bf16_result(%w: !W, %x: tensor<64x16xbf16>) -> tensor<32x16xbf16> {
  // expected-error @+1 {{cannot be lowered to the GPU kernel: bf16 weights need an f32 result (mma.sp has no bf16 accumulator)}}
  %y = hinm.matmul %w, %x : !W, tensor<64x16xbf16> -> tensor<32x16xbf16>
  return %y : tensor<32x16xbf16>
}

// -----

!W = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 48, n = 2, m = 4>>
func.func @kept_not_32(%w: !W, %x: tensor<64x16xf16>) -> tensor<32x16xf32> {
  // expected-error @+1 {{kept must be a multiple of 32 (the mma.sp k step), got 48}}
  %y = hinm.matmul %w, %x : !W, tensor<64x16xf16> -> tensor<32x16xf32>
  return %y : tensor<32x16xf32>
}

// -----

!W = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
func.func @dynamic_k(%w: !W, %x: tensor<?x16xf16>) -> tensor<32x16xf32> {
  // expected-error @+1 {{needs static shapes (only N, the activations' column count, may be dynamic)}}
  %y = hinm.matmul %w, %x : !W, tensor<?x16xf16> -> tensor<32x16xf32>
  return %y : tensor<32x16xf32>
}

// -----

!W = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
func.func @dynamic_n_one_side(%w: !W, %x: tensor<64x?xf16>) -> tensor<32x16xf32> {
  // expected-error @+1 {{N must be dynamic in both the activations and the result, or static in both}}
  %y = hinm.matmul %w, %x : !W, tensor<64x?xf16> -> tensor<32x16xf32>
  return %y : tensor<32x16xf32>
}

// -----

!W = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
func.func @n_not_8(%w: !W, %x: tensor<64x12xf16>) -> tensor<32x12xf32> {
  // expected-error @+1 {{N must be a multiple of 8 (16-byte cp.async rows), got 12}}
  %y = hinm.matmul %w, %x : !W, tensor<64x12xf16> -> tensor<32x12xf32>
  return %y : tensor<32x12xf32>
}

// -----

!W = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
func.func @packed_at_run_time(%d: tensor<32x64xf16>, %p: tensor<32xi32>, %i: tensor<1x32xi32>,
                              %mask: tensor<32x32xi1>, %x: tensor<64x16xf16>) -> tensor<32x16xf32> {
  %w = hinm.pack %d, %p, %i, %mask : !W
  // expected-error @+1 {{the weight must come from hinm.assemble}}
  %y = hinm.matmul %w, %x : !W, tensor<64x16xf16> -> tensor<32x16xf32>
  return %y : tensor<32x16xf32>
}

// -----

!W = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
// expected-error @+1 {{has !hinm.matrix arguments and is called inside the module}}
func.func @callee(%w: !W, %x: tensor<64x16xf16>) -> tensor<32x16xf32> {
  %y = hinm.matmul %w, %x : !W, tensor<64x16xf16> -> tensor<32x16xf32>
  return %y : tensor<32x16xf32>
}
func.func @caller(%w: !W, %x: tensor<64x16xf16>) -> tensor<32x16xf32> {
  %y = func.call @callee(%w, %x) : (!W, tensor<64x16xf16>) -> tensor<32x16xf32>
  return %y : tensor<32x16xf32>
}

// -----

// A constant part whose dense_resource has no data (here a blob the file
// does not define) can be neither embedded in the kernel's module nor
// copied: reported at the op, before the LLVM translation would fail
// without a location.
!W = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
func.func @missing_blob(%m: tensor<32x1xi32>, %x: tensor<64x64xf16>) -> tensor<32x64xf32> {
  %v = arith.constant dense_resource<no_such_blob> : tensor<32x16xf16>
  %i = arith.constant dense<[[0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 42, 44, 46, 48, 50, 52, 54, 56, 58, 60, 62]]> : tensor<1x32xi32>
  %p = arith.constant dense<[31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]> : tensor<32xi32>
  %w = hinm.assemble %v, %i, %m, %p : !W
  // expected-error @+1 {{cannot be lowered to the GPU kernel: its constant storage part 'values' is a dense_resource without data (an elided or missing blob)}}
  %y = hinm.matmul %w, %x : !W, tensor<64x64xf16> -> tensor<32x64xf32>
  return %y : tensor<32x64xf32>
}
