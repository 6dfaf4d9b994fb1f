// RUN: hinm-opt %s | hinm-opt | FileCheck %s
// RUN: hinm-opt %s --mlir-print-op-generic | hinm-opt | FileCheck %s
// Round trip of every hinm op, attribute and type.

!W = !hinm.matrix<40x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>

// CHECK-LABEL: func.func @assemble_disassemble
// CHECK-SAME: (%[[V:.*]]: tensor<64x16xf16>, %[[I:.*]]: tensor<2x32xi32>, %[[M:.*]]: tensor<64x1xi32>, %[[P:.*]]: tensor<64xi32>)
func.func @assemble_disassemble(%v: tensor<64x16xf16>, %i: tensor<2x32xi32>,
                                %m: tensor<64x1xi32>, %p: tensor<64xi32>)
    -> (tensor<64x16xf16>, tensor<2x32xi32>, tensor<64x1xi32>, tensor<64xi32>) {
  // CHECK: %[[W:.*]] = hinm.assemble %[[V]], %[[I]], %[[M]], %[[P]] : !hinm.matrix<40x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
  %w = hinm.assemble %v, %i, %m, %p : !W
  // CHECK: hinm.disassemble %[[W]] : !hinm.matrix<40x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>
  %a, %b, %c, %d = hinm.disassemble %w : !W
  return %a, %b, %c, %d : tensor<64x16xf16>, tensor<2x32xi32>, tensor<64x1xi32>, tensor<64xi32>
}

// CHECK-LABEL: func.func @pack_to_dense
func.func @pack_to_dense(%dense: tensor<40x64xf16>, %p: tensor<64xi32>,
                         %i: tensor<2x32xi32>, %mask: tensor<64x32xi1>) -> tensor<40x64xf16> {
  // CHECK: %[[W:.*]] = hinm.pack %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : !hinm.matrix<40x64xf16
  %w = hinm.pack %dense, %p, %i, %mask : !W
  // CHECK: hinm.to_dense %[[W]] : !hinm.matrix<40x64xf16
  %d = hinm.to_dense %w : !W
  return %d : tensor<40x64xf16>
}

// CHECK-LABEL: func.func @matmul
func.func @matmul(%w: !W, %x: tensor<64x8xf16>, %xd: tensor<?x?xf16>)
    -> (tensor<40x8xf32>, tensor<40x8xf16>, tensor<40x?xf32>) {
  // CHECK: hinm.matmul %{{.*}}, %{{.*}} : !hinm.matrix<40x64xf16, #hinm.format<vector_size = 32, kept = 32, n = 2, m = 4>>, tensor<64x8xf16> -> tensor<40x8xf32>
  %y = hinm.matmul %w, %x : !W, tensor<64x8xf16> -> tensor<40x8xf32>
  // CHECK: -> tensor<40x8xf16>
  %z = hinm.matmul %w, %x : !W, tensor<64x8xf16> -> tensor<40x8xf16>
  // CHECK: tensor<?x?xf16> -> tensor<40x?xf32>
  %u = hinm.matmul %w, %xd : !W, tensor<?x?xf16> -> tensor<40x?xf32>
  return %y, %z, %u : tensor<40x8xf32>, tensor<40x8xf16>, tensor<40x?xf32>
}

// Other element types and N:M patterns are valid for the CPU path.
// CHECK-LABEL: func.func @types
// CHECK-SAME: !hinm.matrix<16x24xf32, #hinm.format<vector_size = 16, kept = 16, n = 1, m = 8>>
// CHECK-SAME: !hinm.matrix<6625x120xbf16, #hinm.format<vector_size = 64, kept = 60, n = 2, m = 4>>
func.func @types(%a: !hinm.matrix<16x24xf32, #hinm.format<vector_size = 16, kept = 16, n = 1, m = 8>>,
                 %b: !hinm.matrix<6625x120xbf16, #hinm.format<vector_size = 64, kept = 60, n = 2, m = 4>>) {
  return
}

// A run-time check whose message names run-time values.
// CHECK-LABEL: func.func @assert
// CHECK-SAME: (%[[OK:.*]]: i1, %[[B:.*]]: index, %[[V:.*]]: i32)
func.func @assert(%ok: i1, %b: index, %v: i32) {
  // CHECK: hinm.assert %[[OK]], "entry {} is {}"(%[[B]], %[[V]] : index, i32)
  hinm.assert %ok, "entry {} is {}" (%b, %v : index, i32)
  // CHECK: hinm.assert %[[OK]], "no values"{{$}}
  hinm.assert %ok, "no values"
  return
}
