// RUN: hinm-opt %s --convert-hinm-to-nvgpu | FileCheck %s
// RUN: hinm-opt %s --convert-hinm-to-nvgpu="device-global-weights=false" | FileCheck %s --check-prefix=COPY
// RUN: hinm-opt %s --hinm-gpu-pipeline="chip=sm_80 format=isa" | FileCheck %s --check-prefix=PIPE
// RUN: hinm-opt %s --hinm-gpu-pipeline="chip=sm_80 format=isa device-global-weights=false" | FileCheck %s --check-prefix=PIPECOPY
// RUN: hinm-opt %s --hinm-gpu-pipeline="chip=sm_80 format=isa" --hinm-print-isa=output=%t.ptx -o /dev/null
// RUN: FileCheck %s --check-prefix=PTX < %t.ptx
// Constant storage parts (a pruned model's weights) become private device
// globals that the kernel names, so they are uploaded once with the kernel's
// module instead of copied to the device on every call. Run-time parts are
// still copied per call. One constant used by two matmuls is one global.

!W = !hinm.matrix<32x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>

// Two matmuls on one constant weight: no weight copies, the same globals.
// CHECK-LABEL: func.func @shared_weight
// CHECK: gpu.memcpy
// CHECK-NOT: gpu.memcpy
// CHECK: gpu.launch
// CHECK-DAG: memref.get_global @__hinm_values :
// CHECK-DAG: memref.get_global @__hinm_vector_index :
// CHECK-DAG: memref.get_global @__hinm_metadata :
// CHECK-DAG: memref.get_global @__hinm_row_perm :
// CHECK: gpu.terminator
// CHECK-COUNT-2: gpu.memcpy
// CHECK-NOT: gpu.memcpy
// CHECK: gpu.launch
// CHECK-DAG: memref.get_global @__hinm_values :
// CHECK-DAG: memref.get_global @__hinm_vector_index :
// CHECK-DAG: memref.get_global @__hinm_metadata :
// CHECK-DAG: memref.get_global @__hinm_row_perm :
// CHECK: gpu.terminator
// CHECK: gpu.memcpy
// CHECK-NOT: gpu.memcpy
// CHECK: return
func.func @shared_weight(%x: tensor<64x64xf16>, %x2: tensor<64x64xf16>)
    -> (tensor<32x64xf32>, tensor<32x64xf32>) {
  %v = arith.constant dense<1.0> : tensor<32x16xf16>
  %i = arith.constant dense<[[0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 42, 44, 46, 48, 50, 52, 54, 56, 58, 60, 62]]> : tensor<1x32xi32>
  // 0x44444444: every group keeps positions 0 and 1.
  %m = arith.constant dense<1145324612> : tensor<32x1xi32>
  %p = arith.constant dense<[31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]> : tensor<32xi32>
  %w = hinm.assemble %v, %i, %m, %p : !W
  %y = hinm.matmul %w, %x : !W, tensor<64x64xf16> -> tensor<32x64xf32>
  %y2 = hinm.matmul %w, %x2 : !W, tensor<64x64xf16> -> tensor<32x64xf32>
  return %y, %y2 : tensor<32x64xf32>, tensor<32x64xf32>
}

// device-global-weights=false: the constant parts are copied like run-time
// ones, four copies and the activations before each launch.
// COPY-LABEL: func.func @shared_weight
// COPY-COUNT-5: gpu.memcpy
// COPY-NOT: gpu.memcpy
// COPY: gpu.launch
// COPY-NOT: memref.get_global
// COPY: gpu.terminator
// COPY-NOT: memref.global

// Run-time metadata, the other parts constant: the metadata is checked and
// copied (a gpu.memcpy from the argument), the others come from globals;
// the vector index and permutation equal @shared_weight's, so they are its
// globals.
// CHECK-LABEL: func.func @runtime_metadata
// CHECK-SAME: (%[[M:.*]]: tensor<32x1xi32>
// CHECK: hinm.assert %{{.*}}, "hinm.matmul: metadata positions
// CHECK: %[[HM:.*]] = bufferization.to_buffer %[[M]] read_only
// CHECK: %[[DM:.*]], %{{.*}} = gpu.alloc
// CHECK: gpu.memcpy async [%{{.*}}] %[[DM]], %[[HM]]
// CHECK: gpu.launch
// CHECK-DAG: memref.get_global @__hinm_values_0 :
// CHECK-DAG: memref.get_global @__hinm_vector_index :
// CHECK-DAG: memref.get_global @__hinm_row_perm :
// CHECK: memref.load %[[DM]]
// CHECK: gpu.terminator
func.func @runtime_metadata(%m: tensor<32x1xi32>, %x: tensor<64x64xf16>)
    -> tensor<32x64xf32> {
  %v = arith.constant dense<2.0> : tensor<32x16xf16>
  %i = arith.constant dense<[[0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 42, 44, 46, 48, 50, 52, 54, 56, 58, 60, 62]]> : tensor<1x32xi32>
  %p = arith.constant dense<[31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]> : tensor<32xi32>
  %w = hinm.assemble %v, %i, %m, %p : !W
  %y = hinm.matmul %w, %x : !W, tensor<64x64xf16> -> tensor<32x64xf32>
  return %y : tensor<32x64xf32>
}

// The globals: private, constant, in device global memory, 16-byte aligned.
// CHECK-DAG: memref.global "private" constant @__hinm_values : memref<32x16xf16, #gpu.address_space<global>> = dense<1.000000e+00> {alignment = 16 : i64}
// CHECK-DAG: memref.global "private" constant @__hinm_values_0 : memref<32x16xf16, #gpu.address_space<global>> = dense<2.000000e+00> {alignment = 16 : i64}
// CHECK-DAG: memref.global "private" constant @__hinm_vector_index : memref<1x32xi32, #gpu.address_space<global>>
// CHECK-DAG: memref.global "private" constant @__hinm_metadata : memref<32x1xi32, #gpu.address_space<global>> = dense<1145324612>
// CHECK-DAG: memref.global "private" constant @__hinm_row_perm : memref<32xi32, #gpu.address_space<global>>

// Through the pipeline the host keeps no copy of them (their memory space
// has no host lowering), and each kernel's module defines the ones it reads
// (one copy per kernel module). @shared_weight's metadata is a splat: its
// loads fold to the constant, and the global goes away.
// PIPE-NOT: __hinm_values
// PIPE-LABEL: llvm.func @shared_weight(
// PIPE-COUNT-4: llvm.call @mgpuMemcpy
// PIPE-NOT: llvm.call @mgpuMemcpy
// PIPE: llvm.return
// PIPE-NOT: __hinm_values
// PIPE: gpu.binary
// The pipeline's option turns the globals off: per matmul the four parts,
// the activations and the result are copied.
// PIPECOPY-LABEL: llvm.func @shared_weight(
// PIPECOPY-COUNT-12: llvm.call @mgpuMemcpy
// PIPECOPY-NOT: llvm.call @mgpuMemcpy
// PIPECOPY: llvm.return
// PTX: .global .align 16 .b8 __hinm_values[1024] = {0, 60, 0, 60,
// PTX-NEXT: .global .align 16 .b8 __hinm_vector_index[128] = {0, 0, 0, 0, 2, 0,
// PTX-NEXT: .global .align 16 .b8 __hinm_row_perm[128] = {31, 0, 0, 0, 30,
// PTX: .entry shared_weight_kernel(
// PTX: .global .align 16 .b8 __hinm_values[1024]
// PTX: .entry shared_weight_kernel(
// PTX: .global .align 16 .b8 __hinm_values_0[1024] = {0, 64, 0, 64,
// PTX: .entry runtime_metadata_kernel(
