// RUN: rm -rf %t.dir
// RUN: hinm-opt %s --hinm-gpu-pipeline="chip=sm_80 format=isa" --hinm-print-isa="output=%t.dir split" -o /dev/null
// RUN: FileCheck %s --check-prefix=FIRST < %t.dir/first_kernel.ptx
// RUN: FileCheck %s --check-prefix=SECOND < %t.dir/second_kernel.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_80 %t.dir/first_kernel.ptx -o /dev/null %}
// RUN: %if ptxas %{ %ptxas -arch=sm_80 %t.dir/second_kernel.ptx -o /dev/null %}
// RUN: hinm-opt %s --hinm-gpu-pipeline="chip=sm_80 format=isa" --hinm-print-isa -o /dev/null | FileCheck %s --check-prefix=ALL
// RUN: not hinm-opt %s --hinm-print-isa=split 2>&1 | FileCheck %s --check-prefix=STDOUT
// RUN: touch %t.file
// RUN: not hinm-opt %s --hinm-gpu-pipeline="chip=sm_80 format=isa" --hinm-print-isa="output=%t.file/ptx split" -o /dev/null 2>&1 | FileCheck %s --check-prefix=NODIR
// Two matmuls give two GPU modules, each its own PTX module with its own
// header: concatenated on stdout they can be read and checked, but ptxas
// takes one module per file, which `split` writes (<gpu.binary name>.ptx).

// FIRST: .version
// FIRST-NOT: .version
// FIRST: .visible .entry first_kernel(
// FIRST: mma.sp.sync.aligned.m16n8k32
// FIRST-NOT: .entry
// SECOND: .version
// SECOND-NOT: .version
// SECOND: .visible .entry second_kernel(
// SECOND-NOT: .entry
// ALL: .entry first_kernel(
// ALL: .version
// ALL: .entry second_kernel(
// STDOUT: error: hinm-print-isa: split writes one file per PTX module: give output a directory, not '-'
// A directory that cannot be made (its parent is a file) is a located error.
// NODIR: print-isa-split.mlir:0:0: error: cannot create the directory '{{.*}}.file/ptx':

!W = !hinm.matrix<64x128xf16, #hinm.format<vector_size = 32, kept = 64, n = 2, m = 4>>
func.func @first(%w: !W, %x: tensor<128x16xf16>) -> tensor<64x16xf32> {
  %y = hinm.matmul %w, %x : !W, tensor<128x16xf16> -> tensor<64x16xf32>
  return %y : tensor<64x16xf32>
}
func.func @second(%w: !W, %x: tensor<128x32xf16>) -> tensor<64x32xf32> {
  %y = hinm.matmul %w, %x : !W, tensor<128x32xf16> -> tensor<64x32xf32>
  return %y : tensor<64x32xf32>
}
