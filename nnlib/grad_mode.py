"""Switching gradient tracking off and on: ``no_grad``, ``enable_grad``, ``set_grad_enabled``.

Inside ``with nnlib.no_grad():`` operations build no graph, exactly as in PyTorch. Use it
for evaluation and for updating parameters by hand.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

F = TypeVar("F", bound=Callable[..., Any])


class _GradState:
    enabled = True


_state = _GradState()


def is_grad_enabled() -> bool:
    """Return ``True`` when operations currently record a graph for backward."""
    return _state.enabled


class set_grad_enabled:
    """Context manager (and decorator) that turns graph recording on or off.

    Args:
        mode: ``True`` to record operations, ``False`` not to.

    Example:
        >>> import nnlib
        >>> w = nnlib.tensor([1.0], requires_grad=True)
        >>> with nnlib.set_grad_enabled(False):
        ...     y = w * 2
        >>> y.requires_grad
        False

    Taught in chapter 2 (backpropagation).
    """

    def __init__(self, mode: bool) -> None:
        self.prev = _state.enabled
        self.mode = bool(mode)
        _state.enabled = self.mode

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        _state.enabled = self.prev

    def __call__(self, fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with set_grad_enabled(self.mode):
                return fn(*args, **kwargs)

        _state.enabled = self.prev  # using the object as a decorator must not switch now
        return cast(F, wrapper)


class no_grad:
    """Context manager (and decorator) in which operations record no graph.

    Example:
        >>> import nnlib
        >>> w = nnlib.tensor([1.0, 2.0], requires_grad=True)
        >>> with nnlib.no_grad():
        ...     w -= 0.1 * nnlib.tensor([1.0, 1.0])  # an update step, kept out of the graph
        >>> w
        tensor([0.9, 1.9], requires_grad=True)

    Taught in chapter 2 (backpropagation).
    """

    # Returns a no_grad or, given a function, the decorated function: Any, since a type
    # checker allows __new__ no union of the two.
    def __new__(cls, orig_func: Callable[..., Any] | None = None) -> Any:
        # ``@nnlib.no_grad`` without parentheses decorates too, as ``@torch.no_grad`` does.
        if orig_func is None:
            return super().__new__(cls)
        return cls()(orig_func)

    def __enter__(self) -> None:
        self.prev = _state.enabled
        _state.enabled = False

    def __exit__(self, *exc: object) -> None:
        _state.enabled = self.prev

    def __call__(self, fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            # A fresh context per call (each saves and restores its own state);
            # type(self) makes it an enable_grad() in the subclass below.
            with type(self)():
                return fn(*args, **kwargs)

        return cast(F, wrapper)


class enable_grad(no_grad):
    """Context manager (and decorator) that turns recording back on inside ``no_grad``."""

    def __enter__(self) -> None:
        self.prev = _state.enabled
        _state.enabled = True
