#!/usr/bin/env bash
# The one command for a GPU session (issue 5): the GPU lit tests, then every
# benchmark shape and variant (cuBLAS, our 2:4 kernel, HiNM V=32/V=64 at 75%,
# ...), each output checked against the CPU reference, then timed. Results go
# to a folder; the whole run stays under ~5 minutes (each step is guarded by
# `timeout`). docs/benchmarks-gpu.md explains the figures.
#
# Two halves, because the GPU machines have CUDA but not LLVM/MLIR 22:
#
#   bash scripts/gpu-bench.sh --prepare
#       on the build machine (no GPU needed): builds, compiles every case
#       through --hinm-gpu-pipeline, runs ptxas, and writes the plan
#       (build/bench-plan: PTX, cubins, launch records, dry-run table).
#
#   bash scripts/gpu-bench.sh [OUTDIR]
#       on the GPU machine: runs the plan with build/bin/hinm-bench-run
#       (which needs neither LLVM nor MLIR) and writes OUTDIR/{env,lit,
#       bench,dry-run}.txt and OUTDIR/bench.json. OUTDIR defaults to $OUT,
#       then ./bench-out. Where hinm-bench itself can run (LLVM 22 present),
#       the plan is first rebuilt from the current sources.
#
# With the session's device tool, after --prepare here:
#   run(command="bash scripts/gpu-bench.sh",
#       carry=["build/bin/hinm-bench-run", "build/bench-plan"], timeout_s=420)
#
# Environment: HINM_BUILD_DIR (default build), HINM_BENCH_PLAN (default
# $HINM_BUILD_DIR/bench-plan), HINM_BENCH_BUDGET (seconds, default 280),
# HINM_BENCH_ARGS (extra hinm-bench-run options, e.g. "--iters=50"),
# HINM_BENCH_NO_BUILD=1 (never build on the GPU machine), HINM_BENCH_TILES
# (extra --hinm-gpu-pipeline tile options per HiNM variant, ';'-separated; ""
# for the defaults only).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${HINM_BUILD_DIR:-$root/build}
plan=${HINM_BENCH_PLAN:-$build/bench-plan}
budget=${HINM_BENCH_BUDGET:-280}
# Tile configurations tried besides the pipeline's defaults (';'-separated).
tiles=${HINM_BENCH_TILES-block-n=128 stages=4;block-n=32 warps-n=1 stages=4;ordered-metadata=false}
start=$SECONDS
left() { echo $((budget - (SECONDS - start))); }
say() { echo "gpu-bench: $*"; }

# True when the binary exists and all its shared libraries resolve here.
runnable() {
  [ -x "$1" ] || return 1
  ! ldd "$1" 2>/dev/null | grep -q "not found"
}

emit_plan() {
  # Everything the plan holds; the runner can select subsets later.
  rm -rf "$plan"
  mkdir -p "$plan"
  timeout "$1" "$build/bin/hinm-bench" --emit-plan="$plan" --shapes=issue5 \
    --variants=all --tile-configs="$tiles" --json="$plan/dry-run.json" \
    >"$plan/dry-run.txt" 2>&1
  local rc=$?
  cat "$plan/dry-run.txt"
  return $rc
}

if [ "${1:-}" = "--prepare" ]; then
  bash "$root/scripts/build.sh" || exit 1
  if ! runnable "$build/bin/hinm-bench" || ! runnable "$build/bin/hinm-bench-run"; then
    say "hinm-bench was not built: CUDA (find_package(CUDAToolkit)) was not found"
    exit 1
  fi
  emit_plan 600 || { say "compiling the plan failed (see above)"; exit 1; }
  du -sh "$build/bin/hinm-bench-run" "$plan"
  say "plan ready in $plan; on the GPU machine run:"
  say '  run(command="bash scripts/gpu-bench.sh", carry=["build/bin/hinm-bench-run", "build/bench-plan"], timeout_s=420)'
  exit 0
fi

out=${1:-${OUT:-$root/bench-out}}
mkdir -p "$out"
say "results go to $out (budget ${budget}s)"

# 1. What machine is this.
{
  date -u
  uname -a
  nvidia-smi -L 2>&1 || echo "nvidia-smi: not available"
  nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,clocks.mem,power.limit \
    --format=csv 2>&1 || true
  echo "ptxas: $(command -v ptxas || echo none)"
  echo "--- ldd hinm-bench-run"
  ldd "$build/bin/hinm-bench-run" 2>&1 || true
  echo "--- LLVM 22: $(ls -d /usr/lib/llvm-22 2>/dev/null || echo absent)"
  echo "--- git"
  git -C "$root" log --oneline -3 2>&1 || true
} >"$out/env.txt" 2>&1
cat "$out/env.txt"

# 2. The plan: rebuilt where hinm-bench runs, else the carried one.
if runnable "$build/bin/hinm-bench"; then
  say "hinm-bench runs here: rebuilding the plan from the current sources"
  emit_plan 90 || say "WARNING: compiling some cases failed (see dry-run.txt)"
elif [ -z "${HINM_BENCH_NO_BUILD:-}" ] && [ ! -f "$build/bin/hinm-bench" ] &&
  [ -d /usr/lib/llvm-22/lib/cmake/mlir ] &&
  command -v cmake >/dev/null; then
  say "building (LLVM 22 present)"
  timeout 240 bash "$root/scripts/build.sh" >"$out/build.txt" 2>&1 || say "build failed: see build.txt"
  runnable "$build/bin/hinm-bench" && { emit_plan 90 || true; }
fi
if [ ! -f "$plan/plan.json" ]; then
  say "ERROR: no plan at $plan and hinm-bench cannot run here."
  say "Run 'bash scripts/gpu-bench.sh --prepare' on the build machine and carry"
  say "build/bin/hinm-bench-run and build/bench-plan."
  exit 2
fi
[ -f "$plan/dry-run.txt" ] && cp "$plan/dry-run.txt" "$out/dry-run.txt"
runner="$build/bin/hinm-bench-run"
[ -x "$runner" ] || chmod +x "$runner" 2>/dev/null
if ! runnable "$runner"; then
  say "ERROR: $runner is missing or cannot start here:"
  ldd "$runner" 2>&1 | grep "not found"
  exit 2
fi

# 3. GPU lit tests (they need lit, FileCheck and hinm-opt, i.e. LLVM 22).
lit_rc=0
lit_dir="$build/test/Integration/GPU"
lit_bin=$(command -v lit || ls /usr/lib/llvm-22/bin/lit 2>/dev/null || true)
if [ ! -d "$root/test/Integration/GPU" ]; then
  echo "skipped: test/Integration/GPU does not exist in this tree" >"$out/lit.txt"
elif [ -z "$lit_bin" ] || ! runnable "$build/bin/hinm-opt"; then
  echo "skipped: lit or a runnable hinm-opt is missing (LLVM/MLIR 22 not installed here)" >"$out/lit.txt"
else
  t=$(($(left) - 150))
  [ $t -gt 120 ] && t=120
  if [ $t -lt 20 ]; then
    echo "skipped: time budget" >"$out/lit.txt"
  else
    timeout $t "$lit_bin" -sv "$lit_dir" >"$out/lit.txt" 2>&1
    lit_rc=$?
  fi
fi
say "lit: $(tail -n 3 "$out/lit.txt" | tr '\n' ' ')"

# The floor model's DRAM bandwidth is the H100 SXM's (3.35 TB/s); an H200
# has 4.8 TB/s (same tensor-core rates).
machine_args=""
gpu_name=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -n 1)
case "$gpu_name" in
*H200*) machine_args="--hbm-tbps=4.8" ;;
esac
[ -n "$machine_args" ] && say "$gpu_name: floor model with $machine_args"

# 4. The benchmark: every case of the plan. The runner rewrites bench.json
# after each case, so a timeout still leaves the finished ones.
t=$(($(left) - 5))
[ $t -lt 30 ] && t=30
say "hinm-bench-run (timeout ${t}s)"
# shellcheck disable=SC2086
timeout $t "$runner" --plan="$plan" --json="$out/bench.json" \
  $machine_args ${HINM_BENCH_ARGS:-} 2>&1 | tee "$out/bench.txt"
bench_rc=${PIPESTATUS[0]}
[ $bench_rc -eq 124 ] && say "hinm-bench-run hit its ${t}s timeout"
say "done in $((SECONDS - start))s: lit rc=$lit_rc, bench rc=$bench_rc"
[ $bench_rc -eq 0 ] && [ $lit_rc -eq 0 ]
