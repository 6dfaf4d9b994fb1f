# Tests of the hinm storage-format bindings (hinm._core over
# include/hinm/Algorithm/Format.h) against a numpy model of the format.
import pickle
import threading

import numpy as np
import pytest

import hinm


def random_selection(rng, fmt, rows, cols):
    """A random valid selection: row permutation of the padded rows, distinct
    columns per block, n of every m compacted columns per storage row."""
    pr = fmt.padded_rows(rows)
    blocks = fmt.num_blocks(rows)
    row_perm = rng.permutation(pr).astype(np.int32)
    vector_index = np.stack(
        [rng.choice(cols, size=fmt.kept, replace=False) for _ in range(blocks)]
    ).astype(np.int32)
    mask = np.zeros((pr, fmt.kept), dtype=bool)
    for p in range(pr):
        for g in range(fmt.kept // fmt.m):
            keep = rng.choice(fmt.m, size=fmt.n, replace=False)
            mask[p, g * fmt.m + keep] = True
    return row_perm, vector_index, mask


def numpy_pruned(dense, fmt, row_perm, vector_index, mask):
    """The dense matrix the selection keeps, computed independently."""
    rows, _ = dense.shape
    out = np.zeros_like(dense)
    for p, r in enumerate(row_perm):
        if r >= rows:
            continue
        cols = vector_index[p // fmt.vector_size][mask[p]]
        out[r, cols] = dense[r, cols]
    return out


FORMATS = [
    hinm.HiNMFormat(vector_size=16, kept=8, n=2, m=4),
    hinm.HiNMFormat(vector_size=32, kept=16, n=1, m=4),
    hinm.HiNMFormat(vector_size=16, kept=16, n=2, m=8),
    hinm.HiNMFormat(vector_size=16, kept=12, n=3, m=4),
]


@pytest.mark.parametrize("fmt", FORMATS, ids=repr)
@pytest.mark.parametrize("rows", [16, 40])
def test_pack_unpack_round_trip(fmt, rows):
    rng = np.random.default_rng(7)
    cols = 24
    dense = rng.standard_normal((rows, cols)).astype(np.float32)
    row_perm, vector_index, mask = random_selection(rng, fmt, rows, cols)
    s = hinm.pack(dense, fmt, row_perm, vector_index, mask)
    expected = numpy_pruned(dense, fmt, row_perm, vector_index, mask)
    got = hinm.unpack(s)
    assert got.dtype == np.float32 and got.shape == (rows, cols)
    np.testing.assert_array_equal(got, expected)
    # Exactly n of every m kept columns survive per real row.
    assert np.count_nonzero(got) == np.count_nonzero(expected)


@pytest.mark.parametrize("fmt", FORMATS, ids=repr)
def test_storage_fields(fmt):
    rng = np.random.default_rng(11)
    rows, cols = 40, 24
    dense = rng.standard_normal((rows, cols)).astype(np.float32)
    row_perm, vector_index, mask = random_selection(rng, fmt, rows, cols)
    s = hinm.pack(dense, fmt, row_perm, vector_index, mask)
    pr = fmt.padded_rows(rows)
    assert (s.rows, s.cols, s.format) == (rows, cols, fmt)
    assert s.values.shape == (pr, fmt.kept // fmt.m * fmt.n)
    assert s.values.dtype == np.float32
    assert s.vector_index.dtype == np.int32 and s.row_perm.dtype == np.int32
    assert s.metadata.dtype == np.uint32
    assert s.metadata.shape == (pr, fmt.meta_words_per_row)
    np.testing.assert_array_equal(s.vector_index, vector_index)
    np.testing.assert_array_equal(s.row_perm, row_perm)
    bits = fmt.meta_bits_per_index
    per_word = fmt.meta_indices_per_word
    for p in range(pr):
        kept_cols = np.flatnonzero(mask[p])  # compacted positions, ascending
        r = row_perm[p]
        for j, c in enumerate(kept_cols):
            # The value is the dense element (zero for padding rows) ...
            want = dense[r, vector_index[p // fmt.vector_size][c]] if r < rows else 0
            assert s.values[p, j] == want
            # ... and the metadata holds its position inside its group of m,
            # decoded here from the raw words independently of the library.
            word = int(s.metadata[p, j // per_word])
            assert (word >> ((j % per_word) * bits)) & ((1 << bits) - 1) == c % fmt.m
            assert hinm.metadata_index(s, p, j) == c % fmt.m


def test_two_four_metadata_word():
    # 2:4 with kept = 32: one 32-bit word per row, 16 two-bit indices, the
    # word mma.sp reads. Row keeps positions 1, 3 of every group: 0b1101 x 8.
    fmt = hinm.HiNMFormat(vector_size=16, kept=32)
    dense = np.ones((16, 32), dtype=np.float32)
    mask = np.tile([False, True, False, True], (16, 8))
    s = hinm.pack(dense, fmt, np.arange(16), np.arange(32)[None, :], mask)
    assert fmt.meta_words_per_row == 1
    assert int(s.metadata[0, 0]) == int("1101" * 8, 2)


def test_reference_matmul_matches_numpy():
    rng = np.random.default_rng(3)
    fmt = hinm.HiNMFormat(vector_size=16, kept=8)
    rows, cols, n = 40, 24, 5
    dense = rng.standard_normal((rows, cols)).astype(np.float32)
    sel = random_selection(rng, fmt, rows, cols)
    s = hinm.pack(dense, fmt, *sel)
    x = rng.standard_normal((cols, n)).astype(np.float32)
    y = hinm.reference_matmul(s, x)
    expected = numpy_pruned(dense, fmt, *sel).astype(np.float64) @ x.astype(np.float64)
    assert y.shape == (rows, n) and y.dtype == np.float32
    np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-5)


def test_storage_from_parts_round_trip():
    rng = np.random.default_rng(5)
    fmt = hinm.HiNMFormat(vector_size=16, kept=8)
    dense = rng.standard_normal((20, 16)).astype(np.float32)
    s = hinm.pack(dense, fmt, *random_selection(rng, fmt, 20, 16))
    # The dialect's tensors hold metadata as i32: both signs are accepted.
    t = hinm.Storage(fmt, 20, 16, s.values.copy(), s.vector_index,
                     s.metadata.view(np.int32), s.row_perm.astype(np.int64))
    np.testing.assert_array_equal(hinm.unpack(t), hinm.unpack(s))


def test_storage_arrays_are_read_only_views():
    fmt = hinm.HiNMFormat(vector_size=16, kept=4)
    s = hinm.pack(np.ones((16, 8), np.float32), fmt, np.arange(16),
                  [[0, 1, 2, 3]], np.tile([True, True, False, False], (16, 1)))
    values = s.values
    del s  # the view keeps the storage alive
    assert values.sum() == 32
    with pytest.raises(ValueError, match="read-only"):
        values[0, 0] = 5


def test_nan_policy_follows_library():
    # pack moves data: NaN/Inf in kept positions are stored as they are,
    # pruned positions (NaN or not) are dropped.
    fmt = hinm.HiNMFormat(vector_size=16, kept=4)
    dense = np.zeros((16, 8), dtype=np.float32)
    dense[0, 0] = np.nan  # kept
    dense[0, 1] = np.inf  # kept
    dense[0, 2] = np.nan  # pruned (not in the row's N:M choice)
    mask = np.tile([True, True, False, False], (16, 1))
    s = hinm.pack(dense, fmt, np.arange(16), [[0, 1, 2, 3]], mask)
    out = hinm.unpack(s)
    assert np.isnan(out[0, 0]) and np.isposinf(out[0, 1])
    assert out[0, 2] == 0


def test_threads_give_identical_results():
    rng = np.random.default_rng(9)
    fmt = hinm.HiNMFormat(vector_size=32, kept=64)
    rows, cols = 256, 128
    dense = rng.standard_normal((rows, cols)).astype(np.float32)
    sel = random_selection(rng, fmt, rows, cols)
    results = [None] * 4

    def work(i):
        results[i] = hinm.unpack(hinm.pack(dense, fmt, *sel))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results[1:]:
        np.testing.assert_array_equal(r, results[0])


def test_format_object():
    f = hinm.HiNMFormat(vector_size=32, kept=64, n=2, m=4)
    assert repr(f) == "HiNMFormat(vector_size=32, kept=64, n=2, m=4)"
    assert f == hinm.HiNMFormat(kept=64)
    assert f != hinm.HiNMFormat(kept=64, n=1)
    assert f != "not a format"
    assert pickle.loads(pickle.dumps(f)) == f
    assert (f.num_blocks(120), f.padded_rows(120)) == (4, 128)
    assert (f.compressed_cols, f.meta_bits_per_index, f.meta_words_per_row) == (32, 2, 2)
    assert f.validate() == ""
    assert "multiple of 16" in hinm.HiNMFormat(vector_size=24, kept=64).validate()
    assert "exceeds the column count" in f.validate_for(64, 32)


def test_kept_for_vector_sparsity():
    assert hinm.kept_for_vector_sparsity(256, 0.5, 4) == 128
    assert hinm.kept_for_vector_sparsity(100, 0.9, 4) == 8
    assert hinm.kept_for_vector_sparsity(100, 0.99, 4) == 4
    with pytest.raises(ValueError, match="vector sparsity"):
        hinm.kept_for_vector_sparsity(100, 1.0, 4)
    with pytest.raises(ValueError, match="vector sparsity"):
        hinm.kept_for_vector_sparsity(100, float("nan"), 4)


def test_verify_functions_return_messages():
    fmt = hinm.HiNMFormat(vector_size=16, kept=4)
    assert hinm.verify_vector_index(fmt, 16, 8, [[0, 1, 2, 3]]) == ""
    assert "appears twice" in hinm.verify_vector_index(fmt, 16, 8, [[0, 1, 1, 3]])
    assert "out of range" in hinm.verify_vector_index(fmt, 16, 8, [[0, 1, 2, 8]])
    assert hinm.verify_row_perm(fmt, 10, np.arange(16)) == ""
    assert "appears twice" in hinm.verify_row_perm(fmt, 10, [0] * 16)
    good = np.full((16, 1), 0b1000, dtype=np.uint32)  # positions 0, 2
    assert hinm.verify_metadata(fmt, 16, good) == ""
    bad = np.full((16, 1), 0b0010, dtype=np.uint32)  # positions 2, 0
    assert "ascending" in hinm.verify_metadata(fmt, 16, bad)
    mask = np.tile([True, False, True, False], (16, 1))
    assert hinm.verify_selection(fmt, 16, 8, np.arange(16), [[0, 1, 2, 3]], mask) == ""
    assert "N:M mask keeps 3" in hinm.verify_selection(
        fmt, 16, 8, np.arange(16), [[0, 1, 2, 3]],
        np.tile([True, True, True, False], (16, 1)))


# -- bad input: ValueError with a message that names the problem ------------

FMT = hinm.HiNMFormat(vector_size=16, kept=4)
DENSE = np.ones((16, 8), dtype=np.float32)
PERM = np.arange(16)
INDEX = np.array([[0, 1, 2, 3]])
MASK = np.tile([True, False, True, False], (16, 1))


@pytest.mark.parametrize("args, message", [
    ((DENSE.astype(np.float64), FMT, PERM, INDEX, MASK), "dense must have dtype float32"),
    ((np.ones((16, 16), np.float32)[:, ::2], FMT, PERM, INDEX, MASK), "C-contiguous"),
    ((np.ones(16, np.float32), FMT, PERM, INDEX, MASK), "dense must have 2 dimension"),
    ((None, FMT, PERM, INDEX, MASK), "got None"),
    ((DENSE, hinm.HiNMFormat(vector_size=16, kept=6), PERM, INDEX, MASK), "multiple of M"),
    ((DENSE, hinm.HiNMFormat(vector_size=16, kept=12), PERM, INDEX, MASK), "exceeds the column count"),
    ((DENSE, FMT, np.arange(32), INDEX, MASK), r"row_perm has shape \(32,\), expected \(16,\)"),
    ((DENSE, FMT, PERM, np.array([0, 1, 2, 3]), MASK), "vector_index must have 2 dimension"),
    ((DENSE, FMT, PERM, np.array([[0.0, 1, 2, 3]]), MASK), "vector_index must have an integer dtype"),
    ((DENSE, FMT, PERM, np.array([[0, 1, 2, 2**40]]), MASK), "does not fit in int32"),
    ((DENSE, FMT, PERM, np.array([[0, 1, 1, 3]]), MASK), "appears twice in block 0"),
    ((DENSE, FMT, np.zeros(16, int), INDEX, MASK), "appears twice"),
    ((DENSE, FMT, PERM, INDEX, MASK[:, :3]), "nm_mask has shape"),
    ((DENSE, FMT, PERM, INDEX, np.full((16, 4), 2)), "only 0/1"),
    ((DENSE, FMT, PERM, INDEX, np.tile([True, True, True, False], (16, 1))), "N:M mask keeps 3"),
])
def test_pack_rejects_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        hinm.pack(*args)


def test_storage_and_matmul_reject_bad_input():
    s = hinm.pack(DENSE, FMT, PERM, INDEX, MASK)
    with pytest.raises(ValueError, match="x has 4 rows, expected the matrix's 8 columns"):
        hinm.reference_matmul(s, np.ones((4, 2), np.float32))
    with pytest.raises(ValueError, match="x must have dtype float32"):
        hinm.reference_matmul(s, np.ones((8, 2)))
    with pytest.raises(ValueError, match="ascending"):
        hinm.Storage(FMT, 16, 8, s.values, s.vector_index,
                     np.full((16, 1), 0b0010, np.uint32), s.row_perm)
    with pytest.raises(ValueError, match="metadata must have dtype uint32 or int32"):
        hinm.Storage(FMT, 16, 8, s.values, s.vector_index,
                     s.metadata.astype(np.int64), s.row_perm)
    with pytest.raises(ValueError, match=r"values has shape \(16, 3\)"):
        hinm.Storage(FMT, 16, 8, np.zeros((16, 3), np.float32), s.vector_index,
                     s.metadata, s.row_perm)
    with pytest.raises(IndexError):
        hinm.metadata_index(s, 16, 0)
