// RUN: hinm-opt %s --hinm-assert-to-stderr | FileCheck %s
// hinm-assert-to-stderr: each cf.assert (or hinm.assert without values)
// becomes an scf.if on the negated condition that writes the message
// (newline-terminated) to stderr and aborts. A hinm.assert with values prints
// them with fprintf: each {} a %lld, '%' escaped, index cast and narrower
// integers sign-extended (i1 zero-extended) to i64. The same text in two
// places is one global.

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
func.func @checks(%a: i1, %b: i1) {
  cf.assert %a, "rows differ"
  cf.assert %b, "index out of range"
  return
}

// CHECK: func.func @with_values
// CHECK-SAME: (%[[OK:.*]]: i1, %[[I:.*]]: index, %[[V:.*]]: i32, %[[BIT:.*]]: i1, %[[W:.*]]: i64)
// CHECK-NOT: hinm.assert
// CHECK: %[[FAIL:.*]] = arith.xori %[[OK]], %{{.*}} : i1
// CHECK: scf.if %[[FAIL]] {
// CHECK:   %[[M:.*]] = llvm.mlir.addressof @[[FMT:hinm_assert_msg[_0-9]*]]
// CHECK:   %[[S:.*]] = llvm.load %{{.*}} : !llvm.ptr -> !llvm.ptr
// CHECK:   %[[I64:.*]] = arith.index_cast %[[I]] : index to i64
// CHECK:   %[[V64:.*]] = arith.extsi %[[V]] : i32 to i64
// CHECK:   %[[B64:.*]] = arith.extui %[[BIT]] : i1 to i64
// CHECK:   llvm.call @fprintf(%[[S]], %[[M]], %[[I64]], %[[V64]], %[[B64]], %[[W]]) vararg(!llvm.func<i32 (ptr, ptr, ...)>)
// CHECK:   llvm.call @abort()
// CHECK: }
// CHECK: llvm.mlir.addressof @[[FMT]]
// CHECK: return
func.func @with_values(%ok: i1, %i: index, %v: i32, %bit: i1, %w: i64) {
  hinm.assert %ok, "100% of entry {}: {}, {}, {}" (%i, %v, %bit, %w : index, i32, i1, i64)
  hinm.assert %ok, "100% of entry {}: {}, {}, {}" (%i, %v, %bit, %w : index, i32, i1, i64)
  return
}

// CHECK-DAG: llvm.func @fputs(!llvm.ptr, !llvm.ptr) -> i32
// CHECK-DAG: llvm.func @fprintf(!llvm.ptr, !llvm.ptr, ...) -> i32
// CHECK-DAG: llvm.func @abort()
// CHECK-DAG: llvm.mlir.global external @stderr() {{.*}} : !llvm.ptr
// CHECK-DAG: llvm.mlir.global private constant @[[MSG1]]("rows differ\0A\00")
// CHECK-DAG: llvm.mlir.global private constant @[[MSG2]]("index out of range\0A\00")
// CHECK-DAG: llvm.mlir.global private constant @[[FMT]]("100%% of entry %lld: %lld, %lld, %lld\0A\00")
