# -*- Python -*- lit configuration for the hinm regression tests.
import os
import shutil
import subprocess

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "HINM"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.hinm_obj_root, "test")
config.excludes = ["Inputs", "CMakeLists.txt", "README.txt", "lit.cfg.py",
                   "lit.site.cfg.py"]

config.environment["FILECHECK_OPTS"] = "-enable-var-scope --allow-unused-prefixes=false"
llvm_config.use_default_substitutions()
llvm_config.with_system_environment(
    ["HOME", "TMP", "TEMP", "CUDA_HOME", "CUDA_ROOT", "CUDA_PATH"])
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

config.substitutions.append(("%shlibext", config.llvm_shlib_ext))
config.substitutions.append(("%hinm_src_root", config.hinm_src_root))
config.substitutions.append(("%hinm_lib_dir", config.hinm_lib_dir))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(
    ("%mlir_runner_utils",
     os.path.join(config.llvm_lib_dir, "libmlir_runner_utils.so")))
config.substitutions.append(
    ("%mlir_c_runner_utils",
     os.path.join(config.llvm_lib_dir, "libmlir_c_runner_utils.so")))
# HiNMPlugin.so, for stock mlir-opt --load-dialect-plugin / --load-pass-plugin.
config.substitutions.append(
    ("%hinm_plugin", os.path.join(config.hinm_lib_dir, "HiNMPlugin" + config.llvm_shlib_ext)))
config.substitutions.append(("%shared", os.path.join(config.hinm_src_root, "..", "shared")))

tool_dirs = [config.hinm_tools_dir, config.llvm_tools_dir]
tools = [
    "hinm-opt",
    "hinm-capi-test",
    ToolSubst("mlir-opt", unresolved="ignore"),
    ToolSubst("mlir-runner", unresolved="ignore"),
    ToolSubst("hinm-prune", unresolved="ignore"),
    ToolSubst("hinm-run", unresolved="ignore"),
    ToolSubst("hinm-bench", unresolved="ignore"),
    ToolSubst("hinm-bench-run", unresolved="ignore"),
]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# The LP solver of IVP's LP dive (COIN-OR CLP) is optional too.
if config.hinm_have_clp:
    config.available_features.add("lp-solver")

# Optional tools become features, so one build works with and without CUDA.
if config.hinm_enable_cuda and config.ptxas_path and os.path.exists(config.ptxas_path):
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", config.ptxas_path))

def _has_cuda_device():
    smi = shutil.which("nvidia-smi")
    if not smi:
        return False
    try:
        return subprocess.run([smi, "-L"], capture_output=True, timeout=20).returncode == 0
    except Exception:
        return False

if config.hinm_enable_cuda and _has_cuda_device():
    config.available_features.add("cuda-device")

if os.path.exists(os.path.join(config.llvm_tools_dir, "mlir-runner")):
    config.available_features.add("mlir-runner")

try:
    if subprocess.run([config.python_executable, "-c", "import numpy"],
                      capture_output=True, timeout=60).returncode == 0:
        config.available_features.add("python-numpy")
except Exception:
    pass

# The CMake package test builds a downstream project: needs cmake and ninja.
_cmake = shutil.which("cmake")
if _cmake and shutil.which("ninja"):
    config.available_features.add("cmake-package")
    config.substitutions.append(("%cmake", _cmake))
    config.substitutions.append(("%hinm_obj_root", config.hinm_obj_root))
# Our mgpu* runtime (lib/Runtime), built with CUDA.
_hinm_cuda_runtime = os.path.join(config.hinm_lib_dir, "libhinm_cuda_runtime.so")
config.substitutions.append(("%hinm_cuda_runtime", _hinm_cuda_runtime))
if config.hinm_enable_cuda and os.path.exists(_hinm_cuda_runtime):
    config.available_features.add("hinm-cuda-runtime")

# Sanitizer builds (scripts/sanitize.sh): tools that load our code into an
# uninstrumented host (plugins into Debian's mlir-opt) or check exact link
# dependencies cannot run under ASan; those tests say `UNSUPPORTED: asan`.
if getattr(config, "hinm_sanitizers", False):
    config.available_features.add("asan")
