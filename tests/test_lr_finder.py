"""Tests of nnlib.optim.lr_finder (the LR range test, nnlib's own): the losses against the
same sweep written out by hand in torch, that it leaves everything as it was, determinism,
early stopping, and bad input."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import torch

import nnlib
from nnlib import nn
from nnlib.data import DataLoader, TensorDataset
from nnlib.optim import SGD, Adam, lr_range_test
from tests.helpers import assert_bad_input, copy_params_to_torch

_rng = np.random.default_rng(0)
X = _rng.standard_normal((48, 4))
Y = X @ np.array([[1.0], [-2.0], [0.5], [0.0]]) + 0.1 * _rng.standard_normal((48, 1))


def make_net():
    nnlib.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1)).double()


def make_loader(**kwargs):
    return DataLoader(TensorDataset(nnlib.tensor(X), nnlib.tensor(Y)), batch_size=16, **kwargs)


def torch_sweep(net, lrs, momentum):
    """The range test written out by hand in torch: one batch per learning rate."""
    t_net = copy_params_to_torch(
        net, torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
    )
    opt = torch.optim.SGD(t_net.parameters(), lr=lrs[0], momentum=momentum)
    losses = []
    for i, lr in enumerate(lrs):
        start = 16 * (i % 3)
        x, y = torch.tensor(X[start : start + 16]), torch.tensor(Y[start : start + 16])
        for group in opt.param_groups:
            group["lr"] = lr
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(t_net(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


@pytest.mark.parametrize("mode", ["exp", "linear"])
def test_raw_losses_match_the_same_sweep_in_torch(mode):
    net = make_net()
    result = lr_range_test(
        net,
        nn.MSELoss(),
        make_loader(),
        SGD,
        1e-3,
        0.5,
        num_steps=20,
        mode=mode,
        momentum=0.9,
        diverge_threshold=1e6,
    )
    if mode == "exp":
        expected_lrs = [1e-3 * 500 ** (i / 19) for i in range(20)]
    else:
        expected_lrs = list(np.linspace(1e-3, 0.5, 20))
    np.testing.assert_allclose(result.lrs, expected_lrs, rtol=1e-12)
    theirs = torch_sweep(net, result.lrs, momentum=0.9)  # the loader is cycled (3 batches)
    np.testing.assert_allclose(result.raw_losses, theirs, rtol=1e-10, atol=1e-12)
    # The smoothed losses are the bias-corrected moving average of the raw ones.
    average = 0.0
    for i, (raw, smoothed) in enumerate(zip(result.raw_losses, result.losses, strict=True)):
        average = 0.98 * average + 0.02 * raw
        assert smoothed == pytest.approx(average / (1 - 0.98 ** (i + 1)), rel=1e-12)
    assert result.stopped_early is False


def test_it_stops_when_the_loss_diverges():
    result = lr_range_test(make_net(), nn.MSELoss(), make_loader(), SGD, 1e-3, 1e3, 60)
    assert result.stopped_early
    assert len(result.lrs) < 60
    last = result.losses[-1]
    assert not math.isfinite(last) or last > 4.0 * min(result.losses[:-1])
    assert all(v <= 4.0 * min(result.losses[: i + 1]) for i, v in enumerate(result.losses[:-1]))


def snapshot(net):
    return (
        {k: v.copy() for k, v in net.state_dict().items()},
        [None if p.grad is None else p.grad.data.copy() for p in net.parameters()],
        [m.training for m in net.modules()],
    )


def assert_same_snapshot(a, b):
    assert a[0].keys() == b[0].keys()
    for k in a[0]:
        np.testing.assert_array_equal(a[0][k], b[0][k], err_msg=k)
    for g, h in zip(a[1], b[1], strict=True):
        assert (g is None) == (h is None)
        if g is not None:
            np.testing.assert_array_equal(g, h)
    assert a[2] == b[2]


def test_the_model_optimizer_rng_and_loader_are_left_as_they_were():
    nnlib.manual_seed(1)
    net = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.Dropout(0.2), nn.Linear(8, 1))
    net.double()
    loader = make_loader(shuffle=True)
    opt = Adam(net.parameters(), lr=0.01)
    for x, y in loader:  # some real training first: Adam state, BN statistics, grads
        opt.zero_grad()
        nn.MSELoss()(net(x), y).backward()
        opt.step()
    net[2].eval()  # a mixed train/eval state must come back as it was
    before, opt_before = snapshot(net), opt.state_dict()
    epoch_before = loader.epoch
    rng_state = nnlib.random.default_generator().bit_generator.state

    result = lr_range_test(net, nn.MSELoss(), loader, opt, 1e-4, 1.0, num_steps=12)
    assert len(result.lrs) == 12  # it did train, with the given optimizer
    assert_same_snapshot(snapshot(net), before)
    opt_after = opt.state_dict()
    assert opt_after["param_groups"] == opt_before["param_groups"]
    for k, state in opt_before["state"].items():
        for name, value in state.items():
            np.testing.assert_array_equal(opt_after["state"][k][name], value)
    assert loader.epoch == epoch_before
    assert nnlib.random.default_generator().bit_generator.state == rng_state


class CountCalls(nn.Module):
    """Counts its calls in a non-persistent buffer (left out of state_dict)."""

    def __init__(self):
        super().__init__()
        self.register_buffer("calls", nnlib.zeros(1, dtype=nnlib.float64), persistent=False)

    def forward(self, x):
        self.calls.data += 1
        return x


def test_non_persistent_buffers_are_restored_too():
    nnlib.manual_seed(0)
    net = nn.Sequential(nn.Linear(4, 1), CountCalls()).double()
    lr_range_test(net, nn.MSELoss(), make_loader(), SGD, 1e-4, 1.0, num_steps=5)
    assert net[1].calls.item() == 0


def test_it_is_deterministic_even_with_dropout_and_shuffling():
    def run():
        nnlib.manual_seed(0)
        net = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.3), nn.Linear(8, 1)).double()
        return lr_range_test(net, nn.MSELoss(), make_loader(shuffle=True), SGD, 1e-4, 1.0, 25)

    a, b = run(), run()
    assert a == b


def test_a_failure_half_way_still_restores_the_model():
    net = make_net()
    before = snapshot(net)

    def loss_fn(y_hat, y):
        loss_fn.calls += 1
        if loss_fn.calls == 5:
            raise RuntimeError("boom")
        return nn.functional.mse_loss(y_hat, y)

    loss_fn.calls = 0
    with pytest.raises(RuntimeError, match="boom"):
        lr_range_test(net, loss_fn, make_loader(), SGD, 1e-3, 1.0, 10)
    assert_same_snapshot(snapshot(net), before)


def test_steepest_lr_is_in_the_falling_part():
    result = lr_range_test(make_net(), nn.MSELoss(), make_loader(), SGD, 1e-4, 10.0, 60)
    lr = result.steepest_lr()
    i = result.lrs.index(lr)
    assert result.losses[i] < result.losses[10]
    assert lr < result.lrs[int(np.argmin(result.losses))] * 10
    assert_bad_input(ValueError, "LRRangeTestResult.steepest_lr", result.steepest_lr, 30, 30)


# --- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"start_lr": 0.0}, "0 < start_lr < end_lr"),
        ({"start_lr": 1.0, "end_lr": 0.1}, "0 < start_lr < end_lr"),
        ({"end_lr": float("inf")}, "0 < start_lr < end_lr"),
        ({"end_lr": float("nan")}, "0 < start_lr < end_lr"),
        ({"num_steps": 1}, "num_steps to be an int >= 2"),
        ({"num_steps": 10.0}, "num_steps to be an int >= 2"),
        ({"mode": "log"}, "mode 'exp' or 'linear'"),
        ({"beta": 1.0}, r"beta in \[0, 1\)"),
        ({"diverge_threshold": 1.0}, "diverge_threshold > 1"),
    ],
    ids=str,
)
def test_bad_ranges_are_refused_and_change_nothing(kwargs, match):
    net = make_net()
    before = snapshot(net)
    args = {"start_lr": 1e-6, "end_lr": 1.0, "num_steps": 10, **kwargs}
    message = assert_bad_input(
        ValueError, "lr_range_test", lr_range_test, net, nn.MSELoss(), make_loader(), SGD, **args
    )
    assert re.search(match, message)
    assert_same_snapshot(snapshot(net), before)


def test_bad_types_are_refused():
    net = make_net()
    loader, loss = make_loader(), nn.MSELoss()
    assert_bad_input(TypeError, "lr_range_test", lr_range_test, net, loss, loader, SGD, "1e-6")
    opt = SGD(net.parameters(), lr=0.1)
    assert_bad_input(
        TypeError, "lr_range_test", lr_range_test, net, loss, loader, opt, momentum=0.9
    )
    assert_bad_input(TypeError, "lr_range_test", lr_range_test, [1.0], loss, loader, SGD)


def test_an_empty_loader_is_refused_and_changes_nothing():
    net = make_net()
    before = snapshot(net)
    assert_bad_input(ValueError, "lr_range_test", lr_range_test, net, nn.MSELoss(), [], SGD)
    assert_same_snapshot(snapshot(net), before)
