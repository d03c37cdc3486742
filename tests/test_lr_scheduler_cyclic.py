"""Tests of CyclicLR and OneCycleLR (nnlib.optim.lr_scheduler.cyclic, .one_cycle): learning
rate and momentum trajectories against torch's, state_dict round trips, and bad input."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib
from nnlib.nn import Parameter
from nnlib.optim import SGD, Adam, RMSprop
from nnlib.optim import lr_scheduler as nn_sched
from tests.helpers import assert_bad_input, first_lines_match, param_id

t_sched = torch.optim.lr_scheduler
N_STEPS = 60


def pair(kind="sgd", lrs=(0.1, 0.02)):
    """A torch and an nnlib optimizer of the same kind, one group per learning rate."""
    t_groups = [
        {"params": [torch.nn.Parameter(torch.zeros(2, dtype=torch.float64))], "lr": lr}
        for lr in lrs
    ]
    n_groups = [{"params": [Parameter(np.zeros(2))], "lr": lr} for lr in lrs]
    if kind == "sgd":
        return torch.optim.SGD(t_groups, momentum=0.9), SGD(n_groups, momentum=0.9)
    if kind == "adam":
        return torch.optim.Adam(t_groups), Adam(n_groups)
    return torch.optim.RMSprop(t_groups), RMSprop(n_groups)


def momenta(opt):
    """Each group's momentum: ``betas[0]`` for Adam, ``momentum`` otherwise."""
    return [g["betas"][0] if "betas" in g else g["momentum"] for g in opt.param_groups]


def assert_same_state(n_opt, t_opt, ours, theirs):
    np.testing.assert_allclose(ours.get_last_lr(), theirs.get_last_lr(), rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(
        [g["lr"] for g in n_opt.param_groups], ours.get_last_lr(), rtol=0, atol=0
    )
    np.testing.assert_allclose(momenta(n_opt), momenta(t_opt), rtol=1e-10, atol=1e-15)
    if "betas" in t_opt.param_groups[0]:
        assert [g["betas"][1] for g in n_opt.param_groups] == [
            g["betas"][1] for g in t_opt.param_groups
        ]


def follow(n_opt, t_opt, ours, theirs, steps):
    """Step both optimizers and schedulers ``steps`` times, comparing before and after each.

    Returns:
        nnlib's learning rates before each step.
    """
    history = []
    for _ in range(steps):
        assert_same_state(n_opt, t_opt, ours, theirs)
        history.append(ours.get_last_lr())
        t_opt.step()
        n_opt.step()
        theirs.step()
        ours.step()
    assert_same_state(n_opt, t_opt, ours, theirs)
    return history


def run_both(name, kind, kwargs, steps=N_STEPS):
    t_opt, n_opt = pair(kind)
    theirs = getattr(t_sched, name)(t_opt, **kwargs)
    ours = getattr(nn_sched, name)(n_opt, **kwargs)
    history = follow(n_opt, t_opt, ours, theirs, steps)
    assert ours.last_epoch == theirs.last_epoch == steps
    return n_opt, ours, history


def scale_half_life(x):
    return 0.5 ** (x / 20)


class Decay:
    """A callable-object scale function: its attributes go into the state dict."""

    def __init__(self, rate):
        self.rate = rate

    def __call__(self, x):
        return self.rate**x


CYCLIC = [
    ("sgd", {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 5}),
    ("sgd", {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 4, "step_size_down": 7}),
    (
        "sgd",
        {
            "base_lr": [0.01, 0.001],
            "max_lr": [0.1, 0.05],
            "step_size_up": 3,
            "mode": "triangular2",
        },
    ),
    (
        "sgd",
        {
            "base_lr": 0.01,
            "max_lr": 0.1,
            "step_size_up": 6,
            "mode": "exp_range",
            "gamma": 0.97,
            "base_momentum": [0.7, 0.75],
            "max_momentum": 0.95,
        },
    ),
    (
        "sgd",
        {
            "base_lr": 0.01,
            "max_lr": 0.1,
            "step_size_up": 5,
            "scale_fn": scale_half_life,
            "scale_mode": "iterations",
        },
    ),
    ("sgd", {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 5, "scale_fn": Decay(0.8)}),
    ("adam", {"base_lr": 1e-4, "max_lr": 1e-2, "step_size_up": 8}),
    ("adam", {"base_lr": 1e-4, "max_lr": 1e-2, "step_size_up": 8, "cycle_momentum": False}),
    ("rmsprop", {"base_lr": 1e-3, "max_lr": 1e-2, "step_size_up": 5}),
]

ONE_CYCLE = [
    ("sgd", {"max_lr": 0.5, "total_steps": N_STEPS}),
    (
        "sgd",
        {"max_lr": [0.5, 0.1], "epochs": 6, "steps_per_epoch": 10, "anneal_strategy": "linear"},
    ),
    ("sgd", {"max_lr": 0.5, "total_steps": N_STEPS, "three_phase": True}),
    (
        "sgd",
        {
            "max_lr": 0.5,
            "total_steps": N_STEPS,
            "three_phase": True,
            "anneal_strategy": "linear",
            "pct_start": 0.25,
        },
    ),
    (
        "sgd",
        {
            "max_lr": 0.5,
            "total_steps": N_STEPS,
            "pct_start": 0.1,
            "div_factor": 10.0,
            "final_div_factor": 100.0,
            "base_momentum": [0.8, 0.7],
            "max_momentum": [0.99, 0.9],
        },
    ),
    ("adam", {"max_lr": 0.01, "total_steps": N_STEPS}),
    ("adam", {"max_lr": 0.01, "total_steps": N_STEPS, "three_phase": True}),
    ("adam", {"max_lr": 0.01, "total_steps": N_STEPS, "cycle_momentum": False}),
    ("sgd", {"max_lr": 0.5, "total_steps": N_STEPS, "pct_start": 0.0}),
    ("sgd", {"max_lr": 0.5, "total_steps": N_STEPS, "pct_start": 0.9}),
]


# --- torch parity ----------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "kwargs"), CYCLIC, ids=param_id)
def test_cyclic_lr_and_momentum_match_torch(kind, kwargs):
    run_both("CyclicLR", kind, kwargs)


@pytest.mark.parametrize(("kind", "kwargs"), ONE_CYCLE, ids=param_id)
def test_one_cycle_lr_and_momentum_match_torch(kind, kwargs):
    n_opt, ours, history = run_both("OneCycleLR", kind, kwargs)
    div = kwargs.get("div_factor", 25)
    for group in n_opt.param_groups:
        assert group["initial_lr"] == pytest.approx(group["max_lr"] / div)
    # Step total_steps - 1 reaches min_lr; PyTorch allows one step more, then refuses.
    np.testing.assert_allclose(history[-1], [g["min_lr"] for g in n_opt.param_groups])
    with pytest.raises(ValueError, match=r"^Tried to step 61 times(.|\n)*\nhelp: "):
        ours.step()


def test_one_cycle_starts_low_peaks_at_max_lr_and_ends_far_below():
    _, opt = pair(lrs=(0.1,))
    scheduler = nn_sched.OneCycleLR(opt, max_lr=1.0, total_steps=100)
    lrs = []
    for _ in range(100):
        lrs.append(scheduler.get_last_lr()[0])
        opt.step()
        scheduler.step()
    assert lrs[0] == pytest.approx(1.0 / 25)
    assert max(lrs) == pytest.approx(1.0) and int(np.argmax(lrs)) == 29
    assert lrs[-1] == pytest.approx(1.0 / 25 / 1e4)
    assert all(a >= b for a, b in itertools.pairwise(lrs[29:]))  # monotone anneal


def _grads(params, rng):
    for p in params:
        g = rng.standard_normal(2)
        if isinstance(p, torch.Tensor):
            p.grad = torch.tensor(g)
        else:
            p.grad = nnlib.tensor(g)


@pytest.mark.parametrize(
    ("kind", "name", "kwargs"),
    [
        ("adam", "OneCycleLR", {"max_lr": 0.05, "total_steps": 50}),
        ("sgd", "OneCycleLR", {"max_lr": 0.05, "total_steps": 50, "three_phase": True}),
        ("sgd", "CyclicLR", {"base_lr": 0.001, "max_lr": 0.05, "step_size_up": 6}),
        ("adam", "CyclicLR", {"base_lr": 0.001, "max_lr": 0.05, "step_size_up": 6}),
    ],
)
def test_parameters_follow_torch_when_momentum_cycles(kind, name, kwargs):
    # The optimizer must read the cycled momentum (and Adam's beta1) at every step.
    t_opt, n_opt = pair(kind)
    theirs = getattr(t_sched, name)(t_opt, **kwargs)
    ours = getattr(nn_sched, name)(n_opt, **kwargs)
    t_params = [p for g in t_opt.param_groups for p in g["params"]]
    n_params = [p for g in n_opt.param_groups for p in g["params"]]
    rng_t, rng_n = np.random.default_rng(1), np.random.default_rng(1)
    for _ in range(50):
        _grads(t_params, rng_t)
        _grads(n_params, rng_n)
        t_opt.step()
        n_opt.step()
        theirs.step()
        ours.step()
        for p, q in zip(n_params, t_params, strict=True):
            np.testing.assert_allclose(p.data, q.detach().numpy(), rtol=1e-10, atol=1e-12)


# --- checkpoints -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind", "kwargs"),
    [("CyclicLR", *c) for c in CYCLIC] + [("OneCycleLR", *c) for c in ONE_CYCLE],
    ids=param_id,
)
def test_state_dict_round_trip_continues_torchs_trajectory(name, kind, kwargs):
    t_opt, n_opt = pair(kind)
    theirs = getattr(t_sched, name)(t_opt, **kwargs)
    ours = getattr(nn_sched, name)(n_opt, **kwargs)
    for _ in range(23):
        for o, s in ((t_opt, theirs), (n_opt, ours)):
            o.step()
            s.step()
    saved_opt, saved_sched = n_opt.state_dict(), ours.state_dict()
    assert "optimizer" not in saved_sched
    _, n_opt2 = pair(kind, lrs=(3.0, 3.0))
    ours2 = getattr(nn_sched, name)(n_opt2, **kwargs)  # then load both, as in PyTorch
    n_opt2.load_state_dict(saved_opt)
    ours2.load_state_dict(saved_sched)
    if isinstance(kwargs.get("scale_fn"), Decay):
        assert saved_sched["_scale_fn_custom"] == {"rate": 0.8}
    follow(n_opt2, t_opt, ours2, theirs, N_STEPS - 23)


def test_a_callable_scale_fn_gets_its_attributes_back():
    _, opt = pair()
    ours = nn_sched.CyclicLR(opt, 0.01, 0.1, step_size_up=3, scale_fn=Decay(0.5))
    saved = ours.state_dict()
    _, opt2 = pair()
    ours2 = nn_sched.CyclicLR(opt2, 0.01, 0.1, step_size_up=3, scale_fn=Decay(0.9))
    ours2.load_state_dict(saved)
    assert ours2._scale_fn_custom.rate == 0.5
    assert saved["_scale_fn_custom"] == {"rate": 0.5}  # loading leaves the dict whole


# --- properties ------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 12), st.integers(1, 12), st.integers(0, 80))
def test_triangular_stays_between_the_bounds_and_is_periodic(up, down, t):
    _, opt = pair(lrs=(0.1,))
    scheduler = nn_sched.CyclicLR(opt, 0.01, 0.1, step_size_up=up, step_size_down=down)
    lrs = []
    for _ in range(t + up + down + 1):
        lrs.append(scheduler.get_last_lr()[0])
        opt.step()
        scheduler.step()
    assert all(0.01 - 1e-12 <= lr <= 0.1 + 1e-12 for lr in lrs)
    assert lrs[t] == pytest.approx(lrs[t + up + down], abs=1e-12)


# --- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind", "kwargs"),
    [
        ("CyclicLR", "sgd", {"base_lr": 0.1, "max_lr": 1.0, "mode": "square"}),
        ("CyclicLR", "sgd", {"base_lr": [0.1], "max_lr": 1.0}),
        ("CyclicLR", "sgd", {"base_lr": 0.1, "max_lr": 1.0, "max_momentum": [0.9] * 3}),
        ("OneCycleLR", "sgd", {"max_lr": 1.0}),
        ("OneCycleLR", "sgd", {"max_lr": 1.0, "epochs": 3}),
        ("OneCycleLR", "sgd", {"max_lr": 1.0, "total_steps": 0}),
        ("OneCycleLR", "sgd", {"max_lr": 1.0, "total_steps": 2.5}),
        ("OneCycleLR", "sgd", {"max_lr": 1.0, "epochs": -1, "steps_per_epoch": 5}),
        ("OneCycleLR", "sgd", {"max_lr": 1.0, "epochs": 2, "steps_per_epoch": 0}),
        ("OneCycleLR", "sgd", {"max_lr": 1.0, "total_steps": 10, "pct_start": 1.5}),
        ("OneCycleLR", "sgd", {"max_lr": 1.0, "total_steps": 10, "pct_start": 0}),
        ("OneCycleLR", "sgd", {"max_lr": 1.0, "total_steps": 10, "anneal_strategy": "exp"}),
        ("OneCycleLR", "sgd", {"max_lr": [1.0], "total_steps": 10}),
    ],
    ids=param_id,
)
def test_bad_arguments_have_torchs_message_and_a_hint(name, kind, kwargs):
    t_opt, n_opt = pair(kind)
    first_lines_match(
        lambda: getattr(t_sched, name)(t_opt, **kwargs),
        lambda: getattr(nn_sched, name)(n_opt, **kwargs),
    )


@pytest.mark.parametrize("name", ["CyclicLR", "OneCycleLR"])
def test_cycling_momentum_needs_an_optimizer_with_momentum(name):
    class Plain(torch.optim.Optimizer):
        def __init__(self, params):
            super().__init__(params, {"lr": 0.1})

    class NPlain(SGD):
        def __init__(self, params):
            super().__init__(params, lr=0.1)
            self.defaults = {"lr": 0.1}

    args = (0.01, 0.1) if name == "CyclicLR" else (0.1, 10)
    t_opt = Plain([torch.nn.Parameter(torch.zeros(1))])
    n_opt = NPlain([Parameter(np.zeros(1))])
    first_lines_match(
        lambda: getattr(t_sched, name)(t_opt, *args),
        lambda: getattr(nn_sched, name)(n_opt, *args),
    )
    getattr(nn_sched, name)(n_opt, *args, cycle_momentum=False)  # fine without cycling


def test_a_zero_length_phase_is_refused_where_torch_divides_by_zero():
    _, opt = pair()
    message = assert_bad_input(
        ValueError, "OneCycleLR", nn_sched.OneCycleLR, opt, 1.0, total_steps=10, pct_start=0.1
    )
    assert "at least one step" in message
    with pytest.raises(ZeroDivisionError):  # what torch does on the first step
        t_sched.OneCycleLR(pair()[0], 1.0, total_steps=10, pct_start=0.1)
    # pct_start=1.0 leaves the last phase empty: fine until the final step, as in torch.
    _, opt = pair()
    ours = nn_sched.OneCycleLR(opt, 1.0, total_steps=10, pct_start=1.0)
    for _ in range(9):
        opt.step()
        ours.step()
    assert ours.get_last_lr() == [1.0, 1.0]
    assert_bad_input(ValueError, "OneCycleLR", ours.step)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"step_size_up": 0},
        {"step_size_down": -2},
        {"scale_mode": "epochs", "scale_fn": scale_half_life},
    ],
)
def test_cyclic_bad_step_sizes_and_scale_mode(kwargs):
    _, opt = pair()
    assert_bad_input(ValueError, "CyclicLR", nn_sched.CyclicLR, opt, 0.01, 0.1, **kwargs)
    assert opt.param_groups[0]["lr"] == 0.1  # refused before touching the optimizer


def test_a_non_optimizer_is_refused():
    for make in (
        lambda: nn_sched.CyclicLR([Parameter(np.zeros(1))], 0.01, 0.1),
        lambda: nn_sched.OneCycleLR([Parameter(np.zeros(1))], 0.1, 10),
    ):
        with pytest.raises(TypeError, match=r"^list is not an Optimizer\nhelp: "):
            make()


@pytest.mark.parametrize(
    ("name", "kind", "kwargs"),
    [
        ("OneCycleLR", "sgd", {"max_lr": 0.5, "total_steps": N_STEPS}),
        ("OneCycleLR", "adam", {"max_lr": 0.01, "total_steps": N_STEPS, "three_phase": True}),
        ("CyclicLR", "sgd", {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 4}),
        ("CyclicLR", "adam", {"base_lr": 1e-4, "max_lr": 1e-2, "step_size_up": 8}),
    ],
    ids=param_id,
)
def test_resuming_with_last_epoch_matches_torch(name, kind, kwargs):
    # PyTorch's resume pattern: rebuild the scheduler on the optimizer with last_epoch=k.
    t_opt, n_opt = pair(kind)
    for opt, mod in ((t_opt, t_sched), (n_opt, nn_sched)):
        scheduler = getattr(mod, name)(opt, **kwargs)
        for _ in range(10):
            opt.step()
            scheduler.step()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        theirs = getattr(t_sched, name)(t_opt, **kwargs, last_epoch=10)
    ours = getattr(nn_sched, name)(n_opt, **kwargs, last_epoch=10)
    follow(n_opt, t_opt, ours, theirs, N_STEPS - 12)
