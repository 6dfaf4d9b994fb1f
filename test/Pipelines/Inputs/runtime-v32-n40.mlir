// Run-time storage parts (hinm.assemble of arguments): 80 rows (not a
// multiple of the block tile), V = 32, N = 40 (not a multiple of block-n).
!W = !hinm.matrix<80x512xf16, #hinm.format<vector_size = 32, kept = 128, n = 2, m = 4>>
func.func @runtime_v32_n40(%v: tensor<96x64xf16>, %i: tensor<3x128xi32>, %m: tensor<96x4xi32>,
                           %p: tensor<96xi32>, %x: tensor<512x40xf16>) -> tensor<80x40xf32> {
  %w = hinm.assemble %v, %i, %m, %p : !W
  %y = hinm.matmul %w, %x : !W, tensor<512x40xf16> -> tensor<80x40xf32>
  return %y : tensor<80x40xf32>
}
