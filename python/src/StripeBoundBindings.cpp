//===- StripeBoundBindings.cpp - Python bindings of StripeBound.h ---------===//
//
// Part of the hinm project. The pricing step of the column-generation LP
// bound on 2:4 stripe choices (include/hinm/Algorithm/StripeBound.h); the
// master LP is left to the caller (scripts/stripe-bound.py uses scipy). The
// enumeration runs without the GIL.
//
//===----------------------------------------------------------------------===//
#include "Bindings.h"

#include "hinm/Algorithm/StripeBound.h"
#include "hinm/Algorithm/StripeDive.h"

using namespace hinm;
using namespace hinm::python;

void hinm::python::populateStripeBoundBindings(py::module_ &m) {
  m.def("has_lp_solver", &stripeDiveAvailable,
        "Whether this build has the LP solver (COIN-OR CLP) that the search "
        "option ivp_lp (IVP's LP dive) needs.");
  m.def(
      "price_stripes",
      [](py::handle x, py::handle duals, int64_t keep, int64_t threads) {
        py::array_t<float> xa = requireFloat32(x, "x", 2);
        int64_t rows = xa.shape(0), cols = xa.shape(1);
        py::array_t<double, py::array::c_style | py::array::forcecast> ya =
            py::array_t<double, py::array::c_style |
                                    py::array::forcecast>::ensure(duals);
        if (!ya || ya.ndim() != 1)
          throwValueError("duals must be a 1-D array of numbers");
        if (threads < 0 || threads > 4096)
          throwValueError("threads must be in [0, 4096] (0 = all hardware "
                          "threads), got " +
                          std::to_string(threads));
        std::vector<float> xv(xa.data(), xa.data() + rows * cols);
        std::vector<double> yv(ya.data(), ya.data() + ya.shape(0));
        llvm::Expected<StripePricing> got = llvm::createStringError("unset");
        {
          py::gil_scoped_release release;
          got = priceStripes(xv, rows, cols, yv, keep, unsigned(threads));
        }
        if (!got)
          throwValueError(llvm::toString(got.takeError()));
        int64_t n = got->best.size();
        py::array_t<int32_t> columns({n, int64_t(4)});
        py::array_t<double> costs({n});
        for (int64_t i = 0; i < n; ++i) {
          for (int j = 0; j < 4; ++j)
            columns.mutable_at(i, j) = got->best[i].columns[j];
          costs.mutable_at(i) = got->best[i].reducedCost;
        }
        return py::make_tuple(columns, costs, got->errorBound);
      },
      py::arg("x"), py::arg("duals"), py::kw_only(), py::arg("keep") = 100,
      py::arg("threads") = 0,
      R"doc(
Pricing step of the column-generation LP bound on 2:4 stripes: over every
4-column subset q of x (float32 C-contiguous [rows, cols], finite, >= 0),
the reduced cost sum over rows of the two largest of x[r, q], minus the
duals (one per column) of q's columns. Returns (columns, reduced_costs,
error_bound): int32 [k, 4] ascending column indices and float64 [k] of the
k = min(keep, C(cols, 4)) subsets of largest reduced cost, largest first
(ties: smaller columns first; the same on any thread count), and a bound on
the float32 rounding of any of those costs. ValueError for bad arguments.)doc");
}
