r"""The maths every normalisation shares: statistics, the affine map, the backward rule.

Used by :mod:`nnlib.nn.functional.normalization`; see its docstring for the formulas.
"""

from __future__ import annotations

import numpy as np

from nnlib._checks import error, shape_str
from nnlib._tensor import Tensor


def _normalize(x: np.ndarray, axes: tuple[int, ...], eps: float) -> tuple[np.ndarray, ...]:
    """``(x_hat, inv_std)`` with mean and (biased) variance taken over ``axes``."""
    mean = x.mean(axis=axes, keepdims=True)
    centred = x - mean
    var = np.mean(centred * centred, axis=axes, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    return centred * inv_std, inv_std, mean, var


def _input_grad(
    g_hat: np.ndarray, x_hat: np.ndarray, inv_std: np.ndarray, axes: tuple[int, ...]
) -> np.ndarray:
    """The closed-form gradient through the normalisation over ``axes`` (see module doc)."""
    mean_g = g_hat.mean(axis=axes, keepdims=True)
    mean_gx = (g_hat * x_hat).mean(axis=axes, keepdims=True)
    return inv_std * (g_hat - mean_g - x_hat * mean_gx)


def _update_running(running: Tensor | None, batch_stat: np.ndarray, momentum: float) -> None:
    """``running <- (1 - momentum) * running + momentum * batch_stat``, in place."""
    if running is not None:
        r = running.data
        r *= 1 - momentum
        r += momentum * batch_stat.reshape(r.shape)


def _affine(
    x_hat: np.ndarray, weight: Tensor | None, bias: Tensor | None, shape: tuple[int, ...]
) -> np.ndarray:
    out = x_hat * weight.data.reshape(shape) if weight is not None else x_hat.copy()
    if bias is not None:
        out += bias.data.reshape(shape)
    return out


def _param_grads(
    g: np.ndarray,
    x_hat: np.ndarray,
    weight: Tensor | None,
    bias: Tensor | None,
    axes: tuple[int, ...],
) -> list[np.ndarray | None]:
    """Gradients of ``weight`` and ``bias`` (summed over ``axes``), for those that exist."""
    grads: list[np.ndarray | None] = []
    if weight is not None:
        gw = (g * x_hat).sum(axis=axes).reshape(weight.data.shape)
        grads.append(gw if weight.requires_grad else None)
    if bias is not None:
        grads.append(g.sum(axis=axes).reshape(bias.data.shape) if bias.requires_grad else None)
    return grads


def _check_param(where: str, name: str, t: Tensor | None, shape: tuple[int, ...]) -> None:
    __tracebackhide__ = True  # IPython and pytest hide this frame
    if t is not None and t.data.shape != shape:
        error(
            where,
            f"{name} of shape {shape_str(shape)}",
            shape_str(t.data.shape),
            f"{name} holds one value per normalised feature; create it with shape "
            f"{shape_str(shape)}.",
        )


def _parents(input: Tensor, weight: Tensor | None, bias: Tensor | None) -> tuple[Tensor, ...]:
    return (input, *(t for t in (weight, bias) if t is not None))


def _check_channel_params(where: str, c: int, *tensors: Tensor | None) -> None:
    """Check running mean, running variance, weight and bias: each ``None`` or ``(C,)``."""
    __tracebackhide__ = True  # IPython and pytest hide this frame
    for name, t in zip(("running_mean", "running_var", "weight", "bias"), tensors, strict=True):
        _check_param(where, name, t, (c,))
