// Two-convs.mlir in NHWC with HWCF filters: hinm-sparsify adds a transpose from
// the matmul's [F, N*OH*OW] result back to NHWC after each layer.
func.func @two_convs_nhwc(%x: tensor<1x8x8x16xf16>) -> tensor<1x8x8x32xf32> {
  %w1 = arith.constant dense<0.5> : tensor<3x3x16x32xf16>
  %w2 = arith.constant dense<0.25> : tensor<3x3x32x32xf16>
  %b1 = arith.constant dense<0.125> : tensor<32xf32>
  %z = arith.constant 0.0 : f32
  %zh = arith.constant 0.0 : f16
  %xp = tensor.pad %x low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zh : f16
  } : tensor<1x8x8x16xf16> to tensor<1x10x10x16xf16>
  %e = tensor.empty() : tensor<1x8x8x32xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%xp, %w1 : tensor<1x10x10x16xf16>, tensor<3x3x16x32xf16>) outs(%c : tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32>
  %eh = tensor.empty() : tensor<1x8x8x32xf16>
  %h = linalg.generic {indexing_maps = [affine_map<(n, i, j, c) -> (n, i, j, c)>, affine_map<(n, i, j, c) -> (c)>, affine_map<(n, i, j, c) -> (n, i, j, c)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
       ins(%y, %b1 : tensor<1x8x8x32xf32>, tensor<32xf32>) outs(%eh : tensor<1x8x8x32xf16>) {
  ^bb0(%a: f32, %b: f32, %o: f16):
    %s = arith.addf %a, %b : f32
    %r = arith.maximumf %s, %z : f32
    %t = arith.truncf %r : f32 to f16
    linalg.yield %t : f16
  } -> tensor<1x8x8x32xf16>
  %hp = tensor.pad %h low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zh : f16
  } : tensor<1x8x8x32xf16> to tensor<1x10x10x32xf16>
  %c2 = linalg.fill ins(%z : f32) outs(%e : tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32>
  %y2 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%hp, %w2 : tensor<1x10x10x32xf16>, tensor<3x3x32x32xf16>) outs(%c2 : tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32>
  return %y2 : tensor<1x8x8x32xf32>
}
