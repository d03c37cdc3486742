"""Checks and reductions shared by the loss functions (private to ``nnlib.nn.functional``).

Every loss refuses a target whose shape differs from the input's, where PyTorch would
broadcast the two (``(64, 1)`` against ``(64,)`` becomes ``(64, 64)``) and quietly average
the wrong pairs. The message says how to reshape one of them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnlib._checks import check_reduction, error, shape_str
from nnlib._tensor import Tensor, as_tensor
from nnlib.ops import reduce


def _args(shape: tuple[int, ...]) -> str:
    """``(64, 1)`` as reshape arguments: ``64, 1``."""
    return ", ".join(str(int(s)) for s in shape)


def shape_hint(ishape: tuple[int, ...], tshape: tuple[int, ...]) -> str:
    """How to make ``target`` (shape ``tshape``) match ``input`` (shape ``ishape``)."""
    fixes: list[str] = []
    if ishape == (*tshape, 1):
        fixes = [f"target.reshape({_args(ishape)})", f"input.squeeze({len(ishape) - 1})"]
    elif tshape == (*ishape, 1):
        fixes = [f"input.reshape({_args(tshape)})", f"target.squeeze({len(tshape) - 1})"]
    elif int(np.prod(ishape)) == int(np.prod(tshape)):
        fixes = [f"target.reshape({_args(ishape)})"]
    try:
        both = np.broadcast_shapes(ishape, tshape)
        why = (
            f"PyTorch would broadcast them to {shape_str(both)} and average the wrong pairs, "
            "so nnlib refuses; "
        )
    except ValueError:
        why = ""
    if fixes:
        return why + "use " + " or ".join(fixes) + " so that both have the same shape."
    return why + "input and target need one value each per element; check they match."


def same_shape(where: str, input: Tensor, target: Tensor, what: str = "target") -> None:
    """Refuse ``target`` unless it has exactly ``input``'s shape (no broadcasting)."""
    if input.data.shape != target.data.shape:
        error(
            where,
            f"{what} of the same shape as input {shape_str(input.data.shape)}",
            shape_str(target.data.shape),
            shape_hint(input.data.shape, target.data.shape).replace("target", what),
        )


def pair(where: str, input: Tensor, target: Tensor) -> tuple[Tensor, Tensor]:
    """A floating ``input`` and a ``target`` of its dtype and exactly its shape."""
    input = floating(where, input)
    target = like(target, input)
    same_shape(where, input, target)
    return input, target


def floating(where: str, t: Any, name: str = "input") -> Tensor:
    """Return ``t`` as a tensor, refusing integer or boolean values."""
    t = as_tensor(t)
    if t.data.dtype.kind != "f":
        error(
            where,
            f"a floating-point {name}",
            f"dtype {t.data.dtype}",
            f"convert it first, e.g. {name}.float() (losses need real numbers to differentiate).",
            TypeError,
        )
    return t


def like(t: Any, ref: Tensor) -> Tensor:
    """``t`` as a tensor with ``ref``'s floating dtype (integer labels become floats)."""
    t = as_tensor(t)
    if t.data.dtype != ref.data.dtype:
        return t.to(ref.data.dtype)
    return t


def const(t: Any, ref: Tensor) -> np.ndarray | None:
    """An optional constant (a weight) as an array in ``ref``'s dtype, or ``None``."""
    if t is None:
        return None
    data = t.data if isinstance(t, Tensor) else np.asarray(t)
    return data.astype(ref.data.dtype, copy=False)


def broadcastable(where: str, name: str, arr: np.ndarray, shape: tuple[int, ...]) -> None:
    """Refuse a weight that does not broadcast against the loss of shape ``shape``."""
    try:
        ok = np.broadcast_shapes(arr.shape, shape) == tuple(shape)
    except ValueError:
        ok = False
    if not ok:
        error(
            where,
            f"{name} that broadcasts to the input shape {shape_str(shape)}",
            f"shape {shape_str(arr.shape)}",
            f"give {name} the input's shape, or one entry per column: shape "
            f"{shape_str(shape[-1:])}.",
        )


def reduce_loss(where: str, loss: Tensor, reduction: str) -> Tensor:
    """Apply ``'mean'``, ``'sum'`` or ``'none'`` to per-element losses."""
    check_reduction(where, reduction)
    if reduction == "mean":
        return reduce.mean(loss)
    if reduction == "sum":
        return reduce.sum(loss)
    return loss


def scale_for(
    g: np.ndarray, reduction: str, count: float, weight: np.ndarray | None = None
) -> np.ndarray:
    """The gradient reaching each element of a fused loss: ``g`` spread by the reduction.

    For a weighted loss, each element's share is then multiplied by its ``weight``.
    """
    if reduction == "mean":
        g = g / count
    return g if weight is None else g * weight


def reduce_array(loss: np.ndarray, reduction: str, count: float) -> np.ndarray:
    """The forward value of a fused loss: ``sum / count``, ``sum`` or the array itself."""
    if reduction == "none":
        return loss
    total = loss.sum()
    with np.errstate(invalid="ignore", divide="ignore"):  # every target ignored: NaN, as torch
        return np.asarray(total / count if reduction == "mean" else total, dtype=loss.dtype)
