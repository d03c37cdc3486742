"""Layers, losses and containers with PyTorch's names: ``nnlib.nn``.

Taught from chapter 1 on.
"""

from nnlib.nn.parameter import Parameter

__all__ = ["Parameter"]
