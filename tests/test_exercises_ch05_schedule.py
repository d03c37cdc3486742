"""Chapter 5's warm-up + cosine exercise (a factor for LambdaLR) and Adam's-first-step
prediction: the right schedule passes,
each likely mistake is rejected with a hint that names it, a stub is "not attempted", a
crash is summarised without raising, and two runs print the same text (the shared checker
battery of tests/helpers.py on this file's table). The wrong answers are written as a
learner would write them, one step at a time."""

import math

import numpy as np

from nnlib.exercises import check_adam_first_step, check_warmup_cosine
from nnlib.exercises.ch05 import _ADAM_FIRST_STEP, _WARMUP_COSINE
from nnlib.nn import Parameter
from nnlib.optim import SGD
from nnlib.optim.lr_scheduler import LambdaLR
from tests.helpers import CheckerBattery


def right(step, warmup_steps, total_steps):
    if step < warmup_steps:
        return (step + 1) / warmup_steps
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return 0.5 * (1 + math.cos(math.pi * progress))


def right_numpy_style(step, warmup_steps, total_steps):
    warm = (step + 1) / warmup_steps
    cos = 0.5 * (1 + np.cos(np.pi * (step - warmup_steps) / (total_steps - warmup_steps)))
    return np.where(step < warmup_steps, warm, cos)


def starts_at_zero(step, warmup_steps, total_steps):
    if step < warmup_steps:
        return step / warmup_steps
    return right(step, warmup_steps, total_steps)


def integer_division(step, warmup_steps, total_steps):
    if step < warmup_steps:
        return (step + 1) // warmup_steps
    return right(step, warmup_steps, total_steps)


def cosine_from_step_zero(step, warmup_steps, total_steps):
    if step < warmup_steps:
        return (step + 1) / warmup_steps
    return 0.5 * (1 + math.cos(math.pi * step / total_steps))


def cosine_over_all_steps(step, warmup_steps, total_steps):
    if step < warmup_steps:
        return (step + 1) / warmup_steps
    return 0.5 * (1 + math.cos(math.pi * (step - warmup_steps) / total_steps))


def bare_cosine(step, warmup_steps, total_steps):
    if step < warmup_steps:
        return (step + 1) / warmup_steps
    return math.cos(math.pi * (step - warmup_steps) / (total_steps - warmup_steps))


def linear_decay(step, warmup_steps, total_steps):
    if step < warmup_steps:
        return (step + 1) / warmup_steps
    return 1 - (step - warmup_steps) / (total_steps - warmup_steps)


def flat_warmup(step, warmup_steps, total_steps):
    if step < warmup_steps:
        return 1.0
    return right(step, warmup_steps, total_steps)


def no_warmup(step, warmup_steps, total_steps):
    return 0.5 * (1 + math.cos(math.pi * step / total_steps))


def rising_cosine(step, warmup_steps, total_steps):
    if step < warmup_steps:
        return (step + 1) / warmup_steps
    return 0.5 * (1 - math.cos(math.pi * (step - warmup_steps) / (total_steps - warmup_steps)))


BATTERY = {
    _WARMUP_COSINE: (
        check_warmup_cosine,
        right,
        [
            (starts_at_zero, "the first step has factor 0"),
            (integer_division, "integer division"),
            (cosine_from_step_zero, "start where the warm-up ends"),
            (cosine_over_all_steps, "not by total_steps"),
            (bare_cosine, "turns negative"),
            (linear_decay, "that is a linear decay"),
            (flat_warmup, "instead of staying at 1"),
            (no_warmup, "no warm-up: during the first"),
            (rising_cosine, "yours goes from 0 up to 1"),
        ],
    ),
}


class TestCheckers(CheckerBattery):
    BATTERY = BATTERY


def test_other_right_styles_are_accepted() -> None:
    assert _WARMUP_COSINE.evaluate(right_numpy_style).passed


def test_the_learners_factor_drives_lambda_lr_as_the_exercise_says() -> None:
    opt = SGD([Parameter(np.zeros(1))], lr=0.5)
    schedule = LambdaLR(opt, lambda step: right(step, 5, 20))
    lrs = []
    for _ in range(20):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        schedule.step()
    assert np.allclose(lrs[:5], [0.1, 0.2, 0.3, 0.4, 0.5])
    assert lrs[5] == 0.5 and 0 < lrs[-1] < 0.01


# ------------------------------------------------- predict Adam's first step (predict)
def first_step_right(grad, lr):
    return -lr * grad / (np.abs(grad) + 1e-8)


def first_step_by_running_adam_by_hand(grad, lr):
    m = 0.9 * 0 + 0.1 * grad
    v = 0.999 * 0 + 0.001 * grad**2
    m_hat, v_hat = m / (1 - 0.9), v / (1 - 0.999)
    return -lr * m_hat / (np.sqrt(v_hat) + 1e-8)


FIRST_STEP_BATTERY = {
    _ADAM_FIRST_STEP: (
        check_adam_first_step,
        first_step_right,
        [
            (lambda g, lr: -lr * g, "does not grow with the gradient"),
            (
                lambda g, lr: -lr * 0.1 * g / (np.sqrt(0.001 * g**2) + 1e-8),
                "without bias correction",
            ),
            (lambda g, lr: -lr * np.sign(g), "eps matters for tiny gradients"),
            (lambda g, lr: lr * g / (np.abs(g) + 1e-8), "against the gradient"),
            (lambda g, lr: -lr * g / np.sqrt(g**2 + 1e-8), "after the square root"),
        ],
    ),
}
BATTERY.update(FIRST_STEP_BATTERY)  # one table per file: TestCheckers above runs both


def test_first_step_by_hand_is_accepted() -> None:
    assert _ADAM_FIRST_STEP.evaluate(first_step_by_running_adam_by_hand).passed
