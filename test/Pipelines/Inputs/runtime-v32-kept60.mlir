// Run-time storage parts (hinm.assemble of arguments) with kept = 60 of 120
// columns (PP-OCRv4's d = 120 layers at 50% vector sparsity), not a multiple
// of the mma.sp k step: the pipeline pads it to 64 with host tensor ops.
!W = !hinm.matrix<120x120xf16, #hinm.format<vector_size = 32, kept = 60, n = 2, m = 4>>
func.func @runtime_v32_kept60(%v: tensor<128x30xf16>, %i: tensor<4x60xi32>, %m: tensor<128x2xi32>,
                              %p: tensor<128xi32>, %x: tensor<120x64xf16>) -> tensor<120x64xf32> {
  %w = hinm.assemble %v, %i, %m, %p : !W
  %y = hinm.matmul %w, %x : !W, tensor<120x64xf16> -> tensor<120x64xf32>
  return %y : tensor<120x64xf32>
}
