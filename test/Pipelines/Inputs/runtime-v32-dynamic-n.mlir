// Run-time storage parts and a dynamic N (a batch size known at run time):
// 80 rows, V = 32; N is read from the activations and padded to a multiple
// of 8 by the pipeline.
!W = !hinm.matrix<80x512xf16, #hinm.format<vector_size = 32, kept = 128, n = 2, m = 4>>
func.func @runtime_v32_dynamic_n(%v: tensor<96x64xf16>, %i: tensor<3x128xi32>, %m: tensor<96x4xi32>,
                                 %p: tensor<96xi32>, %x: tensor<512x?xf16>) -> tensor<80x?xf32> {
  %w = hinm.assemble %v, %i, %m, %p : !W
  %y = hinm.matmul %w, %x : !W, tensor<512x?xf16> -> tensor<80x?xf32>
  return %y : tensor<80x?xf32>
}
