"""Tests for nnlib.data: data sets, loaders, toy generators, digits and standardisation."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib import Tensor, manual_seed
from nnlib.data import (
    CURVES,
    DataLoader,
    Dataset,
    Standardizer,
    Subset,
    TensorDataset,
    heteroscedastic_std,
    load_digits,
    make_circles,
    make_gaussians,
    make_heteroscedastic,
    make_moons,
    make_regression_1d,
    make_spirals,
    make_xor,
    random_split,
    standardize,
    train_test_split,
)
from tests.helpers import assert_bad_input

TOY_SETS = [make_circles, make_xor, make_gaussians, make_spirals, make_moons]


def _dataset(n: int = 10, d: int = 3) -> tuple[np.ndarray, np.ndarray]:
    X = np.arange(n * d, dtype=np.float64).reshape(n, d)
    y = np.arange(n, dtype=np.int64)
    return X, y


# ----------------------------------------------------------------------- TensorDataset
def test_tensor_dataset_indexing_and_len() -> None:
    X, y = _dataset()
    ds = TensorDataset(Tensor(X), Tensor(y))
    assert len(ds) == 10
    x3, y3 = ds[3]
    assert isinstance(x3, Tensor) and isinstance(y3, Tensor)
    np.testing.assert_array_equal(x3.data, X[3])
    assert y3.data.shape == () and int(y3.data) == 3
    assert x3.data.dtype == np.float64 and y3.data.dtype == np.int64
    # Items are copies: changing one leaves the data set alone.
    x3.data[:] = -1
    np.testing.assert_array_equal(ds[3][0].data, X[3])
    # Slices and negative indices work as in PyTorch.
    np.testing.assert_array_equal(ds[2:4][1].data, [2, 3])
    np.testing.assert_array_equal(ds[-1][0].data, X[-1])


def test_tensor_dataset_matches_torch() -> None:
    X, y = _dataset()
    ours = TensorDataset(Tensor(X), Tensor(y))
    theirs = torch.utils.data.TensorDataset(torch.from_numpy(X), torch.from_numpy(y))
    assert len(ours) == len(theirs)
    for i in range(len(ours)):
        for a, b in zip(ours[i], theirs[i], strict=True):
            np.testing.assert_array_equal(a.data, b.numpy())


def test_tensor_dataset_accepts_arrays() -> None:
    X, y = _dataset()
    ds = TensorDataset(X, y)
    assert all(isinstance(t, Tensor) for t in ds.tensors)
    np.testing.assert_array_equal(ds[0][0].data, X[0])


def test_tensor_dataset_errors() -> None:
    message = assert_bad_input(
        ValueError, "TensorDataset", TensorDataset, Tensor(np.zeros((5, 2))), Tensor(np.zeros(4))
    )
    assert "(5, 2)" in message and "(4,)" in message
    assert_bad_input(ValueError, "TensorDataset", TensorDataset)
    assert_bad_input(ValueError, "TensorDataset", TensorDataset, Tensor(np.float64(1.0)))
    assert_bad_input(TypeError, "TensorDataset", TensorDataset, [[1.0, 2.0]])


def test_dataset_base_class_says_what_to_define() -> None:
    with pytest.raises(NotImplementedError, match="__len__"):
        len(Dataset())
    with pytest.raises(NotImplementedError, match="__getitem__"):
        Dataset()[0]


# -------------------------------------------------------------------------- DataLoader
@pytest.mark.parametrize("n", [1, 7, 64, 65, 100])
@pytest.mark.parametrize("batch_size", [1, 3, 32, 64, 200])
@pytest.mark.parametrize("drop_last", [False, True])
def test_loader_matches_torch_without_shuffle(n: int, batch_size: int, drop_last: bool) -> None:
    X, y = _dataset(n)
    ours = DataLoader(TensorDataset(X, y), batch_size=batch_size, drop_last=drop_last)
    theirs = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.from_numpy(X), torch.from_numpy(y)),
        batch_size=batch_size,
        drop_last=drop_last,
    )
    assert len(ours) == len(theirs)
    ours_batches, theirs_batches = list(ours), list(theirs)
    assert len(ours_batches) == len(theirs_batches) == len(ours)
    for a, b in zip(ours_batches, theirs_batches, strict=True):
        assert isinstance(a, tuple) and len(a) == 2
        for ta, tb in zip(a, b, strict=True):
            assert isinstance(ta, Tensor)
            assert ta.data.dtype == tb.numpy().dtype
            np.testing.assert_array_equal(ta.data, tb.numpy())


def test_loader_last_partial_batch_and_drop_last() -> None:
    X, y = _dataset(10)
    keep = DataLoader(TensorDataset(X, y), batch_size=4)
    assert len(keep) == 3
    assert [len(yb.data) for _, yb in keep] == [4, 4, 2]
    drop = DataLoader(TensorDataset(X, y), batch_size=4, drop_last=True)
    assert len(drop) == 2
    assert [len(yb.data) for _, yb in drop] == [4, 4]
    assert len(DataLoader(TensorDataset(X, y), batch_size=20, drop_last=True)) == 0
    assert list(DataLoader(TensorDataset(X, y), batch_size=20, drop_last=True)) == []


def test_loader_batches_are_copies() -> None:
    X, y = _dataset(6)
    for xb, _ in DataLoader(TensorDataset(X, y), batch_size=2):
        xb.data[:] = -1
    for xb, _ in DataLoader(TensorDataset(X, y), batch_size=2, shuffle=True, seed=0):
        xb.data[:] = -1
    np.testing.assert_array_equal(X, _dataset(6)[0])


def _epoch_order(loader: DataLoader) -> np.ndarray:
    return np.concatenate([yb.data for _, yb in loader])


def test_shuffle_covers_every_example_once_and_reshuffles() -> None:
    X, y = _dataset(50)
    loader = DataLoader(TensorDataset(X, y), batch_size=8, shuffle=True, seed=1)
    orders = [_epoch_order(loader) for _ in range(3)]
    for order in orders:
        np.testing.assert_array_equal(np.sort(order), np.arange(50))
    assert not np.array_equal(orders[0], orders[1])
    assert not np.array_equal(orders[1], orders[2])
    assert not np.array_equal(orders[0], np.arange(50))
    assert loader.epoch == 3
    # Rows stay together: x row i goes with label i.
    for xb, yb in loader:
        np.testing.assert_array_equal(xb.data, X[yb.data])


def test_shuffle_seed_is_reproducible_per_epoch() -> None:
    X, y = _dataset(40)
    a = DataLoader(TensorDataset(X, y), batch_size=8, shuffle=True, seed=7)
    b = DataLoader(TensorDataset(X, y), batch_size=8, shuffle=True, seed=7)
    np.random.default_rng(0).random(100)  # unrelated draws must not matter
    manual_seed(123)
    first = [_epoch_order(a) for _ in range(3)]
    manual_seed(456)
    second = [_epoch_order(b) for _ in range(3)]
    for x, z in zip(first, second, strict=True):
        np.testing.assert_array_equal(x, z)
    other = DataLoader(TensorDataset(X, y), batch_size=8, shuffle=True, seed=8)
    assert not np.array_equal(_epoch_order(other), first[0])


def test_shuffle_without_seed_follows_manual_seed() -> None:
    X, y = _dataset(40)
    manual_seed(3)
    a = [_epoch_order(DataLoader(TensorDataset(X, y), 8, shuffle=True)) for _ in range(2)]
    manual_seed(3)
    b = [_epoch_order(DataLoader(TensorDataset(X, y), 8, shuffle=True)) for _ in range(2)]
    for x, z in zip(a, b, strict=True):
        np.testing.assert_array_equal(x, z)
    assert not np.array_equal(a[0], a[1])


class _Squares(Dataset):
    """A data set that is not a TensorDataset, to exercise the example-by-example path."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int):
        return np.array([float(i), 1.0]), i * i


class _Dicts(Dataset):
    def __len__(self) -> int:
        return 5

    def __getitem__(self, i: int):
        return {"x": Tensor(np.full(2, float(i))), "name": f"item{i}"}


def test_loader_on_generic_dataset() -> None:
    loader = DataLoader(_Squares(7), batch_size=3)
    batches = list(loader)
    assert len(batches) == len(loader) == 3
    xb, yb = batches[0]
    np.testing.assert_array_equal(xb.data, [[0.0, 1.0], [1.0, 1.0], [2.0, 1.0]])
    assert yb.data.dtype == np.int64
    np.testing.assert_array_equal(batches[-1][1].data, [36])
    # Same batches as torch's default_collate (torch gives a list; we give a tuple).
    for ours, theirs in zip(loader, torch.utils.data.DataLoader(_Squares(7), 3), strict=True):
        for a, b in zip(ours, theirs, strict=True):
            np.testing.assert_array_equal(a.data, b.numpy())
            assert a.data.dtype == b.numpy().dtype
    shuffled = DataLoader(_Squares(20), batch_size=6, shuffle=True, seed=0)
    labels = np.concatenate([yb.data for _, yb in shuffled])
    np.testing.assert_array_equal(np.sort(labels), np.arange(20) ** 2)


def test_loader_collates_dicts_and_strings() -> None:
    batch = next(iter(DataLoader(_Dicts(), batch_size=2)))
    np.testing.assert_array_equal(batch["x"].data, [[0.0, 0.0], [1.0, 1.0]])
    assert batch["name"] == ["item0", "item1"]


def test_loader_refuses_ragged_examples() -> None:
    class Ragged(Dataset):
        def __len__(self) -> int:
            return 2

        def __getitem__(self, i: int):
            return np.zeros(i + 1)

    assert_bad_input(ValueError, "DataLoader", list, DataLoader(Ragged(), batch_size=2))


def test_loader_bad_arguments() -> None:
    ds = TensorDataset(*_dataset())
    assert_bad_input(ValueError, "DataLoader", DataLoader, ds, batch_size=0)
    assert_bad_input(TypeError, "DataLoader", DataLoader, ds, batch_size=2.5)
    assert_bad_input(TypeError, "DataLoader", DataLoader, ds, batch_size=True)
    assert_bad_input(TypeError, "DataLoader", DataLoader, ds, shuffle="yes")
    assert_bad_input(ValueError, "DataLoader", DataLoader, ds, seed=-1)
    assert_bad_input(TypeError, "DataLoader", DataLoader, 42)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(0, 70),
    batch_size=st.integers(1, 80),
    shuffle=st.booleans(),
    drop_last=st.booleans(),
    seed=st.integers(0, 2**32),
)
def test_batches_concatenate_to_a_permutation(
    n: int, batch_size: int, shuffle: bool, drop_last: bool, seed: int
) -> None:
    X, y = _dataset(n, 2)
    loader = DataLoader(TensorDataset(X, y), batch_size, shuffle, drop_last, seed=seed)
    batches = list(loader)
    assert len(batches) == len(loader)
    sizes = [len(yb.data) for _, yb in batches]
    assert all(s == batch_size for s in sizes[:-1])
    if drop_last:
        assert sum(sizes) == n - n % batch_size
        assert all(s == batch_size for s in sizes)
    else:
        assert sum(sizes) == n
    if batches:
        labels = np.concatenate([yb.data for _, yb in batches])
        assert len(np.unique(labels)) == len(labels)  # no example twice
        if not drop_last:
            np.testing.assert_array_equal(np.sort(labels), np.arange(n))
        if not shuffle:
            np.testing.assert_array_equal(labels, np.arange(len(labels)))
        xs = np.concatenate([xb.data for xb, _ in batches])
        np.testing.assert_array_equal(xs, X[labels])


# ------------------------------------------------------ Subset, random_split, train_test_split
def test_subset_indexing_and_fast_loader_path() -> None:
    X, y = _dataset(20)
    ds = TensorDataset(X, y)
    sub = Subset(ds, [5, 2, -1, 7])
    assert len(sub) == 4
    np.testing.assert_array_equal(sub[2][1].data, 19)
    np.testing.assert_array_equal(sub[1:3][1].data, [2, 19])
    nested = Subset(sub, [3, 0])
    np.testing.assert_array_equal(nested[0][0].data, X[7])
    for source in (sub, nested):
        fast = list(DataLoader(source, batch_size=3))
        starts = range(0, len(source), 3)
        slow = [_collate_by_hand(source, range(a, min(a + 3, len(source)))) for a in starts]
        for batch, expected in zip(fast, slow, strict=True):
            for t, e in zip(batch, expected, strict=True):
                np.testing.assert_array_equal(t.data, e)
    labels = np.concatenate([yb.data for _, yb in DataLoader(sub, 3, shuffle=True, seed=0)])
    np.testing.assert_array_equal(np.sort(labels), [2, 5, 7, 19])


def _collate_by_hand(dataset, indices) -> list[np.ndarray]:
    items = [dataset[i] for i in indices]
    return [np.stack([item[k].data for item in items]) for k in range(len(items[0]))]


def test_subset_errors() -> None:
    ds = TensorDataset(*_dataset(5))
    assert_bad_input(IndexError, "Subset", Subset, ds, [0, 5])
    assert_bad_input(TypeError, "Subset", Subset, ds, [0.5])
    assert_bad_input(TypeError, "Subset", Subset, ds, [[0, 1]])


@pytest.mark.parametrize("lengths", [[7, 3], [0.8, 0.2], [0.34, 0.33, 0.33], [10], [0, 10]])
def test_random_split_sizes_match_torch_and_cover(lengths) -> None:
    X, y = _dataset(10)
    parts = random_split(TensorDataset(X, y), lengths, seed=0)
    theirs = torch.utils.data.random_split(
        torch.utils.data.TensorDataset(torch.from_numpy(y)), lengths
    )
    assert [len(p) for p in parts] == [len(p) for p in theirs]
    labels = np.concatenate([p.indices for p in parts])
    np.testing.assert_array_equal(np.sort(labels), np.arange(10))
    again = random_split(TensorDataset(X, y), lengths, seed=0)
    for a, b in zip(parts, again, strict=True):
        np.testing.assert_array_equal(a.indices, b.indices)


def test_random_split_errors() -> None:
    ds = TensorDataset(*_dataset(10))
    assert_bad_input(ValueError, "random_split", random_split, ds, [5, 4])
    assert_bad_input(ValueError, "random_split", random_split, ds, [0.5, 0.4])
    assert_bad_input(ValueError, "random_split", random_split, ds, [12, -2])
    assert_bad_input(TypeError, "random_split", random_split, ds, [])
    assert_bad_input(TypeError, "random_split", random_split, ds, ["a"])


def test_train_test_split_pairs_rows_and_stratifies() -> None:
    X, y = _dataset(40)
    labels = y % 4
    X_train, X_test, l_train, l_test = train_test_split(
        Tensor(X), labels, test_size=0.25, seed=1, stratify=labels
    )
    assert isinstance(X_train, Tensor) and isinstance(l_train, np.ndarray)
    assert len(X_test.data) == 10 and len(X_train.data) == 30
    np.testing.assert_array_equal(np.bincount(l_test), [3, 3, 2, 2])  # 10 = 2.5 each
    rows = np.concatenate([X_train.data[:, 0], X_test.data[:, 0]]) // 3
    np.testing.assert_array_equal(np.sort(rows), np.arange(40))
    np.testing.assert_array_equal(X_train.data[:, 0] // 3 % 4, l_train)
    plain = train_test_split(X, test_size=0.3, seed=2)
    assert [len(p) for p in plain] == [28, 12]
    again = train_test_split(X, test_size=0.3, seed=2)
    np.testing.assert_array_equal(plain[1], again[1])


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 300),
    test_size=st.floats(0.01, 0.99),
    n_classes=st.integers(1, 6),
    stratified=st.booleans(),
)
def test_train_test_split_sizes_match_sklearn(
    n: int, test_size: float, n_classes: int, stratified: bool
) -> None:
    from sklearn.model_selection import train_test_split as sk_split

    X = np.arange(n)
    labels = X % n_classes
    expected_test = int(np.ceil(test_size * n - 1e-9))
    if not 0 < expected_test < n:
        assert_bad_input(ValueError, "train_test_split", train_test_split, X, test_size=test_size)
        return
    train, test, l_train, l_test = train_test_split(
        X, labels, test_size=test_size, seed=0, stratify=labels if stratified else None
    )
    assert len(test) == expected_test and len(train) == n - expected_test
    np.testing.assert_array_equal(np.sort(np.concatenate([train, test])), X)
    np.testing.assert_array_equal(train % n_classes, l_train)
    if abs(test_size * n - round(test_size * n)) > 1e-6:  # sklearn's float ceil agrees here
        assert len(sk_split(X, test_size=test_size)[1]) == expected_test
    if stratified:
        counts = np.bincount(labels, minlength=n_classes)
        got = np.bincount(l_test, minlength=n_classes)
        assert (np.abs(got - test_size * counts) < 1 + 1e-9).all()


def test_train_test_split_errors() -> None:
    X, y = _dataset(10)
    assert_bad_input(ValueError, "train_test_split", train_test_split, X, y[:5])
    assert_bad_input(ValueError, "train_test_split", train_test_split, X, test_size=1.0)
    assert_bad_input(ValueError, "train_test_split", train_test_split, X, stratify=y[:3])
    assert_bad_input(ValueError, "train_test_split", train_test_split)
    assert_bad_input(TypeError, "train_test_split", train_test_split, [1, 2])


# ------------------------------------------------------------------------ toy 2-D sets
@pytest.mark.parametrize("make", TOY_SETS)
@pytest.mark.parametrize("n", [2, 7, 200])
def test_toy_shapes_dtypes_balance(make, n: int) -> None:
    X, y = make(n, seed=0)
    assert isinstance(X, Tensor) and isinstance(y, Tensor)
    assert X.data.shape == (n, 2) and X.data.dtype == np.float32
    assert y.data.shape == (n,) and y.data.dtype == np.int64
    assert set(np.unique(y.data)) <= {0, 1}
    assert int((y.data == 0).sum()) == n - n // 2
    assert int((y.data == 1).sum()) == n // 2
    assert np.isfinite(X.data).all()
    assert not X.requires_grad


@pytest.mark.parametrize("make", TOY_SETS)
def test_toy_scale_roughly_unit(make) -> None:
    X, _ = make(2000, noise=0.0, seed=0) if make is not make_gaussians else make(2000, seed=0)
    limit = 1.0 + 1e-6 if make is not make_gaussians else 2.0
    assert np.abs(X.data).max() <= limit
    assert np.abs(X.data).max() > 0.5


@pytest.mark.parametrize("make", TOY_SETS)
def test_toy_determinism(make) -> None:
    a, b = make(100, seed=5), make(100, seed=5)
    np.testing.assert_array_equal(a[0].data, b[0].data)
    np.testing.assert_array_equal(a[1].data, b[1].data)
    c = make(100, seed=6)
    assert not np.array_equal(a[0].data, c[0].data)
    # Without a seed: nnlib's generator, reset by manual_seed.
    manual_seed(11)
    d = make(100)
    manual_seed(11)
    e = make(100)
    np.testing.assert_array_equal(d[0].data, e[0].data)
    # A Generator is used as given.
    f = make(100, seed=np.random.default_rng(5))
    np.testing.assert_array_equal(f[0].data, a[0].data)


@pytest.mark.parametrize("make", TOY_SETS)
def test_toy_rows_are_shuffled(make) -> None:
    _, y = make(200, seed=0)
    assert 0 < int(y.data[:100].sum()) < 100


def test_toy_geometry() -> None:
    X, y = make_circles(1000, noise=0.0, seed=0)
    r = np.linalg.norm(X.data, axis=1)
    assert (r[y.data == 1] <= 0.5 + 1e-6).all()
    assert ((r[y.data == 0] >= 0.7 - 1e-6) & (r[y.data == 0] <= 1.0 + 1e-6)).all()
    X, y = make_xor(1000, noise=0.0, seed=0)
    np.testing.assert_array_equal(X.data[:, 0] * X.data[:, 1] < 0, y.data == 1)
    assert np.abs(X.data).min() >= 0.05 - 1e-6
    X, y = make_gaussians(4000, noise=0.2, seed=0)
    np.testing.assert_allclose(X.data[y.data == 0].mean(axis=0), [-0.5, -0.5], atol=0.02)
    np.testing.assert_allclose(X.data[y.data == 1].std(axis=0), [0.2, 0.2], atol=0.02)
    X, y = make_moons(1000, noise=0.0, seed=0)
    assert X.data[:, 0].min() >= -1 - 1e-6 and X.data[:, 0].max() <= 1 + 1e-6
    assert X.data[:, 1].min() >= -0.5 - 1e-6 and X.data[:, 1].max() <= 0.5 + 1e-6
    X, y = make_spirals(1000, noise=0.0, seed=0)
    # A point at radius t lies at angle 3.5πt on arm 0, and half a turn further on arm 1.
    points = X.data.astype(np.float64)
    t = np.linalg.norm(points, axis=1)
    arm = t[:, None] * np.stack([np.sin(3.5 * np.pi * t), np.cos(3.5 * np.pi * t)], axis=1)
    sign = np.where(y.data == 0, 1.0, -1.0)[:, None]
    np.testing.assert_allclose(points, sign * arm, atol=1e-5)
    assert (t <= 1 + 1e-6).all()


def test_moons_match_sklearn_after_rescaling() -> None:
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    Xs, ys = sklearn_datasets.make_moons(500, noise=0.0, random_state=0)
    rescaled = (Xs - [0.5, 0.25]) * (2 / 3)
    X, y = make_moons(500, noise=0.0, seed=0)
    for label in (0, 1):
        # Every one of our points lies on sklearn's (rescaled) arc of the same class.
        ours = X.data[y.data == label].astype(np.float64)
        theirs = rescaled[ys == label]
        distance = np.linalg.norm(ours[:, None, :] - theirs[None, :, :], axis=2).min(axis=1)
        assert distance.max() < 0.02


def test_noise_changes_points_but_not_labels() -> None:
    X0, y0 = make_circles(300, noise=0.0, seed=2)
    X1, y1 = make_circles(300, noise=0.1, seed=2)
    np.testing.assert_array_equal(y0.data, y1.data)
    spread = (X1.data - X0.data).std()
    assert 0.09 < spread < 0.11
    X2, _ = make_circles(300, noise=0.2, seed=2)
    np.testing.assert_allclose(X2.data - X0.data, 2 * (X1.data - X0.data), atol=1e-5)


@pytest.mark.parametrize("make", TOY_SETS)
def test_toyassert_bad_input(make) -> None:
    name = make.__name__
    assert_bad_input(ValueError, name, make, 1)
    assert_bad_input(TypeError, name, make, 10.5)
    assert_bad_input(ValueError, name, make, 10, noise=-0.1)
    assert_bad_input(ValueError, name, make, 10, noise=float("nan"))
    assert_bad_input(TypeError, name, make, 10, noise="big")
    assert_bad_input(ValueError, name, make, 10, seed=-3)
    assert_bad_input(TypeError, name, make, 10, seed="zero")


# ------------------------------------------------------------------ 1-D regression sets
@pytest.mark.parametrize("fn", sorted(CURVES))
def test_regression_shapes_and_curve(fn: str) -> None:
    x, y = make_regression_1d(300, noise=0.0, seed=0, fn=fn)
    assert x.data.shape == y.data.shape == (300, 1)
    assert x.data.dtype == y.data.dtype == np.float32
    assert -1 <= x.data.min() and x.data.max() <= 1
    np.testing.assert_allclose(y.data, CURVES[fn](x.data.astype(np.float64)), atol=1e-6)


def test_regression_noise_and_callable() -> None:
    x, y = make_regression_1d(5000, noise=0.1, seed=0)
    residual = y.data - np.sin(np.pi * x.data)
    assert abs(residual.std() - 0.1) < 0.005
    x, y = make_regression_1d(50, noise=0.0, seed=0, fn=lambda t: np.tanh(3 * t))
    np.testing.assert_allclose(y.data, np.tanh(3 * x.data), atol=1e-6)


def test_regression_determinism() -> None:
    a, b = make_regression_1d(seed=1), make_regression_1d(seed=1)
    np.testing.assert_array_equal(a[1].data, b[1].data)
    assert not np.array_equal(a[1].data, make_regression_1d(seed=2)[1].data)
    assert len(make_regression_1d()[0].data) == 100


def test_heteroscedastic_noise_grows_with_x() -> None:
    x, y = make_heteroscedastic(20000, noise=0.1, seed=0, fn="linear")
    xs = x.data[:, 0].astype(np.float64)
    residual = y.data[:, 0] - (0.8 * xs + 0.2)
    for lo, hi in [(-1.0, -0.8), (-0.1, 0.1), (0.8, 1.0)]:
        band = (xs > lo) & (xs < hi)
        expected = heteroscedastic_std((lo + hi) / 2, 0.1)
        assert abs(residual[band].std() / expected - 1) < 0.1
    flag = make_regression_1d(100, 0.1, seed=3, heteroscedastic=True)
    wrapper = make_heteroscedastic(100, 0.1, seed=3)
    np.testing.assert_array_equal(flag[1].data, wrapper[1].data)
    np.testing.assert_allclose(heteroscedastic_std(Tensor(np.array([-1.0, 1.0]))), [0.02, 0.18])


def test_regressionassert_bad_input() -> None:
    message = assert_bad_input(ValueError, "make_regression_1d", make_regression_1d, fn="sin")
    assert "'sine'" in message
    assert_bad_input(ValueError, "make_regression_1d", make_regression_1d, fn=lambda t: t.sum())
    assert_bad_input(ValueError, "make_regression_1d", make_regression_1d, 0)
    assert_bad_input(ValueError, "make_heteroscedastic", make_heteroscedastic, noise=-1.0)


# ------------------------------------------------------------------------ standardize
def test_standardizer_uses_train_statistics_only() -> None:
    rng = np.random.default_rng(0)
    train = rng.normal(3.0, 2.0, size=(200, 4))
    test = rng.normal(-5.0, 0.5, size=(50, 4))
    s = Standardizer().fit(Tensor(train))
    np.testing.assert_allclose(s.mean, train.mean(axis=0))
    np.testing.assert_allclose(s.std, train.std(axis=0))
    train_std = s.transform(Tensor(train))
    test_std = s.transform(Tensor(test))
    np.testing.assert_allclose(train_std.data.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(train_std.data.std(axis=0), 1, atol=1e-12)
    np.testing.assert_allclose(test_std.data, (test - train.mean(0)) / train.std(0))
    # The test set is not standardised with its own statistics.
    assert np.abs(test_std.data.mean(axis=0)).min() > 1
    a, b = standardize(Tensor(train), Tensor(test))
    np.testing.assert_array_equal(a.data, train_std.data)
    np.testing.assert_array_equal(b.data, test_std.data)
    np.testing.assert_allclose(s.inverse_transform(test_std).data, test)


def test_standardizer_matches_sklearn_and_handles_constant_features() -> None:
    preprocessing = pytest.importorskip("sklearn.preprocessing")
    rng = np.random.default_rng(1)
    train = rng.normal(size=(30, 3))
    train[:, 1] = 7.0  # a constant feature
    test = rng.normal(size=(10, 3))
    ours = Standardizer().fit(train)
    theirs = preprocessing.StandardScaler().fit(train)
    np.testing.assert_allclose(ours.transform(train), theirs.transform(train), atol=1e-12)
    np.testing.assert_allclose(ours.transform(test), theirs.transform(test), atol=1e-12)
    out = ours.transform(train)
    assert np.isfinite(out).all()
    np.testing.assert_array_equal(out[:, 1], 0.0)
    assert ours.std[1] == 0 and ours.scale[1] == 1


def test_standardizer_types_and_dtypes() -> None:
    X32 = np.arange(12, dtype=np.float32).reshape(6, 2)
    out = Standardizer().fit_transform(X32)
    assert isinstance(out, np.ndarray) and out.dtype == np.float32
    out = Standardizer().fit_transform(Tensor(X32))
    assert isinstance(out, Tensor) and out.data.dtype == np.float32
    out = Standardizer().fit_transform(np.arange(12).reshape(6, 2))
    assert out.dtype == np.float32
    # Images keep their shape: statistics per pixel.
    images = np.random.default_rng(0).random((5, 8, 8))
    assert Standardizer().fit_transform(images).shape == (5, 8, 8)
    assert "not fitted" in repr(Standardizer())


def test_standardizer_errors() -> None:
    s = Standardizer().fit(np.zeros((4, 3)))
    message = assert_bad_input(ValueError, "Standardizer.transform", s.transform, np.zeros((2, 5)))
    assert "(M, 3)" in message and "(2, 5)" in message
    assert_bad_input(ValueError, "Standardizer.fit", Standardizer().fit, np.zeros(4))
    assert_bad_input(ValueError, "Standardizer.fit", Standardizer().fit, np.zeros((0, 3)))
    assert_bad_input(TypeError, "Standardizer.fit", Standardizer().fit, [[1.0, 2.0]])
    assert_bad_input(
        RuntimeError, "Standardizer.transform", Standardizer().transform, np.zeros((2, 3))
    )
    assert_bad_input(ValueError, "Standardizer.fit", standardize, np.zeros(3), np.zeros(3))


# ---------------------------------------------------------------------------- digits
def test_digits_shapes_dtypes_and_range() -> None:
    pytest.importorskip("sklearn")
    split = load_digits()
    X_train, X_test, y_train, y_test = split
    assert split.X_train is X_train
    assert X_train.data.shape[1] == X_test.data.shape[1] == 64
    assert len(X_train.data) + len(X_test.data) == 1797
    assert len(X_train.data) == len(y_train.data) and len(X_test.data) == len(y_test.data)
    assert X_train.data.dtype == np.float32 and y_train.data.dtype == np.int64
    assert 0.0 <= X_train.data.min() and X_train.data.max() <= 1.0
    assert set(np.unique(y_train.data)) == set(range(10)) == set(np.unique(y_test.data))
    assert abs(len(X_test.data) / 1797 - 0.25) < 0.01


def test_digits_split_is_stratified_disjoint_and_seeded() -> None:
    datasets = pytest.importorskip("sklearn.datasets")
    bunch = datasets.load_digits()
    a = load_digits(test_size=0.2, seed=3)
    counts = np.bincount(bunch.target, minlength=10)
    got = np.bincount(a.y_test.data, minlength=10)
    assert got.sum() == 360  # ceil(0.2 * 1797), as sklearn's train_test_split
    assert (np.abs(got - 0.2 * counts) < 1).all()
    # Rows are the sklearn images (scaled), each used once: train and test do not overlap.
    all_rows = np.concatenate([a.X_train.data, a.X_test.data])
    all_labels = np.concatenate([a.y_train.data, a.y_test.data])
    reference = (bunch.data / 16).astype(np.float32)
    key = {row.tobytes(): label for row, label in zip(reference, bunch.target, strict=True)}
    assert all(
        key[row.tobytes()] == label for row, label in zip(all_rows, all_labels, strict=True)
    )
    assert sorted(map(bytes, all_rows)) == sorted(map(bytes, reference))
    b = load_digits(test_size=0.2, seed=3)
    np.testing.assert_array_equal(a.X_train.data, b.X_train.data)
    np.testing.assert_array_equal(a.y_test.data, b.y_test.data)
    c = load_digits(test_size=0.2, seed=4)
    assert not np.array_equal(a.y_test.data, c.y_test.data)
    assert 0 < int((a.y_train.data[:100] == 0).sum()) < 30  # shuffled, not class by class


def test_digits_standardize_uses_train_statistics() -> None:
    pytest.importorskip("sklearn")
    raw = load_digits(seed=0)
    std = load_digits(seed=0, standardize=True)
    expected_train, expected_test = standardize(raw.X_train, raw.X_test)
    np.testing.assert_allclose(std.X_train.data, expected_train.data)
    np.testing.assert_allclose(std.X_test.data, expected_test.data)
    assert std.X_train.data.dtype == np.float32
    assert np.isfinite(std.X_train.data).all() and np.isfinite(std.X_test.data).all()
    constant = raw.X_train.data.std(axis=0) == 0
    assert constant.any()  # the blank corner pixels
    np.testing.assert_array_equal(std.X_train.data[:, constant], 0.0)


def test_digitsassert_bad_input() -> None:
    for bad in (0.0, 1.0, -0.2, 1.5, "half", True):
        assert_bad_input(ValueError, "load_digits", load_digits, test_size=bad)


def test_digits_without_sklearn(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name.startswith("sklearn"):
            raise ImportError("No module named 'sklearn'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(ImportError, match="pip install scikit-learn"):
        load_digits()
