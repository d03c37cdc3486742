"""Tests of instance normalisation (F.instance_norm, nnlib.nn.modules.instancenorm) and of
GroupNorm and LayerNorm on (N, C, H, W) images: PyTorch parity (values, gradients, running
statistics), finite differences, the axes each layer averages over, and bad input."""

from __future__ import annotations

import warnings

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

rng = np.random.default_rng(5)
TF = torch.nn.functional


@pytest.mark.parametrize("shape", [(3, 4, 7), (2, 4, 3, 5)])
@pytest.mark.parametrize("affine", [True, False])
@pytest.mark.parametrize("stats", [None, "update", "use"])
def test_functional_instance_norm_matches_torch(shape, affine, stats):
    x = rng.standard_normal(shape) * 2 - 1
    w, b = rng.standard_normal(4), rng.standard_normal(4)
    running = (rng.standard_normal(4), rng.uniform(0.5, 2, 4))
    ours_stats = [nnlib.tensor(r.copy()) for r in running] if stats else [None, None]
    theirs_stats = [torch.tensor(r.copy()) for r in running] if stats else [None, None]
    use_input_stats = stats != "use"

    def ours(x, w=None, b=None):
        return F.instance_norm(x, *ours_stats, w, b, use_input_stats, momentum=0.2)

    def theirs(x, w=None, b=None):
        return TF.instance_norm(x, *theirs_stats, w, b, use_input_stats, momentum=0.2)

    check_parity(ours, theirs, *((x, w, b) if affine else (x,)))
    if stats:
        for a, t in zip(ours_stats, theirs_stats, strict=True):
            np.testing.assert_allclose(a.data, t.numpy(), rtol=1e-12, atol=1e-14)


CONFIGS = [
    {},
    {"affine": True},
    {"affine": True, "bias": False},
    {"track_running_stats": True},
    {"track_running_stats": True, "momentum": 0.5, "affine": True},
    {"track_running_stats": True, "momentum": None},
    {"eps": 1e-2},
]


@pytest.mark.parametrize("kwargs", CONFIGS, ids=str)
@pytest.mark.parametrize(
    ("ours_cls", "theirs_cls", "shape"),
    [
        (nn.InstanceNorm1d, torch.nn.InstanceNorm1d, (3, 4, 6)),
        (nn.InstanceNorm2d, torch.nn.InstanceNorm2d, (3, 4, 5, 3)),
    ],
    ids=["1d", "2d"],
)
def test_instance_norm_modules_match_torch_in_both_modes(kwargs, ours_cls, theirs_cls, shape):
    ours = ours_cls(4, **kwargs).double()
    randomize_affine(ours, rng)
    theirs = theirs_cls(4, **kwargs).double()
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    batches = [rng.standard_normal(shape) * (k + 1) + k for k in range(4)]
    batches.append(rng.standard_normal(shape[1:]))  # one example without a batch dimension
    compare_norm_layer(ours, theirs, batches)
    if ours.track_running_stats:
        assert int(ours.num_batches_tracked.item()) == 0  # PyTorch never counts here
    ours.eval()
    theirs.eval()
    compare_norm_layer(ours, theirs, [rng.standard_normal(shape), rng.standard_normal(shape[1:])])


def test_instance_norm_is_group_norm_with_one_group_per_channel():
    x = nnlib.tensor(rng.standard_normal((2, 6, 4, 4)))
    w, b = nnlib.tensor(rng.standard_normal(6)), nnlib.tensor(rng.standard_normal(6))
    np.testing.assert_allclose(
        F.instance_norm(x, weight=w, bias=b).data, F.group_norm(x, 6, w, b).data, rtol=1e-14
    )


def test_gradcheck_instance_norm():
    x = nnlib.tensor(rng.standard_normal((2, 3, 2, 3)), requires_grad=True)
    w = nnlib.tensor(rng.standard_normal(3), requires_grad=True)
    b = nnlib.tensor(rng.standard_normal(3), requires_grad=True)
    assert gradcheck(lambda x, w, b: F.instance_norm(x, weight=w, bias=b), (x, w, b))
    mean, var = nnlib.tensor(rng.standard_normal(3)), nnlib.tensor(np.full(3, 2.0))
    assert gradcheck(
        lambda x, w, b: F.instance_norm(x, mean, var, w, b, use_input_stats=False), (x, w, b)
    )


# --- GroupNorm and LayerNorm on (N, C, H, W) ---------------------------------------------


@pytest.mark.parametrize("groups", [1, 2, 3, 6])
@pytest.mark.parametrize("affine", [True, False])
def test_group_norm_on_images_matches_torch(groups, affine):
    ours = nn.GroupNorm(groups, 6, affine=affine).double()
    randomize_affine(ours, rng)
    theirs = torch.nn.GroupNorm(groups, 6, affine=affine).double()
    compare_norm_layer(ours, theirs, [rng.standard_normal((3, 6, 4, 5)) * 3 + 2])
    check_parity(
        lambda x, w, b: F.group_norm(x, groups, w, b),
        lambda x, w, b: TF.group_norm(x, groups, w, b),
        rng.standard_normal((2, 6, 3, 3)),
        rng.standard_normal(6),
        rng.standard_normal(6),
    )


@pytest.mark.parametrize("normalized", [(4, 5), (3, 4, 5)])
def test_layer_norm_on_images_matches_torch(normalized):
    ours = nn.LayerNorm(normalized).double()
    randomize_affine(ours, rng)
    theirs = torch.nn.LayerNorm(normalized).double()
    compare_norm_layer(ours, theirs, [rng.standard_normal((2, 3, 4, 5)) * 3 + 2])
    check_parity(
        lambda x, w, b: F.layer_norm(x, normalized, w, b),
        lambda x, w, b: TF.layer_norm(x, normalized, w, b),
        rng.standard_normal((2, 3, 4, 5)),
        rng.standard_normal(normalized),
        rng.standard_normal(normalized),
    )


def test_gradcheck_group_and_layer_norm_on_images():
    x = nnlib.tensor(rng.standard_normal((2, 4, 2, 3)), requires_grad=True)
    w = nnlib.tensor(rng.standard_normal(4), requires_grad=True)
    assert gradcheck(lambda x, w: F.group_norm(x, 2, w), (x, w))
    w2 = nnlib.tensor(rng.standard_normal((4, 2, 3)), requires_grad=True)
    assert gradcheck(lambda x, w: F.layer_norm(x, (4, 2, 3), w), (x, w2))


AXES = {  # which axes of (N, C, H, W) each normalisation averages over
    "batch": (0, 2, 3),
    "layer": (1, 2, 3),
    "instance": (2, 3),
}


@settings(max_examples=25, deadline=None)
@given(st.integers(2, 3), st.integers(1, 4), st.integers(2, 4), st.integers(0, 2**16))
def test_each_norm_standardises_exactly_its_own_axes(n, c, hw, seed):
    x = np.random.default_rng(seed).standard_normal((n, c, hw, hw)) * 4 + 3
    t = nnlib.tensor(x)
    outputs = {
        "batch": F.batch_norm(t, None, None, training=True, eps=0.0),
        "layer": F.layer_norm(t, (c, hw, hw), eps=0.0),
        "instance": F.instance_norm(t, eps=0.0),
    }
    for name, out in outputs.items():
        axes = AXES[name]
        np.testing.assert_allclose(out.data.mean(axis=axes), 0, atol=1e-9, err_msg=name)
        np.testing.assert_allclose(out.data.var(axis=axes), 1, rtol=1e-6, err_msg=name)


# --- bad input -------------------------------------------------------------------------


def test_instance_norm_needs_positions_to_average_over():
    assert_bad_input(ValueError, "instance_norm", F.instance_norm, nnlib.randn(4, 3))
    one_position = nnlib.randn(4, 3, 1)
    assert_bad_input(ValueError, "instance_norm", F.instance_norm, one_position)
    with pytest.raises(ValueError, match="more than 1 spatial element"):
        TF.instance_norm(torch.randn(4, 3, 1))


def test_instance_norm_without_running_stats_cannot_use_them():
    assert_bad_input(
        ValueError, "instance_norm", F.instance_norm, nnlib.randn(2, 3, 4), use_input_stats=False
    )


def test_instance_norm_bad_parameter_shapes():
    x = nnlib.randn(2, 3, 4)
    assert_bad_input(ValueError, "instance_norm", F.instance_norm, x, weight=nnlib.ones(4))
    assert_bad_input(ValueError, "instance_norm", F.instance_norm, x, nnlib.zeros(2))


@pytest.mark.parametrize(
    ("ours", "theirs", "shape"),
    [
        (nn.InstanceNorm1d(3), torch.nn.InstanceNorm1d(3), (2, 3, 4, 4)),
        (nn.InstanceNorm1d(3), torch.nn.InstanceNorm1d(3), (3,)),
        (nn.InstanceNorm2d(3, affine=True), torch.nn.InstanceNorm2d(3, affine=True), (2, 3, 4)),
        (nn.InstanceNorm2d(3, affine=True), torch.nn.InstanceNorm2d(3, affine=True), (2, 5, 4, 4)),
    ],
    ids=["1d-4D", "1d-1D", "2d-3D-as-unbatched-mismatch", "2d-channels"],
)
def test_instance_norm_modules_refuse_bad_shapes_like_torch(ours, theirs, shape):
    arr = rng.standard_normal(shape).astype(np.float32)
    with pytest.raises(ValueError) as t_err:
        theirs(torch.tensor(arr))
    with pytest.raises(ValueError) as n_err:
        ours(nnlib.tensor(arr))
    first, hint = str(n_err.value).split("\n")
    assert first == str(t_err.value)
    assert hint.startswith("help: ")


def test_instance_norm_without_affine_only_warns_about_channels_like_torch():
    arr = rng.standard_normal((2, 5, 4)).astype(np.float32)
    with pytest.warns(UserWarning, match="does not match num_features") as ours_warned:
        out = nn.InstanceNorm1d(3)(nnlib.tensor(arr))
    with warnings.catch_warnings(record=True) as theirs_warned:
        warnings.simplefilter("always")
        ref = torch.nn.InstanceNorm1d(3)(torch.tensor(arr))
    assert str(ours_warned[0].message) == str(theirs_warned[0].message)
    np.testing.assert_allclose(out.data, ref.numpy(), rtol=1e-5, atol=1e-6)
