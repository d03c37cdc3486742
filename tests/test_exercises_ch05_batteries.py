"""Chapter 5's older checkers (sgd_momentum_step, adam_step, ewa, rmsprop_step) against a
second battery of wrong answers, written as a learner would write them and beyond the ones
each checker was designed around: at least 95 % of each checker's battery must get a hint
that names the mistake (as tests/test_exercises_ch09_approximation.py does)."""

import numpy as np
import pytest

from nnlib.exercises import ch05

# ----------------------------------------------------------------- sgd_momentum_step


def sgd_lr_in_velocity(p, g, v, lr, mu):
    v = mu * v + lr * g  # the "velocity in parameter units" form
    return p - v, v


def sgd_nesterov(p, g, v, lr, mu):
    v = mu * v + g
    return p - lr * (g + mu * v), v


def sgd_old_velocity_returned(p, g, v, lr, mu):
    new_v = mu * v + g
    return p - lr * new_v, v


def sgd_swapped_outputs(p, g, v, lr, mu):
    v = mu * v + g
    return v, p - lr * v


def sgd_no_momentum_factor(p, g, v, lr, mu):
    v = v + g
    return p - lr * v, v


def sgd_momentum_times_sum(p, g, v, lr, mu):
    v = mu * (v + g)
    return p - lr * v, v


def sgd_momentum_as_lr(p, g, v, lr, mu):
    v = mu * v + g
    return p - mu * v, v


def sgd_negative_velocity(p, g, v, lr, mu):
    v = mu * v - g
    return p + lr * v, v


SGD_WRONG = [
    (sgd_lr_in_velocity, "learning rate"),
    (sgd_nesterov, "Nesterov"),
    (sgd_old_velocity_returned, "return the NEW velocity"),
    (sgd_swapped_outputs, "order"),
    (sgd_no_momentum_factor, "multiply the old velocity by momentum"),
    (sgd_momentum_times_sum, "only the old velocity"),
    (sgd_momentum_as_lr, "lr, not momentum"),
    (sgd_negative_velocity, "sign of the velocity"),
]

# ------------------------------------------------------------------------- adam_step


def adam_parts(p, g, m, v, t, betas):
    b1, b2 = betas
    return b1, b2, b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g**2


def adam_only_m_corrected(p, g, m, v, t, lr, betas, eps):
    b1, _b2, m, v = adam_parts(p, g, m, v, t, betas)
    return p - lr * (m / (1 - b1**t)) / (np.sqrt(v) + eps), m, v


def adam_only_v_corrected(p, g, m, v, t, lr, betas, eps):
    _b1, b2, m, v = adam_parts(p, g, m, v, t, betas)
    return p - lr * m / (np.sqrt(v / (1 - b2**t)) + eps), m, v


def adam_no_sqrt(p, g, m, v, t, lr, betas, eps):
    b1, b2, m, v = adam_parts(p, g, m, v, t, betas)
    return p - lr * (m / (1 - b1**t)) / (v / (1 - b2**t) + eps), m, v


def adam_betas_swapped(p, g, m, v, t, lr, betas, eps):
    b2, b1 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g**2
    return p - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps), m, v


def adam_ewa_weights_swapped(p, g, m, v, t, lr, betas, eps):
    b1, b2 = betas
    m = (1 - b1) * m + b1 * g
    v = (1 - b2) * v + b2 * g**2
    return p - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps), m, v


def adam_power_of_one_minus_beta(p, g, m, v, t, lr, betas, eps):
    b1, b2, m, v = adam_parts(p, g, m, v, t, betas)
    return p - lr * (m / (1 - b1) ** t) / (np.sqrt(v / (1 - b2) ** t) + eps), m, v


def adam_no_eps(p, g, m, v, t, lr, betas, eps):
    b1, b2, m, v = adam_parts(p, g, m, v, t, betas)
    return p - lr * (m / (1 - b1**t)) / np.sqrt(v / (1 - b2**t)), m, v


def adam_in_place(p, g, m, v, t, lr, betas, eps):
    b1, b2 = betas
    m *= b1
    m += (1 - b1) * g
    v *= b2
    v += (1 - b2) * g**2
    return p - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps), m, v


ADAM_WRONG = [
    (adam_only_m_corrected, "correct v too"),
    (adam_only_v_corrected, "correct m too"),
    (adam_no_sqrt, "SQUARE ROOT"),
    (adam_betas_swapped, "β₁ for m"),
    (adam_ewa_weights_swapped, "OLD moment"),
    (adam_power_of_one_minus_beta, "1 − βᵗ, not (1 − β)ᵗ"),
    (adam_no_eps, "add eps"),
    (adam_in_place, "in place"),
]

# ------------------------------------------------------------------------------- ewa


def ewa_always_corrected(values, beta, bias_correction=False):
    v, out = 0.0, []
    for t, x in enumerate(values, start=1):
        v = beta * v + (1 - beta) * x
        out.append(v / (1 - beta**t))
    return np.array(out)


def ewa_multiplied_correction(values, beta, bias_correction=False):
    v, out = 0.0, []
    for t, x in enumerate(values, start=1):
        v = beta * v + (1 - beta) * x
        out.append(v * (1 - beta**t) if bias_correction else v)
    return np.array(out)


def ewa_no_one_minus_beta(values, beta, bias_correction=False):
    v, out = 0.0, []
    for t, x in enumerate(values, start=1):
        v = beta * v + x
        out.append(v / (1 - beta**t) if bias_correction else v)
    return np.array(out)


def ewa_running_mean(values, beta, bias_correction=False):
    return np.cumsum(values) / np.arange(1, len(values) + 1)


def ewa_corrected_with_last_t(values, beta, bias_correction=False):
    v, out = 0.0, []
    for x in values:
        v = beta * v + (1 - beta) * x
        out.append(v)
    out = np.array(out)
    return out / (1 - beta ** len(values)) if bias_correction else out


def ewa_append_before_update(values, beta, bias_correction=False):
    v, out = 0.0, []
    for t, x in enumerate(values, start=1):
        out.append(v / (1 - beta**t) if bias_correction else v)
        v = beta * v + (1 - beta) * x
    return np.array(out)


def ewa_into_values(values, beta, bias_correction=False):
    v = 0.0
    for t in range(len(values)):
        v = beta * v + (1 - beta) * values[t]
        values[t] = v / (1 - beta ** (t + 1)) if bias_correction else v
    return values


def ewa_beta_times_t(values, beta, bias_correction=False):
    v, out = 0.0, []
    for t, x in enumerate(values, start=1):
        v = beta * v + (1 - beta) * x
        out.append(v / (1 - beta * t) if bias_correction else v)
    return np.array(out)


EWA_WRONG = [
    (ewa_always_corrected, "only when bias_correction=True"),
    (ewa_multiplied_correction, "DIVIDE by (1 − βᵗ)"),
    (ewa_no_one_minus_beta, "weight (1 − β)"),
    (ewa_running_mean, "plain running mean"),
    (ewa_corrected_with_last_t, "its own t"),
    (ewa_append_before_update, "after updating"),
    (ewa_into_values, "in place"),
    (ewa_beta_times_t, "β to the power t"),
]

# ---------------------------------------------------------------------- rmsprop_step


def rms_eps_precedence(p, g, s, lr, alpha, eps):
    s = alpha * s + (1 - alpha) * g**2
    return p - (lr * g / np.sqrt(s) + eps), s


def rms_bias_corrected(p, g, s, lr, alpha, eps):
    s = alpha * s + (1 - alpha) * g**2
    return p - lr * g / (np.sqrt(s / (1 - alpha)) + eps), s


def rms_old_average_returned(p, g, s, lr, alpha, eps):
    new_s = alpha * s + (1 - alpha) * g**2
    return p - lr * g / (np.sqrt(new_s) + eps), s


def rms_no_one_minus_alpha(p, g, s, lr, alpha, eps):
    s = alpha * s + g**2
    return p - lr * g / (np.sqrt(s) + eps), s


def rms_swapped_outputs(p, g, s, lr, alpha, eps):
    s = alpha * s + (1 - alpha) * g**2
    return s, p - lr * g / (np.sqrt(s) + eps)


def rms_this_gradient_only(p, g, s, lr, alpha, eps):
    s = alpha * s + (1 - alpha) * g**2
    return p - lr * g / (np.sqrt(g**2) + eps), s


def rms_average_in_place(p, g, s, lr, alpha, eps):
    s *= alpha
    s += (1 - alpha) * g**2
    return p - lr * g / (np.sqrt(s) + eps), s


def rms_square_outside(p, g, s, lr, alpha, eps):
    s = (alpha * s + (1 - alpha) * g) ** 2
    return p - lr * g / (np.sqrt(s) + eps), s


RMSPROP_WRONG = [
    (rms_eps_precedence, "parentheses"),
    (rms_bias_corrected, "no bias correction"),
    (rms_old_average_returned, "return the NEW square_avg"),
    (rms_no_one_minus_alpha, "weight (1 − α)"),
    (rms_swapped_outputs, "order"),
    (rms_this_gradient_only, "sign descent"),
    (rms_average_in_place, "in place"),
    (rms_square_outside, "square the gradient before"),
]

BATTERIES = {
    "sgd_momentum_step": (ch05._SGD, SGD_WRONG),
    "adam_step": (ch05._ADAM, ADAM_WRONG),
    "ewa": (ch05._EWA, EWA_WRONG),
    "rmsprop_step": (ch05._RMSPROP, RMSPROP_WRONG),
}


def named_count(checker, battery):
    named = 0
    for wrong, hint in battery:
        with np.errstate(all="ignore"):
            verdict = checker.evaluate(wrong)
        named += (not verdict.passed) and hint in verdict.hint
    return named


@pytest.mark.parametrize("name", list(BATTERIES))
def test_every_wrong_answer_is_rejected(name):
    checker, battery = BATTERIES[name]
    for wrong, _ in battery:
        with np.errstate(all="ignore"):
            assert not checker.evaluate(wrong).passed, wrong.__name__


@pytest.mark.parametrize("name", list(BATTERIES))
def test_hint_rate_is_at_least_95_percent(name):
    checker, battery = BATTERIES[name]
    assert len(battery) >= 8
    named = named_count(checker, battery)
    assert named / len(battery) >= 0.95, (name, named, len(battery))
