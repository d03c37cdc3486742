"""Tests for nnlib.nn.utils: clip_grad_norm_ and clip_grad_value_ against PyTorch."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import nnlib
from nnlib import nn
from nnlib.nn.utils import clip_grad_norm_, clip_grad_value_
from tests.helpers import assert_bad_input, assert_close

SHAPES = [(3, 4), (4,), (2, 2, 2), ()]


def _pair(seed: int = 0, scale: float = 1.0, none_at: int | None = None):
    """The same parameters with the same gradients in nnlib and torch (float64)."""
    rng = np.random.default_rng(seed)
    ours, theirs = [], []
    for i, shape in enumerate(SHAPES):
        p = nn.Parameter(rng.standard_normal(shape))
        t = torch.nn.Parameter(torch.tensor(p.data.copy()))
        if i != none_at:
            g = rng.standard_normal(shape) * scale
            p.grad = nnlib.tensor(g.copy())
            t.grad = torch.tensor(g.copy())
        ours.append(p)
        theirs.append(t)
    return ours, theirs


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, 0.5, math.inf])
@pytest.mark.parametrize("max_norm", [0.1, 1.0, 1e3])
def test_clip_grad_norm_matches_torch(norm_type, max_norm):
    ours, theirs = _pair(scale=2.0, none_at=1)
    total = clip_grad_norm_(ours, max_norm, norm_type=norm_type)
    ttotal = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type=norm_type)
    assert isinstance(total, nnlib.Tensor) and total.shape == ()
    assert total.dtype == np.float64
    assert_close(total, ttotal)
    for p, t in zip(ours, theirs, strict=True):
        if t.grad is None:
            assert p.grad is None
        else:
            assert_close(p.grad, t.grad)


def test_clipped_norm_equals_max_norm_and_direction_is_kept():
    ours, _ = _pair(scale=10.0)
    before = np.concatenate([p.grad.data.ravel() for p in ours])
    total = clip_grad_norm_(ours, max_norm=1.0).item()
    after = np.concatenate([p.grad.data.ravel() for p in ours])
    assert total == pytest.approx(np.linalg.norm(before), rel=1e-14)
    assert np.linalg.norm(after) == pytest.approx(1.0, rel=1e-5)
    np.testing.assert_allclose(after * total, before * (1 - 1e-6 / (total + 1e-6)), rtol=1e-12)


def test_small_gradients_are_left_untouched():
    ours, _ = _pair()
    grads = [p.grad for p in ours]
    copies = [g.data.copy() for g in grads]
    clip_grad_norm_(ours, max_norm=1e6)
    for p, g, c in zip(ours, grads, copies, strict=True):
        assert p.grad is g
        np.testing.assert_array_equal(p.grad, c)


def test_clip_grad_norm_on_a_model_and_a_single_tensor():
    net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
    (net(nnlib.randn(8, 3)) * 100).sum().backward()
    total = clip_grad_norm_(net.parameters(), max_norm=0.5)
    assert total.item() > 0.5
    clipped = math.sqrt(sum(float((p.grad.data.astype(np.float64) ** 2).sum())
                            for p in net.parameters()))  # fmt: skip
    assert clipped == pytest.approx(0.5, rel=1e-5)
    assert all(p.grad.dtype == np.float32 for p in net.parameters())
    w = nn.Parameter([3.0, 4.0])
    w.grad = nnlib.tensor(np.array([3.0, 4.0], dtype=np.float32))
    assert clip_grad_norm_(w, 1.0).item() == pytest.approx(5.0)
    np.testing.assert_allclose(w.grad, [0.6, 0.8], rtol=1e-5)


def test_no_gradients_gives_zero():
    p = nn.Parameter([1.0, 2.0])
    total = clip_grad_norm_([p], 1.0)
    assert total.item() == 0.0 and p.grad is None


def test_read_only_gradient_is_replaced_not_written():
    p = nn.Parameter(np.zeros(3))
    g = np.full(3, 10.0)
    g.flags.writeable = False
    p.grad = nnlib.tensor(g)
    clip_grad_norm_([p], 1.0)
    assert np.all(g == 10.0)
    assert np.linalg.norm(p.grad.data) == pytest.approx(1.0, rel=1e-5)
    p.grad = nnlib.tensor(g)
    clip_grad_value_([p], 1.0)
    assert np.all(g == 10.0) and np.all(p.grad.data == 1.0)


def test_nonfinite_norm():
    ours, theirs = _pair()
    ours[0].grad.data[0, 0] = np.inf
    theirs[0].grad[0, 0] = np.inf
    with pytest.raises(RuntimeError) as info:
        clip_grad_norm_(ours, 1.0, error_if_nonfinite=True)
    assert "help:" in str(info.value) and "clip_grad_norm_" in str(info.value)
    with pytest.raises(RuntimeError):
        torch.nn.utils.clip_grad_norm_(theirs, 1.0, error_if_nonfinite=True)
    # Without the check both scale by max_norm / inf = 0 (and inf * 0 = nan).
    with np.errstate(invalid="ignore"):
        total = clip_grad_norm_(ours, 1.0)
    ttotal = torch.nn.utils.clip_grad_norm_(theirs, 1.0)
    assert total.item() == ttotal.item() == math.inf
    for p, t in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(p.grad, t.grad.numpy())


@pytest.mark.parametrize("clip_value", [0.1, 0.5, 10.0])
def test_clip_grad_value_matches_torch(clip_value):
    ours, theirs = _pair(scale=2.0, none_at=2)
    assert clip_grad_value_(ours, clip_value) is None
    torch.nn.utils.clip_grad_value_(theirs, clip_value)
    for p, t in zip(ours, theirs, strict=True):
        if t.grad is None:
            assert p.grad is None
        else:
            assert_close(p.grad, t.grad, 0, 0)
            assert np.abs(p.grad.data).max() <= clip_value


def test_bad_input():
    assert_bad_input(TypeError, "clip_grad_norm_", clip_grad_norm_, 3.0, 1.0)
    assert_bad_input(TypeError, "clip_grad_norm_", clip_grad_norm_, [np.zeros(2)], 1.0)
    assert_bad_input(TypeError, "clip_grad_value_", clip_grad_value_, None, 1.0)


def test_max_norm_may_be_a_tensor_or_int():
    ours, theirs = _pair(scale=5.0)
    clip_grad_norm_(ours, nnlib.tensor(1.0))
    torch.nn.utils.clip_grad_norm_(theirs, 1)
    for p, t in zip(ours, theirs, strict=True):
        assert_close(p.grad, t.grad)
