//===- ArrayUtils.cpp - numpy argument checks for the hinm module ---------===//
//
// Part of the hinm project. See Bindings.h.
//
//===----------------------------------------------------------------------===//
#include "Bindings.h"

#include <limits>

using namespace hinm::python;

void hinm::python::throwValueError(const std::string &message) {
  throw py::value_error(message);
}

std::string hinm::python::shapeString(const std::vector<int64_t> &shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + (shape.size() == 1 ? ",)" : ")");
}

std::vector<int64_t> hinm::python::shapeOf(const py::array &a) {
  std::vector<int64_t> shape;
  for (py::ssize_t i = 0; i < a.ndim(); ++i)
    shape.push_back(a.shape(i));
  return shape;
}

void hinm::python::checkShape(const char *what,
                              const std::vector<int64_t> &shape,
                              const std::vector<int64_t> &expected) {
  if (shape != expected)
    throwValueError(std::string(what) + " has shape " + shapeString(shape) +
                    ", expected " + shapeString(expected));
}

py::array hinm::python::asArray(py::handle obj, const char *what, int ndim) {
  if (obj.is_none())
    throwValueError(std::string(what) + " must be an array, got None");
  py::array a = py::array::ensure(obj);
  if (!a)
    throwValueError(std::string(what) + " must be convertible to a numpy "
                    "array");
  if (a.ndim() != ndim)
    throwValueError(std::string(what) + " must have " + std::to_string(ndim) +
                    " dimension(s), got " + std::to_string(a.ndim()));
  return a;
}

py::array_t<float> hinm::python::requireFloat32(py::handle obj,
                                                const char *what, int ndim) {
  py::array a = asArray(obj, what, ndim);
  if (a.dtype().kind() != 'f' || a.dtype().itemsize() != 4)
    throwValueError(std::string(what) + " must have dtype float32, got " +
                    std::string(py::str(a.dtype())) +
                    " (convert with .astype(numpy.float32))");
  if (!(a.flags() & py::array::c_style))
    throwValueError(std::string(what) +
                    " must be C-contiguous (use numpy.ascontiguousarray)");
  return py::reinterpret_borrow<py::array_t<float>>(a);
}

std::vector<int32_t> hinm::python::toInt32Vector(py::handle obj,
                                                 const char *what, int ndim,
                                                 std::vector<int64_t> &shape) {
  py::array a = asArray(obj, what, ndim);
  char kind = a.dtype().kind();
  if (kind != 'i' && kind != 'u' && kind != 'b')
    throwValueError(std::string(what) + " must have an integer dtype, got " +
                    std::string(py::str(a.dtype())));
  shape = shapeOf(a);
  // Indices are small: one converting copy (any integer dtype, any strides)
  // costs little and spares users int32 casts of numpy's int64 defaults.
  auto wide = py::array_t<int64_t, py::array::c_style | py::array::forcecast>(
      py::reinterpret_borrow<py::object>(a));
  std::vector<int32_t> out(wide.size());
  const int64_t *data = wide.data();
  for (py::ssize_t i = 0; i < wide.size(); ++i) {
    if (data[i] < std::numeric_limits<int32_t>::min() ||
        data[i] > std::numeric_limits<int32_t>::max())
      throwValueError(std::string(what) + " value " + std::to_string(data[i]) +
                      " does not fit in int32");
    out[i] = static_cast<int32_t>(data[i]);
  }
  return out;
}
