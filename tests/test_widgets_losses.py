"""Chapter 4's demos: the loss explorer and the KL-asymmetry demo, with real ipywidgets.

Each test builds a demo, moves its controls by setting ``.value`` (what dragging does), and
checks the computed data and that a new frame (new PNG bytes) was drawn.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
import torch
from PIL import Image

from nnlib.widgets import losses
from nnlib.widgets.losses import (
    LOSS_NAMES,
    forward_kl_fit,
    kl_asymmetry,
    kl_view,
    loss_explorer,
    loss_view,
    reverse_kl_fit,
)


def _is_png(data: bytes) -> bool:
    return Image.open(io.BytesIO(data)).format == "PNG"


# ----------------------------------------------------------------- loss explorer
def _torch_loss(name: str, z: torch.Tensor, y: torch.Tensor, delta: float, gamma: float):
    if name == "MSE":
        return (z - y) ** 2
    if name == "MAE (L1)":
        return (z - y).abs()
    if name == "Huber":
        return torch.nn.functional.huber_loss(z, y, reduction="none", delta=delta)
    bce = torch.nn.functional.binary_cross_entropy_with_logits(z, y, reduction="none")
    if name == "BCE":
        return bce
    p = torch.sigmoid(z)
    if name == "MSE on σ(z)":
        return (p - y) ** 2
    p_t = p * y + (1 - p) * (1 - y)
    return (1 - p_t) ** gamma * bce


@pytest.mark.parametrize("name", LOSS_NAMES)
@pytest.mark.parametrize("target", [0.0, 0.3, 1.0])
def test_loss_view_matches_torch_values_and_slopes(name, target):
    view = loss_view(name, target=target, prediction=1.7, delta=0.8, gamma=1.5, n=61)
    z = torch.tensor(np.append(view.z, 1.7), dtype=torch.float64, requires_grad=True)
    y = torch.full_like(z, target)
    loss = _torch_loss(name, z, y, 0.8, 1.5)
    loss.sum().backward()
    np.testing.assert_allclose(view.loss, loss.detach().numpy()[:-1], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(view.grad, z.grad.numpy()[:-1], rtol=1e-9, atol=1e-12)
    assert view.loss0 == pytest.approx(float(loss[-1].detach()), rel=1e-10, abs=1e-12)
    assert view.grad0 == pytest.approx(float(z.grad[-1]), rel=1e-9, abs=1e-12)
    assert (view.ref_loss is not None) == (name in losses.CLASSIFICATION)


def test_saturated_sigmoid_mse_has_a_vanishing_slope_and_bce_does_not():
    mse = loss_view("MSE on σ(z)", target=1.0, prediction=-6.0)
    bce = loss_view("BCE", target=1.0, prediction=-6.0)
    assert abs(mse.grad0) < 0.01 < 0.99 < abs(bce.grad0)
    # focal with gamma = 0 is BCE
    focal0 = loss_view("focal", target=1.0, prediction=-2.0, gamma=0.0)
    assert focal0.loss0 == pytest.approx(loss_view("BCE", 1.0, -2.0).loss0)


def test_classification_targets_are_clipped_and_unknown_loss_raises():
    assert loss_view("BCE", target=1.0).target == 1.0
    with pytest.raises(ValueError, match="expected one of"):
        loss_view("hinge")


def test_loss_explorer_redraws_when_controls_move():
    demo = loss_explorer()
    assert _is_png(demo.image.value)
    assert demo.data.name == "MSE on σ(z)"
    frames = {demo.image.value}
    for name, value in [
        ("prediction", 2.0),
        ("loss", "BCE"),
        ("target", 0.25),
        ("loss", "Huber"),
        ("delta", 2.0),
        ("loss", "focal"),
        ("gamma", 4.0),
    ]:
        demo.controls[name].value = value
        assert demo.image.value not in frames, name
        frames.add(demo.image.value)
    assert demo.data.name == "focal" and demo.data.target == 0.25
    assert demo.data.z0 == 2.0
    assert repr(demo) == "Demo('A loss and its gradient')"


# ----------------------------------------------------------------- KL asymmetry
def test_kl_values_are_nonnegative_asymmetric_and_zero_for_equal_distributions():
    v = kl_view(separation=0.0, weight=0.5, q_mean=0.0, q_std=losses.MODE_STD)
    assert v.kl_pq == pytest.approx(0.0, abs=1e-9) and v.kl_qp == pytest.approx(0.0, abs=1e-9)
    v = kl_view(separation=4.0, weight=0.5, q_mean=0.0, q_std=1.0)
    assert v.kl_pq > 0 and v.kl_qp > 0 and abs(v.kl_pq - v.kl_qp) > 0.1


def test_kl_between_gaussians_matches_the_closed_form():
    # P with separation 0 is N(0, 0.6²); KL(P‖Q) for Q = N(1, 1.5²) has a closed form.
    v = kl_view(separation=0.0, weight=0.5, q_mean=1.0, q_std=1.5)
    s1, s2, dm = losses.MODE_STD, 1.5, 1.0
    exact = np.log(s2 / s1) + (s1**2 + dm**2) / (2 * s2**2) - 0.5
    assert v.kl_pq == pytest.approx(exact, rel=1e-6)


def test_best_fits_cover_or_seek_the_modes():
    mean, std = forward_kl_fit(5.0, 0.5)
    assert mean == pytest.approx(0.0) and std > 2.0  # spreads over both modes
    mean, std = reverse_kl_fit(5.0, 0.7)
    assert mean == pytest.approx(-2.5, abs=0.1) and std == pytest.approx(0.6, abs=0.05)
    # The forward fit really minimises KL(P‖Q): nudging it makes KL(P‖Q) larger.
    best = kl_view(5.0, 0.5, *forward_kl_fit(5.0, 0.5)).kl_pq
    for dm, ds in [(0.2, 0.0), (-0.2, 0.0), (0.0, 0.2), (0.0, -0.2)]:
        mean, std = forward_kl_fit(5.0, 0.5)
        assert kl_view(5.0, 0.5, mean + dm, std + ds).kl_pq > best


def test_kl_demo_redraws_when_controls_move():
    demo = kl_asymmetry()
    assert _is_png(demo.image.value)
    frames = {demo.image.value}
    for name, value in [
        ("q_mean", -2.0),
        ("q_std", 0.7),
        ("separation", 6.0),
        ("weight", 0.7),
        ("show_best", False),
    ]:
        demo.controls[name].value = value
        assert demo.image.value not in frames, name
        frames.add(demo.image.value)
    assert demo.data.kl_qp < demo.data.kl_pq  # Q sits on the heavier mode
    assert not demo.data.show_best
