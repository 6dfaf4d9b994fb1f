#!/usr/bin/env bash
# Builds hinm with -fsanitize=address,undefined (assertions on) into
# build-asan/ and runs the C++ unit tests and the lit suite under it.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${HINM_ASAN_BUILD_DIR:-$root/build-asan}
if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit \
    -DHINM_ENABLE_SANITIZERS=ON -DHINM_ENABLE_ASSERTIONS=ON >/dev/null || exit 1
fi
cmake --build "$build" || exit 1
# See scripts/fuzz.sh for why user poisoning is ignored (libMLIR.so is not
# instrumented). Leak checking stays on: hinm code must not leak.
export ASAN_OPTIONS=allow_user_poisoning=0:detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
(cd "$build" && ctest --output-on-failure -j2) || status=1
/usr/lib/llvm-22/bin/lit -s "$build/test" || status=1
exit $status
