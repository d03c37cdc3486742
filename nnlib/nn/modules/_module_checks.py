"""The checks :class:`~nnlib.nn.Module` makes on what learners pass it, with a ``help:`` line.

Kept apart from ``module.py``: data given to a constructor (``nn.ReLU(z)``), an array
given to a module, and buffer names and values (with PyTorch's messages).
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

import numpy as np

from nnlib._tensor import Tensor

if TYPE_CHECKING:
    from nnlib.nn.modules.module import Module

# How many tensors each built-in module's forward takes (ReLU 1, CrossEntropyLoss 2), to
# recognise a module constructed with the data by mistake: nn.ReLU(z).
_forward_arity: dict[type[Module], int] = {}


def _arity(cls: type[Module]) -> int:
    if cls not in _forward_arity:
        params = list(inspect.signature(cls.forward).parameters.values())[1:]
        _forward_arity[cls] = sum(
            p.default is inspect.Parameter.empty
            and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            for p in params
        )
    return _forward_arity[cls]


def refuse_input(module: Module, value: Any) -> None:
    """Refuse a non-tensor input to one of nnlib's modules, saying how to convert it."""
    __tracebackhide__ = True  # IPython and pytest hide this frame
    kind = type(value).__name__
    shape = f" of shape {np.shape(value)}" if not isinstance(value, (int, float)) else ""
    fix = (
        "nnlib.from_numpy(X).float() (or nnlib.tensor(X, dtype=nnlib.float32))"
        if isinstance(value, np.ndarray)
        else "nnlib.tensor(X) (floats become float32, as in PyTorch)"
    )
    raise TypeError(
        f"{type(module).__name__}: expected a Tensor as input, got a {kind}{shape} (PyTorch "
        f"refuses it too).\nhelp: convert it first: X = {fix}, then call the module on X."
    )


def refuse_data_in_constructor(cls: type[Module], args: tuple[Any, ...]) -> None:
    """Refuse tensors passed to one of nnlib's module constructors instead of to the module."""
    __tracebackhide__ = True  # IPython and pytest hide this frame
    # nn.ReLU(z) or nn.CrossEntropyLoss(logits, y): the data passed to the constructor
    # instead of to the module. Only nnlib's own modules are checked (a learner's module
    # may well take tensors in __init__).
    if cls.__module__.startswith("nnlib.nn.modules"):
        data = [a for a in args if isinstance(a, (Tensor, np.ndarray))]
        n = _arity(cls)
        if data and len(data) >= n > 0:
            shapes = ", ".join(str(tuple(d.shape)) for d in data)
            call = "(" + ", ".join(["x", "y"][:n] if n <= 2 else ["..."]) + ")"
            raise TypeError(
                f"nn.{cls.__name__}: expected its options (a module is built first, then "
                f"called on data), got tensor(s) of shape {shapes}.\nhelp: build the "
                f"module, then call it: nn.{cls.__name__}(){call}; e.g. "
                f"fn = nn.{cls.__name__}() once, then fn{call} (or use the "
                "function in nnlib.nn.functional)."
            )


def check_new_buffer(module: Module, name: Any, tensor: Any) -> None:
    """PyTorch's checks of ``register_buffer``'s name and tensor, with a hint."""
    __tracebackhide__ = True  # IPython and pytest hide this frame
    if not isinstance(name, str):
        raise TypeError(
            f"buffer name should be a string. Got {type(name).__name__}\nhelp: pass the "
            "attribute name, e.g. register_buffer('running_mean', t)."
        )
    if "." in name or name == "":
        what = 'contain "."' if name else 'be empty string ""'
        raise KeyError(
            f"buffer name can't {what}\nhelp: use a plain attribute name such as "
            "'running_mean'; nested names come from sub-modules."
        )
    if hasattr(module, name) and name not in module._buffers:
        raise KeyError(
            f"attribute '{name}' already exists\nhelp: choose another name, or delete "
            f"the attribute first (del module.{name})."
        )
    if tensor is not None and not isinstance(tensor, Tensor):
        raise TypeError(
            f"cannot assign '{type(tensor).__name__}' object to buffer '{name}' (Tensor "
            "or None required)\nhelp: wrap it, e.g. nnlib.tensor(value)."
        )


def check_buffer_value(name: str, value: Any) -> None:
    """Refuse assigning anything but a Tensor or None to a buffer's attribute."""
    __tracebackhide__ = True  # IPython and pytest hide this frame
    if value is not None and not isinstance(value, Tensor):
        raise TypeError(
            f"cannot assign '{type(value).__name__}' as buffer '{name}' (Tensor or "
            f"None expected)\nhelp: wrap it, module.{name} = nnlib.tensor(value), or "
            f"copy the values in: module.{name}.data[...] = value."
        )
