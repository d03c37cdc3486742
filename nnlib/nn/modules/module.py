"""``Module``: the base class of every layer and network, as ``torch.nn.Module``.

Assigning a :class:`~nnlib.nn.Parameter` or another ``Module`` to an attribute registers it,
so ``parameters()`` finds every weight of a network without being told where they are.

Taught in chapter 1 (the perceptron and the artificial neuron).
"""

from __future__ import annotations

import difflib
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from nnlib._tensor import Tensor
from nnlib.nn.modules._module_checks import (
    check_buffer_value,
    check_new_buffer,
    refuse_data_in_constructor,
    refuse_input,
)
from nnlib.nn.modules._module_state import IncompatibleKeys, load_tensors, save_tensors
from nnlib.nn.modules.hooks import RemovableHandle, add_hook, call_with_backward_hooks
from nnlib.nn.parameter import Parameter


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

    Taught in chapter 1 (the perceptron and the artificial neuron).
    """

    training: bool
    _check_inputs = False  # nnlib's own modules refuse non-tensor inputs (see __call__)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._check_inputs = cls.__module__.startswith("nnlib.nn.modules")

    def __new__(cls, *args: Any, **kwargs: Any) -> Module:
        refuse_data_in_constructor(cls, args)
        return super().__new__(cls)

    def __init__(self) -> None:
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_non_persistent_buffers_set", set())
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
        buffers = self.__dict__["_buffers"]
        if name in buffers and not isinstance(value, (Parameter, Module)):
            check_buffer_value(name, value)
            buffers[name] = value  # a buffer stays a buffer, as in PyTorch
            return
        for store in (self._parameters, self._buffers, self._modules):
            store.pop(name, None)
        self._non_persistent_buffers_set.discard(name)
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
            self._parameters[name] = None
            object.__setattr__(self, name, None)
        else:
            setattr(self, name, param)

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Register a tensor that is saved with the model but not trained (running means).

        Args:
            name: The attribute name (a non-empty string without dots, not already used).
            tensor: The buffer, or ``None`` for an absent one (skipped by ``state_dict``).
            persistent: Whether :meth:`state_dict` includes it (default ``True``).

        Raises:
            TypeError: if ``name`` is not a string or ``tensor`` neither a Tensor nor None.
            KeyError: for an empty name, a dotted name or one that is already an attribute.

        Example:
            >>> import nnlib
            >>> from nnlib import nn
            >>> m = nn.Module()
            >>> m.register_buffer("count", nnlib.zeros(1))
            >>> m.register_buffer("scratch", nnlib.zeros(3), persistent=False)
            >>> list(m.state_dict()), [name for name, _ in m.named_buffers()]
            (['count'], ['count', 'scratch'])
        """
        check_new_buffer(self, name, tensor)
        self.__dict__.pop(name, None)
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def add_module(self, name: str, module: Module | None) -> None:
        """Register a sub-module under ``name``."""
        self._modules[name] = module

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
                    refuse_input(self, a)
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
        """The direct sub-modules with their names (one registered twice, once)."""
        seen: set[int] = set()
        for name, m in self._modules.items():
            if m is not None and id(m) not in seen:
                seen.add(id(m))
                yield name, m

    def children(self) -> Iterator[Module]:
        """The direct sub-modules."""
        for _, m in self.named_children():
            yield m

    def named_modules(
        self, memo: set[Module] | None = None, prefix: str = "", remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Module]]:
        """This module and every sub-module below it, depth first, with dotted names.

        Args:
            memo: Modules already yielded, which are skipped (used by the recursion).
            prefix: Prepended to every name.
            remove_duplicate: Yield a module reachable by two paths only once (default).
        """
        if memo is None:
            memo = set()
        if remove_duplicate:
            if self in memo:
                return
            memo.add(self)
        yield prefix, self
        for name, child in self._modules.items():
            if child is not None:
                child_prefix = f"{prefix}.{name}" if prefix else name
                yield from child.named_modules(memo, child_prefix, remove_duplicate)

    def modules(self) -> Iterator[Module]:
        """This module and every sub-module below it."""
        for _, m in self.named_modules():
            yield m

    def _named_members(
        self, store: str, prefix: str, recurse: bool, remove_duplicate: bool
    ) -> Iterator[tuple[str, Any]]:
        seen: set[int] = set()
        if recurse:
            mods = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
        else:
            mods = iter([(prefix, self)])
        for mod_name, m in mods:
            for name, t in getattr(m, store).items():
                if t is None or (remove_duplicate and id(t) in seen):
                    continue
                seen.add(id(t))
                yield (f"{mod_name}.{name}" if mod_name else name), t

    def named_parameters(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Parameter]]:
        """Every parameter with its dotted name, e.g. ``'0.weight'``; shared ones once."""
        yield from self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """Every parameter, in registration order: what you hand to an optimizer."""
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Tensor]]:
        """Every buffer with its dotted name (non-persistent ones too)."""
        yield from self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """Every buffer (tensors saved with the model but not trained)."""
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def get_submodule(self, target: str) -> Module:
        """The sub-module at the dotted path ``target`` (``''`` is this module).

        Raises:
            AttributeError: if a step of the path is missing or not a module.

        Example:
            >>> from nnlib import nn
            >>> net = nn.Sequential(nn.Linear(2, 4), nn.Sequential(nn.ReLU(), nn.Linear(4, 1)))
            >>> net.get_submodule("1.0")
            ReLU()
        """
        module = self
        for step in target.split(".") if target else []:
            child = module._modules.get(step)
            if child is None:
                raise AttributeError(
                    f"{type(module).__name__} has no attribute `{step}`\nhelp: the names "
                    f"here are {list(module._modules)}; see model.named_modules()."
                )
            module = child
        return module

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
    def state_dict(
        self,
        *,
        destination: OrderedDict[str, Any] | None = None,
        prefix: str = "",
        keep_vars: bool = False,
    ) -> OrderedDict[str, Any]:
        """Every parameter and persistent buffer, keyed by dotted name.

        Unlike PyTorch, the values are NumPy copies (``keep_vars=True`` gives the tensors
        themselves), so a saved state does not change as training goes on.

        Args:
            destination: A dict to add the entries to (a new ``OrderedDict`` by default).
            prefix: Prepended to every key.
            keep_vars: Return the tensors instead of copies of their values.

        Returns:
            The state, to pass to :meth:`load_state_dict`.
        """
        if destination is None:
            destination = OrderedDict()
        save_tensors(self, destination, prefix, keep_vars)
        return destination

    def load_state_dict(self, state_dict: dict[str, Any], strict: bool = True) -> IncompatibleKeys:
        """Copy values from ``state_dict`` into this module's parameters and buffers, in place.

        Raises a ``KeyError`` naming missing and unexpected keys when ``strict``, and a
        ``ValueError`` for a shape mismatch; nothing is changed when it raises.

        Returns:
            ``(missing_keys, unexpected_keys)``, as PyTorch returns them.
        """
        return load_tensors(self, state_dict, strict)

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
