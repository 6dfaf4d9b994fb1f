#!/usr/bin/env python3
"""Checks that every mgpu* function an LLVM IR host module declares is
defined by the runtime library. Prints one line per function; exits 1 if one
is missing. Usage: check_abi.py module.ll libhinm_cuda_runtime.so"""
import re
import subprocess
import sys


def main():
    ll, lib = sys.argv[1], sys.argv[2]
    text = open(ll).read()
    needed = sorted(set(re.findall(r"^declare [^@]*@(mgpu\w+)\(", text, re.M)))
    if not needed:
        print("error: the module declares no mgpu* function")
        return 1
    nm = subprocess.run(["llvm-nm", "-D", "--defined-only", lib],
                        capture_output=True, text=True, check=True).stdout
    defined = set(re.findall(r"\s[TW]\s+(mgpu\w+)$", nm, re.M))
    missing = [f for f in needed if f not in defined]
    for f in needed:
        print(f"{f}: {'missing' if f in missing else 'defined'}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
