#!/usr/bin/env bash
# Builds the libFuzzer target (clang-22, coverage + UBSan + ASan on hinm's
# code) into build-fuzz/ and fuzzes parse + verify + hinm passes for
# ${1:-60} seconds, seeded from the lit tests. Crashes land in
# build-fuzz/crashes/ and make the script fail. docs/reliability.md has more.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-60}
build=${HINM_FUZZ_BUILD_DIR:-$root/build-fuzz}
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
corpus="$build/corpus"; crashes="$build/crashes"
mkdir -p "$corpus" "$crashes"
find "$root/test" -name '*.mlir' -exec cp {} "$corpus/" \;
# libMLIR.so is not instrumented: ASan's user-poisoning annotations inlined
# from LLVM headers into instrumented code are not undone by libMLIR's
# uninstrumented copies and give false "use-after-poison" reports, so user
# poisoning is ignored; real out-of-bounds and use-after-free still report.
export ASAN_OPTIONS=allow_user_poisoning=0:detect_leaks=0
"$build/bin/hinm-fuzz" "$corpus" -max_total_time="$secs" -max_len=16384 -timeout=20 \
  -rss_limit_mb=6144 -artifact_prefix="$crashes/" -print_final_stats=1 2>&1 | tail -n 25
