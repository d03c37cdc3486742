"""Containers that hold layers: ``Sequential`` (a pipeline) and ``ModuleList`` (a list).

Taught in chapter 1 (the perceptron and the artificial neuron).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import Any, overload

from nnlib._checks import error
from nnlib.nn.modules.module import Module

__all__ = ["ModuleList", "Sequential"]


def _check_module(where: str, module: Any, position: str) -> None:
    __tracebackhide__ = True  # IPython and pytest hide this frame
    if not isinstance(module, Module):
        error(
            where,
            "Module instances (layers such as nn.Linear(2, 8) or nn.ReLU())",
            f"{type(module).__name__} at {position}",
            "instantiate each layer: write nn.ReLU(), not nn.ReLU or F.relu.",
            TypeError,
        )


def _index(where: str, idx: Any, n: int) -> int:
    if not isinstance(idx, int) or isinstance(idx, bool):
        error(where, "an integer index or a slice", repr(idx),
              "use net[0] for the first layer, net[-1] for the last, net[1:] for the rest.",
              TypeError)  # fmt: skip
    if not -n <= idx < n:
        error(where, f"an index in [{-n}, {n - 1}] for {n} layers", str(idx),
              "count from 0; -1 is the last layer.", IndexError)  # fmt: skip
    return idx % n


def _next_name(modules: dict[str, Module]) -> str:
    """``str(len(modules))`` as PyTorch names an appended layer, unless a slice made that
    name already taken (``net[1:]`` keeps the names ``'1'``, ``'2'``, ...)."""
    n = len(modules)
    while str(n) in modules:
        n += 1
    return str(n)


class Sequential(Module):
    """Layers applied one after another: the output of each is the input of the next.

    Args:
        *args: The layers in order, or one ``OrderedDict`` mapping names to layers.

    The layers are registered under the names ``'0'``, ``'1'``, … (or the given names), so
    parameters are called ``'0.weight'``, ``'0.bias'``, … as in PyTorch. A ``Sequential``
    can be indexed (``net[0]``, ``net[-1]``), sliced (``net[:2]`` is a ``Sequential`` of
    the same layer objects), iterated, measured with ``len`` and extended with ``append``.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> net = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))
        >>> net(nnlib.zeros(4, 2)).shape
        (4, 1)
        >>> net[1], len(net)
        (ReLU(), 3)
        >>> [name for name, _ in net.named_parameters()]
        ['0.weight', '0.bias', '2.weight', '2.bias']

    Taught in chapter 1 (the perceptron and the artificial neuron).
    """

    def __init__(self, *args: Any) -> None:
        super().__init__()
        if len(args) == 1 and isinstance(args[0], OrderedDict):
            for name, module in args[0].items():
                _check_module("Sequential", module, f"key {name!r}")
                self.add_module(str(name), module)
        else:
            for i, module in enumerate(args):
                _check_module("Sequential", module, f"position {i}")
                self.add_module(str(i), module)

    def forward(self, input: Any) -> Any:
        """Pass ``input`` through every layer in order."""
        for module in self._modules.values():
            input = module(input)
        return input

    @overload
    def __getitem__(self, idx: int) -> Module: ...
    @overload
    def __getitem__(self, idx: slice) -> Sequential: ...
    def __getitem__(self, idx: int | slice) -> Module | Sequential:
        if isinstance(idx, slice):
            return Sequential(OrderedDict(list(self._modules.items())[idx]))
        return list(self._modules.values())[_index("Sequential[]", idx, len(self._modules))]

    def __setitem__(self, idx: int, module: Module) -> None:
        _check_module("Sequential[]", module, f"index {idx}")
        key = list(self._modules)[_index("Sequential[]", idx, len(self._modules))]
        self._modules[key] = module

    def __delitem__(self, idx: int | slice) -> None:
        keys = list(self._modules)
        if isinstance(idx, slice):
            doomed = keys[idx]
        else:
            doomed = [keys[_index("Sequential[]", idx, len(keys))]]
        for key in doomed:
            del self._modules[key]
        if all(key.isdigit() for key in keys):  # renumber 0, 1, ... as PyTorch does
            remaining = list(self._modules.values())
            self._modules.clear()
            for i, module in enumerate(remaining):
                self._modules[str(i)] = module

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def append(self, module: Module) -> Sequential:
        """Add ``module`` at the end and return ``self``."""
        _check_module("Sequential.append", module, f"position {len(self)}")
        self.add_module(_next_name(self._modules), module)
        return self


class ModuleList(Module):
    """A list of layers whose parameters are registered (a plain list would hide them).

    Use it when ``forward`` needs more than a straight pipeline, e.g. residual connections.

    Args:
        modules: An iterable of layers (optional).

    Example:
        >>> from nnlib import nn
        >>> blocks = nn.ModuleList([nn.Linear(4, 4) for _ in range(3)])
        >>> len(blocks), len(list(blocks.parameters()))
        (3, 6)
    """

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        super().__init__()
        if modules is not None:
            self.extend(modules)

    @overload
    def __getitem__(self, idx: int) -> Module: ...
    @overload
    def __getitem__(self, idx: slice) -> ModuleList: ...
    def __getitem__(self, idx: int | slice) -> Module | ModuleList:
        if isinstance(idx, slice):
            return ModuleList(list(self._modules.values())[idx])
        return list(self._modules.values())[_index("ModuleList[]", idx, len(self._modules))]

    def __setitem__(self, idx: int, module: Module) -> None:
        _check_module("ModuleList[]", module, f"index {idx}")
        key = list(self._modules)[_index("ModuleList[]", idx, len(self._modules))]
        self._modules[key] = module

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def append(self, module: Module) -> ModuleList:
        """Add ``module`` at the end and return ``self``."""
        _check_module("ModuleList.append", module, f"position {len(self)}")
        self.add_module(_next_name(self._modules), module)
        return self

    def extend(self, modules: Iterable[Module]) -> ModuleList:
        """Append every layer of ``modules`` and return ``self``."""
        for module in modules:
            self.append(module)
        return self

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """A ``ModuleList`` is not called; iterate over it in your own ``forward``."""
        error(
            "ModuleList.forward",
            "to be iterated over, not called",
            "a call",
            "write `for layer in self.layers: x = layer(x)` in your forward, or use "
            "nn.Sequential for a plain pipeline.",
            TypeError,
        )
