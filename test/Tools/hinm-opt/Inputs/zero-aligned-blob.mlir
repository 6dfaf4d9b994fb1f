// A blob whose first four bytes (its alignment) are zero; the string
// attribute below holds the same text outside the metadata and is no blob.
func.func @f() -> tensor<2xf32> attributes {note = "0x000000000000803F00000040"} {
  %0 = arith.constant dense_resource<w> : tensor<2xf32>
  return %0 : tensor<2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w: "0x000000000000803F00000040"
    }
  }
#-}
