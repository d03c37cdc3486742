"""Adam: momentum plus a per-coordinate step size from a running average of squared gradients."""

from __future__ import annotations

from typing import Any

import numpy as np

from nnlib._tensor import Tensor
from nnlib.optim.optimizer import (
    Optimizer,
    ParamsT,
    _check_hyper,
    _check_non_negative,
    _check_numbers,
)


def _check_adam_args(
    lr: float, betas: tuple[float, float], eps: float, weight_decay: float
) -> None:
    """Refuse bad Adam/AdamW hyper-parameters with PyTorch's messages plus a hint."""
    __tracebackhide__ = True  # IPython and pytest hide this frame
    _check_non_negative("Adam", lr=lr, eps=eps)
    if not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise TypeError(
            f"Adam: expected betas to be a pair (beta1, beta2), got {betas!r}.\nhelp: pass "
            "both, e.g. betas=(0.9, 0.999); to change only beta1, betas=(0.8, 0.999)."
        )
    _check_numbers("Adam", beta1=betas[0], beta2=betas[1])
    for i, beta in enumerate(betas):
        _check_hyper(
            0.0 <= beta < 1.0,
            f"Invalid beta parameter at index {i}: {beta}",
            "each beta must lie in [0, 1); the usual choice is betas=(0.9, 0.999).",
        )
    _check_non_negative("Adam", weight_decay=weight_decay)


class Adam(Optimizer):
    r"""Adam, adaptive moment estimation (PyTorch's ``torch.optim.Adam``).

    Each parameter keeps running averages of its gradient :math:`m` and of its squared
    gradient :math:`v`; the step divides the first by the square root of the second, so
    every coordinate moves about :math:`\gamma` per step whatever its gradient's scale. At
    step :math:`t`, with gradient :math:`g_t`:

    .. math::

        g_t &\leftarrow g_t + \lambda \theta_{t-1} \\
        m_t &= \beta_1 m_{t-1} + (1 - \beta_1) g_t \\
        v_t &= \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\
        \hat m_t &= m_t / (1 - \beta_1^t), \qquad \hat v_t = v_t / (1 - \beta_2^t) \\
        \theta_t &= \theta_{t-1} - \gamma \, \hat m_t / (\sqrt{\hat v_t} + \epsilon)

    The division by :math:`1 - \beta^t` corrects the averages' bias towards their zero
    start. With ``amsgrad=True``, :math:`\hat v_t` uses the running maximum of
    :math:`v_t`; with ``maximize=True`` the gradient's sign is flipped first.

    Args:
        params: Parameters to optimize, or dicts defining parameter groups.
        lr: Learning rate :math:`\gamma` (default ``1e-3``).
        betas: Decay rates :math:`(\beta_1, \beta_2)` of the two averages, each in [0, 1).
        eps: :math:`\epsilon`, added to the denominator to avoid dividing by zero.
        weight_decay: L2 penalty :math:`\lambda`, added to the gradient (default 0).
        amsgrad: Use the AMSGrad variant.
        maximize: Maximize the objective instead of minimizing it.
        decoupled_weight_decay: Decay the weights directly, as :class:`AdamW` does.

    Raises:
        ValueError: for a negative ``lr``, ``eps`` or ``weight_decay``, or a beta outside
            [0, 1).

    Example:
        >>> import numpy as np
        >>> import nnlib
        >>> from nnlib.nn import Parameter
        >>> from nnlib.optim import Adam
        >>> w = Parameter(np.array([1.0, 2.0]))
        >>> opt = Adam([w], lr=0.1)
        >>> w.grad = nnlib.tensor([3.0, -0.5], dtype=w.dtype)
        >>> opt.step()  # the first step moves every coordinate by about lr
        >>> w.data.round(6)
        array([0.9, 2.1])

    Taught in chapter 5 (optimizers).
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        decoupled_weight_decay: bool = False,
    ) -> None:
        _check_adam_args(lr, betas, eps, weight_decay)
        defaults = dict(
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            maximize=maximize,
            decoupled_weight_decay=decoupled_weight_decay,
        )
        super().__init__(params, defaults)

    def _update(self, p: Tensor, grad: np.ndarray, group: dict[str, Any]) -> None:
        """One Adam step for ``p``; ``grad`` already holds the L2 term (the first line)."""
        lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
        theta, state = p.data, self.state[p]
        if not state:
            state["step"] = 0
            state["exp_avg"] = np.zeros_like(theta)
            state["exp_avg_sq"] = np.zeros_like(theta)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = np.zeros_like(theta)
        state["step"] += 1
        t = state["step"]
        if group["decoupled_weight_decay"]:  # AdamW: shrink the weights themselves
            theta *= 1 - lr * group["weight_decay"]

        m, v = state["exp_avg"], state["exp_avg_sq"]
        m *= beta1
        m += (1 - beta1) * grad
        v *= beta2
        v += (1 - beta2) * grad * grad
        if group["amsgrad"]:
            v = np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
        # theta -= lr * m_hat / (sqrt(v_hat) + eps), with m_hat = m / (1 - beta1^t): lr and
        # m_hat's bias correction make one number, as in PyTorch, and the rest is computed
        # inside v_hat (a fresh array for every operation would cost a large layer more than
        # the arithmetic does, and every NumPy call with a number costs a small one).
        step_size = lr / (1 - beta1**t)
        v_hat = v / (1 - beta2**t)
        denom = np.sqrt(v_hat, out=v_hat)
        denom += eps
        update = np.divide(m, denom, out=denom)
        update *= step_size
        theta -= update
