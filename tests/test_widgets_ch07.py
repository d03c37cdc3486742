"""Chapter 7's demos: the pure views (the NumPy training is checked against nnlib), then the
live widgets."""

import numpy as np
import pytest

import nnlib
from nnlib import nn
from nnlib.nn import functional as F
from nnlib.widgets import DEMOS
from nnlib.widgets import regularization as reg


def test_numpy_training_matches_nnlib_adamw_without_dropout():
    # Three steps of the demo's hand-written forward, backward and AdamW == nnlib's.
    params = reg._init(0)
    net = nn.Sequential(nn.Linear(1, reg.HIDDEN), nn.ReLU(), nn.Linear(reg.HIDDEN, reg.HIDDEN),
                        nn.ReLU(), nn.Linear(reg.HIDDEN, 1)).double()  # fmt: skip
    linears = [m for m in net if isinstance(m, nn.Linear)]
    for k, layer in enumerate(linears):
        layer.weight.data[...] = params[2 * k]
        layer.bias.data[...] = params[2 * k + 1]
    opt = nnlib.optim.AdamW(net.parameters(), lr=reg.LR, weight_decay=0.3)
    x = nnlib.tensor(reg.X_TRAIN[:, None])
    y = nnlib.tensor(reg.Y_TRAIN[:, None])
    saved = reg.STEPS
    try:
        reg.STEPS = 3
        reg.fit_sine.cache_clear()
        fit = reg.fit_sine(0.0, 0.3)
    finally:
        reg.STEPS = saved
        reg.fit_sine.cache_clear()
    for _ in range(3):
        opt.zero_grad()
        F.mse_loss(net(x), y).backward()
        opt.step()
    for k, layer in enumerate(linears):
        np.testing.assert_allclose(layer.weight.data, fit.params[2 * k], rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(layer.bias.data, fit.params[2 * k + 1], atol=1e-12)


def test_unregularised_network_overfits_and_weight_decay_helps():
    plain = reg.fit_sine(0.0, 0.0)
    decayed = reg.fit_sine(0.0, 1.0)
    assert plain.train_mse[-1] < 0.01 < plain.val_mse[-1]
    assert decayed.val_mse[-1] < plain.val_mse[-1]
    assert decayed.train_mse[-1] > plain.train_mse[-1]


def test_fit_is_seeded_and_refuses_bad_rates():
    a = reg.fit_sine(0.2, 0.1, seed=5)
    reg.fit_sine.cache_clear()
    b = reg.fit_sine(0.2, 0.1, seed=5)
    np.testing.assert_array_equal(a.curve, b.curve)
    with pytest.raises(ValueError, match="help:"):
        reg.fit_sine(1.0, 0.0)


def test_ensemble_average_converges_and_members_differ():
    view = reg.ensemble_view(0.3, 100)
    assert view.members.shape == (reg.SHOWN, reg.GRID.size)
    assert np.ptp(view.members[:, 60]) > 0  # sub-networks disagree
    # the running average settles: the last 50 values move less than the first 5
    assert np.ptp(view.mc_val[50:]) < np.ptp(view.mc_val[:5])
    with pytest.raises(ValueError, match="ensemble_view"):
        reg.ensemble_view(0.0, 3)


def test_poly_view_train_error_falls_with_degree():
    view = reg.poly_view(9, 10)
    assert np.all(np.diff(view.train_mse) <= 1e-9)
    assert view.train_mse[-1] < 1e-6  # 10 points, 10 coefficients: interpolation
    assert view.val_mse[-1] > 10 * view.val_mse.min()
    with pytest.raises(ValueError, match="poly_view"):
        reg.poly_view(10, 10)


@pytest.mark.parametrize(
    ("builder", "moves"),
    [
        ("regularization_playground", {"p": 0.3, "weight_decay": 1.0}),
        ("dropout_ensemble", {"k": 50, "p": 0.5}),
        ("polynomial_fit", {"degree": 9, "n": 40}),
    ],
)
def test_widget_controls_redraw_and_are_deterministic(builder, moves):
    demo = DEMOS[builder]()
    first = demo.image.value
    assert first[:4] == b"\x89PNG"
    images = [first]
    for name, value in moves.items():
        demo.controls[name].value = value
        assert demo.image.value not in images, name
        images.append(demo.image.value)
    again = DEMOS[builder]()
    for name, value in moves.items():
        again.controls[name].value = value
    assert again.image.value == images[-1]
