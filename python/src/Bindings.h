//===- Bindings.h - shared helpers of the hinm Python module ----*- C++ -*-===//
//
// Part of the hinm project. The `hinm._core` extension module binds the
// MLIR-free library (include/hinm/Algorithm) with pybind11. Each header of
// the library gets one populate*Bindings function in its own .cpp file; the
// helpers here turn numpy arrays into the library's inputs with the checks
// every binding needs (ndim, shape, dtype, contiguity), raising ValueError
// with a message that names the argument.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_PYTHON_BINDINGS_H
#define HINM_PYTHON_BINDINGS_H

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <string>
#include <vector>

namespace hinm {
namespace python {

namespace py = pybind11;

/// Binds include/hinm/Algorithm/Format.h: HiNMFormat, Storage, pack, unpack,
/// reference_matmul, verify_*, metadata_index, kept_for_vector_sparsity.
void populateFormatBindings(py::module_ &m);

/// Binds include/hinm/Algorithm/Prune.h: prune, efficacy, format_for.
void populatePruneBindings(py::module_ &m);

/// Binds include/hinm/Algorithm/StripeBound.h: price_stripes.
void populateStripeBoundBindings(py::module_ &m);

/// Raises ValueError(message) (pybind11 maps value_error to ValueError).
[[noreturn]] void throwValueError(const std::string &message);

/// `obj` as a numpy array (lists and other sequences are converted) with
/// `ndim` dimensions, else ValueError naming `what`.
py::array asArray(py::handle obj, const char *what, int ndim);

/// A C-contiguous float32 array of `ndim` dimensions, else ValueError. No
/// silent conversion: a float64 or strided array would be a hidden copy (and
/// for float64 a lossy one), so the caller converts explicitly.
py::array_t<float> requireFloat32(py::handle obj, const char *what, int ndim);

/// An integer (or bool) array of `ndim` dimensions converted to int32 values;
/// ValueError for a non-integer dtype or a value outside int32.
std::vector<int32_t> toInt32Vector(py::handle obj, const char *what, int ndim,
                                   std::vector<int64_t> &shape);

/// Throws ValueError "<what> has shape (a, b), expected (c, d)" on mismatch.
void checkShape(const char *what, const std::vector<int64_t> &shape,
                const std::vector<int64_t> &expected);

/// "(a, b)" for messages.
std::string shapeString(const std::vector<int64_t> &shape);

/// The shape of `a` as int64 values.
std::vector<int64_t> shapeOf(const py::array &a);

} // namespace python
} // namespace hinm

#endif // HINM_PYTHON_BINDINGS_H
