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
