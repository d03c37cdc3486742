"""Tests for batch, layer and group normalisation (nnlib.nn.functional and nnlib.nn):
PyTorch parity for values, input and parameter gradients and running statistics, finite
differences, properties and bad input."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib
from nnlib import nn
from nnlib.autograd import gradcheck
from nnlib.nn import functional as F
from tests.helpers import assert_bad_input

rng = np.random.default_rng(7)


def _pair(arr: np.ndarray, grad: bool = True) -> tuple[nnlib.Tensor, torch.Tensor]:
    arr = np.asarray(arr, dtype=np.float64)
    return (
        nnlib.Tensor(arr.copy(), requires_grad=grad),
        torch.tensor(arr.copy(), requires_grad=grad),
    )


def _compare(out: nnlib.Tensor, ref: torch.Tensor, pairs: list) -> None:
    """Values and the gradients of every pair after the same random upstream gradient."""
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-9, atol=1e-10)
    seed = rng.standard_normal(out.shape)
    out.backward(seed)
    ref.backward(torch.tensor(seed))
    for ours, theirs in pairs:
        np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-7, atol=1e-9)


# ------------------------------------------------------------------------- functional
@pytest.mark.parametrize("shape,normalized", [((4, 5), (5,)), ((2, 3, 4), (3, 4)), ((6,), 6)])
@pytest.mark.parametrize("affine", [False, True])
def test_layer_norm_matches_torch(shape, normalized, affine) -> None:
    x, tx = _pair(rng.standard_normal(shape) * 3 + 1)
    pshape = (normalized,) if isinstance(normalized, int) else normalized
    pairs = [(x, tx)]
    w = b = tw = tb = None
    if affine:
        w, tw = _pair(rng.standard_normal(pshape))
        b, tb = _pair(rng.standard_normal(pshape))
        pairs += [(w, tw), (b, tb)]
    out = F.layer_norm(x, normalized, w, b, eps=1e-5)
    ref = TF.layer_norm(tx, pshape, tw, tb, eps=1e-5)
    _compare(out, ref, pairs)


@pytest.mark.parametrize("shape,groups", [((4, 6, 5), 1), ((4, 6, 5), 2), ((3, 6, 2), 6),
                                          ((5, 6), 3), ((2, 4, 3, 2), 2)])  # fmt: skip
@pytest.mark.parametrize("affine", [False, True])
def test_group_norm_matches_torch(shape, groups, affine) -> None:
    x, tx = _pair(rng.standard_normal(shape) * 2 - 1)
    pairs = [(x, tx)]
    w = b = tw = tb = None
    if affine:
        w, tw = _pair(rng.standard_normal(shape[1]))
        b, tb = _pair(rng.standard_normal(shape[1]))
        pairs += [(w, tw), (b, tb)]
    _compare(F.group_norm(x, groups, w, b), TF.group_norm(tx, groups, tw, tb), pairs)


@pytest.mark.parametrize("shape", [(8, 3), (5, 3, 4)])
@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_matches_torch(shape, training) -> None:
    x, tx = _pair(rng.standard_normal(shape) * 2 + 3)
    w, tw = _pair(rng.standard_normal(3))
    b, tb = _pair(rng.standard_normal(3))
    mean0, var0 = rng.standard_normal(3), rng.uniform(0.5, 2, 3)
    rm, rv = nnlib.Tensor(mean0.copy()), nnlib.Tensor(var0.copy())
    trm, trv = torch.tensor(mean0.copy()), torch.tensor(var0.copy())
    out = F.batch_norm(x, rm, rv, w, b, training=training, momentum=0.3, eps=1e-4)
    ref = TF.batch_norm(tx, trm, trv, tw, tb, training=training, momentum=0.3, eps=1e-4)
    _compare(out, ref, [(x, tx), (w, tw), (b, tb)])
    np.testing.assert_allclose(rm.data, trm.numpy(), rtol=1e-12)
    np.testing.assert_allclose(rv.data, trv.numpy(), rtol=1e-12)


def test_batch_norm_without_running_stats_or_affine() -> None:
    x, tx = _pair(rng.standard_normal((6, 4)))
    out = F.batch_norm(x, None, None, training=True)
    ref = TF.batch_norm(tx, None, None, training=True)
    _compare(out, ref, [(x, tx)])


def test_float32_stays_float32() -> None:
    x = nnlib.randn(4, 6, requires_grad=True)
    for out in (
        F.layer_norm(x, 6, nnlib.ones(6), nnlib.zeros(6)),
        F.group_norm(x, 2, nnlib.ones(6), nnlib.zeros(6)),
        F.batch_norm(x, nnlib.zeros(6), nnlib.ones(6), nnlib.ones(6), nnlib.zeros(6), True),
    ):
        out.sum().backward()
        assert out.dtype == np.float32 and x.grad.dtype == np.float32


# ----------------------------------------------------------------------------- modules
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"momentum": None},
        {"affine": False, "momentum": 0.5},
        {"track_running_stats": False},
    ],
)
@pytest.mark.parametrize("shape", [(8, 3), (4, 3, 5)])
def test_batchnorm1d_over_several_steps_matches_torch(kwargs, shape) -> None:
    ours = nn.BatchNorm1d(3, **kwargs).double()
    theirs = torch.nn.BatchNorm1d(3, **kwargs).double()
    if ours.affine:
        w = rng.standard_normal(3)
        ours.weight.data[...] = w
        theirs.weight.data[...] = torch.tensor(w)
    for step in range(4):
        x, tx = _pair(rng.standard_normal(shape) * (step + 1) + step)
        out, ref = ours(x), theirs(tx)
        pairs = [(x, tx)]
        if ours.affine:
            ours.weight.grad = ours.bias.grad = None
            theirs.weight.grad = theirs.bias.grad = None
            pairs += [(ours.weight, theirs.weight), (ours.bias, theirs.bias)]
        _compare(out, ref, pairs)
        if ours.track_running_stats:
            np.testing.assert_allclose(ours.running_mean.data, theirs.running_mean.numpy())
            np.testing.assert_allclose(ours.running_var.data, theirs.running_var.numpy())
            assert int(ours.num_batches_tracked.item()) == step + 1
    ours.eval()
    theirs.eval()
    x, tx = _pair(rng.standard_normal(shape))
    _compare(ours(x), theirs(tx), [(x, tx)])
    # eval mode works one example at a time
    one, tone = _pair(rng.standard_normal((1, *shape[1:])))
    if ours.track_running_stats or len(shape) == 3:
        _compare(ours(one), theirs(tone), [(one, tone)])
    else:
        # without running statistics eval uses the batch, so one example is refused
        assert_bad_input(ValueError, "BatchNorm1d", ours, one)


def test_batchnorm1d_buffers_state_dict_and_repr() -> None:
    bn = nn.BatchNorm1d(4)
    assert set(bn.state_dict()) == {
        "weight", "bias", "running_mean", "running_var", "num_batches_tracked"
    }  # fmt: skip
    assert [p.shape for p in bn.parameters()] == [(4,), (4,)]
    assert repr(bn) == (
        "BatchNorm1d(4, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)"
    )
    bn(nnlib.randn(5, 4))
    bn.reset_running_stats()
    assert (bn.running_mean.data == 0).all() and int(bn.num_batches_tracked.item()) == 0
    assert nn.BatchNorm1d(4, affine=False).weight is None


@pytest.mark.parametrize("shape,normalized", [((4, 5), 5), ((2, 3, 4), (3, 4))])
def test_layernorm_module_matches_torch(shape, normalized) -> None:
    ours = nn.LayerNorm(normalized).double()
    theirs = torch.nn.LayerNorm(normalized).double()
    w = rng.standard_normal(ours.weight.shape)
    ours.weight.data[...] = w
    theirs.weight.data[...] = torch.tensor(w)
    x, tx = _pair(rng.standard_normal(shape))
    pairs = [(x, tx), (ours.weight, theirs.weight), (ours.bias, theirs.bias)]
    _compare(ours(x), theirs(tx), pairs)
    assert repr(ours) == repr(theirs)


def test_groupnorm_module_matches_torch() -> None:
    ours = nn.GroupNorm(3, 6).double()
    theirs = torch.nn.GroupNorm(3, 6).double()
    b = rng.standard_normal(6)
    ours.bias.data[...] = b
    theirs.bias.data[...] = torch.tensor(b)
    x, tx = _pair(rng.standard_normal((4, 6, 3)))
    pairs = [(x, tx), (ours.weight, theirs.weight), (ours.bias, theirs.bias)]
    _compare(ours(x), theirs(tx), pairs)
    assert repr(ours) == repr(theirs)


# ------------------------------------------------------------------ finite differences
def _t(shape: tuple[int, ...], scale: float = 1.0) -> nnlib.Tensor:
    return nnlib.Tensor(rng.standard_normal(shape) * scale, requires_grad=True)


def test_gradcheck_layer_norm() -> None:
    assert gradcheck(
        lambda x, w, b: F.layer_norm(x, (2, 3), w, b), [_t((2, 2, 3)), _t((2, 3)), _t((2, 3))]
    )


def test_gradcheck_group_norm() -> None:
    assert gradcheck(lambda x, w, b: F.group_norm(x, 2, w, b), [_t((2, 4, 2)), _t((4,)), _t((4,))])


@pytest.mark.parametrize("training", [True, False])
def test_gradcheck_batch_norm(training: bool) -> None:
    def fn(x, w, b):
        rm, rv = nnlib.zeros(3, dtype=nnlib.float64), nnlib.ones(3, dtype=nnlib.float64)
        return F.batch_norm(x, rm, rv, w, b, training=training)

    assert gradcheck(fn, [_t((4, 3, 2)), _t((3,)), _t((3,))])


# -------------------------------------------------------------------------- properties
@settings(max_examples=40, deadline=None)
@given(st.integers(2, 6), st.integers(2, 6), st.floats(-100, 100), st.floats(0.5, 50),
       st.integers(0, 2**31 - 1))  # fmt: skip
def test_normalised_outputs_have_zero_mean_unit_variance(n, c, shift, scale, seed) -> None:
    x = np.random.default_rng(seed).standard_normal((n, c)) * scale + shift
    x[0] += scale  # never constant rows or columns
    x[:, 0] -= scale
    t = nnlib.Tensor(x)
    ln = F.layer_norm(t, c, eps=0.0).data
    np.testing.assert_allclose(ln.mean(axis=1), 0, atol=1e-9)
    np.testing.assert_allclose(ln.var(axis=1), 1, atol=1e-6)
    bn = F.batch_norm(t, None, None, training=True, eps=0.0).data
    np.testing.assert_allclose(bn.mean(axis=0), 0, atol=1e-9)
    np.testing.assert_allclose(bn.var(axis=0), 1, atol=1e-6)
    gn = F.group_norm(t, 1, eps=0.0).data
    np.testing.assert_allclose(gn.mean(axis=1), 0, atol=1e-9)
    np.testing.assert_allclose(gn.var(axis=1), 1, atol=1e-6)


# --------------------------------------------------------------------------- bad input
def test_batchnorm1d_wrong_feature_count() -> None:
    msg = assert_bad_input(ValueError, "BatchNorm1d", nn.BatchNorm1d(4), nnlib.zeros(8, 3))
    assert "(N, 4)" in msg and "(8, 3)" in msg and "BatchNorm1d(3)" in msg
    msg = assert_bad_input(ValueError, "BatchNorm1d", nn.BatchNorm1d(4), nnlib.zeros(8, 5, 4))
    assert "transpose(1, 2)" in msg
    assert_bad_input(ValueError, "BatchNorm1d", nn.BatchNorm1d(4), nnlib.zeros(4))


def test_batchnorm1d_batch_of_one_in_training() -> None:
    bn = nn.BatchNorm1d(4)
    msg = assert_bad_input(ValueError, "BatchNorm1d", bn, nnlib.zeros(1, 4))
    assert "more than 1 value per channel when training" in msg and "eval()" in msg
    assert int(bn.num_batches_tracked.item()) == 0
    bn.eval()
    assert bn(nnlib.zeros(1, 4)).shape == (1, 4)
    assert_bad_input(
        ValueError, "batch_norm", F.batch_norm, nnlib.zeros(1, 4), None, None, training=True
    )


def test_group_and_layer_norm_bad_shapes() -> None:
    msg = assert_bad_input(ValueError, "GroupNorm", nn.GroupNorm, 3, 4)
    assert "[1, 2, 4]" in msg
    assert_bad_input(ValueError, "GroupNorm", nn.GroupNorm(2, 4), nnlib.zeros(2, 6))
    assert_bad_input(ValueError, "group_norm", F.group_norm, nnlib.zeros(2, 6), 4)
    msg = assert_bad_input(ValueError, "LayerNorm", nn.LayerNorm(5), nnlib.zeros(2, 4))
    assert "LayerNorm(4)" in msg
    assert_bad_input(ValueError, "layer_norm", F.layer_norm, nnlib.zeros(2, 4), (5,))
    assert_bad_input(ValueError, "layer_norm", F.layer_norm, nnlib.zeros(2, 4), 4, nnlib.ones(5))
    assert_bad_input(
        ValueError, "batch_norm", F.batch_norm, nnlib.zeros(2, 4), nnlib.zeros(3), nnlib.ones(3)
    )
    assert_bad_input(ValueError, "batch_norm", F.batch_norm, nnlib.zeros(2, 4), None, None)
    assert_bad_input(ValueError, "BatchNorm1d", nn.BatchNorm1d, 0)
