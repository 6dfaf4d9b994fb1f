#!/usr/bin/env python3
"""Compile-time benchmark of hinm-sparsify on one function of many real
layers (docs/benchmarks.md, "Compile time").

Writes a function holding one linalg.matmul per layer of the bundled weights
(the PP-OCRv4 layers except the 6625-row classifier, and the first esrgan
layers; weights as dense_resource blobs), then runs
`hinm-opt --hinm-sparsify` on it with the context's threads and with
--mlir-disable-threading, and prints both times and whether the outputs are
byte-identical.

  /usr/bin/python3 scripts/bench_sparsify_compile.py [--esrgan 6] [--vector-size 32]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def write_module(path, weights_dir, n_esrgan):
    manifest = json.load(open(os.path.join(weights_dir, "manifest.json")))
    files = [layer["file"] for layer in manifest["layers"]]
    chosen = [f for f in files if f.startswith("ppocr")]
    chosen = [f for f in chosen
              if np.load(os.path.join(weights_dir, f), mmap_mode="r").shape[0]
              < 4096]
    chosen += [f for f in files if f.startswith("esrgan")][:n_esrgan]
    body, types, blobs = [], [], []
    for i, f in enumerate(chosen):
        w = np.load(os.path.join(weights_dir, f)).astype(np.float32)
        out, inn = w.shape
        t = f"tensor<8x{out}xf32>"
        body.append(
            f"  %w{i} = arith.constant dense_resource<w{i}> : tensor<{inn}x{out}xf32>\n"
            f"  %e{i} = tensor.empty() : {t}\n"
            f"  %c{i} = linalg.fill ins(%z : f32) outs(%e{i} : {t}) -> {t}\n"
            f"  %x{i} = tensor.empty() : tensor<8x{inn}xf32>\n"
            f"  %y{i} = linalg.matmul ins(%x{i}, %w{i} : tensor<8x{inn}xf32>, "
            f"tensor<{inn}x{out}xf32>) outs(%c{i} : {t}) -> {t}")
        types.append(t)
        blobs.append(f'      w{i}: "0x04000000'
                     + np.ascontiguousarray(w.T).astype("<f4").tobytes().hex().upper()
                     + '"')
    with open(path, "w") as out:
        out.write("func.func @forward() -> (" + ", ".join(types) + ") {\n")
        out.write("  %z = arith.constant 0.0 : f32\n")
        out.write("\n".join(body) + "\n")
        out.write("  return " + ", ".join(f"%y{i}" for i in range(len(types)))
                  + " : " + ", ".join(types) + "\n}\n")
        out.write("{-#\n  dialect_resources: {\n    builtin: {\n"
                  + ",\n".join(blobs) + "\n    }\n  }\n#-}\n")
    return len(chosen)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--weights", default=os.path.join(ROOT, "..", "shared",
                                                      "data", "weights"))
    ap.add_argument("--hinm-opt", default=os.path.join(
        os.environ.get("HINM_BUILD_DIR", os.path.join(ROOT, "build")), "bin",
        "hinm-opt"))
    ap.add_argument("--esrgan", type=int, default=6)
    ap.add_argument("--vector-size", type=int, default=32)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "forward.mlir")
        layers = write_module(src, a.weights, a.esrgan)
        print(f"{layers} layers in one function, V={a.vector_size}, 2CP")
        outputs = []
        for label, extra in (("context threads", []),
                             ("--mlir-disable-threading",
                              ["--mlir-disable-threading"])):
            out = os.path.join(tmp, f"out{len(outputs)}.mlir")
            start = time.perf_counter()
            subprocess.run([a.hinm_opt, src,
                            f"--hinm-sparsify=vector-size={a.vector_size}",
                            "-o", out, *extra], check=True)
            seconds = time.perf_counter() - start
            print(f"{label:>26}: {seconds:7.1f} s wall")
            outputs.append(open(out, "rb").read())
        same = outputs[0] == outputs[1]
        print("outputs byte-identical:", "yes" if same else "NO")
        return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
