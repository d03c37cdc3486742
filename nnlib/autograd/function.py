"""Write your own differentiable operation, exactly as with ``torch.autograd.Function``.

Subclass :class:`Function`, give it a static ``forward(ctx, *inputs)`` that computes the
result and saves what the backward pass needs with ``ctx.save_for_backward``, and a static
``backward(ctx, grad_output)`` that returns one gradient per input. Call it with
``MyOp.apply(x)``.

Taught in chapter 2 (backpropagation), where you write one and check it with
:func:`~nnlib.autograd.gradcheck`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnlib._tensor import Tensor, from_op
from nnlib.grad_mode import no_grad


class FunctionCtx:
    """The ``ctx`` object passed to ``forward`` and ``backward``: a place to keep things."""

    def __init__(self) -> None:
        self.saved_tensors: tuple[Tensor, ...] = ()
        self.needs_input_grad: tuple[bool, ...] = ()

    def save_for_backward(self, *tensors: Tensor) -> None:
        """Keep tensors for the backward pass; read them back as ``ctx.saved_tensors``."""
        self.saved_tensors = tensors


class Function:
    r"""Base class for operations with a hand-written backward rule.

    Example:
        >>> import nnlib
        >>> class Cube(nnlib.autograd.Function):
        ...     @staticmethod
        ...     def forward(ctx, x):
        ...         ctx.save_for_backward(x)
        ...         return x * x * x
        ...     @staticmethod
        ...     def backward(ctx, grad_output):
        ...         (x,) = ctx.saved_tensors
        ...         return grad_output * 3 * x * x
        >>> x = nnlib.tensor([2.0], requires_grad=True)
        >>> Cube.apply(x).sum().backward()
        >>> x.grad
        tensor([12.])

    Taught in chapter 2 (backpropagation).
    """

    @staticmethod
    def forward(ctx: FunctionCtx, *args: Any, **kwargs: Any) -> Any:
        """Compute the result from the inputs (override this)."""
        raise NotImplementedError(
            "Function.forward: expected a subclass to define forward(ctx, *inputs).\n"
            "help: write `@staticmethod def forward(ctx, x): ...` in your Function subclass."
        )

    @staticmethod
    def backward(ctx: FunctionCtx, *grad_outputs: Any) -> Any:
        """Return the gradient for each input, given the gradient of the result (override)."""
        raise NotImplementedError(
            "Function.backward: expected a subclass to define backward(ctx, grad_output).\n"
            "help: return one gradient per input of forward (None for non-tensor inputs)."
        )

    @classmethod
    def apply(cls, *args: Any) -> Tensor:
        """Run ``forward`` and record ``backward`` in the graph."""
        ctx = FunctionCtx()
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        with no_grad():
            out = cls.forward(ctx, *args)
        if not isinstance(out, Tensor):
            out = Tensor._wrap(np.asarray(out))
        positions = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        name = cls.__name__

        def backward(g: np.ndarray) -> list[np.ndarray | None]:
            with no_grad():
                grads = cls.backward(ctx, Tensor._wrap(g))
            if not isinstance(grads, tuple):
                grads = (grads,)
            if len(grads) != len(args):
                raise RuntimeError(
                    f"{name}.backward: expected {len(args)} gradient(s), one per input of "
                    f"forward, got {len(grads)}.\nhelp: return None for inputs that need no "
                    "gradient."
                )
            result: list[np.ndarray | None] = []
            for i in positions:
                gi = grads[i]
                if gi is None:
                    result.append(None)
                    continue
                gi = np.asarray(gi.data if isinstance(gi, Tensor) else gi)
                if gi.shape != args[i].data.shape:
                    raise RuntimeError(
                        f"{name}.backward: expected the gradient of input {i} to have shape "
                        f"{args[i].data.shape} (the input's shape), got {gi.shape}.\n"
                        "help: a gradient always has the shape of what it is the gradient of."
                    )
                result.append(gi)
            return result

        return from_op(out.data, tuple(args[i] for i in positions), backward, name + "Backward")
