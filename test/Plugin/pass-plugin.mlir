// UNSUPPORTED: asan
// RUN: mlir-opt %s --load-pass-plugin=%hinm_plugin --pass-pipeline="builtin.module(hinm-print-isa)" -o /dev/null | FileCheck %s
// RUN: mlir-opt %s --load-dialect-plugin=%hinm_plugin --pass-pipeline="builtin.module(hinm-print-isa{output=%t.ptx})" | FileCheck %s --check-prefix=IR
// RUN: FileCheck %s < %t.ptx
// RUN: mlir-opt %s --load-pass-plugin=%hinm_plugin --help | FileCheck %s --check-prefix=HELP
// RUN: not mlir-opt %s --pass-pipeline="builtin.module(hinm-print-isa)" 2>&1 | FileCheck %s --check-prefix=NOPLUGIN
// Stock mlir-opt running a hinm pass loaded from HiNMPlugin.so, through the
// pass-plugin and the dialect-plugin entry points: hinm-print-isa writes the
// PTX text held by a gpu.binary (stdout, or a file with its option) and leaves
// the IR alone.

// CHECK: // PTX from a plugin test
// CHECK-NEXT: .version 8.0
// CHECK-NEXT: .target sm_80

// IR: gpu.binary @kernels
// IR-SAME: assembly =

// HELP: --hinm-print-isa

// NOPLUGIN: 'hinm-print-isa' does not refer to a registered pass or pass pipeline

module attributes {gpu.container_module} {
  gpu.binary @kernels [#gpu.object<#nvvm.target<chip = "sm_80">, assembly = "// PTX from a plugin test\0A.version 8.0\0A.target sm_80\0A">]
}
