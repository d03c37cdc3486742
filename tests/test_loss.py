"""Tests for the losses in nnlib.nn.functional and nnlib.nn: PyTorch parity (values and
gradients in float64), finite differences, properties and bad input."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

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

REDUCTIONS = ["mean", "sum", "none"]

# torch warns that kl_div's 'mean' is not the KL divergence; nnlib documents it instead.
pytestmark = pytest.mark.filterwarnings("ignore:reduction. 'mean' divides:UserWarning")


# ------------------------------------------------------------------------------ helpers
def _inputs(specs: list[tuple[np.ndarray, bool]]) -> tuple[list, list]:
    """nnlib and torch versions of the same arrays (float64 unless integer)."""
    ours, theirs = [], []
    for arr, grad in specs:
        arr = np.asarray(arr)
        if arr.dtype.kind == "f":
            arr = arr.astype(np.float64)
        ours.append(nnlib.Tensor(arr.copy(), requires_grad=grad))
        theirs.append(torch.tensor(arr.copy(), requires_grad=grad))
    return ours, theirs


def assert_parity(
    ours_fn: Callable, torch_fn: Callable, specs: list[tuple[np.ndarray, bool]], atol=1e-10
) -> None:
    """Same values and same input gradients from nnlib and torch."""
    ours, theirs = _inputs(specs)
    out = ours_fn(*ours)
    ref = torch_fn(*theirs)
    assert out.shape == tuple(ref.shape)
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-9, atol=atol)
    seed = np.random.default_rng(0).standard_normal(out.shape)
    out.backward(seed if out.ndim else None)
    ref.backward(torch.tensor(seed) if ref.ndim else None)
    for (_, grad), a, b in zip(specs, ours, theirs, strict=True):
        if grad:
            np.testing.assert_allclose(a.grad, b.grad.numpy(), rtol=1e-8, atol=atol)


def torch_focal(x, y, alpha=0.25, gamma=2, reduction="none"):
    """torchvision.ops.sigmoid_focal_loss, re-implemented from its source formula."""
    p = torch.sigmoid(x)
    ce = TF.binary_cross_entropy_with_logits(x, y, reduction="none")
    p_t = p * y + (1 - p) * (1 - y)
    loss = ce * ((1 - p_t) ** gamma)
    if alpha >= 0:
        alpha_t = alpha * y + (1 - alpha) * (1 - y)
        loss = alpha_t * loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


rng = np.random.default_rng(1234)


def randn(*shape):
    return rng.standard_normal(shape)


def unif(lo, hi, *shape):
    return rng.uniform(lo, hi, shape)


def softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    return np.log(softmax(x, axis))


W3 = unif(0.5, 2.0, 3)
W4 = unif(0.5, 2.0, 4)
LABELS = np.array([0, 3, 1, 3, 2])
IGNORED = np.array([0, -100, 1, 3, 2])

# name -> (ours(F, reduction), torch(reduction), specs)
CASES: dict[str, tuple[Callable, Callable, list]] = {
    "mse": (
        lambda r: lambda x, y: F.mse_loss(x, y, reduction=r),
        lambda r: lambda x, y: TF.mse_loss(x, y, reduction=r),
        [(randn(4, 3), True), (randn(4, 3), True)],
    ),
    "l1": (
        lambda r: lambda x, y: F.l1_loss(x, y, reduction=r),
        lambda r: lambda x, y: TF.l1_loss(x, y, reduction=r),
        [(randn(4, 3), True), (randn(4, 3), True)],
    ),
    "huber": (
        lambda r: lambda x, y: F.huber_loss(x, y, reduction=r),
        lambda r: lambda x, y: TF.huber_loss(x, y, reduction=r),
        [(randn(4, 3) * 2, True), (randn(4, 3), True)],
    ),
    "huber_delta": (
        lambda r: lambda x, y: F.huber_loss(x, y, reduction=r, delta=0.3),
        lambda r: lambda x, y: TF.huber_loss(x, y, reduction=r, delta=0.3),
        [(randn(4, 3), True), (randn(4, 3), True)],
    ),
    "gaussian_nll": (
        lambda r: lambda x, y, v: F.gaussian_nll_loss(x, y, v, reduction=r),
        lambda r: lambda x, y, v: TF.gaussian_nll_loss(x, y, v, reduction=r),
        [(randn(4, 3), True), (randn(4, 3), True), (unif(0.1, 2, 4, 3), True)],
    ),
    "gaussian_nll_full_clamped": (
        lambda r: lambda x, y, v: F.gaussian_nll_loss(x, y, v, full=True, eps=0.2, reduction=r),
        lambda r: lambda x, y, v: TF.gaussian_nll_loss(x, y, v, full=True, eps=0.2, reduction=r),
        [(randn(4, 3), True), (randn(4, 3), True), (unif(0.0, 1, 4, 3), True)],
    ),
    "gaussian_nll_var_per_row": (
        lambda r: lambda x, y, v: F.gaussian_nll_loss(x, y, v, reduction=r),
        lambda r: lambda x, y, v: TF.gaussian_nll_loss(x, y, v, reduction=r),
        [(randn(4, 3), True), (randn(4, 3), True), (unif(0.1, 2, 4), True)],
    ),
    "gaussian_nll_var_last1": (
        lambda r: lambda x, y, v: F.gaussian_nll_loss(x, y, v, full=True, reduction=r),
        lambda r: lambda x, y, v: TF.gaussian_nll_loss(x, y, v, full=True, reduction=r),
        [(randn(4, 3), True), (randn(4, 3), True), (unif(0.1, 2, 4, 1), True)],
    ),
    "bce": (
        lambda r: lambda p, y: F.binary_cross_entropy(p, y, reduction=r),
        lambda r: lambda p, y: TF.binary_cross_entropy(p, y, reduction=r),
        [(unif(0.02, 0.98, 4, 3), True), (unif(0, 1, 4, 3), True)],
    ),
    "bce_weight": (
        lambda r: lambda p, y, w: F.binary_cross_entropy(p, y, w, reduction=r),
        lambda r: lambda p, y, w: TF.binary_cross_entropy(p, y, w, reduction=r),
        [(unif(0.02, 0.98, 4, 3), True), (unif(0, 1, 4, 3), False), (W3, False)],
    ),
    "bce_extremes": (
        lambda r: lambda p, y: F.binary_cross_entropy(p, y, reduction=r),
        lambda r: lambda p, y: TF.binary_cross_entropy(p, y, reduction=r),
        [(np.array([0.0, 1.0, 0.0, 1.0, 1e-50]), True), (np.array([1.0, 0, 0, 1, 1]), False)],
    ),
    "bce_logits": (
        lambda r: lambda x, y: F.binary_cross_entropy_with_logits(x, y, reduction=r),
        lambda r: lambda x, y: TF.binary_cross_entropy_with_logits(x, y, reduction=r),
        [(randn(4, 3) * 3, True), (unif(0, 1, 4, 3), True)],
    ),
    "bce_logits_weights": (
        lambda r: (
            lambda x, y, w, q: F.binary_cross_entropy_with_logits(
                x, y, w, reduction=r, pos_weight=q
            )
        ),
        lambda r: (
            lambda x, y, w, q: TF.binary_cross_entropy_with_logits(
                x, y, w, reduction=r, pos_weight=q
            )
        ),
        [(randn(4, 3) * 3, True), (unif(0, 1, 4, 3), True), (W3, False), (W3[::-1] * 2, False)],
    ),
    "bce_logits_huge": (
        lambda r: (
            lambda x, y, q: F.binary_cross_entropy_with_logits(x, y, reduction=r, pos_weight=q)
        ),
        lambda r: (
            lambda x, y, q: TF.binary_cross_entropy_with_logits(x, y, reduction=r, pos_weight=q)
        ),
        [
            (np.array([[500.0, -500.0, 300.0, -300.0]] * 2), True),
            (np.array([[0.0, 1.0, 1.0, 0.0], [1.0, 0.0, 0.0, 1.0]]), True),
            (np.array([2.0, 1.0, 0.5, 3.0]), False),
        ],
    ),
    "cross_entropy": (
        lambda r: lambda x, y: F.cross_entropy(x, y, reduction=r),
        lambda r: lambda x, y: TF.cross_entropy(x, y, reduction=r),
        [(randn(5, 4) * 2, True), (LABELS, False)],
    ),
    "cross_entropy_weight_ignore": (
        lambda r: lambda x, y, w: F.cross_entropy(x, y, w, reduction=r),
        lambda r: lambda x, y, w: TF.cross_entropy(x, y, w, reduction=r),
        [(randn(5, 4), True), (IGNORED, False), (W4, False)],
    ),
    "cross_entropy_ignore_class": (
        lambda r: lambda x, y: F.cross_entropy(x, y, ignore_index=3, reduction=r),
        lambda r: lambda x, y: TF.cross_entropy(x, y, ignore_index=3, reduction=r),
        [(randn(5, 4), True), (LABELS, False)],
    ),
    "cross_entropy_smoothing": (
        lambda r: lambda x, y: F.cross_entropy(x, y, reduction=r, label_smoothing=0.1),
        lambda r: lambda x, y: TF.cross_entropy(x, y, reduction=r, label_smoothing=0.1),
        [(randn(5, 4), True), (LABELS, False)],
    ),
    "cross_entropy_all_options": (
        lambda r: lambda x, y, w: F.cross_entropy(x, y, w, reduction=r, label_smoothing=0.3),
        lambda r: lambda x, y, w: TF.cross_entropy(x, y, w, reduction=r, label_smoothing=0.3),
        [(randn(5, 4), True), (IGNORED, False), (W4, False)],
    ),
    "cross_entropy_probs": (
        lambda r: lambda x, t: F.cross_entropy(x, t, reduction=r),
        lambda r: lambda x, t: TF.cross_entropy(x, t, reduction=r),
        [(randn(5, 4), True), (softmax(randn(5, 4)), True)],
    ),
    "cross_entropy_probs_options": (
        lambda r: lambda x, t, w: F.cross_entropy(x, t, w, reduction=r, label_smoothing=0.2),
        lambda r: lambda x, t, w: TF.cross_entropy(x, t, w, reduction=r, label_smoothing=0.2),
        [(randn(5, 4), True), (softmax(randn(5, 4)), True), (W4, False)],
    ),
    "cross_entropy_kdim": (
        lambda r: lambda x, y, w: F.cross_entropy(x, y, w, reduction=r, label_smoothing=0.1),
        lambda r: lambda x, y, w: TF.cross_entropy(x, y, w, reduction=r, label_smoothing=0.1),
        [(randn(3, 4, 2), True), (np.array([[0, 3], [-100, 2], [1, 1]]), False), (W4, False)],
    ),
    "cross_entropy_unbatched": (
        lambda r: lambda x, y: F.cross_entropy(x, y, reduction=r),
        lambda r: lambda x, y: TF.cross_entropy(x, y, reduction=r),
        [(randn(4), True), (np.array(2), False)],
    ),
    "cross_entropy_probs_kdim": (
        lambda r: lambda x, t: F.cross_entropy(x, t, reduction=r, label_smoothing=0.1),
        lambda r: lambda x, t: TF.cross_entropy(x, t, reduction=r, label_smoothing=0.1),
        [(randn(3, 4, 2), True), (softmax(randn(3, 4, 2), 1), True)],
    ),
    "nll_unbatched": (
        lambda r: lambda x, y, w: F.nll_loss(x, y, w, reduction=r),
        lambda r: lambda x, y, w: TF.nll_loss(x, y, w, reduction=r),
        [(log_softmax(randn(4)), True), (np.array(1), False), (W4, False)],
    ),
    "gaussian_nll_float_var": (
        lambda r: lambda x, y: F.gaussian_nll_loss(x, y, 0.5, reduction=r),
        lambda r: lambda x, y: TF.gaussian_nll_loss(x, y, 0.5, reduction=r),
        [(randn(4, 3), True), (randn(4, 3), True)],
    ),
    "bce_weight_per_row": (
        lambda r: lambda p, y, w: F.binary_cross_entropy(p, y, w, reduction=r),
        lambda r: lambda p, y, w: TF.binary_cross_entropy(p, y, w, reduction=r),
        [(unif(0.02, 0.98, 4, 3), True), (unif(0, 1, 4, 3), True), (unif(0, 2, 4, 1), False)],
    ),
    "nll": (
        lambda r: lambda x, y: F.nll_loss(x, y, reduction=r),
        lambda r: lambda x, y: TF.nll_loss(x, y, reduction=r),
        [(log_softmax(randn(5, 4)), True), (LABELS, False)],
    ),
    "nll_weight_ignore": (
        lambda r: lambda x, y, w: F.nll_loss(x, y, w, reduction=r),
        lambda r: lambda x, y, w: TF.nll_loss(x, y, w, reduction=r),
        [(log_softmax(randn(5, 4)), True), (IGNORED, False), (W4, False)],
    ),
    "nll_kdim": (
        lambda r: lambda x, y: F.nll_loss(x, y, ignore_index=0, reduction=r),
        lambda r: lambda x, y: TF.nll_loss(x, y, ignore_index=0, reduction=r),
        [(log_softmax(randn(3, 4, 2), 1), True), (np.array([[0, 3], [1, 2], [1, 1]]), False)],
    ),
    "kl_div": (
        lambda r: lambda x, t: F.kl_div(x, t, reduction=r),
        lambda r: lambda x, t: TF.kl_div(x, t, reduction=r),
        [(log_softmax(randn(4, 3)), True), (softmax(randn(4, 3)), True)],
    ),
    "kl_div_log_target": (
        lambda r: lambda x, t: F.kl_div(x, t, reduction=r, log_target=True),
        lambda r: lambda x, t: TF.kl_div(x, t, reduction=r, log_target=True),
        [(log_softmax(randn(4, 3)), True), (log_softmax(randn(4, 3)), True)],
    ),
    "kl_div_zero_target": (
        lambda r: lambda x, t: F.kl_div(x, t, reduction=r),
        lambda r: lambda x, t: TF.kl_div(x, t, reduction=r),
        [(log_softmax(randn(2, 3)), True), (np.array([[0.0, 0.5, 0.5], [1, 0, 0]]), False)],
    ),
    "triplet": (
        lambda r: lambda a, p, n: F.triplet_margin_loss(a, p, n, margin=2.0, reduction=r),
        lambda r: lambda a, p, n: TF.triplet_margin_loss(a, p, n, margin=2.0, reduction=r),
        [(randn(6, 3), True), (randn(6, 3), True), (randn(6, 3), True)],
    ),
    "triplet_p1_swap": (
        lambda r: lambda a, p, n: F.triplet_margin_loss(a, p, n, p=1, swap=True, reduction=r),
        lambda r: lambda a, p, n: TF.triplet_margin_loss(a, p, n, p=1, swap=True, reduction=r),
        [(randn(6, 3), True), (randn(6, 3), True), (randn(6, 3), True)],
    ),
    "triplet_p3_eps": (
        lambda r: lambda a, p, n: F.triplet_margin_loss(a, p, n, p=3, eps=0.1, reduction=r),
        lambda r: lambda a, p, n: TF.triplet_margin_loss(a, p, n, p=3, eps=0.1, reduction=r),
        [(randn(6, 3), True), (randn(6, 3), True), (randn(6, 3), True)],
    ),
    "triplet_unbatched_swap": (
        lambda r: lambda a, p, n: F.triplet_margin_loss(a, p, n, swap=True, reduction=r),
        lambda r: lambda a, p, n: TF.triplet_margin_loss(a, p, n, swap=True, reduction=r),
        [(randn(3), True), (randn(3), True), (randn(3), True)],
    ),
    "cosine_embedding": (
        lambda r: lambda a, b, y: F.cosine_embedding_loss(a, b, y, reduction=r),
        lambda r: lambda a, b, y: TF.cosine_embedding_loss(a, b, y, reduction=r),
        [(randn(6, 3), True), (randn(6, 3), True), (np.array([1, -1, 1, -1, -1, 1]), False)],
    ),
    "cosine_embedding_margin_zero_vec": (
        lambda r: lambda a, b, y: F.cosine_embedding_loss(a, b, y, margin=-0.2, reduction=r),
        lambda r: lambda a, b, y: TF.cosine_embedding_loss(a, b, y, margin=-0.2, reduction=r),
        [
            (np.vstack([np.zeros((1, 3)), randn(3, 3)]), True),
            (randn(4, 3), True),
            (np.array([1, -1, -1, 1]), False),
        ],
    ),
    "focal": (
        lambda r: lambda x, y: F.sigmoid_focal_loss(x, y, reduction=r),
        lambda r: lambda x, y: torch_focal(x, y, reduction=r),
        [(randn(4, 3) * 3, True), (rng.integers(0, 2, (4, 3)).astype(float), True)],
    ),
    "focal_no_alpha_gamma0": (
        lambda r: lambda x, y: F.sigmoid_focal_loss(x, y, alpha=-1, gamma=0, reduction=r),
        lambda r: lambda x, y: torch_focal(x, y, alpha=-1, gamma=0, reduction=r),
        [(randn(4, 3) * 3, True), (unif(0, 1, 4, 3), True)],
    ),
    "focal_gamma_half": (
        lambda r: lambda x, y: F.sigmoid_focal_loss(x, y, alpha=0.6, gamma=0.5, reduction=r),
        lambda r: lambda x, y: torch_focal(x, y, alpha=0.6, gamma=0.5, reduction=r),
        [(randn(4, 3), True), (rng.integers(0, 2, (4, 3)).astype(float), False)],
    ),
}


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_torch_parity(name: str, reduction: str) -> None:
    ours, theirs, specs = CASES[name]
    assert_parity(ours(reduction), theirs(reduction), specs)


@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div_batchmean(log_target: bool) -> None:
    target = log_softmax(randn(5, 3)) if log_target else softmax(randn(5, 3))
    specs = [(log_softmax(randn(5, 3)), True), (target, True)]
    assert_parity(
        lambda x, t: F.kl_div(x, t, reduction="batchmean", log_target=log_target),
        lambda x, t: TF.kl_div(x, t, reduction="batchmean", log_target=log_target),
        specs,
    )


def test_bce_logits_huge_logits_finite_and_exact() -> None:
    x = nnlib.Tensor(np.array([500.0, -500.0, 800.0, -800.0]), requires_grad=True)
    y = nnlib.Tensor(np.array([0.0, 1.0, 1.0, 0.0]))
    loss = F.binary_cross_entropy_with_logits(x, y, reduction="none")
    np.testing.assert_allclose(loss.data, [500.0, 500.0, 0.0, 0.0], atol=1e-12)
    loss.sum().backward()
    np.testing.assert_allclose(x.grad, [1.0, -1.0, 0.0, 0.0])
    x32 = nnlib.tensor([500.0, -500.0], requires_grad=True)
    out = F.binary_cross_entropy_with_logits(x32, nnlib.tensor([0.0, 1.0]))
    out.backward()
    assert out.dtype == np.float32 and np.isfinite(out.item()) and np.isfinite(x32.grad.data).all()


def test_bce_clamps_log_at_minus_100() -> None:
    loss = F.binary_cross_entropy(
        nnlib.tensor([0.0, 1.0]), nnlib.tensor([1.0, 0.0]), reduction="none"
    )
    np.testing.assert_allclose(loss.data, [100.0, 100.0])


def test_cross_entropy_is_one_fused_node_with_softmax_minus_onehot_gradient() -> None:
    x = nnlib.Tensor(randn(6, 5), requires_grad=True)
    y = nnlib.tensor([0, 1, 2, 3, 4, 0])
    loss = F.cross_entropy(x, y)
    assert loss.grad_fn == "CrossEntropyLossBackward" and loss._parents == (x,)
    loss.backward()
    onehot = np.eye(5)[y.data]
    np.testing.assert_allclose(x.grad, (softmax(x.data) - onehot) / 6, atol=1e-12)


def test_cross_entropy_keeps_float32() -> None:
    x = nnlib.randn(4, 3, requires_grad=True)
    loss = F.cross_entropy(x, nnlib.tensor([0, 1, 2, 0]))
    loss.backward()
    assert loss.dtype == np.float32 and x.grad.dtype == np.float32


def test_cross_entropy_all_ignored_is_nan_like_torch() -> None:
    x = randn(2, 3)
    ours = F.cross_entropy(nnlib.Tensor(x), nnlib.tensor([-100, -100])).item()
    theirs = TF.cross_entropy(torch.tensor(x), torch.tensor([-100, -100])).item()
    assert math.isnan(ours) and math.isnan(theirs)


def test_cross_entropy_equals_nll_of_log_softmax() -> None:
    x = randn(5, 4)
    ce = F.cross_entropy(nnlib.Tensor(x), nnlib.Tensor(LABELS)).item()
    nll = F.nll_loss(nnlib.Tensor(log_softmax(x)), nnlib.Tensor(LABELS)).item()
    assert ce == pytest.approx(nll, rel=1e-12)


def test_backward_twice_accumulates() -> None:
    x = nnlib.Tensor(randn(3, 4), requires_grad=True)
    loss = F.cross_entropy(x, nnlib.tensor([0, 1, 2]), label_smoothing=0.1)
    loss.backward(retain_graph=True)
    first = x.grad.data.copy()
    loss.backward()
    np.testing.assert_allclose(x.grad, 2 * first)


# ------------------------------------------------------------------ finite differences
def _t(a: Any, grad: bool = True) -> nnlib.Tensor:
    return nnlib.Tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


GRADCHECKS: dict[str, tuple[Callable, list]] = {
    "cross_entropy": (
        lambda x: F.cross_entropy(x, nnlib.Tensor(IGNORED), nnlib.Tensor(W4), label_smoothing=0.2),
        [_t(randn(5, 4))],
    ),
    "cross_entropy_probs": (
        lambda x, t: F.cross_entropy(x, t, reduction="none", label_smoothing=0.1),
        [_t(randn(3, 4)), _t(softmax(randn(3, 4)))],
    ),
    "nll": (lambda x: F.nll_loss(x, nnlib.Tensor(LABELS), nnlib.Tensor(W4)), [_t(randn(5, 4))]),
    "bce": (
        lambda p, y: F.binary_cross_entropy(p, y, reduction="none"),
        [_t(unif(0.1, 0.9, 2, 3)), _t(unif(0, 1, 2, 3))],
    ),
    "bce_logits": (
        lambda x, y: F.binary_cross_entropy_with_logits(x, y, pos_weight=_t(W3, False)),
        [_t(randn(2, 3)), _t(unif(0, 1, 2, 3))],
    ),
    "huber": (lambda x, y: F.huber_loss(x, y, delta=0.5), [_t(randn(3, 2)), _t(randn(3, 2))]),
    "gaussian_nll": (
        lambda x, y, v: F.gaussian_nll_loss(x, y, v, full=True),
        [_t(randn(3, 2)), _t(randn(3, 2)), _t(unif(0.2, 2, 3, 1))],
    ),
    "kl_div": (
        lambda x, t: F.kl_div(x, t, reduction="batchmean"),
        [_t(log_softmax(randn(2, 3))), _t(softmax(randn(2, 3)))],
    ),
    "triplet": (
        lambda a, p, n: F.triplet_margin_loss(a, p, n, margin=3.0, swap=True, reduction="none"),
        [_t(randn(3, 2)), _t(randn(3, 2)), _t(randn(3, 2))],
    ),
    "cosine_embedding": (
        lambda a, b: F.cosine_embedding_loss(a, b, nnlib.tensor([1, -1, -1]), margin=-0.5),
        [_t(randn(3, 2)), _t(randn(3, 2))],
    ),
    "focal": (
        lambda x, y: F.sigmoid_focal_loss(x, y, reduction="sum"),
        [_t(randn(2, 3)), _t(unif(0, 1, 2, 3))],
    ),
    "mse_l1": (
        lambda x, y: F.mse_loss(x, y) + F.l1_loss(x, y, reduction="sum"),
        [_t(randn(3, 2)), _t(randn(3, 2))],
    ),
}


@pytest.mark.parametrize("name", sorted(GRADCHECKS))
def test_gradcheck(name: str) -> None:
    fn, inputs = GRADCHECKS[name]
    assert gradcheck(fn, inputs)


# -------------------------------------------------------------------------- properties
floats = st.floats(-20, 20, allow_nan=False)
arrays = st.integers(1, 6).flatmap(
    lambda n: st.tuples(
        st.lists(floats, min_size=n, max_size=n), st.lists(floats, min_size=n, max_size=n)
    )
)
probs = st.floats(0, 1)


@settings(max_examples=40, deadline=None)
@given(arrays)
def test_regression_losses_nonnegative_and_sum_is_mean_times_n(xy) -> None:
    x, y = (nnlib.Tensor(np.array(v)) for v in xy)
    n = len(xy[0])
    for fn in (F.mse_loss, F.l1_loss, F.huber_loss):
        per = fn(x, y, reduction="none")
        assert (per.data >= 0).all()
        assert fn(x, y, reduction="sum").item() == pytest.approx(
            fn(x, y, reduction="mean").item() * n, rel=1e-9, abs=1e-9
        )


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 6).flatmap(
        lambda n: st.tuples(
            st.lists(floats, min_size=n, max_size=n), st.lists(probs, min_size=n, max_size=n)
        )
    )
)
def test_binary_losses_nonnegative_and_sum_is_mean_times_n(xy) -> None:
    x, y = nnlib.Tensor(np.array(xy[0])), nnlib.Tensor(np.array(xy[1]))
    p = x.sigmoid()
    n = len(xy[0])
    for fn, inp in (
        (F.binary_cross_entropy_with_logits, x),
        (F.binary_cross_entropy, p),
        (F.sigmoid_focal_loss, x),
    ):
        assert (fn(inp, y, reduction="none").data >= -1e-12).all()
        assert fn(inp, y, reduction="sum").item() == pytest.approx(
            fn(inp, y, reduction="mean").item() * n, rel=1e-9, abs=1e-9
        )


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5), st.integers(2, 7), st.floats(-50, 50), st.data())
def test_cross_entropy_uniform_logits_is_log_c(n: int, c: int, value: float, data) -> None:
    labels = data.draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n))
    x = nnlib.Tensor(np.full((n, c), value))
    y = nnlib.Tensor(np.array(labels))
    assert F.cross_entropy(x, y).item() == pytest.approx(math.log(c), rel=1e-12)
    assert F.cross_entropy(x, y, reduction="sum").item() == pytest.approx(n * math.log(c))


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5), st.integers(2, 6), st.data())
def test_cross_entropy_and_kl_nonnegative(n: int, c: int, data) -> None:
    x = np.array(data.draw(st.lists(floats, min_size=n * c, max_size=n * c))).reshape(n, c)
    labels = np.array(data.draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    ce = F.cross_entropy(nnlib.Tensor(x), nnlib.Tensor(labels), reduction="none")
    assert (ce.data >= 0).all()
    total = F.cross_entropy(nnlib.Tensor(x), nnlib.Tensor(labels), reduction="sum").item()
    assert total == pytest.approx(ce.data.sum(), rel=1e-12)
    t = softmax(x[::-1].copy())
    kl = F.kl_div(nnlib.Tensor(log_softmax(x)), nnlib.Tensor(t), reduction="batchmean")
    assert kl.item() >= -1e-12


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.data())
def test_embedding_losses_nonnegative(n: int, d: int, data) -> None:
    vals = data.draw(st.lists(floats, min_size=3 * n * d, max_size=3 * n * d))
    a, p, q = (nnlib.Tensor(v) for v in np.array(vals).reshape(3, n, d))
    assert (F.triplet_margin_loss(a, p, q, reduction="none").data >= 0).all()
    y = nnlib.Tensor(
        np.array(data.draw(st.lists(st.sampled_from([1, -1]), min_size=n, max_size=n)))
    )
    assert (F.cosine_embedding_loss(a, p, y, reduction="none").data >= -1e-12).all()


# --------------------------------------------------------------------------- bad input
def test_shape_mismatch_is_refused_with_the_fix() -> None:
    msg = assert_bad_input(ValueError, "mse_loss", F.mse_loss, nnlib.zeros(64, 1), nnlib.zeros(64))
    assert msg.startswith(
        "mse_loss: expected target of the same shape as input (64, 1), got (64,).\nhelp: "
    )
    assert "target.reshape(64, 1)" in msg and "input.squeeze(1)" in msg
    assert "(64, 64)" in msg
    msg = assert_bad_input(ValueError, "l1_loss", F.l1_loss, nnlib.zeros(8), nnlib.zeros(8, 1))
    assert "target.squeeze(1)" in msg


@pytest.mark.parametrize(
    "fn",
    [
        F.mse_loss,
        F.l1_loss,
        F.huber_loss,
        F.binary_cross_entropy,
        F.binary_cross_entropy_with_logits,
        F.sigmoid_focal_loss,
        F.kl_div,
    ],
)
def test_every_pointwise_loss_refuses_broadcasting(fn) -> None:
    assert_bad_input(ValueError, fn.__name__, fn, nnlib.full((4, 3), 0.5), nnlib.full((3,), 0.5))


def test_class_index_out_of_range() -> None:
    y = nnlib.tensor([0, 1, 2, 10, 4])
    msg = assert_bad_input(ValueError, "cross_entropy", F.cross_entropy, nnlib.zeros(5, 10), y)
    assert msg.startswith(
        "cross_entropy: expected class indices in [0, 9] (input has 10 classes), got 10 at "
        "position 3.\nhelp: "
    )
    msg = assert_bad_input(
        ValueError, "nll_loss", F.nll_loss, nnlib.zeros(3, 3), nnlib.tensor([1, 2, 3])
    )
    assert "1-based" in msg
    msg = assert_bad_input(
        ValueError, "cross_entropy", F.cross_entropy, nnlib.zeros(2, 3), nnlib.tensor([-1, 0])
    )
    assert "ignore_index" in msg
    # ignored positions are not checked
    F.cross_entropy(nnlib.zeros(2, 3), nnlib.tensor([-100, 0]))


def test_cross_entropy_float_targets_of_shape_n() -> None:
    msg = assert_bad_input(
        TypeError, "cross_entropy", F.cross_entropy, nnlib.zeros(4, 3), nnlib.zeros(4)
    )
    assert "target.long()" in msg


def test_cross_entropy_bad_target_shapes() -> None:
    onehot = nnlib.Tensor(np.eye(3, dtype=np.int64)[[0, 1]])
    msg = assert_bad_input(ValueError, "cross_entropy", F.cross_entropy, nnlib.zeros(2, 3), onehot)
    assert "argmax" in msg
    assert_bad_input(
        ValueError, "cross_entropy", F.cross_entropy, nnlib.zeros(2, 3), nnlib.zeros(2, 4)
    )
    assert_bad_input(
        ValueError, "cross_entropy", F.cross_entropy, nnlib.zeros(2, 3), nnlib.tensor([0])
    )
    assert_bad_input(
        ValueError, "cross_entropy", F.cross_entropy, nnlib.zeros(2, 3), nnlib.tensor([0, 1]),
        weight=nnlib.ones(4),
    )  # fmt: skip
    assert_bad_input(
        ValueError, "cross_entropy", F.cross_entropy, nnlib.zeros(2, 3), nnlib.tensor([0, 1]),
        label_smoothing=1.5,
    )  # fmt: skip


def test_bce_probabilities_outside_unit_interval() -> None:
    msg = assert_bad_input(
        ValueError,
        "binary_cross_entropy",
        F.binary_cross_entropy,
        nnlib.tensor([-0.5, 2.0]),
        nnlib.tensor([0.0, 1.0]),
    )
    assert "binary_cross_entropy_with_logits" in msg
    msg = assert_bad_input(
        ValueError,
        "binary_cross_entropy_with_logits",
        F.binary_cross_entropy_with_logits,
        nnlib.tensor([0.5, 2.0]),
        nnlib.tensor([-1.0, 1.0]),
    )
    assert "(y + 1) / 2" in msg


@pytest.mark.parametrize(
    "call",
    [
        lambda r: F.mse_loss(nnlib.zeros(2), nnlib.zeros(2), reduction=r),
        lambda r: F.l1_loss(nnlib.zeros(2), nnlib.zeros(2), reduction=r),
        lambda r: F.huber_loss(nnlib.zeros(2), nnlib.zeros(2), reduction=r),
        lambda r: F.gaussian_nll_loss(nnlib.zeros(2), nnlib.zeros(2), nnlib.ones(2), reduction=r),
        lambda r: F.binary_cross_entropy(nnlib.zeros(2), nnlib.zeros(2), reduction=r),
        lambda r: F.binary_cross_entropy_with_logits(nnlib.zeros(2), nnlib.zeros(2), reduction=r),
        lambda r: F.cross_entropy(nnlib.zeros(2, 2), nnlib.tensor([0, 1]), reduction=r),
        lambda r: F.nll_loss(nnlib.zeros(2, 2), nnlib.tensor([0, 1]), reduction=r),
        lambda r: F.kl_div(nnlib.zeros(2), nnlib.zeros(2), reduction=r),
        lambda r: F.triplet_margin_loss(*(nnlib.zeros(2, 2),) * 3, reduction=r),
        lambda r: F.cosine_embedding_loss(
            nnlib.ones(2, 2), nnlib.ones(2, 2), nnlib.tensor([1, 1]), reduction=r
        ),
        lambda r: F.sigmoid_focal_loss(nnlib.zeros(2), nnlib.zeros(2), reduction=r),
        lambda r: nn.CrossEntropyLoss(reduction=r),
        lambda r: nn.KLDivLoss(reduction=r),
    ],
)
def test_bad_reduction(call) -> None:
    with pytest.raises(ValueError, match="reduction") as info:
        call("avg")
    assert "\nhelp: " in str(info.value)


def test_other_bad_inputs() -> None:
    assert_bad_input(
        ValueError, "gaussian_nll_loss", F.gaussian_nll_loss, nnlib.zeros(4, 3), nnlib.zeros(4, 3),
        nnlib.full((4, 3), -1.0),
    )  # fmt: skip
    assert_bad_input(
        ValueError, "gaussian_nll_loss", F.gaussian_nll_loss, nnlib.zeros(4, 3), nnlib.zeros(4, 3),
        nnlib.ones(2, 2),
    )  # fmt: skip
    assert_bad_input(
        ValueError, "huber_loss", F.huber_loss, nnlib.zeros(2), nnlib.zeros(2), delta=0
    )
    msg = assert_bad_input(
        ValueError, "cosine_embedding_loss", F.cosine_embedding_loss, nnlib.ones(2, 2),
        nnlib.ones(2, 2), nnlib.tensor([1, 0]),
    )  # fmt: skip
    assert "2 * y - 1" in msg
    assert_bad_input(
        ValueError, "cosine_embedding_loss", F.cosine_embedding_loss, nnlib.ones(2, 2),
        nnlib.ones(2, 2), nnlib.tensor([1, 1, 1]),
    )  # fmt: skip
    assert_bad_input(
        ValueError, "triplet_margin_loss", F.triplet_margin_loss, nnlib.zeros(2, 3),
        nnlib.zeros(2, 3), nnlib.zeros(2, 4),
    )  # fmt: skip
    assert_bad_input(
        ValueError, "binary_cross_entropy_with_logits", F.binary_cross_entropy_with_logits,
        nnlib.zeros(2, 3), nnlib.zeros(2, 3), pos_weight=nnlib.ones(4),
    )  # fmt: skip
    assert_bad_input(TypeError, "mse_loss", F.mse_loss, nnlib.tensor([1, 2]), nnlib.tensor([1, 2]))
    assert_bad_input(
        ValueError, "sigmoid_focal_loss", F.sigmoid_focal_loss, nnlib.zeros(2), nnlib.zeros(2),
        gamma=-1.0,
    )  # fmt: skip


# ----------------------------------------------------------------------------- modules
MODULES = [
    (nn.MSELoss(reduction="sum"), torch.nn.MSELoss(reduction="sum"), "reg"),
    (nn.L1Loss(), torch.nn.L1Loss(), "reg"),
    (nn.HuberLoss(delta=0.5), torch.nn.HuberLoss(delta=0.5), "reg"),
    (nn.BCELoss(weight=nnlib.Tensor(W3)), torch.nn.BCELoss(weight=torch.tensor(W3)), "prob"),
    (
        nn.BCEWithLogitsLoss(pos_weight=nnlib.Tensor(W3), reduction="none"),
        torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(W3), reduction="none"),
        "logit",
    ),
    (
        nn.CrossEntropyLoss(weight=nnlib.Tensor(W3), ignore_index=1, label_smoothing=0.1),
        torch.nn.CrossEntropyLoss(weight=torch.tensor(W3), ignore_index=1, label_smoothing=0.1),
        "class",
    ),
    (nn.NLLLoss(reduction="sum"), torch.nn.NLLLoss(reduction="sum"), "class"),
    (nn.GaussianNLLLoss(full=True), torch.nn.GaussianNLLLoss(full=True), "gauss"),
    (
        nn.KLDivLoss(reduction="batchmean", log_target=True),
        torch.nn.KLDivLoss(reduction="batchmean", log_target=True),
        "reg",
    ),
    (
        nn.TripletMarginLoss(margin=2.0, p=1),
        torch.nn.TripletMarginLoss(margin=2.0, p=1),
        "triplet",
    ),
    (nn.CosineEmbeddingLoss(margin=0.1), torch.nn.CosineEmbeddingLoss(margin=0.1), "cosine"),
]


def _module_specs(kind: str) -> list:
    if kind == "reg":
        return [(randn(4, 3), True), (randn(4, 3), True)]
    if kind == "prob":
        return [(unif(0.1, 0.9, 4, 3), True), (unif(0, 1, 4, 3), True)]
    if kind == "logit":
        return [(randn(4, 3), True), (unif(0, 1, 4, 3), True)]
    if kind == "class":
        return [(randn(4, 3), True), (np.array([0, 1, 2, 2]), False)]
    if kind == "gauss":
        return [(randn(4, 3), True), (randn(4, 3), True), (unif(0.1, 1, 4, 3), True)]
    if kind == "triplet":
        return [(randn(4, 3), True), (randn(4, 3), True), (randn(4, 3), True)]
    return [(randn(4, 3), True), (randn(4, 3), True), (np.array([1, -1, 1, -1]), False)]


@pytest.mark.parametrize("ours,theirs,kind", MODULES, ids=lambda m: type(m).__name__)
def test_modules_match_torch(ours, theirs, kind) -> None:
    assert_parity(ours, theirs, _module_specs(kind))
    assert isinstance(ours, nn.Module)


def test_module_repr_and_buffers() -> None:
    assert repr(nn.MSELoss()) == "MSELoss()"
    assert repr(nn.L1Loss(reduction="sum")) == "L1Loss(reduction='sum')"
    loss = nn.CrossEntropyLoss(weight=nnlib.ones(3))
    assert "weight" in loss.state_dict() and list(loss.parameters()) == []
    assert_bad_input(ValueError, "MSELoss", nn.MSELoss, reduction="avg")


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_fast_path_agrees_with_general_path(reduction: str) -> None:
    x1 = nnlib.Tensor(randn(7, 5) * 3, requires_grad=True)
    x2 = nnlib.Tensor(x1.data.copy(), requires_grad=True)
    y = nnlib.Tensor(rng.integers(0, 5, 7))
    fast = F.cross_entropy(x1, y, reduction=reduction)
    general = F.cross_entropy(x2, y, weight=nnlib.Tensor(np.ones(5)), reduction=reduction)
    np.testing.assert_allclose(fast.data, general.data, rtol=1e-12)
    seed = randn(*fast.shape)
    fast.backward(seed if fast.ndim else None)
    general.backward(seed if general.ndim else None)
    np.testing.assert_allclose(x1.grad, x2.grad, rtol=1e-10, atol=1e-15)
