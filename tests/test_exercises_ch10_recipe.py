"""Chapter 10's checkers: the right answer passes, each usual mistake is rejected with its
own hint, a stub is "not attempted", a crash is summarised without raising, and two runs
print the same text (the shared checker battery of tests/helpers.py on this file's table).
Also: other correct styles pass, the reference matches PyTorch, and a learner who left global
state changed still gets a verdict."""

import math
import warnings

import numpy as np
import pytest

import nnlib
from nnlib import nn, optim
from nnlib.exercises import (
    check_batches,
    check_fit_linear,
    check_initial_losses,
    check_log_uniform,
)
from nnlib.exercises.ch10 import (
    _BATCHES,
    _FIT,
    _INITIAL_LOSSES,
    _LOG_UNIFORM,
    _batches_reference,
    _fit_cases,
    _softmax_regression,
)
from nnlib.nn import functional as F
from tests.helpers import CheckerBattery


# ------------------------------------------------------------------ initial losses
def initial_right(class_counts):
    p = class_counts / class_counts.sum()
    return np.log(len(p)), -(p * np.log(p)).sum()


def initial_loop(class_counts):  # another style: plain Python
    total = sum(class_counts)
    entropy = 0.0
    for count in class_counts:
        entropy -= count / total * math.log(count / total)
    return math.log(len(class_counts)), entropy


# --------------------------------------------------------------------- fit_linear
def fit_template(X, y, lr, num_steps, where="start", record="before"):
    model = nn.Linear(X.shape[1], int(y.max()) + 1).double()
    nn.init.zeros_(model.weight)
    nn.init.zeros_(model.bias)
    opt = optim.SGD(model.parameters(), lr=lr)
    X, y = nnlib.tensor(X), nnlib.tensor(y)
    if where == "once":
        opt.zero_grad()
    costs = []
    for _step in range(num_steps):
        if where == "start":
            opt.zero_grad()
        loss = F.cross_entropy(model(X), y)
        loss.backward()
        if where == "between":
            opt.zero_grad()
        opt.step()
        if where == "end":
            opt.zero_grad()
        if record == "after":
            with nnlib.no_grad():
                costs.append(F.cross_entropy(model(X), y).item())
        else:
            costs.append(loss.item())
    return costs


def fit_right(X, y, lr, n):
    return fit_template(X, y, lr, n)


def fit_model_zero_grad(X, y, lr, num_steps):  # another style: model.zero_grad()
    model = nn.Linear(X.shape[1], int(y.max()) + 1).double()
    nn.init.zeros_(model.weight)
    nn.init.zeros_(model.bias)
    opt = optim.SGD(model.parameters(), lr=lr)
    X, y = nnlib.tensor(X), nnlib.tensor(y)
    costs = []
    for _step in range(num_steps):
        model.zero_grad()
        loss = F.cross_entropy(model(X), y)
        loss.backward()
        opt.step()
        costs.append(loss.item())
    return np.array(costs)


# ------------------------------------------------------------------------ batches
def batches_right(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    return [
        (X[order[i : i + batch_size]], y[order[i : i + batch_size]])
        for i in range(0, len(X), batch_size)
    ]


def cut(X, y, batch_size):
    return [(X[i : i + batch_size], y[i : i + batch_size]) for i in range(0, len(X), batch_size)]


def batches_two_permutations(X, y, batch_size, rng):  # the exercise's loop, unrepaired
    X = X[rng.permutation(len(X))]
    y = y[rng.permutation(len(y))]
    return cut(X, y, batch_size)


def batches_shuffle_copies(X, y, batch_size, rng):  # rng.shuffle twice, on copies
    X, y = X.copy(), y.copy()
    rng.shuffle(X)
    rng.shuffle(y)
    return cut(X, y, batch_size)


def batches_permute_arrays(X, y, batch_size, rng):  # rng.permutation on the arrays themselves
    return cut(rng.permutation(X), rng.permutation(y), batch_size)


def batches_only_x(X, y, batch_size, rng):
    return cut(X[rng.permutation(len(X))], y, batch_size)


def batches_only_y(X, y, batch_size, rng):
    return cut(X, y[rng.permutation(len(y))], batch_size)


def batches_zip_then_unzip(X, y, batch_size, rng):  # pairs shuffled, then X re-read unshuffled
    pairs = list(zip(X, y, strict=True))
    order = rng.permutation(len(pairs))
    ys = np.array([pairs[k][1] for k in order])
    return cut(X, ys, batch_size)


def batches_choice(X, y, batch_size, rng):  # with replacement
    order = rng.choice(len(X), len(X))
    return cut(X[order], y[order], batch_size)


def batches_integers(X, y, batch_size, rng):
    order = rng.integers(0, len(X), len(X))
    return cut(X[order], y[order], batch_size)


def batches_drop_last(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    return [
        (
            X[order[k * batch_size : (k + 1) * batch_size]],
            y[order[k * batch_size : (k + 1) * batch_size]],
        )
        for k in range(len(X) // batch_size)
    ]


def batches_short_slice(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    return [
        (X[order[i : i + batch_size - 1]], y[order[i : i + batch_size - 1]])
        for i in range(0, len(X), batch_size)
    ]


def batches_no_shuffle(X, y, batch_size, rng):
    return cut(X, y, batch_size)


def batches_fixed_seed(X, y, batch_size, rng):
    order = np.random.default_rng(0).permutation(len(X))
    return cut(X[order], y[order], batch_size)


def batches_global_numpy(X, y, batch_size, rng):
    order = np.random.permutation(len(X))  # noqa: NPY002 (the learner's mistake)
    return cut(X[order], y[order], batch_size)


def batches_in_place(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    X[:] = X[order]
    y[:] = y[order]
    return cut(X, y, batch_size)


def batches_generator(X, y, batch_size, rng):  # another style: a generator, as a loader is
    order = rng.permutation(len(X))
    for i in range(0, len(X), batch_size):
        yield X[order[i : i + batch_size]], y[order[i : i + batch_size]]


def batches_argsort(X, y, batch_size, rng):  # another style: argsort of random keys
    order = np.argsort(rng.random(len(X)))
    return cut(X[order], y[order], batch_size)


def batches_choice_without_replacement(X, y, batch_size, rng):  # another correct draw
    order = rng.choice(len(X), len(X), replace=False)
    return cut(X[order], y[order], batch_size)


def batches_tensors(X, y, batch_size, rng):  # another style: tensors, via nnlib
    order = rng.permutation(len(X))
    Xt, yt = nnlib.tensor(X[order]), nnlib.tensor(y[order])
    return [(Xt[i : i + batch_size], yt[i : i + batch_size]) for i in range(0, len(X), batch_size)]


# --------------------------------------------------------------------- log_uniform
def log_uniform_right(rng, low, high, size):
    return np.exp(rng.uniform(np.log(low), np.log(high), size))


def log_uniform_global(rng, low, high, size):
    return np.exp(np.random.default_rng(12345).uniform(np.log(low), np.log(high), size))


BATTERY = {
    _INITIAL_LOSSES: (check_initial_losses, initial_right, [
        (lambda c: (np.log10(len(c)), -(c / c.sum() * np.log10(c / c.sum())).sum()),
         "natural logarithm"),
        (lambda c: (np.log2(len(c)), -(c / c.sum() * np.log2(c / c.sum())).sum()), "log2"),
        (lambda c: (-np.log(len(c)), (c / c.sum() * np.log(c / c.sum())).sum()), "positive"),
        (lambda c: (1 / len(c), 1 / len(c)), "not the probability"),
        (lambda c: (np.log(len(c)), np.log(len(c))), "the entropy"),
        (lambda c: (np.log(len(c)), -np.log(c / c.sum()).mean()), "weight each class"),
        (lambda c: (np.log(len(c)), -(c * np.log(c)).sum()), "frequencies first"),
        (lambda c: (np.log(c.sum()), initial_right(c)[1]), "number of classes"),
        (lambda c: initial_right(c)[::-1], "swapped"),
        (lambda c: (np.log(len(c)), -np.log(c / c.sum()).sum()), "weight each class"),
    ]),
    _FIT: (check_fit_linear, fit_right, [
        (lambda X, y, lr, n: fit_template(X, y, lr, n, where="never"), "still accumulate"),
        (lambda X, y, lr, n: fit_template(X, y, lr, n, where="once"), "still accumulate"),
        (lambda X, y, lr, n: fit_template(X, y, lr, n, where="between"), "between"),
        (lambda X, y, lr, n: fit_template(X, y, lr, n, record="after"), "before opt.step()"),
        (lambda X, y, lr, n: fit_template(X, y, lr, n)[-1], "one loss per step"),
        (lambda X, y, lr, n: _softmax_regression(X, y, lr, n, "accumulate"), "still accumulate"),
        (lambda X, y, lr, n: fit_template(X, y, lr, n - 1), "one loss per step"),
    ]),
    _BATCHES: (check_batches, batches_right, [
        (batches_two_permutations, "move together"),
        (batches_shuffle_copies, "move together"),
        (batches_permute_arrays, "move together"),
        (batches_only_x, "move together"),
        (batches_only_y, "move together"),
        (batches_zip_then_unzip, "move together"),
        (batches_choice, "WITH replacement"),
        (batches_integers, "WITH replacement"),
        (batches_drop_last, "last, smaller batch"),
        (batches_short_slice, "batch_size - 1"),
        (batches_no_shuffle, "original order"),
        (batches_fixed_seed, "every epoch gets the same order"),
        (batches_global_numpy, "not from np.random"),
        (batches_in_place, "changed its input"),
    ]),
    _LOG_UNIFORM: (check_log_uniform, log_uniform_right, [
        (lambda r, lo, hi, n: r.uniform(lo, hi, n), "linear scale"),
        (lambda r, lo, hi, n: r.uniform(np.log(lo), np.log(hi), n), "returned the exponents"),
        (lambda r, lo, hi, n: r.uniform(np.log10(lo), np.log10(hi), n), "base-10 exponents"),
        (lambda r, lo, hi, n: np.exp(r.uniform(np.log10(lo), np.log10(hi), n)), "mixed bases"),
        (lambda r, lo, hi, n: 10 ** r.uniform(np.log(lo), np.log(hi), n), "mixed bases"),
        (lambda r, lo, hi, n: float(np.exp(r.uniform(np.log(lo), np.log(hi)))), "`size` values"),
        (log_uniform_global, "generator you were given"),
        (lambda r, lo, hi, n: np.sort(log_uniform_right(r, lo, hi, n)), "do not sort"),
        (lambda r, lo, hi, n: np.logspace(np.log10(lo), np.log10(hi), n), "evenly spaced"),
    ]),
}  # fmt: skip


class TestChapter10Checkers(CheckerBattery):
    BATTERY = BATTERY


@pytest.mark.parametrize(
    ("check", "fn"),
    [
        (check_initial_losses, initial_loop),
        (check_fit_linear, fit_model_zero_grad),
        (check_batches, batches_generator),
        (check_batches, batches_argsort),
        (check_batches, batches_tensors),
        (check_batches, batches_choice_without_replacement),
        (check_fit_linear, lambda X, y, lr, n: fit_template(X, y, lr, n, where="end")),
        (check_log_uniform, lambda r, lo, hi, n: lo * (hi / lo) ** r.random(n)),
        (check_log_uniform, lambda r, lo, hi, n: 10 ** r.uniform(np.log10(lo), np.log10(hi), n)),
    ],
)
def test_other_correct_styles_pass(check, fn, capsys):
    check(fn)
    assert capsys.readouterr().out.startswith("✓"), fn


def test_the_buggy_loop_of_the_exercise_goes_up_only_where_no_exact_fit():
    """The chapter and the checker say: without zero_grad the cost climbs back up on the
    20 points no linear model fits exactly, while on the 6 separable points the buggy loop
    even ends lower than the right one; the right loop falls at every step in both."""
    separable, not_separable = _fit_cases()
    for case in (separable, not_separable):
        right = _softmax_regression(*case.args)
        assert np.all(np.diff(right) < 0)
    buggy = _softmax_regression(*not_separable.args, bug="accumulate")
    assert buggy[-1] > buggy.min() + 0.2  # climbs back up, well above its lowest cost
    buggy = _softmax_regression(*separable.args, bug="accumulate")
    assert buggy[-1] < _softmax_regression(*separable.args)[-1]
    # not separable: even a long run of the right loop stays well above zero
    assert _softmax_regression(*not_separable.args[:3], 2000)[-1] > 0.5
    # separable: without zero_grad the cost goes to (nearly) zero
    assert _softmax_regression(*separable.args[:3], 300, bug="accumulate")[-1] < 1e-3


def test_fit_reference_matches_torch():
    torch = pytest.importorskip("torch")
    for case in _fit_cases():
        X, y, lr, n = case.args
        model = torch.nn.Linear(X.shape[1], int(y.max()) + 1).double()
        torch.nn.init.zeros_(model.weight)
        torch.nn.init.zeros_(model.bias)
        opt = torch.optim.SGD(model.parameters(), lr=lr)
        Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
        costs = []
        for _ in range(n):
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(Xt), yt)
            loss.backward()
            opt.step()
            costs.append(loss.item())
        np.testing.assert_allclose(_softmax_regression(X, y, lr, n), costs, rtol=1e-10)


def test_checkers_survive_changed_global_state(capsys):
    """set_grad_enabled(False), np.seterr(all='raise') and warnings as errors: still a verdict."""
    old = np.seterr(all="raise")
    nnlib.set_grad_enabled(False)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            for check, right in (
                (check_initial_losses, initial_right),
                (check_log_uniform, log_uniform_right),
                (check_fit_linear, _softmax_regression),
                (check_batches, _batches_reference),
            ):
                for checker in (_INITIAL_LOSSES, _LOG_UNIFORM, _FIT, _BATCHES):
                    checker._cache.clear()  # recompute the references under this state
                check(right)
                assert capsys.readouterr().out.startswith("✓")
    finally:
        nnlib.set_grad_enabled(True)
        np.seterr(**old)


def test_batches_hint_rate_is_at_least_95_percent():
    wrong = BATTERY[_BATCHES][2]
    named = sum(hint in _BATCHES.evaluate(fn).hint for fn, hint in wrong)
    assert named / len(wrong) >= 0.95, (named, len(wrong))
