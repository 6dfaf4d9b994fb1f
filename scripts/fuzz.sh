#!/usr/bin/env bash
# Builds the libFuzzer target (clang-22, coverage + UBSan + ASan on hinm's
# code) into build-fuzz/ and fuzzes parse + verify + hinm passes, seeded from
# the lit tests. Crashes land in build-fuzz/crashes/ and make the script fail.
#
#   fuzz.sh [SECONDS]          explore for SECONDS (default 60) from a random
#                              seed, growing the corpus in build-fuzz/corpus
#   fuzz.sh --replay SEED RUNS run exactly RUNS inputs from libFuzzer seed SEED,
#                              starting from the lit tests alone: the same
#                              tree and compiler give the same inputs, so a
#                              run that passes here passes in CI (.ci/run)
#
# A replay only repeats if every address does: hash tables keyed by pointers
# (TypeIDs, uniqued storage) probe differently at other addresses, and that
# changes the coverage the fuzzer steers by. So it runs with address
# randomization off (setarch -R), in a fresh directory under relative
# names and an empty environment (path strings are heap allocations: a
# longer checkout path moved later allocations and changed a run), on a
# binary built with -ffile-prefix-map (CMakeLists.txt). Where the kernel
# refuses setarch -R, the replay still runs but may differ between machines.
#
# docs/reliability.md has more.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${HINM_FUZZ_BUILD_DIR:-$root/build-fuzz}
if [ "${1:-}" = "--replay" ]; then
  [ $# -eq 3 ] || { echo "usage: fuzz.sh --replay SEED RUNS" >&2; exit 2; }
  replay=1
  # A wall-clock cap only guards against a hang: if it is hit the run is a
  # prefix of the reproducible one and still fails on any crash it met.
  limits=(-seed="$2" -runs="$3" -max_total_time=900 -reload=0)
else
  replay=0
  limits=(-max_total_time="${1:-60}")
fi
for p in clang-22 libclang-rt-22-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="${missing:-} $p"
done
if [ -n "${missing:-}" ]; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi
cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit \
  -DCMAKE_C_COMPILER=/usr/lib/llvm-22/bin/clang -DCMAKE_CXX_COMPILER=/usr/lib/llvm-22/bin/clang++ \
  -DHINM_ENABLE_FUZZER=ON >/dev/null
cmake --build "$build" --target hinm-fuzz
crashes="$build/crashes"
mkdir -p "$crashes"
# Seeds are named by their path under test/ (several share a file name).
seed() {
  (cd "$root/test" && find . -name '*.mlir' | LC_ALL=C sort | while read -r f; do
    f=${f#./}; cp "$f" "$1/${f//\//__}"
  done)
}
# libMLIR.so is not instrumented: ASan's user-poisoning annotations inlined
# from LLVM headers into instrumented code are not undone by libMLIR's
# uninstrumented copies and give false "use-after-poison" reports, so user
# poisoning is ignored; real out-of-bounds and use-after-free still report.
asan=allow_user_poisoning=0:detect_leaks=0
options=(-max_len=16384 -timeout=20 -rss_limit_mb=6144 -print_final_stats=1)
report() { sed '/^###### Recommended dictionary/,/^###### End of recommended/d' | tail -n 25; }
if [ $replay = 1 ]; then
  stage="$build/replay"
  rm -rf "$stage"
  mkdir -p "$stage/corpus" "$stage/crashes"
  seed "$stage/corpus"
  ln -s "$build/bin/hinm-fuzz" "$stage/hinm-fuzz"
  fixed=(setarch "$(uname -m)" -R)
  if ! setarch "$(uname -m)" -R true 2>/dev/null; then
    echo "fuzz.sh: setarch -R refused; this replay may differ from others" >&2
    fixed=()
  fi
  status=0
  (cd "$stage" && env -i PATH=/usr/lib/llvm-22/bin:/usr/bin:/bin ASAN_OPTIONS=$asan \
    "${fixed[@]}" ./hinm-fuzz corpus "${limits[@]}" "${options[@]}" \
    -artifact_prefix=crashes/) 2>&1 | report || status=$?
  cp "$stage"/crashes/* "$crashes/" 2>/dev/null || true
  exit $status
fi
mkdir -p "$build/corpus"
seed "$build/corpus"
ASAN_OPTIONS=$asan "$build/bin/hinm-fuzz" "$build/corpus" "${limits[@]}" "${options[@]}" \
  -artifact_prefix="$crashes/" 2>&1 | report
