"""Tests of ReduceLROnPlateau and SequentialLR (nnlib.optim.lr_scheduler.plateau,
.sequential): learning-rate trajectories against torch's, checkpoints, and bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib
from nnlib.nn import Parameter
from nnlib.optim import lr_scheduler as nn_sched
from tests.helpers import assert_bad_input, first_lines_match, sgd_pair

t_sched = torch.optim.lr_scheduler
N_STEPS = 60


def assert_lrs(n_opt, t_opt):
    np.testing.assert_allclose(
        [g["lr"] for g in n_opt.param_groups],
        [g["lr"] for g in t_opt.param_groups],
        rtol=1e-12,
        atol=0,
    )


def metric_series(seed, mode, n=N_STEPS):
    """A noisy validation curve that improves, gets worse (overfits), then improves again."""
    rng = np.random.default_rng(seed)
    trend = np.concatenate(
        [np.linspace(1.0, 0.5, 15), np.linspace(0.5, 0.6, 25), np.linspace(0.55, 0.3, n - 40)]
    )
    values = trend + 0.005 * rng.standard_normal(n)
    return values if mode == "min" else 1.0 - values


PLATEAU = [
    {},
    {"patience": 0},
    {"patience": 3, "factor": 0.5},
    {"patience": 2, "cooldown": 3, "factor": 0.5},
    {"patience": 2, "threshold": 0.01, "threshold_mode": "abs"},
    {"mode": "max", "patience": 2},
    {"mode": "max", "patience": 1, "threshold_mode": "abs", "threshold": 0.001},
    {"patience": 1, "factor": 0.2, "min_lr": 1e-3},
    {"patience": 1, "factor": 0.2, "min_lr": [1e-3, 1e-4]},
    {"patience": 1, "factor": 0.9, "eps": 5e-3},
]


# --- ReduceLROnPlateau -----------------------------------------------------------------


@pytest.mark.parametrize("kwargs", PLATEAU, ids=str)
@pytest.mark.parametrize("seed", [0, 1])
def test_plateau_trajectory_matches_torch(kwargs, seed):
    t_opt, n_opt = sgd_pair()
    theirs = t_sched.ReduceLROnPlateau(t_opt, **kwargs)
    ours = nn_sched.ReduceLROnPlateau(n_opt, **kwargs)
    cuts = 0
    for value in metric_series(seed, kwargs.get("mode", "min")):
        t_opt.step()
        n_opt.step()
        before = ours.get_last_lr()
        theirs.step(value)
        ours.step(value)
        cuts += ours.get_last_lr() != before
        assert_lrs(n_opt, t_opt)
        np.testing.assert_allclose(ours.get_last_lr(), theirs.get_last_lr(), rtol=1e-12)
        for key in ("best", "num_bad_epochs", "cooldown_counter", "last_epoch"):
            assert getattr(ours, key) == getattr(theirs, key), key
    assert cuts >= 1  # the series does trigger the schedule


def test_plateau_accepts_a_tensor_metric_and_nan_counts_as_bad():
    _, opt = sgd_pair()
    ours = nn_sched.ReduceLROnPlateau(opt, patience=0)
    ours.step(nnlib.tensor(1.0))
    assert ours.best == 1.0
    ours.step(float("nan"))
    assert ours.get_last_lr() == pytest.approx([0.01, 0.002])


@pytest.mark.parametrize("kwargs", PLATEAU, ids=str)
def test_plateau_state_dict_round_trip_continues_torchs_trajectory(kwargs):
    t_opt, n_opt = sgd_pair()
    theirs = t_sched.ReduceLROnPlateau(t_opt, **kwargs)
    ours = nn_sched.ReduceLROnPlateau(n_opt, **kwargs)
    values = metric_series(3, kwargs.get("mode", "min"))
    for value in values[:25]:
        theirs.step(value)
        ours.step(value)
    saved_opt, saved = n_opt.state_dict(), ours.state_dict()
    assert "optimizer" not in saved
    _, n_opt2 = sgd_pair(lrs=(7.0, 7.0))
    ours2 = nn_sched.ReduceLROnPlateau(n_opt2, **kwargs)
    n_opt2.load_state_dict(saved_opt)
    ours2.load_state_dict(saved)
    for value in values[25:]:
        theirs.step(value)
        ours2.step(value)
        assert_lrs(n_opt2, t_opt)
        assert ours2.num_bad_epochs == theirs.num_bad_epochs


def test_plateau_epoch_argument_is_deprecated_like_torch():
    t_opt, n_opt = sgd_pair()
    theirs = t_sched.ReduceLROnPlateau(t_opt)
    ours = nn_sched.ReduceLROnPlateau(n_opt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs.step(1.0, 5)
    with pytest.warns(UserWarning, match="epoch parameter"):
        ours.step(1.0, 5)
    assert ours.last_epoch == theirs.last_epoch == 5


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0, 10), min_size=1, max_size=40), st.integers(0, 4))
def test_plateau_never_raises_the_rate_nor_goes_below_min_lr(values, patience):
    _, opt = sgd_pair(lrs=(0.1,))
    ours = nn_sched.ReduceLROnPlateau(opt, patience=patience, factor=0.5, min_lr=1e-3)
    last = 0.1
    for value in values:
        ours.step(value)
        lr = ours.get_last_lr()[0]
        assert 1e-3 <= lr <= last
        last = lr


@pytest.mark.parametrize(
    "kwargs",
    [
        {"factor": 1.0},
        {"factor": 2},
        {"mode": "maximum"},
        {"threshold_mode": "relative"},
        {"min_lr": [0.0]},
    ],
    ids=str,
)
def test_plateau_bad_arguments_have_torchs_message(kwargs):
    t_opt, n_opt = sgd_pair()
    first_lines_match(
        lambda: t_sched.ReduceLROnPlateau(t_opt, **kwargs),
        lambda: nn_sched.ReduceLROnPlateau(n_opt, **kwargs),
    )


@pytest.mark.parametrize("kwargs", [{"patience": -1}, {"cooldown": 1.5}], ids=str)
def test_plateau_bad_counts_are_refused(kwargs):
    _, opt = sgd_pair()
    assert_bad_input(ValueError, "ReduceLROnPlateau", nn_sched.ReduceLROnPlateau, opt, **kwargs)


def test_plateau_min_lrs_must_follow_new_groups_like_torch():
    t_opt, n_opt = sgd_pair()
    theirs = t_sched.ReduceLROnPlateau(t_opt, patience=0, min_lr=[0.0, 0.0])
    ours = nn_sched.ReduceLROnPlateau(n_opt, patience=0, min_lr=[0.0, 0.0])
    t_opt.add_param_group({"params": [torch.nn.Parameter(torch.zeros(1))]})
    n_opt.add_param_group({"params": [Parameter(np.zeros(1))]})
    for s in (theirs, ours):
        s.step(1.0)
    first_lines_match(lambda: theirs.step(2.0), lambda: ours.step(2.0), RuntimeError)


# --- SequentialLR ----------------------------------------------------------------------


def build_sequence(mod, opt, which):
    if which == "warmup-exp":
        inner = [mod.LinearLR(opt, start_factor=0.1, total_iters=5), mod.ExponentialLR(opt, 0.9)]
        return mod.SequentialLR(opt, inner, milestones=[5])
    if which == "three":
        inner = [
            mod.StepLR(opt, step_size=2, gamma=0.5),
            mod.CosineAnnealingLR(opt, T_max=8, eta_min=0.001),
            mod.ExponentialLR(opt, 0.95),
        ]
        return mod.SequentialLR(opt, inner, milestones=[4, 15])
    if which == "one":
        return mod.SequentialLR(opt, [mod.ExponentialLR(opt, 0.9)], milestones=[])
    if which == "lambda-cyclic":
        inner = [
            mod.LambdaLR(opt, lambda e: (e + 1) / 4),
            mod.CyclicLR(opt, 0.001, 0.1, step_size_up=3, cycle_momentum=False),
        ]
        return mod.SequentialLR(opt, inner, milestones=[3])
    inner = [  # "nested": a sequence inside a sequence
        mod.SequentialLR(
            opt,
            [mod.LinearLR(opt, 0.5, total_iters=3), mod.StepLR(opt, 3, 0.5)],
            milestones=[3],
        ),
        mod.CosineAnnealingLR(opt, T_max=10),
    ]
    return mod.SequentialLR(opt, inner, milestones=[12])


SEQUENCES = ["warmup-exp", "three", "one", "lambda-cyclic", "nested"]


@pytest.mark.filterwarnings("ignore:Detected call of `lr_scheduler.step")  # both warn (nested)
@pytest.mark.parametrize("which", SEQUENCES)
def test_sequential_trajectory_matches_torch(which):
    t_opt, n_opt = sgd_pair()
    theirs = build_sequence(t_sched, t_opt, which)
    ours = build_sequence(nn_sched, n_opt, which)
    for _ in range(N_STEPS):
        assert_lrs(n_opt, t_opt)
        np.testing.assert_allclose(ours.get_last_lr(), theirs.get_last_lr(), rtol=1e-12)
        t_opt.step()
        n_opt.step()
        theirs.step()
        ours.step()
    assert ours.last_epoch == theirs.last_epoch


@pytest.mark.filterwarnings("ignore:Detected call of `lr_scheduler.step")
@pytest.mark.parametrize("which", ["warmup-exp", "three", "nested"])
def test_sequential_state_dict_round_trip_continues_torchs_trajectory(which):
    t_opt, n_opt = sgd_pair()
    theirs = build_sequence(t_sched, t_opt, which)
    ours = build_sequence(nn_sched, n_opt, which)
    for _ in range(9):
        for o, s in ((t_opt, theirs), (n_opt, ours)):
            o.step()
            s.step()
    saved_opt, saved = n_opt.state_dict(), ours.state_dict()
    assert "optimizer" not in saved
    assert len(saved["_schedulers"]) == len(ours._schedulers)
    _, n_opt2 = sgd_pair()
    ours2 = build_sequence(nn_sched, n_opt2, which)
    n_opt2.load_state_dict(saved_opt)
    ours2.load_state_dict(saved)
    assert "_schedulers" in saved  # loading leaves the checkpoint whole
    for _ in range(N_STEPS - 9):
        t_opt.step()
        n_opt2.step()
        theirs.step()
        ours2.step()
        assert_lrs(n_opt2, t_opt)


def test_sequential_bad_arguments_have_torchs_message():
    t_opt, n_opt = sgd_pair()
    t_other, n_other = sgd_pair()
    cases = [
        (lambda m, o, o2: m.SequentialLR(o, [], milestones=[]), ValueError),
        (
            lambda m, o, o2: m.SequentialLR(o, [m.ExponentialLR(o, 0.9)], milestones=[3]),
            ValueError,
        ),
        (lambda m, o, o2: m.SequentialLR(o, [m.ReduceLROnPlateau(o)], milestones=[]), ValueError),
        (lambda m, o, o2: m.SequentialLR(o, [0.5], milestones=[]), TypeError),
    ]
    for make, exc in cases:
        first_lines_match(
            lambda make=make: make(t_sched, t_opt, t_other),
            lambda make=make: make(nn_sched, n_opt, n_other),
            exc,
        )
    with pytest.raises(ValueError, match=r"same optimizer(.|\n)*\nhelp: "):
        nn_sched.SequentialLR(n_opt, [nn_sched.ExponentialLR(n_other, 0.9)], milestones=[])
