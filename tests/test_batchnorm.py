"""Tests of nnlib.nn.modules.batchnorm (BatchNorm2d, and BatchNorm1d's new shape hints) and
of F.batch_norm on (N, C, H, W) input: PyTorch parity in both modes over several steps,
finite differences, properties and bad input."""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib
from nnlib import nn
from nnlib.autograd import gradcheck
from nnlib.nn import functional as F
from tests.helpers import assert_bad_input, check_parity, compare_norm_layer, randomize_affine

rng = np.random.default_rng(11)
SHAPE = (4, 3, 5, 6)


@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("affine", [True, False])
def test_functional_batch_norm_on_images_matches_torch(training, affine):
    x = rng.standard_normal(SHAPE) * 3 + 1
    w, b = rng.standard_normal(3), rng.standard_normal(3)
    stats = (rng.standard_normal(3), rng.uniform(0.5, 2, 3))
    ours_stats = [nnlib.tensor(s.copy()) for s in stats]
    theirs_stats = [torch.tensor(s.copy()) for s in stats]
    arrays = (x, w, b) if affine else (x,)

    def ours(x, w=None, b=None):
        return F.batch_norm(x, *ours_stats, w, b, training=training, momentum=0.3)

    def theirs(x, w=None, b=None):
        return torch.nn.functional.batch_norm(
            x, *theirs_stats, w, b, training=training, momentum=0.3
        )

    check_parity(ours, theirs, *arrays)
    for a, t in zip(ours_stats, theirs_stats, strict=True):
        np.testing.assert_allclose(a.data, t.numpy(), rtol=1e-12, atol=1e-14)


CONFIGS = [
    {},
    {"momentum": None},
    {"momentum": 0.5, "affine": False},
    {"track_running_stats": False},
    {"eps": 1e-3},
]


@pytest.mark.parametrize("kwargs", CONFIGS, ids=str)
def test_batchnorm2d_trains_and_evaluates_like_torch(kwargs):
    ours = nn.BatchNorm2d(3, **kwargs).double()
    randomize_affine(ours, rng)
    theirs = torch.nn.BatchNorm2d(3, **kwargs).double()
    batches = [rng.standard_normal(SHAPE) * (k + 1) + k for k in range(5)]
    compare_norm_layer(ours, theirs, batches)
    if ours.track_running_stats:
        assert int(ours.num_batches_tracked.item()) == 5
    ours.eval()
    theirs.eval()
    # Evaluation: the running statistics (batch ones without them); one image at a time.
    batches = [rng.standard_normal(SHAPE), rng.standard_normal((2, 3, 4, 4))]
    if ours.track_running_stats:
        batches.append(rng.standard_normal((1, 3, 2, 2)))
    compare_norm_layer(ours, theirs, batches)


def test_momentum_none_is_the_cumulative_average_of_the_batch_statistics():
    bn = nn.BatchNorm2d(2, momentum=None).double()
    batches = [rng.standard_normal((3, 2, 4, 4)) + k for k in range(6)]
    for x in batches:
        bn(nnlib.tensor(x))
    means = [x.mean(axis=(0, 2, 3)) for x in batches]
    variances = [x.var(axis=(0, 2, 3), ddof=1) for x in batches]
    np.testing.assert_allclose(bn.running_mean.data, np.mean(means, axis=0), rtol=1e-12)
    np.testing.assert_allclose(bn.running_var.data, np.mean(variances, axis=0), rtol=1e-12)


def test_batchnorm2d_state_dict_repr_and_reset():
    bn = nn.BatchNorm2d(4)
    assert list(bn.state_dict()) == list(torch.nn.BatchNorm2d(4).state_dict())
    assert repr(bn) == repr(torch.nn.BatchNorm2d(4))
    bn(nnlib.randn(2, 4, 3, 3))
    bn.weight.data[...] = 5
    bn.reset_parameters()
    assert (bn.running_var.data == 1).all() and (bn.weight.data == 1).all()
    assert int(bn.num_batches_tracked.item()) == 0
    assert nn.BatchNorm2d(4, affine=False).weight is None
    no_bias = nn.BatchNorm2d(4, bias=False)
    assert no_bias.bias is None and repr(no_bias) == repr(torch.nn.BatchNorm2d(4, bias=False))
    assert list(no_bias.state_dict()) == list(torch.nn.BatchNorm2d(4, bias=False).state_dict())
    assert nn.BatchNorm2d(4, track_running_stats=False).running_mean is None


def test_gradcheck_batch_norm_on_images():
    for training in (True, False):
        x = nnlib.tensor(rng.standard_normal((2, 2, 3, 2)), requires_grad=True)
        w = nnlib.tensor(rng.standard_normal(2), requires_grad=True)
        b = nnlib.tensor(rng.standard_normal(2), requires_grad=True)
        mean, var = nnlib.tensor(np.zeros(2)), nnlib.tensor(np.ones(2) * 2)

        def fn(x, w, b, training=training, mean=mean, var=var):
            return F.batch_norm(x, mean, var, w, b, training=training, momentum=0.0)

        assert gradcheck(fn, (x, w, b))


@settings(max_examples=30, deadline=None)
@given(
    st.integers(2, 4),
    st.integers(1, 3),
    st.integers(1, 4),
    st.floats(-50, 50),
    st.floats(0.1, 20),
    st.integers(0, 2**16),
)
def test_each_channel_comes_out_standardised(n, c, hw, shift, scale, seed):
    x = np.random.default_rng(seed).standard_normal((n, c, hw, hw + 1)) * scale + shift
    y = nn.BatchNorm2d(c, eps=0.0).double()(nnlib.tensor(x)).data
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), 0, atol=1e-9)
    np.testing.assert_allclose(y.var(axis=(0, 2, 3)), 1, rtol=1e-6)


@pytest.mark.parametrize(
    ("shape", "hint"),
    [
        ((2, 5, 4, 4), r"build the layer as BatchNorm2d\(5\)"),
        ((2, 4, 4, 3), r"permute\(0, 3, 1, 2\)"),
        ((3, 4, 4), r"unsqueeze\(0\)"),
        ((8, 3), r"BatchNorm1d\(3\)"),
    ],
)
def test_batchnorm2d_wrong_shapes_say_how_to_fix_them(shape, hint):
    bn = nn.BatchNorm2d(3).double()
    message = assert_bad_input(ValueError, "BatchNorm2d", bn, nnlib.tensor(np.ones(shape)))
    assert re.search(hint, message), message
    assert int(bn.num_batches_tracked.item()) == 0  # refused before counting the batch


def test_batchnorm2d_needs_more_than_one_value_per_channel_when_training():
    bn = nn.BatchNorm2d(3).double()
    assert_bad_input(ValueError, "BatchNorm2d", bn, nnlib.tensor(np.ones((1, 3, 1, 1))))
    with pytest.raises(ValueError):  # torch refuses too
        torch.nn.BatchNorm2d(3)(torch.ones(1, 3, 1, 1))
    bn.eval()
    assert bn(nnlib.tensor(np.ones((1, 3, 1, 1)))).shape == (1, 3, 1, 1)


def test_batchnorm1d_points_images_to_batchnorm2d():
    message = assert_bad_input(
        ValueError, "BatchNorm1d", nn.BatchNorm1d(3), nnlib.randn(2, 3, 4, 4)
    )
    assert "BatchNorm2d(3)" in message


def test_batchnorm2d_refuses_another_dtype():
    assert_bad_input(
        TypeError, "BatchNorm2d.forward", nn.BatchNorm2d(3), nnlib.tensor(np.ones((2, 3, 2, 2)))
    )
