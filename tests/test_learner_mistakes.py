"""A learner's mistakes (issue 10): never silent, never a raw crash, never worse than PyTorch.

Each case is one mistake written once, as code that runs unchanged in nnlib and in PyTorch
(``w.lib`` is ``nnlib`` or ``torch``, ``w.nn`` its ``nn``, and so on). For every case:

- PyTorch 2.13's verdict is checked, so the table records what PyTorch really does;
- nnlib's verdict and the content of its message are checked: a refusal names the problem
  and carries a ``help:`` line with the fix, and is never a NumPy or Python internal error;
- after every refused call, the state (parameters, gradients, optimizer state, running
  statistics, the random generator) is exactly what it was before.

``nnlib`` verdicts that differ from PyTorch's are on purpose and documented (CONTRIBUTING,
"where nnlib differs").
"""

from __future__ import annotations

import copy
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
import torch
import torch.utils.data

import nnlib
from nnlib import nn as nnlib_nn
from nnlib.nn import functional as nnlib_F

REFUSE, ACCEPT, WARN = "refuse", "accept", "warn"


def make_world(lib: Any) -> SimpleNamespace:
    """A small training set-up after one step: net, optimizer with state, data, generator."""
    is_torch = lib is torch
    nn = torch.nn if is_torch else nnlib_nn
    lib.manual_seed(0)
    net = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3))
    opt = lib.optim.Adam(net.parameters(), lr=1e-2)
    rng = np.random.default_rng(0)
    X = lib.tensor(rng.standard_normal((6, 4)).astype(np.float32))
    y = lib.tensor(np.array([0, 1, 2, 0, 1, 2]))
    F = torch.nn.functional if is_torch else nnlib_F
    loss = F.cross_entropy(net(X), y)
    loss.backward()
    opt.step()
    logits = net(X)  # a forward pass already made, so that cases need not run one
    return SimpleNamespace(
        logits=logits,
        before=None,
        lib=lib,
        nn=nn,
        F=F,
        optim=lib.optim,
        data=torch.utils.data if is_torch else nnlib.data,
        net=net,
        opt=opt,
        X=X,
        y=y,
        is_torch=is_torch,
    )


def snapshot(w: SimpleNamespace) -> dict[str, Any]:
    """Everything a refused call must leave alone, as plain NumPy arrays and numbers."""

    def arr(t: Any) -> Any:
        if t is None:
            return None
        if isinstance(t, torch.Tensor):
            return t.detach().numpy().copy()
        if isinstance(t, nnlib.Tensor):
            return t.data.copy()
        return copy.deepcopy(t)

    state = {f"param {i}": arr(p) for i, p in enumerate(w.net.parameters())}
    state |= {f"grad {i}": arr(p.grad) for i, p in enumerate(w.net.parameters())}
    state |= {f"buffer {n}": arr(b) for n, b in w.net.named_buffers()}
    state["optimizer"] = {
        k: {n: arr(v) for n, v in s.items()} for k, s in w.opt.state_dict()["state"].items()
    }
    state["modes"] = [m.training for m in w.net.modules()]
    if w.is_torch:
        state["rng"] = torch.get_rng_state().numpy().copy()
    else:
        state["rng"] = nnlib.random.default_generator().bit_generator.state
    return state


def mark(w: SimpleNamespace) -> None:
    """Called by a case right before its mistaken call: the state to compare against.

    What the case does first (a forward pass in training mode updates batch-norm statistics,
    ``randn`` draws from the generator) is legitimate and not part of the refused call.
    """
    w.before = snapshot(w)


def assert_same_state(before: dict[str, Any], after: dict[str, Any]) -> None:
    assert before.keys() == after.keys()
    for key in before:
        a, b = before[key], after[key]
        if isinstance(a, np.ndarray):
            np.testing.assert_array_equal(a, b, err_msg=key)
        else:
            assert repr(a) == repr(b), key


@dataclass(frozen=True)
class Mistake:
    """One learner mistake, run the same way in both libraries."""

    name: str
    run: Callable[[SimpleNamespace], Any]
    torch: str  # PyTorch 2.13's verdict: REFUSE, ACCEPT or WARN
    nnlib: str  # nnlib's verdict
    says: tuple[str, ...] = ()  # snippets nnlib's message must contain (regexes)
    check: Callable[[Any, SimpleNamespace], None] | None = None  # for accepted calls
    from_issue: bool = False  # listed in issue 10 (the rest are our own)


# ------------------------------------------------------------------------ the mistakes
def inplace_between_forward_and_backward(w: SimpleNamespace) -> None:
    last = w.net[3].weight
    loss = w.F.cross_entropy(w.net(w.X), w.y)
    with w.lib.no_grad():
        last -= 0.1  # saved by the last layer's product: the gradient would be stale
    mark(w)
    loss.backward()


def step_between_two_backwards(w: SimpleNamespace) -> None:
    loss = w.F.cross_entropy(w.net(w.X), w.y)
    loss.backward(retain_graph=True)
    w.opt.step()
    mark(w)
    loss.backward()


def backward_twice(w: SimpleNamespace) -> None:
    w.opt.zero_grad()
    loss = w.F.cross_entropy(w.net(w.X), w.y)
    loss.backward()
    mark(w)
    loss.backward()


def backward_twice_retained(w: SimpleNamespace) -> Any:
    w.opt.zero_grad()
    loss = w.F.cross_entropy(w.net(w.X), w.y)
    loss.backward(retain_graph=True)
    first = w.net[0].weight.grad.clone()
    loss.backward()
    return first, w.net[0].weight.grad


def twice_the_gradient(result: Any, w: SimpleNamespace) -> None:
    first, second = result
    np.testing.assert_allclose(np.asarray(second), 2 * np.asarray(first), rtol=1e-5)


def non_leaf_to_optimizer(w: SimpleNamespace) -> None:
    v = w.lib.randn(4, 1, requires_grad=True) * 0.01
    mark(w)
    w.optim.SGD([v], lr=0.1)


def grad_of_non_leaf(w: SimpleNamespace) -> Any:
    h = w.net[0](w.X)
    h.sum().backward()
    return h.grad


def clip_exhausted_generator(w: SimpleNamespace) -> Any:
    params = w.net.parameters()
    list(params)  # e.g. an optimizer already consumed it
    return w.nn.utils.clip_grad_norm_(params, max_norm=1.0)


def grad_zero_(w: SimpleNamespace) -> Any:
    p = w.net[0].weight
    p.grad.zero_()
    return p.grad


def all_zero(result: Any, w: SimpleNamespace) -> None:
    assert not np.asarray(result).any()


def grad_norm_and_data(w: SimpleNamespace) -> Any:
    g = w.net[0].weight.grad
    return float(g.norm()), np.asarray(g.data)


def retain_grad(w: SimpleNamespace) -> Any:
    h = w.net[0](w.X)
    h.retain_grad()
    h.sum().backward()
    return h.grad


def all_ones(result: Any, w: SimpleNamespace) -> None:
    np.testing.assert_array_equal(np.asarray(result), np.ones((6, 8)))


def axis_keepdims(w: SimpleNamespace) -> Any:
    return w.X.sum(axis=1, keepdims=True).shape, w.X.mean(axis=0).shape


def shapes_are(*expected: tuple[int, ...]) -> Callable[[Any, SimpleNamespace], None]:
    def check(result: Any, w: SimpleNamespace) -> None:
        assert tuple(tuple(s) for s in result) == expected

    return check


def grad_assign_wrong_shape(w: SimpleNamespace) -> None:
    p = w.net[0].weight
    p.grad = w.lib.zeros(3, 3)


def grad_assign_array(w: SimpleNamespace) -> None:
    w.net[0].weight.grad = np.zeros((8, 4), dtype=np.float32)


MISTAKES = [
    # --- silent in nnlib before issue 10 ---------------------------------------------------
    Mistake("inplace change between forward and backward", inplace_between_forward_and_backward,
            REFUSE, REFUSE, (r"modified by an inplace operation", r"\(3, 8\)", r"AddmmBackward",
                             r"version"), from_issue=True),
    Mistake("optimizer.step() between two backward passes", step_between_two_backwards,
            REFUSE, REFUSE, (r"inplace", r"optimizer\.step\(\)"), from_issue=True),
    Mistake("backward twice through one graph", backward_twice, REFUSE, REFUSE,
            (r"second time", r"retain_graph=True"), from_issue=True),
    Mistake("non-leaf tensor given to an optimizer", non_leaf_to_optimizer, REFUSE, REFUSE,
            (r"non-leaf", r"requires_grad_\(\)"), from_issue=True),
    Mistake("plain tensor assigned to a parameter", lambda w: setattr(
        w.net[0], "weight", w.lib.zeros(8, 4)), REFUSE, REFUSE,
            (r"Parameter", r"nn\.Parameter\(t\)"), from_issue=True),
    Mistake("permute with an out-of-range dim", lambda w: w.X.permute(1, 2), REFUSE, REFUSE,
            (r"out of range", r"\[-2, 1\]"), from_issue=True),
    Mistake("flatten(2) of a 2-d tensor", lambda w: w.X.flatten(2), REFUSE, REFUSE,
            (r"out of range",), from_issue=True),
    Mistake("loss module built with the data", lambda w: w.nn.CrossEntropyLoss(
        w.logits, w.y), REFUSE, REFUSE, (r"CrossEntropyLoss\(\)\(x, y\)",), from_issue=True),
    Mistake(".grad of a non-leaf", grad_of_non_leaf, WARN, WARN, (r"retain_grad",),
            from_issue=True),
    Mistake("clip_grad_norm_ on an exhausted generator", clip_exhausted_generator, WARN,
            WARN, (r"empty", r"model\.parameters\(\) again"), from_issue=True),
    Mistake("float64 input to BatchNorm1d", lambda w: w.net[1](w.lib.zeros(
        6, 8, dtype=w.lib.float64)), REFUSE, REFUSE, (r"float64", r"\.float\(\)"),
            from_issue=True),
    # --- raw crashes before issue 10 -------------------------------------------------------
    Mistake("NumPy array passed to a model", lambda w: w.net(np.zeros((6, 4), np.float32)),
            REFUSE, REFUSE, (r"expected a Tensor", r"from_numpy"), from_issue=True),
    Mistake("nested list passed to a model", lambda w: w.net([[0.0] * 4] * 6), REFUSE,
            REFUSE, (r"expected a Tensor", r"nnlib\.tensor\(X\)"), from_issue=True),
    Mistake("prediction and target that do not broadcast", lambda w: w.logits - w.lib.zeros(
        6), REFUSE, REFUSE, (r"\(6, 3\) and \(6,\)", r"reshape"), from_issue=True),
    Mistake("transpose with a bad dim", lambda w: w.X.transpose(0, 2), REFUSE, REFUSE,
            (r"out of range",), from_issue=True),
    Mistake("squeeze with a bad dim", lambda w: w.X.squeeze(3), REFUSE, REFUSE,
            (r"out of range",), from_issue=True),
    Mistake("cat of mismatched shapes", lambda w: w.lib.cat([w.X, w.lib.zeros(6, 5)]),
            REFUSE, REFUSE, (r"\(6, 4\).*\(6, 5\)", r"dim=1"), from_issue=True),
    Mistake("ragged nested list to tensor()", lambda w: w.lib.tensor([[1.0, 2.0], [3.0]]),
            REFUSE, REFUSE, (r"same length",), from_issue=True),
    Mistake("learning rate as a string", lambda w: w.optim.Adam(w.net.parameters(),
            lr="1e-3"), REFUSE, REFUSE, (r"lr to be a number", r"lr=1e-3"), from_issue=True),
    Mistake("betas as one number", lambda w: w.optim.Adam(w.net.parameters(), betas=0.9),
            REFUSE, REFUSE, (r"pair", r"betas=\(0\.9, 0\.999\)"), from_issue=True),
    Mistake("the model given to an optimizer", lambda w: w.optim.SGD(w.net, lr=0.1), REFUSE,
            REFUSE, (r"the model", r"model\.parameters\(\)"), from_issue=True),
    Mistake("model.parameters without ()", lambda w: w.optim.SGD(w.net.parameters, lr=0.1),
            REFUSE, REFUSE, (r"not called", r"model\.parameters\(\)"), from_issue=True),
    # --- worse than PyTorch before issue 10 ------------------------------------------------
    Mistake("NumPy's axis=/keepdims= on reductions", axis_keepdims, ACCEPT, ACCEPT,
            check=shapes_are((6, 1), (4,)), from_issue=True),
    Mistake("activation module called with the data", lambda w: w.nn.ReLU(w.X), ACCEPT,
            REFUSE, (r"nn\.ReLU\(\)\(x\)",), from_issue=True),
    Mistake("p.grad.zero_()", grad_zero_, ACCEPT, ACCEPT, check=all_zero, from_issue=True),
    Mistake("p.grad.norm() and p.grad.data", grad_norm_and_data, ACCEPT, ACCEPT,
            from_issue=True),
    # --- misleading hints before issue 10 --------------------------------------------------
    Mistake("integer input to Linear", lambda w: w.net[0](w.lib.ones(6, 4, dtype=w.lib.int64)),
            REFUSE, REFUSE, (r"integers", r"x\.float\(\)"), from_issue=True),
    Mistake("cross_entropy with swapped arguments", lambda w: w.F.cross_entropy(
        w.y, w.logits), REFUSE, REFUSE, (r"swapped", r"cross_entropy\(logits, y\)"),
            from_issue=True),
    Mistake("NaN predictions to BCELoss", lambda w: w.nn.BCELoss()(w.lib.tensor(
        [float("nan"), 0.5]), w.lib.tensor([0.0, 1.0])), REFUSE, REFUSE,
            (r"NaN", r"lr"), from_issue=True),
    # --- our own: the first two weeks of a course ------------------------------------------
    Mistake("backward twice with retain_graph=True", backward_twice_retained, ACCEPT, ACCEPT,
            check=twice_the_gradient),
    Mistake("retain_grad() on a hidden activation", retain_grad, ACCEPT, ACCEPT,
            check=all_ones),
    Mistake("input with the wrong number of features", lambda w: w.net(w.lib.zeros(6, 5)),
            REFUSE, REFUSE, (r"\(6, 5\)", r"\(N, 4\)")),
    Mistake("a single example without a batch dim in train mode", lambda w: w.net(
        w.lib.zeros(1, 4)), REFUSE, REFUSE, (r"eval\(\)",)),
    Mistake("float64 data into a float32 model", lambda w: w.net(w.X.double()), REFUSE,
            REFUSE, (r"float64", r"float\(\)")),
    Mistake("float class labels to cross_entropy", lambda w: w.F.cross_entropy(
        w.logits, w.y.float()), REFUSE, REFUSE, (r"long\(\)|int64",)),
    Mistake("labels out of range", lambda w: w.F.cross_entropy(w.logits, w.y + 5),
            REFUSE, REFUSE, (r"\[0, 2\]", r"outputs")),
    Mistake("(N, 1) prediction against (N,) target in MSE", lambda w: w.F.mse_loss(
        w.lib.zeros(6, 1), w.lib.zeros(6)), WARN, REFUSE, (r"\(6, 1\)", r"reshape|squeeze")),
    Mistake("backward of a non-scalar loss", lambda w: w.logits.backward(), REFUSE,
            REFUSE, (r"scalar", r"mean\(\)")),
    Mistake("backward of a loss computed under no_grad", lambda w: _under_no_grad(w), REFUSE,
            REFUSE, (r"does not require grad", r"no_grad")),
    Mistake("in-place update of a parameter outside no_grad", lambda w: w.net[0].weight.__isub__(
        0.1), REFUSE, REFUSE, (r"no_grad",)),
    Mistake("item() of a batch of losses", lambda w: w.F.cross_entropy(
        w.logits, w.y, reduction="none").item(), REFUSE, REFUSE, (r"mean\(\)\.item\(\)",)),
    Mistake("numpy() of a tensor that requires grad", lambda w: w.logits.numpy(), REFUSE,
            REFUSE, (r"detach\(\)\.numpy\(\)",)),
    Mistake("negative learning rate", lambda w: w.optim.SGD(w.net.parameters(), lr=-0.1),
            REFUSE, REFUSE, (r"lr >= 0",)),
    Mistake("a set of parameters in a group", lambda w: w.optim.SGD(
        [{"params": set(w.net.parameters())}], lr=0.1), REFUSE, REFUSE, (r"list",)),
    Mistake("an exhausted generator to an optimizer", lambda w: _exhausted_optimizer(w),
            REFUSE, REFUSE, (r"empty", r"used up")),
    Mistake("a gradient of the wrong shape assigned to .grad", grad_assign_wrong_shape,
            REFUSE, REFUSE, (r"\(8, 4\)", r"zeros_like")),
    Mistake("a NumPy array assigned to .grad", grad_assign_array, REFUSE, REFUSE,
            (r"Tensor or None", r"nnlib\.tensor")),
    Mistake("train() with a string", lambda w: w.net.train("False"), REFUSE, REFUSE,
            (r"bool", r"\.eval\(\)")),
    Mistake("a typo in a layer attribute", lambda w: w.net[0].wieght, REFUSE, REFUSE,
            (r"did you mean 'weight'",)),
    Mistake("reshape to the wrong number of elements", lambda w: w.X.reshape(5, 5), REFUSE,
            REFUSE, (r"24", r"-1")),
    Mistake("matmul with the inner sizes swapped", lambda w: w.X @ w.lib.zeros(3, 4), REFUSE,
            REFUSE, (r"\(6, 4\) and \(3, 4\)", r"transposed")),
    Mistake("permute with too few dims", lambda w: w.X.permute(1), REFUSE, REFUSE,
            (r"every dimension once",)),
    Mistake("cat given a tensor instead of a list", lambda w: w.lib.cat(w.X), REFUSE, REFUSE,
            (r"list",)),
    Mistake("stack of different shapes", lambda w: w.lib.stack([w.X, w.X[:3]]), REFUSE,
            REFUSE, (r"equal size", r"cat")),
    Mistake("squeeze(dim) of a dimension that is not 1 (a no-op)", lambda w: w.X.squeeze(
        1).shape, ACCEPT, ACCEPT, check=lambda r, w: (None if tuple(r) == (6, 4) else 1 / 0)),
    Mistake("a TensorDataset of tensors of different lengths", lambda w: w.data.TensorDataset(
        w.X, w.y[:5]), REFUSE, REFUSE, (r"6", r"5")),
    Mistake("batch_size=0 for a DataLoader", lambda w: w.data.DataLoader(
        w.data.TensorDataset(w.X, w.y), batch_size=0), REFUSE, REFUSE, (r"batch_size",)),
    Mistake("clip_grad_norm_ with max_norm as a numeric string", lambda w:
            w.nn.utils.clip_grad_norm_(w.net.parameters(), max_norm="1.0"), ACCEPT, ACCEPT),
    Mistake("clip_grad_norm_ with max_norm as a word", lambda w: w.nn.utils.clip_grad_norm_(
        w.net.parameters(), max_norm="big"), REFUSE, REFUSE, (r"max_norm to be a number",)),
    Mistake("a list of models given to an optimizer", lambda w: w.optim.SGD([w.net], lr=0.1),
            REFUSE, REFUSE, (r"model\.parameters\(\)",)),
    Mistake("an index past the end", lambda w: w.X[6], REFUSE, REFUSE,
            (r"out of bounds", r"size - 1")),
    Mistake("dim given as a float", lambda w: w.X.sum(dim=1.0), REFUSE, REFUSE,
            (r"int", r"dim=1")),
    Mistake("randint with low and high swapped", lambda w: w.lib.randint(10, 0, (5,)), REFUSE,
            REFUSE, (r"low < high", r"swap")),
    Mistake("reshape with a float size", lambda w: w.X.reshape(24 / 2, 2), REFUSE, REFUSE,
            (r"ints", r"//")),
    Mistake("a negative size", lambda w: w.lib.zeros(-1, 3), REFUSE, REFUSE, (r">= 0",)),
    Mistake("a string added to a tensor", lambda w: w.X + "0.5", REFUSE, REFUSE,
            (r"float\('0\.5'\)",)),
    Mistake("load_state_dict(None)", lambda w: w.net.load_state_dict(None), REFUSE, REFUSE,
            (r"state_dict\(\)",)),
    Mistake("to() with a type name string", lambda w: w.X.to("float"), REFUSE, REFUSE,
            (r"x\.float\(\)",)),
    Mistake("unsqueeze far out of range", lambda w: w.X.unsqueeze(5), REFUSE, REFUSE,
            (r"out of range", r"\[-3, 2\]")),
    Mistake("an array given to requires_grad_", lambda w: w.X.requires_grad_(
        np.array([1.0, 0.0])), REFUSE, REFUSE, (r"True or False", r"requires_grad_\(\)")),
    Mistake("bias values given to Linear's bias flag", lambda w: w.nn.Linear(
        4, 2, bias=np.array([1.0, 2.0])), REFUSE, REFUSE, (r"bias=True or bias=False",
        r"layer\.bias\.data\[\.\.\.\] = b")),
]  # fmt: skip


def _under_no_grad(w: SimpleNamespace) -> None:
    with w.lib.no_grad():
        loss = w.F.cross_entropy(w.net(w.X), w.y)
    mark(w)
    loss.backward()


def _exhausted_optimizer(w: SimpleNamespace) -> None:
    params = w.net.parameters()
    list(params)
    mark(w)
    w.optim.SGD(params, lr=0.1)


IDS = [m.name for m in MISTAKES]


def outcome(m: Mistake, lib: Any) -> tuple[str, Any, SimpleNamespace, list[str]]:
    """Run the mistake on a fresh world: (verdict, result or exception, world, warnings)."""
    w = make_world(lib)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = m.run(w)
        except Exception as exc:
            return REFUSE, exc, w, [str(c.message) for c in caught]
    messages = [str(c.message) for c in caught]
    return (WARN if messages else ACCEPT), result, w, messages


def test_the_table_covers_the_issue_and_as_many_again() -> None:
    from_issue = sum(m.from_issue for m in MISTAKES)
    assert from_issue >= 28
    assert len(MISTAKES) - from_issue >= from_issue
    assert len(set(IDS)) == len(IDS)


@pytest.mark.parametrize("m", MISTAKES, ids=IDS)
def test_pytorch_verdict(m: Mistake) -> None:
    verdict, _, _, _ = outcome(m, torch)
    assert verdict == m.torch


@pytest.mark.parametrize("m", MISTAKES, ids=IDS)
def test_nnlib_verdict_and_message(m: Mistake) -> None:
    verdict, result, w, messages = outcome(m, nnlib)
    assert verdict == m.nnlib, (verdict, result)
    if verdict == REFUSE:
        text = str(result)
        assert "\nhelp: " in text, f"no help line: {text!r}"
        # Never a NumPy or Python internal error escaping from deep inside.
        assert type(result) in (TypeError, ValueError, RuntimeError, IndexError, AttributeError)
        assert not re.search(r"operands could not be broadcast|object has no attribute "
                             r"'(data|dtype)'|not supported between instances", text)  # fmt: skip
    elif verdict == WARN:
        text = "\n".join(messages)
    else:
        text = ""
        if m.check is not None:
            m.check(result, w)
    for snippet in m.says:
        assert re.search(snippet, text), f"{snippet!r} not in {text!r}"


@pytest.mark.parametrize("m", [m for m in MISTAKES if m.nnlib == REFUSE],
                         ids=[m.name for m in MISTAKES if m.nnlib == REFUSE])  # fmt: skip
def test_state_is_unchanged_after_a_refused_call(m: Mistake) -> None:
    w = make_world(nnlib)
    before = snapshot(w)
    with pytest.raises(Exception), warnings.catch_warnings():  # noqa: B017
        warnings.simplefilter("ignore")
        m.run(w)
    assert_same_state(w.before or before, snapshot(w))


def test_following_the_hint_fixes_the_call() -> None:
    """The fixes the hints name, applied to the same mistakes, work."""
    w = make_world(nnlib)
    w.net(nnlib.from_numpy(np.zeros((6, 4), np.float32)).float())
    w.net(nnlib.tensor([[0.0] * 4] * 6))
    w.optim.SGD(w.net.parameters(), lr=0.1)
    w.optim.Adam(w.net.parameters(), lr=1e-3, betas=(0.9, 0.999))
    w.nn.ReLU()(w.X)
    logits = w.net(w.X)
    w.F.cross_entropy(logits, w.y)
    w.nn.CrossEntropyLoss()(logits, w.y)
    w.net[0](w.lib.ones(6, 4, dtype=w.lib.int64).float())
    w.net[0].weight = nnlib_nn.Parameter(nnlib.randn(8, 4))
    v = (nnlib.randn(4, 1) * 0.01).requires_grad_()
    w.optim.SGD([v], lr=0.1)
    loss = w.F.cross_entropy(w.net(w.X), w.y)
    loss.backward(retain_graph=True)
    loss.backward()
