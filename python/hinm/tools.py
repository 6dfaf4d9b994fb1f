# ===- tools.py - run the hinm-opt compiler from Python -------------------===#
#
# Part of the hinm project.
#
# ===----------------------------------------------------------------------===#
"""Runs ``hinm-opt`` on MLIR text: the way Python front ends (torch-mlir,
IREE's importers, hand-written IR) reach hinm's passes without MLIR Python
bindings. Text in, text out; errors raise ``HiNMOptError`` with the tool's
diagnostics."""

import os
import shutil
import subprocess
from pathlib import Path
from typing import Optional, Sequence


class HiNMOptError(RuntimeError):
    """hinm-opt exited with an error; ``stderr`` holds its diagnostics."""

    def __init__(self, command, returncode, stderr):
        self.command = list(command)
        self.returncode = returncode
        self.stderr = stderr
        super().__init__(
            f"hinm-opt failed with exit code {returncode}:\n{stderr.strip()}")


def find_hinm_opt() -> Optional[str]:
    """The hinm-opt to run: $HINM_OPT, then $HINM_BUILD_DIR/bin, then the
    build tree this package sits in (<build>/python_packages/hinm), then PATH.
    None if there is none."""
    candidates = []
    if os.environ.get("HINM_OPT"):
        candidates.append(Path(os.environ["HINM_OPT"]))
    if os.environ.get("HINM_BUILD_DIR"):
        candidates.append(Path(os.environ["HINM_BUILD_DIR"]) / "bin" / "hinm-opt")
    candidates.append(Path(__file__).resolve().parents[2] / "bin" / "hinm-opt")
    for c in candidates:
        if c.is_file() and os.access(c, os.X_OK):
            return str(c)
    return shutil.which("hinm-opt")


def run_hinm_opt(source: str, args: Sequence[str] = (), *,
                 hinm_opt: Optional[str] = None,
                 timeout: Optional[float] = None) -> str:
    """Runs ``hinm-opt <args>`` on the MLIR text ``source`` and returns the
    printed output. Raises FileNotFoundError if no hinm-opt is found and
    HiNMOptError if it fails (parse error, verifier error, pass failure)."""
    tool = hinm_opt or find_hinm_opt()
    if tool is None:
        raise FileNotFoundError(
            "hinm-opt not found: set HINM_OPT or HINM_BUILD_DIR, or put it on PATH")
    command = [tool, *args, "-"]
    result = subprocess.run(command, input=source, capture_output=True,
                            text=True, timeout=timeout)
    if result.returncode != 0:
        raise HiNMOptError(command, result.returncode, result.stderr)
    return result.stdout
