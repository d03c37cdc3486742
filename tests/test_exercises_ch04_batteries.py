"""Chapter 4's five older checkers (mse, bce_with_logits, cross_entropy, gaussian_nll,
kl_divergence) against NEW realistic wrong answers, written as a learner would write them,
beyond the ones each checker was designed around (those are in tests/test_exercises.py and
tests/test_exercises_ch04_losses.py). Each wrong answer must fail with a hint that names its
mistake, for at least 95 % of each checker's battery (the shared checker battery of
tests/helpers.py runs on this file's table too)."""

import numpy as np
import pytest

from nnlib.exercises import (
    check_bce_with_logits,
    check_cross_entropy,
    check_gaussian_nll,
    check_kl_divergence,
    check_mse,
)
from nnlib.exercises.ch04 import _BCE, _CE, _GAUSSIAN_NLL, _KL, _MSE
from tests.helpers import CheckerBattery


# ------------------------------------------------------------------ right answers
def mse_right(y_hat, y):
    return np.mean((y_hat - y) ** 2)


def bce_right(z, y):
    return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))


def log_softmax(x):
    shifted = x - x.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def ce_right(x, t):
    return -log_softmax(x)[np.arange(len(t)), t].mean()


def nll_right(mu, s, y):
    return np.mean(0.5 * (s + (y - mu) ** 2 * np.exp(-s)))


def kl_right(p, q):
    return np.sum(p * np.log(np.where(p > 0, p, 1.0) / q))


# ------------------------------------------------------------ wrong answers: MSE
def mse_bias_squared(y_hat, y):
    return np.mean(y_hat - y) ** 2  # squares the mean error


def mse_by_rows(y_hat, y):
    return np.sum((y_hat - y) ** 2) / len(y)  # len() counts rows, not elements


def mse_variance(y_hat, y):
    return np.var(y_hat - y)  # np.var subtracts the mean residual


def mse_n_minus_one(y_hat, y):
    return np.sum((y_hat - y) ** 2) / (y.size - 1)


def mse_difference_of_squares(y_hat, y):
    return np.mean(y_hat**2 - y**2)


def mse_precedence(y_hat, y):
    return np.mean(y_hat - y**2)  # ** binds tighter than -


def mse_times_two(y_hat, y):
    return np.mean((y_hat - y) * 2)  # * 2 instead of ** 2


def mse_mae_squared(y_hat, y):
    return np.mean(np.abs(y_hat - y)) ** 2


def mse_norm_squared(y_hat, y):
    return np.linalg.norm(y_hat - y) ** 2  # the sum of squares


# ------------------------------------------------------------ wrong answers: BCE
def bce_no_abs(z, y):
    return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-z)))


def bce_no_max(z, y):
    return np.mean(-z * y + np.log1p(np.exp(-np.abs(z))))


def bce_plus_zy(z, y):
    return np.mean(np.maximum(z, 0) + z * y + np.log1p(np.exp(-np.abs(z))))


def bce_no_log(z, y):
    return np.mean(np.maximum(z, 0) - z * y + np.exp(-np.abs(z)))


def bce_eps_in_log(z, y):
    p = 1 / (1 + np.exp(-z))
    return -np.mean(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))


def bce_flipped_target(z, y):
    return bce_right(z, 1 - y)


def bce_plus_minus_one_labels(z, y):
    return np.mean(np.log1p(np.exp(-y * z)))  # the logistic loss for labels ±1


def bce_no_one_plus(z, y):
    return np.mean(np.maximum(z, 0) - z * y + np.log(np.exp(-np.abs(z))))


def bce_abs_for_max(z, y):
    return np.mean(np.abs(z) - z * y + np.log1p(np.exp(-np.abs(z))))


# -------------------------------------------------------------- wrong answers: CE
def ce_min_shift(x, t):
    shifted = x - x.min(axis=1, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -logp[np.arange(len(t)), t].mean()


def ce_no_shift(x, t):
    lse = np.log(np.exp(x).sum(axis=1))
    return np.mean(lse - x[np.arange(len(t)), t])


def ce_rows_picked(x, t):
    return -np.mean(log_softmax(x)[t])  # logp[t] picks whole ROWS


def ce_all_entries(x, t):
    return -np.mean(log_softmax(x))  # averages every class, not the target's


def ce_divided_by_classes(x, t):
    return -np.sum(log_softmax(x)[np.arange(len(t)), t]) / x.shape[1]


def ce_no_log_sum_exp(x, t):
    return -np.mean(x[np.arange(len(t)), t])


def ce_max_not_added_back(x, t):
    shifted = x - x.max(axis=1, keepdims=True)
    lse = np.log(np.exp(shifted).sum(axis=1))
    return np.mean(lse - x[np.arange(len(t)), t])  # mixes shifted and raw logits


def ce_clipped_probabilities(x, t):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return -np.mean(np.log(np.clip(p[np.arange(len(t)), t], 1e-12, 1.0)))


def ce_global_sum(x, t):
    shifted = x - x.max(axis=1, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum())  # sums over the whole batch
    return -logp[np.arange(len(t)), t].mean()


# ---------------------------------------------------- wrong answers: Gaussian NLL
def nll_half_on_log_only(mu, s, y):
    return np.mean(0.5 * s + (y - mu) ** 2 * np.exp(-s))


def nll_variance_in_first_term(mu, s, y):
    return np.mean(0.5 * (np.exp(s) + (y - mu) ** 2 * np.exp(-s)))


def nll_both_terms_divided(mu, s, y):
    return np.mean(0.5 * (s + (y - mu) ** 2) * np.exp(-s))


def nll_not_squared(mu, s, y):
    return np.mean(0.5 * (s + (y - mu) * np.exp(-s)))


def nll_absolute_error(mu, s, y):
    return np.mean(0.5 * (s + np.abs(y - mu) * np.exp(-s)))


def nll_log_sigma(mu, s, y):
    return np.mean(s + 0.5 * (y - mu) ** 2 * np.exp(-s))  # log_var read as log σ


def nll_minus_error_term(mu, s, y):
    return np.mean(0.5 * (s - (y - mu) ** 2 * np.exp(-s)))


def nll_by_rows(mu, s, y):
    return np.sum(0.5 * (s + (y - mu) ** 2 * np.exp(-s))) / len(y)


def nll_log_of_log_var(mu, s, y):
    return np.mean(0.5 * (np.log(s) + (y - mu) ** 2 / s))  # log_var taken as σ²


# ------------------------------------------------------------- wrong answers: KL
def kl_mean(p, q):
    return np.mean(p * np.log(np.where(p > 0, p, 1.0) / q))


def kl_unweighted_log_q(p, q):
    return np.sum(p * np.log(np.where(p > 0, p, 1.0)) - np.log(q))


def kl_ratio_upside_down(p, q):
    return np.sum(p * np.log(q / np.where(p > 0, p, 1.0)))


def kl_entropy_minus_cross_entropy(p, q):
    entropy = -np.sum(p * np.log(np.where(p > 0, p, 1.0)))
    cross_entropy = -np.sum(p * np.log(q))
    return entropy - cross_entropy


def kl_ratio_of_logs(p, q):
    return np.sum(p * (np.log(np.where(p > 0, p, 1.0)) / np.log(q)))


def kl_log10(p, q):
    return np.sum(p * np.log10(np.where(p > 0, p, 1.0) / q))


def kl_symmetric(p, q):
    return np.sum((p - q) * np.log(np.where(p > 0, p, 1e-300) / q))


def kl_naive_swap(p, q):
    return np.sum(q * np.log(q / p))


def kl_not_summed(p, q):
    return np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0) / q), 0.0)


BATTERY = {
    _MSE: (check_mse, mse_right, [
        (mse_bias_squared, "squared the MEAN error"),
        (mse_by_rows, "number of ROWS"),
        (mse_variance, "np.var"),
        (mse_n_minus_one, "n − 1"),
        (mse_difference_of_squares, "square the DIFFERENCE"),
        (mse_precedence, "parentheses"),
        (mse_times_two, "`** 2`"),
        (mse_mae_squared, "square each difference"),
        (mse_norm_squared, "times too large"),
    ]),
    _BCE: (check_bce_with_logits, bce_right, [
        (bce_no_abs, "counts |z| twice"),
        (bce_no_max, "max(z, 0) term is missing"),
        (bce_plus_zy, "−z·y, not +z·y"),
        (bce_no_log, "the log is missing"),
        (bce_eps_in_log, "adding ε"),
        (bce_flipped_target, "1 − y where y belongs"),
        (bce_plus_minus_one_labels, "labels ±1"),
        (bce_no_one_plus, "the 1 + is missing"),
        (bce_abs_for_max, "counts |z| twice"),
    ]),
    _CE: (check_cross_entropy, ce_right, [
        (ce_min_shift, "MAXIMUM, not the minimum"),
        (ce_no_shift, "exp(1000) overflows"),
        (ce_rows_picked, "picks whole ROWS", "error"),
        (ce_all_entries, "only the TARGET's entry"),
        (ce_divided_by_classes, "not by C"),
        (ce_no_log_sum_exp, "log Σ exp term is missing"),
        (ce_max_not_added_back, "add the maximum back"),
        (ce_clipped_probabilities, "clipping the probability"),
        (ce_global_sum, "sum over each ROW"),
    ]),
    _GAUSSIAN_NLL: (check_gaussian_nll, nll_right, [
        (nll_half_on_log_only, "½ multiplies BOTH terms"),
        (nll_variance_in_first_term, "log_var itself, not exp(log_var)"),
        (nll_both_terms_divided, "only the squared error is divided"),
        (nll_not_squared, "square the error"),
        (nll_absolute_error, "square the error"),
        (nll_log_sigma, "not of the standard deviation"),
        (nll_minus_error_term, "ADD the squared-error term"),
        (nll_by_rows, "number of ROWS"),
        (nll_log_of_log_var, "already the LOG of the variance"),
    ]),
    _KL: (check_kl_divergence, kl_right, [
        (kl_mean, "SUM over the outcomes"),
        (kl_unweighted_log_q, "weight BOTH logs by p"),
        (kl_ratio_upside_down, "minus sign"),
        (kl_entropy_minus_cross_entropy, "minus sign"),
        (kl_ratio_of_logs, "log p − log q, not log p / log q"),
        (kl_log10, "natural logarithm"),
        (kl_symmetric, "symmetric"),
        (kl_naive_swap, "arguments are swapped"),
        (kl_not_summed, "ONE number"),
    ]),
}  # fmt: skip


class TestChapter4NewWrongAnswers(CheckerBattery):
    BATTERY = BATTERY


@pytest.mark.parametrize("checker", list(BATTERY), ids=lambda c: c.title)
def test_hint_rate_is_at_least_95_percent_per_checker(checker):
    _, _, battery = BATTERY[checker]
    named = 0
    for wrong, hint, *_ in battery:
        with np.errstate(all="ignore"):
            named += hint in checker.evaluate(wrong).hint
    assert len(battery) >= 8
    assert named / len(battery) >= 0.95, (checker.title, named, len(battery))
