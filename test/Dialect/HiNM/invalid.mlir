// RUN: hinm-opt %s -split-input-file -verify-diagnostics
// Every verifier error of the hinm dialect.

// expected-error @below {{vector size 24 must be a positive multiple of 16 (the mma.sp tile height)}}
// expected-error @below {{failed to parse HiNM_MatrixType parameter 'format'}}
func.func @bad_vector_size(%a: !hinm.matrix<64x64xf16, #hinm.format<vector_size = 24, kept = 32, n = 2, m = 4>>)

// -----

// expected-error @below {{vector size 0 must be a positive multiple of 16}}
func.func @zero_vector_size() attributes {f = #hinm.format<vector_size = 0, kept = 32, n = 2, m = 4>}

// -----

// expected-error @below {{kept vector count 30 must be a positive multiple of M = 4}}
func.func @kept_not_multiple_of_m() attributes {f = #hinm.format<vector_size = 32, kept = 30, n = 2, m = 4>}

// -----

// expected-error @below {{N:M pattern 4:4 must have 0 < N < M}}
func.func @n_not_below_m() attributes {f = #hinm.format<vector_size = 32, kept = 32, n = 4, m = 4>}

// -----

// expected-error @below {{N:M pattern 0:4 must have 0 < N < M}}
func.func @n_zero() attributes {f = #hinm.format<vector_size = 32, kept = 32, n = 0, m = 4>}

// -----

// expected-error @below {{M = 64 is larger than the supported 32}}
func.func @m_too_large() attributes {f = #hinm.format<vector_size = 32, kept = 64, n = 2, m = 64>}

// -----

// expected-error @below {{HiNM element type must be f16, bf16 or f32, got 'i8'}}
func.func @int_element(%a: !hinm.matrix<64x64xi8, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>)

// -----

// expected-error @below {{HiNM element type must be f16, bf16 or f32, got 'f64'}}
func.func @f64_element(%a: !hinm.matrix<64x64xf64, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>)

// -----

// expected-error @below {{kept vector count 32 exceeds the column count 16}}
func.func @kept_above_cols(%a: !hinm.matrix<64x16xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>)

// -----

// expected-error @below {{matrix shape 0x64 must be non-empty}}
func.func @empty(%a: !hinm.matrix<0x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>)

// -----

// expected-error @below {{expected a 2-D shape, got 3 dimensions}}
func.func @rank3(%a: !hinm.matrix<64x16x3xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>)

// -----

!W = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
func.func @values_shape(%v: tensor<32x8xf16>, %i: tensor<1x32xi32>, %m: tensor<32x1xi32>, %p: tensor<32xi32>) {
  // expected-error @below {{'hinm.assemble' op failed to verify that values type is derived from the matrix type}}
  %w = "hinm.assemble"(%v, %i, %m, %p) : (tensor<32x8xf16>, tensor<1x32xi32>, tensor<32x1xi32>, tensor<32xi32>) -> !W
  return
}

// -----

!W = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
func.func @index_out_of_range(%v: tensor<32x16xf16>, %m: tensor<32x1xi32>, %p: tensor<32xi32>) {
  %i = arith.constant dense<[[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 64]]> : tensor<1x32xi32>
  // expected-error @below {{'hinm.assemble' op vector index 64 at [0, 31] is out of range [0, 64)}}
  %w = hinm.assemble %v, %i, %m, %p : !W
  return
}

// -----

!W = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
func.func @index_negative(%v: tensor<32x16xf16>, %m: tensor<32x1xi32>, %p: tensor<32xi32>) {
  %i = arith.constant dense<-1> : tensor<1x32xi32>
  // expected-error @below {{'hinm.assemble' op vector index -1 at [0, 0] is out of range [0, 64)}}
  %w = hinm.assemble %v, %i, %m, %p : !W
  return
}

// -----

!W = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
func.func @index_duplicate(%v: tensor<32x16xf16>, %m: tensor<32x1xi32>, %p: tensor<32xi32>) {
  %i = arith.constant dense<[[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 3]]> : tensor<1x32xi32>
  // expected-error @below {{'hinm.assemble' op vector index 3 appears twice in block 0}}
  %w = hinm.assemble %v, %i, %m, %p : !W
  return
}

// -----

!W = !hinm.matrix<20x64xf16, #hinm.format<vector_size = 16, kept = 32, n = 2, m = 4>>
func.func @perm_duplicate(%v: tensor<32x16xf16>, %i: tensor<2x32xi32>, %m: tensor<32x1xi32>) {
  %p = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 0]> : tensor<32xi32>
  // expected-error @below {{'hinm.assemble' op row permutation entry 0 appears twice}}
  %w = hinm.assemble %v, %i, %m, %p : !W
  return
}

// -----

!W = !hinm.matrix<20x64xf16, #hinm.format<vector_size = 16, kept = 32, n = 2, m = 4>>
func.func @perm_out_of_range(%v: tensor<32x16xf16>, %i: tensor<2x32xi32>, %m: tensor<32x1xi32>) {
  %p = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 32]> : tensor<32xi32>
  // expected-error @below {{'hinm.assemble' op row permutation entry 32 at 31 is out of range [0, 32)}}
  %w = hinm.assemble %v, %i, %m, %p : !W
  return
}

// -----

!W = !hinm.matrix<16x32xf16, #hinm.format<vector_size = 16, kept = 32, n = 2, m = 4>>
func.func @metadata_not_ascending(%v: tensor<16x16xf16>, %i: tensor<1x32xi32>, %p: tensor<16xi32>) {
  // 0x6 = fields (2, 1): the second index of group 0 is below the first.
  %m = arith.constant dense<6> : tensor<16x1xi32>
  // expected-error @below {{'hinm.assemble' op metadata indices of row 0, group 0 are not strictly ascending}}
  %w = hinm.assemble %v, %i, %m, %p : !W
  return
}

// -----

!W = !hinm.matrix<16x32xf16, #hinm.format<vector_size = 16, kept = 32, n = 2, m = 4>>
func.func @metadata_duplicate(%v: tensor<16x16xf16>, %i: tensor<1x32xi32>, %p: tensor<16xi32>) {
  // 0x5 = fields (1, 1): the same position twice.
  %m = arith.constant dense<5> : tensor<16x1xi32>
  // expected-error @below {{'hinm.assemble' op metadata indices of row 0, group 0 are not strictly ascending}}
  %w = hinm.assemble %v, %i, %m, %p : !W
  return
}

// -----

!W = !hinm.matrix<16x24xf32, #hinm.format<vector_size = 16, kept = 12, n = 1, m = 6>>
func.func @metadata_index_above_m6(%v: tensor<16x2xf32>, %i: tensor<1x12xi32>, %p: tensor<16xi32>) {
  // 3-bit fields; 7 is not below M = 6.
  %m = arith.constant dense<7> : tensor<16x1xi32>
  // expected-error @below {{'hinm.assemble' op metadata index 7 of row 0, element 0 is not below M = 6}}
  %w = hinm.assemble %v, %i, %m, %p : !W
  return
}

// -----

!W = !hinm.matrix<16x8xf32, #hinm.format<vector_size = 16, kept = 8, n = 2, m = 4>>
func.func @mask_count(%d: tensor<16x8xf32>, %i: tensor<1x8xi32>, %p: tensor<16xi32>) {
  %mask = arith.constant dense<true> : tensor<16x8xi1>
  // expected-error @below {{'hinm.pack' op N:M mask keeps 4 values in row 0, group 0, expected 2}}
  %w = hinm.pack %d, %p, %i, %mask : !W
  return
}

// -----

!W = !hinm.matrix<16x8xf32, #hinm.format<vector_size = 16, kept = 8, n = 2, m = 4>>
func.func @pack_index(%d: tensor<16x8xf32>, %mask: tensor<16x8xi1>, %p: tensor<16xi32>) {
  %i = arith.constant dense<[[0, 1, 2, 3, 4, 5, 6, 8]]> : tensor<1x8xi32>
  // expected-error @below {{'hinm.pack' op vector index 8 at [0, 7] is out of range [0, 8)}}
  %w = hinm.pack %d, %p, %i, %mask : !W
  return
}

// -----

!W = !hinm.matrix<16x8xf32, #hinm.format<vector_size = 16, kept = 8, n = 2, m = 4>>
func.func @pack_dense_type(%d: tensor<16x9xf32>, %mask: tensor<16x8xi1>, %i: tensor<1x8xi32>, %p: tensor<16xi32>) {
  // expected-error @below {{'hinm.pack' op failed to verify that dense type is derived from the matrix type}}
  %w = "hinm.pack"(%d, %p, %i, %mask) : (tensor<16x9xf32>, tensor<16xi32>, tensor<1x8xi32>, tensor<16x8xi1>) -> !W
  return
}

// -----

!W = !hinm.matrix<16x8xf32, #hinm.format<vector_size = 16, kept = 8, n = 2, m = 4>>
func.func @to_dense_type(%w: !W) {
  // expected-error @below {{'hinm.to_dense' op failed to verify that result type is derived from the matrix type}}
  %d = "hinm.to_dense"(%w) : (!W) -> tensor<8x16xf32>
  return
}

// -----

!W = !hinm.matrix<40x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
func.func @matmul_k(%w: !W, %x: tensor<32x8xf16>) {
  // expected-error @below {{'hinm.matmul' op input has 32 rows but the weight has 64 columns}}
  %y = hinm.matmul %w, %x : !W, tensor<32x8xf16> -> tensor<40x8xf32>
  return
}

// -----

!W = !hinm.matrix<40x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
func.func @matmul_rows(%w: !W, %x: tensor<64x8xf16>) {
  // expected-error @below {{'hinm.matmul' op result has 64 rows but the weight has 40 rows}}
  %y = hinm.matmul %w, %x : !W, tensor<64x8xf16> -> tensor<64x8xf32>
  return
}

// -----

!W = !hinm.matrix<40x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
func.func @matmul_cols(%w: !W, %x: tensor<64x8xf16>) {
  // expected-error @below {{'hinm.matmul' op result has 4 columns but the input has 8}}
  %y = hinm.matmul %w, %x : !W, tensor<64x8xf16> -> tensor<40x4xf32>
  return
}

// -----

!W = !hinm.matrix<40x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
func.func @matmul_input_rank(%w: !W, %x: tensor<64xf16>) {
  // expected-error @below {{'hinm.matmul' op input must be 2-D, got rank 1}}
  %y = hinm.matmul %w, %x : !W, tensor<64xf16> -> tensor<40x8xf32>
  return
}

// -----

!W = !hinm.matrix<40x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
func.func @matmul_result_rank(%w: !W, %x: tensor<64x8xf16>) {
  // expected-error @below {{'hinm.matmul' op result must be 2-D, got rank 3}}
  %y = hinm.matmul %w, %x : !W, tensor<64x8xf16> -> tensor<40x8x1xf32>
  return
}

// -----

!W = !hinm.matrix<40x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
func.func @matmul_input_type(%w: !W, %x: tensor<64x8xf32>) {
  // expected-error @below {{'hinm.matmul' op input element type 'f32' differs from the weight's 'f16'}}
  %y = hinm.matmul %w, %x : !W, tensor<64x8xf32> -> tensor<40x8xf32>
  return
}

// -----

!W = !hinm.matrix<40x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
func.func @matmul_result_type(%w: !W, %x: tensor<64x8xf16>) {
  // expected-error @below {{'hinm.matmul' op result element type must be f32 or 'f16', got 'bf16'}}
  %y = hinm.matmul %w, %x : !W, tensor<64x8xf16> -> tensor<40x8xbf16>
  return
}

// -----

!W = !hinm.matrix<40x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
func.func @matmul_weight_type(%w: tensor<40x64xf16>, %x: tensor<64x8xf16>) {
  // expected-error @below {{'hinm.matmul' op operand #0 must be A HiNM-sparse matrix of a given logical shape}}
  %y = "hinm.matmul"(%w, %x) : (tensor<40x64xf16>, tensor<64x8xf16>) -> tensor<40x8xf32>
  return
}

// -----

// A huge logical shape costs nothing: checks scale with the stored parts.
!W = !hinm.matrix<16x1000000000xf16, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>
func.func @huge_cols_index(%v: tensor<16x2xf16>, %m: tensor<16x1xi32>, %p: tensor<16xi32>) {
  %i = arith.constant dense<[[0, 1, 999999999, 1000000000]]> : tensor<1x4xi32>
  // expected-error @below {{'hinm.assemble' op vector index 1000000000 at [0, 3] is out of range [0, 1000000000)}}
  %w = hinm.assemble %v, %i, %m, %p : !W
  return
}

// -----

// hinm.n_multiple_of (set by hinm-pad-matmul-columns) lets the GPU lowering
// drop its run-time N check: only a positive integer on hinm.matmul.
!W = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
func.func @n_multiple_of_zero(%w: !W, %x: tensor<64x?xf16>) -> tensor<32x?xf32> {
  // expected-error @below {{'hinm.matmul' op 'hinm.n_multiple_of' must be a positive integer, got 0 : i64}}
  %y = hinm.matmul %w, %x {hinm.n_multiple_of = 0 : i64} : !W, tensor<64x?xf16> -> tensor<32x?xf32>
  return %y : tensor<32x?xf32>
}

// -----

!W = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
func.func @n_multiple_of_string(%w: !W, %x: tensor<64x?xf16>) -> tensor<32x?xf32> {
  // expected-error @below {{'hinm.matmul' op 'hinm.n_multiple_of' must be a positive integer, got "8"}}
  %y = hinm.matmul %w, %x {hinm.n_multiple_of = "8"} : !W, tensor<64x?xf16> -> tensor<32x?xf32>
  return %y : tensor<32x?xf32>
}

// -----

func.func @n_multiple_of_elsewhere(%a: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @below {{'tensor.cast' op 'hinm.n_multiple_of' is only valid on hinm.matmul}}
  %b = tensor.cast %a {hinm.n_multiple_of = 8 : i64} : tensor<4xf32> to tensor<4xf32>
  return %b : tensor<4xf32>
}

// -----

// hinm.sparsify (per-op hinm-sparsify options) must be a dictionary of known
// keys with values of their types.
func.func @sparsify_not_a_dictionary(%x: tensor<8x4xf32>, %w: tensor<16x8xf32>, %c: tensor<16x4xf32>) -> tensor<16x4xf32> {
  // expected-error @below {{'linalg.matmul' op 'hinm.sparsify' must be a dictionary, got 32 : i64}}
  %y = linalg.matmul {hinm.sparsify = 32} ins(%w, %x : tensor<16x8xf32>, tensor<8x4xf32>) outs(%c : tensor<16x4xf32>) -> tensor<16x4xf32>
  return %y : tensor<16x4xf32>
}

// -----

func.func @sparsify_unknown_key(%x: tensor<8x4xf32>, %w: tensor<16x8xf32>, %c: tensor<16x4xf32>) -> tensor<16x4xf32> {
  // expected-error @below {{'linalg.matmul' op 'hinm.sparsify' has unknown key 'vectorsize' (expected vector_size, vector_sparsity, n, m, permute)}}
  %y = linalg.matmul {hinm.sparsify = {vectorsize = 32}} ins(%w, %x : tensor<16x8xf32>, tensor<8x4xf32>) outs(%c : tensor<16x4xf32>) -> tensor<16x4xf32>
  return %y : tensor<16x4xf32>
}

// -----

func.func @sparsify_sparsity_not_a_float(%x: tensor<8x4xf32>, %w: tensor<16x8xf32>, %c: tensor<16x4xf32>) -> tensor<16x4xf32> {
  // expected-error @below {{'linalg.matmul' op 'hinm.sparsify' key 'vector_sparsity' must be a float, got 1 : i64}}
  %y = linalg.matmul {hinm.sparsify = {vector_sparsity = 1}} ins(%w, %x : tensor<16x8xf32>, tensor<8x4xf32>) outs(%c : tensor<16x4xf32>) -> tensor<16x4xf32>
  return %y : tensor<16x4xf32>
}

// -----

func.func @sparsify_size_not_an_integer(%x: tensor<8x4xf32>, %w: tensor<16x8xf32>, %c: tensor<16x4xf32>) -> tensor<16x4xf32> {
  // expected-error @below {{'linalg.matmul' op 'hinm.sparsify' key 'vector_size' must be an integer, got "32"}}
  %y = linalg.matmul {hinm.sparsify = {vector_size = "32"}} ins(%w, %x : tensor<16x8xf32>, tensor<8x4xf32>) outs(%c : tensor<16x4xf32>) -> tensor<16x4xf32>
  return %y : tensor<16x4xf32>
}

// -----

func.func @sparsify_unknown_method(%x: tensor<8x4xf32>, %w: tensor<16x8xf32>, %c: tensor<16x4xf32>) -> tensor<16x4xf32> {
  // expected-error @below {{'linalg.matmul' op 'hinm.sparsify' key 'permute' must be "none", "ocp", "ivp" or "2cp", got "3cp"}}
  %y = linalg.matmul {hinm.sparsify = {permute = "3cp"}} ins(%w, %x : tensor<16x8xf32>, tensor<8x4xf32>) outs(%c : tensor<16x4xf32>) -> tensor<16x4xf32>
  return %y : tensor<16x4xf32>
}

// -----

func.func @assert_placeholders(%ok: i1, %i: index) {
  // expected-error @below {{'hinm.assert' op message has 2 '{}' placeholder(s) for 1 value(s)}}
  hinm.assert %ok, "entry {} is {}" (%i : index)
  return
}

// -----

func.func @assert_wide(%ok: i1, %i: i128) {
  // expected-error @below {{'hinm.assert' op prints integers of up to 64 bits, not 'i128'}}
  hinm.assert %ok, "value {}" (%i : i128)
  return
}

// -----

func.func @assert_float(%ok: i1, %f: f32) {
  // expected-error @below {{operand #1 must be variadic of signless integer or index}}
  hinm.assert %ok, "value {}" (%f : f32)
  return
}
