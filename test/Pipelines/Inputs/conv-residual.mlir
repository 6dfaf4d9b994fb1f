// A residual block after a first convolution (NCHW, batch 1, 8x8, 16
// channels, padding 1): h0 = f16(relu(conv0(x) + b0)), h1 = f16(relu(conv1(h0)
// + b1)), out = relu(conv2(h1) + b2 + h0). h0 has two readers: the next
// convolution and the residual add.
#id4 = affine_map<(n, c, i, j) -> (n, c, i, j)>
#chan = affine_map<(n, c, i, j) -> (c)>
func.func @conv_residual(%x: tensor<1x16x8x8xf16>) -> tensor<1x16x8x8xf32> {
  %w0 = arith.constant dense<0.5> : tensor<16x16x3x3xf16>
  %w1 = arith.constant dense<0.25> : tensor<16x16x3x3xf16>
  %w2 = arith.constant dense<0.125> : tensor<16x16x3x3xf16>
  %b = arith.constant dense<0.0625> : tensor<16xf32>
  %z = arith.constant 0.0 : f32
  %zh = arith.constant 0.0 : f16
  %e32 = tensor.empty() : tensor<1x16x8x8xf32>
  %e16 = tensor.empty() : tensor<1x16x8x8xf16>
  %c = linalg.fill ins(%z : f32) outs(%e32 : tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>

  %xp = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zh : f16
  } : tensor<1x16x8x8xf16> to tensor<1x16x10x10xf16>
  %y0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%xp, %w0 : tensor<1x16x10x10xf16>, tensor<16x16x3x3xf16>) outs(%c : tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  %h0 = linalg.generic {indexing_maps = [#id4, #chan, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
       ins(%y0, %b : tensor<1x16x8x8xf32>, tensor<16xf32>) outs(%e16 : tensor<1x16x8x8xf16>) {
  ^bb0(%a: f32, %bb: f32, %o: f16):
    %s = arith.addf %a, %bb : f32
    %r = arith.maximumf %s, %z : f32
    %t = arith.truncf %r : f32 to f16
    linalg.yield %t : f16
  } -> tensor<1x16x8x8xf16>

  %h0p = tensor.pad %h0 low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zh : f16
  } : tensor<1x16x8x8xf16> to tensor<1x16x10x10xf16>
  %y1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%h0p, %w1 : tensor<1x16x10x10xf16>, tensor<16x16x3x3xf16>) outs(%c : tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  %h1 = linalg.generic {indexing_maps = [#id4, #chan, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
       ins(%y1, %b : tensor<1x16x8x8xf32>, tensor<16xf32>) outs(%e16 : tensor<1x16x8x8xf16>) {
  ^bb0(%a: f32, %bb: f32, %o: f16):
    %s = arith.addf %a, %bb : f32
    %r = arith.maximumf %s, %z : f32
    %t = arith.truncf %r : f32 to f16
    linalg.yield %t : f16
  } -> tensor<1x16x8x8xf16>

  %h1p = tensor.pad %h1 low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zh : f16
  } : tensor<1x16x8x8xf16> to tensor<1x16x10x10xf16>
  %y2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%h1p, %w2 : tensor<1x16x10x10xf16>, tensor<16x16x3x3xf16>) outs(%c : tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  %out = linalg.generic {indexing_maps = [#id4, #chan, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
       ins(%y2, %b, %h0 : tensor<1x16x8x8xf32>, tensor<16xf32>, tensor<1x16x8x8xf16>) outs(%e32 : tensor<1x16x8x8xf32>) {
  ^bb0(%a: f32, %bb: f32, %res: f16, %o: f32):
    %s = arith.addf %a, %bb : f32
    %rf = arith.extf %res : f16 to f32
    %s2 = arith.addf %s, %rf : f32
    %r = arith.maximumf %s2, %z : f32
    linalg.yield %r : f32
  } -> tensor<1x16x8x8xf32>
  return %out : tensor<1x16x8x8xf32>
}
