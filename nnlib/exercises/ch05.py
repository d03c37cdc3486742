r"""Checkers for chapter 5 (optimizers).

The learner writes one update step as a pure function of NumPy arrays that returns the new
values (instead of updating in place), so each step can be checked on its own. The
conventions are PyTorch's (``torch.optim.SGD``, ``torch.optim.Adam``), and the references
are :class:`nnlib.optim.SGD` and :class:`nnlib.optim.Adam` run for one step from the given
velocity or moments; the exponentially weighted average, which nnlib has no function for,
is computed in NumPy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nnlib import Tensor, optim
from nnlib.exercises.core import (
    Case,
    Checker,
    Mistake,
    any_of,
    non_finite,
    same_as,
    scaled_by,
    shape_is,
    when,
)
from nnlib.nn import Parameter


def _with_grad(param: np.ndarray, grad: np.ndarray) -> Parameter:
    """``param`` as a float64 :class:`~nnlib.nn.Parameter` whose ``.grad`` is ``grad``.

    The references build one of these, give the optimizer its state, and take one step.
    """
    p = Parameter(np.array(param, dtype=np.float64))
    p.grad = Tensor(np.array(grad, dtype=np.float64))
    return p


# -------------------------------------------------------------------- SGD momentum
def _sgd_cases() -> list[Case]:
    rng = np.random.default_rng(501)
    p, g = np.array([1.0, -2.0, 0.5]), np.array([0.2, -0.4, 1.0])
    return [
        Case("a step with velocity", (p, g, np.array([0.5, 0.1, -0.3]), 0.1, 0.9)),
        Case("the first step (velocity 0)", (p, g, np.zeros(3), 0.05, 0.9)),
        Case("momentum 0 is plain SGD", (p, g, np.array([1.0, 1.0, 1.0]), 0.1, 0.0)),
        Case(
            "a 2-D parameter",
            (rng.normal(size=(2, 3)), rng.normal(size=(2, 3)), rng.normal(size=(2, 3)), 0.01, 0.5),
        ),
    ]


def _sgd_reference(
    param: np.ndarray, grad: np.ndarray, velocity: np.ndarray, lr: float, momentum: float
) -> tuple[np.ndarray, np.ndarray]:
    """One step of ``torch.optim.SGD`` with momentum (dampening 0): ``v = μv + g; p -= lr·v``.

    Computed by :class:`nnlib.optim.SGD` with its momentum buffer set to ``velocity``.
    """
    p = _with_grad(param, grad)
    opt = optim.SGD([p], lr=lr, momentum=momentum)
    if momentum != 0:
        opt.state[p]["momentum_buffer"] = np.array(velocity, dtype=np.float64)
    opt.step()
    v = opt.state[p]["momentum_buffer"] if momentum != 0 else np.array(grad, dtype=np.float64)
    return p.data, v


_SGD = Checker(
    title="sgd_momentum_step",
    cases=_sgd_cases,
    reference=_sgd_reference,
    output_names=("param", "velocity"),
    mistakes=(
        Mistake(
            "PyTorch's SGD keeps v = momentum·v + grad, without the (1 − momentum) factor of "
            "the exponentially-weighted-average form (that form shrinks the step by "
            "1 − momentum).",
            same_as(
                lambda p, g, v, lr, mu: (p - lr * (mu * v + (1 - mu) * g), mu * v + (1 - mu) * g)
            ),
        ),
        Mistake(
            "update the velocity first, then step the parameter with the NEW velocity.",
            same_as(lambda p, g, v, lr, mu: (p - lr * v, mu * v + g)),
        ),
        Mistake(
            "step along the velocity, param − lr·v, not along the raw gradient.",
            same_as(lambda p, g, v, lr, mu: (p - lr * g, mu * v + g)),
        ),
        Mistake(
            "step AGAINST the gradient: param − lr·v.",
            same_as(lambda p, g, v, lr, mu: (p + lr * (mu * v + g), mu * v + g)),
        ),
        Mistake(
            "return the velocity in PyTorch's form v = momentum·v + grad; the learning rate "
            "belongs in the parameter update, param − lr·v.",
            same_as(lambda p, g, v, lr, mu: (p + mu * v - lr * g, mu * v - lr * g)),
        ),
        Mistake(
            "keep the learning rate out of the velocity: v = momentum·velocity + grad, and "
            "multiply by lr only in the step, param − lr·v (v = momentum·v + lr·grad is "
            "another convention, whose velocity is lr times PyTorch's).",
            same_as(lambda p, g, v, lr, mu: (p - (mu * v + lr * g), mu * v + lr * g)),
        ),
        Mistake(
            "that is Nesterov's step, along grad + momentum·v; plain momentum steps along the "
            "velocity itself: param − lr·v.",
            same_as(lambda p, g, v, lr, mu: (p - lr * (g + mu * (mu * v + g)), mu * v + g)),
        ),
        Mistake(
            "return the NEW velocity, momentum·velocity + grad, so that the next step can "
            "use it; you returned the velocity you were given.",
            same_as(lambda p, g, v, lr, mu: (p - lr * (mu * v + g), v)),
        ),
        Mistake(
            "return the two outputs in this order: (new_param, new_velocity).",
            same_as(lambda p, g, v, lr, mu: (mu * v + g, p - lr * (mu * v + g))),
        ),
        Mistake(
            "multiply the old velocity by momentum: v = momentum·velocity + grad (without "
            "the factor the velocity never forgets an old gradient).",
            same_as(lambda p, g, v, lr, mu: (p - lr * (v + g), v + g)),
        ),
        Mistake(
            "momentum multiplies only the old velocity; the new gradient is added at full "
            "weight: v = momentum·velocity + grad.",
            same_as(lambda p, g, v, lr, mu: (p - lr * mu * (v + g), mu * (v + g))),
        ),
        Mistake(
            "the step is scaled by lr, not momentum: param − lr·v.",
            same_as(lambda p, g, v, lr, mu: (p - mu * (mu * v + g), mu * v + g)),
        ),
        Mistake(
            "keep the sign of the velocity as PyTorch does: v = momentum·v + grad (it points "
            "uphill, like the gradient) and param − lr·v; with v = momentum·v − grad the "
            "velocity you are given has the opposite sign.",
            same_as(lambda p, g, v, lr, mu: (p + lr * (mu * v - g), mu * v - g)),
        ),
    ),
    default_hint="v = momentum·velocity + grad, then param − lr·v; return (param, v).",
    success="The same step as torch.optim.SGD(momentum=...).",
)


def check_sgd_momentum_step(fn: Callable[..., Any]) -> None:
    r"""Check one momentum step: ``sgd_momentum_step(param, grad, velocity, lr, momentum)``.

    PyTorch's convention: :math:`v \leftarrow \mu v + g`, then
    :math:`\theta \leftarrow \theta - \eta v`. The learner returns the tuple
    ``(new_param, new_velocity)`` without modifying the inputs. Recognises: the
    (1 − μ) EWA form, stepping with the old velocity, stepping with the raw gradient, a
    flipped sign, the learning rate folded into the velocity, in-place updates.

    Args:
        fn: The learner's function.

    Example:
        >>> def sgd_momentum_step(param, grad, velocity, lr, momentum):
        ...     velocity = momentum * velocity + grad
        ...     return param - lr * velocity, velocity
        >>> check_sgd_momentum_step(sgd_momentum_step)  # doctest: +ELLIPSIS
        ✓ sgd_momentum_step: correct on all 4 cases (...

    Taught in chapter 5 (optimizers).
    """
    _SGD(fn)


# --------------------------------------------------------------------------- Adam
def _adam_cases() -> list[Case]:
    rng = np.random.default_rng(502)
    p, g = np.array([1.0, -2.0, 0.5]), np.array([0.2, -0.4, 1.0])
    z = np.zeros(3)
    betas = (0.9, 0.999)
    return [
        Case("the first step (t = 1)", (p, g, z, z, 1, 0.001, betas, 1e-8)),
        Case(
            "step t = 10 with moments",
            (
                p,
                g,
                np.array([0.1, -0.2, 0.3]),
                np.array([0.01, 0.02, 0.03]),
                10,
                0.01,
                betas,
                1e-8,
            ),
        ),
        Case(
            "large eps",
            (
                p,
                g,
                np.array([0.1, 0.1, 0.1]),
                np.array([1e-4, 1e-4, 1e-4]),
                3,
                0.1,
                (0.8, 0.9),
                0.1,
            ),
        ),
        Case(
            "a 2-D parameter, t = 100",
            (
                rng.normal(size=(2, 2)),
                rng.normal(size=(2, 2)),
                rng.normal(size=(2, 2)) * 0.1,
                rng.random((2, 2)) * 0.1,
                100,
                0.001,
                betas,
                1e-8,
            ),
        ),
    ]


def _adam(*args: Any, **switches: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Adam with switches that reproduce the usual mistakes."""
    p, g, m, v, t, lr, (b1, b2), eps = args
    (a1, c1), (a2, c2) = (
        ((1 - b1, b1), (1 - b2, b2))
        if switches.get("swap")
        else (
            (b1, 1 - b1),
            (b2, 1 - b2),
        )
    )
    m = a1 * m + c1 * g
    v = a2 * v + c2 * (np.abs(g) if switches.get("abs") else g * g)
    tt = t + switches.get("t_shift", 0)
    if switches.get("power_of_complement"):
        m_hat, v_hat = m / (1 - b1) ** tt, v / (1 - b2) ** tt
    else:
        m_hat, v_hat = m / (1 - b1**tt), v / (1 - b2**tt)
    if switches.get("no_correction"):
        m_hat, v_hat = m, v
    if switches.get("correct_m") is False:
        m_hat = m
    if switches.get("correct_v") is False:
        v_hat = v
    if switches.get("eps_inside"):
        step = lr * m_hat / np.sqrt(v_hat + eps)
    elif switches.get("no_sqrt"):
        step = lr * m_hat / (v_hat + eps)
    elif switches.get("no_eps"):
        step = lr * m_hat / np.sqrt(v_hat)
    else:
        step = lr * m_hat / (np.sqrt(v_hat) + eps)
    new_p = p + step if switches.get("sign") else p - step
    if switches.get("return_hat"):
        return new_p, m_hat, v_hat
    return new_p, m, v


def _adam_reference(
    param: np.ndarray,
    grad: np.ndarray,
    m: np.ndarray,
    v: np.ndarray,
    t: int,
    lr: float,
    betas: tuple[float, float],
    eps: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One step of ``torch.optim.Adam`` at step ``t`` (1 on the first step).

    Computed by :class:`nnlib.optim.Adam` with its state set to step ``t - 1`` and the
    moments ``m`` and ``v``.
    """
    p = _with_grad(param, grad)
    opt = optim.Adam([p], lr=lr, betas=betas, eps=eps)
    opt.state[p].update(
        step=t - 1,
        exp_avg=np.array(m, dtype=np.float64),
        exp_avg_sq=np.array(v, dtype=np.float64),
    )
    opt.step()
    state = opt.state[p]
    return p.data, state["exp_avg"].copy(), state["exp_avg_sq"].copy()


_ADAM = Checker(
    title="adam_step",
    cases=_adam_cases,
    reference=_adam_reference,
    output_names=("param", "m", "v"),
    mistakes=(
        Mistake(
            "bias correction is missing: divide the moments by (1 − β₁ᵗ) and (1 − β₂ᵗ) before "
            "the step. The moments start at 0, so without it the early steps are badly "
            "scaled.",
            same_as(_adam, no_correction=True),
        ),
        Mistake(
            "return the RAW moments m and v, to carry to the next step; the bias-corrected "
            "m̂ and v̂ are only for computing this step.",
            same_as(_adam, return_hat=True),
        ),
        Mistake(
            "use the step number t as given (t = 1 on the first step) in 1 − βᵗ; with "
            "t − 1 the first step divides by 1 − β⁰ = 0.",
            any_of(
                same_as(_adam, t_shift=1),
                same_as(_adam, t_shift=-1),
                when("(t = 1)", non_finite()),
            ),
        ),
        Mistake(
            "eps goes outside the square root: param − lr·m̂ / (√v̂ + eps).",
            same_as(_adam, eps_inside=True),
        ),
        Mistake(
            "the second moment averages the SQUARED gradient: v = β₂·v + (1 − β₂)·grad².",
            same_as(_adam, abs=True),
        ),
        Mistake(
            "step against the gradient: param − lr·m̂/(√v̂ + eps).",
            same_as(_adam, sign=True),
        ),
        Mistake(
            "correct v too: v̂ = v/(1 − β₂ᵗ), then param − lr·m̂/(√v̂ + eps).",
            same_as(_adam, correct_v=False),
        ),
        Mistake(
            "correct m too: m̂ = m/(1 − β₁ᵗ), then param − lr·m̂/(√v̂ + eps).",
            same_as(_adam, correct_m=False),
        ),
        Mistake(
            "divide by the SQUARE ROOT of v̂: param − lr·m̂/(√v̂ + eps); v̂ is in squared "
            "units of the gradient.",
            same_as(_adam, no_sqrt=True),
        ),
        Mistake(
            "use β₁ for m (the gradient's average) and β₂ for v (the squared gradient's): "
            "betas = (β₁, β₂), in that order.",
            same_as(lambda p, g, m, v, t, lr, b, eps: _adam(p, g, m, v, t, lr, b[::-1], eps)),
        ),
        Mistake(
            "β multiplies the OLD moment: m = β₁·m + (1 − β₁)·grad (you swapped β and 1 − β).",
            same_as(_adam, swap=True),
        ),
        Mistake(
            "the correction divides by 1 − βᵗ, not (1 − β)ᵗ: `1 - beta1**t`.",
            same_as(_adam, power_of_complement=True),
        ),
        Mistake(
            "add eps to the denominator: param − lr·m̂/(√v̂ + eps).",
            same_as(_adam, no_eps=True),
        ),
    ),
    default_hint="m = β₁m + (1 − β₁)g; v = β₂v + (1 − β₂)g²; m̂ = m/(1 − β₁ᵗ); "
    "v̂ = v/(1 − β₂ᵗ); param − lr·m̂/(√v̂ + eps); return (param, m, v).",
    success="The same step as torch.optim.Adam.",
)


def check_adam_step(fn: Callable[..., Any]) -> None:
    r"""Check one Adam step: ``adam_step(param, grad, m, v, t, lr, betas, eps) -> (param, m, v)``.

    With ``betas = (β₁, β₂)`` and the step number ``t`` (1 on the first step):

    .. math::

        m \leftarrow \beta_1 m + (1-\beta_1) g, \quad
        v \leftarrow \beta_2 v + (1-\beta_2) g^2, \quad
        \theta \leftarrow \theta
            - \eta \frac{m / (1-\beta_1^t)}{\sqrt{v / (1-\beta_2^t)} + \epsilon}

    The learner returns the new parameter and the raw (uncorrected) moments, without
    modifying the inputs. Recognises: missing bias correction, returning the corrected
    moments, t off by one, eps inside the square root, :math:`|g|` instead of
    :math:`g^2`, a flipped sign.

    Args:
        fn: The learner's function.

    Example:
        >>> import numpy as np
        >>> def adam_step(param, grad, m, v, t, lr, betas, eps):
        ...     beta1, beta2 = betas
        ...     m = beta1 * m + (1 - beta1) * grad
        ...     v = beta2 * v + (1 - beta2) * grad**2
        ...     m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        ...     return param - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
        >>> check_adam_step(adam_step)  # doctest: +ELLIPSIS
        ✓ adam_step: correct on all 4 cases (...

    Taught in chapter 5 (optimizers).
    """
    _ADAM(fn)


# ---------------------------------------------------------------------------- EWA
def _ewa_cases() -> list[Case]:
    temps = np.array([10.0, 12.0, 11.0, 15.0, 14.0, 13.0])
    return [
        Case("beta 0.9, no bias correction", (temps, 0.9)),
        Case("beta 0.5, with bias correction", (temps, 0.5, True)),
        Case("a constant sequence, bias-corrected: stays constant", (np.full(4, 3.0), 0.9, True)),
        Case("beta 0 copies the values", (temps, 0.0, False)),
        Case("one value", (np.array([7.0]), 0.8, False)),
    ]


def _ewa(
    values: Any,
    beta: float,
    bias_correction: bool = False,
    *,
    swap: bool = False,
    start_first: bool = False,
    compound: bool = False,
    t_shift: int = 0,
    multiply: bool = False,
    no_complement: bool = False,
    last_t: bool = False,
    before: bool = False,
    times_t: bool = False,
) -> np.ndarray:
    """The EWA with switches that reproduce the usual mistakes."""
    out, v = [], (values[0] if start_first else 0.0)
    a, c = (1 - beta, beta) if swap else (beta, 1 - beta)
    if no_complement:
        c = 1.0
    for t, theta in enumerate(values, start=1):
        previous = v
        v = a * v + c * theta
        shown = previous if before else v
        tt = len(values) if last_t else t + t_shift
        factor = 1 - beta * tt if times_t else 1 - beta**tt
        if not bias_correction:
            corrected = shown
        elif multiply:
            corrected = shown * factor
        else:
            corrected = shown / factor
        if compound:
            v = corrected
        out.append(corrected)
    return np.array(out)


def _ewa_reference(values: np.ndarray, beta: float, bias_correction: bool = False) -> np.ndarray:
    """Exponentially weighted averages ``q̄_t = β q̄_{t-1} + (1 - β) q_t`` from ``q̄_0 = 0``."""
    out = np.empty(len(values))
    v = 0.0
    for t, q_t in enumerate(values, start=1):
        v = beta * v + (1 - beta) * q_t
        out[t - 1] = v / (1 - beta**t) if bias_correction else v
    return out


_EWA = Checker(
    title="ewa",
    cases=_ewa_cases,
    reference=_ewa_reference,
    mistakes=(
        Mistake(
            "β multiplies the OLD average: q̄_t = β·q̄_(t−1) + (1 − β)·q_t (you swapped β and "
            "1 − β).",
            same_as(_ewa, swap=True),
        ),
        Mistake(
            "start from q̄_0 = 0; this is why the early averages are too small and need the "
            "bias correction.",
            same_as(_ewa, start_first=True),
        ),
        Mistake(
            "with bias_correction=True, divide each reported value by (1 − βᵗ).",
            same_as(lambda values, beta, bc=False: _ewa(values, beta, False)),
        ),
        Mistake(
            "keep the running average uncorrected; divide only the value you report by (1 − βᵗ).",
            same_as(_ewa, compound=True),
        ),
        Mistake(
            "the first value has t = 1: the correction is 1 − βᵗ with t = 1, 2, 3, …",
            any_of(
                same_as(_ewa, t_shift=1),
                same_as(_ewa, t_shift=-1),
            ),
        ),
        Mistake(
            "return the whole sequence q̄_1 … q̄_T, one average per value, not just the last.",
            shape_is(lambda *a: ()),
        ),
        Mistake(
            "divide by (1 − βᵗ) only when bias_correction=True; by default report the raw "
            "average v_t.",
            same_as(lambda values, beta, bc=False: _ewa(values, beta, True)),
        ),
        Mistake(
            "DIVIDE by (1 − βᵗ), do not multiply: the early averages are too small and the "
            "correction must enlarge them.",
            same_as(_ewa, multiply=True),
        ),
        Mistake(
            "the new value gets the weight (1 − β): v = β·v + (1 − β)·value; without it the "
            "average grows to about 1/(1 − β) times the values.",
            same_as(_ewa, no_complement=True),
        ),
        Mistake(
            "that is a plain running mean (equal weights); an exponentially weighted average "
            "weights recent values more: v = β·v + (1 − β)·value.",
            same_as(lambda values, *_: np.cumsum(values) / np.arange(1, len(values) + 1)),
        ),
        Mistake(
            "each value gets its own t: divide v_t by (1 − βᵗ) with t = 1, 2, …, not every "
            "value by one factor.",
            same_as(_ewa, last_t=True),
        ),
        Mistake(
            "report each average after updating it with its value: the first one reported is "
            "v_1, not v_0 = 0.",
            same_as(_ewa, before=True),
        ),
        Mistake(
            "raise β to the power t: 1 − β**t, not 1 − β*t.",
            same_as(_ewa, times_t=True),
        ),
    ),
    default_hint="v = 0; for each value: v = β·v + (1 − β)·value, report v (or v / (1 − βᵗ)).",
    success="Exponentially weighted averages, bias-corrected when asked.",
)


def check_ewa(fn: Callable[..., Any]) -> None:
    r"""Check exponentially weighted averages: ``ewa(values, beta, bias_correction=False)``.

    The learner returns an array with one average per value,
    :math:`\bar q_t = \beta \bar q_{t-1} + (1-\beta) q_t` from :math:`\bar q_0 = 0`, divided by
    :math:`1 - \beta^t` when ``bias_correction`` is true (the running average itself stays
    uncorrected). Some cases call ``ewa(values, beta)`` with the default. Recognises: β and
    1 − β swapped, starting from the first value, a missing or compounding correction, t off
    by one, returning only the last average.

    Args:
        fn: The learner's function.

    Example:
        >>> import numpy as np
        >>> def ewa(values, beta, bias_correction=False):
        ...     v, out = 0.0, []
        ...     for t, theta in enumerate(values, start=1):
        ...         v = beta * v + (1 - beta) * theta
        ...         out.append(v / (1 - beta**t) if bias_correction else v)
        ...     return np.array(out)
        >>> check_ewa(ewa)  # doctest: +ELLIPSIS
        ✓ ewa: correct on all 5 cases (...

    Taught in chapter 5 (optimizers).
    """
    _EWA(fn)


# ------------------------------------------------------------------------- RMSprop
def _rmsprop_reference(
    param: np.ndarray,
    grad: np.ndarray,
    square_avg: np.ndarray,
    lr: float,
    alpha: float,
    eps: float,
) -> tuple[np.ndarray, np.ndarray]:
    """One step of :class:`nnlib.optim.RMSprop` from the running average ``square_avg``."""
    p = _with_grad(param, grad)
    opt = optim.RMSprop([p], lr=lr, alpha=alpha, eps=eps)
    opt.state[p].update(step=0, square_avg=np.array(square_avg, dtype=np.float64))
    opt.step()
    return p.data, opt.state[p]["square_avg"]


def _rmsprop_cases() -> list[Case]:
    rng = np.random.default_rng(503)
    p, g = np.array([1.0, -2.0, 0.5]), np.array([0.2, -0.4, 1.0])
    return [
        Case("the first step (average 0)", (p, g, np.zeros(3), 0.01, 0.99, 1e-8)),
        Case("a step with a running average", (p, g, np.array([0.5, 0.1, 2.0]), 0.01, 0.9, 1e-8)),
        Case("large eps", (p, g, np.array([0.01, 0.04, 0.09]), 0.1, 0.8, 0.5)),
        Case(
            "a coordinate whose gradient has always been 0",
            (p, np.array([0.0, -0.4, 1.0]), np.array([0.0, 0.1, 0.2]), 0.01, 0.99, 1e-8),
        ),
        Case(
            "a 2-D parameter",
            (
                rng.normal(size=(2, 3)),
                rng.normal(size=(2, 3)),
                rng.random((2, 3)),
                0.001,
                0.99,
                1e-8,
            ),
        ),
    ]


def _rmsprop(
    p: Any, g: Any, s: Any, lr: float, alpha: float, eps: float, **switches: Any
) -> tuple[np.ndarray, np.ndarray]:
    """RMSprop with switches that reproduce the usual mistakes."""
    a, c = (1 - alpha, alpha) if switches.get("swap") else (alpha, 1 - alpha)
    if switches.get("no_complement"):
        c = 1.0
    new_s = a * s + c * (np.abs(g) if switches.get("abs") else g * g)
    if switches.get("square_outside"):
        new_s = (a * s + c * g) ** 2
    used = s if switches.get("old") else new_s
    if switches.get("bias"):
        used = used / (1 - alpha)
    if switches.get("this_only"):
        used = g * g
    if switches.get("no_sqrt"):
        denom = used + eps
    elif switches.get("eps_inside"):
        denom = np.sqrt(used + eps)
    elif switches.get("no_eps"):
        denom = np.sqrt(used)
    else:
        denom = np.sqrt(used) + eps
    with np.errstate(divide="ignore", invalid="ignore"):
        step = lr * g / denom
    return (p + step if switches.get("sign") else p - step), new_s


_RMSPROP = Checker(
    title="rmsprop_step",
    cases=_rmsprop_cases,
    reference=_rmsprop_reference,
    output_names=("param", "square_avg"),
    mistakes=(
        Mistake(
            "α multiplies the OLD average: square_avg = α·square_avg + (1 − α)·grad² (you "
            "swapped α and 1 − α).",
            same_as(_rmsprop, swap=True),
        ),
        Mistake(
            "the running average is of the SQUARED gradient: (1 − α)·grad², not |grad|.",
            same_as(_rmsprop, abs=True),
        ),
        Mistake(
            "divide by the SQUARE ROOT of the average, √square_avg + eps: the step must "
            "have the units of the parameter.",
            same_as(_rmsprop, no_sqrt=True),
        ),
        Mistake(
            "update the average first, then divide by the NEW one (it already contains this "
            "gradient).",
            same_as(_rmsprop, old=True),
        ),
        Mistake(
            "add eps to the denominator: a coordinate whose gradient has always been 0 has "
            "square_avg = 0, and 0/0 is NaN.",
            any_of(
                same_as(_rmsprop, no_eps=True),
                when("always been 0", non_finite()),
            ),
        ),
        Mistake(
            "eps goes outside the square root, as in PyTorch: grad / (√square_avg + eps).",
            same_as(_rmsprop, eps_inside=True),
        ),
        Mistake(
            "step AGAINST the gradient: param − lr·grad / (√square_avg + eps).",
            same_as(_rmsprop, sign=True),
        ),
        Mistake(
            "mind the parentheses: lr·grad / (√square_avg + eps); "
            "`lr * grad / np.sqrt(square_avg) + eps` adds eps to the step instead.",
            lambda a: same_as(
                lambda p, g, s, lr, al, eps: (
                    p - (lr * g / np.sqrt(al * s + (1 - al) * g**2) + eps),
                    al * s + (1 - al) * g**2,
                )
            )(a),
        ),
        Mistake(
            "the new squared gradient gets the weight (1 − α): square_avg = α·square_avg + "
            "(1 − α)·grad².",
            same_as(_rmsprop, no_complement=True, output=1),
        ),
        Mistake(
            "return the NEW square_avg, α·square_avg + (1 − α)·grad², so that the next step "
            "can use it; you returned the one you were given.",
            same_as(lambda p, g, s, lr, al, eps: (_rmsprop(p, g, s, lr, al, eps)[0], s)),
        ),
        Mistake(
            "return the two outputs in this order: (new_param, new_square_avg).",
            same_as(lambda *a: _rmsprop(*a)[::-1]),
        ),
        Mistake(
            "divide by the root of the running average, √square_avg + eps: PyTorch's RMSprop "
            "has no bias correction (not √(square_avg / (1 − α))), and the root of this "
            "gradient's square alone moves every coordinate by exactly lr (sign descent).",
            any_of(
                same_as(_rmsprop, bias=True),
                same_as(_rmsprop, this_only=True),
            ),
        ),
        Mistake(
            "square the gradient before averaging: α·square_avg + (1 − α)·grad², not "
            "(α·square_avg + (1 − α)·grad)².",
            same_as(_rmsprop, square_outside=True),
        ),
    ),
    default_hint="square_avg = α·square_avg + (1 − α)·grad²; then "
    "param − lr·grad / (√square_avg + eps); return (param, square_avg).",
    success="The same step as torch.optim.RMSprop.",
)


def check_rmsprop_step(fn: Callable[..., Any]) -> None:
    r"""Check one RMSprop step: ``rmsprop_step(param, grad, square_avg, lr, alpha, eps)``.

    PyTorch's convention (``torch.optim.RMSprop``, no momentum, not centered):

    .. math::

        s \leftarrow \alpha s + (1-\alpha) g^2, \qquad
        \theta \leftarrow \theta - \eta \frac{g}{\sqrt{s} + \epsilon}

    The learner returns ``(new_param, new_square_avg)`` without modifying the inputs.
    Recognises: α and 1 − α swapped, :math:`|g|` instead of :math:`g^2`, a missing square
    root, dividing by the old average, a missing eps (NaN on a zero gradient), eps inside
    the square root, a flipped sign, in-place updates.

    Args:
        fn: The learner's function.

    Example:
        >>> import numpy as np
        >>> def rmsprop_step(param, grad, square_avg, lr, alpha, eps):
        ...     square_avg = alpha * square_avg + (1 - alpha) * grad**2
        ...     return param - lr * grad / (np.sqrt(square_avg) + eps), square_avg
        >>> check_rmsprop_step(rmsprop_step)  # doctest: +ELLIPSIS
        ✓ rmsprop_step: correct on all 5 cases (...

    Taught in chapter 5 (optimizers).
    """
    _RMSPROP(fn)


# ----------------------------------------------------------- warm-up + cosine as a LambdaLR
def _warmup_cosine_cases() -> list[Case]:
    return [
        Case("5 warm-up steps of 20", (5, 20)),
        Case("2 warm-up steps of 10", (2, 10)),
        Case("10 warm-up steps of 12", (10, 12)),
        Case("3 warm-up steps of 100", (3, 100)),
    ]


def _warmup_cosine_reference(warmup_steps: int, total_steps: int) -> np.ndarray:
    """The factors of nnlib's LinearLR then CosineAnnealingLR, joined by SequentialLR."""
    opt = optim.SGD([Parameter(np.zeros(1))], lr=1.0)
    warmup = optim.lr_scheduler.LinearLR(
        opt, start_factor=1.0 / warmup_steps, total_iters=warmup_steps - 1
    )
    cosine = optim.lr_scheduler.CosineAnnealingLR(opt, T_max=total_steps - warmup_steps)
    schedule = optim.lr_scheduler.SequentialLR(opt, [warmup, cosine], milestones=[warmup_steps])
    factors = []
    for _ in range(total_steps):
        factors.append(opt.param_groups[0]["lr"])
        opt.step()
        schedule.step()
    return np.array(factors)


def _factors(
    rule: Callable[[int, int, int], float], warmup_steps: int, total_steps: int
) -> np.ndarray:
    return np.array([rule(s, warmup_steps, total_steps) for s in range(total_steps)])


def _cosine_part(s: int, start: int, length: int) -> float:
    return 0.5 * (1 + float(np.cos(np.pi * (s - start) / length)))


def _variant(
    first: Callable[[int, int], float], cosine: Callable[[int, int, int], float]
) -> Callable[[int, int], np.ndarray]:
    """A mistaken schedule: ``first(s, W)`` during warm-up, then ``cosine(s, W, T)``."""
    return lambda W, T: _factors(lambda s, w, t: first(s, w) if s < w else cosine(s, w, t), W, T)


def _right_cosine(s: int, w: int, t: int) -> float:
    return _cosine_part(s, w, t - w)


def _every_step(rule: Callable[..., Any]) -> Callable[[int, int], Any]:
    """The learner's factor at one step, as the list of its factors over a whole run."""

    def factors(warmup_steps: int, total_steps: int) -> Any:
        values = [rule(s, warmup_steps, total_steps) for s in range(total_steps)]
        unfinished = [v for v in values if v is None or v is Ellipsis]
        return unfinished[0] if unfinished else values

    factors.__name__ = getattr(rule, "__name__", "warmup_cosine")
    return factors


_WARMUP_COSINE = Checker(
    title="warmup_cosine",
    cases=_warmup_cosine_cases,
    reference=_warmup_cosine_reference,
    mistakes=(
        Mistake(
            "the first step has factor 0, so it does not move the weights at all: count "
            "the steps from 1 during warm-up, (step + 1) / warmup_steps.",
            same_as(_variant(lambda s, w: s / w, _right_cosine)),
        ),
        Mistake(
            "integer division: (step + 1) // warmup_steps is 0 for every warm-up step but "
            "the last. Use `/`.",
            same_as(_variant(lambda s, w: float((s + 1) // w), _right_cosine)),
        ),
        Mistake(
            "the cosine should start where the warm-up ends: use (step − warmup_steps) / "
            "(total_steps − warmup_steps) as the fraction of the decay done.",
            same_as(_variant(lambda s, w: (s + 1) / w, lambda s, w, t: _cosine_part(s, 0, t))),
        ),
        Mistake(
            "the decay runs over the steps after warm-up: divide by total_steps − "
            "warmup_steps, not by total_steps.",
            same_as(_variant(lambda s, w: (s + 1) / w, lambda s, w, t: _cosine_part(s, w, t))),
        ),
        Mistake(
            "cos goes from 1 to −1: the factor is 0.5 · (1 + cos(π · fraction)), which goes "
            "from 1 to 0. Yours turns negative (a negative learning rate climbs the loss).",
            same_as(
                _variant(
                    lambda s, w: (s + 1) / w,
                    lambda s, w, t: float(np.cos(np.pi * (s - w) / (t - w))),
                )
            ),
        ),
        Mistake(
            "that is a linear decay, 1 − fraction; the cosine form is 0.5 · (1 + cos(π · "
            "fraction)), which stays near 1 longer and lands softly at 0.",
            same_as(_variant(lambda s, w: (s + 1) / w, lambda s, w, t: 1 - (s - w) / (t - w))),
        ),
        Mistake(
            "there is no warm-up: for step < warmup_steps the factor rises linearly, "
            "(step + 1) / warmup_steps, instead of staying at 1.",
            same_as(_variant(lambda s, w: 1.0, _right_cosine)),
        ),
        Mistake(
            "no warm-up: during the first warmup_steps steps the factor should rise, "
            "(step + 1) / warmup_steps, before the cosine takes over.",
            same_as(lambda W, T: _factors(lambda s, w, t: _cosine_part(s, 0, t), W, T)),
        ),
        Mistake(
            "the cosine goes from 1 down to 0; yours goes from 0 up to 1 (a sign inside the "
            "cosine, or 1 − cos).",
            same_as(
                _variant(lambda s, w: (s + 1) / w, lambda s, w, t: 1 - _cosine_part(s, w, t - w))
            ),
        ),
    ),
    default_hint="factor = (step + 1) / warmup_steps during warm-up, then 0.5 · (1 + cos(π · "
    "(step − warmup_steps) / (total_steps − warmup_steps))).",
    success="The same factors as SequentialLR(LinearLR, CosineAnnealingLR).",
    adapt=_every_step,
)


def check_warmup_cosine(fn: Callable[..., Any]) -> None:
    r"""Check a warm-up + cosine schedule for ``LambdaLR``: ``warmup_cosine(step, W, T)``.

    The learner writes the factor that ``LambdaLR`` multiplies the base learning rate by at
    step ``step`` (0, 1, …, T − 1) of a run of ``T = total_steps`` with
    ``W = warmup_steps`` (at least 2) steps of linear warm-up:

    .. math::

        \lambda(s) = \frac{s + 1}{W} \text{ for } s < W, \qquad
        \lambda(s) = \tfrac12\Bigl(1 + \cos\frac{\pi (s - W)}{T - W}\Bigr) \text{ after.}

    The checker calls the function for every step of several runs and compares the factors
    with those of nnlib's ``SequentialLR`` of ``LinearLR(start_factor=1/W,
    total_iters=W-1)`` and ``CosineAnnealingLR(T_max=T-W)``, the same schedule built from
    parts. Recognises: a first step at factor 0, integer division, a cosine that starts at
    step 0 or spans all T steps, cos without 0.5 · (1 + …), a linear decay, a missing
    warm-up, a cosine that rises.

    Args:
        fn: The learner's function of ``(step, warmup_steps, total_steps)``.

    Example:
        >>> import math
        >>> def warmup_cosine(step, warmup_steps, total_steps):
        ...     if step < warmup_steps:
        ...         return (step + 1) / warmup_steps
        ...     done = (step - warmup_steps) / (total_steps - warmup_steps)
        ...     return 0.5 * (1 + math.cos(math.pi * done))
        >>> check_warmup_cosine(warmup_cosine)  # doctest: +ELLIPSIS
        ✓ warmup_cosine: correct on all 4 cases (...). The same factors as SequentialLR...

    Taught in chapter 5 (optimizers).
    """
    _WARMUP_COSINE(fn)


# --------------------------------------------------------- predict Adam's first step
def _first_step_cases() -> list[Case]:
    return [
        Case("gradients of ordinary size", (np.array([0.5, -2.0, 3.0]), 0.1)),
        Case("gradients a million times larger", (np.array([5e5, -2e6, 3e6]), 0.1)),
        Case("tiny gradients, near eps", (np.array([1e-6, -1e-9, 1e-12]), 0.01)),
        Case("a zero gradient", (np.array([0.0, 1.0]), 0.001)),
    ]


def _adam_first_step_reference(grad: np.ndarray, lr: float) -> np.ndarray:
    """The change nnlib's Adam (default betas and eps) makes in its first step from 0."""
    param = Parameter(np.zeros_like(grad))
    param.grad = Tensor(grad.copy())
    optim.Adam([param], lr=lr).step()
    return param.data.copy()


def _first_step_uncorrected(grad: np.ndarray, lr: float) -> np.ndarray:
    m, v = 0.1 * grad, 0.001 * grad**2
    return -lr * m / (np.sqrt(v) + 1e-8)


_ADAM_FIRST_STEP = Checker(
    title="adam_first_step",
    cases=_first_step_cases,
    reference=_adam_first_step_reference,
    mistakes=(
        Mistake(
            "Adam divides the gradient by its own root-mean-square, so the first step does "
            "not grow with the gradient: after bias correction m̂ = g and v̂ = g², so the "
            "step is −lr · g / (|g| + eps), about lr in size whatever g's scale.",
            same_as(lambda g, lr: -lr * g),
        ),
        Mistake(
            "that is the step without bias correction: m = 0.1·g and v = 0.001·g² make it "
            "√10 ≈ 3.16 times too large. Dividing by 1 − β₁ and 1 − β₂ gives m̂ = g, v̂ = g².",
            same_as(_first_step_uncorrected),
        ),
        Mistake(
            "close, but eps matters for tiny gradients: the step is −lr · g / (|g| + eps), "
            "not −lr · sign(g). A gradient of 1e-9 with eps = 1e-8 moves by only about "
            "lr/11.",
            same_as(lambda g, lr: -lr * np.sign(g)),
        ),
        Mistake(
            "the step goes against the gradient: −lr · g / (|g| + eps).",
            scaled_by(lambda g, lr: -1.0),
        ),
        Mistake(
            "eps is added after the square root: √v̂ + eps = |g| + eps, not √(g² + eps).",
            same_as(lambda g, lr: -lr * g / np.sqrt(g**2 + 1e-8)),
        ),
    ),
    default_hint="after one step from m = v = 0, m̂ = g and v̂ = g², so Adam moves each "
    "parameter by −lr · g / (|g| + eps).",
    success=(
        "Adam's first step is about lr in size whatever the gradient's scale, unless |g| "
        "is near or below eps: then it shrinks (to 0 for g = 0)."
    ),
)


def check_adam_first_step(fn: Callable[..., Any]) -> None:
    r"""Check a prediction of Adam's first step: ``adam_first_step(grad, lr) -> change``.

    Before running Adam, the learner predicts by reasoning how much its first step moves
    each parameter, with PyTorch's defaults (β₁ = 0.9, β₂ = 0.999, ε = 1e-8) and the moments
    starting at 0: after bias correction :math:`\hat m = g` and :math:`\hat v = g^2`, so the
    change is :math:`-\eta\, g / (|g| + \epsilon)`: about :math:`\eta` in size for any
    gradient well above ε, and 0 for a zero gradient. The reference runs nnlib's
    ``Adam`` for one step. Recognises: the SGD step, no bias correction, −η·sign(g) (ε
    ignored), a flipped sign, ε inside the square root.

    Args:
        fn: The learner's function of the gradient array and the learning rate.

    Example:
        >>> import numpy as np
        >>> def adam_first_step(grad, lr):
        ...     return -lr * grad / (np.abs(grad) + 1e-8)
        >>> check_adam_first_step(adam_first_step)  # doctest: +ELLIPSIS
        ✓ adam_first_step: correct on all 4 cases (...). Adam's first step is about lr in size ...

    Taught in chapter 5 (optimizers).
    """
    _ADAM_FIRST_STEP(fn)
