"""Module hooks: look at (or change) what flows through a layer, as PyTorch's hooks do.

A *forward hook* sees a module's input and output after each call; a *backward hook* sees
the gradients with respect to the module's input and output during ``backward()``. With
them you can plot each layer's activations and gradients without editing the network.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np

from nnlib import grad_mode
from nnlib._tensor import Tensor, from_op

_ids = itertools.count()


class RemovableHandle:
    """What ``register_*_hook`` returns: call :meth:`remove` to take the hook off again.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> layer, seen = nn.Linear(2, 1), []
        >>> handle = layer.register_forward_hook(lambda m, inp, out: seen.append(out.shape))
        >>> _ = layer(nnlib.zeros(3, 2))
        >>> handle.remove()
        >>> _ = layer(nnlib.zeros(3, 2))
        >>> seen
        [(3, 1)]
    """

    def __init__(self, hooks: OrderedDict[int, Callable[..., Any]]) -> None:
        self.id = next(_ids)
        self._hooks = hooks

    def remove(self) -> None:
        """Take the hook off; removing it twice is harmless."""
        self._hooks.pop(self.id, None)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


def add_hook(
    where: str, hooks: OrderedDict[int, Callable[..., Any]], hook: Any
) -> RemovableHandle:
    """Register ``hook`` in ``hooks`` after checking it can be called."""
    if not callable(hook):
        raise TypeError(
            f"{where}: expected a function hook(module, ...), got {type(hook).__name__}.\n"
            "help: pass the function itself (without calling it), e.g. "
            f"layer.{where.split('.')[-1]}(my_hook)."
        )
    handle = RemovableHandle(hooks)
    hooks[handle.id] = hook
    return handle


def call_with_backward_hooks(
    module: Any, hooks: list[Callable[..., Any]], args: tuple[Any, ...], run: Callable[..., Any]
) -> Any:
    """Run ``run(*args)`` so that ``hooks(module, grad_input, grad_output)`` fire in backward.

    Identity nodes are put on the inputs and on the output: the output's node sees the
    gradient with respect to the output (``grad_output``), the inputs' nodes the gradient
    with respect to the inputs (``grad_input``), which is when the hooks run, as in PyTorch.
    A hook may return a replacement ``grad_input`` tuple.
    """
    if not grad_mode.is_grad_enabled():
        return run(*args)
    where = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
    needs = [i for i in where if args[i].requires_grad]
    state: dict[str, Any] = {"grad_output": None, "grad_input": {}}

    def fire(grad_input: tuple[Tensor | None, ...]) -> tuple[Tensor | None, ...]:
        for hook in hooks:
            result = hook(module, grad_input, state["grad_output"])
            if result is not None:
                result = tuple(result) if isinstance(result, (tuple, list)) else (result,)
                if len(result) != len(grad_input):
                    raise RuntimeError(
                        f"backward hook of {type(module).__name__}: expected it to return "
                        f"None or {len(grad_input)} gradient(s), one per input, got "
                        f"{len(result)}.\nhelp: return a tuple shaped like grad_input, or None "
                        "to leave the gradients alone."
                    )
                grad_input = result
        return grad_input

    def input_node(slot: int, x: Tensor) -> Tensor:
        def backward(g: np.ndarray) -> tuple[np.ndarray]:
            state["grad_input"][slot] = Tensor._wrap(g)
            if len(state["grad_input"]) < len(needs):  # wait for the module's other inputs
                return (g,)
            grad_input = tuple(state["grad_input"].get(i) for i in range(len(where)))
            new = fire(grad_input)
            if len(needs) > 1 and new is not grad_input:
                raise RuntimeError(
                    f"backward hook of {type(module).__name__}: replacing grad_input is only "
                    "supported for modules with one input that requires grad.\nhelp: return "
                    "None from the hook, or hook the layers that take one input."
                )
            out = new[slot]
            return (g if out is None else np.asarray(out.data, dtype=g.dtype),)

        return from_op(x.data, (x,), backward, "BackwardHookFunctionBackward", (), x)

    if needs:
        args = tuple(
            input_node(where.index(i), a) if i in needs else a for i, a in enumerate(args)
        )
    out = run(*args)
    outputs = out if isinstance(out, tuple) else (out,)
    if not any(isinstance(o, Tensor) and o.requires_grad for o in outputs):
        return out

    def output_backward(g: np.ndarray) -> tuple[np.ndarray]:
        state["grad_output"] = (Tensor._wrap(g),)
        state["grad_input"] = {}
        if not needs:  # no input needs a gradient: the hooks run now, as in PyTorch
            fire(tuple(None for _ in where))
        return (g,)

    wrapped = tuple(
        from_op(o.data, (o,), output_backward, "BackwardHookFunctionBackward", (), o)
        if isinstance(o, Tensor) and o.requires_grad
        else o
        for o in outputs
    )
    return wrapped if isinstance(out, tuple) else wrapped[0]
