"""The layer classes of :mod:`nnlib.nn`, one module per kind, as in ``torch/nn/modules``."""

from nnlib.nn.modules.activation import *  # noqa: F403
from nnlib.nn.modules.activation import __all__ as _activation_all
from nnlib.nn.modules.batchnorm import *  # noqa: F403
from nnlib.nn.modules.batchnorm import __all__ as _batchnorm_all
from nnlib.nn.modules.container import *  # noqa: F403
from nnlib.nn.modules.container import __all__ as _container_all
from nnlib.nn.modules.dropout import *  # noqa: F403
from nnlib.nn.modules.dropout import __all__ as _dropout_all
from nnlib.nn.modules.flatten import *  # noqa: F403
from nnlib.nn.modules.flatten import __all__ as _flatten_all
from nnlib.nn.modules.instancenorm import *  # noqa: F403
from nnlib.nn.modules.instancenorm import __all__ as _instancenorm_all
from nnlib.nn.modules.linear import *  # noqa: F403
from nnlib.nn.modules.linear import __all__ as _linear_all
from nnlib.nn.modules.loss import *  # noqa: F403
from nnlib.nn.modules.loss import __all__ as _loss_all
from nnlib.nn.modules.module import Module
from nnlib.nn.modules.normalization import *  # noqa: F403
from nnlib.nn.modules.normalization import __all__ as _norm_all

__all__ = [
    "Module",
    *_activation_all,
    *_container_all,
    *_dropout_all,
    *_flatten_all,
    *_linear_all,
    *_loss_all,
    *_batchnorm_all,
    *_instancenorm_all,
    *_norm_all,
]
