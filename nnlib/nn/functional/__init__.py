"""Stateless operations with ``torch.nn.functional``'s names: ``import nnlib.nn.functional as F``.

Activations (:mod:`.activation`), losses (:mod:`.loss_regression`, :mod:`.loss_binary`,
:mod:`.loss_classification`, :mod:`.loss_metric`), normalisation (:mod:`.normalization`),
dropout (:mod:`.dropout`) and ``linear``. Modules in :mod:`nnlib.nn` hold parameters and
call these.
"""

from nnlib.nn.functional.activation import *  # noqa: F403
from nnlib.nn.functional.activation import __all__ as _activation_all
from nnlib.nn.functional.dropout import *  # noqa: F403
from nnlib.nn.functional.dropout import __all__ as _dropout_all
from nnlib.nn.functional.loss_binary import *  # noqa: F403
from nnlib.nn.functional.loss_binary import __all__ as _binary_all
from nnlib.nn.functional.loss_classification import *  # noqa: F403
from nnlib.nn.functional.loss_classification import __all__ as _classification_all
from nnlib.nn.functional.loss_metric import *  # noqa: F403
from nnlib.nn.functional.loss_metric import __all__ as _metric_all
from nnlib.nn.functional.loss_regression import *  # noqa: F403
from nnlib.nn.functional.loss_regression import __all__ as _regression_all
from nnlib.nn.functional.normalization import *  # noqa: F403
from nnlib.nn.functional.normalization import __all__ as _norm_all
from nnlib.ops.linalg import linear

__all__ = [
    "linear",
    *_activation_all,
    *_dropout_all,
    *_regression_all,
    *_binary_all,
    *_classification_all,
    *_metric_all,
    *_norm_all,
]
