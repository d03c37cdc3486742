"""RMSprop: divide each gradient by a running root-mean-square of its recent values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nnlib.optim.optimizer import Optimizer, ParamsT, _check_hyper, _check_numbers


def _lerp_(start: np.ndarray, end: np.ndarray, weight: float, work: np.ndarray) -> None:
    """``start += weight * (end - start)`` in place, rounded as PyTorch's ``lerp_`` rounds."""
    np.subtract(end, start, out=work)
    if weight < 0.5:
        work *= weight
        start += work
    else:
        work *= 1.0 - weight
        np.subtract(end, work, out=start)


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
        _check_numbers(
            "RMSprop", lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum
        )
        _check_hyper(lr >= 0.0, f"Invalid learning rate: {lr}", "pass lr >= 0, e.g. lr=0.01.")
        _check_hyper(eps >= 0.0, f"Invalid epsilon value: {eps}", "pass eps >= 0, e.g. 1e-8.")
        _check_hyper(
            momentum >= 0.0,
            f"Invalid momentum value: {momentum}",
            "pass momentum >= 0; 0 turns momentum off.",
        )
        _check_hyper(
            weight_decay >= 0.0,
            f"Invalid weight_decay value: {weight_decay}",
            "pass weight_decay >= 0; 0 turns it off.",
        )
        _check_hyper(
            alpha >= 0.0,
            f"Invalid alpha value: {alpha}",
            "pass a smoothing constant alpha in [0, 1), e.g. 0.99.",
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

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Take one RMSprop step for every parameter that has a gradient.

        Args:
            closure: Optional function that re-evaluates the model and returns the loss.

        Returns:
            The closure's loss, or ``None`` without a closure.
        """
        loss = None if closure is None else closure()
        for group in self.param_groups:
            # Python floats keep float32 parameters float32 (NumPy's weak scalars).
            lr = float(group["lr"])
            alpha = float(group["alpha"])
            eps = float(group["eps"])
            weight_decay = float(group["weight_decay"])
            momentum = float(group["momentum"])
            centered = group["centered"]
            maximize = group["maximize"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                work, grad_buf = self._scratch(p, 2)
                grad = self._effective_grad(p, grad_buf, weight_decay, maximize)
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["square_avg"] = np.zeros_like(p.data)
                    if momentum > 0:
                        state["momentum_buffer"] = np.zeros_like(p.data)
                    if centered:
                        state["grad_avg"] = np.zeros_like(p.data)
                state["step"] += 1
                square_avg = state["square_avg"]

                # v = alpha v + (1 - alpha) g^2
                square_avg *= alpha
                np.multiply(grad, 1.0 - alpha, out=work)
                work *= grad
                square_avg += work
                if centered:
                    grad_avg = state["grad_avg"]
                    _lerp_(grad_avg, grad, 1.0 - alpha, work)
                    np.multiply(grad_avg, grad_avg, out=work)
                    np.subtract(square_avg, work, out=work)
                    # A constant gradient makes this variance ~0, and rounding can push it
                    # below 0: clamp instead of taking sqrt of a negative (PyTorch gives NaN).
                    np.maximum(work, 0.0, out=work)
                    avg = np.sqrt(work, out=work)
                else:
                    avg = np.sqrt(square_avg, out=work)
                avg += eps

                if momentum > 0:
                    buf = state["momentum_buffer"]
                    buf *= momentum
                    buf += np.divide(grad, avg, out=work)
                    np.multiply(buf, lr, out=work)
                else:
                    np.multiply(grad, lr, out=grad_buf)
                    grad_buf /= avg
                p.data -= work if momentum > 0 else grad_buf
                p._vc[0] += 1  # a new version: a graph that saved p refuses to backward
        return loss
