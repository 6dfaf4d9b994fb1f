// RUN: not hinm-opt %s --hinm-sparsify="vector-size=16 permute=2cp report" -o %t.par.mlir 2> %t.par.diag
// RUN: not hinm-opt %s --hinm-sparsify="vector-size=16 permute=2cp report" --mlir-disable-threading -o %t.seq.mlir 2> %t.seq.diag
// RUN: diff %t.par.diag %t.seq.diag
// RUN: FileCheck %s < %t.par.diag
// RUN: hinm-opt %S/sparsify-contractions.mlir --hinm-sparsify="vector-size=16 permute=2cp" -split-input-file -o %t.par.ir 2>/dev/null
// RUN: hinm-opt %S/sparsify-contractions.mlir --hinm-sparsify="vector-size=16 permute=2cp" -split-input-file --mlir-disable-threading -o %t.seq.ir 2>/dev/null
// RUN: diff %t.par.ir %t.seq.ir
// hinm-sparsify prunes the weights of a function in parallel on the
// context's threads, then builds the IR and emits its diagnostics in op
// order: with and without threads (--mlir-disable-threading) the
// diagnostics are the same, in the same order, and so is the IR (compared
// on the many products of sparsify-contractions.mlir). Below, three layers
// are pruned (their remarks), one does not fit (a warning, emitted while
// the candidates are prepared) and one holds a NaN (an error, when its IR
// would be built).

// CHECK: warning: hinm-sparsify: weight 16x3 left dense
// CHECK: remark: hinm-sparsify: RHS weight 32x64
// CHECK: error: hinm-sparsify: cannot prune the 16x8 weight
// CHECK: remark: hinm-sparsify: LHS weight 16x16
// CHECK: remark: hinm-sparsify: RHS weight 48x32

func.func @layers(%x64: tensor<4x64xf32>, %x16: tensor<16x4xf32>, %x32: tensor<4x32xf32>,
                  %x3: tensor<4x3xf32>, %x8: tensor<8x4xf32>, %c32: tensor<4x32xf32>, %c16: tensor<16x4xf32>,
                  %c48: tensor<4x48xf32>, %c3: tensor<4x16xf32>)
    -> (tensor<4x32xf32>, tensor<16x4xf32>, tensor<4x48xf32>, tensor<4x16xf32>, tensor<16x4xf32>) {
  %w1 = arith.constant dense<0.5> : tensor<64x32xf32>
  %y1 = linalg.matmul ins(%x64, %w1 : tensor<4x64xf32>, tensor<64x32xf32>) outs(%c32 : tensor<4x32xf32>) -> tensor<4x32xf32>
  %nan = arith.constant dense<0x7FC00000> : tensor<16x8xf32>
  %y5 = linalg.matmul ins(%nan, %x8 : tensor<16x8xf32>, tensor<8x4xf32>) outs(%c16 : tensor<16x4xf32>) -> tensor<16x4xf32>
  %w2 = arith.constant dense<0.25> : tensor<16x16xf32>
  %y2 = linalg.matmul ins(%w2, %x16 : tensor<16x16xf32>, tensor<16x4xf32>) outs(%c16 : tensor<16x4xf32>) -> tensor<16x4xf32>
  %w3 = arith.constant dense<0.125> : tensor<32x48xf32>
  %y3 = linalg.matmul ins(%x32, %w3 : tensor<4x32xf32>, tensor<32x48xf32>) outs(%c48 : tensor<4x48xf32>) -> tensor<4x48xf32>
  %w4 = arith.constant dense<1.0> : tensor<3x16xf32>
  %y4 = linalg.matmul ins(%x3, %w4 : tensor<4x3xf32>, tensor<3x16xf32>) outs(%c3 : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %y1, %y2, %y3, %y4, %y5 : tensor<4x32xf32>, tensor<16x4xf32>, tensor<4x48xf32>, tensor<4x16xf32>, tensor<16x4xf32>
}
