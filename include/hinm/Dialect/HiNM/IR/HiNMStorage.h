//===- HiNMStorage.h - constant storage <-> algorithm library ---*- C++ -*-===//
//
// Part of the hinm project. Converts between constant storage tensors
// (DenseElementsAttr) and the MLIR-free hinm::HiNMStorage, so folders and
// passes reuse the library's packing instead of restating it.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_DIALECT_HINM_IR_HINMSTORAGE_H
#define HINM_DIALECT_HINM_IR_HINMSTORAGE_H

#include "hinm/Algorithm/Format.h"
#include "hinm/Dialect/HiNM/IR/HiNMDialect.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <array>
#include <optional>

namespace hinm {
using namespace mlir;

/// Reads a float tensor constant of any float element type as floats.
std::vector<float> toFloats(DenseElementsAttr attr);
/// Reads an integer tensor constant as int64 values.
std::vector<int64_t> toInts(DenseElementsAttr attr);
/// Builds a float constant of `type` (f16, bf16, f32, ...) from floats.
DenseElementsAttr fromFloats(RankedTensorType type, ArrayRef<float> values);

/// Library storage from the four constant parts of a matrix of type `type`;
/// std::nullopt if a part is not a DenseElementsAttr.
std::optional<::hinm::HiNMStorage>
storageFromAttrs(MatrixType type, ArrayRef<Attribute> parts);

/// The four constant parts (values, vector index, metadata, row perm).
std::array<DenseElementsAttr, 4> attrsFromStorage(MatrixType type,
                                                  const ::hinm::HiNMStorage &s);

} // namespace hinm

#endif // HINM_DIALECT_HINM_IR_HINMSTORAGE_H
