// Run-time weights as a !hinm.matrix argument: 256 x 1024, V = 64, 75%
// vector sparsity, f16 accumulation (f16 result), N = 128.
!W = !hinm.matrix<256x1024xf16, #hinm.format<vector_size = 64, kept = 256, n = 2, m = 4>>
func.func @runtime_v64_f16(%w: !W, %x: tensor<1024x128xf16>) -> tensor<256x128xf16> {
  %y = hinm.matmul %w, %x : !W, tensor<1024x128xf16> -> tensor<256x128xf16>
  return %y : tensor<256x128xf16>
}
