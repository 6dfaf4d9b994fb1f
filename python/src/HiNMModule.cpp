//===- HiNMModule.cpp - the hinm._core extension module -------------------===//
//
// Part of the hinm project. One populate*Bindings call per bound library
// header; adding a header's bindings is one new .cpp file, one line here and
// one source in python/CMakeLists.txt.
//
//===----------------------------------------------------------------------===//
#include "Bindings.h"

PYBIND11_MODULE(_core, m) {
  m.doc() =
      "hinm: Hierarchical N:M sparsity, the MLIR-free C++ library "
      "(storage format, packing, reference product, pruning, stripe bound)";
  hinm::python::populateFormatBindings(m);
  hinm::python::populatePruneBindings(m);
  hinm::python::populateStripeBoundBindings(m);
}
