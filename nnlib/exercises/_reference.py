"""Reference answers for the checkers, computed by nnlib (NumPy where nnlib lacks the thing).

Each function takes and returns NumPy arrays in float64. The nnlib version is used when the
module that provides it is importable; the NumPy twin below it is the fallback and is tested
to agree with nnlib (``tests/test_exercises.py``), so a checker's verdict never depends on
which one ran.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np

import nnlib


def _functional(name: str) -> Any:
    """``nnlib.nn.functional.<name>`` if it exists, else ``None``."""
    try:
        module = importlib.import_module("nnlib.nn.functional")
    except ImportError:
        return None
    return getattr(module, name, None)


def _t(x: Any, requires_grad: bool = False) -> nnlib.Tensor:
    return nnlib.tensor(np.asarray(x, dtype=np.float64), requires_grad=requires_grad)


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function, without overflow (nnlib's ``sigmoid``)."""
    return nnlib.sigmoid(_t(z)).data


def softmax_numpy(x: np.ndarray, axis: int = -1) -> np.ndarray:
    shifted = x - x.max(axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=axis, keepdims=True)


def softmax(x: np.ndarray) -> np.ndarray:
    """Softmax along the last axis."""
    f = _functional("softmax")
    return f(_t(x), dim=-1).data if f else softmax_numpy(x)


def log_softmax_numpy(x: np.ndarray, axis: int = -1) -> np.ndarray:
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def leaky_relu(x: np.ndarray, negative_slope: float = 0.01) -> np.ndarray:
    """Leaky ReLU with PyTorch's default slope."""
    f = _functional("leaky_relu")
    if f:
        return f(_t(x), negative_slope).data
    return np.where(x > 0, x, negative_slope * x)


def relu_grad(x: np.ndarray) -> np.ndarray:
    """The derivative of ReLU at each element, by nnlib's autograd (0 at x = 0)."""
    xt = _t(x, requires_grad=True)
    nnlib.relu(xt).sum().backward()
    return xt.grad.data


def maxout_numpy(z: np.ndarray, pieces: int) -> np.ndarray:
    return z.reshape(*z.shape[:-1], z.shape[-1] // pieces, pieces).max(axis=-1)


def maxout(z: np.ndarray, pieces: int) -> np.ndarray:
    """Maximum over consecutive groups of ``pieces`` units of the last axis."""
    f = _functional("maxout")
    return f(_t(z), pieces).data if f else maxout_numpy(z, pieces)


def mse(y_hat: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Mean squared error over all elements."""
    f = _functional("mse_loss")
    return f(_t(y_hat), _t(y)).data if f else np.mean((y_hat - y) ** 2)


def bce_with_logits_numpy(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))


def bce_with_logits(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Binary cross-entropy on logits, mean over elements, stable at any logit."""
    f = _functional("binary_cross_entropy_with_logits")
    return f(_t(z), _t(y)).data if f else bce_with_logits_numpy(z, y)


def cross_entropy_numpy(logits: np.ndarray, target: np.ndarray) -> np.ndarray:
    logp = log_softmax_numpy(logits)
    return -np.mean(logp[np.arange(len(target)), target])


def cross_entropy(logits: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Cross-entropy of logits ``(m, C)`` against class indices ``(m,)``, mean over examples."""
    f = _functional("cross_entropy")
    if f:
        return f(_t(logits), nnlib.tensor(np.asarray(target, dtype=np.int64))).data
    return cross_entropy_numpy(logits, target)


def _optim() -> Any:
    try:
        optim = importlib.import_module("nnlib.optim")
        parameter = importlib.import_module("nnlib.nn").Parameter
    except ImportError:
        return None, None
    return optim, parameter


def sgd_momentum_step(
    param: np.ndarray, grad: np.ndarray, velocity: np.ndarray, lr: float, momentum: float
) -> tuple[np.ndarray, np.ndarray]:
    """One step of ``torch.optim.SGD`` with momentum (dampening 0): ``v = μv + g; p -= lr·v``.

    Computed by :class:`nnlib.optim.SGD` with its momentum buffer set to ``velocity``.
    """
    optim, parameter = _optim()
    if optim is None:
        return sgd_momentum_step_numpy(param, grad, velocity, lr, momentum)
    p = parameter(np.array(param, dtype=np.float64))
    p.grad = nnlib.Tensor(np.array(grad, dtype=np.float64))
    opt = optim.SGD([p], lr=lr, momentum=momentum)
    if momentum != 0:
        opt.state[p]["momentum_buffer"] = np.array(velocity, dtype=np.float64)
    opt.step()
    v = opt.state[p]["momentum_buffer"] if momentum != 0 else p.grad.data.copy()
    return p.data, v


def sgd_momentum_step_numpy(
    param: np.ndarray, grad: np.ndarray, velocity: np.ndarray, lr: float, momentum: float
) -> tuple[np.ndarray, np.ndarray]:
    v = momentum * velocity + grad
    return param - lr * v, v


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
    optim, parameter = _optim()
    if optim is None:
        return adam_step_numpy(param, grad, m, v, t, lr, betas, eps)
    p = parameter(np.array(param, dtype=np.float64))
    p.grad = nnlib.Tensor(np.array(grad, dtype=np.float64))
    opt = optim.Adam([p], lr=lr, betas=betas, eps=eps)
    opt.state[p].update(
        step=t - 1,
        exp_avg=np.array(m, dtype=np.float64),
        exp_avg_sq=np.array(v, dtype=np.float64),
    )
    opt.step()
    state = opt.state[p]
    return p.data, state["exp_avg"].copy(), state["exp_avg_sq"].copy()


def adam_step_numpy(
    param: np.ndarray,
    grad: np.ndarray,
    m: np.ndarray,
    v: np.ndarray,
    t: int,
    lr: float,
    betas: tuple[float, float],
    eps: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    beta1, beta2 = betas
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return param - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def ewa(values: np.ndarray, beta: float, bias_correction: bool = False) -> np.ndarray:
    """Exponentially weighted averages ``v_t = β v_{t-1} + (1 - β) θ_t`` from ``v_0 = 0``."""
    out = np.empty(len(values))
    v = 0.0
    for t, theta in enumerate(values, start=1):
        v = beta * v + (1 - beta) * theta
        out[t - 1] = v / (1 - beta**t) if bias_correction else v
    return out
