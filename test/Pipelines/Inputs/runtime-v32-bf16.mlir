// Run-time bf16 weights as a !hinm.matrix argument: 128 x 512, V = 32, 75%
// vector sparsity, f32 result (mma.sp bf16 accumulates in f32), N = 64.
!W = !hinm.matrix<128x512xbf16, #hinm.format<vector_size = 32, kept = 128, n = 2, m = 4>>
func.func @runtime_v32_bf16(%w: !W, %x: tensor<512x64xbf16>) -> tensor<128x64xf32> {
  %y = hinm.matmul %w, %x : !W, tensor<512x64xbf16> -> tensor<128x64xf32>
  return %y : tensor<128x64xf32>
}
