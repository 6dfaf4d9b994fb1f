# pytest set-up for the hinm package tests: import the package from the build
# tree ($HINM_BUILD_DIR/python_packages, default ./build) when PYTHONPATH does
# not already provide it.
import os
import sys
from pathlib import Path

_root = Path(__file__).resolve().parents[2]
_build = Path(os.environ.get("HINM_BUILD_DIR", _root / "build"))
_packages = _build / "python_packages"
if _packages.is_dir() and str(_packages) not in sys.path:
    sys.path.insert(0, str(_packages))
