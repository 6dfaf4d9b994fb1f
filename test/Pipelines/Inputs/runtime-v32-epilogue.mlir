// A layer with its bias and activation: 80 rows, V = 32, N = 40 (a partial
// column tile), y = tanh(W x + b) stored as f16. --hinm-gpu-pipeline fuses
// the generic into the kernel's store (fuse-epilogue, on by default).
!W = !hinm.matrix<80x512xf16, #hinm.format<vector_size = 32, kept = 128, n = 2, m = 4>>
func.func @runtime_v32_epilogue(%v: tensor<96x64xf16>, %i: tensor<3x128xi32>, %m: tensor<96x4xi32>,
                                %p: tensor<96xi32>, %x: tensor<512x40xf16>,
                                %b: tensor<80xf32>) -> tensor<80x40xf16> {
  %w = hinm.assemble %v, %i, %m, %p : !W
  %y = hinm.matmul %w, %x : !W, tensor<512x40xf16> -> tensor<80x40xf32>
  %e = tensor.empty() : tensor<80x40xf16>
  %z = linalg.generic {indexing_maps = [affine_map<(r, c) -> (r, c)>, affine_map<(r, c) -> (r)>,
                                        affine_map<(r, c) -> (r, c)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%y, %b : tensor<80x40xf32>, tensor<80xf32>) outs(%e : tensor<80x40xf16>) {
  ^bb0(%a: f32, %bb: f32, %o: f16):
    %s = arith.addf %a, %bb : f32
    %t = math.tanh %s : f32
    %h = arith.truncf %t : f32 to f16
    linalg.yield %h : f16
  } -> tensor<80x40xf16>
  return %z : tensor<80x40xf16>
}
