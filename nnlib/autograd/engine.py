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

from typing import TYPE_CHECKING, Any, NoReturn

import numpy as np

if TYPE_CHECKING:  # the engine sits below the tensor: it only walks what nodes record
    from nnlib._tensor import Tensor


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
    try:
        g = np.array(getattr(gradient, "data", gradient), dtype=root.data.dtype)
    except (TypeError, ValueError):
        raise TypeError(
            f"backward: expected gradient to be a tensor of shape {root.data.shape}, got "
            f"{type(gradient).__name__}.\nhelp: leave it out for a scalar loss; otherwise "
            "pass a tensor shaped like the output, e.g. out.backward(nnlib.ones_like(out))."
        ) from None
    if g.shape != root.data.shape:
        raise RuntimeError(
            f"backward: expected gradient of shape {root.data.shape} (the tensor's shape), got "
            f"{g.shape}.\nhelp: gradient[i] is d(final scalar)/d(tensor[i]), one per element."
        )
    return g


def run_backward(root: Tensor, gradient: Any = None, retain_graph: bool = False) -> None:
    """Backpropagate from ``root``, adding d(root)/d(leaf) to every leaf's ``.grad``.

    Before a node's backward rule runs, the tensors it saved are checked against the
    versions they had in the forward pass; afterwards, unless ``retain_graph``, the rule
    and what it saved are freed, so a second pass through the node raises (PyTorch's rules).
    """
    if not root.requires_grad:
        raise RuntimeError(
            "backward: element 0 of tensors does not require grad and does not have a "
            "grad_fn.\nhelp: create the inputs with requires_grad=True (parameters have it), "
            "and do not compute the loss inside `with nnlib.no_grad():`."
        )
    order = topological_order(root)
    for node in order:  # check everything first, so that a refused pass changes no .grad
        _check_saved(node)
    grads: dict[int, np.ndarray] = {id(root): _seed(root, gradient)}
    owned: set[int] = set()  # arrays already stored as some leaf's .grad in this pass
    for node in reversed(order):
        g = grads.pop(id(node), None)
        if g is None:
            continue
        if node._backward is None:  # a leaf: store or accumulate
            _accumulate(node, g, owned)
            continue
        if node._retains_grad:
            _accumulate(node, g, owned)
        parent_grads = node._backward(g)
        if not retain_graph and node._saved:
            node._saved = None  # freed: PyTorch frees saved tensors after the pass
            node._backward = _freed
        for parent, pg in zip(node._parents, parent_grads, strict=False):
            if pg is None or not parent.requires_grad:
                continue
            key = id(parent)
            prev = grads.get(key)
            # Never add in place here: pg may be the very array another node also received.
            grads[key] = pg if prev is None else prev + pg


def _freed(g: np.ndarray) -> NoReturn:  # pragma: no cover - never called: _check_saved raises
    raise AssertionError("a freed backward rule was called")


def _check_saved(node: Tensor) -> None:
    __tracebackhide__ = True  # IPython and pytest hide this frame
    saved = node._saved
    if saved is None:
        raise RuntimeError(
            f"backward: Trying to backward through the graph a second time (or directly "
            f"access saved tensors after they have already been freed), at {node._op} "
            "(output of shape "
            f"{tuple(node.data.shape)}). Saved intermediate values of the graph are freed "
            "when you call .backward().\nhelp: compute the loss again (a new forward pass) "
            "before each backward(); or, to go through the same graph twice on purpose, "
            "call .backward(retain_graph=True) the first time."
        )
    for t, version in saved:
        if t._vc[0] != version:
            raise RuntimeError(
                f"backward: one of the variables needed for gradient computation has been "
                f"modified by an inplace operation: a tensor of shape {tuple(t.data.shape)} "
                f"and dtype {t.data.dtype}, saved by {node._op}, is at version "
                f"{t._vc[0]}; expected version {version} instead. Its gradient would be "
                "computed from values that are no longer there.\nhelp: do not change "
                "tensors (e.g. `with no_grad(): w -= ...` or optimizer.step()) between the "
                "forward pass and backward(); run the forward pass again after the change, "
                "or update a copy (x = x - 1) instead of in place."
            )


def _accumulate(leaf: Tensor, g: np.ndarray, owned: set[int]) -> None:
    if g.dtype != leaf.data.dtype:
        g = g.astype(leaf.data.dtype)
    if g.shape != leaf.data.shape:  # e.g. a scalar gradient for a 0-d leaf
        g = np.broadcast_to(g, leaf.data.shape)
    if leaf._grad is None:
        # Keep the array only if nothing else can see it; views and shared arrays are copied
        # so that a later in-place change of one .grad cannot change another.
        if g.base is not None or id(g) in owned or not g.flags.writeable:
            g = np.array(g)
        owned.add(id(g))
    leaf._accumulate_grad(g)
