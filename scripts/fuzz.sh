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
# A replay needs address randomization off (setarch -R): hash tables keyed
# by pointers (TypeIDs in libMLIR.so) probe differently at other addresses,
# which changes the coverage the fuzzer steers by. Where the kernel refuses
# that, the replay still runs but may differ between machines.
#
# docs/reliability.md has more.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${HINM_FUZZ_BUILD_DIR:-$root/build-fuzz}
if [ "${1:-}" = "--replay" ]; then
  [ $# -eq 3 ] || { echo "usage: fuzz.sh --replay SEED RUNS" >&2; exit 2; }
  # A wall-clock cap only guards against a hang: if it is hit the run is a
  # prefix of the reproducible one and still fails on any crash it met.
  limits=(-seed="$2" -runs="$3" -max_total_time=900 -reload=0)
  corpus="$build/replay-corpus"
  rm -rf "$corpus"
  if setarch "$(uname -m)" -R true 2>/dev/null; then
    fixed=(setarch "$(uname -m)" -R)
  else
    echo "fuzz.sh: setarch -R refused; this replay may differ from others" >&2
    fixed=()
  fi
else
  limits=(-max_total_time="${1:-60}")
  corpus="$build/corpus"
  fixed=()
fi
for p in clang-22 libclang-rt-22-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="${missing:-} $p"
done
if [ -n "${missing:-}" ]; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi
if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit \
    -DCMAKE_C_COMPILER=/usr/lib/llvm-22/bin/clang -DCMAKE_CXX_COMPILER=/usr/lib/llvm-22/bin/clang++ \
    -DHINM_ENABLE_FUZZER=ON >/dev/null
fi
cmake --build "$build" --target hinm-fuzz
crashes="$build/crashes"
mkdir -p "$corpus" "$crashes"
# Seeds are named by their path under test/ (several share a file name).
(cd "$root/test" && find . -name '*.mlir' | LC_ALL=C sort | while read -r f; do
  f=${f#./}; cp "$f" "$corpus/${f//\//__}"
done)
# libMLIR.so is not instrumented: ASan's user-poisoning annotations inlined
# from LLVM headers into instrumented code are not undone by libMLIR's
# uninstrumented copies and give false "use-after-poison" reports, so user
# poisoning is ignored; real out-of-bounds and use-after-free still report.
export ASAN_OPTIONS=allow_user_poisoning=0:detect_leaks=0
"${fixed[@]}" "$build/bin/hinm-fuzz" "$corpus" "${limits[@]}" -max_len=16384 -timeout=20 \
  -rss_limit_mb=6144 -artifact_prefix="$crashes/" -print_final_stats=1 2>&1 |
  sed '/^###### Recommended dictionary/,/^###### End of recommended/d' | tail -n 25
