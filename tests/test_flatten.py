"""Tests of nnlib.nn.modules.flatten: ``Unflatten`` against torch (values, gradients, repr),
the round trip with ``Flatten``, and bad input with torch's messages."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib
from nnlib import nn
from tests.helpers import check_parity

rng = np.random.default_rng(2)


@pytest.mark.parametrize(
    ("shape", "dim", "sizes"),
    [
        ((4, 6), 1, (2, 3)),
        ((4, 6), -1, (2, -1)),
        ((4, 6), 0, [2, 2]),
        ((4, 12, 5), 1, (2, 3, 2)),
        ((6,), 0, (-1, 3)),
        ((4, 6), 1, (6,)),
    ],
)
def test_unflatten_matches_torch(shape, dim, sizes):
    ours, theirs = nn.Unflatten(dim, sizes), torch.nn.Unflatten(dim, sizes)
    assert repr(ours) == repr(theirs)
    check_parity(ours, theirs, rng.standard_normal(shape))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=2, max_size=4))
def test_flatten_then_unflatten_is_the_identity(shape):
    x = nnlib.tensor(np.random.default_rng(0).standard_normal(shape))
    net = nn.Sequential(nn.Flatten(), nn.Unflatten(1, tuple(shape[1:])), nn.Identity())
    y = net(x)
    assert y.shape == x.shape
    np.testing.assert_array_equal(y.data, x.data)


@pytest.mark.parametrize(
    ("args", "exc"),
    [((1, 5), TypeError), ((1, [2, "a"]), TypeError), ((1, (2, 2.5)), TypeError)],
    ids=["int", "str", "float"],
)
def test_unflatten_refuses_sizes_that_are_not_ints_like_torch(args, exc):
    with pytest.raises(exc) as t_err:
        torch.nn.Unflatten(*args)
    with pytest.raises(exc) as n_err:
        nn.Unflatten(*args)
    first, hint = str(n_err.value).split("\n")
    assert first == str(t_err.value)
    assert hint.startswith("help: ")


@pytest.mark.parametrize(("dim", "sizes"), [(1, (2, 3)), (1, (2, -1)), (-1, (4, 2))])
def test_unflatten_sizes_that_do_not_multiply_up(dim, sizes):
    x = np.zeros((4, 5))
    with pytest.raises(RuntimeError) as t_err:
        torch.nn.Unflatten(dim, sizes)(torch.tensor(x))
    with pytest.raises(RuntimeError) as n_err:
        nn.Unflatten(dim, sizes)(nnlib.tensor(x))
    first, hint = str(n_err.value).split("\n")
    assert first == str(t_err.value)
    assert "(4, 5)" in hint


def test_unflatten_two_inferred_sizes_and_a_bad_dim():
    with pytest.raises(RuntimeError, match=r"at most one -1(.|\n)*help: "):
        nn.Unflatten(1, (-1, -1))(nnlib.zeros(4, 6))
    with pytest.raises(IndexError, match=r"Dimension out of range(.|\n)*help: "):
        nn.Unflatten(2, (2, 3))(nnlib.zeros(4, 6))
