// UNSUPPORTED: asan
// RUN: mlir-opt %s --load-dialect-plugin=%hinm_plugin | mlir-opt --load-dialect-plugin=%hinm_plugin | FileCheck %s --check-prefix=ROUNDTRIP
// RUN: mlir-opt %s --load-dialect-plugin=%hinm_plugin --canonicalize | FileCheck %s --check-prefix=CANON
// RUN: mlir-opt %s --load-dialect-plugin=%hinm_plugin --load-pass-plugin=%hinm_plugin --canonicalize | FileCheck %s --check-prefix=CANON
// RUN: not mlir-opt %s 2>&1 | FileCheck %s --check-prefix=NOPLUGIN
// Stock mlir-opt (libMLIR.so) with HiNMPlugin.so as a dialect plugin: hinm
// types, attributes and ops parse and print, and hinm.pack of constants folds
// to constant storage under --canonicalize (the dialect's own patterns run in
// the host tool). Loading the module twice (dialect + pass plugin) is fine.

!W = !hinm.matrix<16x8xf32, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>

// ROUNDTRIP-LABEL: func.func @roundtrip
// ROUNDTRIP-SAME: (%[[W:.*]]: !hinm.matrix<16x8xf32, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>
// ROUNDTRIP: %[[V:.*]], %{{.*}}, %{{.*}}, %{{.*}} = hinm.disassemble %[[W]] : !hinm.matrix<16x8xf32, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>
// ROUNDTRIP: %[[D:.*]] = hinm.to_dense %[[W]]
// ROUNDTRIP: return %[[V]], %[[D]] : tensor<16x2xf32>, tensor<16x8xf32>
func.func @roundtrip(%w: !W) -> (tensor<16x2xf32>, tensor<16x8xf32>) {
  %v, %i, %m, %p = hinm.disassemble %w : !W
  %d = hinm.to_dense %w : !W
  return %v, %d : tensor<16x2xf32>, tensor<16x8xf32>
}

// Row 0 is 1..8, the block keeps columns [6, 1, 3, 0] (IVP order), row 0 keeps
// compacted positions 1 and 3 (columns 1 and 0), every other row positions 0
// and 2; rows 0 and 1 swap storage places. So storage row 1 holds [2, 1] and
// its metadata word is 1 | 3 << 2 = 13.
// ROUNDTRIP-LABEL: func.func @pack_constant
// ROUNDTRIP: hinm.pack
// CANON-LABEL: func.func @pack_constant
// CANON-NOT: hinm.pack
// CANON-DAG: %[[V:.*]] = arith.constant dense<{{\[\[}}0.000000e+00, 0.000000e+00], [2.000000e+00, 1.000000e+00], [0.000000e+00, 0.000000e+00]
// CANON-DAG: %[[I:.*]] = arith.constant dense<{{\[\[}}6, 1, 3, 0]]> : tensor<1x4xi32>
// CANON-DAG: %[[M:.*]] = arith.constant dense<{{\[\[}}8], [13], [8], [8]
// CANON-DAG: %[[P:.*]] = arith.constant dense<[1, 0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]> : tensor<16xi32>
// CANON: %[[W:.*]] = hinm.assemble %[[V]], %[[I]], %[[M]], %[[P]]
// CANON: return %[[W]]
func.func @pack_constant() -> !W {
  %d = arith.constant dense<[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<16x8xf32>
  %p = arith.constant dense<[1, 0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]> : tensor<16xi32>
  %i = arith.constant dense<[[6, 1, 3, 0]]> : tensor<1x4xi32>
  %mask = arith.constant dense<[[true, false, true, false], [false, true, false, true],
      [true, false, true, false], [true, false, true, false], [true, false, true, false],
      [true, false, true, false], [true, false, true, false], [true, false, true, false],
      [true, false, true, false], [true, false, true, false], [true, false, true, false],
      [true, false, true, false], [true, false, true, false], [true, false, true, false],
      [true, false, true, false], [true, false, true, false]]> : tensor<16x4xi1>
  %w = hinm.pack %d, %p, %i, %mask : !W
  return %w : !W
}

// Without the plugin, stock mlir-opt does not know the dialect.
// NOPLUGIN: type created with unregistered dialect
