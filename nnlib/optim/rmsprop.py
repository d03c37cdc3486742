"""RMSprop: divide each gradient by a running root-mean-square of its recent values."""

from __future__ import annotations

from typing import Any

import numpy as np

from nnlib._tensor import Tensor
from nnlib.optim.optimizer import Optimizer, ParamsT, _check_non_negative


class RMSprop(Optimizer):
    r"""RMSprop (PyTorch's ``torch.optim.RMSprop``).

    Each parameter keeps a running average :math:`v` of its squared gradient and steps by
    the gradient divided by :math:`\sqrt{v}`, so coordinates with large gradients take
    smaller steps. With smoothing constant :math:`\alpha`:

    .. math::

        g_t &\leftarrow g_t + \lambda \theta_{t-1} \\
        v_t &= \alpha v_{t-1} + (1 - \alpha) g_t^2 \\
        \tilde v_t &= v_t - \bar g_t^2 \ \text{if centered, with }
            \bar g_t = \alpha \bar g_{t-1} + (1 - \alpha) g_t, \text{ else } \tilde v_t = v_t \\
        b_t &= \mu b_{t-1} + g_t / (\sqrt{\tilde v_t} + \epsilon) \\
        \theta_t &= \theta_{t-1} - \gamma b_t

    Without momentum (:math:`\mu = 0`) the last two lines are
    :math:`\theta_t = \theta_{t-1} - \gamma g_t / (\sqrt{\tilde v_t} + \epsilon)`.
    One deliberate difference from PyTorch: when rounding makes the centered estimate
    :math:`\tilde v_t` slightly negative (a long run with a constant gradient), it is
    taken as 0 instead of turning the parameter into NaN.

    Args:
        params: Parameters to optimize, or dicts defining parameter groups.
        lr: Learning rate :math:`\gamma` (default ``1e-2``).
        alpha: Smoothing constant :math:`\alpha` (default 0.99).
        eps: :math:`\epsilon`, added to the denominator to avoid dividing by zero.
        weight_decay: L2 penalty :math:`\lambda` (default 0).
        momentum: Momentum factor :math:`\mu` (default 0).
        centered: Divide by an estimate of the gradient's variance instead of its second
            moment.
        maximize: Maximize the objective instead of minimizing it.

    Raises:
        ValueError: for a negative ``lr``, ``eps``, ``momentum``, ``weight_decay`` or
            ``alpha``.

    Example:
        >>> import numpy as np
        >>> import nnlib
        >>> from nnlib.nn import Parameter
        >>> from nnlib.optim import RMSprop
        >>> w = Parameter(np.array([1.0]))
        >>> opt = RMSprop([w], lr=0.01, alpha=0.75)
        >>> w.grad = nnlib.tensor([2.0], dtype=w.dtype)
        >>> opt.step()  # v = 0.25 * 2**2 = 1, so w -= 0.01 * 2 / 1
        >>> w.data
        array([0.98])

    Taught in chapter 5 (optimizers).
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        _check_non_negative(
            "RMSprop", lr=lr, eps=eps, momentum=momentum, weight_decay=weight_decay, alpha=alpha
        )
        defaults = dict(
            lr=lr,
            alpha=alpha,
            eps=eps,
            weight_decay=weight_decay,
            momentum=momentum,
            centered=centered,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _update(self, p: Tensor, grad: np.ndarray, group: dict[str, Any]) -> None:
        """One RMSprop step for ``p``; ``grad`` already holds the weight decay (first line)."""
        lr, alpha, eps, momentum = group["lr"], group["alpha"], group["eps"], group["momentum"]
        state = self.state[p]
        if not state:
            state["step"] = 0
            state["square_avg"] = np.zeros_like(p.data)
            if momentum > 0:
                state["momentum_buffer"] = np.zeros_like(p.data)
            if group["centered"]:
                state["grad_avg"] = np.zeros_like(p.data)
        state["step"] += 1

        v = state["square_avg"]
        v *= alpha
        v += (1 - alpha) * grad * grad
        if group["centered"]:
            g_bar = state["grad_avg"]
            g_bar *= alpha
            g_bar += (1 - alpha) * grad
            # A constant gradient makes this variance ~0, and rounding can push it below 0:
            # clamp instead of taking the square root of a negative (PyTorch gives NaN).
            v = np.maximum(v - g_bar * g_bar, 0.0)
        avg = np.sqrt(v) + eps

        if momentum > 0:
            b = state["momentum_buffer"]
            b *= momentum
            b += grad / avg
            p.data -= lr * b
        else:
            p.data -= lr * grad / avg
