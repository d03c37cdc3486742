"""Live demos for the chapters: controls → a pure ``compute`` → a PNG frame.

:class:`Demo` wires value widgets to a pure function and a renderer; :class:`TrainingDemo`
adds Play, Step and Reset for a network that trains while you watch. Executed for the
website, a demo stores precomputed frames that its controls switch without a kernel
(:mod:`nnlib.widgets.frames`). The ready-made demos are :data:`DEMOS`, in chapter order:
:func:`neuron_boundary` and :func:`xor_hidden_layer` (chapter 1), :func:`backprop_stepper`
and :func:`finite_difference_explorer` (chapter 2), :func:`activation_explorer` and
:func:`dying_relu` (chapter 3), :func:`loss_explorer` and :func:`kl_asymmetry` (chapter 4),
:func:`ewa_explorer` and :func:`optimizer_race` (chapter 5), :func:`norm_axes` and
:func:`bn_lr_race` (chapter 6), :func:`polynomial_fit`, :func:`dropout_ensemble` and
:func:`regularization_playground` (chapter 7), :func:`gradient_flow` and
:func:`signal_propagation` (chapter 8), :func:`approximation_explorer` and
:func:`sawtooth_depth` (chapter 9), :func:`recipe_judgement` and
:func:`fixed_batch_predictions` (chapter 10). Each is the single output of its notebook
cell; :func:`progress` draws a progress bar under a training loop. Needs ipywidgets and
matplotlib; the rest of nnlib does not.

Example:
    >>> from nnlib import widgets
    >>> demo = widgets.activation_explorer()
    >>> demo.controls["activation"].value = "sigmoid"
    >>> demo.data.name
    'sigmoid'

Taught from chapter 1 on.
"""

import importlib

from nnlib.widgets.activations import (
    ACTIVATION_NAMES,
    ActivationView,
    activation_view,
    available_activations,
)
from nnlib.widgets.backprop import CachedDemo, backprop_trace, finite_difference_errors
from nnlib.widgets.demo import REGISTRY, Demo, DemoBox, TrainingDemo, register
from nnlib.widgets.ewa import EwaView, ewa_view
from nnlib.widgets.frames import static_mode
from nnlib.widgets.neuron import (
    NEURON_DATASETS,
    NeuronView,
    neuron_dataset,
    neuron_loss,
    neuron_step,
    neuron_view,
)
from nnlib.widgets.optimizers import OPTIMIZERS, SURFACES, RaceState, race_init, race_step
from nnlib.widgets.progressbar import Progress, progress
from nnlib.widgets.recipe import (
    JudgementView,
    PredictionView,
    diagnose,
    judgement_curves,
    prediction_snapshots,
)
from nnlib.widgets.xor import XorNet, XorState, xor_frame, xor_init, xor_step

#: The modules that hold ready-made demos, in chapter order. Importing one registers its
#: builders (``@register``); DEMOS and ``__all__`` derive from that one registry, so adding
#: a demo is one module, ``@register`` on its builder, and its name here.
DEMO_MODULES = (
    "neuron", "xor", "backprop", "activations", "dying_relu", "losses", "ewa", "optimizers",
    "norm_axes", "bn_training",
    "regularization",
    "deep_gradients",
    "approximation",
    "recipe",
)  # fmt: skip
for _module in DEMO_MODULES:
    importlib.import_module(f"nnlib.widgets.{_module}")

#: Every ready-made demo builder, by name, in chapter order (the benchmark times each one).
DEMOS = {
    name: build
    for _module in DEMO_MODULES
    for name, build in REGISTRY.items()
    if build.__module__ == f"nnlib.widgets.{_module}"
}
globals().update(DEMOS)

__all__ = [
    "ACTIVATION_NAMES", "DEMOS", "DEMO_MODULES", "NEURON_DATASETS", "OPTIMIZERS", "SURFACES",
    "ActivationView", "CachedDemo", "Demo", "DemoBox", "EwaView", "NeuronView", "RaceState",
    "TrainingDemo", "XorNet", "XorState", "activation_view", "available_activations",
    "backprop_trace", "ewa_view", "finite_difference_errors", "neuron_dataset", "neuron_loss",
    "neuron_step", "neuron_view", "race_init", "race_step", "register", "static_mode",
    "xor_frame", "xor_init", "xor_step",
    "JudgementView", "PredictionView", "Progress", "diagnose", "judgement_curves",
    "prediction_snapshots", "progress",
    *DEMOS,
]  # fmt: skip
