r"""Gradient clipping: cap the gradients before the optimizer step, against explosions.

Call it between ``loss.backward()`` and ``optimizer.step()``::

    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    optimizer.step()
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable
from typing import Any

import numpy as np

from nnlib._checks import error
from nnlib._tensor import Tensor
from nnlib.ops.norms import vector_norm_array

__all__ = ["clip_grad_norm_", "clip_grad_value_"]


def _grads(where: str, parameters: Tensor | Iterable[Tensor]) -> list[tuple[Tensor, Tensor]]:
    """The tensors among ``parameters`` that have a gradient, each with its gradient."""
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    try:
        params = list(parameters)
    except TypeError:
        error(where, "a tensor or an iterable of tensors", type(parameters).__name__,
              "pass model.parameters().", TypeError)  # fmt: skip
    for p in params:
        if not isinstance(p, Tensor):
            error(where, "tensors (parameters)", f"a {type(p).__name__} among them",
                  "pass model.parameters().", TypeError)  # fmt: skip
    if not params:
        warnings.warn(
            f"{where}: expected parameters, got an empty iterable, so nothing was clipped "
            "(PyTorch warns too).\nhelp: a generator such as "
            "model.parameters() is used up after one pass; call model.parameters() again "
            "for each use.",
            UserWarning,
            stacklevel=3,
        )
    return [(p, p._grad) for p in params if p._grad is not None]


def _number(where: str, name: str, value: Any) -> float:
    """A hyper-parameter as a float, as PyTorch reads it (``float(value)``)."""
    try:
        return float(value)
    except (TypeError, ValueError):
        error(where, f"{name} to be a number", f"{type(value).__name__} {value!r}",
              f"pass a plain number, e.g. {name}=1.0.", TypeError)  # fmt: skip


def _norm(g: np.ndarray, norm_type: float) -> float:
    """The ``norm_type``-norm of all entries of ``g``, as ``torch.linalg.vector_norm``."""
    return float(vector_norm_array(g, norm_type))


def clip_grad_norm_(
    parameters: Tensor | Iterable[Tensor],
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
) -> Tensor:
    r"""Scale all gradients together so that their combined norm is at most ``max_norm``.

    The gradients of all parameters are treated as one long vector :math:`g`. If its norm
    :math:`\|g\|` exceeds ``max_norm``, every gradient is multiplied by

    .. math::

        c = \frac{\text{max\_norm}}{\|g\| + 10^{-6}} < 1,

    which shortens the step but keeps its direction. Otherwise nothing changes.

    Args:
        parameters: A tensor or an iterable of tensors (``model.parameters()``); those
            without a gradient are skipped.
        max_norm: The largest allowed norm.
        norm_type: The order of the norm: ``2.0`` (default), ``1.0``, ``math.inf``, ...
        error_if_nonfinite: Raise if the total norm is ``nan`` or ``inf`` (default
            ``False``: scale anyway, as PyTorch does).

    Returns:
        The total norm of the gradients *before* clipping, a 0-d tensor (handy to log).

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> w = nn.Parameter([3.0, 4.0])
        >>> w.grad = w.detach().clone()
        >>> nn.utils.clip_grad_norm_([w], max_norm=1.0)
        tensor(5.)
        >>> w.grad
        tensor([0.6, 0.8])

    Taught in chapter 8 (vanishing and exploding gradients).
    """
    with_grads = _grads("clip_grad_norm_", parameters)
    max_norm = _number("clip_grad_norm_", "max_norm", max_norm)
    norm_type = _number("clip_grad_norm_", "norm_type", norm_type)
    if not with_grads:
        return Tensor._wrap(np.asarray(0.0, dtype=np.float32))
    grads = [g for _, g in with_grads]
    dtype = np.result_type(*[g.data.dtype for g in grads])
    norms = [_norm(g.data, norm_type) for g in grads]
    total = _norm(np.asarray(norms), norm_type)
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(
            f"clip_grad_norm_: expected a finite total norm of order {norm_type} for the "
            f"gradients, got {total}.\nhelp: some gradient is nan or inf (check the loss and "
            "the learning rate); pass error_if_nonfinite=False to scale anyway."
        )
    coef = max_norm / (total + 1e-6)
    if not coef >= 1:  # only ever shrink (a nan norm spreads nan, as in PyTorch)
        for p, g in with_grads:
            if g.data.flags.writeable:
                g.data *= coef
                g._vc[0] += 1
            else:
                p._grad = Tensor._wrap(g.data * coef)
    return Tensor._wrap(np.asarray(total, dtype=dtype))


def clip_grad_value_(parameters: Tensor | Iterable[Tensor], clip_value: float) -> None:
    r"""Clamp every gradient entry into :math:`[-\text{clip\_value}, \text{clip\_value}]`.

    Unlike :func:`clip_grad_norm_`, this can change the direction of the update.

    Args:
        parameters: A tensor or an iterable of tensors (``model.parameters()``); those
            without a gradient are skipped.
        clip_value: The largest allowed absolute value.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> w = nn.Parameter([3.0, -0.5])
        >>> w.grad = w.detach().clone()
        >>> nn.utils.clip_grad_value_([w], clip_value=1.0)
        >>> w.grad
        tensor([ 1. , -0.5])

    Taught in chapter 8 (vanishing and exploding gradients).
    """
    with_grads = _grads("clip_grad_value_", parameters)
    clip_value = _number("clip_grad_value_", "clip_value", clip_value)
    for p, g in with_grads:
        if g.data.flags.writeable:
            np.clip(g.data, -clip_value, clip_value, out=g.data)
            g._vc[0] += 1
        else:
            p._grad = Tensor._wrap(np.clip(g.data, -clip_value, clip_value))
