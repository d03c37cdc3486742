r"""Loss functions, part 3: multi-class classification (``cross_entropy``, ``nll_loss``).

``cross_entropy`` is ``nll_loss`` after ``log_softmax``, but it is computed here as one graph
node whose backward pass is the famous :math:`(\mathrm{softmax}(x) - \mathrm{onehot}(y))/N`:
the training loop of every classifier runs through it.

Taught in chapter 4 (loss functions).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnlib._checks import check_reduction, error, shape_str
from nnlib._tensor import Tensor, as_tensor, from_op
from nnlib.nn.functional._loss_common import const, floating, reduce_array

__all__ = ["cross_entropy", "nll_loss"]


def _to_rows(x: np.ndarray) -> np.ndarray:
    """``(N, C)``, ``(C,)`` or ``(N, C, d1, ...)`` scores as rows ``(M, C)``."""
    if x.ndim == 1:
        return x[None, :]
    if x.ndim == 2:
        return x
    return np.moveaxis(x, 1, -1).reshape(-1, x.shape[1])


def _from_rows(rows: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Undo :func:`_to_rows`: rows ``(M, C)`` back to ``shape``."""
    if len(shape) <= 2:
        return rows.reshape(shape)
    moved = (shape[0], *shape[2:], shape[1])
    return np.moveaxis(rows.reshape(moved), -1, 1)


def _index_shape(shape: tuple[int, ...]) -> tuple[int, ...]:
    """The shape of class-index targets for scores of ``shape``: all but the class axis."""
    return () if len(shape) == 1 else (shape[0], *shape[2:])


def _check_swapped(where: str, input: Any, target: Any) -> None:
    """Name the swap first when class indices come first and scores second."""
    __tracebackhide__ = True  # IPython and pytest hide this frame
    x, t = np.asarray(getattr(input, "data", input)), np.asarray(getattr(target, "data", target))
    if x.dtype.kind in "iub" and t.dtype.kind == "f" and t.ndim == x.ndim + 1:
        error(
            where,
            "(input, target): the scores (logits) first, shape (N, C), then the class "
            "indices, shape (N,)",
            f"integer input of shape {shape_str(x.shape)} and float target of shape "
            f"{shape_str(t.shape)}: the arguments look swapped",
            f"swap them: {where}(logits, y) (for the module: loss_fn(logits, y)).",
            TypeError,
        )


def _check_input(where: str, input: Tensor) -> int:
    __tracebackhide__ = True  # IPython and pytest hide this frame
    if input.data.ndim == 0:
        error(
            where,
            "scores of shape (N, C) (or (C,))",
            "a 0-d tensor",
            "pass one row of C scores per example.",
        )
    return input.data.shape[0] if input.data.ndim == 1 else input.data.shape[1]


def _scores_and_target(where: str, input: Any, target: Any) -> tuple[Tensor, Tensor, int]:
    """Check the arguments' order and the scores: floating ``input``, ``target`` as a
    tensor, and the number of classes ``C``."""
    __tracebackhide__ = True  # IPython and pytest hide this frame
    _check_swapped(where, input, target)
    input = floating(where, input)
    return input, as_tensor(target), _check_input(where, input)


def _check_indices(where: str, x: np.ndarray, target: Tensor, ignore_index: int) -> None:
    """Refuse targets that are not integer class indices of the right shape and range."""
    __tracebackhide__ = True  # IPython and pytest hide this frame
    t = target.data
    c = x.shape[0] if x.ndim == 1 else x.shape[1]
    want = _index_shape(x.shape)
    if t.dtype.kind == "f":
        if t.shape == want:
            error(
                where,
                f"integer class indices of shape {shape_str(want)}, or class probabilities "
                f"of shape {shape_str(x.shape)}",
                f"floating-point targets of shape {shape_str(t.shape)}",
                "class labels must be integers: use target.long(). (For a single yes/no "
                "output use F.binary_cross_entropy_with_logits instead.)",
                TypeError,
            )
        error(
            where,
            f"class-probability targets of the input's shape {shape_str(x.shape)}",
            f"floating-point targets of shape {shape_str(t.shape)}",
            f"pass integer labels of shape {shape_str(want)}, or one probability row per example.",
        )
    if t.dtype.kind not in "iu":
        error(
            where,
            "integer class indices",
            f"dtype {t.dtype}",
            "use target.long() for labels 0 … C-1.",
            TypeError,
        )
    if t.shape != want:
        hint = f"pass one class number per example, shape {shape_str(want)}."
        if t.shape == x.shape:
            hint = "these look like one-hot labels: use target.argmax(dim=1)."
        elif t.shape == (*want, 1):
            hint = f"use target.squeeze({t.ndim - 1})."
        error(where, f"target of shape {shape_str(want)}", shape_str(t.shape), hint)
    if t.size == 0 or (t.min() >= 0 and t.max() < c):
        return
    bad = (t != ignore_index) & ((t < 0) | (t >= c))
    if bad.any():
        pos = np.argwhere(bad)[0]
        at = int(pos[0]) if t.ndim == 1 else tuple(int(p) for p in pos)
        value = int(t[tuple(pos)])
        valid = t[(t != ignore_index)]
        if value < 0:
            hint = f"negative labels are only allowed as ignore_index (now {ignore_index})."
        elif valid.min() >= 1 and valid.max() == c:
            hint = "the labels look 1-based (1 … C): use target - 1."
        else:
            hint = (
                f"labels are 0 … {c - 1}; if there are {int(valid.max()) + 1} classes, give the "
                f"last layer {int(valid.max()) + 1} outputs."
            )
        error(
            where,
            f"class indices in [0, {c - 1}] (input has {c} classes)",
            f"{value} at position {at}",
            hint,
        )


def _weight(where: str, weight: Tensor | None, input: Tensor, c: int) -> np.ndarray | None:
    w = const(weight, input)
    if w is not None and w.shape != (c,):
        error(
            where,
            f"a weight per class, shape ({c},)",
            f"shape {shape_str(w.shape)}",
            "pass one non-negative weight for each of the C classes.",
        )
    return w


def _check_smoothing(where: str, label_smoothing: float) -> None:
    __tracebackhide__ = True  # IPython and pytest hide this frame
    if not 0.0 <= label_smoothing <= 1.0:
        error(
            where,
            "label_smoothing in [0, 1]",
            repr(label_smoothing),
            "typical values are 0.0 (off) to 0.1.",
        )


def cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    r"""Cross-entropy between raw class scores (logits) and labels: log-softmax + NLL, fused.

    .. math::

        \ell_n = -w_{y_n} \log \frac{e^{x_{n,y_n}}}{\sum_c e^{x_{n,c}}}, \qquad
        \ell = \frac{\sum_n \ell_n}{\sum_n w_{y_n}}

    One graph node whose backward pass is :math:`(\mathrm{softmax}(x) - \mathrm{onehot}(y))/N`
    (without weights). With ``label_smoothing`` :math:`\varepsilon` the target becomes
    :math:`(1 - \varepsilon)\,\mathrm{onehot}(y) + \varepsilon / C`. Targets may also be class
    probabilities of the input's shape (then ``'mean'`` divides by :math:`N`).

    Pass *logits*, not probabilities: softmax is applied inside. Feeding it the output of a
    softmax squashes the loss and its gradients (the bug measured in chapter 4).

    Args:
        input: Logits of shape ``(N, C)``, ``(C,)`` or ``(N, C, d1, ...)``.
        target: Class indices (integers in :math:`[0, C)`) of shape ``(N,)`` (``()`` or
            ``(N, d1, ...)``), or class probabilities of the input's shape. Floating targets
            of shape ``(N,)`` raise ``TypeError`` (use ``target.long()``).
        weight: Optional weight per class, shape ``(C,)`` (a constant, no gradient).
        ignore_index: Targets equal to it contribute nothing (nor to the mean's
            denominator). Only for class indices.
        reduction: ``'mean'`` (default; the weighted mean), ``'sum'`` or ``'none'``.
        label_smoothing: :math:`\varepsilon \in [0, 1]`.

    Returns:
        A scalar tensor, or the per-example losses (the target's shape) for ``'none'``.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import functional as F
        >>> logits = nnlib.tensor([[2.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
        >>> round(F.cross_entropy(logits, nnlib.tensor([0, 2])).item(), 4)
        0.6691

    Taught in chapter 4 (loss functions).
    """
    where = "cross_entropy"
    check_reduction(where, reduction)
    _check_smoothing(where, label_smoothing)
    input, target, c = _scores_and_target(where, input, target)
    x = input.data
    probs = target.data.dtype.kind == "f" and target.data.shape == x.shape
    if not probs:
        _check_indices(where, x, target, ignore_index)
    w = _weight(where, weight, input, c)
    eps = float(label_smoothing)

    # Softmax of each row, shifted by the row's maximum so that exp cannot overflow.
    rows = _to_rows(x)
    m = rows.shape[0]
    shifted = rows - rows.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    s = e.sum(axis=1, keepdims=True)
    log_s = np.log(s)  # -log softmax(x)_k = log_s - shifted_k

    # The target of row n, as coefficients of -log softmax(x)_k: ``hard[n]`` on the class
    # y_n, plus the dense row ``soft[n]`` (probability targets, or label smoothing).
    hard: np.ndarray | None = None
    soft: np.ndarray | None = None
    if probs:
        soft = _to_rows(target.data.astype(x.dtype, copy=False))
        if eps:
            soft = (1 - eps) * soft + eps / c
        if w is not None:
            soft = soft * w
        count = x.dtype.type(m)
    else:
        idx = target.data.reshape(-1)
        y, wy = _class_weights(idx, w, ignore_index, x.dtype)
        count = wy.sum()  # the weighted mean divides by the weights of the targets
        hard = (1 - eps) * wy if eps else wy
        if eps:  # the uniform share eps / C of every kept row, weighted like the classes
            uniform = (eps / c) * (w if w is not None else np.ones(c, dtype=x.dtype))
            soft = np.where((idx != ignore_index)[:, None], uniform, 0)

    loss: Any = 0
    if hard is not None:
        arange = np.arange(m)
        loss = hard * (log_s[:, 0] - shifted[arange, y])
    if soft is not None:
        loss = loss + (soft * (log_s - shifted)).sum(axis=1)

    def backward(g: np.ndarray) -> tuple[np.ndarray | None, ...]:
        gn = _per_example(g, reduction, count, m, x.dtype)
        # d(-log softmax(x)_k)/dx = softmax(x) - onehot(k), so each row's gradient is
        # softmax(x) times the row's total coefficient, minus the coefficients themselves:
        # for plain class indices and the mean, (softmax(x) - onehot(y)) / N.
        total = hard if soft is None else soft.sum(axis=1) + (0 if hard is None else hard)
        grad = e * ((gn * total)[:, None] / s)
        if hard is not None:
            grad[arange, y] -= gn * hard
        if soft is not None:
            grad -= gn[:, None] * soft
        gx = _from_rows(grad, x.shape)
        if not probs:
            return (gx,)
        gt = None
        if target.requires_grad:  # d loss_n / d target_nk = -(1 - eps) w_k log softmax(x)_k
            w_row = w if w is not None else 1.0
            logp = shifted - log_s
            gt = _from_rows(-(1 - eps) * gn[:, None] * logp * w_row, x.shape)
        return gx, gt

    parents = (input, target) if probs else (input,)
    out = loss.reshape(_index_shape(x.shape)) if reduction == "none" else loss
    out = reduce_array(out, reduction, count)
    return from_op(out, parents, backward, "CrossEntropyLossBackward")


def _class_weights(
    idx: np.ndarray, w: np.ndarray | None, ignore_index: int, dtype: np.dtype
) -> tuple[np.ndarray, np.ndarray]:
    """The class indices, made safe to index with, and each example's weight ``w[y_n]``.

    Targets equal to ``ignore_index`` get weight 0 (and class 0, any valid index would do);
    without ``weight`` every other example weighs 1.
    """
    ignored = idx == ignore_index
    any_ignored = ignored.any()
    y = np.where(ignored, 0, idx) if any_ignored else idx
    wy = w[y] if w is not None else np.ones(len(idx), dtype=dtype)
    if any_ignored:
        wy[ignored] = 0
    return y, wy


def _per_example(
    g: np.ndarray, reduction: str, count: float, m: int, dtype: np.dtype
) -> np.ndarray:
    """The gradient reaching each example's loss: ``g`` spread by the reduction."""
    if reduction == "none":
        return g.reshape(-1)
    with np.errstate(invalid="ignore", divide="ignore"):  # every target ignored: NaN
        return np.full(m, g / count if reduction == "mean" else g, dtype=dtype)


def nll_loss(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> Tensor:
    r"""Negative log-likelihood of the true class, given log-probabilities.

    .. math::

        \ell_n = -w_{y_n}\, x_{n, y_n}, \qquad \ell = \frac{\sum_n \ell_n}{\sum_n w_{y_n}}

    The input must already be log-probabilities (the output of ``log_softmax``);
    ``cross_entropy(x, y)`` equals ``nll_loss(log_softmax(x, dim=1), y)``. The weighted mean
    divides by the sum of the weights of the targets, as PyTorch.

    Args:
        input: Log-probabilities of shape ``(N, C)``, ``(C,)`` or ``(N, C, d1, ...)``.
        target: Class indices in :math:`[0, C)`, shape ``(N,)`` (``()`` or ``(N, d1, ...)``).
        weight: Optional weight per class, shape ``(C,)``.
        ignore_index: Targets equal to it contribute nothing.
        reduction: ``'mean'`` (default; the weighted mean), ``'sum'`` or ``'none'``.

    Returns:
        A scalar tensor, or the per-example losses for ``reduction='none'``.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import functional as F
        >>> logp = nnlib.tensor([[-0.1, -2.4], [-1.2, -0.4]])
        >>> round(F.nll_loss(logp, nnlib.tensor([0, 1])).item(), 4)
        0.25

    Taught in chapter 4 (loss functions).
    """
    where = "nll_loss"
    check_reduction(where, reduction)
    input, target, c = _scores_and_target(where, input, target)
    x = input.data
    _check_indices(where, x, target, ignore_index)
    w = _weight(where, weight, input, c)
    rows = _to_rows(x)
    m = rows.shape[0]
    arange = np.arange(m)
    y, wy = _class_weights(target.data.reshape(-1), w, ignore_index, x.dtype)
    loss = -rows[arange, y] * wy
    count = wy.sum()  # the weighted mean divides by the weights of the targets

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        grad = np.zeros_like(rows)
        grad[arange, y] = -_per_example(g, reduction, count, m, x.dtype) * wy
        return (_from_rows(grad, x.shape),)

    out = loss.reshape(_index_shape(x.shape)) if reduction == "none" else loss
    return from_op(reduce_array(out, reduction, count), (input,), backward, "NllLossBackward")
