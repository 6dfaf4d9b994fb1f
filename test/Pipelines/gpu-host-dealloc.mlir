// RUN: hinm-opt %s --hinm-gpu-pipeline="chip=sm_80 format=isa fuse-epilogue=false device-gather=false" | FileCheck %s
// RUN: hinm-opt %s --hinm-gpu-pipeline="chip=sm_80 format=isa fuse-epilogue=false device-gather=false" | FileCheck %s --check-prefix=COUNT
// RUN: hinm-opt %s --hinm-gpu-pipeline="chip=sm_80 format=isa fuse-epilogue=false device-gather=false" | FileCheck %s --check-prefix=DEV
// The same steps by hand, as convert-hinm-to-nvgpu's description gives them:
// RUN: hinm-opt %s --convert-hinm-to-nvgpu="fuse-epilogue=false device-gather=false" --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --gpu-launch-sink-index-computations --gpu-kernel-outlining --buffer-deallocation-pipeline | FileCheck %s --check-prefix=MANUAL
// With the default fusion, the cast and the bias add run in the kernels:
// RUN: hinm-opt %s --hinm-gpu-pipeline="chip=sm_80 format=isa" | FileCheck %s --check-prefix=FUSED
// RUN: hinm-opt %s --hinm-gpu-pipeline="chip=sm_80 format=isa" | FileCheck %s --check-prefix=FUSEDDEV
// RUN: hinm-opt %s --hinm-gpu-pipeline="chip=sm_80 format=isa" | FileCheck %s --check-prefix=FUSEDCOPY
// The GPU pipeline frees the host buffers it allocates, except the one the
// function returns: the scratch tables of the run-time checks, the host copy
// of a matmul result that feeds another op, and the host-side temporaries
// (the f16 cast between the layers, the second layer's result before the
// bias; fuse-epilogue=false device-gather=false keeps those on the host, to
// have them). Before, only the checks' scratch was freed, so every call of a
// multi-layer function leaked its intermediate results. Device buffers are
// freed by the conversion (mgpuMemFree).

!W1 = !hinm.matrix<64x128xf16, #hinm.format<vector_size = 64, kept = 64, n = 2, m = 4>>
!W2 = !hinm.matrix<64x64xf16, #hinm.format<vector_size = 64, kept = 32, n = 2, m = 4>>

// CHECK-LABEL: llvm.func @two_layers(
// First layer: the checks' scratch (seen columns, inverse permutation),
// the launch, the host result, then the f16 cast.
// CHECK: %[[SEEN1:.*]] = llvm.call @malloc
// CHECK: %[[INV1:.*]] = llvm.call @malloc
// CHECK: gpu.launch_func
// CHECK: %[[OUT1:.*]] = llvm.call @malloc
// CHECK: %[[CAST:.*]] = llvm.call @malloc
// Second layer, then the bias add into the returned buffer.
// CHECK: %[[SEEN2:.*]] = llvm.call @malloc
// CHECK: %[[INV2:.*]] = llvm.call @malloc
// CHECK: gpu.launch_func
// CHECK: %[[OUT2:.*]] = llvm.call @malloc
// CHECK: %[[RES:.*]] = llvm.call @malloc
// CHECK-DAG: llvm.call @free(%[[SEEN1]])
// CHECK-DAG: llvm.call @free(%[[INV1]])
// CHECK-DAG: llvm.call @free(%[[OUT1]])
// CHECK-DAG: llvm.call @free(%[[CAST]])
// CHECK-DAG: llvm.call @free(%[[SEEN2]])
// CHECK-DAG: llvm.call @free(%[[INV2]])
// CHECK-DAG: llvm.call @free(%[[OUT2]])
// CHECK: llvm.return
// Exactly those seven frees (so the returned buffer is not among them).
// COUNT-LABEL: llvm.func @two_layers(
// COUNT-COUNT-7: llvm.call @free(
// COUNT-NOT: llvm.call @free(
// COUNT: llvm.return
// One device free per device buffer: per layer, the four storage parts, the
// activations and the output.
// DEV-LABEL: llvm.func @two_layers(
// DEV-COUNT-12: llvm.call @mgpuMemFree(
// DEV-NOT: llvm.call @mgpuMemFree(
// DEV: llvm.return
// Fused (the default): the first kernel stores f16, which the second kernel
// reads in place on the device (no copy out and back, no host buffer); the
// second stores the sum into the returned buffer. Four host frees: both
// layers' checks scratch. Device: the first layer's 4 parts and activations,
// then the second's 4 parts, the first result (its activations), the bias
// matrix and its result: 12 frees. Copies: 5 in for the first layer, 5 in
// and 1 out for the second.
// FUSED-LABEL: llvm.func @two_layers(
// FUSED-NOT: llvm.fadd
// FUSED-NOT: llvm.fptrunc
// FUSED-COUNT-4: llvm.call @free(
// FUSED-NOT: llvm.call @free(
// FUSED: llvm.return
// FUSEDDEV-LABEL: llvm.func @two_layers(
// FUSEDDEV-COUNT-12: llvm.call @mgpuMemFree(
// FUSEDDEV-NOT: llvm.call @mgpuMemFree(
// FUSEDDEV: llvm.return
// FUSEDCOPY-LABEL: llvm.func @two_layers(
// FUSEDCOPY-COUNT-11: llvm.call @mgpuMemcpy(
// FUSEDCOPY-NOT: llvm.call @mgpuMemcpy(
// FUSEDCOPY: llvm.return
// FUSED-LABEL: gpu.binary
// FUSED-DAG: cvt.rn.f16x2.f32
// FUSED-DAG: add.rn.f32
// MANUAL-LABEL: func.func @two_layers(
// MANUAL-COUNT-7: memref.dealloc
// MANUAL-NOT: memref.dealloc
// MANUAL: return
func.func @two_layers(%w1: !W1, %w2: !W2, %x: tensor<128x32xf16>,
                      %b: tensor<64x32xf32>) -> tensor<64x32xf32> {
  %y = hinm.matmul %w1, %x : !W1, tensor<128x32xf16> -> tensor<64x32xf32>
  %e = tensor.empty() : tensor<64x32xf16>
  %h = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>,
                                        affine_map<(i, j) -> (i, j)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<64x32xf32>) outs(%e : tensor<64x32xf16>) {
  ^bb0(%a: f32, %o: f16):
    %t = arith.truncf %a : f32 to f16
    linalg.yield %t : f16
  } -> tensor<64x32xf16>
  %z = hinm.matmul %w2, %h : !W2, tensor<64x32xf16> -> tensor<64x32xf32>
  %e2 = tensor.empty() : tensor<64x32xf32>
  %r = linalg.add ins(%z, %b : tensor<64x32xf32>, tensor<64x32xf32>)
                  outs(%e2 : tensor<64x32xf32>) -> tensor<64x32xf32>
  return %r : tensor<64x32xf32>
}
