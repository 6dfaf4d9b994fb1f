#!/usr/bin/env bash
# The README's main job: set-up, build, then compile the bundled example
# through hinm's passes and report what happened.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${HINM_BUILD_DIR:-$root/build}
bash "$root/scripts/setup.sh"
bash "$root/scripts/build.sh"
opt="$build/bin/hinm-opt"
example="$root/examples/linear.mlir"
echo "== canonicalize (compile-time packing) of $example"
"$opt" "$example" --canonicalize
cpu_example="$root/examples/hinm_linear_cpu.mlir"
llvm_lib=/usr/lib/llvm-22/lib
echo "== CPU reference: $cpu_example through --hinm-cpu-pipeline, run with mlir-runner"
"$opt" "$cpu_example" --hinm-cpu-pipeline -o "$build/hinm_linear_cpu.llvm.mlir"
/usr/lib/llvm-22/bin/mlir-runner "$build/hinm_linear_cpu.llvm.mlir" -e main \
  -entry-point-result=void \
  -shared-libs="$llvm_lib/libmlir_runner_utils.so,$llvm_lib/libmlir_c_runner_utils.so" \
  > "$build/hinm_linear_cpu.out"
/usr/bin/python3 "$root/examples/check_hinm_linear_cpu.py" "$cpu_example" "$build/hinm_linear_cpu.out"
