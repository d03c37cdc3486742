"""Chapter 9's demos: the approximation explorer and the sawtooth's depth.

The pure functions are checked directly (the staircase's weights, the error of each network,
the sawtooth's pieces), the NumPy training loop against nnlib's and PyTorch's Adam step for
step, and each demo's controls by setting ``.value`` and looking at ``demo.data`` and the
image.
"""

from __future__ import annotations

import numpy as np
import pytest

import nnlib
from nnlib import nn, optim
from nnlib.nn import functional as F
from nnlib.widgets import approximation as approx


def _nnlib_net(params):
    n = params[0].shape[0]
    net = nn.Sequential(nn.Linear(1, n), nn.Sigmoid(), nn.Linear(n, 1)).double()
    with nnlib.no_grad():
        for p, value in zip(net.parameters(), params, strict=True):
            p.data[...] = value
    return net


def test_staircase_passes_through_the_grid_values():
    f = approx.TARGETS["smooth bump"]
    params = approx.staircase_params(f, -1.0, 1.0, 16, 200.0)
    grid = np.linspace(-1.0, 1.0, 17)
    np.testing.assert_allclose(approx.sigmoid_net(params, grid), f(grid), atol=1e-6)


def test_sigmoid_net_matches_nnlib():
    params = approx.init_params(5, seed=3)
    x = np.linspace(-2.0, 2.0, 11)
    with nnlib.no_grad():
        want = _nnlib_net(params)(nnlib.tensor(x[:, None])).data[:, 0]
    np.testing.assert_allclose(approx.sigmoid_net(params, x), want, rtol=1e-13)


@pytest.mark.parametrize(("n", "lr", "steps"), [(3, 0.05, 50), (8, 0.1, 120)])
def test_numpy_training_matches_nnlib_adam_step_for_step(n, lr, steps):
    x = np.linspace(-1.0, 1.0, 31)
    y = np.abs(x)
    start = approx.init_params(n, seed=1)
    net = _nnlib_net(start)
    opt = optim.Adam(net.parameters(), lr=lr)
    X, Y = nnlib.tensor(x[:, None]), nnlib.tensor(y[:, None])
    for _ in range(steps):
        opt.zero_grad()
        F.mse_loss(net(X), Y).backward()
        opt.step()
    got = approx.train_sigmoid_net(x, y, start, lr, steps)
    for p, q in zip(net.parameters(), got, strict=True):
        np.testing.assert_allclose(q, p.data, rtol=1e-9, atol=1e-12)


def test_numpy_training_matches_torch_adam():
    torch = pytest.importorskip("torch")
    x = np.linspace(-1.0, 1.0, 21)
    y = np.exp(-8 * x**2)
    start = approx.init_params(4, seed=2)
    net = torch.nn.Sequential(
        torch.nn.Linear(1, 4), torch.nn.Sigmoid(), torch.nn.Linear(4, 1)
    ).double()
    with torch.no_grad():
        for p, value in zip(net.parameters(), start, strict=True):
            p.copy_(torch.from_numpy(value))
    opt = torch.optim.Adam(net.parameters(), lr=0.05)
    X, Y = torch.from_numpy(x[:, None]), torch.from_numpy(y[:, None])
    for _ in range(60):
        opt.zero_grad()
        torch.nn.functional.mse_loss(net(X), Y).backward()
        opt.step()
    got = approx.train_sigmoid_net(x, y, start, 0.05, 60)
    for p, q in zip(net.parameters(), got, strict=True):
        np.testing.assert_allclose(q, p.detach().numpy(), rtol=1e-9, atol=1e-12)


def test_training_does_not_modify_its_start():
    start = approx.init_params(4, seed=0)
    copy = [p.copy() for p in start]
    approx.train_sigmoid_net(np.linspace(-1, 1, 5), np.zeros(5), start, 0.1, 3)
    for a, b in zip(start, copy, strict=True):
        np.testing.assert_array_equal(a, b)


def test_view_errors_fall_with_units_and_the_step_stays_above_half():
    smooth = [approx.approximation_view("smooth bump", n).error_constructed for n in (8, 32)]
    assert smooth[1] < smooth[0] / 3
    for n in (4, 16):
        view = approx.approximation_view("step (not continuous)", n)
        # any continuous F misses a jump of 1 by at least 1/2 near it
        assert view.error_constructed >= 0.5 - 1e-9
        assert view.error_trained >= 0.5 - 1e-9


@pytest.mark.parametrize(
    "bad", [("no such target", 4), ("smooth bump", 0), ("smooth bump", True), ("smooth bump", 2.5)]
)
def test_view_refuses_bad_input(bad):
    with pytest.raises(ValueError, match="approximation_view"):
        approx.approximation_view(*bad)


def test_approximation_explorer_controls_change_the_picture():
    demo = approx.approximation_explorer()
    first = demo.image.value
    demo.controls["n"].value = 3
    assert demo.data.n == 3 and demo.image.value != first
    second = demo.image.value
    demo.controls["target"].value = "|x| (a kink)"
    assert demo.data.target == "|x| (a kink)" and demo.image.value != second
    again = approx.approximation_explorer()
    again.set(n=3, target="|x| (a kink)")
    assert again.image.value == demo.image.value


def test_approximation_static_values_are_valid_controls():
    demo = approx.approximation_explorer()
    assert set(demo.static) == {"target", "n"}
    assert 10 <= len(demo.static["n"]) <= 30
    slider = demo.controls["n"]
    assert all(slider.min <= n <= slider.max for n in demo.static["n"])


@pytest.mark.parametrize("k", [1, 2, 5, 9])
def test_sawtooth_has_two_to_the_k_pieces(k):
    view = approx.sawtooth_view(k)
    assert view.pieces == 2**k
    assert (view.deep_units, view.deep_params, view.shallow_units) == (2 * k, 7 * k, 2**k)
    assert view.y.min() >= 0.0 and view.y.max() == pytest.approx(1.0)


def test_deep_sawtooth_matches_an_nnlib_network():
    k = 3
    blocks = []
    for _ in range(k):
        blocks += [nn.Linear(1, 2), nn.ReLU(), nn.Linear(2, 1)]
    net = nn.Sequential(*blocks).double()
    with nnlib.no_grad():
        for j, (W1, b1, W2, b2) in enumerate(approx.tent_layers(k)):
            net[3 * j].weight.data[...] = W1
            net[3 * j].bias.data[...] = b1
            net[3 * j + 2].weight.data[...] = W2
            net[3 * j + 2].bias.data[...] = b2
    x = np.linspace(0.0, 1.0, 65)
    with nnlib.no_grad():
        want = net(nnlib.tensor(x[:, None])).data[:, 0]
    np.testing.assert_allclose(approx.deep_sawtooth(x, k), want, atol=1e-14)


def test_count_pieces():
    x = np.linspace(0.0, 1.0, 33)
    assert approx.count_pieces(x, 2 * x + 1) == 1
    assert approx.count_pieces(x, np.abs(x - 0.5)) == 2


@pytest.mark.parametrize("bad", [0, 13, 2.0, True])
def test_sawtooth_view_refuses_bad_depth(bad):
    with pytest.raises(ValueError, match="sawtooth_view"):
        approx.sawtooth_view(bad)


def test_sawtooth_demo_slider_changes_the_picture():
    demo = approx.sawtooth_depth()
    first = demo.image.value
    demo.controls["k"].value = 6
    assert demo.data.pieces == 64 and demo.image.value != first
    assert demo.static == {"k": list(approx.DEPTHS)}
