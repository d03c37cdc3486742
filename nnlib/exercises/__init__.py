"""Self-checking exercises: checkers that tell a learner what is wrong and how to fix it.

Each chapter has a module of checkers (:mod:`nnlib.exercises.ch01` … ``ch05``, ``ch10``); the names
Each chapter has a module of checkers (:mod:`nnlib.exercises.ch01` … ``ch06``); the names
Each chapter has a module of checkers (:mod:`nnlib.exercises.ch01` … ``ch07``); the names
Each chapter has a module of checkers (:mod:`nnlib.exercises.ch01` … ``ch09``); the names
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
    check_predict_weights,
    check_xor_network,
)
from nnlib.exercises.ch02 import (
    Value,
    check_backward_engine,
    check_backward_rule,
    check_neuron_backward,
    check_numerical_gradient,
    check_two_layer_backward,
)
from nnlib.exercises.ch03 import (
    check_leaky_relu,
    check_maxout,
    check_relu_grad,
    check_softmax,
    check_softmax_backward,
    check_softplus,
)
from nnlib.exercises.ch04 import (
    check_bce_with_logits,
    check_classification_loss,
    check_cross_entropy,
    check_cross_entropy_grad,
    check_gaussian_nll,
    check_kl_divergence,
    check_mse,
)
from nnlib.exercises.ch05 import (
    check_adam_first_step,
    check_adam_step,
    check_ewa,
    check_rmsprop_step,
    check_sgd_momentum_step,
    check_warmup_cosine,
)
from nnlib.exercises.ch06 import (
    check_batch_norm,
    check_group_norm,
    check_norm_statistics,
    check_standardize,
)
from nnlib.exercises.ch07 import (
    check_dropout,
    check_dropout_variance,
    check_early_stopping,
    check_max_norm,
)
from nnlib.exercises.ch08 import (
    check_clip_by_norm,
    check_gradient_health,
    check_init_std,
    check_layer_stats,
)
from nnlib.exercises.ch09 import (
    check_bump,
    check_sawtooth_counts,
    check_staircase_params,
    check_step,
    check_tent_params,
)
from nnlib.exercises.ch10 import (
    check_batches,
    check_fit_linear,
    check_initial_losses,
    check_log_uniform,
)
from nnlib.exercises.core import Case, Checker, Mistake, Verdict

__all__ = [
    "Case",
    "Checker",
    "Mistake",
    "Value",
    "Verdict",
    "check_adam_first_step",
    "check_adam_step",
    "check_backward_engine",
    "check_backward_rule",
    "check_batch_norm",
    "check_batches",
    "check_bce_with_logits",
    "check_bump",
    "check_classification_loss",
    "check_clip_by_norm",
    "check_cost_gradient",
    "check_cross_entropy",
    "check_cross_entropy_grad",
    "check_dropout",
    "check_dropout_variance",
    "check_early_stopping",
    "check_ewa",
    "check_fit_linear",
    "check_gaussian_nll",
    "check_gradient_health",
    "check_group_norm",
    "check_init_std",
    "check_initial_losses",
    "check_kl_divergence",
    "check_layer_stats",
    "check_leaky_relu",
    "check_log_uniform",
    "check_max_norm",
    "check_maxout",
    "check_mse",
    "check_neuron_backward",
    "check_neuron_forward",
    "check_norm_statistics",
    "check_numerical_gradient",
    "check_perceptron_update",
    "check_predict_weights",
    "check_relu_grad",
    "check_rmsprop_step",
    "check_sawtooth_counts",
    "check_sgd_momentum_step",
    "check_softmax",
    "check_softmax_backward",
    "check_softplus",
    "check_staircase_params",
    "check_standardize",
    "check_step",
    "check_tent_params",
    "check_two_layer_backward",
    "check_warmup_cosine",
    "check_xor_network",
]
