"""``Module``: the base class of every layer and network, as ``torch.nn.Module``.

Assigning a :class:`~nnlib.nn.Parameter` or another ``Module`` to an attribute registers it,
so ``parameters()`` finds every weight of a network without being told where they are.

Taught in chapter 1 (the perceptron).
"""

from __future__ import annotations

import difflib
import inspect
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from nnlib._tensor import Tensor
from nnlib.nn.modules.hooks import RemovableHandle, add_hook, call_with_backward_hooks
from nnlib.nn.parameter import Parameter

# How many tensors each built-in module's forward takes (ReLU 1, CrossEntropyLoss 2), to
# recognise a module constructed with the data by mistake: nn.ReLU(z).
_forward_arity: dict[type, int] = {}


def _arity(cls: type) -> int:
    if cls not in _forward_arity:
        params = list(inspect.signature(cls.forward).parameters.values())[1:]  # type: ignore[attr-defined]
        _forward_arity[cls] = sum(
            p.default is inspect.Parameter.empty
            and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            for p in params
        )
    return _forward_arity[cls]


def _refuse_input(module: Module, value: Any) -> None:
    kind = type(value).__name__
    shape = f" of shape {np.shape(value)}" if isinstance(value, (np.ndarray, list)) else ""
    fix = (
        "nnlib.from_numpy(X).float() (or nnlib.tensor(X, dtype=nnlib.float32))"
        if isinstance(value, np.ndarray)
        else "nnlib.tensor(X) (floats become float32, as in PyTorch)"
    )
    raise TypeError(
        f"{type(module).__name__}: expected a Tensor as input, got a {kind}{shape} (PyTorch "
        f"refuses it too).\nhelp: convert it first: X = {fix}, then call the module on X."
    )


class Module:
    """Base class for layers and networks: subclass it and write ``forward``.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> class TwoLayer(nn.Module):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.hidden = nn.Linear(2, 8)
        ...         self.out = nn.Linear(8, 1)
        ...     def forward(self, x):
        ...         return self.out(self.hidden(x).relu())
        >>> net = TwoLayer()
        >>> [name for name, _ in net.named_parameters()]
        ['hidden.weight', 'hidden.bias', 'out.weight', 'out.bias']
        >>> net(nnlib.zeros(4, 2)).shape
        (4, 1)

    Taught in chapter 1 (the perceptron).
    """

    training: bool
    _check_inputs = False  # nnlib's own modules refuse non-tensor inputs (see __call__)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._check_inputs = cls.__module__.startswith("nnlib.nn.modules")

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
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
        return super().__new__(cls)

    def __init__(self) -> None:
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "_forward_pre_hooks", OrderedDict())
        object.__setattr__(self, "_forward_hooks", OrderedDict())
        object.__setattr__(self, "_backward_hooks", OrderedDict())
        object.__setattr__(self, "training", True)

    # ------------------------------------------------------------------ registration
    def __setattr__(self, name: str, value: Any) -> None:
        if "_parameters" not in self.__dict__:
            raise AttributeError(
                f"{type(self).__name__}: cannot assign {name!r} before Module.__init__() ran."
                "\nhelp: call super().__init__() first thing in your __init__."
            )
        if (
            name in self._parameters
            and value is not None
            and not isinstance(value, Parameter)
            and isinstance(value, (Tensor, np.ndarray))
        ):
            raise TypeError(
                f"{type(self).__name__}: cannot assign a {type(value).__name__} as parameter "
                f"{name!r} (nn.Parameter or None expected): it would silently stop being "
                "trained.\nhelp: wrap it, "
                f"module.{name} = nn.Parameter(t), or copy the values in: "
                f"module.{name}.data[...] = t.data."
            )
        for store in (self._parameters, self._buffers, self._modules):
            store.pop(name, None)
        if isinstance(value, Parameter):
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._modules[name] = value
        else:
            object.__setattr__(self, name, value)
            return
        self.__dict__.pop(name, None)

    def __getattr__(self, name: str) -> Any:
        # Only called when normal lookup fails: look in the registries, else fail loudly
        # (a typo such as `net.wieght` must not silently give None).
        d = self.__dict__
        for store in ("_parameters", "_buffers", "_modules"):
            if store in d and name in d[store]:
                return d[store][name]
        known = list(d.get("_parameters", {})) + list(d.get("_buffers", {}))
        known += list(d.get("_modules", {})) + [k for k in d if not k.startswith("_")]
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"it has {sorted(known)}."
        raise AttributeError(
            f"{type(self).__name__}: expected one of its attributes, got {name!r}.\nhelp: {hint}"
        )

    def __delattr__(self, name: str) -> None:
        for store in (self._parameters, self._buffers, self._modules):
            if name in store:
                del store[name]
                return
        object.__delattr__(self, name)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Register ``param`` under ``name`` (``None`` records an absent parameter)."""
        if param is None:
            self._parameters[name] = None  # type: ignore[assignment]
            object.__setattr__(self, name, None)
        else:
            setattr(self, name, param)

    def register_buffer(self, name: str, tensor: Tensor | None) -> None:
        """Register a tensor that is saved in ``state_dict`` but not trained (running means)."""
        self.__dict__.pop(name, None)
        self._buffers[name] = tensor  # type: ignore[assignment]

    def add_module(self, name: str, module: Module | None) -> None:
        """Register a sub-module under ``name``."""
        self._modules[name] = module  # type: ignore[assignment]

    # ------------------------------------------------------------------------ calling
    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """Compute the output; every subclass defines it."""
        raise NotImplementedError(
            f"{type(self).__name__}.forward: expected the subclass to define forward(), "
            "got none.\nhelp: add `def forward(self, x): ...` to your class."
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._check_inputs:
            for a in args:
                if not isinstance(a, (Tensor, int, float)):  # numbers: GaussianNLLLoss's var
                    _refuse_input(self, a)
        if not (self._forward_pre_hooks or self._forward_hooks or self._backward_hooks):
            return self.forward(*args, **kwargs)  # the fast path: no hooks
        for hook in list(self._forward_pre_hooks.values()):
            result = hook(self, args)
            if result is not None:
                args = result if isinstance(result, tuple) else (result,)
        if self._backward_hooks:
            hooks = list(self._backward_hooks.values())
            out = call_with_backward_hooks(
                self, hooks, args, lambda *a: self._forward_with_hooks(a, kwargs)
            )
        else:
            out = self._forward_with_hooks(args, kwargs)
        return out

    def _forward_with_hooks(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        out = self.forward(*args, **kwargs)
        for hook in list(self._forward_hooks.values()):
            result = hook(self, args, out)
            if result is not None:
                out = result
        return out

    # -------------------------------------------------------------------------- hooks
    def register_forward_pre_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """Call ``hook(module, args)`` before every forward; it may return new ``args``.

        Returns:
            A handle whose ``remove()`` takes the hook off.
        """
        return add_hook("Module.register_forward_pre_hook", self._forward_pre_hooks, hook)

    def register_forward_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """Call ``hook(module, args, output)`` after every forward, as PyTorch does.

        The hook may return a replacement output. Use it to record each layer's activations
        without editing the network.

        Returns:
            A handle whose ``remove()`` takes the hook off.

        Example:
            >>> import nnlib
            >>> from nnlib import nn
            >>> net = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
            >>> means = {}
            >>> def record(module, args, output):
            ...     means[type(module).__name__] = output.shape
            >>> handles = [m.register_forward_hook(record) for m in net]
            >>> _ = net(nnlib.ones(4, 2))
            >>> means
            {'Linear': (4, 3), 'ReLU': (4, 3)}
            >>> for h in handles:
            ...     h.remove()

        Taught in chapter 8 (vanishing and exploding gradients).
        """
        return add_hook("Module.register_forward_hook", self._forward_hooks, hook)

    def register_full_backward_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """Call ``hook(module, grad_input, grad_output)`` when backward reaches this module.

        ``grad_output`` holds the gradient of the loss with respect to the module's output,
        ``grad_input`` with respect to its tensor inputs (``None`` for an input that needs
        no gradient, such as the data going into the first layer), as tuples of tensors. The
        hook may return a replacement ``grad_input`` (for a module with one input).

        Returns:
            A handle whose ``remove()`` takes the hook off.

        Example:
            >>> import nnlib
            >>> from nnlib import nn
            >>> layer, norms = nn.Linear(2, 1), []
            >>> h = layer.register_full_backward_hook(
            ...     lambda m, gin, gout: norms.append(gout[0].shape))
            >>> layer(nnlib.ones(4, 2)).sum().backward()
            >>> norms
            [(4, 1)]
            >>> h.remove()

        Taught in chapter 8 (vanishing and exploding gradients).
        """
        return add_hook("Module.register_full_backward_hook", self._backward_hooks, hook)

    # ---------------------------------------------------------------------- traversal
    def named_children(self) -> Iterator[tuple[str, Module]]:
        """The direct sub-modules with their names."""
        for name, m in self._modules.items():
            if m is not None:
                yield name, m

    def children(self) -> Iterator[Module]:
        """The direct sub-modules."""
        for _, m in self.named_children():
            yield m

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """This module and every sub-module below it, with dotted names."""
        seen: set[int] = set()
        stack = [(prefix, self)]
        while stack:
            name, m = stack.pop(0)
            if id(m) in seen:
                continue
            seen.add(id(m))
            yield name, m
            stack[0:0] = [(f"{name}.{n}" if name else n, c) for n, c in m.named_children()]

    def modules(self) -> Iterator[Module]:
        """This module and every sub-module below it."""
        for _, m in self.named_modules():
            yield m

    def named_parameters(
        self, prefix: str = "", recurse: bool = True
    ) -> Iterator[tuple[str, Parameter]]:
        """Every parameter with its dotted name, e.g. ``'0.weight'``; shared ones once."""
        seen: set[int] = set()
        mods = self.named_modules(prefix) if recurse else iter([(prefix, self)])
        for mod_name, m in mods:
            for name, p in m._parameters.items():
                if p is None or id(p) in seen:
                    continue
                seen.add(id(p))
                yield (f"{mod_name}.{name}" if mod_name else name), p

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """Every parameter, in registration order: what you hand to an optimizer."""
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(self, prefix: str = "") -> Iterator[tuple[str, Tensor]]:
        """Every buffer with its dotted name."""
        for mod_name, m in self.named_modules(prefix):
            for name, b in m._buffers.items():
                if b is not None:
                    yield (f"{mod_name}.{name}" if mod_name else name), b

    def buffers(self) -> Iterator[Tensor]:
        """Every buffer (tensors saved with the model but not trained)."""
        for _, b in self.named_buffers():
            yield b

    def apply(self, fn: Callable[[Module], None]) -> Module:
        """Call ``fn`` on every sub-module (children first) and on this module."""
        for m in self.children():
            m.apply(fn)
        fn(self)
        return self

    # -------------------------------------------------------------------------- modes
    def train(self, mode: bool = True) -> Module:
        """Switch to training mode (dropout drops, batch norm uses batch statistics)."""
        if not isinstance(mode, bool):
            raise TypeError(
                f"{type(self).__name__}.train: expected a bool, got {mode!r}.\n"
                "help: use .train() or .train(False); .eval() is .train(False)."
            )
        for m in self.modules():
            object.__setattr__(m, "training", mode)
        return self

    def eval(self) -> Module:
        """Switch to evaluation mode: the same as ``train(False)``."""
        return self.train(False)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients of all parameters (``None``, or zeros)."""
        for p in self.parameters():
            if set_to_none:
                p.grad = None
            elif p._grad is not None:
                p._grad = Tensor._wrap(np.zeros_like(p.data))

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Freeze (``False``) or unfreeze every parameter."""
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def to(self, dtype: Any) -> Module:
        """Convert every parameter and floating buffer to ``dtype``, in place."""
        dtype = np.dtype(dtype)
        for p in self.parameters():
            p.data = p.data.astype(dtype)
            if p._grad is not None:
                p._grad = Tensor._wrap(p._grad.data.astype(dtype))
        for b in self.buffers():
            if b.data.dtype.kind == "f":
                b.data = b.data.astype(dtype)
        return self

    def double(self) -> Module:
        """Convert parameters and buffers to float64 (useful to compare with PyTorch)."""
        return self.to(np.float64)

    def float(self) -> Module:
        """Convert parameters and buffers to float32."""
        return self.to(np.float32)

    # --------------------------------------------------------------------- state dict
    def state_dict(self) -> OrderedDict[str, np.ndarray]:
        """A copy of every parameter and buffer as NumPy arrays, keyed by dotted name."""
        state: OrderedDict[str, np.ndarray] = OrderedDict()
        for mod_name, m in self.named_modules():
            for store in (m._parameters, m._buffers):
                for name, t in store.items():
                    if t is not None:
                        state[f"{mod_name}.{name}" if mod_name else name] = t.data.copy()
        return state

    def load_state_dict(self, state_dict: dict[str, Any], strict: bool = True) -> Module:
        """Copy values from ``state_dict`` into this module's parameters and buffers, in place.

        Raises a ``KeyError`` naming missing and unexpected keys when ``strict``, and a
        ``ValueError`` for a shape mismatch; nothing is changed when it raises.
        """
        if not hasattr(state_dict, "keys") or not hasattr(state_dict, "__getitem__"):
            raise TypeError(
                f"{type(self).__name__}.load_state_dict: expected a dict from "
                f"model.state_dict(), got {type(state_dict).__name__}.\nhelp: "
                "model.load_state_dict(saved) where saved = other_model.state_dict()."
            )
        own = {}
        for mod_name, m in self.named_modules():
            for store in (m._parameters, m._buffers):
                for name, t in store.items():
                    if t is not None:
                        own[f"{mod_name}.{name}" if mod_name else name] = t
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        if strict and (missing or unexpected):
            raise KeyError(
                f"{type(self).__name__}.load_state_dict: expected the keys of this model, got "
                f"missing {missing} and unexpected {unexpected}.\nhelp: load a state_dict "
                "saved from the same architecture, or pass strict=False."
            )
        arrays = {}
        for k, t in own.items():
            if k not in state_dict:
                continue
            v = state_dict[k]
            arr = np.asarray(v.data if isinstance(v, Tensor) else v)
            if arr.shape != t.data.shape:
                raise ValueError(
                    f"{type(self).__name__}.load_state_dict: expected {k} of shape "
                    f"{t.data.shape}, got {arr.shape}.\nhelp: the saved model has a "
                    "different layer size here."
                )
            arrays[k] = arr
        for k, arr in arrays.items():  # checked everything first, so failure changes nothing
            own[k].data[...] = arr
        return self

    # --------------------------------------------------------------------------- repr
    def extra_repr(self) -> str:
        """The text inside the parentheses of this module's repr (override to show options)."""
        return ""

    def __repr__(self) -> str:
        lines = []
        for name, m in self._modules.items():
            child = repr(m).replace("\n", "\n  ")
            lines.append(f"({name}): {child}")
        extra = self.extra_repr()
        if not lines:
            return f"{type(self).__name__}({extra})"
        body = "\n  ".join(([extra] if extra else []) + lines)
        return f"{type(self).__name__}(\n  {body}\n)"
