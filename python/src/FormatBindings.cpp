//===- FormatBindings.cpp - Python bindings of Algorithm/Format.h ---------===//
//
// Part of the hinm project. Arrays in, arrays out, in the storage layout of
// include/hinm/Algorithm/Format.h:
//   values [P, kept/m*n] float32, vector_index [P/V, kept] int32,
//   metadata [P, words] uint32, row_perm [P] int32, P = ceil(rows/V)*V.
// Everything is checked before the library is called (its own checks are
// asserts); the long loops run without the GIL.
//
//===----------------------------------------------------------------------===//
#include "Bindings.h"

#include "hinm/Algorithm/Format.h"

#include <pybind11/stl.h>

#include <cstring>

using namespace hinm;
using namespace hinm::python;

namespace {

/// Throws ValueError with `err` if it is not empty.
void check(const std::string &err) {
  if (!err.empty())
    throwValueError(err);
}

/// The selection arrays of a pack() call, converted and checked.
HiNMSelection toSelection(const HiNMFormat &fmt, int64_t rows, int64_t cols,
                          py::handle rowPerm, py::handle vectorIndex,
                          py::handle nmMask) {
  check(fmt.validateFor(rows, cols));
  int64_t pr = fmt.paddedRows(rows), blocks = fmt.numBlocks(rows);
  HiNMSelection sel;
  std::vector<int64_t> shape;
  sel.rowPerm = toInt32Vector(rowPerm, "row_perm", 1, shape);
  checkShape("row_perm", shape, {pr});
  sel.vectorIndex = toInt32Vector(vectorIndex, "vector_index", 2, shape);
  checkShape("vector_index", shape, {blocks, fmt.kept});
  std::vector<int32_t> mask = toInt32Vector(nmMask, "nm_mask", 2, shape);
  checkShape("nm_mask", shape, {pr, fmt.kept});
  sel.nmMask.reserve(mask.size());
  for (int32_t v : mask) {
    if (v != 0 && v != 1)
      throwValueError("nm_mask must hold only 0/1 (or bool) values, got " +
                      std::to_string(v));
    sel.nmMask.push_back(static_cast<uint8_t>(v));
  }
  check(verifySelection(fmt, rows, cols, sel));
  return sel;
}

/// A read-only numpy view of `data` with the storage object as its owner, so
/// the arrays stay valid as long as any of them lives and a validated
/// storage cannot be edited into an invalid one behind unpack's back.
template <typename T>
py::array view(const std::vector<T> &data, std::vector<int64_t> shape,
               py::handle owner) {
  py::array_t<T> a(std::vector<py::ssize_t>(shape.begin(), shape.end()),
                   data.data(), owner);
  a.attr("setflags")(py::arg("write") = false);
  return a;
}

/// Storage from user arrays, checked like the dialect's hinm.assemble.
HiNMStorage makeStorage(const HiNMFormat &fmt, int64_t rows, int64_t cols,
                        py::handle values, py::handle vectorIndex,
                        py::handle metadata, py::handle rowPerm) {
  check(fmt.validateFor(rows, cols));
  int64_t pr = fmt.paddedRows(rows), blocks = fmt.numBlocks(rows);
  HiNMStorage s;
  s.format = fmt;
  s.rows = rows;
  s.cols = cols;
  py::array_t<float> v = requireFloat32(values, "values", 2);
  checkShape("values", shapeOf(v), {pr, fmt.compressedCols()});
  s.values.assign(v.data(), v.data() + v.size());
  std::vector<int64_t> shape;
  s.vectorIndex = toInt32Vector(vectorIndex, "vector_index", 2, shape);
  checkShape("vector_index", shape, {blocks, fmt.kept});
  s.rowPerm = toInt32Vector(rowPerm, "row_perm", 1, shape);
  checkShape("row_perm", shape, {pr});
  // Metadata words are bit patterns: int32 (the dialect's i32 tensors) and
  // uint32 are both taken as they are.
  py::array meta = asArray(metadata, "metadata", 2);
  checkShape("metadata", shapeOf(meta), {pr, fmt.metaWordsPerRow()});
  char kind = meta.dtype().kind();
  if ((kind != 'i' && kind != 'u') || meta.dtype().itemsize() != 4)
    throwValueError("metadata must have dtype uint32 or int32, got " +
                    std::string(py::str(meta.dtype())));
  auto words = py::array_t<uint32_t, py::array::c_style | py::array::forcecast>(
      meta.attr("view")("uint32"));
  s.metadata.assign(words.data(), words.data() + words.size());
  check(verifyVectorIndex(fmt, rows, cols, s.vectorIndex.data()));
  check(verifyRowPerm(fmt, rows, s.rowPerm.data()));
  check(verifyMetadata(fmt, rows, s.metadata.data()));
  return s;
}

} // namespace

void hinm::python::populateFormatBindings(py::module_ &m) {
  py::class_<HiNMFormat>(m, "HiNMFormat", R"doc(
Parameters of a HiNM format: rows are cut into blocks of ``vector_size``
rows, every block keeps ``kept`` columns, and every run of ``m`` kept columns
keeps ``n`` values per row. Same fields as ``#hinm.format``.)doc")
      .def(py::init([](int64_t vectorSize, int64_t kept, int64_t n, int64_t m) {
             return HiNMFormat{vectorSize, kept, n, m};
           }),
           py::kw_only(), py::arg("vector_size") = 32, py::arg("kept"),
           py::arg("n") = 2, py::arg("m") = 4)
      .def_readwrite("vector_size", &HiNMFormat::vectorSize)
      .def_readwrite("kept", &HiNMFormat::kept)
      .def_readwrite("n", &HiNMFormat::n)
      .def_readwrite("m", &HiNMFormat::m)
      .def("validate", &HiNMFormat::validate,
           "Error text for unusable parameters, '' if fine.")
      .def("validate_for", &HiNMFormat::validateFor, py::arg("rows"),
           py::arg("cols"),
           "Error text for parameters that do not fit a [rows, cols] "
           "matrix, '' if fine.")
      .def("num_blocks", &HiNMFormat::numBlocks, py::arg("rows"))
      .def("padded_rows", &HiNMFormat::paddedRows, py::arg("rows"))
      .def_property_readonly("compressed_cols", &HiNMFormat::compressedCols)
      .def_property_readonly("meta_bits_per_index",
                             &HiNMFormat::metaBitsPerIndex)
      .def_property_readonly("meta_indices_per_word",
                             &HiNMFormat::metaIndicesPerWord)
      .def_property_readonly("meta_words_per_row",
                             &HiNMFormat::metaWordsPerRow)
      .def(
          "__eq__",
          [](const HiNMFormat &a, const HiNMFormat &b) { return a == b; },
          py::is_operator())
      .def("__repr__",
           [](const HiNMFormat &f) {
             return "HiNMFormat(vector_size=" + std::to_string(f.vectorSize) +
                    ", kept=" + std::to_string(f.kept) +
                    ", n=" + std::to_string(f.n) +
                    ", m=" + std::to_string(f.m) + ")";
           })
      .def(py::pickle(
          [](const HiNMFormat &f) {
            return py::make_tuple(f.vectorSize, f.kept, f.n, f.m);
          },
          [](const py::tuple &t) {
            if (t.size() != 4)
              throwValueError("HiNMFormat state must have 4 entries");
            return HiNMFormat{t[0].cast<int64_t>(), t[1].cast<int64_t>(),
                              t[2].cast<int64_t>(), t[3].cast<int64_t>()};
          }));

  py::class_<HiNMStorage>(m, "Storage", R"doc(
The stored parts of a HiNM matrix (the dialect's storage tensors). The array
properties are read-only views owned by the Storage.)doc")
      .def(py::init(&makeStorage), py::arg("format"), py::arg("rows"),
           py::arg("cols"), py::arg("values"), py::arg("vector_index"),
           py::arg("metadata"), py::arg("row_perm"),
           "Storage from its parts; shapes and contents are checked like "
           "hinm.assemble (ValueError otherwise).")
      .def_readonly("format", &HiNMStorage::format)
      .def_readonly("rows", &HiNMStorage::rows)
      .def_readonly("cols", &HiNMStorage::cols)
      .def_property_readonly(
          "values",
          [](py::object self) {
            const auto &s = self.cast<const HiNMStorage &>();
            return view(s.values,
                        {s.format.paddedRows(s.rows), s.format.compressedCols()},
                        self);
          })
      .def_property_readonly(
          "vector_index",
          [](py::object self) {
            const auto &s = self.cast<const HiNMStorage &>();
            return view(s.vectorIndex,
                        {s.format.numBlocks(s.rows), s.format.kept}, self);
          })
      .def_property_readonly(
          "metadata",
          [](py::object self) {
            const auto &s = self.cast<const HiNMStorage &>();
            return view(s.metadata,
                        {s.format.paddedRows(s.rows),
                         s.format.metaWordsPerRow()},
                        self);
          })
      .def_property_readonly(
          "row_perm",
          [](py::object self) {
            const auto &s = self.cast<const HiNMStorage &>();
            return view(s.rowPerm, {s.format.paddedRows(s.rows)}, self);
          })
      .def("__repr__", [](const HiNMStorage &s) {
        return "Storage(" + std::to_string(s.rows) + "x" +
               std::to_string(s.cols) + ", vector_size=" +
               std::to_string(s.format.vectorSize) + ", kept=" +
               std::to_string(s.format.kept) + ", " +
               std::to_string(s.format.n) + ":" + std::to_string(s.format.m) +
               ")";
      });

  m.def(
      "pack",
      [](py::handle dense, const HiNMFormat &fmt, py::handle rowPerm,
         py::handle vectorIndex, py::handle nmMask) {
        py::array_t<float> d = requireFloat32(dense, "dense", 2);
        int64_t rows = d.shape(0), cols = d.shape(1);
        HiNMSelection sel =
            toSelection(fmt, rows, cols, rowPerm, vectorIndex, nmMask);
        // A copy: the Python-side format may change while the GIL is free.
        HiNMFormat format = fmt;
        const float *data = d.data();
        py::gil_scoped_release release;
        return pack(data, rows, cols, format, sel);
      },
      py::arg("dense"), py::arg("format"), py::arg("row_perm"),
      py::arg("vector_index"), py::arg("nm_mask"), R"doc(
Packs a dense float32 [rows, cols] matrix under a selection:
  row_perm      [P] ints, storage row p holds original row row_perm[p]
                (entries >= rows are zero padding rows), P = padded rows
  vector_index  [P/V, kept] ints, original column of each compacted column
  nm_mask       [P, kept] bool, exactly n per group of m per storage row
Values are copied as they are (NaN and Inf included, like the C++ library);
pruned positions are dropped. Raises ValueError on any inconsistency.)doc");

  m.def(
      "unpack",
      [](const HiNMStorage &s) {
        py::array_t<float> out({s.rows, s.cols});
        float *data = out.mutable_data();
        {
          py::gil_scoped_release release;
          unpack(s, data);
        }
        return out;
      },
      py::arg("storage"),
      "The pruned dense float32 [rows, cols] matrix, in the original row and "
      "column order.");

  m.def(
      "reference_matmul",
      [](const HiNMStorage &s, py::handle x) {
        py::array_t<float> xa = requireFloat32(x, "x", 2);
        if (xa.shape(0) != s.cols)
          throwValueError("x has " + std::to_string(xa.shape(0)) +
                          " rows, expected the matrix's " +
                          std::to_string(s.cols) + " columns");
        int64_t ncols = xa.shape(1);
        py::array_t<float> y({s.rows, ncols});
        const float *xd = xa.data();
        float *yd = y.mutable_data();
        {
          py::gil_scoped_release release;
          referenceMatmul(s, xd, ncols, yd);
        }
        return y;
      },
      py::arg("storage"), py::arg("x"),
      "Y = W @ X computed from the storage (float32 [cols, ncols] in, "
      "[rows, ncols] out; accumulates in double): the semantic oracle of "
      "hinm.matmul.");

  m.def(
      "verify_selection",
      [](const HiNMFormat &fmt, int64_t rows, int64_t cols,
         py::handle rowPerm, py::handle vectorIndex, py::handle nmMask) {
        try {
          toSelection(fmt, rows, cols, rowPerm, vectorIndex, nmMask);
        } catch (const py::value_error &e) {
          return std::string(e.what());
        }
        return std::string();
      },
      py::arg("format"), py::arg("rows"), py::arg("cols"),
      py::arg("row_perm"), py::arg("vector_index"), py::arg("nm_mask"),
      "Error text for a selection that does not fit the format and shape, "
      "'' if valid.");

  m.def(
      "verify_vector_index",
      [](const HiNMFormat &fmt, int64_t rows, int64_t cols,
         py::handle vectorIndex) {
        check(fmt.validateFor(rows, cols));
        std::vector<int64_t> shape;
        auto v = toInt32Vector(vectorIndex, "vector_index", 2, shape);
        checkShape("vector_index", shape, {fmt.numBlocks(rows), fmt.kept});
        return verifyVectorIndex(fmt, rows, cols, v.data());
      },
      py::arg("format"), py::arg("rows"), py::arg("cols"),
      py::arg("vector_index"),
      "Error text for bad vector index contents, '' if valid (ValueError "
      "for a wrong shape or dtype).");

  m.def(
      "verify_row_perm",
      [](const HiNMFormat &fmt, int64_t rows, py::handle rowPerm) {
        check(fmt.validate());
        std::vector<int64_t> shape;
        auto p = toInt32Vector(rowPerm, "row_perm", 1, shape);
        checkShape("row_perm", shape, {fmt.paddedRows(rows)});
        return verifyRowPerm(fmt, rows, p.data());
      },
      py::arg("format"), py::arg("rows"), py::arg("row_perm"),
      "Error text for a bad row permutation, '' if valid.");

  m.def(
      "verify_metadata",
      [](const HiNMFormat &fmt, int64_t rows, py::handle metadata) {
        check(fmt.validate());
        py::array a = asArray(metadata, "metadata", 2);
        checkShape("metadata", shapeOf(a),
                   {fmt.paddedRows(rows), fmt.metaWordsPerRow()});
        char kind = a.dtype().kind();
        if ((kind != 'i' && kind != 'u') || a.dtype().itemsize() != 4)
          throwValueError("metadata must have dtype uint32 or int32, got " +
                          std::string(py::str(a.dtype())));
        auto words =
            py::array_t<uint32_t, py::array::c_style | py::array::forcecast>(
                a.attr("view")("uint32"));
        return verifyMetadata(fmt, rows, words.data());
      },
      py::arg("format"), py::arg("rows"), py::arg("metadata"),
      "Error text for bad metadata words (index >= m, or not ascending "
      "within a group), '' if valid.");

  m.def(
      "metadata_index",
      [](const HiNMStorage &s, int64_t p, int64_t j) {
        int64_t pr = s.format.paddedRows(s.rows);
        if (p < 0 || p >= pr || j < 0 || j >= s.format.compressedCols())
          throw py::index_error("element (" + std::to_string(p) + ", " +
                                std::to_string(j) + ") is outside the [" +
                                std::to_string(pr) + ", " +
                                std::to_string(s.format.compressedCols()) +
                                "] values");
        return metadataIndex(s.format, s.metadata.data(), p, j);
      },
      py::arg("storage"), py::arg("p"), py::arg("j"),
      "Position inside its group of m of stored element j of storage row p.");

  m.def(
      "kept_for_vector_sparsity",
      [](int64_t cols, double vectorSparsity, int64_t m) {
        if (!(vectorSparsity >= 0.0 && vectorSparsity < 1.0))
          throwValueError("vector sparsity must be in [0, 1), got " +
                          std::to_string(vectorSparsity));
        if (cols <= 0 || m <= 0)
          throwValueError("cols and m must be positive");
        return keptForVectorSparsity(cols, vectorSparsity, m);
      },
      py::arg("cols"), py::arg("vector_sparsity"), py::arg("m"),
      "Kept vector count for a vector sparsity: the kept share of the "
      "columns rounded down to a multiple of m (at least m when cols >= m).");
}
