"""Layers, losses and containers with PyTorch's names: ``nnlib.nn``.

``nnlib.nn.functional`` holds the stateless maths; the classes here hold parameters and
call it. ``nnlib.nn.init`` initialises weights; ``nnlib.nn.utils`` clips gradients.

Taught from chapter 1 (the perceptron and the artificial neuron) on.
"""

from nnlib.nn import functional, init, modules, utils
from nnlib.nn.modules import *  # noqa: F403
from nnlib.nn.parameter import Parameter

# `+=` of the modules' __all__, a form type checkers follow (see nnlib.nn.modules).
__all__ = ["Parameter", "functional", "init", "utils"]
__all__ += modules.__all__
