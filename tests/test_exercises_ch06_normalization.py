"""Chapter 6's checkers (standardisation, batch norm, group norm, counting statistics): the
right answer passes, each usual mistake is rejected with its own hint, a stub is "not
attempted", a crash is summarised without raising, and two runs print the same text (the
shared checker battery of tests/helpers.py on this file's table). Wrong answers are
written as a learner would write them, including ones the checkers were not designed around.
"""

import warnings

import numpy as np
import pytest
import sklearn.preprocessing  # noqa: F401 (imported here, not inside the time limit)
import torch

import nnlib
from nnlib.exercises import (
    check_batch_norm,
    check_group_norm,
    check_norm_statistics,
    check_standardize,
)
from nnlib.exercises.ch06 import _BATCH_NORM, _COUNT, _GROUP_NORM, _STANDARDIZE
from tests.helpers import CheckerBattery


# --------------------------------------------------------------------- standardize
def standardize_right(X_train, X_test):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    std = np.where(std == 0, 1.0, std)
    return (X_train - mean) / std, (X_test - mean) / std


def standardize_given_bug(X_train, X_test):  # the code the exercise hands out
    X_all = np.concatenate([X_train, X_test])
    mean, std = X_all.mean(axis=0), X_all.std(axis=0)
    return (X_train - mean) / std, (X_test - mean) / std


def standardize_leak_fixed_zero(X_train, X_test):  # fixed the NaN, kept the leak
    X_all = np.vstack([X_train, X_test])
    mean, std = X_all.mean(axis=0), X_all.std(axis=0)
    std[std == 0] = 1
    return (X_train - mean) / std, (X_test - mean) / std


def standardize_own_stats(X_train, X_test):
    def one(X):
        s = X.std(axis=0)
        return (X - X.mean(axis=0)) / np.where(s > 0, s, 1)

    return one(X_train), one(X_test)


def standardize_no_guard(X_train, X_test):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    return (X_train - mean) / std, (X_test - mean) / std


def standardize_eps(X_train, X_test):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    return (X_train - mean) / (std + 1e-8), (X_test - mean) / (std + 1e-8)


def standardize_ddof1(X_train, X_test):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0, ddof=1)
    std[std == 0] = 1.0
    return (X_train - mean) / std, (X_test - mean) / std


def standardize_rows(X_train, X_test):
    def one(X):
        s = X.std(axis=1, keepdims=True)
        return (X - X.mean(axis=1, keepdims=True)) / np.where(s == 0, 1, s)

    return one(X_train), one(X_test)


def standardize_inplace(X_train, X_test):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    std = np.where(std == 0, 1.0, std)
    X_train -= mean
    X_train /= std
    X_test -= mean
    X_test /= std
    return X_train, X_test


def standardize_sklearn_on_all(X_train, X_test):
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(np.concatenate([X_train, X_test]))
    return scaler.transform(X_train), scaler.transform(X_test)


def standardize_sklearn_twice(X_train, X_test):
    from sklearn.preprocessing import StandardScaler

    return StandardScaler().fit_transform(X_train), StandardScaler().fit_transform(X_test)


def standardize_test_only_returned(X_train, X_test):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    std = np.where(std == 0, 1.0, std)
    return (X_test - mean) / std


def standardize_torch(X_train, X_test):  # a right answer in another style: torch
    a, b = torch.tensor(X_train), torch.tensor(X_test)
    mean, std = a.mean(0), a.std(0, unbiased=False)
    std = torch.where(std == 0, torch.ones_like(std), std)
    return ((a - mean) / std).numpy(), ((b - mean) / std).numpy()


def standardize_mean_only(X_train, X_test):
    mean = X_train.mean(axis=0)
    return X_train - mean, X_test - mean


def standardize_scale_only(X_train, X_test):
    std = X_train.std(axis=0)
    std[std == 0] = 1
    return X_train / std, X_test / std


def standardize_test_std(X_train, X_test):
    mean = X_train.mean(axis=0)
    s_tr, s_te = X_train.std(axis=0), X_test.std(axis=0)
    s_tr[s_tr == 0], s_te[s_te == 0] = 1, 1
    return (X_train - mean) / s_tr, (X_test - mean) / s_te


# ------------------------------------------------------------------------ batch norm
def bn_right(x, gamma, beta, running_mean, running_var, training, momentum, eps):
    if training:
        mean, var = x.mean(axis=0), x.var(axis=0)
        running_mean = (1 - momentum) * running_mean + momentum * mean
        running_var = (1 - momentum) * running_var + momentum * x.var(axis=0, ddof=1)
    else:
        mean, var = running_mean, running_var
    return gamma * (x - mean) / np.sqrt(var + eps) + beta, running_mean, running_var


def _bn_learner(**s):
    def bn(x, gamma, beta, running_mean, running_var, training, momentum, eps):
        axis = 1 if s.get("axis1") else 0
        if training or s.get("batch_eval"):
            mean = x.mean(axis=axis, keepdims=axis == 1)
            if s.get("naive"):
                var = np.mean(x**2, axis=0) - mean**2
            else:
                var = x.var(axis=axis, ddof=1 if s.get("unbiased") else 0, keepdims=axis == 1)
        else:
            mean, var = running_mean, running_var
        if s.get("eps_out"):
            x_hat = (x - mean) / (np.sqrt(var) + eps)
        elif s.get("std_eps"):
            x_hat = (x - mean) / np.sqrt(var) + eps
        else:
            x_hat = (x - mean) / np.sqrt(var + eps)
        y = x_hat if s.get("no_affine") else gamma * x_hat + beta
        if s.get("affine_swapped"):
            y = beta * x_hat + gamma
        if training or s.get("update_eval"):
            m = (1 - momentum) if s.get("flipped") else momentum
            bv = x.var(axis=0, ddof=0 if s.get("biased_run") else 1)
            running_mean = (1 - m) * running_mean + m * x.mean(axis=0)
            running_var = (1 - m) * running_var + m * bv
        return y, running_mean, running_var

    return bn


def bn_inplace(x, gamma, beta, running_mean, running_var, training, momentum, eps):
    if training:
        mean, var = x.mean(axis=0), x.var(axis=0)
        running_mean *= 1 - momentum
        running_mean += momentum * mean
        running_var *= 1 - momentum
        running_var += momentum * x.var(axis=0, ddof=1)
    else:
        mean, var = running_mean, running_var
    return gamma * (x - mean) / np.sqrt(var + eps) + beta, running_mean, running_var


def bn_torch(x, gamma, beta, running_mean, running_var, training, momentum, eps):
    rm, rv = torch.tensor(running_mean), torch.tensor(running_var)
    y = torch.nn.functional.batch_norm(
        torch.tensor(x), rm, rv, torch.tensor(gamma), torch.tensor(beta), training, momentum, eps
    )
    return y.numpy(), rm.numpy(), rv.numpy()


def bn_running_mean_only(x, gamma, beta, running_mean, running_var, training, momentum, eps):
    y, rm, _ = bn_right(x, gamma, beta, running_mean, running_var, training, momentum, eps)
    return y, rm, running_var


def bn_new_stats_replace(x, gamma, beta, running_mean, running_var, training, momentum, eps):
    # "running" statistics that are just the last batch's
    y, _, _ = bn_right(x, gamma, beta, running_mean, running_var, training, momentum, eps)
    if training:
        return y, x.mean(axis=0), x.var(axis=0, ddof=1)
    return y, running_mean, running_var


# ------------------------------------------------------------------------ group norm
def gn_right(x, num_groups, eps):
    n = x.shape[0]
    g = x.reshape(n, num_groups, -1)
    mean, var = g.mean(axis=2, keepdims=True), g.var(axis=2, keepdims=True)
    return ((g - mean) / np.sqrt(var + eps)).reshape(x.shape)


def _gn_learner(**s):
    def gn(x, num_groups, eps):
        n, c, h, w = x.shape
        if s.get("interleaved"):
            g = x.reshape(n, c // num_groups, num_groups, h, w)
            axes = (1, 3, 4)
        elif s.get("layer"):
            g, axes = x, (1, 2, 3)
        elif s.get("instance"):
            g, axes = x, (2, 3)
        else:
            g = x.reshape(n, num_groups, c // num_groups, h, w)
            axes = (0, 2, 3, 4) if s.get("batch") else (2, 3, 4)
        mean = g.mean(axis=axes, keepdims=True)
        var = g.var(axis=axes, keepdims=True, ddof=1 if s.get("ddof1") else 0)
        if s.get("std_of_centered"):
            var = ((g - mean) ** 2).sum(axis=axes, keepdims=True) / (g[0, 0].size - 1)
        if s.get("eps_out"):
            out = (g - mean) / (np.sqrt(var) + eps)
        elif s.get("no_eps"):
            out = (g - mean) / np.sqrt(var)
        else:
            out = (g - mean) / np.sqrt(var + eps)
        return out.reshape(x.shape)

    return gn


def gn_torch(x, num_groups, eps):
    return torch.nn.functional.group_norm(torch.tensor(x), num_groups, eps=eps).numpy()


def gn_loop(x, num_groups, eps):  # a right answer with loops
    out = np.empty_like(x)
    size = x.shape[1] // num_groups
    for i in range(x.shape[0]):
        for k in range(num_groups):
            block = x[i, k * size : (k + 1) * size]
            out[i, k * size : (k + 1) * size] = (block - block.mean()) / np.sqrt(block.var() + eps)
    return out


def gn_loop_wrong_slice(x, num_groups, eps):  # channels k, k+G, ... taken as a group
    out = np.empty_like(x)
    for i in range(x.shape[0]):
        for k in range(num_groups):
            block = x[i, k::num_groups]
            out[i, k::num_groups] = (block - block.mean()) / np.sqrt(block.var() + eps)
    return out


# ------------------------------------------------------------------ counting statistics
def count_right(layer, shape, num_groups):
    n, c, h, w = shape
    return {
        "batch": (c, n * h * w),
        "layer": (n, c * h * w),
        "instance": (n * c, h * w),
        "group": (n * num_groups, c // num_groups * h * w),
    }[layer]


def _count_learner(**table):
    def count(layer, shape, num_groups):
        n, c, h, w = shape
        if layer in table:
            return table[layer](n, c, h, w, num_groups)
        return count_right(layer, shape, num_groups)

    return count


def count_by_running(layer, shape, num_groups):  # a right answer that runs the layers
    x = nnlib.randn(*shape).double()
    del x
    return count_right(layer, shape, num_groups)


BATTERY = {
    _STANDARDIZE: (check_standardize, standardize_right, [
        (standardize_given_bug, "leaks the test set"),
        (standardize_leak_fixed_zero, "leaks the test set"),
        (standardize_sklearn_on_all, "leaks the test set"),
        (standardize_own_stats, "its own statistics"),
        (standardize_sklearn_twice, "its own statistics"),
        (standardize_no_guard, "divide by 1 there"),
        (standardize_eps, "tiny eps"),
        (standardize_ddof1, "ddof=0"),
        (standardize_rows, "per feature"),
        (standardize_inplace, "in place"),
        (standardize_mean_only, "divide by the std"),
        (standardize_scale_only, "subtract the mean"),
        (standardize_test_std, "training set's std"),
        (standardize_test_only_returned, "return 2 values"),
    ]),
    _BATCH_NORM: (check_batch_norm, bn_right, [
        (_bn_learner(axis1=True), "axis=0"),
        (_bn_learner(batch_eval=True), "running_mean and running_var"),
        (_bn_learner(update_eval=True), "update them only"),
        (_bn_learner(unbiased=True), "biased batch variance"),
        (_bn_learner(eps_out=True), "inside the square root"),
        (_bn_learner(std_eps=True), "not added to the result"),
        (_bn_learner(no_affine=True), "gamma · x_hat + beta"),
        (_bn_learner(affine_swapped=True), "you swapped them"),
        (_bn_learner(flipped=True), "weight of the NEW batch"),
        (_bn_learner(biased_run=True), "UNBIASED"),
        (_bn_learner(naive=True), "catastrophic cancellation"),
        (bn_inplace, "in place"),
        (bn_running_mean_only, "running variance must be updated"),
        (bn_new_stats_replace, "instead of replacing them"),
    ]),
    _GROUP_NORM: (check_group_norm, gn_right, [
        (_gn_learner(interleaved=True), "NEIGHBOURING"),
        (gn_loop_wrong_slice, "NEIGHBOURING"),
        (_gn_learner(layer=True), "layer norm"),
        (_gn_learner(instance=True), "instance norm"),
        (_gn_learner(batch=True), "batch axis"),
        (_gn_learner(ddof1=True), "ddof=0"),
        (_gn_learner(eps_out=True), "inside the square root"),
        (_gn_learner(no_eps=True), "left eps out"),
    ]),
    _COUNT: (check_norm_statistics, count_right, [
        (_count_learner(batch=lambda n, c, h, w, g: (n, c * h * w),
                        layer=lambda n, c, h, w, g: (c, n * h * w)), "swapped"),
        (lambda layer, shape, g: tuple(reversed(count_right(layer, shape, g))), "comes first"),
        (_count_learner(batch=lambda n, c, h, w, g: (c, n)), "N·H·W"),
        (_count_learner(layer=lambda n, c, h, w, g: (n * c, h * w)), "C·H·W"),
        (_count_learner(instance=lambda n, c, h, w, g: (c, h * w)), "N·C means"),
        (_count_learner(group=lambda n, c, h, w, g: (g, n * c // g * h * w)), "N·num_groups"),
        (_count_learner(group=lambda n, c, h, w, g: (n * g, g * h * w)), "C // num_groups"),
        (_count_learner(group=lambda n, c, h, w, g: (n * g, c // g)), "AND their positions"),
        (_count_learner(layer=lambda n, c, h, w, g: (n, c)), "multiply to it"),
        (_count_learner(instance=lambda n, c, h, w, g: (n * c, h + w)), "multiply to it"),
    ]),
}  # fmt: skip


class TestChapter6Checkers(CheckerBattery):
    BATTERY = BATTERY


@pytest.mark.parametrize(
    ("check", "right"),
    [
        (check_standardize, standardize_torch),
        (check_batch_norm, bn_torch),
        (check_group_norm, gn_torch),
        (check_group_norm, gn_loop),
        (check_norm_statistics, count_by_running),
    ],
)
def test_right_answers_in_other_styles_pass(check, right, capsys):
    check(right)
    assert capsys.readouterr().out.startswith("✓")


def test_checkers_survive_changed_global_state(capsys):
    """A learner who left grad mode off, NumPy raising and warnings as errors still gets a
    verdict, not a traceback."""
    old = np.seterr(all="raise")
    try:
        with nnlib.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("error")
            check_standardize(standardize_right)
            check_batch_norm(bn_right)
            check_group_norm(gn_right)
            check_norm_statistics(count_right)
            check_standardize(standardize_no_guard)
    finally:
        np.seterr(**old)
    out = capsys.readouterr().out.splitlines()
    assert [line[0] for line in out if line[:1] in "✓✗"][:5] == ["✓", "✓", "✓", "✓", "✗"]


def test_count_reference_agrees_with_what_the_layers_standardise():
    """The counts the checker expects are the sets the demo draws and nnlib normalises."""
    from nnlib.widgets.norm_axes import norm_sets

    shape = (4, 6, 2, 3)
    for name, layer, groups in [
        ("BatchNorm2d", "batch", 1),
        ("LayerNorm", "layer", 1),
        ("InstanceNorm2d", "instance", 1),
        ("GroupNorm, 3 groups", "group", 3),
    ]:
        labels = norm_sets(name, shape)
        sizes = np.bincount(labels.ravel())
        assert (len(sizes), int(sizes[0])) == count_right(layer, shape, groups)
