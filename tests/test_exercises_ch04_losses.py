"""Chapter 4's checkers for the Gaussian NLL and the KL divergence: the right answer passes,
each usual mistake is rejected with its own hint, a stub is "not attempted", a crash is
summarised without raising, and two runs print the same text."""

import numpy as np
import pytest

from nnlib.exercises.ch04 import _GAUSSIAN_NLL, _KL


def nll_right(mu, log_var, y):
    return np.mean(0.5 * (log_var + (y - mu) ** 2 * np.exp(-log_var)))


def kl_right(p, q):
    ratio = np.where(p > 0, p / q, 1.0)
    return np.sum(p * np.log(ratio))


def kl_swapped(p, q):
    return kl_right(q, p) if np.all(p > 0) else np.sum(q * np.log(q / np.maximum(p, 1e-300)))


BATTERY = {
    "gaussian_nll": (_GAUSSIAN_NLL, nll_right, [
        (lambda mu, s, y: np.mean(0.5 * (s + (y - mu) ** 2 / s)), "LOG of the variance"),
        (lambda mu, s, y: np.mean(0.5 * (s + (y - mu) ** 2 / np.exp(s / 2))),
         "not by the standard deviation"),
        (lambda mu, s, y: np.mean(0.5 * (s + (y - mu) ** 2 * np.exp(s))), "sign in the exponent"),
        (lambda mu, s, y: np.mean(0.5 * (y - mu) ** 2 * np.exp(-s)), "log σ² term is missing"),
        (lambda mu, s, y: nll_right(mu, s, y) + 0.5 * np.log(2 * np.pi), "drop the constant"),
        (lambda mu, s, y: 2 * nll_right(mu, s, y), "factor ½ is missing"),
        (lambda mu, s, y: y.size * nll_right(mu, s, y), "times too large"),
        (lambda mu, s, y: 0.5 * (s + (y - mu) ** 2 * np.exp(-s)), "reduce to ONE number"),
    ]),
    "kl_divergence": (_KL, kl_right, [
        (kl_swapped, "arguments are swapped"),
        (lambda p, q: np.sum(p * np.log(p / q)), "0 · log 0 gives nan"),
        (lambda p, q: kl_right(p, q) / np.log(2), "natural logarithm"),
        (lambda p, q: -np.sum(p * np.log(q)), "cross-entropy"),
        (lambda p, q: np.sum(np.log(np.where(p > 0, p, 1) / q) * (p > 0)),
         "weight each log-ratio"),
        (lambda p, q: -kl_right(p, q), "minus sign"),
    ]),
}  # fmt: skip

CASES = [(name, wrong, hint) for name, (_, _, bad) in BATTERY.items() for wrong, hint in bad]


@pytest.mark.parametrize("name", sorted(BATTERY))
def test_right_answer_passes(name):
    checker, right, _ = BATTERY[name]
    verdict = checker.evaluate(right)
    assert verdict.passed, verdict.text


@pytest.mark.parametrize(("name", "wrong", "hint"), CASES, ids=[f"{n}: {h}" for n, _, h in CASES])
def test_each_mistake_gets_its_hint(name, wrong, hint):
    checker = BATTERY[name][0]
    verdict = checker.evaluate(wrong)
    assert verdict.status == "failed", verdict.text
    assert hint in verdict.hint, verdict.text


@pytest.mark.parametrize("name", sorted(BATTERY))
def test_stub_crash_and_determinism(name, capsys):
    checker, right, _ = BATTERY[name]
    assert checker.evaluate(lambda *args: None).status == "not attempted"

    def crashing(*args):
        raise ZeroDivisionError("boom")

    assert checker.evaluate(crashing).status == "error"
    checker(crashing)  # prints, never raises
    checker(right)
    first = capsys.readouterr().out
    checker(crashing)
    checker(right)
    assert capsys.readouterr().out == first
