// The same values as zero-aligned-blob.mlir with alignment 4, as MLIR's
// printer writes them, and a zero-aligned hex string in an attribute.
func.func @f() -> tensor<2xf32> attributes {note = "0x000000000000803F00000040"} {
  %0 = arith.constant dense_resource<w> : tensor<2xf32>
  return %0 : tensor<2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F00000040"
    }
  }
#-}
