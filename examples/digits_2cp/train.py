#!/usr/bin/env python3
# ===- train.py - HiNM pruning with and without 2CP on the digits MLP -----===#
#
# Part of the hinm project.
#
# ===----------------------------------------------------------------------===#
"""Trains a small MLP (64 -> 256 -> 256 -> 10) on scikit-learn's digits,
prunes it to 75% sparsity with HiNM (V = 16, 50% vector sparsity, 2:4) once
without channel permutation and once with 2CP, fine-tunes both with fixed
masks, and prints dense, pruned and fine-tuned test accuracy. Saves the plot
digits_2cp.png next to this file. With --compile, the fine-tuned 2CP model is
also exported (hinm.torch.export_linear_mlir, form="pack"), compiled with
hinm-opt --canonicalize --hinm-cpu-pipeline and run with mlir-runner on test
digits, and its predictions are compared with torch's.

  PYTHONPATH=build/python_packages /usr/bin/python3 examples/digits_2cp/train.py

Needs python3-torch, python3-sklearn and python3-matplotlib (Debian). Fixed
seeds; runs in well under a minute on 2 cores.
"""
import argparse
import copy
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--vector-size", type=int, default=16)
    p.add_argument("--vector-sparsity", type=float, default=0.5)
    p.add_argument("--epochs", type=int, default=30, help="dense training")
    p.add_argument("--finetune-epochs", type=int, default=8)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--plot", default=str(HERE / "digits_2cp.png"))
    p.add_argument("--compile", action="store_true",
                   help="also compile and run the 2CP model with hinm-opt")
    return p.parse_args()


def main():
    args = parse_args()
    try:
        import torch
        import torch.nn as nn
        from sklearn.datasets import load_digits
        from sklearn.model_selection import train_test_split
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as err:
        sys.exit(f"digits_2cp: {err}; install with apt-get install "
                 "python3-torch python3-sklearn python3-matplotlib")
    import hinm
    from hinm.torch import apply_hinm, export_linear_mlir, parse_memref_print

    start = time.time()
    torch.manual_seed(args.seed)
    torch.set_num_threads(1)  # bit-reproducible runs

    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    y = digits.target.astype(np.int64)
    x_tr, x_te, y_tr, y_te = train_test_split(
        x, y, test_size=0.25, random_state=args.seed, stratify=y)
    x_tr, x_te = torch.from_numpy(x_tr), torch.from_numpy(x_te)
    y_tr, y_te = torch.from_numpy(y_tr), torch.from_numpy(y_te)

    def accuracy(model):
        model.eval()
        with torch.no_grad():
            acc = (model(x_te).argmax(1) == y_te).float().mean().item()
        model.train()
        return 100.0 * acc

    def train(model, epochs, lr):
        gen = torch.Generator().manual_seed(args.seed + 1)
        opt = torch.optim.Adam(model.parameters(), lr=lr)
        loss_fn = nn.CrossEntropyLoss()
        curve = []
        for _ in range(epochs):
            order = torch.randperm(len(x_tr), generator=gen)
            for i in range(0, len(order), 64):
                idx = order[i:i + 64]
                opt.zero_grad()
                loss_fn(model(x_tr[idx]), y_tr[idx]).backward()
                opt.step()
            curve.append(accuracy(model))
        return curve

    dense = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 256),
                          nn.ReLU(), nn.Linear(256, 10))
    dense_curve = train(dense, args.epochs, 1e-3)
    dense_acc = dense_curve[-1]
    print(f"dense MLP 64-256-256-10: test accuracy {dense_acc:.2f}% "
          f"({len(x_te)} test digits, {args.epochs} epochs)")

    results = {}
    for permute in ("none", "2cp"):
        model = copy.deepcopy(dense)
        masks = apply_hinm(model, vector_size=args.vector_size,
                           vector_sparsity=args.vector_sparsity, n=2, m=4,
                           permute=permute, seed=args.seed)
        assert not masks.skipped, masks.skipped
        kept = sum(i["kept_importance"] for i in masks.info.values())
        total = sum(i["total_importance"] for i in masks.info.values())
        pruned_acc = accuracy(model)
        curve = train(model, args.finetune_epochs, 5e-4)
        results[permute] = dict(model=model, masks=masks, pruned=pruned_acc,
                                curve=curve, kept=kept / total)
        per_layer = ", ".join(
            f"{name} {i['kept_importance'] / i['total_importance']:.3f}"
            for name, i in masks.info.items())
        print(f"HiNM V={args.vector_size} {args.vector_sparsity:.0%} vectors "
              f"2:4, permute={permute:4s}: sparsity {masks.sparsity():.1%}, "
              f"kept |w| {kept / total:.3f} (layers {per_layer}); accuracy "
              f"pruned {pruned_acc:.2f}%, after {args.finetune_epochs} "
              f"fine-tune epochs {curve[-1]:.2f}%")

    # Efficacy of each permutation on the trained layers.
    for name, layer in (("0", dense[0]), ("2", dense[2]), ("4", dense[4])):
        w = np.ascontiguousarray(layer.weight.detach().numpy())
        rep = hinm.efficacy(w, vector_size=args.vector_size,
                            vector_sparsity=args.vector_sparsity)
        eff = ", ".join(f"{k} {v:.1f}%" for k, v in rep["efficacy"].items()
                        if k != "none")
        print(f"layer {name} {w.shape[0]}x{w.shape[1]}: efficacy {eff}")

    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    epochs = np.arange(0, args.finetune_epochs + 1)
    ax.axhline(dense_acc, color="black", linestyle="--",
               label=f"dense ({dense_acc:.1f}%)")
    for permute, color in (("none", "tab:red"), ("2cp", "tab:blue")):
        r = results[permute]
        label = "HiNM, no permutation" if permute == "none" else "HiNM + 2CP"
        ax.plot(epochs, [r["pruned"]] + r["curve"], marker="o", color=color,
                label=f"{label} (kept |w| {r['kept']:.1%})")
    ax.set_xlabel("fine-tuning epoch (masks fixed)")
    ax.set_ylabel("test accuracy (%)")
    ax.set_title(f"digits MLP, 75% HiNM sparsity (V={args.vector_size}, "
                 f"{args.vector_sparsity:.0%} vectors, 2:4)")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(args.plot, dpi=100)
    print(f"plot: {args.plot}")

    if args.compile:
        compile_and_compare(results["2cp"]["model"], x_te[:32], torch,
                            export_linear_mlir, parse_memref_print)
    print(f"total time {time.time() - start:.1f} s")


def compile_and_compare(model, x, torch, export_linear_mlir,
                        parse_memref_print):
    """Runs the fine-tuned 2CP model through hinm-opt and mlir-runner."""
    from hinm.tools import find_hinm_opt

    hinm_opt = find_hinm_opt()
    runner = "/usr/lib/llvm-22/bin/mlir-runner"
    if hinm_opt is None or not os.access(runner, os.X_OK):
        print("compile: hinm-opt or mlir-runner not found, skipped")
        return
    model.eval()
    text = export_linear_mlir(model, batch=len(x), example_input=x,
                              form="pack")
    lowered = subprocess.run([hinm_opt, "-", "--canonicalize",
                              "--hinm-cpu-pipeline"], input=text,
                             capture_output=True, text=True, check=True)
    libs = ("/usr/lib/llvm-22/lib/libmlir_runner_utils.so,"
            "/usr/lib/llvm-22/lib/libmlir_c_runner_utils.so")
    run = subprocess.run([runner, "-e", "main", "-entry-point-result=void",
                          f"-shared-libs={libs}"], input=lowered.stdout,
                         capture_output=True, text=True, check=True)
    got = parse_memref_print(run.stdout)
    with torch.no_grad():
        want = model(x).numpy()
    same = (got.argmax(1) == want.argmax(1)).mean()
    print(f"compiled with hinm-opt (hinm.pack + hinm.matmul, CPU pipeline): "
          f"max |logit difference| {np.abs(got - want).max():.2e} over "
          f"{len(x)} test digits, same prediction for {same:.0%}")


if __name__ == "__main__":
    main()
