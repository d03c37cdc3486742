"""Data for the course: data sets, mini-batch loading, toy sets, digits, standardisation.

The loading API follows ``torch.utils.data`` (:class:`Dataset`, :class:`TensorDataset`,
:class:`DataLoader`). The generators make the 2-D sets of TensorFlow Playground and 1-D
regression curves locally, seeded; :func:`load_digits` wraps the digits bundled with
scikit-learn; :class:`Standardizer` fits input statistics on the training set only.
"""

from nnlib.data.dataloader import DataLoader
from nnlib.data.dataset import Dataset, TensorDataset
from nnlib.data.digits import Split, load_digits
from nnlib.data.preprocessing import Standardizer, standardize
from nnlib.data.regression import (
    CURVES,
    heteroscedastic_std,
    make_heteroscedastic,
    make_regression_1d,
)
from nnlib.data.toy import make_circles, make_gaussians, make_moons, make_spirals, make_xor

__all__ = [
    "CURVES",
    "DataLoader",
    "Dataset",
    "Split",
    "Standardizer",
    "TensorDataset",
    "heteroscedastic_std",
    "load_digits",
    "make_circles",
    "make_gaussians",
    "make_heteroscedastic",
    "make_moons",
    "make_regression_1d",
    "make_spirals",
    "make_xor",
    "standardize",
]
