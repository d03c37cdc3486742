"""AdamW: Adam with the weight decay applied to the weights, not added to the gradient."""

from __future__ import annotations

from nnlib.optim.adam import Adam
from nnlib.optim.optimizer import ParamsT


class AdamW(Adam):
    r"""Adam with decoupled weight decay (PyTorch's ``torch.optim.AdamW``).

    Adam's L2 penalty is divided by :math:`\sqrt{\hat v_t}` like the rest of the gradient,
    so weights with large gradients are hardly regularised. AdamW instead shrinks every
    weight by the same factor before the Adam step:

    .. math::

        \theta_{t-1} &\leftarrow \theta_{t-1} (1 - \gamma \lambda) \\
        m_t &= \beta_1 m_{t-1} + (1 - \beta_1) g_t \\
        v_t &= \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\
        \hat m_t &= m_t / (1 - \beta_1^t), \qquad \hat v_t = v_t / (1 - \beta_2^t) \\
        \theta_t &= \theta_{t-1} - \gamma \, \hat m_t / (\sqrt{\hat v_t} + \epsilon)

    Args:
        params: Parameters to optimize, or dicts defining parameter groups.
        lr: Learning rate :math:`\gamma` (default ``1e-3``).
        betas: Decay rates :math:`(\beta_1, \beta_2)` of the two averages, each in [0, 1).
        eps: :math:`\epsilon`, added to the denominator to avoid dividing by zero.
        weight_decay: Decoupled weight decay :math:`\lambda` (default ``1e-2``).
        amsgrad: Use the AMSGrad variant (running maximum of :math:`v_t`).
        maximize: Maximize the objective instead of minimizing it.

    Raises:
        ValueError: for a negative ``lr``, ``eps`` or ``weight_decay``, or a beta outside
            [0, 1).

    Example:
        >>> import numpy as np
        >>> import nnlib
        >>> from nnlib.nn import Parameter
        >>> from nnlib.optim import AdamW
        >>> w = Parameter(np.array([1.0, -1.0]))
        >>> opt = AdamW([w], lr=0.1, weight_decay=0.5)
        >>> w.grad = nnlib.tensor([0.0, 0.0], dtype=w.dtype)
        >>> opt.step()  # no gradient, only the decay: w *= 1 - 0.1 * 0.5
        >>> w.data
        array([ 0.95, -0.95])

    Taught in chapter 5 (optimizers).
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(
            params,
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            maximize=maximize,
            decoupled_weight_decay=True,
        )
