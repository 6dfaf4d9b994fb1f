# Tests of hinm.tools: driving the hinm-opt compiler from Python.
import pytest

from hinm.tools import HiNMOptError, find_hinm_opt, run_hinm_opt

pytestmark = pytest.mark.skipif(find_hinm_opt() is None,
                                reason="hinm-opt not built or not found")

MASK_2_4 = ", ".join(["[true, false, true, false]"] * 16)
MASK_4_4 = ", ".join(["[true, true, true, true]"] * 16)
PACK = """
!W = !hinm.matrix<16x8xf32, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>
func.func @f() -> !W {
  %d = arith.constant dense<1.0> : tensor<16x8xf32>
  %p = arith.constant dense<[1, 0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]> : tensor<16xi32>
  %i = arith.constant dense<[[6, 1, 3, 0]]> : tensor<1x4xi32>
  %m = arith.constant dense<[MASK]> : tensor<16x4xi1>
  %w = hinm.pack %d, %p, %i, %m : !W
  return %w : !W
}
"""


def test_canonicalize_folds_constant_pack():
    text = run_hinm_opt(PACK.replace("MASK", MASK_2_4))
    assert "hinm.pack" in text
    folded = run_hinm_opt(PACK.replace("MASK", MASK_2_4), ["--canonicalize"])
    assert "hinm.pack" not in folded
    assert "hinm.assemble" in folded
    # Every row keeps compacted positions 0 and 2: metadata word 0b1000.
    assert "dense<8> : tensor<16x1xi32>" in folded


def test_verifier_error_is_raised_with_diagnostics():
    with pytest.raises(HiNMOptError, match="N:M mask keeps 4 values") as err:
        run_hinm_opt(PACK.replace("MASK", MASK_4_4))
    assert err.value.returncode != 0


def test_parse_error_is_reported():
    with pytest.raises(HiNMOptError, match="hinm-opt failed"):
        run_hinm_opt("func.func @f( {")


def test_missing_tool():
    with pytest.raises(FileNotFoundError):
        run_hinm_opt("", hinm_opt="/nonexistent/hinm-opt")
