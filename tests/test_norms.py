"""Tests of nnlib.ops.norms: ``renorm`` (torch.renorm) values and gradients against torch,
finite differences, the max-norm property, the shared vector norm, and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib
from nnlib.autograd import gradcheck
from nnlib.ops.norms import vector_norm_array
from tests.helpers import check_parity

rng = np.random.default_rng(3)


def spread(shape):
    """Values whose slices have norms on both sides of the bounds used below."""
    scales = rng.uniform(0.1, 3.0, size=(shape[0],) + (1,) * (len(shape) - 1))
    return rng.standard_normal(shape) * scales


@pytest.mark.parametrize("p", [1, 2, 3, 0.5, 1.5, math.inf])
@pytest.mark.parametrize(
    ("shape", "dim"), [((5, 4), 0), ((5, 4), 1), ((3, 4, 2), 1), ((3, 4, 2), -1)]
)
@pytest.mark.parametrize("maxnorm", [0.0, 1.0, 2.5])
def test_renorm_matches_torch(p, shape, dim, maxnorm):
    arr = spread(shape)
    check_parity(
        lambda x: nnlib.renorm(x, p, dim, maxnorm),
        lambda x: torch.renorm(x, p, dim, maxnorm),
        arr,
    )
    check_parity(lambda x: x.renorm(p, dim, maxnorm), lambda x: x.renorm(p, dim, maxnorm), arr)


def test_renorm_with_zero_slices_and_ties_matches_torch():
    arr = np.array([[0.0, 0.0, 0.0], [3.0, -3.0, 1.0], [0.0, 5.0, 0.0]])
    for p in (0.5, 1, 2, math.inf):
        check_parity(
            lambda x, p=p: nnlib.renorm(x, p, 0, 1.0),
            lambda x, p=p: torch.renorm(x, p, 0, 1.0),
            arr,
        )


def test_gradcheck_renorm():
    x = nnlib.tensor(spread((4, 3)), requires_grad=True)
    for p in (1, 2, 3):
        assert gradcheck(lambda x, p=p: nnlib.renorm(x, p, 0, 1.0), (x,))


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 5),
    st.integers(1, 5),
    st.floats(0.01, 10),
    st.sampled_from([1, 2, 4]),
    st.integers(0, 2**16),
)
def test_renorm_caps_every_slice_and_keeps_directions(rows, cols, maxnorm, p, seed):
    x = np.random.default_rng(seed).standard_normal((rows, cols)) * 3
    y = nnlib.renorm(nnlib.tensor(x), p, 0, maxnorm).data
    before, after = vector_norm_array(x, p, (1,)), vector_norm_array(y, p, (1,))
    assert np.all(after <= maxnorm * (1 + 1e-9))
    kept = before <= maxnorm
    np.testing.assert_array_equal(y[kept], x[kept])
    np.testing.assert_allclose(after[~kept], maxnorm, rtol=1e-6)
    # Each slice is only rescaled: y_i = x_i * (|y_i| / |x_i|), a positive factor.
    moved = before > 0
    ratio = after[moved] / before[moved]
    np.testing.assert_allclose(y[moved], x[moved] * ratio[:, None], rtol=1e-12)


def test_renorm_keeps_float32():
    y = nnlib.renorm(nnlib.randn(3, 2), 2, 0, 0.1)
    assert y.dtype == np.float32


@pytest.mark.parametrize("p", [2.0, 1.0, 3.0, math.inf, -math.inf, 0.0])
def test_vector_norm_array_matches_torch(p):
    a = rng.standard_normal((3, 4, 2))
    a[0, 0, 0] = 0.0
    for axis in (None, (1,), (0, 2)):
        theirs = torch.linalg.vector_norm(torch.tensor(a), p, dim=axis, keepdim=True)
        ours = vector_norm_array(a, p, axis, keepdims=True)
        np.testing.assert_allclose(ours, theirs.numpy().reshape(ours.shape), rtol=1e-12)


@pytest.mark.parametrize(
    ("args", "exc"),
    [
        ((np.ones(3), 2, 0, 1.0), RuntimeError),
        ((np.ones((2, 3)), 0, 0, 1.0), RuntimeError),
        ((np.ones((2, 3)), -1, 0, 1.0), RuntimeError),
        ((np.ones((2, 3)), 2, 0, -1.0), RuntimeError),
        ((np.ones((2, 3)), 2, 2, 1.0), IndexError),
    ],
    ids=["1-d", "p=0", "p<0", "maxnorm<0", "dim"],
)
def test_renorm_bad_input_has_torchs_message_and_a_hint(args, exc):
    arr, *rest = args
    with pytest.raises(exc) as t_err:
        torch.renorm(torch.tensor(arr), *rest)
    with pytest.raises(exc) as n_err:
        nnlib.renorm(nnlib.tensor(arr), *rest)
    message = str(n_err.value)
    assert "\nhelp: " in message
    torch_first = str(t_err.value).split("\n")[0]
    assert torch_first.split(" (")[0] in message.split("\n")[0]


def test_renorm_refuses_non_numbers():
    with pytest.raises(TypeError, match=r"renorm: expected maxnorm to be a number(.|\n)*help"):
        nnlib.renorm(nnlib.ones(2, 2), 2, 0, "1")
