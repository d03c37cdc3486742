"""The ``Tensor``: a NumPy array that remembers how it was computed.

A tensor made by an operation keeps its inputs (``_parents``) and a small function
(``_backward``) that turns the gradient of the output into gradients of the inputs. The
operations themselves, each with its backward rule right beside its forward code, live in
:mod:`nnlib.ops`; the walk that calls the backward rules in order lives in
:mod:`nnlib.autograd.engine`.

Taught in chapter 2 (backpropagation).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from nnlib import grad_mode
from nnlib._checks import check_dim

BackwardFn = Callable[[np.ndarray], Sequence["np.ndarray | None"]]

# PyTorch-style dtype names, so that ``nnlib.float32`` reads like ``torch.float32``.
float32 = np.dtype(np.float32)
float64 = np.dtype(np.float64)
int64 = np.dtype(np.int64)
int32 = np.dtype(np.int32)
bool_ = np.dtype(np.bool_)


# What a node that keeps no tensor for its backward rule holds in ``_saved`` (``+``, ``sum``,
# reshapes): such a node may be walked again after a backward pass, as in PyTorch.
_NOTHING_SAVED: list[tuple[Tensor, int]] = []


def _to_array(data: Any, dtype: Any = None) -> np.ndarray:
    """Copy ``data`` into a fresh array with PyTorch's dtype inference.

    NumPy arrays keep their dtype (float64 stays float64); Python floats become float32 and
    Python ints int64, as ``torch.tensor`` does.
    """
    if isinstance(data, Tensor):
        data = data.data
    try:
        if dtype is not None:
            return np.array(data, dtype=dtype)
        arr = np.array(data)
    except ValueError as exc:
        if "inhomogeneous" not in str(exc) and "sequence" not in str(exc):
            raise
        raise ValueError(
            "Tensor: expected a rectangular (nested) list, every row the same length, got "
            "rows of different lengths.\nhelp: check the lengths of the inner lists (e.g. "
            "[len(row) for row in data]); pad or drop the short rows."
        ) from None
    if not isinstance(data, (np.ndarray, np.generic)) and arr.dtype.kind == "f":
        arr = arr.astype(np.float32)
    if arr.dtype.kind in "iu" and arr.dtype != np.int64:
        arr = arr.astype(np.int64)
    if arr.dtype.kind in "US":
        raise TypeError(
            f"Tensor: expected numbers, got text ({data!r:.40}).\nhelp: numbers read as "
            "text must be converted first, e.g. float('0.5'), or "
            "np.array(rows, dtype=np.float32) for a table read from a file."
        )
    if arr.dtype.kind not in "fiub":
        raise TypeError(
            f"Tensor: expected numbers (floats, ints or bools), got dtype {arr.dtype}.\n"
            "help: pass a list or NumPy array of numbers, e.g. nnlib.tensor([1.0, 2.0])."
        )
    return arr


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
        self._saved: list[tuple[Tensor, int]] | None = _NOTHING_SAVED
        self._retains_grad = False
        self.requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    # ----------------------------------------------------------------- construction
    @classmethod
    def _wrap(cls, data: np.ndarray) -> Tensor:
        """Wrap an array the library just computed: no copy, no checks, no graph."""
        out = object.__new__(cls)
        out.data = data
        out._grad = None
        out._parents = ()
        out._backward = None
        out._op = ""
        out._vc = [0]
        out._saved = _NOTHING_SAVED
        out._retains_grad = False
        out.requires_grad = False
        return out

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Switch gradient recording on (or off) for this leaf tensor, in place."""
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

        Taught in chapter 2 (backpropagation).
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
        self.data[...] = value
        self._vc[0] += 1
        return self

    def norm(self, p: float = 2) -> Tensor:
        """The ``p``-norm of all elements, as ``torch.Tensor.norm`` (``p.grad.norm()``)."""
        if p == 2:
            return (self * self).sum().sqrt()
        return (self.abs() ** p).sum() ** (1.0 / p)

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

    def size(self, dim: int | None = None) -> Any:
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

    def __iter__(self) -> Any:
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

    __hash__ = object.__hash__

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


def from_op(
    data: np.ndarray,
    parents: tuple[Tensor, ...],
    backward: BackwardFn,
    op: str,
    saved: Sequence[Tensor] | None = None,
    view_of: Tensor | None = None,
) -> Tensor:
    """Wrap the result of an operation and, when needed, record how to differentiate it.

    This is how every operation in :mod:`nnlib.ops` joins the graph. ``backward`` receives
    the gradient of the result (an array shaped like ``data``) and returns one array per
    parent (or ``None`` for a parent that needs no gradient), each shaped like that parent.

    Args:
        data: The computed values (owned by the new tensor; not copied).
        parents: The input tensors.
        backward: The chain rule for this operation, as described above.
        op: A name for the graph, shown as ``grad_fn`` (e.g. ``"MulBackward"``).
        saved: The tensors whose values ``backward`` reads (PyTorch's saved tensors). Their
            versions are recorded, so that an in-place change before the backward pass
            raises; and a node that saved something cannot be walked twice without
            ``retain_graph=True``. ``None`` (the default) means every parent; pass ``()``
            for a rule that reads no values (``+``, ``sum``, reshapes).
        view_of: For a view (reshape, transpose, basic indexing): the tensor whose memory
            the result shares, so both count in-place changes together.

    Returns:
        A tensor that requires grad, with the graph edge, if recording is on and any parent
        requires grad; a plain tensor otherwise.
    """
    out = object.__new__(Tensor)
    out.data = data
    out._grad = None
    out._retains_grad = False
    if grad_mode.is_grad_enabled() and any(p.requires_grad for p in parents):
        out.requires_grad = True
        out._parents = parents
        out._backward = backward
        out._op = op
        if saved is None:
            saved = parents
        out._saved = [(t, t._vc[0]) for t in saved] if saved else _NOTHING_SAVED
    else:
        out.requires_grad = False
        out._parents = ()
        out._backward = None
        out._op = ""
        out._saved = _NOTHING_SAVED
    out._vc = [0] if view_of is None else view_of._vc
    return out


def as_tensor(value: Any) -> Tensor:
    """Return ``value`` if it is a tensor; otherwise wrap it as a constant (no copy)."""
    if isinstance(value, Tensor):
        return value
    arr = np.asarray(value) if isinstance(value, np.ndarray) else _to_array(value)
    if arr.dtype.kind not in "fiub":
        raise TypeError(
            f"expected a tensor or numbers, got {type(value).__name__} ({value!r:.60}).\n"
            "help: pass a tensor (nnlib.tensor([...])) or a plain number; a string such as "
            "'0.5' must be converted first, float('0.5')."
        )
    return Tensor._wrap(arr)


# The operator methods (+, @, .sum(), .relu(), ...) are attached by nnlib.ops.
