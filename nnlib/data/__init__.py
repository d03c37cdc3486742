"""Data for the course: data sets, mini-batch loading, toy sets, digits, standardisation.

The loading API follows ``torch.utils.data`` (:class:`Dataset`, :class:`TensorDataset`,
:class:`DataLoader`, :class:`Subset`, :func:`random_split`). The generators make the 2-D
sets of TensorFlow Playground and 1-D regression curves locally, seeded;
:func:`load_digits` wraps the digits bundled with scikit-learn; :func:`train_test_split`
holds out a test set; :class:`Standardizer` fits input statistics on the training set only.
"""

from nnlib.data.dataloader import DataLoader
from nnlib.data.dataset import Dataset, Subset, TensorDataset, random_split
from nnlib.data.digits import Split, load_digits
from nnlib.data.preprocessing import Standardizer, standardize
from nnlib.data.regression import (
    CURVES,
    heteroscedastic_std,
    make_heteroscedastic,
    make_regression_1d,
)
from nnlib.data.split import train_test_split
from nnlib.data.toy import make_circles, make_gaussians, make_moons, make_spirals, make_xor

__all__ = [
    "CURVES",
    "DataLoader",
    "Dataset",
    "Split",
    "Standardizer",
    "Subset",
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
    "random_split",
    "standardize",
    "train_test_split",
]
