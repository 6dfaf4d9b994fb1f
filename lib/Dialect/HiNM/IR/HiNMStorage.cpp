//===- HiNMStorage.cpp - constant storage <-> algorithm library -----------===//
//
// Part of the hinm project.
//
//===----------------------------------------------------------------------===//
#include "hinm/Dialect/HiNM/IR/HiNMStorage.h"

using namespace mlir;
using namespace hinm;

std::vector<float> hinm::toFloats(DenseElementsAttr attr) {
  std::vector<float> out;
  out.reserve(attr.getNumElements());
  if (attr.getElementType().isF32()) {
    for (float v : attr.getValues<float>())
      out.push_back(v);
    return out;
  }
  for (APFloat v : attr.getValues<APFloat>()) {
    bool lost;
    v.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven, &lost);
    out.push_back(v.convertToFloat());
  }
  return out;
}

std::vector<int64_t> hinm::toInts(DenseElementsAttr attr) {
  std::vector<int64_t> out;
  out.reserve(attr.getNumElements());
  bool isBool = attr.getElementType().isInteger(1);
  for (APInt v : attr.getValues<APInt>())
    out.push_back(isBool ? int64_t(v.getZExtValue()) : v.getSExtValue());
  return out;
}

DenseElementsAttr hinm::fromFloats(RankedTensorType type,
                                         ArrayRef<float> values) {
  auto elt = cast<FloatType>(type.getElementType());
  if (elt.isF32())
    return DenseElementsAttr::get(type, values);
  SmallVector<APFloat> converted;
  converted.reserve(values.size());
  for (float v : values) {
    APFloat f(v);
    bool lost;
    f.convert(elt.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
    converted.push_back(f);
  }
  return DenseElementsAttr::get(type, converted);
}

std::optional<::hinm::HiNMStorage>
hinm::storageFromAttrs(MatrixType type, ArrayRef<Attribute> parts) {
  if (parts.size() != 4)
    return std::nullopt;
  std::array<DenseElementsAttr, 4> d;
  for (unsigned i = 0; i < 4; ++i) {
    d[i] = dyn_cast_if_present<DenseElementsAttr>(parts[i]);
    if (!d[i])
      return std::nullopt;
  }
  ::hinm::HiNMStorage s;
  s.format = type.getFormat().toLibrary();
  s.rows = type.getRows();
  s.cols = type.getCols();
  s.values = toFloats(d[0]);
  for (int64_t v : toInts(d[1]))
    s.vectorIndex.push_back(static_cast<int32_t>(v));
  for (int64_t v : toInts(d[2]))
    s.metadata.push_back(static_cast<uint32_t>(v));
  for (int64_t v : toInts(d[3]))
    s.rowPerm.push_back(static_cast<int32_t>(v));
  return s;
}

std::array<DenseElementsAttr, 4>
hinm::attrsFromStorage(MatrixType type, const ::hinm::HiNMStorage &s) {
  std::vector<int32_t> meta(s.metadata.begin(), s.metadata.end());
  return {fromFloats(type.getValuesType(), s.values),
          DenseElementsAttr::get(type.getVectorIndexType(),
                                 ArrayRef<int32_t>(s.vectorIndex)),
          DenseElementsAttr::get(type.getMetadataType(), ArrayRef<int32_t>(meta)),
          DenseElementsAttr::get(type.getRowPermType(),
                                 ArrayRef<int32_t>(s.rowPerm))};
}
