"""Stateless operations with ``torch.nn.functional``'s names: ``import nnlib.nn.functional as F``.

Activations (:mod:`.activation`), losses (:mod:`.loss`), normalisation
(:mod:`.normalization`), dropout (:mod:`.dropout`) and ``linear``. Modules in
:mod:`nnlib.nn` hold parameters and call these.
"""

from nnlib.nn.functional.activation import *  # noqa: F403
from nnlib.nn.functional.activation import __all__ as _activation_all
from nnlib.nn.functional.dropout import *  # noqa: F403
from nnlib.nn.functional.dropout import __all__ as _dropout_all
from nnlib.nn.functional.loss import *  # noqa: F403
from nnlib.nn.functional.loss import __all__ as _loss_all
from nnlib.nn.functional.normalization import *  # noqa: F403
from nnlib.nn.functional.normalization import __all__ as _norm_all
from nnlib.ops.linalg import linear

__all__ = ["linear", *_activation_all, *_dropout_all, *_loss_all, *_norm_all]
