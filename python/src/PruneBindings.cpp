//===- PruneBindings.cpp - Python bindings of Algorithm/Prune.h -----------===//
//
// Part of the hinm project. HiNM pruning with the channel permutations
// (none, OCP, IVP, 2CP) and the efficacy measurement, over the same library
// the hinm-sparsify pass and the hinm-prune tool use, so a selection made in
// Python is the one the compiler would make for the same options and seed.
// The library validates options, shapes and values itself (NaN, Inf,
// negative importance); its error text becomes the ValueError message. The
// search runs without the GIL.
//
//===----------------------------------------------------------------------===//
#include "Bindings.h"

#include "hinm/Algorithm/Prune.h"

#include <pybind11/stl.h>

using namespace hinm;
using namespace hinm::python;

namespace {

/// The value of `e`, or ValueError with its error text.
template <typename T> T unwrap(llvm::Expected<T> e) {
  if (!e)
    throwValueError(llvm::toString(e.takeError()));
  return std::move(*e);
}

/// Options from the keyword arguments shared by prune() and efficacy().
PruneOptions makeOptions(int64_t vectorSize, double vectorSparsity, int64_t n,
                         int64_t m, const std::string &permute,
                         int64_t iterations, int64_t seed, int64_t threads) {
  PruneOptions opts;
  opts.vectorSize = vectorSize;
  opts.vectorSparsity = vectorSparsity;
  opts.n = n;
  opts.m = m;
  opts.method = unwrap(parsePermuteMethod(permute));
  if (iterations < 0)
    throwValueError("iterations must be non-negative (0 = chosen from the "
                    "matrix size), got " +
                    std::to_string(iterations));
  opts.ocpIterations = iterations;
  if (seed < 0)
    throwValueError("seed must be non-negative, got " + std::to_string(seed));
  opts.seed = static_cast<uint64_t>(seed);
  if (threads < 0 || threads > 4096)
    throwValueError("threads must be in [0, 4096] (0 = all hardware "
                    "threads), got " +
                    std::to_string(threads));
  opts.threads = static_cast<unsigned>(threads);
  std::string err = opts.validate();
  if (!err.empty())
    throwValueError(err);
  return opts;
}

/// Applies the `search` keyword argument: a dict that tunes the permutation
/// searches beyond the common options (names as hinm-prune's flags, with
/// underscores). Unknown names and wrong value types are a ValueError that
/// lists the valid names.
void applySearchOptions(py::handle search, PruneOptions &opts) {
  if (search.is_none())
    return;
  if (!py::isinstance<py::dict>(search))
    throwValueError("search must be a dict of search options");
  static const char *kValid =
      "ivp_kicks, ivp_anneal, ivp_eject, ocp_anneal, joint_rounds (int: 0 = "
      "automatic, "
      "-1 = none), ivp_sweeps, restarts (int >= 0), effort (number in "
      "[0.01, 1000]), refine_vectors, ocp_global, ivp_lp (bool)";
  for (auto item : py::reinterpret_borrow<py::dict>(search)) {
    std::string key = py::str(item.first);
    py::handle value = item.second;
    bool isBool = py::isinstance<py::bool_>(value);
    bool isInt = py::isinstance<py::int_>(value) && !isBool;
    int64_t *intField = key == "ivp_kicks"      ? &opts.ivpKicks
                        : key == "ivp_anneal"   ? &opts.ivpAnneal
                        : key == "ivp_eject"    ? &opts.ivpEject
                        : key == "ocp_anneal"   ? &opts.ocpAnneal
                        : key == "joint_rounds" ? &opts.jointRounds
                        : key == "restarts"     ? &opts.restarts
                        : key == "ivp_sweeps"   ? &opts.ivpSweeps
                                                : nullptr;
    bool *boolField = key == "refine_vectors" ? &opts.refineVectors
                      : key == "ocp_global"   ? &opts.ocpGlobal
                      : key == "ivp_lp"       ? &opts.ivpLP
                                              : nullptr;
    if (key == "effort") {
      if (isBool || !(isInt || py::isinstance<py::float_>(value)))
        throwValueError("search option 'effort' must be a number");
      opts.effort = value.cast<double>();
    } else if (intField && isInt)
      *intField = value.cast<int64_t>();
    else if (boolField && isBool)
      *boolField = value.cast<bool>();
    else if (intField || boolField)
      throwValueError("search option '" + key + "' must be " +
                      (intField ? "an int" : "a bool"));
    else
      throwValueError("unknown search option '" + key + "'; valid: " +
                      kValid);
  }
  std::string err = opts.validate();
  if (!err.empty())
    throwValueError(err);
}

/// The optional importance argument, checked against the weight shape (its
/// values are checked by the library: finite, non-negative).
py::array_t<float> importanceArray(py::handle importance, int64_t rows,
                                   int64_t cols) {
  if (importance.is_none())
    return py::array_t<float>();
  py::array_t<float> imp = requireFloat32(importance, "importance", 2);
  checkShape("importance", shapeOf(imp), {rows, cols});
  return imp;
}

template <typename T>
py::array_t<T> toArray(const std::vector<T> &data,
                       std::vector<py::ssize_t> shape) {
  py::array_t<T> a(shape);
  std::copy(data.begin(), data.end(), a.mutable_data());
  return a;
}

/// The dense [rows, cols] keep-mask of a selection (original row and column
/// order): what unpack(pack(w, sel)) keeps of w.
py::array_t<bool> denseMask(const HiNMFormat &fmt, int64_t rows, int64_t cols,
                            const HiNMSelection &sel) {
  py::array_t<bool> mask({rows, cols});
  bool *out = mask.mutable_data();
  std::fill(out, out + rows * cols, false);
  int64_t pr = fmt.paddedRows(rows);
  for (int64_t p = 0; p < pr; ++p) {
    int64_t r = sel.rowPerm[p];
    if (r >= rows)
      continue;
    const int32_t *vidx = &sel.vectorIndex[(p / fmt.vectorSize) * fmt.kept];
    const uint8_t *keep = &sel.nmMask[p * fmt.kept];
    for (int64_t c = 0; c < fmt.kept; ++c)
      if (keep[c])
        out[r * cols + vidx[c]] = true;
  }
  return mask;
}

const char *kMethodNames[] = {"none", "ocp", "ivp", "2cp"};

} // namespace

void hinm::python::populatePruneBindings(py::module_ &m) {
  m.def(
      "format_for",
      [](int64_t rows, int64_t cols, int64_t vectorSize, double vectorSparsity,
         int64_t n, int64_t mm) {
        PruneOptions opts = makeOptions(vectorSize, vectorSparsity, n, mm,
                                        "none", 0, 0, 1);
        return unwrap(formatFor(opts, rows, cols));
      },
      py::arg("rows"), py::arg("cols"), py::kw_only(),
      py::arg("vector_size") = 32, py::arg("vector_sparsity") = 0.5,
      py::arg("n") = 2, py::arg("m") = 4,
      "The HiNMFormat that prune() uses for a [rows, cols] matrix; "
      "ValueError (with the reason) when the options or the shape do not "
      "fit, e.g. fewer columns than m.");

  m.def(
      "prune",
      [](py::handle weights, int64_t vectorSize, double vectorSparsity,
         int64_t n, int64_t mm, const std::string &permute, int64_t iterations,
         int64_t seed, int64_t threads, py::handle importance,
         py::handle search) {
        py::array_t<float> w = requireFloat32(weights, "weights", 2);
        int64_t rows = w.shape(0), cols = w.shape(1);
        PruneOptions opts = makeOptions(vectorSize, vectorSparsity, n, mm,
                                        permute, iterations, seed, threads);
        applySearchOptions(search, opts);
        py::array_t<float> imp = importanceArray(importance, rows, cols);
        const float *wd = w.data();
        const float *id = importance.is_none() ? nullptr : imp.data();
        llvm::Expected<PruneResult> resOr = llvm::createStringError("unset");
        HiNMStorage storage;
        {
          py::gil_scoped_release release;
          resOr = hinm::prune(wd, rows, cols, opts, id);
          if (resOr)
            storage = pack(wd, rows, cols, resOr->format, resOr->selection);
        }
        PruneResult res = unwrap(std::move(resOr));
        const HiNMFormat &fmt = res.format;
        int64_t pr = fmt.paddedRows(rows);
        std::vector<uint8_t> nm = res.selection.nmMask;
        py::array_t<bool> nmMask({pr, fmt.kept});
        std::copy(nm.begin(), nm.end(), nmMask.mutable_data());
        py::dict info;
        info["format"] = fmt;
        info["permute"] = permuteMethodName(opts.method);
        info["row_perm"] = toArray(res.selection.rowPerm, {pr});
        info["vector_index"] =
            toArray(res.selection.vectorIndex, {fmt.numBlocks(rows), fmt.kept});
        info["nm_mask"] = nmMask;
        info["mask"] = denseMask(fmt, rows, cols, res.selection);
        info["kept_importance"] = res.keptImportance;
        info["total_importance"] = res.totalImportance;
        return py::make_tuple(py::cast(std::move(storage)), info);
      },
      py::arg("weights"), py::kw_only(), py::arg("vector_size") = 32,
      py::arg("vector_sparsity") = 0.5, py::arg("n") = 2, py::arg("m") = 4,
      py::arg("permute") = "2cp", py::arg("iterations") = 0,
      py::arg("seed") = 0, py::arg("threads") = 1,
      py::arg("importance") = py::none(), py::arg("search") = py::none(),
      R"doc(
Prunes a float32 C-contiguous [rows, cols] matrix (rows = output channels) to
HiNM and packs it. Returns (storage, info):
  storage   hinm.Storage of the pruned matrix
  info      dict with
    format            the HiNMFormat (kept = vector_sparsity share of cols,
                      rounded down to a multiple of m)
    permute           the method that ran: none, ocp, ivp or 2cp
    row_perm          int32 [P], vector_index int32 [P/V, kept],
    nm_mask           bool [P, kept]: the selection (see hinm.pack)
    mask              bool [rows, cols]: True where a weight is kept
    kept_importance, total_importance   summed importance kept / overall
Options: permute = none | ocp | ivp | 2cp (OCP, vector pruning, IVP, N:M);
iterations caps the OCP search (0 = from the matrix size); importance
(float32 [rows, cols], >= 0) defaults to |weights|. search (a dict) tunes
the searches, as hinm-prune's flags do (docs/permutation.md): ivp_kicks,
ivp_anneal, ivp_eject, ocp_anneal, joint_rounds (0 = automatic, -1 = none),
ivp_sweeps,
restarts (extra runs from derived seeds, the best wins), effort (multiplier
of the annealing budgets, slower and usually better), refine_vectors,
ocp_global, ivp_lp (an LP dive last in IVP: 2:4, needs a build with COIN-OR
CLP, slow); e.g. search={"joint_rounds": -1}. The result depends on
seed, never on threads (0 = all hardware threads). ValueError for bad
options, a shape that does not fit (fewer columns than m), NaN or Inf.)doc");

  m.def(
      "efficacy",
      [](py::handle weights, int64_t vectorSize, double vectorSparsity,
         int64_t n, int64_t mm, std::vector<std::string> methods,
         int64_t iterations, int64_t seed, int64_t threads,
         py::handle importance, py::handle search) {
        py::array_t<float> w = requireFloat32(weights, "weights", 2);
        int64_t rows = w.shape(0), cols = w.shape(1);
        PruneOptions opts = makeOptions(vectorSize, vectorSparsity, n, mm,
                                        "2cp", iterations, seed, threads);
        applySearchOptions(search, opts);
        std::vector<PermuteMethod> todo;
        for (const std::string &name : methods)
          todo.push_back(unwrap(parsePermuteMethod(name)));
        py::array_t<float> imp = importanceArray(importance, rows, cols);
        const float *wd = w.data();
        const float *id = importance.is_none() ? nullptr : imp.data();
        llvm::Expected<EfficacyReport> repOr =
            llvm::createStringError("unset");
        {
          py::gil_scoped_release release;
          repOr = measureEfficacy(wd, rows, cols, opts, todo, id);
        }
        EfficacyReport rep = unwrap(std::move(repOr));
        py::dict kept, eff, secs;
        for (int i = 0; i < kNumPermuteMethods; ++i) {
          if (!rep.ran[i])
            continue;
          kept[kMethodNames[i]] = rep.kept[i];
          eff[kMethodNames[i]] = rep.efficacy[i];
          secs[kMethodNames[i]] = rep.seconds[i];
        }
        kept["ideal"] = rep.idealImportance;
        py::dict out;
        out["format"] = rep.format;
        out["total_importance"] = rep.totalImportance;
        out["ideal_importance"] = rep.idealImportance;
        out["kept_importance"] = kept;
        out["efficacy"] = eff;
        out["seconds"] = secs;
        return out;
      },
      py::arg("weights"), py::kw_only(), py::arg("vector_size") = 32,
      py::arg("vector_sparsity") = 0.5, py::arg("n") = 2, py::arg("m") = 4,
      py::arg("methods") = std::vector<std::string>{"ocp", "ivp", "2cp"},
      py::arg("iterations") = 0, py::arg("seed") = 0, py::arg("threads") = 1,
      py::arg("importance") = py::none(), py::arg("search") = py::none(),
      R"doc(
Prunes the matrix with every method in `methods` plus "none" (the baseline)
and returns a dict:
  format             the HiNMFormat
  total_importance   summed importance of all weights
  ideal_importance   per-row top-(kept*n/m) importance (the unreachable W_opt)
  kept_importance    {method: kept importance, ..., "ideal": ideal}
  efficacy           {method: percent}: (kept - none) / (ideal - none) * 100,
                     0 for "none" and when ideal == none
  seconds            {method: pruning time}
Same options and errors as prune().)doc");
}
