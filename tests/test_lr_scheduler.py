"""Tests of nnlib.optim.lr_scheduler: learning-rate trajectories against torch's, resuming,
the interplay with an optimizer, and bad input."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib
from nnlib.nn import Parameter
from nnlib.optim import SGD, Adam
from nnlib.optim import lr_scheduler as nn_sched
from tests.helpers import assert_bad_input, first_lines_match, param_id, sgd_pair

t_sched = torch.optim.lr_scheduler


def halve_every_third(epoch):
    return 0.5 ** (epoch // 3)


def inverse(epoch):
    return 1.0 / (1 + epoch)


CONFIGS = [
    ("StepLR", {"step_size": 3, "gamma": 0.5}),
    ("StepLR", {"step_size": 1}),
    ("ExponentialLR", {"gamma": 0.9}),
    ("ExponentialLR", {"gamma": 1.05}),
    ("LambdaLR", {"lr_lambda": halve_every_third}),
    ("LambdaLR", {"lr_lambda": [inverse, halve_every_third]}),
    ("CosineAnnealingLR", {"T_max": 10}),
    ("CosineAnnealingLR", {"T_max": 7, "eta_min": 0.001}),
    ("CosineAnnealingLR", {"T_max": 1, "eta_min": 0.01}),
    ("LinearLR", {}),
    ("LinearLR", {"start_factor": 0.5, "end_factor": 0.1, "total_iters": 4}),
    ("LinearLR", {"start_factor": 1.0, "end_factor": 0.0, "total_iters": 10}),
]
N_STEPS = 40  # at least 3 × T_max for every cosine schedule above


def assert_lrs_close(ours, theirs):
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-15)


# --- torch parity ----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "kwargs"), CONFIGS, ids=param_id)
def test_lr_trajectory_matches_torch(name, kwargs):
    t_opt, n_opt = sgd_pair()
    theirs = getattr(t_sched, name)(t_opt, **kwargs)
    ours = getattr(nn_sched, name)(n_opt, **kwargs)
    for _ in range(N_STEPS):
        assert_lrs_close(ours.get_last_lr(), theirs.get_last_lr())
        assert_lrs_close([g["lr"] for g in n_opt.param_groups], ours.get_last_lr())
        t_opt.step()
        n_opt.step()
        theirs.step()
        ours.step()
    assert ours.last_epoch == theirs.last_epoch == N_STEPS
    assert ours.base_lrs == theirs.base_lrs == [0.1, 0.02]
    assert [g["initial_lr"] for g in n_opt.param_groups] == [0.1, 0.02]


@pytest.mark.parametrize(("name", "kwargs"), CONFIGS, ids=param_id)
def test_step_with_an_epoch_uses_the_closed_form_like_torch(name, kwargs):
    t_opt, n_opt = sgd_pair()
    theirs = getattr(t_sched, name)(t_opt, **kwargs)
    ours = getattr(nn_sched, name)(n_opt, **kwargs)
    for epoch in (3, 7, 2, 12, 25):
        t_opt.step()
        n_opt.step()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            theirs.step(epoch)
        with pytest.warns(UserWarning, match="epoch parameter"):
            ours.step(epoch)
        assert_lrs_close(ours.get_last_lr(), theirs.get_last_lr())


def test_cosine_matches_the_closed_form_over_three_periods():
    _, n_opt = sgd_pair(lrs=(0.1,))
    scheduler = nn_sched.CosineAnnealingLR(n_opt, T_max=12, eta_min=0.001)
    for t in range(3 * 12 + 1):
        expected = 0.001 + (0.1 - 0.001) * (1 + math.cos(math.pi * t / 12)) / 2
        assert scheduler.get_last_lr()[0] == pytest.approx(expected, rel=1e-10)
        n_opt.step()
        scheduler.step()


def test_chained_schedulers_match_torch():
    # Recursive schedules compose when two of them drive the same optimizer.
    t_opt, n_opt = sgd_pair()
    theirs = [t_sched.ExponentialLR(t_opt, 0.95), t_sched.StepLR(t_opt, 4, 0.5)]
    ours = [nn_sched.ExponentialLR(n_opt, 0.95), nn_sched.StepLR(n_opt, 4, 0.5)]
    for _ in range(N_STEPS):
        t_opt.step()
        n_opt.step()
        for a, b in zip(theirs, ours, strict=True):
            a.step()
            b.step()
        assert_lrs_close(
            [g["lr"] for g in n_opt.param_groups], [g["lr"] for g in t_opt.param_groups]
        )


# --- with a real optimizer -----------------------------------------------------------

_rng = np.random.default_rng(0)
X = torch.tensor(_rng.standard_normal((16, 3)))
Y = torch.tensor(_rng.standard_normal((16, 1)))
INIT = [_rng.standard_normal(s) for s in [(4, 3), (4,), (1, 4), (1,)]]


def mlp_grads(arrays):
    w1, b1, w2, b2 = (torch.tensor(a, requires_grad=True) for a in arrays)
    loss = ((torch.tanh(X @ w1.T + b1) @ w2.T + b2 - Y) ** 2).mean()
    loss.backward()
    return [t.grad.numpy().copy() for t in (w1, b1, w2, b2)]


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [("CosineAnnealingLR", {"T_max": 20}), ("StepLR", {"step_size": 10}), ("LinearLR", {})],
)
def test_adam_with_a_scheduler_matches_torch(name, kwargs):
    t_params = [torch.nn.Parameter(torch.tensor(a)) for a in INIT]
    n_params = [Parameter(a.copy()) for a in INIT]
    t_opt = torch.optim.Adam([{"params": t_params[:2]}, {"params": t_params[2:], "lr": 0.03}])
    n_opt = Adam([{"params": n_params[:2]}, {"params": n_params[2:], "lr": 0.03}])
    theirs = getattr(t_sched, name)(t_opt, **kwargs)
    ours = getattr(nn_sched, name)(n_opt, **kwargs)
    for _ in range(60):
        for params in (t_params, n_params):
            arrays = [
                p.detach().numpy() if isinstance(p, torch.Tensor) else p.data for p in params
            ]
            for p, g in zip(params, mlp_grads(arrays), strict=True):
                p.grad = torch.tensor(g) if isinstance(p, torch.Tensor) else nnlib.tensor(g)
        t_opt.step()
        n_opt.step()
        theirs.step()
        ours.step()
        for p, q in zip(n_params, t_params, strict=True):
            np.testing.assert_allclose(p.data, q.detach().numpy(), rtol=1e-10, atol=1e-10)


# --- checkpoints -----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "kwargs"), CONFIGS, ids=param_id)
def test_resuming_from_state_dicts_continues_the_schedule(name, kwargs):
    _, opt = sgd_pair()
    scheduler = getattr(nn_sched, name)(opt, **kwargs)
    for _ in range(13):
        opt.step()
        scheduler.step()
    saved_opt, saved_sched = opt.state_dict(), scheduler.state_dict()
    assert "optimizer" not in saved_sched
    expected = []
    for _ in range(20):
        opt.step()
        scheduler.step()
        expected.append(scheduler.get_last_lr())

    _, opt2 = sgd_pair(lrs=(5.0, 5.0))
    scheduler2 = getattr(nn_sched, name)(opt2, **kwargs)  # before loading the optimizer
    opt2.load_state_dict(saved_opt)
    scheduler2.load_state_dict(saved_sched)
    for lrs in expected:
        opt2.step()
        scheduler2.step()
        assert scheduler2.get_last_lr() == lrs


def test_resuming_with_last_epoch_matches_torch():
    t_opt, n_opt = sgd_pair()
    for opt, mod in ((t_opt, t_sched), (n_opt, nn_sched)):
        mod.CosineAnnealingLR(opt, T_max=10)
    theirs = t_sched.CosineAnnealingLR(t_opt, T_max=10, last_epoch=4)
    ours = nn_sched.CosineAnnealingLR(n_opt, T_max=10, last_epoch=4)
    for _ in range(12):
        assert_lrs_close(ours.get_last_lr(), theirs.get_last_lr())
        t_opt.step()
        n_opt.step()
        theirs.step()
        ours.step()


class Warmup:
    """A callable object: its attributes are saved by LambdaLR.state_dict."""

    def __init__(self, epochs):
        self.epochs = epochs

    def __call__(self, epoch):
        return min(1.0, (epoch + 1) / self.epochs)


def test_lambda_state_dict_saves_callable_objects_only():
    _, opt = sgd_pair()
    scheduler = nn_sched.LambdaLR(opt, [Warmup(7), inverse])
    saved = scheduler.state_dict()
    assert saved["lr_lambdas"] == [{"epochs": 7}, None]
    _, opt2 = sgd_pair()
    scheduler2 = nn_sched.LambdaLR(opt2, [Warmup(3), inverse])
    scheduler2.load_state_dict(saved)
    assert scheduler2.lr_lambdas[0].epochs == 7
    assert "lr_lambdas" in saved  # loading leaves the checkpoint whole


# --- bookkeeping and warnings ----------------------------------------------------------


def test_get_last_lr_is_a_copy():
    _, opt = sgd_pair()
    scheduler = nn_sched.StepLR(opt, step_size=2)
    scheduler.get_last_lr()[0] = 123.0
    assert scheduler.get_last_lr() == [0.1, 0.02]
    assert opt.param_groups[0]["lr"] == 0.1


def test_stepping_the_scheduler_first_warns_like_torch():
    _, opt = sgd_pair()
    scheduler = nn_sched.ExponentialLR(opt, gamma=0.5)
    with pytest.warns(UserWarning, match=r"lr_scheduler.step\(\)` before `optimizer.step\(\)"):
        scheduler.step()


def test_the_right_order_does_not_warn():
    _, opt = sgd_pair()
    scheduler = nn_sched.ExponentialLR(opt, gamma=0.5)
    scheduler2 = nn_sched.StepLR(opt, step_size=2)  # wraps optimizer.step only once
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(3):
            opt.step()
            scheduler.step()
            scheduler2.step()
    assert opt.step.__wrapped__ is SGD.step


def test_record_lrs_is_the_training_loop_of_one_group():
    def make(opt):
        return nn_sched.CosineAnnealingLR(opt, T_max=4, eta_min=0.01)

    opt = SGD([Parameter(np.zeros(1))], lr=0.3)
    scheduler = make(opt)
    expected = []
    for _ in range(7):
        expected.append(opt.param_groups[0]["lr"])
        opt.step()
        scheduler.step()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # it steps the optimizer first, as it should
        assert nn_sched.record_lrs(make, steps=7, lr=0.3) == expected


# --- bad input -------------------------------------------------------------------------


def test_a_non_optimizer_is_refused():
    with pytest.raises(TypeError, match=r"^list is not an Optimizer\nhelp: "):
        nn_sched.StepLR([Parameter(np.zeros(1))], step_size=2)


def test_resuming_without_initial_lr_is_refused():
    _, opt = sgd_pair()
    with pytest.raises(KeyError, match=r"initial_lr(.|\n)*help: "):
        nn_sched.StepLR(opt, step_size=2, last_epoch=3)


@pytest.mark.parametrize(
    "kwargs", [{"start_factor": 0}, {"start_factor": 1.5}, {"end_factor": -0.1}, {"end_factor": 2}]
)
def test_linear_lr_bad_factors_have_torchs_message(kwargs):
    t_opt, n_opt = sgd_pair()
    first_lines_match(
        lambda: t_sched.LinearLR(t_opt, **kwargs), lambda: nn_sched.LinearLR(n_opt, **kwargs)
    )


def test_lambda_lr_needs_one_function_per_group():
    t_opt, n_opt = sgd_pair()
    first_lines_match(
        lambda: t_sched.LambdaLR(t_opt, [inverse]), lambda: nn_sched.LambdaLR(n_opt, [inverse])
    )


@pytest.mark.parametrize("steps", [0, -1, 2.5, True])
def test_record_lrs_needs_a_positive_count(steps):
    assert_bad_input(
        ValueError, "record_lrs", nn_sched.record_lrs, lambda o: nn_sched.StepLR(o, 2), steps
    )


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda o: nn_sched.StepLR(o, step_size=0), "step_size to be a positive int, got 0"),
        (lambda o: nn_sched.StepLR(o, step_size=2.5), "step_size to be a positive int"),
        (lambda o: nn_sched.StepLR(o, step_size=2, gamma=-1), "gamma >= 0, got -1"),
        (lambda o: nn_sched.ExponentialLR(o, gamma=float("nan")), "gamma >= 0, got nan"),
        (lambda o: nn_sched.CosineAnnealingLR(o, T_max=0), "T_max to be a positive int"),
        (lambda o: nn_sched.CosineAnnealingLR(o, 5, eta_min=-1.0), "eta_min >= 0"),
        (lambda o: nn_sched.LinearLR(o, total_iters=0), "total_iters to be a positive int"),
    ],
)
def test_bad_counts_and_factors_are_refused(make, match):
    _, opt = sgd_pair()
    with pytest.raises(ValueError, match=match) as err:
        make(opt)
    assert "\nhelp: " in str(err.value)
    assert opt.param_groups[0]["lr"] == 0.1


# --- properties ------------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(st.floats(0.5, 1.0), st.integers(1, 60), st.floats(1e-4, 1.0))
def test_exponential_lr_is_lr_times_gamma_to_the_t(gamma, steps, lr):
    _, opt = sgd_pair(lrs=(lr,))
    scheduler = nn_sched.ExponentialLR(opt, gamma)
    for _ in range(steps):
        opt.step()
        scheduler.step()
    assert scheduler.get_last_lr()[0] == pytest.approx(lr * gamma**steps, rel=1e-12)


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 30), st.floats(0, 0.05), st.integers(0, 90))
def test_cosine_recursion_follows_the_closed_form(T_max, eta_min, steps):
    _, opt = sgd_pair(lrs=(0.1,))
    scheduler = nn_sched.CosineAnnealingLR(opt, T_max=T_max, eta_min=eta_min)
    for _ in range(steps):
        opt.step()
        scheduler.step()
    expected = eta_min + (0.1 - eta_min) * (1 + math.cos(math.pi * steps / T_max)) / 2
    assert scheduler.get_last_lr()[0] == pytest.approx(expected, rel=1e-9, abs=1e-14)
