"""Stochastic gradient descent, with optional momentum, Nesterov momentum and weight decay."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nnlib.optim.optimizer import Optimizer, ParamsT, _check_hyper, _check_numbers, _invalid


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
        _check_numbers(
            "SGD", lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay
        )
        _check_hyper(lr >= 0.0, f"Invalid learning rate: {lr}", "pass lr >= 0, e.g. lr=0.01.")
        _check_hyper(
            momentum >= 0.0,
            f"Invalid momentum value: {momentum}",
            "pass momentum >= 0; 0.9 is the usual choice, 0 turns momentum off.",
        )
        _check_hyper(
            weight_decay >= 0.0,
            f"Invalid weight_decay value: {weight_decay}",
            "pass weight_decay >= 0, e.g. 1e-4; 0 turns it off.",
        )
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

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Take one SGD step for every parameter that has a gradient.

        Args:
            closure: Optional function that re-evaluates the model and returns the loss.

        Returns:
            The closure's loss, or ``None`` without a closure.
        """
        loss = None if closure is None else closure()
        for group in self.param_groups:
            # Python floats keep float32 parameters float32 (NumPy's weak scalars).
            lr = float(group["lr"])
            momentum = float(group["momentum"])
            dampening = float(group["dampening"])
            weight_decay = float(group["weight_decay"])
            nesterov = group["nesterov"]
            maximize = group["maximize"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                work, extra = self._scratch(p, 2)
                grad = self._effective_grad(p, work, weight_decay, maximize)
                if momentum != 0:
                    state = self.state[p]
                    buf = state.get("momentum_buffer")
                    if buf is None:
                        buf = state["momentum_buffer"] = grad.astype(p.data.dtype, copy=True)
                    else:
                        buf *= momentum
                        if dampening == 0:
                            buf += grad
                        else:
                            np.multiply(grad, 1.0 - dampening, out=extra)
                            buf += extra
                    if nesterov:
                        np.multiply(buf, momentum, out=extra)
                        extra += grad
                        grad = extra
                    else:
                        grad = buf
                update = np.multiply(grad, lr, out=work)
                p.data -= update
                p._vc[0] += 1  # a new version: a graph that saved p refuses to backward
        return loss
