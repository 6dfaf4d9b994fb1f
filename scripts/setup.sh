#!/usr/bin/env bash
# Installs what hinm needs from Debian's archive, only what is missing.
# Idempotent; downloads nothing from anywhere else. CUDA is optional.
set -euo pipefail
pkgs=(cmake ninja-build g++ libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools
      libgtest-dev python3 python3-numpy python3-scipy python3-pytest pybind11-dev
      python3-dev python3-torch coinor-libclp-dev)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "hinm setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "hinm setup: all Debian packages present"
fi
if [ -x /usr/local/cuda/bin/ptxas ]; then
  echo "hinm setup: CUDA found at /usr/local/cuda (ptxas checks and GPU runtime enabled)"
else
  echo "hinm setup: CUDA not found; GPU parts will be skipped"
fi
