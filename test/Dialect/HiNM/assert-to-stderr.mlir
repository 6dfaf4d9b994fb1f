// RUN: hinm-opt %s --hinm-assert-to-stderr | FileCheck %s
// hinm-assert-to-stderr: each cf.assert becomes an scf.if on the negated
// condition that writes the message (newline-terminated) to stderr and aborts.


// CHECK-LABEL: func.func @checks
// CHECK-SAME: (%[[A:.*]]: i1, %[[B:.*]]: i1)
// CHECK-NOT: cf.assert
// CHECK: %[[TRUE:.*]] = arith.constant true
// CHECK: %[[FAIL:.*]] = arith.xori %[[A]], %[[TRUE]] : i1
// CHECK: scf.if %[[FAIL]] {
// CHECK:   %[[M:.*]] = llvm.mlir.addressof @[[MSG1:hinm_assert_msg[_0-9]*]]
// CHECK:   %[[S:.*]] = llvm.mlir.addressof @stderr
// CHECK:   %[[F:.*]] = llvm.load %[[S]] : !llvm.ptr -> !llvm.ptr
// CHECK:   llvm.call @fputs(%[[M]], %[[F]])
// CHECK:   llvm.call @abort()
// CHECK: }
// CHECK: arith.xori %[[B]]
// CHECK: llvm.mlir.addressof @[[MSG2:hinm_assert_msg[_0-9]*]]
// CHECK: return
// CHECK-DAG: llvm.func @fputs(!llvm.ptr, !llvm.ptr) -> i32
// CHECK-DAG: llvm.func @abort()
// CHECK-DAG: llvm.mlir.global external @stderr() {{.*}} : !llvm.ptr
// CHECK-DAG: llvm.mlir.global private constant @[[MSG1]]("rows differ\0A\00")
// CHECK-DAG: llvm.mlir.global private constant @[[MSG2]]("index out of range\0A\00")
func.func @checks(%a: i1, %b: i1) {
  cf.assert %a, "rows differ"
  cf.assert %b, "index out of range"
  return
}
