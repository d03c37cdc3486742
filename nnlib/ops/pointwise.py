"""Element-wise operations, each with its backward rule right beside its forward code.

Every function takes tensors (or plain numbers), computes the result with NumPy, and hands
:func:`~nnlib._tensor.from_op` a ``backward`` closure: given ``g``, the gradient of the
result, it returns the gradient for each input by the chain rule. Broadcasting in the
forward pass becomes a sum over the broadcast axes in the backward pass
(:func:`unbroadcast`).

Taught in chapter 2 (backpropagation).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from nnlib._graph import as_tensor, from_op, is_tensor, wrap

if TYPE_CHECKING:
    from nnlib._tensor import Tensor


def unbroadcast(g: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``g`` over the axes that broadcasting added or stretched, back to ``shape``.

    If ``b`` of shape ``(3,)`` was added to ``a`` of shape ``(2, 3)``, each element of ``b``
    was used twice, so its gradient is the sum of the two gradients that reached it.
    """
    if g.shape == shape:
        return g
    extra = g.ndim - len(shape)
    if extra:
        g = g.sum(axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    if axes:
        g = g.sum(axis=axes, keepdims=True)
    return g


def _is_scalar(x: Any) -> bool:
    """A plain number (Python or NumPy scalar), kept as a Python number so that it does
    not change the tensor's dtype (NumPy treats Python numbers as "weak")."""
    return isinstance(x, (int, float, np.number)) and not isinstance(x, (bool, np.bool_))


# NumPy and PyTorch promote mixed dtypes differently; nnlib follows PyTorch, so that a float32
# tensor stays float32 next to integer labels and ``arange(5) / 5`` is float32, not float64.
def _scalar_base(a: Tensor, b: float, true_div: bool = False) -> np.ndarray:
    """``a``'s values, ready to combine with the number ``b``: an integer or bool tensor meets
    a float number (or a true division) as float32, as in PyTorch."""
    if a.data.dtype.kind != "f" and (isinstance(b, float) or true_div):
        return a.data.astype(np.float32)
    return a.data


def _promote(ad: np.ndarray, bd: np.ndarray, true_div: bool = False) -> tuple[np.ndarray, ...]:
    """Two operands in PyTorch's common dtype where it differs from NumPy's: a float array
    keeps its dtype against an integer or bool one (float32 * int64 is float32), and true
    division of integers gives float32."""
    if ad.shape != bd.shape:
        _check_broadcast(ad.shape, bd.shape)
    fa, fb = ad.dtype.kind == "f", bd.dtype.kind == "f"
    if fa and not fb:
        return ad, bd.astype(ad.dtype)
    if fb and not fa:
        return ad.astype(bd.dtype), bd
    if true_div and not fa:
        return ad.astype(np.float32), bd.astype(np.float32)
    return ad, bd


def _check_broadcast(sa: tuple[int, ...], sb: tuple[int, ...]) -> None:
    """Refuse two shapes that do not broadcast, naming the first dimension that clashes."""
    __tracebackhide__ = True  # IPython and pytest hide this frame
    try:
        np.broadcast_shapes(sa, sb)
    except ValueError:
        n = max(len(sa), len(sb))
        pa, pb = (1,) * (n - len(sa)) + sa, (1,) * (n - len(sb)) + sb
        dim = next(i for i in range(n) if pa[i] != pb[i] and 1 not in (pa[i], pb[i]))
        raise RuntimeError(
            f"The size of tensor a ({pa[dim]}) must match the size of tensor b ({pb[dim]}) at "
            f"non-singleton dimension {dim}: "
            f"shapes {sa} and {sb} do not broadcast.\nhelp: sizes are compared from the "
            "right and must be equal or 1; print both .shape values — a transposed matrix "
            "(.T) or a missing reshape (e.g. y.reshape(-1, 1)) is the usual cause."
        ) from None


def scalar_like(x: Any, like: np.dtype) -> Tensor:
    """A plain number as a 0-d constant of the dtype PyTorch would compute in next to a tensor
    of dtype ``like``: 2.0 next to float32 is float32, 2.5 next to int64 is float32."""
    x = x.item() if isinstance(x, np.number) else x
    if isinstance(x, float) and like.kind != "f":
        return wrap(np.asarray(x, dtype=np.float32))
    return wrap(np.asarray(x, dtype=np.result_type(like, x)))


# ------------------------------------------------------------------ binary arithmetic
def add(a: Any, b: Any) -> Tensor:
    """``a + b`` with broadcasting. Backward: the gradient flows unchanged to both inputs."""
    if _is_scalar(b):
        a, b = as_tensor(a), b.item() if isinstance(b, np.number) else b
        return from_op(_scalar_base(a, b) + b, (a,), lambda g: (g,), "AddBackward", saved=())
    a, b = as_tensor(a), as_tensor(b)
    sa, sb = a.data.shape, b.data.shape

    def backward(g: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        ga = unbroadcast(g, sa) if a.requires_grad else None
        return ga, (unbroadcast(g, sb) if b.requires_grad else None)

    ad, bd = _promote(a.data, b.data)
    return from_op(ad + bd, (a, b), backward, "AddBackward", saved=())


def sub(a: Any, b: Any) -> Tensor:
    """``a - b`` with broadcasting. Backward: ``g`` to ``a``, ``-g`` to ``b``."""
    if _is_scalar(b):
        a, b = as_tensor(a), b.item() if isinstance(b, np.number) else b
        return from_op(_scalar_base(a, b) - b, (a,), lambda g: (g,), "SubBackward", saved=())
    a, b = as_tensor(a), as_tensor(b)
    sa, sb = a.data.shape, b.data.shape

    def backward(g: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        ga = unbroadcast(g, sa) if a.requires_grad else None
        return ga, (-unbroadcast(g, sb) if b.requires_grad else None)

    ad, bd = _promote(a.data, b.data)
    return from_op(ad - bd, (a, b), backward, "SubBackward", saved=())


def mul(a: Any, b: Any) -> Tensor:
    """``a * b`` with broadcasting. Backward: ``g * b`` to ``a`` and ``g * a`` to ``b``."""
    if _is_scalar(b):
        a, b = as_tensor(a), b.item() if isinstance(b, np.number) else b
        return from_op(_scalar_base(a, b) * b, (a,), lambda g: (g * b,), "MulBackward", saved=())
    a, b = as_tensor(a), as_tensor(b)
    ad, bd = _promote(a.data, b.data)

    def backward(g: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        ga = unbroadcast(g * bd, ad.shape) if a.requires_grad else None
        gb = unbroadcast(g * ad, bd.shape) if b.requires_grad else None
        return ga, gb

    # As PyTorch: each input is saved only if the other one needs its gradient.
    saved = ((b,) if a.requires_grad else ()) + ((a,) if b.requires_grad else ())
    return from_op(ad * bd, (a, b), backward, "MulBackward", saved=saved)


def div(a: Any, b: Any) -> Tensor:
    r"""``a / b`` with broadcasting. Backward: :math:`g/b` and :math:`-g\,a/b^2`."""
    if _is_scalar(b):
        a, b = as_tensor(a), b.item() if isinstance(b, np.number) else b
        out = _scalar_base(a, b, true_div=True) / b
        return from_op(out, (a,), lambda g: (g / b,), "DivBackward", saved=())
    a, b = as_tensor(a), as_tensor(b)
    ad, bd = _promote(a.data, b.data, true_div=True)
    out = ad / bd

    def backward(g: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        ga = unbroadcast(g / bd, ad.shape) if a.requires_grad else None
        gb = unbroadcast(-g * out / bd, bd.shape) if b.requires_grad else None
        return ga, gb

    saved = (a, b) if b.requires_grad else (b,)
    return from_op(out, (a, b), backward, "DivBackward", saved=saved)


def pow(a: Any, b: Any) -> Tensor:
    r"""``a ** b``. Backward: :math:`g\,b\,a^{b-1}` to ``a`` and :math:`g\,a^b \ln a` to ``b``."""
    if _is_scalar(b):
        a, b = as_tensor(a), b.item() if isinstance(b, np.number) else b
        ad = _scalar_base(a, b)
        if b == 2:
            return from_op(ad * ad, (a,), lambda g: (g * 2 * ad,), "PowBackward")
        if b == 0:  # constant 1: gradient 0 everywhere, also at 0 (not 0 * 0**-1 = nan)
            return from_op(ad**b, (a,), lambda g: (np.zeros_like(g),), "PowBackward")
        return from_op(ad**b, (a,), lambda g: (g * b * ad ** (b - 1),), "PowBackward")
    a, b = as_tensor(a), as_tensor(b)
    ad, bd = _promote(a.data, b.data)
    out = ad**bd

    def backward(g: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        ga = gb = None
        # As PyTorch: exponent 0 gives gradient 0 for the base, and a base of 0 (with an
        # exponent >= 0) gives gradient 0 for the exponent, instead of 0 * inf = nan.
        with np.errstate(divide="ignore", invalid="ignore"):
            if a.requires_grad:
                ga = np.where(bd == 0, 0, g * bd * ad ** (bd - 1))
                ga = unbroadcast(ga, ad.shape)
            if b.requires_grad:
                gb = np.where((ad == 0) & (bd >= 0), 0, g * out * np.log(ad))
                gb = unbroadcast(gb, bd.shape)
        return ga, gb

    return from_op(out, (a, b), backward, "PowBackward")


def neg(a: Tensor) -> Tensor:
    """``-a``. Backward: ``-g``."""
    return from_op(-a.data, (a,), lambda g: (-g,), "NegBackward", saved=())


# ------------------------------------------------------------------- unary functions
def exp(a: Tensor) -> Tensor:
    r""":math:`e^a`. Backward: :math:`g\,e^a` (the output itself)."""
    out = np.exp(a.data)
    return from_op(out, (a,), lambda g: (g * out,), "ExpBackward", saved=(), saves_output=True)


def log(a: Tensor) -> Tensor:
    r"""Natural logarithm :math:`\ln a`. Backward: :math:`g / a`."""
    ad = a.data
    return from_op(np.log(ad), (a,), lambda g: (g / ad,), "LogBackward")


def sqrt(a: Tensor) -> Tensor:
    r""":math:`\sqrt a`. Backward: :math:`g / (2\sqrt a)`."""
    out = np.sqrt(a.data)
    return from_op(
        out, (a,), lambda g: (g / (2 * out),), "SqrtBackward", saved=(), saves_output=True
    )


def abs(a: Tensor) -> Tensor:
    r""":math:`|a|`. Backward: :math:`g\,\mathrm{sign}(a)` (0 at 0, as PyTorch)."""
    ad = a.data
    return from_op(np.abs(ad), (a,), lambda g: (g * np.sign(ad),), "AbsBackward")


def tanh(a: Tensor) -> Tensor:
    r""":math:`\tanh a`. Backward: :math:`g\,(1 - \tanh^2 a)`."""
    out = np.tanh(a.data)
    return from_op(
        out, (a,), lambda g: (g * (1 - out * out),), "TanhBackward", saved=(), saves_output=True
    )


def sigmoid(a: Tensor) -> Tensor:
    r"""The logistic function :math:`\sigma(a) = 1/(1+e^{-a})`.

    Backward: :math:`g\,\sigma(1-\sigma)`.

    Computed without overflow for large :math:`|a|` (``exp`` only ever sees :math:`-|a|`).
    """
    ad = a.data
    e = np.exp(-np.abs(ad))
    out = np.where(ad >= 0, 1 / (1 + e), e / (1 + e))
    return from_op(
        out, (a,), lambda g: (g * out * (1 - out),), "SigmoidBackward", saved=(), saves_output=True
    )


def relu(a: Tensor) -> Tensor:
    r""":math:`\max(0, a)`. Backward: ``g`` where :math:`a > 0`, else 0 (PyTorch's choice at 0)."""
    ad = a.data
    out = np.maximum(ad, 0)
    return from_op(
        out, (a,), lambda g: (g * (out > 0),), "ReluBackward", saved=(), saves_output=True
    )


def clip(a: Tensor, min: float | None = None, max: float | None = None) -> Tensor:
    """Clamp values into ``[min, max]``. Backward: ``g`` inside the range (ends in it), else 0."""
    if min is None and max is None:
        raise ValueError(
            "clip: expected at least one of min or max, got neither.\n"
            "help: e.g. t.clip(min=0) or t.clip(-1, 1)."
        )
    min, max = _bound("clip", "min", min), _bound("clip", "max", max)
    ad = a.data
    out = np.clip(ad, min, max)

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        keep = np.ones(ad.shape, dtype=bool)
        if min is not None:
            keep &= ad >= min
        if max is not None:
            keep &= ad <= max
        return (g * keep,)

    return from_op(out, (a,), backward, "ClampBackward")


def _bound(where: str, name: str, value: Any) -> Any:
    """A clamp bound: ``None``, a number, or a tensor (its values) that broadcasts."""
    if value is None or _is_scalar(value):
        return value
    if is_tensor(value):
        return value.data
    raise TypeError(
        f"{where}: expected {name} to be a number or a tensor, got {type(value).__name__} "
        f"({value!r:.40}).\nhelp: e.g. t.clamp(min=0.0, max=1.0)."
    )


def _as_pair(a: Any, b: Any) -> tuple[Tensor, Tensor]:
    """Both operands as tensors; a plain number takes the other tensor's dtype where it fits
    (``where(c, x, 0.0)`` stays float32 for a float32 ``x``, as in PyTorch)."""
    a = a.item() if isinstance(a, np.number) else a  # NumPy scalars count as plain numbers
    b = b.item() if isinstance(b, np.number) else b
    if _is_scalar(a) and is_tensor(b):
        return scalar_like(a, b.data.dtype), b
    if _is_scalar(b) and is_tensor(a):
        return a, scalar_like(b, a.data.dtype)
    return as_tensor(a), as_tensor(b)


def where(condition: Any, a: Any, b: Any) -> Tensor:
    """Pick from ``a`` where ``condition`` is true and from ``b`` elsewhere (``torch.where``)."""
    cond = condition.data if is_tensor(condition) else np.asarray(condition)
    a, b = _as_pair(a, b)
    sa, sb = a.data.shape, b.data.shape

    def backward(g: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        ga = unbroadcast(np.where(cond, g, 0), sa) if a.requires_grad else None
        gb = unbroadcast(np.where(cond, 0, g), sb) if b.requires_grad else None
        return ga, gb

    return from_op(
        np.where(cond, *_promote(a.data, b.data)), (a, b), backward, "WhereBackward", saved=()
    )


def maximum(a: Any, b: Any) -> Tensor:
    """Element-wise maximum (``torch.maximum``); ties share the gradient equally, as PyTorch."""
    a, b = _as_pair(a, b)
    ad, bd = _promote(a.data, b.data)

    def backward(g: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        wa = (ad > bd) + 0.5 * (ad == bd)
        ga = unbroadcast(g * wa, ad.shape) if a.requires_grad else None
        gb = unbroadcast(g * (1 - wa), bd.shape) if b.requires_grad else None
        return ga, gb

    return from_op(np.maximum(ad, bd), (a, b), backward, "MaximumBackward")


def cast(a: Tensor, dtype: Any) -> Tensor:
    """Convert to another dtype; the gradient is converted back (``Tensor.to(dtype)``)."""
    given = dtype
    try:  # a string ("float") is refused, as in PyTorch: np.dtype would read it as float64
        dtype = None if isinstance(dtype, str) else np.dtype(dtype)
    except (TypeError, ValueError):
        dtype = None
    if dtype is None or dtype.kind not in "fiub":
        raise TypeError(
            f"to: expected a dtype such as nnlib.float32, got {given!r:.60}.\n"
            "help: e.g. x.to(nnlib.float64), or the shortcuts x.float(), x.double(), x.long()."
        )
    if a.data.dtype == dtype:
        return a
    src = a.data.dtype
    if dtype.kind != "f":
        return wrap(a.data.astype(dtype))
    return from_op(
        a.data.astype(dtype), (a,), lambda g: (g.astype(src),), "ToCopyBackward", saved=()
    )
