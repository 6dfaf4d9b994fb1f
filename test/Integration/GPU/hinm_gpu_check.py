#!/usr/bin/env python3
"""GPU correctness check of hinm.matmul against a numpy reference.

Generates a random HiNM matrix in the storage format of
include/hinm/Algorithm/Format.h (values, vector index, 2:4 metadata words,
row permutation with padding rows) and random activations, writes a program
whose @main multiplies them with hinm.matmul and prints the result, compiles
it with --hinm-gpu-pipeline, runs it with mlir-runner on our CUDA runtime and
compares EVERY output element with the product of the pruned dense matrix.

Prints "PASS: ..." and exits 0, or prints the first mismatches and exits 1.
--compile-only stops after compiling (no GPU needed).
"""
import argparse
import re
import subprocess
import sys

import numpy as np


def to_bf16(a):
    """Rounds float32 values to bf16 (nearest even): returns the bf16 bit
    patterns (uint16, what the tensor constants hold) and their values."""
    bits = np.ascontiguousarray(a, dtype=np.float32).view(np.uint32)
    rounded = (bits + np.uint32(0x7FFF) + ((bits >> np.uint32(16)) & np.uint32(1))) >> np.uint32(16)
    hi = rounded.astype(np.uint16)
    vals = (hi.astype(np.uint32) << np.uint32(16)).view(np.float32)
    return hi, vals


def input_array(rng, shape, elt):
    """Uniform [-1, 1) inputs of element type `elt`: (bytes to embed, values
    as float64)."""
    u = rng.uniform(-1, 1, size=shape)
    if elt == "bf16":
        bits, vals = to_bf16(u.astype(np.float32))
        return bits, vals.astype(np.float64)
    h = u.astype(np.float16)
    return h, h.astype(np.float64)


def make_storage(rng, rows, cols, v, kept, identity, elt="f16"):
    padded = -(-rows // v) * v
    blocks = padded // v
    perm = rng.permutation(padded).astype(np.int32)
    if identity:
        index = np.tile(np.arange(kept, dtype=np.int32), (blocks, 1))
    else:
        index = np.stack([rng.permutation(cols)[:kept] for _ in range(blocks)])
        index = index.astype(np.int32)
    groups = kept // 4
    # Two ascending positions in each group of four kept columns.
    choice = np.array([(a, b) for a in range(4) for b in range(a + 1, 4)])
    pos = choice[rng.integers(0, len(choice), size=(padded, groups))]
    pos = pos.reshape(padded, kept // 2)  # index of stored element j
    words = np.zeros((padded, -(-kept // 32)), dtype=np.uint32)
    for j in range(kept // 2):
        words[:, j // 16] |= pos[:, j].astype(np.uint32) << np.uint32(2 * (j % 16))
    values, vals = input_array(rng, (padded, kept // 2), elt)
    values[perm >= rows] = 0  # padding rows hold zeros (+0 in f16 and bf16)
    vals[perm >= rows] = 0
    return values, vals, index, words.view(np.int32), perm, pos


def dense_weight(values, index, pos, perm, rows, cols, v):
    """`values` as float64 (the stored values, already rounded to the element
    type)."""
    w = np.zeros((rows, cols), dtype=np.float64)
    padded, stored = values.shape
    j = np.arange(stored)
    for p in range(padded):
        r = perm[p]
        if r >= rows:
            continue
        compacted = 4 * (j // 2) + pos[p]
        w[r, index[p // v, compacted]] = values[p]
    return w


def hexdata(a):
    return '"0x' + np.ascontiguousarray(a).tobytes().hex().upper() + '"'


def epilogue_ops(args, src, dst, ty, bias):
    """A bias add and a ReLU on `src` (rows x n of the accumulator type)
    into `dst`: one linalg.generic, which --hinm-gpu-pipeline fuses into the
    kernel's store."""
    acc = args.acc
    return f"""
  %bias = arith.constant dense<{hexdata(bias)}> : tensor<{args.rows}x{acc}>
  %zero = arith.constant 0.0 : {acc}
  %e = tensor.empty() : {ty}
  {dst} = linalg.generic {{indexing_maps = [affine_map<(r, c) -> (r, c)>,
      affine_map<(r, c) -> (r)>, affine_map<(r, c) -> (r, c)>],
      iterator_types = ["parallel", "parallel"]}}
      ins({src}, %bias : {ty}, tensor<{args.rows}x{acc}>) outs(%e : {ty}) {{
  ^bb0(%a: {acc}, %bb: {acc}, %o: {acc}):
    %s = arith.addf %a, %bb : {acc}
    %r = arith.maximumf %s, %zero : {acc}
    linalg.yield %r : {acc}
  }} -> {ty}"""


def storage_types(rows, cols, elt, v, kept, padded):
    """The !hinm.matrix type and its four storage tensor types."""
    mat = (f"!hinm.matrix<{rows}x{cols}x{elt}, #hinm.format<vector_size = {v}, "
           f"kept = {kept}, n = 2, m = 4>>")
    return (mat, f"tensor<{padded}x{kept // 2}x{elt}>",
            f"tensor<{padded // v}x{kept}xi32>",
            f"tensor<{padded}x{-(-kept // 32)}xi32>", f"tensor<{padded}xi32>")


def second_layer(args, storage2, rows2, kept2, ty):
    """A cast of `%y` (f32) to f16 and a second matmul on it, with constant
    weights: --hinm-gpu-pipeline fuses the cast into the first kernel and
    keeps its f16 result on the device as the second kernel's input."""
    values, index, words, perm = storage2
    n = args.n
    cols2 = args.rows * 9 if args.conv else args.rows
    mat, tv, ti, tm, tp = storage_types(rows2, cols2, "f16", args.v, kept2,
                                        values.shape[0])
    ty2 = f"tensor<{rows2}x{n}xf32>"
    th = f"tensor<{cols2}x{n}xf16>"
    if args.conv:
        between = conv_chain(args, ty, args.conv_bias)
    else:
        between = f"""
  %eh = tensor.empty() : {th}
  %yh = linalg.generic {{indexing_maps = [affine_map<(r, c) -> (r, c)>,
      affine_map<(r, c) -> (r, c)>], iterator_types = ["parallel", "parallel"]}}
      ins(%y : {ty}) outs(%eh : {th}) {{
  ^bb0(%a: f32, %o: f16):
    %t = arith.truncf %a : f32 to f16
    linalg.yield %t : f16
  }} -> {th}"""
    return between + f"""
  %v2 = arith.constant dense<{hexdata(values)}> : {tv}
  %i2 = arith.constant dense<{hexdata(index)}> : {ti}
  %m2 = arith.constant dense<{hexdata(words)}> : {tm}
  %p2 = arith.constant dense<{hexdata(perm)}> : {tp}
  %w2 = hinm.assemble %v2, %i2, %m2, %p2 : {mat}
  %y2 = hinm.matmul %w2, %yh : {mat}, {th} -> {ty2}""", ty2


def conv_chain(args, ty, bias):
    """The ops between two 3x3 convolutions (NCHW, batch 1, padding 1), as
    hinm-sparsify leaves them: `%y` (rows x H*W, f32) reshaped to
    1 x rows x H x W, a per-channel bias, ReLU and f16 cast, the zero
    padding and the im2col gather of the next convolution, collapsed to
    (rows*9) x H*W into `%yh`. --hinm-gpu-pipeline runs them as one gather
    kernel between the two matmul kernels."""
    c, hw, n = args.rows, args.hw, args.n
    t4 = f"tensor<1x{c}x{hw}x{hw}"
    t6 = f"tensor<{c}x3x3x1x{hw}x{hw}xf16>"
    par = ", ".join(['"parallel"'] * 6)
    return f"""
  %cb = arith.constant dense<{hexdata(bias)}> : tensor<{c}xf32>
  %czero = arith.constant 0.0 : f32
  %czh = arith.constant 0.0 : f16
  %y4 = tensor.expand_shape %y [[0, 1], [2, 3]] output_shape [1, {c}, {hw}, {hw}]
      : {ty} into {t4}xf32>
  %e4 = tensor.empty() : {t4}xf16>
  %h4 = linalg.generic {{indexing_maps = [affine_map<(n, c, i, j) -> (n, c, i, j)>,
      affine_map<(n, c, i, j) -> (c)>, affine_map<(n, c, i, j) -> (n, c, i, j)>],
      iterator_types = ["parallel", "parallel", "parallel", "parallel"]}}
      ins(%y4, %cb : {t4}xf32>, tensor<{c}xf32>) outs(%e4 : {t4}xf16>) {{
  ^bb0(%a: f32, %bb: f32, %o: f16):
    %s = arith.addf %a, %bb : f32
    %r = arith.maximumf %s, %czero : f32
    %t = arith.truncf %r : f32 to f16
    linalg.yield %t : f16
  }} -> {t4}xf16>
  %hp = tensor.pad %h4 low[0, 0, 1, 1] high[0, 0, 1, 1] {{
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %czh : f16
  }} : {t4}xf16> to tensor<1x{c}x{hw + 2}x{hw + 2}xf16>
  %e6 = tensor.empty() : {t6}
  %g = linalg.generic {{indexing_maps = [
      affine_map<(c, kh, kw, n, oh, ow) -> (n, c, oh + kh, ow + kw)>,
      affine_map<(c, kh, kw, n, oh, ow) -> (c, kh, kw, n, oh, ow)>],
      iterator_types = [{par}]}}
      ins(%hp : tensor<1x{c}x{hw + 2}x{hw + 2}xf16>) outs(%e6 : {t6}) {{
  ^bb0(%in: f16, %o: f16):
    linalg.yield %in : f16
  }} -> {t6}
  %yh = tensor.collapse_shape %g [[0, 1, 2], [3, 4, 5]] : {t6}
      into tensor<{c * 9}x{n}xf16>"""


def im2col3x3(a, hw):
    """(C, H*W) -> (C*9, H*W): the zero-padded 3x3 patches, rows in (c, kh,
    kw) order, as the im2col map of conv_chain reads them."""
    c = a.shape[0]
    img = np.pad(a.reshape(c, hw, hw), ((0, 0), (1, 1), (1, 1)))
    out = np.empty((c, 3, 3, hw, hw), a.dtype)
    for kh in range(3):
        for kw in range(3):
            out[:, kh, kw] = img[:, kh:kh + hw, kw:kw + hw]
    return out.reshape(c * 9, hw * hw)


def program(args, values, index, words, perm, x, bias=None):
    rows, cols, n, v, kept = args.rows, args.cols, args.n, args.v, args.kept
    acc, elt = args.acc, args.elt
    mat, tv, ti, tm, tp = storage_types(rows, cols, elt, v, kept,
                                        values.shape[0])
    tx = f"tensor<{cols}x{n}x{elt}>"
    ty = f"tensor<{rows}x{n}x{acc}>"
    consts = f"""
  %v = arith.constant dense<{hexdata(values)}> : {tv}
  %i = arith.constant dense<{hexdata(index)}> : {ti}
  %m = arith.constant dense<{hexdata(words)}> : {tm}
  %p = arith.constant dense<{hexdata(perm)}> : {tp}
  %x = arith.constant dense<{hexdata(x)}> : {tx}"""
    if args.weights == "runtime":
        # The storage parts reach @matmul as run-time arguments; with
        # --dynamic-n, @matmul takes and returns a dynamic N.
        txk, tyk = tx, ty
        if args.dynamic_n:
            txk = f"tensor<{cols}x?x{elt}>"
            tyk = f"tensor<{rows}x?x{acc}>"
        tail = ""
        result = "%y"
        if bias is not None:
            tail = epilogue_ops(args, "%y", "%z", tyk, bias)
            result = "%z"
        kernel = f"""
func.func @matmul(%v: {tv}, %i: {ti}, %m: {tm}, %p: {tp}, %x: {txk}) -> {tyk} {{
  %w = hinm.assemble %v, %i, %m, %p : {mat}
  %y = hinm.matmul %w, %x : {mat}, {txk} -> {tyk}{tail}
  return {result} : {tyk}
}}"""
        call = f"call @matmul(%v, %i, %m, %p, %x) : ({tv}, {ti}, {tm}, {tp}, {txk}) -> {tyk}"
        if args.dynamic_n:
            body = f"""{consts}
  %xd = tensor.cast %x : {tx} to {txk}
  %yd = {call.replace("%x)", "%xd)")}
  %y = tensor.cast %yd : {tyk} to {ty}"""
        else:
            body = f"""{consts}
  %y = {call}"""
    else:
        kernel = ""
        if bias is None:
            body = f"""{consts}
  %w = hinm.assemble %v, %i, %m, %p : {mat}
  %y = hinm.matmul %w, %x : {mat}, {tx} -> {ty}"""
        else:
            body = f"""{consts}
  %w = hinm.assemble %v, %i, %m, %p : {mat}
  %y0 = hinm.matmul %w, %x : {mat}, {tx} -> {ty}""" + epilogue_ops(
                args, "%y0", "%y", ty, bias)
    printed = "%y"
    if args.second is not None:
        text, ty = second_layer(args, args.second[0], args.second[1],
                                args.second[2], ty)
        body += text
        printed = "%y2"
        rows = args.second[1]
    pname = "printMemrefF32" if acc == "f32" else "printMemrefF16"
    return f"""{kernel}
func.func @main() {{{body}
  %b = bufferization.to_buffer {printed} : {ty} to memref<{rows}x{n}x{acc}>
  %u = memref.cast %b : memref<{rows}x{n}x{acc}> to memref<*x{acc}>
  call @{pname}(%u) : (memref<*x{acc}>) -> ()
  return
}}
func.func private @{pname}(memref<*x{acc}>) attributes {{llvm.emit_c_interface}}
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--cols", type=int, required=True, help="K")
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--v", type=int, required=True, help="vector size")
    ap.add_argument("--vector-sparsity", type=float, default=0.5)
    ap.add_argument("--kept", type=int, default=None,
                    help="kept columns per block (a multiple of 4; default "
                         "from --vector-sparsity, rounded down to a multiple "
                         "of 32). Others go through hinm-pad-matmul-kept")
    ap.add_argument("--identity", action="store_true",
                    help="plain 2:4: kept == cols, identity vector index")
    ap.add_argument("--acc", choices=["f32", "f16"], default="f32")
    ap.add_argument("--elt", choices=["f16", "bf16"], default="f16",
                    help="element type of weights and activations (bf16 "
                         "needs --acc f32)")
    ap.add_argument("--weights", choices=["const", "runtime"], default="const")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dynamic-n", action="store_true",
                    help="@matmul takes a dynamic N (needs --weights runtime)")
    ap.add_argument("--epilogue", action="store_true",
                    help="add a per-row bias and a ReLU after the matmul "
                         "(fused into the kernel's store by the pipeline)")
    ap.add_argument("--two-layers", type=int, metavar="ROWS2", default=None,
                    help="cast the result to f16 and feed it to a second "
                         "matmul of ROWS2 x rows (constant weights), whose "
                         "activations the pipeline keeps on the device")
    ap.add_argument("--conv", action="store_true",
                    help="with --two-layers: treat the first result as a "
                         "rows x H x W image (N = H*W, a square) and make the "
                         "second layer a 3x3 convolution on it (bias, ReLU, "
                         "f16, zero padding, im2col between the layers: one "
                         "gather kernel on the device); the second weight "
                         "is ROWS2 x rows*9")
    ap.add_argument("--pipeline-options", default="")
    ap.add_argument("--chip", default="sm_80")
    ap.add_argument("--features", default="+ptx80",
                    help="PTX features; empty: the pipeline picks (+ptx85 "
                         "where it uses ordered metadata)")
    ap.add_argument("--hinm-opt", default="hinm-opt")
    ap.add_argument("--mlir-runner", default="mlir-runner")
    ap.add_argument("--shared-libs", default="")
    ap.add_argument("--keep", help="write the program here")
    ap.add_argument("--compile-only", action="store_true")
    ap.add_argument("--cpu", action="store_true",
                    help="run through --hinm-cpu-pipeline instead (no GPU: "
                         "checks this script's data and reference)")
    args = ap.parse_args()
    if args.elt == "bf16" and args.acc != "f32":
        ap.error("bf16 needs --acc f32 (mma.sp has no bf16 accumulator)")
    if args.dynamic_n and args.weights != "runtime":
        ap.error("--dynamic-n needs --weights runtime")
    if args.two_layers is not None and (
            args.acc != "f32" or args.weights != "const" or args.epilogue or
            args.elt != "f16" or args.rows % 32):
        ap.error("--two-layers needs --acc f32, --weights const, f16, no "
                 "--epilogue, and rows a multiple of 32 (the second layer's "
                 "kept count then needs no padding)")

    args.hw = int(round(args.n ** 0.5))
    if args.conv and (args.two_layers is None or args.hw * args.hw != args.n):
        ap.error("--conv needs --two-layers and N a square (H*W)")

    if args.kept is not None:
        if args.identity or args.kept % 4 or not 4 <= args.kept <= args.cols:
            ap.error("--kept must be a multiple of 4 in [4, cols], without "
                     "--identity")
    elif args.identity:
        args.kept = args.cols
    else:
        kept = int((1.0 - args.vector_sparsity) * args.cols + 1e-9)
        args.kept = max(32, kept - kept % 32)
    rng = np.random.default_rng(args.seed)
    values, vals, index, words, perm, pos = make_storage(
        rng, args.rows, args.cols, args.v, args.kept, args.identity, args.elt)
    x, xd = input_array(rng, (args.cols, args.n), args.elt)
    bias = None
    if args.epilogue:
        bias = rng.integers(-8, 9, args.rows).astype(
            np.float32 if args.acc == "f32" else np.float16) / 4
    args.second = None
    if args.two_layers is not None:
        cols2 = args.rows * 9 if args.conv else args.rows
        kept2 = int((1.0 - args.vector_sparsity) * cols2 + 1e-9)
        kept2 = max(32, kept2 - kept2 % 32)
        v2, vals2, index2, words2, perm2, pos2 = make_storage(
            rng, args.two_layers, cols2, args.v, kept2, False)
        args.conv_bias = rng.integers(-8, 9, args.rows).astype(np.float32) / 4
        args.second = ((v2, index2, words2, perm2), args.two_layers, kept2)
    src = program(args, values, index, words, perm, x, bias)
    if args.keep:
        open(args.keep, "w").write(src)

    fmt = "isa" if args.compile_only else "fatbin"
    features = f"features={args.features} " if args.features else ""
    pipeline = (f"--hinm-gpu-pipeline=chip={args.chip} {features}"
                f"format={fmt} {args.pipeline_options}").strip()
    if args.cpu:
        pipeline = "--hinm-cpu-pipeline"
    compiled = subprocess.run([args.hinm_opt, "-", pipeline], input=src,
                              capture_output=True, text=True)
    if compiled.returncode != 0:
        print("error: hinm-opt failed:\n" + compiled.stderr)
        return 1
    desc = (f"{args.rows}x{args.cols} * {args.cols}x{args.n}, V={args.v}, "
            f"kept={args.kept}, acc={args.acc}, weights={args.weights}")
    if args.elt != "f16":
        desc += f", elt={args.elt}"
    if args.chip != "sm_80":
        desc += f", chip={args.chip}"
    if args.dynamic_n:
        desc += ", dynamic N"
    if args.epilogue:
        desc += ", bias + ReLU"
    if args.second is not None:
        cols2 = args.rows * 9 if args.conv else args.rows
        desc += f", then {args.two_layers}x{cols2} kept={args.second[2]}"
        if args.conv:
            desc += f" (3x3 conv on {args.rows}x{args.hw}x{args.hw})"
    if args.cpu:
        desc += ", on the CPU"
    if args.pipeline_options:
        ordered = re.search(r"ordered-metadata=(\w+)", args.pipeline_options)
        if ordered:
            desc += f", ordered-metadata={ordered.group(1)}"
    if args.compile_only:
        if ("gpu.binary" not in compiled.stdout and not args.cpu) or \
                "llvm.func @main" not in compiled.stdout:
            print("error: no gpu.binary or host main in the output")
            return 1
        print(f"COMPILED: {desc}")
        return 0

    run = subprocess.run([args.mlir_runner, "-e", "main",
                          "--entry-point-result=void",
                          f"--shared-libs={args.shared_libs}"],
                         input=compiled.stdout, capture_output=True, text=True)
    if run.returncode != 0:
        print("error: mlir-runner failed:\n" + run.stderr[-4000:])
        return 1
    if "hinm_cuda_runtime:" in run.stderr:
        print("error: CUDA runtime errors:\n" + run.stderr[-4000:])
        return 1
    data = run.stdout.split("data =", 1)
    if len(data) != 2:
        print("error: no memref printed:\n" + run.stdout[-2000:])
        return 1
    nums = re.findall(r"-?(?:nan|inf|\d+(?:\.\d*)?(?:e[-+]?\d+)?)", data[1])
    got = np.array([float(t) for t in nums], dtype=np.float64)
    out_rows = args.rows if args.second is None else args.two_layers
    if got.size != out_rows * args.n:
        print(f"error: {got.size} values printed, {out_rows * args.n} expected")
        return 1
    got = got.reshape(out_rows, args.n)

    w = dense_weight(vals, index, pos, perm, args.rows, args.cols, args.v)
    want = w @ xd
    scale = np.abs(w) @ np.abs(xd)
    if bias is not None:
        # ReLU moves a value by at most its distance to 0: the tolerance of
        # the product covers it.
        want = np.maximum(want + bias.astype(np.float64)[:, None], 0.0)
    if args.acc == "f32":
        tol = 1e-3 * scale + 1e-3
    else:  # f16 accumulation: one rounding per mma.sp step at most
        tol = (args.kept / 32 + 2) * 2.0 ** -10 * scale + 1e-2
    if args.second is not None:
        # The first result is rounded to f16 (half an ulp: 2^-11 relative);
        # the second layer multiplies that error and adds its own.
        cols2 = args.rows * 9 if args.conv else args.rows
        w2 = dense_weight(vals2, index2, pos2, perm2, args.two_layers,
                          cols2, args.v)
        if args.conv:
            # Bias and ReLU (which moves a value by at most its distance
            # to 0: the tolerance covers it), then the padded patches.
            want = np.maximum(
                want + args.conv_bias.astype(np.float64)[:, None], 0.0)
            want = im2col3x3(want, args.hw)
            tol = im2col3x3(tol, args.hw)
        tol = tol + 2.0 ** -11 * np.abs(want)
        scale2 = np.abs(w2) @ (np.abs(want) + tol)
        tol = np.abs(w2) @ tol + 1e-3 * scale2 + 1e-3
        want = w2 @ want
    bad = ~(np.abs(got - want) <= tol)  # NaN counts as bad
    if bad.any():
        rr, cc = np.nonzero(bad)
        print(f"FAIL: {desc}: {bad.sum()} of {bad.size} elements differ")
        for r, c in list(zip(rr, cc))[:10]:
            print(f"  [{r}, {c}] got {got[r, c]} want {want[r, c]} tol {tol[r, c]}")
        return 1
    moved = int(np.sum(perm[:args.rows] != np.arange(args.rows)))
    print(f"PASS: {desc}: all {bad.size} elements match "
          f"({moved} rows moved by the permutation)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
