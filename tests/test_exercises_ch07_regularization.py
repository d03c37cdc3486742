"""Chapter 7's checkers (dropout, dropout's variance, early stopping, max-norm): the right
answer passes, realistic wrong answers written as a learner would get a hint that names the
mistake, a stub is "not attempted", a crash is summarised, and two runs print the same text
(the shared checker battery of tests/helpers.py on this file's table)."""

import warnings

import numpy as np
import torch

import nnlib
from nnlib.exercises import (
    check_dropout,
    check_dropout_variance,
    check_early_stopping,
    check_max_norm,
)
from nnlib.exercises.ch07 import _DROPOUT, _MAX_NORM, _STOPPING, _VARIANCE
from tests.helpers import CheckerBattery


# ------------------------------------------------------------------------------ dropout
def dropout_right(x, p, training, u):
    if not training:
        return x
    mask = u >= p
    return x * mask / (1 - p)


def dropout_always(x, p, training, u):
    return x * (u >= p) / (1 - p)


def dropout_keep_low(x, p, training, u):
    if not training:
        return x
    return x * (u < p) / (1 - p)


def dropout_classic(x, p, training, u):  # the original 2012 form: no scale while training
    if not training:
        return x * (1 - p)
    return x * (u >= p)


def dropout_multiply(x, p, training, u):
    if not training:
        return x
    return x * (u >= p) * (1 - p)


def dropout_by_p(x, p, training, u):
    if not training:
        return x
    return x * (u >= p) / p


def dropout_keep_prob_swapped(x, p, training, u):
    if not training:
        return x
    keep = 1 - p
    return x * (u < keep) / p


def dropout_eval_scaled(x, p, training, u):
    if not training:
        return x / (1 - p)
    return x * (u >= p) / (1 - p)


def dropout_no_scale_loop(x, p, training, u):
    if not training:
        return x
    out = x.copy()
    out[u < p] = 0
    return out


def dropout_inplace(x, p, training, u):
    if training:
        x[u < p] = 0
        x /= 1 - p
    return x


# ----------------------------------------------------------------- dropout's variance
def variance_right(x, p):
    return x**2 * p / (1 - p)


def variance_moment(x, p):
    return x**2 / (1 - p)


def variance_unscaled(x, p):
    return p * (1 - p) * x**2


def variance_swapped(x, p):
    return x**2 * (1 - p) / p


def variance_linear(x, p):
    return x * p / (1 - p)


def variance_double(x, p):
    return (x / (1 - p)) ** 2 * p


def variance_std(x, p):
    return np.abs(x) * np.sqrt(p / (1 - p))


def variance_bernoulli_only(x, p):
    return x**2 * p * (1 - p) / (1 - p) ** 2 * (1 - p)


# ------------------------------------------------------------------------ early stopping
def stopping_right(val_losses, patience):
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited == patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses) - 1


def stopping_numpy(val_losses, patience):  # a different but correct style
    v = np.asarray(val_losses)
    for epoch in range(len(v)):
        best_epoch = int(np.argmin(v[: epoch + 1]))
        if epoch - best_epoch >= patience:
            return best_epoch, epoch
    return int(np.argmin(v)), len(v) - 1


def stopping_returns_stop_as_best(val_losses, patience):
    best, waited = float("inf"), 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, waited = loss, 0
        else:
            waited += 1
            if waited == patience:
                return epoch, epoch
    return len(val_losses) - 1, len(val_losses) - 1


def stopping_greater_than(val_losses, patience):
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited > patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses) - 1


def stopping_early_check(val_losses, patience):
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses):
        if waited == patience - 1 and loss >= best:
            return best_epoch, epoch - 1 if epoch else 0
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
    return best_epoch, len(val_losses) - 1


def stopping_le(val_losses, patience):
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss <= best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited == patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses) - 1


def stopping_no_reset(val_losses, patience):
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch = loss, epoch
        else:
            waited += 1
            if waited == patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses) - 1


def stopping_previous(val_losses, patience):
    best_epoch, waited = 0, 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[best_epoch]:
            best_epoch = epoch
        if val_losses[epoch] < val_losses[epoch - 1]:
            waited = 0
        else:
            waited += 1
            if waited == patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses) - 1


def stopping_one_based(val_losses, patience):
    best, best_epoch, waited = float("inf"), 1, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited == patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses)


# ---------------------------------------------------------------------------- max-norm
def max_norm_right(W, c):
    norms = np.linalg.norm(W, axis=1, keepdims=True)
    return W * np.minimum(1.0, c / np.maximum(norms, 1e-12))


def max_norm_torch(W, c):  # a correct answer through PyTorch
    return torch.renorm(torch.tensor(W), p=2, dim=0, maxnorm=c).numpy()


def max_norm_all_rows(W, c):
    norms = np.linalg.norm(W, axis=1, keepdims=True)
    return W / np.maximum(norms, 1e-12) * c


def max_norm_columns(W, c):
    norms = np.linalg.norm(W, axis=0, keepdims=True)
    return W * np.minimum(1.0, c / np.maximum(norms, 1e-12))


def max_norm_clip(W, c):
    return np.clip(W, -c, c)


def max_norm_squared(W, c):
    norms = (W**2).sum(axis=1, keepdims=True)
    return W * np.minimum(1.0, c / np.maximum(norms, 1e-12))


def max_norm_whole(W, c):
    norm = np.linalg.norm(W)
    return W * c / norm if norm > c else W


def max_norm_unguarded(W, c):
    norms = np.sqrt((W**2).sum(axis=1, keepdims=True))
    return np.where(norms > c, W * c / norms, W)  # right, the division only warns


def max_norm_warns(W, c):  # right: c / 0 = inf, and min(inf, 1) = 1 (only a warning)
    norms = np.linalg.norm(W, axis=1, keepdims=True)
    scale = c / norms
    return W * np.minimum(scale, 1.0)


def max_norm_nan(W, c):
    norms = np.linalg.norm(W, axis=1, keepdims=True)
    return W / norms * np.minimum(norms, c)


def max_norm_loop_all(W, c):
    out = W.copy()
    for i, row in enumerate(W):
        out[i] = row * c / np.linalg.norm(row) if np.linalg.norm(row) > 0 else row
    return out


def max_norm_inplace(W, c):
    norms = np.linalg.norm(W, axis=1, keepdims=True)
    W *= np.minimum(1.0, c / np.maximum(norms, 1e-12))
    return W


BATTERY = {
    _DROPOUT: (check_dropout, dropout_right, [
        (dropout_always, "evaluation mode"),
        (dropout_keep_low, "keep unit i where u ≥ p"),
        (dropout_classic, "scale the kept units UP"),
        (dropout_multiply, "divide the kept units by 1 − p"),
        (dropout_by_p, "divide by the KEEP probability"),
        (dropout_keep_prob_swapped, "keep unit i where u ≥ p"),
        (dropout_eval_scaled, "evaluation mode"),
        (dropout_no_scale_loop, "scale the kept units UP"),
        (dropout_inplace, "in place"),
    ]),
    _VARIANCE: (check_dropout_variance, variance_right, [
        (variance_moment, "second moment"),
        (variance_unscaled, "WITHOUT the 1/(1 − p) scale"),
        (variance_swapped, "swapped p and 1 − p"),
        (variance_linear, "scales with x²"),
        (variance_double, "squared (1 − p) once too often"),
        (variance_std, "do not take the square root"),
        (variance_bernoulli_only, "enters squared"),
    ]),
    _STOPPING: (check_early_stopping, stopping_right, [
        (stopping_returns_stop_as_best, "lowest validation loss"),
        (stopping_greater_than, "not one later"),
        (stopping_early_check, "not patience − 1"),
        (stopping_le, "a tie is not an improvement"),
        (stopping_no_reset, "reset the waiting counter"),
        (stopping_previous, "compare each loss with the BEST"),
        (stopping_one_based, "count epochs from 0"),
    ]),
    _MAX_NORM: (check_max_norm, max_norm_right, [
        (max_norm_all_rows, "only rows whose norm EXCEEDS c"),
        (max_norm_columns, "axis=1"),
        (max_norm_clip, "clipping each weight"),
        (max_norm_squared, "squared norm"),
        (max_norm_whole, "of each ROW"),
        (max_norm_nan, "a row of zeros"),
        (max_norm_loop_all, "only rows whose norm EXCEEDS c"),
        (max_norm_inplace, "in place"),
    ]),
}  # fmt: skip


class TestChapter7Checkers(CheckerBattery):
    BATTERY = BATTERY


def test_other_correct_styles_pass():
    for checker, fn in (
        (_STOPPING, stopping_numpy),
        (_MAX_NORM, max_norm_torch),
        (_MAX_NORM, max_norm_unguarded),
        (_MAX_NORM, max_norm_warns),
    ):
        with np.errstate(divide="ignore", invalid="ignore"):
            verdict = checker.evaluate(fn)
        assert verdict.passed, verdict.text


def test_dropout_reference_matches_nnlib_mask_rule():
    # nnlib keeps an element where its uniform draw is >= p: the checker's convention.
    nnlib.manual_seed(3)
    x = nnlib.ones(200, dtype=nnlib.float64)
    out = nnlib.nn.functional.dropout(x, 0.3).data
    nnlib.manual_seed(3)
    u = nnlib.random.default_generator().random(200, dtype=np.float64)
    assert np.allclose(out, dropout_right(np.ones(200), 0.3, True, u))


def test_max_norm_reference_matches_torch():
    rng = np.random.default_rng(0)
    W = rng.normal(size=(5, 4)) * 2
    ours = _MAX_NORM.reference(W, 1.5)
    theirs = torch.renorm(torch.tensor(W), p=2, dim=0, maxnorm=1.5).numpy()
    assert np.allclose(ours, theirs, rtol=1e-12, atol=1e-12)


def test_checkers_survive_changed_global_state(capsys):
    old = np.seterr(all="raise")
    try:
        with warnings.catch_warnings(), nnlib.no_grad():
            warnings.simplefilter("error")
            check_dropout(dropout_right)
            check_dropout_variance(variance_right)
            check_early_stopping(stopping_right)
            check_max_norm(max_norm_right)
    finally:
        np.seterr(**old)
    out = capsys.readouterr().out
    assert out.count("✓") == 4, out
