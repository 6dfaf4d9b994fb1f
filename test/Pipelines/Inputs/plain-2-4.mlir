// The paper's N:M baseline: plain 2:4 (kept == cols, identity vector
// index), V = 16, 1024 x 1024 times 1024 x 256.
!W = !hinm.matrix<1024x1024xf16, #hinm.format<vector_size = 16, kept = 1024, n = 2, m = 4>>
func.func @plain_2_4(%w: !W, %x: tensor<1024x256xf16>) -> tensor<1024x256xf32> {
  %y = hinm.matmul %w, %x : !W, tensor<1024x256xf16> -> tensor<1024x256xf32>
  return %y : tensor<1024x256xf32>
}
