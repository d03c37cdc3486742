"""Chapter 4's checkers for the Gaussian NLL and the KL divergence: the right answer passes,
each usual mistake is rejected with its own hint, a stub is "not attempted", a crash is
summarised without raising, and two runs print the same text (the shared checker battery of
tests/helpers.py on this file's table)."""

import numpy as np

from nnlib.exercises import check_gaussian_nll, check_kl_divergence
from nnlib.exercises.ch04 import _GAUSSIAN_NLL, _KL
from tests.helpers import CheckerBattery


def nll_right(mu, log_var, y):
    return np.mean(0.5 * (log_var + (y - mu) ** 2 * np.exp(-log_var)))


def kl_right(p, q):
    ratio = np.where(p > 0, p / q, 1.0)
    return np.sum(p * np.log(ratio))


def kl_swapped(p, q):
    return kl_right(q, p) if np.all(p > 0) else np.sum(q * np.log(q / np.maximum(p, 1e-300)))


BATTERY = {
    _GAUSSIAN_NLL: (check_gaussian_nll, nll_right, [
        (lambda mu, s, y: np.mean(0.5 * (s + (y - mu) ** 2 / s)), "LOG of the variance"),
        (lambda mu, s, y: np.mean(0.5 * (s + (y - mu) ** 2 / np.exp(s / 2))),
         "not by the standard deviation"),
        (lambda mu, s, y: np.mean(0.5 * (s + (y - mu) ** 2 * np.exp(s))), "sign in the exponent"),
        (lambda mu, s, y: np.mean(0.5 * (y - mu) ** 2 * np.exp(-s)), "log v term is missing"),
        (lambda mu, s, y: nll_right(mu, s, y) + 0.5 * np.log(2 * np.pi), "drop the constant"),
        (lambda mu, s, y: 2 * nll_right(mu, s, y), "factor ½ is missing"),
        (lambda mu, s, y: y.size * nll_right(mu, s, y), "times too large"),
        (lambda mu, s, y: 0.5 * (s + (y - mu) ** 2 * np.exp(-s)), "reduce to ONE number"),
    ]),
    _KL: (check_kl_divergence, kl_right, [
        (kl_swapped, "arguments are swapped"),
        (lambda p, q: np.sum(p * np.log(p / q)), "0 · log 0 gives nan"),
        (lambda p, q: kl_right(p, q) / np.log(2), "natural logarithm"),
        (lambda p, q: -np.sum(p * np.log(q)), "cross-entropy"),
        (lambda p, q: np.sum(np.log(np.where(p > 0, p, 1) / q) * (p > 0)),
         "weight each log-ratio"),
        (lambda p, q: -kl_right(p, q), "minus sign"),
    ]),
}  # fmt: skip


class TestChapter4Checkers(CheckerBattery):
    BATTERY = BATTERY
