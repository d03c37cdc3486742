"""The ``Tensor``: a NumPy array that remembers how it was computed.

A tensor made by an operation keeps its inputs (``_parents``) and a small function
(``_backward``) that turns the gradient of the output into gradients of the inputs. The
operations themselves, each with its backward rule right beside its forward code, live in
:mod:`nnlib.ops`; the methods and operators of the class (``a + b``, ``x.sum()``, ``w.T``)
call them. The walk that calls the backward rules in order lives in
:mod:`nnlib.autograd.engine`.

Taught in chapter 2 (backpropagation).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Iterator
from typing import Any, TypeVar, cast, overload

import numpy as np

from nnlib import grad_mode
from nnlib._checks import check_dim
from nnlib._graph import (  # noqa: F401  (re-exported for the floors above)
    _NOTHING_SAVED,
    BackwardFn,
    SavedVersions,
    _to_array,
    as_tensor,
    from_op,
    set_tensor_class,
    wrap,
)
from nnlib.ops import linalg, norms, pointwise, reduce
from nnlib.ops import shape as shape_ops

# PyTorch-style dtype names, so that ``nnlib.float32`` reads like ``torch.float32``.
float32 = np.dtype(np.float32)
float64 = np.dtype(np.float64)
int64 = np.dtype(np.int64)
int32 = np.dtype(np.int32)
bool_ = np.dtype(np.bool_)

F = TypeVar("F", bound=Callable[..., Any])


def _numpy_names(fn: F) -> F:
    """Accept NumPy's ``axis=``/``keepdims=`` as PyTorch does (``x.sum(axis=1)``)."""

    @functools.wraps(fn)
    def method(self: Tensor, *args: Any, **kwargs: Any) -> Any:
        for numpy_name, torch_name in (("axis", "dim"), ("keepdims", "keepdim")):
            if numpy_name in kwargs:
                if torch_name in kwargs or (torch_name == "dim" and args):
                    raise TypeError(
                        f"{fn.__name__}: expected {torch_name}= or {numpy_name}=, got both.\n"
                        f"help: they are two names for the same thing; pass {torch_name}= only."
                    )
                kwargs[torch_name] = kwargs.pop(numpy_name)
        return fn(self, *args, **kwargs)

    return cast(F, method)


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float, np.number)) and not isinstance(x, (bool, np.bool_))


class Tensor:
    """A NumPy array plus reverse-mode automatic differentiation, with PyTorch's API.

    Args:
        data: Numbers: a Python scalar, (nested) list, NumPy array or another tensor. The data
            is copied. Floating NumPy arrays keep their dtype; Python floats become float32
            and Python ints int64, as with ``torch.tensor``.
        requires_grad: Record operations on this tensor so that ``backward()`` fills
            ``.grad``. Only floating tensors can require gradients.
        dtype: Optional dtype to convert to, e.g. ``nnlib.float64``.

    Attributes:
        data: The values, a NumPy array (in PyTorch ``.data`` is a tensor; nnlib gives you
            the array itself so you can print and plot it).
        grad: The gradient the backward passes accumulated, a tensor of the same shape and
            dtype (as in PyTorch: ``w.grad.zero_()``, ``w.grad.norm()``, and
            ``w.grad.data`` for the array), or ``None`` before any backward pass reached
            this tensor.
        requires_grad: Whether operations on this tensor are recorded.

    Example:
        >>> import nnlib
        >>> x = nnlib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        >>> y = (x * x).sum()
        >>> y.backward()
        >>> x.grad
        tensor([2., 4., 6.])

    Taught in chapter 2 (backpropagation).
    """

    __slots__ = (
        "__weakref__",
        "_backward",
        "_grad",
        "_op",
        "_parents",
        "_retains_grad",
        "_saved",
        "_vc",
        "data",
        "requires_grad",
    )

    # Make NumPy hand ``ndarray + Tensor`` over to Tensor.__radd__ instead of broadcasting
    # the tensor as an object array.
    __array_ufunc__ = None

    def __init__(self, data: Any, requires_grad: bool = False, dtype: Any = None) -> None:
        self.data = _to_array(data, dtype)
        self._grad: Tensor | None = None
        self._parents: tuple[Tensor, ...] = ()
        self._backward: BackwardFn | None = None
        self._op = ""
        self._vc = [0]
        self._saved: SavedVersions | None = _NOTHING_SAVED
        self._retains_grad = False
        self.requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    # ----------------------------------------------------------------- construction
    @staticmethod
    def _wrap(data: np.ndarray) -> Tensor:
        """Wrap an array the library just computed: no copy, no checks, no graph."""
        return wrap(data)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Switch gradient recording on (or off) for this leaf tensor, in place."""
        if not isinstance(requires_grad, (bool, np.bool_)):
            raise TypeError(
                f"Tensor.requires_grad_: expected requires_grad to be True or False, got a "
                f"{type(requires_grad).__name__}.\nhelp: call t.requires_grad_() (or "
                "t.requires_grad_(False)); PyTorch refuses other values too."
            )
        if requires_grad and self.data.dtype.kind != "f":
            raise TypeError(
                f"Tensor.requires_grad_: expected a floating tensor, got dtype "
                f"{self.data.dtype}.\nhelp: only floating tensors have gradients; convert "
                "first, e.g. nnlib.tensor([1, 2]).float().requires_grad_()."
            )
        if not requires_grad and self._backward is not None:
            raise RuntimeError(
                "Tensor.requires_grad_: expected a leaf tensor, got the result of an "
                "operation.\nhelp: use .detach() to get a tensor outside the graph."
            )
        self.requires_grad = bool(requires_grad)
        return self

    # ------------------------------------------------------------------- gradient
    @property
    def grad(self) -> Tensor | None:
        """The gradient the backward passes accumulated here, a tensor shaped like this one.

        ``None`` until a backward pass reaches the tensor. Only leaves (tensors you made,
        parameters) get one, unless :meth:`retain_grad` was called on a non-leaf; reading
        ``.grad`` of any other non-leaf warns and gives ``None``, as in PyTorch.
        """
        if self._backward is not None and not self._retains_grad and self._grad is None:
            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. "
                "Its .grad attribute won't be populated during backward().\nhelp: call "
                ".retain_grad() on it before backward() to keep its gradient, or read the "
                ".grad of the leaf tensors (the parameters) instead.",
                UserWarning,
                stacklevel=2,
            )
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is None:
            self._grad = None
            return
        if not isinstance(value, Tensor):
            raise TypeError(
                f"Tensor.grad: expected a Tensor or None, got {type(value).__name__}.\n"
                "help: wrap the values first, e.g. w.grad = nnlib.tensor(array, "
                "dtype=w.dtype) (PyTorch's .grad is a tensor too)."
            )
        if value.data.shape != self.data.shape or value.data.dtype != self.data.dtype:
            raise RuntimeError(
                f"Tensor.grad: expected a gradient of shape {self.data.shape} and dtype "
                f"{self.data.dtype} (this tensor's), got shape {value.data.shape} and dtype "
                f"{value.data.dtype}.\nhelp: a gradient has the shape and dtype of what it is "
                "the gradient of; build it with nnlib.zeros_like(w) or .to(w.dtype)."
            )
        self._grad = value

    def _accumulate_grad(self, g: np.ndarray) -> None:
        """Add ``g`` to ``.grad``; with no gradient yet, ``g`` itself becomes it (no copy).

        The backward walk calls this for leaves and for tensors that retain their gradient.
        """
        if self._grad is None:
            self._grad = Tensor._wrap(g)
        else:
            self._grad.data += g
            self._grad._bump_version()

    def retain_grad(self) -> None:
        """Keep the gradient of this non-leaf tensor in ``.grad`` during ``backward()``.

        Example:
            >>> import nnlib
            >>> x = nnlib.tensor([1.0, 2.0], requires_grad=True)
            >>> h = x * 3
            >>> h.retain_grad()
            >>> (h * h).sum().backward()
            >>> h.grad
            tensor([ 6., 12.])

        Taught in chapter 2 (backpropagation) and chapter 8 (vanishing and exploding
        gradients).
        """
        if not self.requires_grad:
            raise RuntimeError(
                "Tensor.retain_grad: expected a tensor that requires grad, got one that does "
                "not.\nhelp: only tensors computed from inputs with requires_grad=True get "
                "a gradient."
            )
        if self._backward is not None:
            self._retains_grad = True

    @property
    def retains_grad(self) -> bool:
        """Whether :meth:`retain_grad` was called on this non-leaf tensor."""
        return self._retains_grad

    @property
    def _version(self) -> int:
        """How many times the values were changed in place (PyTorch's ``_version``).

        ``backward()`` compares it with the version each operation saved, so that a tensor
        changed between the forward and the backward pass raises instead of giving a
        wrong gradient. Views made by shape operations share their base's counter.
        """
        return self._vc[0]

    def _bump_version(self) -> None:
        """Record an in-place change of the values (optimizers call it after each update)."""
        self._vc[0] += 1

    def zero_(self) -> Tensor:
        """Fill with zeros, in place (``p.grad.zero_()``)."""
        return self.fill_(0)

    def fill_(self, value: float) -> Tensor:
        """Fill with ``value``, in place."""
        if self.requires_grad and grad_mode.is_grad_enabled():
            raise RuntimeError(
                "Tensor.fill_: a tensor that requires grad cannot be filled in place while "
                "gradients are recorded.\nhelp: do it inside `with nnlib.no_grad():`."
            )
        self._check_writeable("fill_")
        self.data[...] = value
        self._vc[0] += 1
        return self

    def _check_writeable(self, name: str) -> None:
        if not self.data.flags.writeable:  # an expand()ed view: one element, many places
            raise RuntimeError(
                f"Tensor.{name}: unsupported operation: more than one element of the "
                "written-to tensor refers to a single memory location (it was made by "
                "expand()).\nhelp: write to a copy: x = x.clone(), then change x."
            )

    # ------------------------------------------------------------------ properties
    @property
    def shape(self) -> tuple[int, ...]:
        """The shape, a tuple of ints (PyTorch returns a ``torch.Size``)."""
        return self.data.shape

    @property
    def dtype(self) -> np.dtype:
        """The NumPy dtype of the values."""
        return self.data.dtype

    @property
    def ndim(self) -> int:
        """The number of dimensions."""
        return self.data.ndim

    @property
    def is_leaf(self) -> bool:
        """``True`` for tensors made by the user rather than by an operation."""
        return self._backward is None

    @property
    def grad_fn(self) -> str | None:
        """The name of the operation that made this tensor (``None`` for a leaf)."""
        return self._op or None

    @overload
    def size(self, dim: None = None) -> tuple[int, ...]: ...
    @overload
    def size(self, dim: int) -> int: ...
    def size(self, dim: int | None = None) -> tuple[int, ...] | int:
        """The shape, or the length of one dimension, as ``torch.Tensor.size``."""
        if dim is None:
            return self.data.shape
        return self.data.shape[check_dim("Tensor.size", dim, self.data.ndim)]

    def dim(self) -> int:
        """The number of dimensions (``ndim``)."""
        return self.data.ndim

    def numel(self) -> int:
        """The number of elements."""
        return int(self.data.size)

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor\nhelp: use .item() to get the number.")
        return len(self.data)

    def __iter__(self) -> Iterator[Tensor]:
        # Without this, Python would iterate a 0-d tensor through __getitem__ and silently
        # yield nothing; PyTorch refuses, and so do we.
        if self.data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor\nhelp: use .item() to get the number.")
        return (self[i] for i in range(len(self.data)))

    # ----------------------------------------------------------------- conversion
    def item(self) -> float | int | bool:
        """The single value of a one-element tensor as a Python number."""
        if self.data.size != 1:
            raise ValueError(
                f"Tensor.item: expected a tensor with one element, got shape "
                f"{self.data.shape}.\nhelp: reduce it first, e.g. loss.mean().item(), or use "
                ".tolist()."
            )
        return self.data.item()

    def tolist(self) -> Any:
        """The values as (nested) Python lists."""
        return self.data.tolist()

    def numpy(self) -> np.ndarray:
        """The values as a NumPy array (shared, not copied), as ``torch.Tensor.numpy``."""
        if self.requires_grad:
            raise RuntimeError(
                "Tensor.numpy: expected a tensor that does not require grad, got one that "
                "does.\nhelp: call .detach().numpy(), exactly as in PyTorch."
            )
        return self.data

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        """Let NumPy (and matplotlib) read the values: ``np.asarray(t)`` is ``t.data``.

        PyTorch refuses this for a tensor that requires grad; nnlib allows it, because the
        values are a plain array anyway and learners plot parameters often.
        """
        arr = self.data if dtype is None else self.data.astype(dtype, copy=False)
        return arr.copy() if copy else arr

    def detach(self) -> Tensor:
        """A tensor sharing the same values (and version counter) but cut out of the graph."""
        out = Tensor._wrap(self.data)
        out._vc = self._vc
        return out

    def backward(self, gradient: Any = None, retain_graph: bool | None = None) -> None:
        """Fill ``.grad`` of every leaf this tensor depends on (reverse-mode autodiff).

        Args:
            gradient: The gradient of some final scalar with respect to this tensor. Leave
                it out for a scalar (it is then 1); a non-scalar tensor needs it.
            retain_graph: Keep the values the graph saved for its backward rules, so that
                a second ``backward()`` through the same graph works. By default (as in
                PyTorch) they are freed, and a second pass raises.

        Gradients *accumulate*: each call adds to the ``.grad`` already stored, so zero them
        (``optimizer.zero_grad()``) between training steps. A tensor the graph saved that
        was changed in place since (``with no_grad(): w -= 1``, ``optimizer.step()``) makes
        the pass raise rather than compute a wrong gradient.
        """
        # Imported here, not at the top: the engine needs nothing from this module, but its
        # package, nnlib.autograd, also holds Function and gradcheck, which build tensors.
        from nnlib.autograd.engine import run_backward

        run_backward(self, gradient, retain_graph=bool(retain_graph))

    def __repr__(self) -> str:
        body = np.array2string(
            self.data, separator=", ", prefix="tensor(", precision=4, suppress_small=False
        )
        extras = []
        if self.data.dtype not in (float32, int64, bool_):
            extras.append(f"dtype=nnlib.{self.data.dtype}")
        if self._op:
            extras.append(f"grad_fn=<{self._op}>")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return "tensor(" + body + "".join(", " + e for e in extras) + ")"

    def __bool__(self) -> bool:
        if self.data.size != 1:
            raise RuntimeError(
                f"bool(Tensor): expected one element, got shape {self.data.shape}.\n"
                "help: use (t > 0).all() or .any() to test many values."
            )
        return bool(self.data)

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self.data.dtype.kind not in "iu" or self.data.size != 1:
            raise TypeError("only integer tensors of a single element can be used as an index")
        return int(self.data.item())

    # ---------------------------------------------------- in-place updates (optimizers)
    def _inplace(self, other: Any, ufunc: np.ufunc, name: str) -> Tensor:
        if self.requires_grad and grad_mode.is_grad_enabled():
            if self.is_leaf:
                raise RuntimeError(
                    f"Tensor.{name}: a leaf tensor that requires grad cannot be changed in "
                    "place while gradients are recorded.\nhelp: update parameters inside "
                    "`with nnlib.no_grad():`, or change `.data` directly."
                )
            return NotImplemented  # fall back to the out-of-place operator
        if isinstance(other, Tensor) and other.requires_grad and grad_mode.is_grad_enabled():
            # ``total += loss``: the result must join the graph, so record it out of place
            # (as PyTorch does) instead of silently dropping the gradient of ``loss``.
            return NotImplemented
        value = other.data if isinstance(other, Tensor) else other
        self._check_writeable(name)
        try:
            ufunc(self.data, value, out=self.data, casting="same_kind")
        except (ValueError, TypeError) as exc:
            shape = np.shape(value)
            raise RuntimeError(
                f"Tensor.{name}: expected a value that broadcasts to shape {self.data.shape} "
                f"with dtype {self.data.dtype}, got shape {shape} ({type(exc).__name__}).\n"
                "help: an in-place update cannot change the tensor's shape or dtype; use the "
                "out-of-place form (x = x + y) or fix the other operand."
            ) from None
        self._vc[0] += 1
        return self

    def __iadd__(self, other: Any) -> Tensor:
        return self._inplace(other, np.add, "__iadd__")

    def __isub__(self, other: Any) -> Tensor:
        return self._inplace(other, np.subtract, "__isub__")

    def __imul__(self, other: Any) -> Tensor:
        return self._inplace(other, np.multiply, "__imul__")

    def __itruediv__(self, other: Any) -> Tensor:
        return self._inplace(other, np.true_divide, "__itruediv__")

    # ---------------------------------------------- operators (the maths is in nnlib.ops)
    def __add__(self, other: Any) -> Tensor:
        return pointwise.add(self, other)

    def __radd__(self, other: Any) -> Tensor:
        return pointwise.add(self, other)

    def __sub__(self, other: Any) -> Tensor:
        return pointwise.sub(self, other)

    def __rsub__(self, other: Any) -> Tensor:
        return pointwise.add(pointwise.neg(self), other)

    def __mul__(self, other: Any) -> Tensor:
        return pointwise.mul(self, other)

    def __rmul__(self, other: Any) -> Tensor:
        return pointwise.mul(self, other)

    def __truediv__(self, other: Any) -> Tensor:
        return pointwise.div(self, other)

    def __rtruediv__(self, other: Any) -> Tensor:
        # A plain number takes the tensor's dtype only where it fits: 2.5 / int_tensor is
        # 1.25, not 2 / int_tensor.
        num = pointwise.scalar_like(other, self.data.dtype) if _is_number(other) else other
        return pointwise.div(num, self)

    def __pow__(self, other: Any) -> Tensor:
        return pointwise.pow(self, other)

    def __rpow__(self, other: Any) -> Tensor:
        base = pointwise.scalar_like(other, self.data.dtype) if _is_number(other) else other
        return pointwise.pow(base, self)

    def __matmul__(self, other: Any) -> Tensor:
        return linalg.matmul(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return linalg.matmul(other, self)

    def __neg__(self) -> Tensor:
        return pointwise.neg(self)

    def __abs__(self) -> Tensor:
        return pointwise.abs(self)

    def __getitem__(self, index: Any) -> Tensor:
        return shape_ops.getitem(self, index)

    # Comparisons give bool tensors outside the graph, as in PyTorch.
    def __lt__(self, other: Any) -> Tensor:
        return Tensor._wrap(np.less(self.data, getattr(other, "data", other)))

    def __le__(self, other: Any) -> Tensor:
        return Tensor._wrap(np.less_equal(self.data, getattr(other, "data", other)))

    def __gt__(self, other: Any) -> Tensor:
        return Tensor._wrap(np.greater(self.data, getattr(other, "data", other)))

    def __ge__(self, other: Any) -> Tensor:
        return Tensor._wrap(np.greater_equal(self.data, getattr(other, "data", other)))

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]  # elementwise, as in PyTorch
        return Tensor._wrap(np.equal(self.data, getattr(other, "data", other)))

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]  # elementwise, as in PyTorch
        return Tensor._wrap(np.not_equal(self.data, getattr(other, "data", other)))

    __hash__ = object.__hash__  # defining __eq__ would otherwise make tensors unhashable

    def __format__(self, spec: str) -> str:
        """``f"{t:.3f}"`` for a one-element tensor, as in PyTorch (``repr`` otherwise)."""
        if self.data.ndim == 0:
            return format(self.data.item(), spec)
        if spec:
            raise TypeError(
                f"unsupported format string passed to Tensor.__format__: a tensor of shape "
                f"{self.data.shape} has no single number to format with {spec!r}.\nhelp: "
                "format one element, f'{t[0]:.3f}', or the number, f'{t.item():.3f}'."
            )
        return repr(self)

    # ---------------------------------------------------------- pointwise (nnlib.ops)
    def add(self, other: Any) -> Tensor:
        """``self + other`` (``nnlib.ops.add``)."""
        return pointwise.add(self, other)

    def sub(self, other: Any) -> Tensor:
        """``self - other`` (``nnlib.ops.sub``)."""
        return pointwise.sub(self, other)

    def mul(self, other: Any) -> Tensor:
        """``self * other`` (``nnlib.ops.mul``)."""
        return pointwise.mul(self, other)

    def div(self, other: Any) -> Tensor:
        """``self / other`` (``nnlib.ops.div``)."""
        return pointwise.div(self, other)

    def pow(self, exponent: Any) -> Tensor:
        """``self ** exponent`` (``nnlib.ops.pow``)."""
        return pointwise.pow(self, exponent)

    def matmul(self, other: Any) -> Tensor:
        """``self @ other`` (``nnlib.ops.matmul``)."""
        return linalg.matmul(self, other)

    def neg(self) -> Tensor:
        """``-self`` (``nnlib.ops.neg``)."""
        return pointwise.neg(self)

    def exp(self) -> Tensor:
        """:math:`e^x`, element-wise (:func:`nnlib.exp`)."""
        return pointwise.exp(self)

    def log(self) -> Tensor:
        """The natural logarithm, element-wise (:func:`nnlib.log`)."""
        return pointwise.log(self)

    def sqrt(self) -> Tensor:
        """The square root, element-wise (:func:`nnlib.sqrt`)."""
        return pointwise.sqrt(self)

    def abs(self) -> Tensor:
        """The absolute value, element-wise (:func:`nnlib.abs`)."""
        return pointwise.abs(self)

    def tanh(self) -> Tensor:
        """The hyperbolic tangent, element-wise (:func:`nnlib.tanh`)."""
        return pointwise.tanh(self)

    def sigmoid(self) -> Tensor:
        """The logistic sigmoid, element-wise (:func:`nnlib.sigmoid`)."""
        return pointwise.sigmoid(self)

    def relu(self) -> Tensor:
        """``max(x, 0)``, element-wise (:func:`nnlib.relu`)."""
        return pointwise.relu(self)

    def clip(self, min: float | None = None, max: float | None = None) -> Tensor:
        """Values limited to ``[min, max]`` (:func:`nnlib.clip`)."""
        return pointwise.clip(self, min, max)

    clamp = clip

    def norm(self, p: float = 2) -> Tensor:
        """The ``p``-norm of all elements, as ``torch.Tensor.norm`` (``p.grad.norm()``)."""
        if p == 2:
            return (self * self).sum().sqrt()
        return (self.abs() ** p).sum() ** (1.0 / p)

    def renorm(self, p: float, dim: int, maxnorm: float) -> Tensor:
        """Rescale each slice along ``dim`` to ``p``-norm at most ``maxnorm``
        (:func:`nnlib.renorm`)."""
        return norms.renorm(self, p, dim, maxnorm)

    # --------------------------------------------------------- reductions (nnlib.ops)
    @_numpy_names
    def sum(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        """The sum over everything, or along ``dim`` (``nnlib.ops.sum``)."""
        return reduce.sum(self, dim, keepdim)

    @_numpy_names
    def mean(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        """The mean over everything, or along ``dim`` (:func:`nnlib.mean`)."""
        return reduce.mean(self, dim, keepdim)

    @overload
    def max(self, dim: None = None, keepdim: bool = False) -> Tensor: ...
    @overload
    def max(self, dim: int, keepdim: bool = False) -> reduce.MaxMin: ...
    @_numpy_names
    def max(self, dim: Any = None, keepdim: bool = False) -> Tensor | reduce.MaxMin:
        """The largest value, or ``(values, indices)`` along ``dim`` (``nnlib.ops.max``)."""
        return reduce.max(self, dim, keepdim)

    @overload
    def min(self, dim: None = None, keepdim: bool = False) -> Tensor: ...
    @overload
    def min(self, dim: int, keepdim: bool = False) -> reduce.MaxMin: ...
    @_numpy_names
    def min(self, dim: Any = None, keepdim: bool = False) -> Tensor | reduce.MaxMin:
        """The smallest value, or ``(values, indices)`` along ``dim`` (``nnlib.ops.min``)."""
        return reduce.min(self, dim, keepdim)

    @_numpy_names
    def var(
        self,
        dim: Any = None,
        keepdim: bool = False,
        *,
        correction: int = 1,
        unbiased: bool | None = None,
    ) -> Tensor:
        """The variance (with Bessel's correction by default), as ``torch.Tensor.var``."""
        if unbiased is not None:
            correction = int(unbiased)
        return reduce.var(self, dim, keepdim, correction)

    @_numpy_names
    def std(
        self,
        dim: Any = None,
        keepdim: bool = False,
        *,
        correction: int = 1,
        unbiased: bool | None = None,
    ) -> Tensor:
        """The standard deviation, the square root of :meth:`var`."""
        return self.var(dim, keepdim, correction=correction, unbiased=unbiased).sqrt()

    @_numpy_names
    def logsumexp(self, dim: Any, keepdim: bool = False) -> Tensor:
        r""":math:`\log \sum e^x` along ``dim``, computed stably (:func:`nnlib.logsumexp`)."""
        return reduce.logsumexp(self, dim, keepdim)

    @_numpy_names
    def argmax(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """Index of the largest value (over everything, or along ``dim``), as int64."""
        axis = None if dim is None else _one_dim("argmax", dim, self.data.ndim)
        index = np.argmax(self.data, axis=axis, keepdims=keepdim)
        return Tensor._wrap(np.asarray(index, dtype=np.int64))

    @_numpy_names
    def argmin(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """Index of the smallest value (over everything, or along ``dim``), as int64."""
        axis = None if dim is None else _one_dim("argmin", dim, self.data.ndim)
        index = np.argmin(self.data, axis=axis, keepdims=keepdim)
        return Tensor._wrap(np.asarray(index, dtype=np.int64))

    @_numpy_names
    def all(self, dim: int | None = None, keepdim: bool = False, *, out: None = None) -> Tensor:
        """``True`` where every element (over everything, or along ``dim``) is non-zero."""
        return self._logical(np.all, dim, keepdim, out)

    @_numpy_names
    def any(self, dim: int | None = None, keepdim: bool = False, *, out: None = None) -> Tensor:
        """``True`` where any element (over everything, or along ``dim``) is non-zero."""
        return self._logical(np.any, dim, keepdim, out)

    def _logical(self, fn: Any, dim: Any, keepdim: bool, out: Any) -> Tensor:
        # ``out=None`` is accepted (as torch.all accepts it) so that np.all(t) works as well.
        if out is not None:
            raise TypeError(
                f"{fn.__name__}: expected out=None, got {type(out).__name__}.\nhelp: use the "
                "returned tensor: mask = t.all(dim=1)."
            )
        axis = None if dim is None else reduce._axes(dim, self.data.ndim, fn.__name__)
        return Tensor._wrap(np.asarray(fn(self.data, axis=axis, keepdims=keepdim)))

    # -------------------------------------------------------------- shape (nnlib.ops)
    def reshape(self, *shape: Any) -> Tensor:
        """The same values in a new shape (``-1`` infers one dimension)."""
        return shape_ops.reshape(self, *shape)

    view = reshape

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        """Swap two dimensions."""
        return shape_ops.transpose(self, dim0, dim1)

    def permute(self, *dims: Any) -> Tensor:
        """Reorder the dimensions."""
        return shape_ops.permute(self, *dims)

    def unsqueeze(self, dim: int) -> Tensor:
        """Insert a dimension of size 1 at ``dim``."""
        return shape_ops.unsqueeze(self, dim)

    def expand(self, *sizes: Any) -> Tensor:
        """Broadcast to ``sizes`` without copying (``-1`` keeps a dimension's size)."""
        return shape_ops.expand(self, *sizes)

    def squeeze(self, dim: int | None = None) -> Tensor:
        """Remove dimensions of size 1 (all of them, or ``dim``)."""
        return shape_ops.squeeze(self, dim)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Merge the dimensions ``start_dim`` to ``end_dim`` into one."""
        return shape_ops.flatten(self, start_dim, end_dim)

    @property
    def T(self) -> Tensor:
        """The tensor with its dimensions reversed (the transpose of a matrix)."""
        return shape_ops.permute(self, tuple(reversed(range(self.data.ndim))))

    # ------------------------------------------------------------------------ dtypes
    def to(self, dtype: Any) -> Tensor:
        """Convert to ``dtype`` (e.g. ``nnlib.float64``); differentiable between float types."""
        return pointwise.cast(self, dtype)

    def float(self) -> Tensor:
        """Convert to float32 (differentiable)."""
        return pointwise.cast(self, np.float32)

    def double(self) -> Tensor:
        """Convert to float64 (differentiable): what finite-difference checks need."""
        return pointwise.cast(self, np.float64)

    def long(self) -> Tensor:
        """Convert to int64, the dtype of class indices (no gradient)."""
        return pointwise.cast(self, np.int64)

    def int(self) -> Tensor:
        """Convert to int32 (no gradient)."""
        return pointwise.cast(self, np.int32)

    def bool(self) -> Tensor:
        """Convert to bool (no gradient)."""
        return pointwise.cast(self, np.bool_)

    def clone(self) -> Tensor:
        """A copy with its own memory that stays in the graph (the gradient passes through)."""
        return from_op(self.data.copy(), (self,), lambda g: (g,), "CloneBackward", ())


def _one_dim(where: str, dim: Any, ndim: int) -> int:
    if isinstance(dim, (tuple, list)):
        raise TypeError(
            f"{where}: expected one int dim, got {dim!r}.\nhelp: {where} works along one "
            "dimension; flatten first to search several, e.g. x.flatten()."
        )
    return reduce._axes(dim, ndim, where)[0]


set_tensor_class(Tensor)
