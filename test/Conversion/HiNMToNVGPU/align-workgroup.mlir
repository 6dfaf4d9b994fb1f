// RUN: hinm-opt %s --hinm-align-workgroup-buffers | FileCheck %s
// RUN: hinm-opt %s --hinm-align-workgroup-buffers="alignment=32" | FileCheck %s --check-prefix=A32
// RUN: not hinm-opt %s --hinm-align-workgroup-buffers="alignment=12" 2>&1 | FileCheck %s --check-prefix=BAD
// Workgroup attributions of kernels get at least the requested alignment;
// larger ones are kept.

module attributes {gpu.container_module} {
  gpu.module @kernels {
    // CHECK-LABEL: gpu.func @k
    // CHECK-SAME: workgroup(%{{.*}} : memref<32x16xf16, #gpu.address_space<workgroup>> {llvm.align = 16 : i64}, %{{.*}} : memref<8xf32, #gpu.address_space<workgroup>> {llvm.align = 64 : i64})
    // A32-LABEL: gpu.func @k
    // A32-SAME: {llvm.align = 32 : i64}
    // A32-SAME: {llvm.align = 64 : i64}
    gpu.func @k() workgroup(%a : memref<32x16xf16, #gpu.address_space<workgroup>>,
                            %b : memref<8xf32, #gpu.address_space<workgroup>> {llvm.align = 64 : i64}) kernel {
      gpu.return
    }
  }
}
// BAD: alignment must be a power of two, got 12
