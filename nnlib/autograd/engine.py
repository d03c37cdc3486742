"""The backward pass: visit the graph from the output back to the leaves, once each.

:func:`run_backward` first lists the graph's nodes so that every node comes after all the
nodes it was computed from (a topological order, found without recursion so deep graphs
do not overflow Python's stack). It then walks that list backwards, like rewinding a tape:
each node's gradient is complete by the time the node is reached, so its backward rule runs
exactly once and hands each input its share. Gradients that arrive at a leaf are added to
``leaf.grad``, which is why they accumulate across calls.

Taught in chapter 2 (backpropagation).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from nnlib.tensor import Tensor


def topological_order(root: Tensor) -> list[Tensor]:
    """Every tensor ``root`` depends on through recorded operations, inputs before outputs."""
    order: list[Tensor] = []
    seen: set[int] = set()
    stack: list[tuple[Tensor, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        for parent in node._parents:
            if parent.requires_grad and id(parent) not in seen:
                stack.append((parent, False))
    return order


def _seed(root: Tensor, gradient: Any) -> np.ndarray:
    if gradient is None:
        if root.data.size != 1:
            raise RuntimeError(
                f"backward: grad can be implicitly created only for scalar outputs; got a "
                f"tensor of shape {root.data.shape}.\nhelp: reduce it to one number first "
                "(e.g. loss.mean().backward()), or pass gradient= with the same shape."
            )
        return np.ones_like(root.data)
    g = np.array(gradient.data if hasattr(gradient, "data") else gradient, dtype=root.data.dtype)
    if g.shape != root.data.shape:
        raise RuntimeError(
            f"backward: expected gradient of shape {root.data.shape} (the tensor's shape), got "
            f"{g.shape}.\nhelp: gradient[i] is d(final scalar)/d(tensor[i]), one per element."
        )
    return g


def run_backward(root: Tensor, gradient: Any = None) -> None:
    """Backpropagate from ``root``, adding d(root)/d(leaf) to every leaf's ``.grad``."""
    if not root.requires_grad:
        raise RuntimeError(
            "backward: element 0 of tensors does not require grad and does not have a "
            "grad_fn.\nhelp: create the inputs with requires_grad=True (parameters have it), "
            "and do not compute the loss inside `with nnlib.no_grad():`."
        )
    grads: dict[int, np.ndarray] = {id(root): _seed(root, gradient)}
    owned: set[int] = set()  # arrays already stored as some leaf's .grad in this pass
    for node in reversed(topological_order(root)):
        g = grads.pop(id(node), None)
        if g is None:
            continue
        if node._backward is None:  # a leaf: store or accumulate
            _accumulate(node, g, owned)
            continue
        for parent, pg in zip(node._parents, node._backward(g), strict=False):
            if pg is None or not parent.requires_grad:
                continue
            key = id(parent)
            prev = grads.get(key)
            # Never add in place here: pg may be the very array another node also received.
            grads[key] = pg if prev is None else prev + pg


def _accumulate(leaf: Tensor, g: np.ndarray, owned: set[int]) -> None:
    if g.dtype != leaf.data.dtype:
        g = g.astype(leaf.data.dtype)
    if g.shape != leaf.data.shape:  # e.g. a scalar gradient for a 0-d leaf
        g = np.broadcast_to(g, leaf.data.shape)
    if leaf.grad is None:
        # Keep the array only if nothing else can see it; views and shared arrays are copied
        # so that a later in-place change of one .grad cannot change another.
        if g.base is not None or id(g) in owned or not g.flags.writeable:
            g = np.array(g)
        owned.add(id(g))
        leaf.grad = g
    else:
        leaf.grad += g
