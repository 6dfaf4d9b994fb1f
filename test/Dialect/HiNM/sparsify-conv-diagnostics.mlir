// RUN: hinm-opt %s --hinm-sparsify -split-input-file -verify-diagnostics
// RUN: not hinm-opt %s --hinm-sparsify -split-input-file 2>/dev/null | FileCheck %s
// hinm-sparsify diagnostics on convolutions: non-finite filters are an error
// naming the element in the filter's own coordinates (a grouped filter's too),
// filters that do not fit (C*K... < M) and conv forms without a rewrite
// (depthwise, quantized, dynamic shapes other than the batch, mixed element
// types) stay dense with a warning, said once for all groups of a grouped
// convolution; memref convs and pooling windows are not candidates (no warning).

func.func @nan_filter(%x: tensor<1x1x5x5xf32>, %c: tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32> {
  %w = arith.constant dense<[[[[1.0, 1.0], [1.0, 1.0]]], [[[1.0, 1.0], [1.0, 1.0]]], [[[1.0, 1.0], [1.0, 1.0]]], [[[1.0, 1.0], [0x7FC00000, 1.0]]], [[[1.0, 1.0], [1.0, 1.0]]], [[[1.0, 1.0], [1.0, 1.0]]], [[[1.0, 1.0], [1.0, 1.0]]], [[[1.0, 1.0], [1.0, 1.0]]], [[[1.0, 1.0], [1.0, 1.0]]], [[[1.0, 1.0], [1.0, 1.0]]], [[[1.0, 1.0], [1.0, 1.0]]], [[[1.0, 1.0], [1.0, 1.0]]], [[[1.0, 1.0], [1.0, 1.0]]], [[[1.0, 1.0], [1.0, 1.0]]], [[[1.0, 1.0], [1.0, 1.0]]], [[[1.0, 1.0], [1.0, 1.0]]]]> : tensor<16x1x2x2xf32>
  // expected-error @+1 {{hinm-sparsify: cannot prune the filter: element at [3, 0, 1, 0] is NaN}}
  %y = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x1x5x5xf32>, tensor<16x1x2x2xf32>) outs(%c : tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32>
  return %y : tensor<1x16x4x4xf32>
}

// -----

func.func @inf_filter(%x: tensor<1x5x5x1xf32>, %c: tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32> {
  %w = arith.constant dense<[[[[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]], [[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0, 1.0, 0x7F800000, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]], [[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]]]]> : tensor<2x2x1x16xf32>
  // expected-error @+1 {{hinm-sparsify: cannot prune the filter: element at [1, 0, 0, 5] is infinite}}
  %y = linalg.conv_2d_nhwc_hwcf ins(%x, %w : tensor<1x5x5x1xf32>, tensor<2x2x1x16xf32>) outs(%c : tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32>
  return %y : tensor<1x4x4x16xf32>
}

// -----

// C*KH*KW = 1*1*3 = 3 columns, fewer than M = 4.
// CHECK-LABEL: func.func @too_few_columns
// CHECK: linalg.conv_2d_nchw_fchw
func.func @too_few_columns(%x: tensor<1x1x4x6xf32>, %c: tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32> {
  %w = arith.constant dense<1.0> : tensor<16x1x1x3xf32>
  // expected-warning @+1 {{hinm-sparsify: filter 16x3 left dense: matrix has 3 columns, fewer than M = 4}}
  %y = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x1x4x6xf32>, tensor<16x1x1x3xf32>) outs(%c : tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32>
  return %y : tensor<1x16x4x4xf32>
}

// -----

// CHECK-LABEL: func.func @depthwise
// CHECK-NOT: hinm.
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc
func.func @depthwise(%x: tensor<1x6x6x8xf32>, %c: tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> {
  %w = arith.constant dense<0.5> : tensor<3x3x8xf32>
  // expected-warning @+1 {{hinm-sparsify: constant filter left dense: linalg.depthwise_conv_2d_nhwc_hwc is not handled (only linalg.conv_1d_nwc_wcf, linalg.conv_1d_ncw_fcw, linalg.conv_2d_nhwc_hwcf, linalg.conv_2d_nhwc_fhwc, linalg.conv_2d_nchw_fchw, linalg.conv_2d_ngchw_fgchw, linalg.conv_2d_ngchw_gfchw, linalg.conv_2d_nhwgc_gfhwc, linalg.conv_3d_ndhwc_dhwcf and linalg.conv_3d_ncdhw_fcdhw are)}}
  %y = linalg.depthwise_conv_2d_nhwc_hwc ins(%x, %w : tensor<1x6x6x8xf32>, tensor<3x3x8xf32>) outs(%c : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  return %y : tensor<1x4x4x8xf32>
}

// -----

// A NaN in a grouped filter is named in its own 5-D coordinates, and the op
// is not split.
func.func @grouped_nan_filter(%x: tensor<1x2x1x4x7xf32>, %c: tensor<1x2x16x4x4xf32>) -> tensor<1x2x16x4x4xf32> {
  %w = arith.constant dense<[[[[[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]]]], [[[[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 0x7FC00000, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]]]]]> : tensor<2x16x1x1x4xf32>
  // expected-error @+1 {{hinm-sparsify: cannot prune the filter: element at [1, 3, 0, 0, 2] is NaN}}
  %y = linalg.conv_2d_ngchw_gfchw ins(%x, %w : tensor<1x2x1x4x7xf32>, tensor<2x16x1x1x4xf32>) outs(%c : tensor<1x2x16x4x4xf32>) -> tensor<1x2x16x4x4xf32>
  return %y : tensor<1x2x16x4x4xf32>
}

// -----

// Grouped, C/G*KH*KW = 1*1*3 = 3 columns per group, fewer than M = 4: one
// warning for all groups, and the op is not split.
// CHECK-LABEL: func.func @grouped_too_few_columns
// CHECK-NOT: tensor.extract_slice
// CHECK: linalg.conv_2d_ngchw_fgchw
func.func @grouped_too_few_columns(%x: tensor<1x2x1x4x6xf32>, %c: tensor<1x2x16x4x4xf32>) -> tensor<1x2x16x4x4xf32> {
  %w = arith.constant dense<0.5> : tensor<16x2x1x1x3xf32>
  // expected-warning @+1 {{hinm-sparsify: constant filter left dense: group filters 16x3 (HiNM view [out, in]): matrix has 3 columns, fewer than M = 4}}
  %y = linalg.conv_2d_ngchw_fgchw ins(%x, %w : tensor<1x2x1x4x6xf32>, tensor<16x2x1x1x3xf32>) outs(%c : tensor<1x2x16x4x4xf32>) -> tensor<1x2x16x4x4xf32>
  return %y : tensor<1x2x16x4x4xf32>
}

// -----

// Grouped with a dynamic spatial size: only the batch may be dynamic.
// CHECK-LABEL: func.func @grouped_dynamic_width
// CHECK-NOT: tensor.extract_slice
// CHECK: linalg.conv_2d_nhwgc_gfhwc
func.func @grouped_dynamic_width(%x: tensor<1x6x?x2x4xf32>, %c: tensor<1x4x?x2x16xf32>) -> tensor<1x4x?x2x16xf32> {
  %w = arith.constant dense<0.5> : tensor<2x16x3x3x4xf32>
  // expected-warning @+1 {{hinm-sparsify: constant filter left dense: dynamic shapes other than the batch are not supported}}
  %y = linalg.conv_2d_nhwgc_gfhwc ins(%x, %w : tensor<1x6x?x2x4xf32>, tensor<2x16x3x3x4xf32>) outs(%c : tensor<1x4x?x2x16xf32>) -> tensor<1x4x?x2x16xf32>
  return %y : tensor<1x4x?x2x16xf32>
}

// -----

// Grouped with f16 activations and an f32 filter.
// CHECK-LABEL: func.func @grouped_mixed_types
// CHECK: linalg.conv_2d_ngchw_gfchw
func.func @grouped_mixed_types(%x: tensor<1x2x4x6x6xf16>, %c: tensor<1x2x16x4x4xf32>) -> tensor<1x2x16x4x4xf32> {
  %w = arith.constant dense<0.5> : tensor<2x16x4x3x3xf32>
  // expected-warning @+1 {{hinm-sparsify: constant filter left dense: operands have different element types}}
  %y = linalg.conv_2d_ngchw_gfchw ins(%x, %w : tensor<1x2x4x6x6xf16>, tensor<2x16x4x3x3xf32>) outs(%c : tensor<1x2x16x4x4xf32>) -> tensor<1x2x16x4x4xf32>
  return %y : tensor<1x2x16x4x4xf32>
}

// -----

// The quantized grouped form has no rewrite.
// CHECK-LABEL: func.func @grouped_quantized
// CHECK-NOT: hinm.
// CHECK: linalg.conv_2d_ngchw_gfchw_q
func.func @grouped_quantized(%x: tensor<1x2x4x6x6xi8>, %c: tensor<1x2x16x4x4xi32>) -> tensor<1x2x16x4x4xi32> {
  %w = arith.constant dense<1> : tensor<2x16x4x3x3xi8>
  %zx = arith.constant 0 : i32
  %zw = arith.constant 0 : i32
  // expected-warning @+1 {{linalg.conv_2d_ngchw_gfchw_q is not handled}}
  %y = linalg.conv_2d_ngchw_gfchw_q ins(%x, %w, %zx, %zw : tensor<1x2x4x6x6xi8>, tensor<2x16x4x3x3xi8>, i32, i32) outs(%c : tensor<1x2x16x4x4xi32>) -> tensor<1x2x16x4x4xi32>
  return %y : tensor<1x2x16x4x4xi32>
}

// -----

// A 1-D convolution with C*KW = 1*3 = 3 columns, fewer than M = 4.
// CHECK-LABEL: func.func @conv1d_too_few_columns
// CHECK: linalg.conv_1d_ncw_fcw
func.func @conv1d_too_few_columns(%x: tensor<1x1x8xf32>, %c: tensor<1x16x6xf32>) -> tensor<1x16x6xf32> {
  %w = arith.constant dense<1.0> : tensor<16x1x3xf32>
  // expected-warning @+1 {{hinm-sparsify: filter 16x3 left dense: matrix has 3 columns, fewer than M = 4}}
  %y = linalg.conv_1d_ncw_fcw ins(%x, %w : tensor<1x1x8xf32>, tensor<16x1x3xf32>) outs(%c : tensor<1x16x6xf32>) -> tensor<1x16x6xf32>
  return %y : tensor<1x16x6xf32>
}

// -----

// A NaN in a 3-D filter [KD, KH, KW, C, F] is named in those 5 coordinates.
func.func @conv3d_nan_filter(%x: tensor<1x3x3x3x1xf32>, %c: tensor<1x2x2x2x4xf32>) -> tensor<1x2x2x2x4xf32> {
  %w = arith.constant dense<[[[[[1.0, 1.0, 1.0, 1.0]], [[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]], [[1.0, 1.0, 1.0, 1.0]]]], [[[[1.0, 1.0, 1.0, 1.0]], [[1.0, 1.0, 1.0, 1.0]]], [[[1.0, 1.0, 1.0, 1.0]], [[1.0, 1.0, 0x7FC00000, 1.0]]]]]> : tensor<2x2x2x1x4xf32>
  // expected-error @+1 {{hinm-sparsify: cannot prune the filter: element at [1, 1, 1, 0, 2] is NaN}}
  %y = linalg.conv_3d_ndhwc_dhwcf ins(%x, %w : tensor<1x3x3x3x1xf32>, tensor<2x2x2x1x4xf32>) outs(%c : tensor<1x2x2x2x4xf32>) -> tensor<1x2x2x2x4xf32>
  return %y : tensor<1x2x2x2x4xf32>
}

// -----

// A dynamic spatial size of a 3-D convolution.
// CHECK-LABEL: func.func @conv3d_dynamic_depth
// CHECK-NOT: hinm.
// CHECK: linalg.conv_3d_ncdhw_fcdhw
func.func @conv3d_dynamic_depth(%x: tensor<1x4x?x4x4xf32>, %c: tensor<1x16x2x2x2xf32>) -> tensor<1x16x2x2x2xf32> {
  %w = arith.constant dense<0.5> : tensor<16x4x3x3x3xf32>
  // expected-warning @+1 {{hinm-sparsify: constant filter left dense: dynamic shapes other than the batch are not supported}}
  %y = linalg.conv_3d_ncdhw_fcdhw ins(%x, %w : tensor<1x4x?x4x4xf32>, tensor<16x4x3x3x3xf32>) outs(%c : tensor<1x16x2x2x2xf32>) -> tensor<1x16x2x2x2xf32>
  return %y : tensor<1x16x2x2x2xf32>
}

// -----

// Quantized convolutions (integer operands and zero points) are not handled.
// CHECK-LABEL: func.func @quantized
// CHECK-NOT: hinm.
// CHECK: linalg.conv_2d_nhwc_hwcf_q
func.func @quantized(%x: tensor<1x6x6x4xi8>, %c: tensor<1x4x4x16xi32>) -> tensor<1x4x4x16xi32> {
  %w = arith.constant dense<3> : tensor<3x3x4x16xi8>
  %zx = arith.constant 0 : i32
  %zw = arith.constant 0 : i32
  // expected-warning @+1 {{linalg.conv_2d_nhwc_hwcf_q is not handled}}
  %y = linalg.conv_2d_nhwc_hwcf_q ins(%x, %w, %zx, %zw : tensor<1x6x6x4xi8>, tensor<3x3x4x16xi8>, i32, i32) outs(%c : tensor<1x4x4x16xi32>) -> tensor<1x4x4x16xi32>
  return %y : tensor<1x4x4x16xi32>
}

// -----

// A dynamic spatial size is not handled (only the batch may be dynamic).
// CHECK-LABEL: func.func @dynamic_height
// CHECK-NOT: hinm.
// CHECK: linalg.conv_2d_nhwc_hwcf
func.func @dynamic_height(%x: tensor<1x?x6x4xf32>, %c: tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32> {
  %w = arith.constant dense<0.5> : tensor<3x3x4x16xf32>
  // expected-warning @+1 {{hinm-sparsify: constant filter left dense: dynamic shapes other than the batch are not supported}}
  %y = linalg.conv_2d_nhwc_hwcf ins(%x, %w : tensor<1x?x6x4xf32>, tensor<3x3x4x16xf32>) outs(%c : tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32>
  return %y : tensor<1x4x4x16xf32>
}

// -----

// CHECK-LABEL: func.func @dynamic_batch_one_side
// CHECK-NOT: hinm.
// CHECK: linalg.conv_2d_nhwc_hwcf
func.func @dynamic_batch_one_side(%x: tensor<?x6x6x4xf32>, %c: tensor<2x4x4x16xf32>) -> tensor<2x4x4x16xf32> {
  %w = arith.constant dense<0.5> : tensor<3x3x4x16xf32>
  // expected-warning @+1 {{hinm-sparsify: constant filter left dense: a dynamic batch must be dynamic in both the input and the output}}
  %y = linalg.conv_2d_nhwc_hwcf ins(%x, %w : tensor<?x6x6x4xf32>, tensor<3x3x4x16xf32>) outs(%c : tensor<2x4x4x16xf32>) -> tensor<2x4x4x16xf32>
  return %y : tensor<2x4x4x16xf32>
}

// -----

// CHECK-LABEL: func.func @mixed_types
// CHECK-NOT: hinm.
// CHECK: linalg.conv_2d_nchw_fchw
func.func @mixed_types(%x: tensor<1x4x6x6xf16>, %c: tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32> {
  %w = arith.constant dense<0.5> : tensor<16x4x3x3xf32>
  // expected-warning @+1 {{hinm-sparsify: constant filter left dense: operands have different element types}}
  %y = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x4x6x6xf16>, tensor<16x4x3x3xf32>) outs(%c : tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32>
  return %y : tensor<1x16x4x4xf32>
}

// -----

// Memref semantics: not a candidate (as for linalg.matmul), no diagnostic.
// CHECK-LABEL: func.func @memref_conv
// CHECK-NOT: hinm.
// CHECK: linalg.conv_2d_nchw_fchw
func.func @memref_conv(%x: memref<1x4x6x6xf32>, %c: memref<1x16x4x4xf32>) {
  %w = memref.alloc() : memref<16x4x3x3xf32>
  linalg.conv_2d_nchw_fchw ins(%x, %w : memref<1x4x6x6xf32>, memref<16x4x3x3xf32>) outs(%c : memref<1x16x4x4xf32>)
  return
}

// -----

// A pooling op is a ConvolutionOpInterface op, but its window is no weight.
// CHECK-LABEL: func.func @pooling
// CHECK-NOT: hinm.
// CHECK: linalg.pooling_nhwc_sum
func.func @pooling(%x: tensor<1x6x6x4xf32>, %c: tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> {
  %win = arith.constant dense<0.0> : tensor<3x3xf32>
  %y = linalg.pooling_nhwc_sum ins(%x, %win : tensor<1x6x6x4xf32>, tensor<3x3xf32>) outs(%c : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}
