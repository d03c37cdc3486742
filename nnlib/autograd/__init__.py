"""Reverse-mode automatic differentiation: the backward walk, ``Function``, ``gradcheck``.

Taught in chapter 2 (backpropagation).
"""

from nnlib.autograd.engine import run_backward, topological_order
from nnlib.autograd.function import Function, FunctionCtx
from nnlib.autograd.gradcheck import GradcheckError, gradcheck
from nnlib.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled

__all__ = [
    "Function",
    "FunctionCtx",
    "GradcheckError",
    "enable_grad",
    "gradcheck",
    "is_grad_enabled",
    "no_grad",
    "run_backward",
    "set_grad_enabled",
    "topological_order",
]
