"""Reference answers for the checkers, computed by nnlib.

Each function takes and returns NumPy arrays in float64.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import nnlib
from nnlib import optim
from nnlib.nn import Parameter
from nnlib.nn import functional as F


def _t(x: Any, requires_grad: bool = False) -> nnlib.Tensor:
    return nnlib.tensor(np.asarray(x, dtype=np.float64), requires_grad=requires_grad)


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function, without overflow (nnlib's ``sigmoid``)."""
    return nnlib.sigmoid(_t(z)).data


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Softmax along ``axis`` (the last one by default)."""
    return F.softmax(_t(x), dim=axis).data


def log_softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Log-softmax along ``axis`` (the last one by default)."""
    return F.log_softmax(_t(x), dim=axis).data


def leaky_relu(x: np.ndarray, negative_slope: float = 0.01) -> np.ndarray:
    """Leaky ReLU with PyTorch's default slope."""
    return F.leaky_relu(_t(x), negative_slope).data


def relu_grad(x: np.ndarray) -> np.ndarray:
    """The derivative of ReLU at each element, by nnlib's autograd (0 at x = 0)."""
    xt = _t(x, requires_grad=True)
    nnlib.relu(xt).sum().backward()
    return xt.grad


def maxout(z: np.ndarray, pieces: int) -> np.ndarray:
    """Maximum over consecutive groups of ``pieces`` units of the last axis."""
    return F.maxout(_t(z), pieces).data


def mse(y_hat: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Mean squared error over all elements."""
    return F.mse_loss(_t(y_hat), _t(y)).data


def bce_with_logits(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Binary cross-entropy on logits, mean over elements, stable at any logit."""
    return F.binary_cross_entropy_with_logits(_t(z), _t(y)).data


def cross_entropy(logits: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Cross-entropy of logits ``(m, C)`` against class indices ``(m,)``, mean over examples."""
    return F.cross_entropy(_t(logits), nnlib.tensor(np.asarray(target, dtype=np.int64))).data


def sgd_momentum_step(
    param: np.ndarray, grad: np.ndarray, velocity: np.ndarray, lr: float, momentum: float
) -> tuple[np.ndarray, np.ndarray]:
    """One step of ``torch.optim.SGD`` with momentum (dampening 0): ``v = μv + g; p -= lr·v``.

    Computed by :class:`nnlib.optim.SGD` with its momentum buffer set to ``velocity``.
    """
    p = Parameter(np.array(param, dtype=np.float64))
    p.grad = np.array(grad, dtype=np.float64)
    opt = optim.SGD([p], lr=lr, momentum=momentum)
    if momentum != 0:
        opt.state[p]["momentum_buffer"] = np.array(velocity, dtype=np.float64)
    opt.step()
    v = opt.state[p]["momentum_buffer"] if momentum != 0 else p.grad.copy()
    return p.data, v


def adam_step(
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
    p = Parameter(np.array(param, dtype=np.float64))
    p.grad = np.array(grad, dtype=np.float64)
    opt = optim.Adam([p], lr=lr, betas=betas, eps=eps)
    opt.state[p].update(
        step=t - 1,
        exp_avg=np.array(m, dtype=np.float64),
        exp_avg_sq=np.array(v, dtype=np.float64),
    )
    opt.step()
    state = opt.state[p]
    return p.data, state["exp_avg"].copy(), state["exp_avg_sq"].copy()


def ewa(values: np.ndarray, beta: float, bias_correction: bool = False) -> np.ndarray:
    """Exponentially weighted averages ``v_t = β v_{t-1} + (1 - β) θ_t`` from ``v_0 = 0``."""
    out = np.empty(len(values))
    v = 0.0
    for t, theta in enumerate(values, start=1):
        v = beta * v + (1 - beta) * theta
        out[t - 1] = v / (1 - beta**t) if bias_correction else v
    return out
