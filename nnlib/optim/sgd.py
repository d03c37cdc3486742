"""Stochastic gradient descent, with optional momentum, Nesterov momentum and weight decay."""

from __future__ import annotations

from typing import Any

import numpy as np

from nnlib._tensor import Tensor
from nnlib.optim.optimizer import (
    Optimizer,
    ParamsT,
    _check_non_negative,
    _check_numbers,
    _invalid,
)


class SGD(Optimizer):
    r"""Stochastic gradient descent, optionally with momentum (PyTorch's ``torch.optim.SGD``).

    With learning rate :math:`\gamma`, momentum :math:`\mu`, dampening :math:`\tau` and
    weight decay :math:`\lambda`, each step turns the gradient :math:`g_t` of a parameter
    :math:`\theta` into an update:

    .. math::

        g_t &\leftarrow g_t + \lambda \theta_{t-1} \\
        b_t &= \mu b_{t-1} + (1 - \tau) g_t \qquad (b_1 = g_1) \\
        g_t &\leftarrow g_t + \mu b_t \ \text{if nesterov, else } g_t \leftarrow b_t \\
        \theta_t &= \theta_{t-1} - \gamma g_t

    The momentum lines apply only when :math:`\mu \neq 0`; with ``maximize=True`` the
    gradient's sign is flipped first, so the rule climbs the objective instead.

    Args:
        params: Parameters to optimize, or dicts defining parameter groups.
        lr: Learning rate :math:`\gamma` (default ``1e-3``).
        momentum: Momentum factor :math:`\mu` (default 0: plain gradient descent).
        dampening: Dampening :math:`\tau` of the momentum (default 0).
        weight_decay: L2 penalty :math:`\lambda` (default 0).
        nesterov: Use Nesterov momentum (needs ``momentum > 0`` and ``dampening = 0``).
        maximize: Maximize the objective instead of minimizing it.

    Raises:
        ValueError: for a negative ``lr``, ``momentum`` or ``weight_decay``, or
            ``nesterov=True`` without momentum or with dampening.

    Example:
        >>> import numpy as np
        >>> import nnlib
        >>> from nnlib.nn import Parameter
        >>> from nnlib.optim import SGD
        >>> w = Parameter(np.array([1.0, 2.0]))
        >>> opt = SGD([w], lr=0.1)
        >>> w.grad = nnlib.tensor([1.0, -1.0], dtype=w.dtype)
        >>> opt.step()
        >>> w.data
        array([0.9, 2.1])

    Taught in chapter 5 (optimizers).
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        _check_numbers("SGD", dampening=dampening)
        _check_non_negative("SGD", lr=lr, momentum=momentum, weight_decay=weight_decay)
        if nesterov and (momentum <= 0 or dampening != 0):
            _invalid(
                "Nesterov momentum requires a momentum and zero dampening",
                f"got momentum={momentum}, dampening={dampening}; pass e.g. momentum=0.9, "
                "dampening=0, or nesterov=False.",
            )
        defaults = dict(
            lr=lr,
            momentum=momentum,
            dampening=dampening,
            weight_decay=weight_decay,
            nesterov=nesterov,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _update(self, p: Tensor, grad: np.ndarray, group: dict[str, Any]) -> None:
        """One SGD step for ``p``; ``grad`` already holds the weight decay (the first line)."""
        lr, momentum, dampening = group["lr"], group["momentum"], group["dampening"]
        if momentum != 0:
            state = self.state[p]
            buf = state.get("momentum_buffer")
            if buf is None:  # b_1 = g_1
                buf = state["momentum_buffer"] = grad.astype(p.data.dtype)
            else:
                buf *= momentum
                buf += (1 - dampening) * grad if dampening else grad
            grad = grad + momentum * buf if group["nesterov"] else buf
        p.data -= lr * grad
