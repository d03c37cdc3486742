"""How a :class:`~nnlib.nn.Module` saves and restores itself: ``state_dict`` and friends.

Kept apart from ``module.py`` so that the class reads as registration, calling and
traversal. The rules are PyTorch's: a state dict holds every parameter and every
*persistent* buffer, keyed by dotted name, walking the sub-modules in registration order;
a sub-module registered under two names is saved under both.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from nnlib._tensor import Tensor

if TYPE_CHECKING:
    from nnlib.nn.modules.module import Module


class IncompatibleKeys(NamedTuple):
    """What :meth:`Module.load_state_dict` returns (PyTorch's ``_IncompatibleKeys``).

    Attributes:
        missing_keys: Keys of the model that the state dict did not have.
        unexpected_keys: Keys of the state dict that the model does not have.

    Example:
        >>> from nnlib import nn
        >>> layer = nn.Linear(2, 1)
        >>> layer.load_state_dict(layer.state_dict())
        <All keys matched successfully>
        >>> layer.load_state_dict({"weight": layer.weight.data}, strict=False)
        IncompatibleKeys(missing_keys=['bias'], unexpected_keys=[])
    """

    missing_keys: list[str]
    unexpected_keys: list[str]

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return (
            f"IncompatibleKeys(missing_keys={self.missing_keys}, "
            f"unexpected_keys={self.unexpected_keys})"
        )


def save_tensors(
    module: Module, destination: OrderedDict[str, Any], prefix: str, keep_vars: bool
) -> None:
    """Add ``module``'s parameters and persistent buffers, then its children's, recursively."""
    for name, p in module._parameters.items():
        if p is not None:
            destination[prefix + name] = p if keep_vars else p.data.copy()
    for name, b in module._buffers.items():
        if b is not None and name not in module._non_persistent_buffers_set:
            destination[prefix + name] = b if keep_vars else b.data.copy()
    for name, child in module._modules.items():
        if child is not None:
            save_tensors(child, destination, prefix + name + ".", keep_vars)


def load_tensors(module: Module, state_dict: dict[str, Any], strict: bool) -> IncompatibleKeys:
    """Copy ``state_dict`` into ``module``'s tensors in place, after checking everything."""
    where = f"{type(module).__name__}.load_state_dict"
    if not hasattr(state_dict, "keys") or not hasattr(state_dict, "__getitem__"):
        raise TypeError(
            f"{where}: expected a dict from model.state_dict(), got "
            f"{type(state_dict).__name__}.\nhelp: model.load_state_dict(saved) where "
            "saved = other_model.state_dict()."
        )
    own: OrderedDict[str, Any] = OrderedDict()
    save_tensors(module, own, "", keep_vars=True)
    missing = [k for k in own if k not in state_dict]
    unexpected = [k for k in state_dict if k not in own]
    if strict and (missing or unexpected):
        raise KeyError(
            f"{where}: expected the keys of this model, got missing {missing} and unexpected "
            f"{unexpected}.\nhelp: load a state_dict saved from the same architecture, or "
            "pass strict=False."
        )
    arrays = {}
    for k, t in own.items():
        if k not in state_dict:
            continue
        v = state_dict[k]
        arr = np.asarray(v.data if isinstance(v, Tensor) else v)
        if arr.shape != t.data.shape:
            raise ValueError(
                f"{where}: expected {k} of shape {t.data.shape}, got {arr.shape}.\nhelp: the "
                "saved model has a different layer size here."
            )
        arrays[k] = arr
    for k, arr in arrays.items():  # checked everything first, so failure changes nothing
        own[k].data[...] = arr
    return IncompatibleKeys(missing, unexpected)
