// Run-time f16 weights as a !hinm.matrix argument: 128 x 512, V = 32,
// kept = 256 (50% vector sparsity), f32 result, N = 64. With the default
// tiles the steady-state k loop runs (4 k tiles, 3 stages); ptxas used to
// cap it at 128 registers and spill on sm_80.
!W = !hinm.matrix<128x512xf16, #hinm.format<vector_size = 32, kept = 256, n = 2, m = 4>>
func.func @runtime_v32_k256(%w: !W, %x: tensor<512x64xf16>) -> tensor<128x64xf32> {
  %y = hinm.matmul %w, %x : !W, tensor<512x64xf16> -> tensor<128x64xf32>
  return %y : tensor<128x64xf32>
}
