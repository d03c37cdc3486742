"""Chapter 8's checkers (init_std, layer_stats, gradient_health, clip_by_norm): the right
answer passes, each realistic wrong answer gets the hint that names its mistake, a stub is
"not attempted", a crash is summarised, and two runs print the same text (the shared
checker battery of tests/helpers.py on this file's table). Also: the references match
PyTorch, other correct styles pass, and changed global state does not break a checker."""

import math
import warnings

import numpy as np
import pytest
import torch

import nnlib
from nnlib import nn
from nnlib.exercises import (
    check_clip_by_norm,
    check_gradient_health,
    check_init_std,
    check_layer_stats,
)
from nnlib.exercises.ch08 import (
    _CLIP,
    _HEALTH,
    _INIT,
    _STATS,
    _clip_reference,
    _init_reference,
    gradient_ratio,
)
from nnlib.nn import functional as F
from tests.helpers import CheckerBattery


# ----------------------------------------------------------------------------- init_std
def init_right(fan_in, activation, negative_slope=0.0):
    slope = {"linear": 1.0, "relu": 0.0}.get(activation, negative_slope)
    return math.sqrt(2 / ((1 + slope**2) * fan_in))


def init_gain2(activation, s):
    return {"linear": 1.0, "relu": 2.0}.get(activation, 2 / (1 + s * s))


INIT_WRONGS = [
    (lambda n, a, s: init_gain2(a, s) / n, "VARIANCE"),
    (lambda n, a, s: 1 / math.sqrt(n), "only half of the pre-activation"),
    (lambda n, a, s: 1 / math.sqrt(n) if a == "linear" else math.sqrt(1 / (2 * n)),
     "belongs in the numerator"),
    (lambda n, a, s: math.sqrt(2 / n) if a != "leaky_relu" else init_right(n, a, s),
     "without an activation"),
    (lambda n, a, s: 1 / math.sqrt(n) if a == "linear" else math.sqrt(2 / ((1 + s) * n)),
     "slope is squared"),
    (lambda n, a, s: 1 / math.sqrt(n) if a == "linear" else math.sqrt(2 / n),
     "leaky ReLU is not ReLU"),
    (lambda n, a, s: init_right(n, a, s) if a != "leaky_relu"
     else math.sqrt((1 + s * s) / (2 * n)), "numerator"),
    (lambda n, a, s: math.sqrt(init_gain2(a, s) * n), "denominator"),
    (lambda n, a, s: math.sqrt(init_gain2(a, s)) / n, "the square root"),
    (lambda n, a, s: math.sqrt(3 * init_gain2(a, s) / n), "uniform"),
    (lambda n, a, s: np.sqrt(6 / n) if a == "relu" else np.sqrt(3 / n) if a == "linear"
     else math.sqrt(3) * init_right(n, a, s), "uniform"),
    (lambda n, a, s: 2 / n if a == "relu" else 1 / n if a == "linear"
     else 2 / ((1 + s**2) * n), "VARIANCE"),
]  # fmt: skip


# -------------------------------------------------------------------------- layer_stats
def stats_right(net, X, y):
    z, g = [], []
    linears = [m for m in net.modules() if isinstance(m, nn.Linear)]
    hs = [m.register_forward_hook(lambda m, a, o: z.append(np.std(o.data))) for m in linears]
    hs += [
        m.register_full_backward_hook(lambda m, gi, go: g.insert(0, np.std(go[0].data)))
        for m in linears
    ]
    F.cross_entropy(net(X), y).backward()
    for h in hs:
        h.remove()
    return np.column_stack([z, g])


def stats_with(reduce=np.std, order="insert", which="output", modules="linear",
               reduction="mean", backward=True, act_after=False):  # fmt: skip
    """A learner's layer_stats with one thing changed."""

    def layer_stats(net, X, y):
        z, g = [], []
        if modules == "linear":
            hooked = [m for m in net.modules() if isinstance(m, nn.Linear)]
        else:
            hooked = list(net.children())
        fwd = hooked
        if act_after:  # the module after each Linear (the activation), or the last Linear
            kids = list(net.children())
            fwd = [kids[i + 1] if i + 1 < len(kids) else m for i, m in enumerate(kids)
                   if isinstance(m, nn.Linear)]  # fmt: skip
        hs = [m.register_forward_hook(lambda m, a, o: z.append(reduce(o.data))) for m in fwd]

        def bwd(m, gi, go):
            value = reduce((go if which == "output" else gi)[0].data)
            if order == "insert":
                g.insert(0, value)
            else:
                g.append(value)

        hs += [m.register_full_backward_hook(bwd) for m in hooked]
        loss = F.cross_entropy(net(X), y, reduction=reduction)
        if backward:
            loss.backward()
        for h in hs:
            h.remove()
        return np.column_stack([z, g])

    return layer_stats


def stats_weight_grad(net, X, y):
    z = []
    linears = [m for m in net.modules() if isinstance(m, nn.Linear)]
    hs = [m.register_forward_hook(lambda m, a, o: z.append(np.std(o.data))) for m in linears]
    F.cross_entropy(net(X), y).backward()
    for h in hs:
        h.remove()
    return np.column_stack([z, [np.std(m.weight.grad.data) for m in linears]])


def stats_retain_grad(net, X, y):
    """Another correct style: retain_grad instead of a backward hook."""
    outs = []

    def keep(m, a, o):
        o.retain_grad()
        outs.append(o)

    hs = [m.register_forward_hook(keep) for m in net.modules() if isinstance(m, nn.Linear)]
    F.cross_entropy(net(X), y).backward()
    for h in hs:
        h.remove()
    return [[np.std(o.data), np.std(o.grad.data)] for o in outs]


STATS_WRONGS = [
    (stats_with(order="append"), "fire from the LAST layer"),
    (stats_weight_grad, "not the weight's gradient"),
    (stats_with(act_after=True), "own output z"),
    (stats_with(reduce=np.mean), "not the mean"),
    (stats_with(reduce=lambda a: np.mean(np.abs(a))), "mean absolute value"),
    (stats_with(reduce=lambda a: np.std(a, ddof=1)), "ddof=0"),
    (stats_with(reduction="sum"), "m times larger"),
    (stats_with(which="input"), "grad_input[0] is None", "error"),
    (stats_with(modules="all"), "one row per nn.Linear"),
    (stats_with(reduce=lambda a: float(a.std(axis=0).mean())), "ALL entries"),
    (stats_with(backward=False), "only fire during", "error"),
]


# ---------------------------------------------------------------------- gradient_health
HEALTH_WRONGS = [
    (lambda: (-1, 0, 1, 0), "net D"),
    (lambda: (-1, 0, 0, 1), "net C"),
    (lambda: (0, 0, 1, 1), "net A"),
    (lambda: (-1, 1, 1, 1), "net B"),
    (lambda: (-1, -1, 1, 1), "net B"),
    (lambda: (1, 0, 1, 1), "net A"),
    (lambda: (-1, 0, 1, -1), "net D"),
    (lambda: ("vanishing", "healthy", "exploding", "exploding"), "return numbers"),
]


# ------------------------------------------------------------------------- clip_by_norm
def clip_right(gW, gb, max_norm):
    total = np.sqrt(np.sum(gW**2) + np.sum(gb**2))
    c = min(1.0, max_norm / total)
    return gW * c, gb * c


def clip_inplace(gW, gb, max_norm):
    total = np.sqrt(np.sum(gW**2) + np.sum(gb**2))
    if total > max_norm:
        gW *= max_norm / total
        gb *= max_norm / total
    return gW, gb


CLIP_WRONGS = [
    (lambda gW, gb, c: tuple(g * min(1.0, c / np.linalg.norm(g)) for g in (gW, gb)),
     "ALL gradients as one vector"),
    (lambda gW, gb, c: tuple(g * c / np.sqrt(np.sum(gW**2) + np.sum(gb**2)) for g in (gW, gb)),
     "only shrink"),
    (lambda gW, gb, c: (np.clip(gW, -c, c), np.clip(gb, -c, c)), "clip_grad_value_"),
    (lambda gW, gb, c: tuple(g * min(1.0, c / (np.sum(gW**2) + np.sum(gb**2)))
                             for g in (gW, gb)), "square root"),
    (lambda gW, gb, c: tuple(g / np.sqrt(np.sum(gW**2) + np.sum(gb**2))
                             if np.sqrt(np.sum(gW**2) + np.sum(gb**2)) > c else g
                             for g in (gW, gb)), "multiply by max_norm"),
    (lambda gW, gb, c: tuple(g * np.sqrt(np.sum(gW**2) + np.sum(gb**2)) / c
                             if np.sqrt(np.sum(gW**2) + np.sum(gb**2)) > c else g
                             for g in (gW, gb)), "not norm / max_norm"),
    (lambda gW, gb, c: tuple(g * min(1.0, c / np.linalg.norm(gW)) for g in (gW, gb)),
     "includes the bias"),
    (lambda gW, gb, c: tuple(g * min(1.0, c / (np.linalg.norm(gW) + np.linalg.norm(gb)))
                             for g in (gW, gb)), "norms do not add"),
    (lambda gW, gb, c: tuple(
        g * min(1.0, c / np.sqrt(np.mean(np.concatenate([gW.ravel(), gb.ravel()]) ** 2)))
        for g in (gW, gb)), "SUM of the squares"),
    (clip_inplace, "in place"),
]  # fmt: skip

BATTERY = {
    _INIT: (check_init_std, init_right, INIT_WRONGS),
    _STATS: (check_layer_stats, stats_right, STATS_WRONGS),
    _HEALTH: (check_gradient_health, lambda: (-1, 0, 1, 1), HEALTH_WRONGS),
    _CLIP: (check_clip_by_norm, clip_right, CLIP_WRONGS),
}


class TestChapter8Checkers(CheckerBattery):
    BATTERY = BATTERY


# ------------------------------------------------------------------ beyond the battery
def test_other_correct_styles_pass():
    assert _STATS.evaluate(stats_retain_grad).passed
    assert _HEALTH.evaluate(lambda: [-1, 0, 1, 1]).passed
    assert _HEALTH.evaluate(lambda: (-1.0, 0.0, 1.0, 1.0)).passed
    assert _INIT.evaluate(lambda n, a, s=0.0: nnlib.nn.init.calculate_gain(
        a, s if a == "leaky_relu" else None) / n**0.5).passed  # fmt: skip

    def clip_torch(gW, gb, c):
        ts = [torch.tensor(gW), torch.tensor(gb)]
        total = torch.linalg.vector_norm(torch.cat([t.flatten() for t in ts]))
        return tuple((t * min(1.0, c / total.item())).numpy() for t in ts)

    assert _CLIP.evaluate(clip_torch).passed


def test_init_reference_is_kaiming_normals_scale():
    torch.manual_seed(0)
    for fan_in, act, slope in [(100, "linear", 0.0), (64, "relu", 0.0), (50, "leaky_relu", 0.2)]:
        w = torch.empty(4000, fan_in)
        torch.nn.init.kaiming_normal_(w, a=slope, nonlinearity=act)
        assert w.std().item() == pytest.approx(_init_reference(fan_in, act, slope), rel=0.02)


def test_clip_reference_matches_torch():
    rng = np.random.default_rng(0)
    gW, gb = rng.normal(size=(3, 4)) * 5, rng.normal(size=3)
    ours = _clip_reference(gW, gb, 1.0)
    ps = [torch.zeros(3, 4, dtype=torch.float64), torch.zeros(3, dtype=torch.float64)]
    for p, g in zip(ps, (gW, gb), strict=True):
        p.requires_grad_()
        p.grad = torch.tensor(g)
    torch.nn.utils.clip_grad_norm_(ps, 1.0)
    for o, p in zip(ours, ps, strict=True):
        np.testing.assert_allclose(o, p.grad.numpy(), rtol=1e-12)


def test_stats_reference_matches_torch_hooks():
    case = _STATS.cases()[1]
    net, X, y = case.args
    ours = _STATS.reference(*case.args)
    layers = []
    for m in net:
        if isinstance(m, nn.Linear):
            t = torch.nn.Linear(m.in_features, m.out_features).double()
            with torch.no_grad():
                t.weight.copy_(torch.from_numpy(m.weight.data))
                t.bias.copy_(torch.from_numpy(m.bias.data))
            layers.append(t)
        else:
            layers.append(torch.nn.Sigmoid())
    tnet = torch.nn.Sequential(*layers)
    z, g = [], []
    for m in tnet:
        if isinstance(m, torch.nn.Linear):
            m.register_forward_hook(lambda m, a, o: z.append(o.std(unbiased=False).item()))
            m.register_full_backward_hook(
                lambda m, gi, go: g.insert(0, go[0].std(unbiased=False).item())
            )
    Xt = torch.from_numpy(X.data).requires_grad_()
    torch.nn.functional.cross_entropy(tnet(Xt), torch.from_numpy(y.data)).backward()
    np.testing.assert_allclose(ours, np.column_stack([z, g]), rtol=1e-10)


def test_health_reference_is_what_the_hints_say():
    assert gradient_ratio("sigmoid", "pytorch", False) < 1e-3
    assert 1e-3 < gradient_ratio("relu", "he", False) < 1e3
    assert gradient_ratio("relu", "normal1", False) > 1e3
    assert gradient_ratio("relu", "he", True) > 1e3


@pytest.mark.parametrize("checker", [_INIT, _STATS, _HEALTH, _CLIP], ids=lambda c: c.title)
def test_changed_global_state_does_not_break_a_checker(checker):
    right = BATTERY[checker][1]
    checker._cache.clear()
    old = np.seterr(all="raise")
    try:
        with nnlib.set_grad_enabled(False), warnings.catch_warnings():
            warnings.simplefilter("error")
            verdict = checker.evaluate(right)
    finally:
        np.seterr(**old)
        checker._cache.clear()
    # layer_stats needs gradients: with them switched off the learner's own backward()
    # fails, which the checker reports (it must not raise); the others pass.
    if checker is _STATS:
        assert verdict.status in ("passed", "error"), verdict.text
    else:
        assert verdict.passed, verdict.text
