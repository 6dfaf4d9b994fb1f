#!/usr/bin/env bash
# The README's main job: set-up, build, then compile the bundled example (a
# real trained layer as linalg.matmul with constant weights) with hinm:
#   1. --hinm-sparsify: prune to HiNM with 2CP at compile time, report efficacy;
#   2. --hinm-cpu-pipeline + mlir-runner: run it, check against numpy;
#   3. --hinm-gpu-pipeline: compile it to PTX (cp.async, ldmatrix, mma.sp),
#      and assemble the PTX with ptxas when CUDA is installed;
#   4. the same for two real convolutions in a row (examples/esrgan_convs.mlir),
#      checked against numpy, with the ops between the layers on the device.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${HINM_BUILD_DIR:-$root/build}
bash "$root/scripts/setup.sh"
bash "$root/scripts/build.sh"
opt="$build/bin/hinm-opt"
example="$root/examples/ppocr_layer.mlir"
out="$build/example"
mkdir -p "$out"
llvm_lib=/usr/lib/llvm-22/lib
sparsify="vector-size=32 vector-sparsity=0.5 n=2 m=4 permute=2cp seed=0 report"

echo "== 1. hinm-sparsify ($sparsify) of $example"
"$opt" "$example" --hinm-sparsify="$sparsify" --mlir-print-op-on-diagnostic=false \
  -o "$out/sparse.mlir" 2>&1 | grep "remark:" | sed 's/^.*remark: /   /'

echo "== 2. CPU: --hinm-cpu-pipeline, run with mlir-runner, check against numpy"
"$opt" "$out/sparse.mlir" --hinm-cpu-pipeline -o "$out/cpu.llvm.mlir"
/usr/lib/llvm-22/bin/mlir-runner "$out/cpu.llvm.mlir" -e main -entry-point-result=void \
  -shared-libs="$llvm_lib/libmlir_runner_utils.so,$llvm_lib/libmlir_c_runner_utils.so" > "$out/cpu.out"
/usr/bin/python3 "$root/examples/check_layer_example.py" "$example" "$out/sparse.mlir" "$out/cpu.out" | sed 's/^/   /'

echo "== 3. GPU: --hinm-gpu-pipeline=\"chip=sm_80 format=isa\" -> $out/layer.ptx"
"$opt" "$out/sparse.mlir" --hinm-gpu-pipeline="chip=sm_80 format=isa" \
  --hinm-print-isa=output="$out/layer.ptx" -o "$out/gpu.llvm.mlir"
ptx="$out/layer.ptx"
echo "   PTX: $(wc -l < "$ptx") lines; instructions:" \
  "cp.async $(grep -c 'cp.async.cg' "$ptx")," \
  "ldmatrix $(grep -c 'ldmatrix.sync' "$ptx") (.trans $(grep -c 'ldmatrix.sync.aligned.m8n8.x4.trans' "$ptx"))," \
  "mma.sp $(grep -c 'mma.sp.sync.aligned.m16n8k32' "$ptx")"
grep -m1 -o 'mma.sp.sync.aligned.m16n8k32[.a-z0-9]*' "$ptx" | sed 's/^/   /'
# The constant storage parts are device globals of the kernel's module;
# the host code copies only the activations in and the result out.
echo "   weights in device globals (bytes):" \
  "$(grep -o '^\.global .align 16 .b8 __hinm_[a-z_0-9]*\[[0-9]*\]' "$ptx" \
     | sed 's/.*__hinm_//' | tr '\n' ' ')"
echo "   host-device copies per call: $(grep -c 'llvm.call @mgpuMemcpy' "$out/gpu.llvm.mlir")" \
  "(activations in, result out)"
ptxas=/usr/local/cuda/bin/ptxas
if [ -x "$ptxas" ]; then
  for chip in sm_80 sm_90; do
    "$ptxas" -arch=$chip -v "$ptx" -o "$out/layer.$chip.cubin" 2>&1 \
      | grep -E "Used|spill" | sed "s/^ptxas info *: //; s/^ *//; s/^/   ptxas $chip: /"
  done
else
  echo "   ptxas not found (CUDA not installed): PTX not assembled"
fi

convs="$root/examples/esrgan_convs.mlir"
echo "== 4. Two real convolutions (ESRGAN F_0 then F_1_1 + ReLU, 3x3, 64 channels, 16x16) from $convs"
"$opt" "$convs" --hinm-sparsify="$sparsify" --mlir-print-op-on-diagnostic=false \
  -o "$out/convs.sparse.mlir" 2>&1 | grep "remark:" | sed 's/^.*remark: hinm-sparsify: /   /'
"$opt" "$out/convs.sparse.mlir" --hinm-cpu-pipeline -o "$out/convs.cpu.llvm.mlir"
/usr/lib/llvm-22/bin/mlir-runner "$out/convs.cpu.llvm.mlir" -e main -entry-point-result=void \
  -shared-libs="$llvm_lib/libmlir_runner_utils.so,$llvm_lib/libmlir_c_runner_utils.so" > "$out/convs.cpu.out"
/usr/bin/python3 "$root/examples/check_convs_example.py" "$convs" "$out/convs.sparse.mlir" "$out/convs.cpu.out" \
  | sed 's/^/   /'
rm -rf "$out/convs.ptx"
"$opt" "$out/convs.sparse.mlir" --hinm-gpu-pipeline="chip=sm_80 format=isa" \
  --hinm-print-isa="output=$out/convs.ptx split" -o "$out/convs.gpu.llvm.mlir"
"$opt" "$out/convs.sparse.mlir" --hinm-gpu-pipeline="chip=sm_80 format=isa device-gather=false" \
  -o "$out/convs.gpu.host-between.llvm.mlir"
# The f16 cast after the first layer and the ReLU after the second run in
# the mma.sp kernels' epilogues (hinm-sink-result-reshapes moves them before
# the reshapes to NCHW); between the kernels, the reshape, the zero padding
# and the im2col gather of the second convolution run as one gather kernel.
echo "   GPU: $(ls "$out/convs.ptx" | wc -l) kernels" \
  "(mma.sp in $(grep -l 'mma.sp.sync' "$out"/convs.ptx/*.ptx | wc -l), gather $(grep -L 'mma.sp.sync' "$out"/convs.ptx/*.ptx | wc -l));" \
  "host-device copies per call: $(grep -c 'llvm.call @mgpuMemcpy' "$out/convs.gpu.llvm.mlir")" \
  "($(grep -c 'llvm.call @mgpuMemcpy' "$out/convs.gpu.host-between.llvm.mlir") with device-gather=false)"
if [ -x "$ptxas" ]; then
  for k in "$out"/convs.ptx/*.ptx; do
    for chip in sm_80 sm_90; do
      info=$("$ptxas" -arch=$chip -v "$k" -o /dev/null 2>&1)
      echo "   ptxas $chip $(basename "$k" .ptx):" \
        "$(grep -o 'Used [0-9]* registers' <<< "$info")," \
        "$(grep -o '[0-9]* bytes spill stores' <<< "$info")"
    done
  done
fi
echo "== done: outputs in $out"
