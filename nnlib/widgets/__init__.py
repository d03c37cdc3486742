"""Live demos for the chapters: controls → a pure ``compute`` → a PNG frame.

:class:`Demo` wires value widgets to a pure function and a renderer; :class:`TrainingDemo`
adds Play, Step and Reset for a network that trains while you watch. The ready-made demos:
:func:`neuron_boundary` and :func:`xor_hidden_layer` (chapter 1),
:func:`activation_explorer` (chapter 3), :func:`loss_explorer` and :func:`kl_asymmetry`
(chapter 4), :func:`optimizer_race` and :func:`ewa_explorer` (chapter 5). Each is
the single output of its notebook cell. Needs ipywidgets and matplotlib; the rest of nnlib
does not.

Example:
    >>> from nnlib import widgets
    >>> demo = widgets.activation_explorer()
    >>> demo.controls["activation"].value = "sigmoid"
    >>> demo.data.name
    'sigmoid'

Taught from chapter 1 on.
"""

from nnlib.widgets.activations import (
    ACTIVATION_NAMES,
    ActivationView,
    activation_explorer,
    activation_view,
    available_activations,
)
from nnlib.widgets.backprop import (
    CachedDemo,
    backprop_stepper,
    backprop_trace,
    finite_difference_errors,
    finite_difference_explorer,
)
from nnlib.widgets.demo import Demo, DemoBox, TrainingDemo
from nnlib.widgets.dying_relu import dying_relu
from nnlib.widgets.ewa import EwaView, ewa_explorer, ewa_view
from nnlib.widgets.losses import kl_asymmetry, loss_explorer
from nnlib.widgets.neuron import (
    NEURON_DATASETS,
    NeuronView,
    neuron_boundary,
    neuron_dataset,
    neuron_loss,
    neuron_step,
    neuron_view,
)
from nnlib.widgets.optimizers import (
    OPTIMIZERS,
    SURFACES,
    RaceState,
    optimizer_race,
    race_init,
    race_step,
)
from nnlib.widgets.xor import XorNet, XorState, xor_frame, xor_hidden_layer, xor_init, xor_step

#: Every ready-made demo builder, by name (the benchmark times each one).
DEMOS = {
    "neuron_boundary": neuron_boundary,
    "activation_explorer": activation_explorer,
    "loss_explorer": loss_explorer,
    "kl_asymmetry": kl_asymmetry,
    "optimizer_race": optimizer_race,
    "ewa_explorer": ewa_explorer,
    "xor_hidden_layer": xor_hidden_layer,
    "backprop_stepper": backprop_stepper,
    "finite_difference_explorer": finite_difference_explorer,
    "dying_relu": dying_relu,
}

__all__ = [
    "ACTIVATION_NAMES", "DEMOS", "NEURON_DATASETS", "OPTIMIZERS", "SURFACES",
    "ActivationView", "CachedDemo", "Demo", "DemoBox", "EwaView", "NeuronView", "RaceState",
    "TrainingDemo",
    "XorNet", "XorState", "activation_explorer", "activation_view",
    "available_activations", "backprop_stepper", "backprop_trace", "dying_relu",
    "ewa_explorer", "ewa_view", "finite_difference_errors", "finite_difference_explorer",
    "kl_asymmetry", "loss_explorer", "neuron_boundary",
    "neuron_dataset", "neuron_loss",
    "neuron_step", "neuron_view", "optimizer_race", "race_init", "race_step", "xor_frame",
    "xor_hidden_layer", "xor_init", "xor_step",
]  # fmt: skip
