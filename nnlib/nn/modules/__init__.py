"""The layer classes of :mod:`nnlib.nn`, one module per kind, as in ``torch/nn/modules``."""

from nnlib.nn.modules.activation import (
    GELU,
    LeakyReLU,
    LogSoftmax,
    Maxout,
    PReLU,
    ReLU,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    Tanh,
)
from nnlib.nn.modules.batchnorm import BatchNorm1d, BatchNorm2d
from nnlib.nn.modules.container import ModuleList, Sequential
from nnlib.nn.modules.dropout import Dropout
from nnlib.nn.modules.flatten import Flatten, Unflatten
from nnlib.nn.modules.instancenorm import InstanceNorm1d, InstanceNorm2d
from nnlib.nn.modules.linear import Identity, Linear
from nnlib.nn.modules.loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CosineEmbeddingLoss,
    CrossEntropyLoss,
    GaussianNLLLoss,
    HuberLoss,
    KLDivLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    TripletMarginLoss,
)
from nnlib.nn.modules.module import Module
from nnlib.nn.modules.normalization import GroupNorm, LayerNorm

__all__ = [
    "GELU",
    "BCELoss",
    "BCEWithLogitsLoss",
    "BatchNorm1d",
    "BatchNorm2d",
    "CosineEmbeddingLoss",
    "CrossEntropyLoss",
    "Dropout",
    "Flatten",
    "GaussianNLLLoss",
    "GroupNorm",
    "HuberLoss",
    "Identity",
    "InstanceNorm1d",
    "InstanceNorm2d",
    "KLDivLoss",
    "L1Loss",
    "LayerNorm",
    "LeakyReLU",
    "Linear",
    "LogSoftmax",
    "MSELoss",
    "Maxout",
    "Module",
    "ModuleList",
    "NLLLoss",
    "PReLU",
    "ReLU",
    "Sequential",
    "SiLU",
    "Sigmoid",
    "Softmax",
    "Softplus",
    "Tanh",
    "TripletMarginLoss",
    "Unflatten",
]
