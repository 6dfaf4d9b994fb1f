"""Writes textual IR nested N levels deep, for deep-nesting.test.

  make_nested.py dense N    a constant dense<[[[...1.0...]]]> N levels deep
  make_nested.py region N   N nested regions of an unregistered op
  make_nested.py decoy N    shallow IR whose string attribute and comment hold
                            N unbalanced '[' (not nesting: must be accepted)
"""
import sys

kind, n = sys.argv[1], int(sys.argv[2])
if kind == "dense":
    print("func.func @f() {\n  %c = arith.constant dense<" + "[" * n + "1.0" + "]" * n +
          "> : tensor<" + "1x" * n + "f32>\n  return\n}")
elif kind == "region":
    print("func.func @f() {\n" + '"u.op"() ({\n' * n + '"u.end"() : () -> ()\n' +
          "}) : () -> ()\n" * n + "  return\n}")
elif kind == "decoy":
    print("// " + "[" * n + "\nfunc.func @f() -> i32 attributes {note = \"" + "[" * n + "\"} {\n"
          "  %c = arith.constant 1 : i32\n  return %c : i32\n}")
