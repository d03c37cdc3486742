"""Layers, losses and containers with PyTorch's names: ``nnlib.nn``.

``nnlib.nn.functional`` holds the stateless maths; the classes here hold parameters and
call it. ``nnlib.nn.init`` initialises weights; ``nnlib.nn.utils`` clips gradients.

Taught from chapter 1 (the perceptron and the artificial neuron) on.
"""

from nnlib.nn import functional, init, utils
from nnlib.nn.modules import *  # noqa: F403
from nnlib.nn.modules import __all__ as _modules_all
from nnlib.nn.parameter import Parameter

__all__ = ["Parameter", "functional", "init", "utils", *_modules_all]
