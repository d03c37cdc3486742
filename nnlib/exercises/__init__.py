"""Self-checking exercises: checkers that tell a learner what is wrong and how to fix it.

Each chapter has a module of checkers (:mod:`nnlib.exercises.ch01` … ``ch05``, ``ch10``); the names
are re-exported here, so a notebook writes ``from nnlib.exercises import check_softmax``.
A checker takes the learner's function, runs it on several cases against nnlib, and prints
one verdict (✓, ✗ with what differs and a hint, or ○ not attempted yet). The machinery is in
:mod:`nnlib.exercises.core`; ``tools/mark_solutions.py`` marks solution cells.

Example:
    >>> from nnlib.exercises import check_relu_grad
    >>> def relu_grad(x):
    ...     ...
    >>> check_relu_grad(relu_grad)  # doctest: +ELLIPSIS
    ○ relu_grad: not attempted yet. ...

Taught from chapter 1 (the perceptron and the artificial neuron) on: every chapter's
exercises call these checkers.
"""

from nnlib.exercises.ch01 import (
    check_cost_gradient,
    check_neuron_forward,
    check_perceptron_update,
    check_xor_network,
)
from nnlib.exercises.ch02 import (
    check_backward_rule,
    check_neuron_backward,
    check_numerical_gradient,
    check_two_layer_backward,
)
from nnlib.exercises.ch03 import check_leaky_relu, check_maxout, check_relu_grad, check_softmax
from nnlib.exercises.ch04 import (
    check_bce_with_logits,
    check_cross_entropy,
    check_gaussian_nll,
    check_kl_divergence,
    check_mse,
)
from nnlib.exercises.ch05 import (
    check_adam_step,
    check_ewa,
    check_rmsprop_step,
    check_sgd_momentum_step,
)
from nnlib.exercises.ch10 import (
    check_early_stopping,
    check_fit_linear,
    check_initial_losses,
    check_log_uniform,
)
from nnlib.exercises.core import Case, Checker, Mistake, Verdict

__all__ = [
    "Case",
    "Checker",
    "Mistake",
    "Verdict",
    "check_adam_step",
    "check_backward_rule",
    "check_bce_with_logits",
    "check_cost_gradient",
    "check_cross_entropy",
    "check_early_stopping",
    "check_ewa",
    "check_fit_linear",
    "check_gaussian_nll",
    "check_initial_losses",
    "check_kl_divergence",
    "check_leaky_relu",
    "check_log_uniform",
    "check_maxout",
    "check_mse",
    "check_neuron_backward",
    "check_neuron_forward",
    "check_numerical_gradient",
    "check_perceptron_update",
    "check_relu_grad",
    "check_rmsprop_step",
    "check_sgd_momentum_step",
    "check_softmax",
    "check_two_layer_backward",
    "check_xor_network",
]
