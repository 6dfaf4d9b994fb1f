#!/usr/bin/env bash
# The README's test command: set-up, build, then every test suite.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${HINM_BUILD_DIR:-$root/build}
bash "$root/scripts/setup.sh" || exit 1
bash "$root/scripts/build.sh" || exit 1
status=0
echo "== C++ unit tests (ctest)"
(cd "$build" && ctest --output-on-failure -j2) || status=1
echo "== lit regression tests (check-hinm)"
/usr/lib/llvm-22/bin/lit -sv "$build/test" || status=1
if [ -d "$root/python/tests" ] && [ -d "$build/python_packages" ]; then
  echo "== Python tests (pytest)"
  PYTHONPATH="$build/python_packages" HINM_BUILD_DIR="$build" \
    /usr/bin/python3 -m pytest -q "$root/python/tests" || status=1
fi
if [ $status -eq 0 ]; then echo "hinm: all test suites passed"; else echo "hinm: FAILURES above"; fi
exit $status
