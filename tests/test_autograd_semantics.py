"""PyTorch's autograd semantics in nnlib (issue 10): versions, freed graphs, retain_grad,
``.grad`` as a tensor, and module hooks, each compared with torch doing the same thing."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import nnlib
from nnlib import nn

# ----------------------------------------------------- versions and freed graphs vs PyTorch
# Each program runs unchanged on nnlib and torch (``lib``); both must agree on raising.
Program = Callable[[Any], Any]


def _leaf(lib: Any, values: list[float]) -> Any:
    return lib.tensor(values, dtype=lib.float64, requires_grad=True)


def mul_self_then_inplace(lib: Any) -> None:
    w = _leaf(lib, [1.0, 2.0])
    loss = (w * w).sum()  # mul saves w
    with lib.no_grad():
        w -= 1.0
    loss.backward()


def add_then_inplace(lib: Any) -> Any:
    w = _leaf(lib, [1.0, 2.0])
    loss = (w + 1.0).sum()  # add saves nothing: PyTorch allows the change
    with lib.no_grad():
        w -= 1.0
    loss.backward()
    return w.grad


def matmul_weight_of_first_layer(lib: Any) -> Any:
    x = lib.tensor([[1.0, 2.0]], dtype=lib.float64)  # needs no gradient
    w = _leaf(lib, [[0.5], [-1.0]])
    loss = (x @ w).sum()  # saves x only, since x needs no gradient
    with lib.no_grad():
        w *= 2.0
    loss.backward()
    return w.grad


def matmul_weight_of_hidden_layer(lib: Any) -> None:
    h = _leaf(lib, [[1.0, 2.0]])
    w = _leaf(lib, [[0.5], [-1.0]])
    loss = (h @ w).sum()  # saves w, since h needs a gradient
    with lib.no_grad():
        w *= 2.0
    loss.backward()


def inplace_through_a_view(lib: Any) -> None:
    w = _leaf(lib, [[1.0, 2.0], [3.0, 4.0]])
    h = _leaf(lib, [[1.0, 1.0]])
    loss = (h @ w.T).sum()  # saves the view w.T
    with lib.no_grad():
        w += 1.0  # the base changes: the view shares its version counter
    loss.backward()


def sigmoid_backward_twice(lib: Any) -> None:
    w = _leaf(lib, [1.0, 2.0])
    loss = (w * w).sigmoid().sum()
    loss.backward()
    loss.backward()


def add_backward_twice(lib: Any) -> Any:
    w = _leaf(lib, [1.0, 2.0])
    loss = (w + 1.0).sum()  # nothing saved: a second pass is allowed in PyTorch
    loss.backward()
    loss.backward()
    return w.grad


def retained_then_twice(lib: Any) -> Any:
    w = _leaf(lib, [1.0, 2.0])
    loss = (w * w).sum()
    loss.backward(retain_graph=True)
    loss.backward()
    return w.grad


def step_between_backwards(lib: Any) -> None:
    w = _leaf(lib, [1.0, 2.0])
    opt = lib.optim.SGD([w], lr=0.1)
    loss = (w * w).sum()
    loss.backward(retain_graph=True)
    opt.step()
    loss.backward()


PROGRAMS = [
    (mul_self_then_inplace, True),
    (add_then_inplace, False),
    (matmul_weight_of_first_layer, False),
    (matmul_weight_of_hidden_layer, True),
    (inplace_through_a_view, True),
    (sigmoid_backward_twice, True),
    (add_backward_twice, False),
    (retained_then_twice, False),
    (step_between_backwards, True),
]


@pytest.mark.parametrize(("program", "raises"), PROGRAMS, ids=[p.__name__ for p, _ in PROGRAMS])
def test_same_verdict_and_gradient_as_pytorch(program: Program, raises: bool) -> None:
    if raises:
        with pytest.raises(RuntimeError):
            program(torch)
        with pytest.raises(RuntimeError, match=r"(?s)(inplace|second time).*help: "):
            program(nnlib)
        return
    expected = program(torch).numpy()
    np.testing.assert_allclose(program(nnlib).data, expected)


def test_version_counts_inplace_changes_and_names_the_tensor() -> None:
    w = nnlib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    assert w._version == 0
    loss = (w * w).sum()
    with nnlib.no_grad():
        w -= 1.0
        w *= 2.0
    assert w._version == 2
    with pytest.raises(RuntimeError) as info:
        loss.backward()
    text = str(info.value)
    assert "shape (3,)" in text and "MulBackward" in text and "version 2" in text
    assert w.grad is None  # a refused pass writes no gradient


def test_a_refused_second_pass_leaves_grads_alone() -> None:
    w = nnlib.tensor([1.0, 2.0], requires_grad=True)
    loss = (w * w).sum()
    loss.backward()
    before = w.grad.data.copy()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        loss.backward()
    np.testing.assert_array_equal(w.grad.data, before)


# ------------------------------------------------------------------- retain_grad, .grad
def test_retain_grad_matches_pytorch() -> None:
    def run(lib: Any) -> tuple[np.ndarray, np.ndarray]:
        x = _leaf(lib, [1.0, -2.0, 3.0])
        h = x * 3.0
        h.retain_grad()
        (h * h).sum().backward()
        return np.asarray(h.grad.data if lib is nnlib else h.grad), np.asarray(
            x.grad.data if lib is nnlib else x.grad
        )

    for ours, theirs in zip(run(nnlib), run(torch), strict=True):
        np.testing.assert_allclose(ours, theirs)


def test_non_leaf_grad_warns_like_pytorch() -> None:
    for lib in (nnlib, torch):
        h = _leaf(lib, [1.0]) * 2.0
        with pytest.warns(UserWarning, match="not a leaf"):
            assert h.grad is None


def test_grad_is_a_tensor_with_pytorch_idioms() -> None:
    w = nnlib.tensor([3.0, 4.0], requires_grad=True)
    (w * w).sum().backward()
    assert isinstance(w.grad, nnlib.Tensor) and not w.grad.requires_grad
    assert w.grad.norm().item() == pytest.approx(10.0)
    np.testing.assert_array_equal(w.grad.data, [6.0, 8.0])
    w.grad.zero_()
    np.testing.assert_array_equal(w.grad.data, [0.0, 0.0])
    w.grad = nnlib.tensor([1.0, 1.0])
    w.grad = None
    assert w.grad is None


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        (np.zeros(2, np.float32), TypeError, "Tensor or None"),
        (nnlib.zeros(3), RuntimeError, r"shape \(2,\)"),
        (nnlib.zeros(2, dtype=nnlib.float64), RuntimeError, "float32"),
    ],
)
def test_grad_assignment_is_checked(value: Any, error: type, match: str) -> None:
    w = nnlib.tensor([3.0, 4.0], requires_grad=True)
    with pytest.raises(error, match=match):
        w.grad = value
    assert w.grad is None


# -------------------------------------------------------------------------- module hooks
def _pair() -> tuple[Any, Any]:
    nnlib.manual_seed(0)
    ours = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)).double()
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2))
    theirs = theirs.double()
    with torch.no_grad():
        for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
            q.copy_(torch.tensor(p.data))
    return ours, theirs


def _np(t: Any) -> Any:
    if t is None:
        return None
    return t.data.copy() if isinstance(t, nnlib.Tensor) else t.detach().numpy().copy()


def _record(net: Any, x: Any) -> dict[str, list[Any]]:
    seen: dict[str, list[Any]] = {"forward": [], "backward": [], "pre": []}
    handles = []
    for m in net:
        handles.append(m.register_forward_pre_hook(lambda m, a: seen["pre"].append(_np(a[0]))))
        handles.append(m.register_forward_hook(lambda m, a, o: seen["forward"].append(_np(o))))
        handles.append(
            m.register_full_backward_hook(
                lambda m, gi, go: seen["backward"].append((_np(gi[0]), _np(go[0])))
            )
        )
    net(x).sum().backward()
    for h in handles:
        h.remove()
    net(x).sum().backward()  # removed: nothing more is recorded
    return seen


def test_hooks_see_what_pytorch_hooks_see() -> None:
    ours, theirs = _pair()
    x = np.random.default_rng(0).standard_normal((5, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns about hooks on a leaf-free input
        a = _record(ours, nnlib.tensor(x))
        b = _record(theirs, torch.tensor(x))
    for key in ("pre", "forward"):
        assert len(a[key]) == len(b[key]) == 3
        for u, v in zip(a[key], b[key], strict=True):
            np.testing.assert_allclose(u, v, rtol=1e-12)
    assert len(a["backward"]) == len(b["backward"]) == 3
    for (gi, go), (ti, to) in zip(a["backward"], b["backward"], strict=True):
        np.testing.assert_allclose(go, to, rtol=1e-12)
        if ti is None:
            assert gi is None  # the first layer's input needs no gradient
        else:
            np.testing.assert_allclose(gi, ti, rtol=1e-12)


def test_hooks_may_replace_output_and_grad_input() -> None:
    layer = nn.Linear(2, 2)
    h = layer.register_forward_hook(lambda m, a, o: o * 0.0)
    assert not layer(nnlib.ones(1, 2)).data.any()
    h.remove()
    x = nnlib.ones(1, 2, requires_grad=True)
    relu = nn.ReLU()
    relu.register_full_backward_hook(lambda m, gi, go: (gi[0] * 10.0,))
    relu(x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[10.0, 10.0]])


def test_a_hook_must_be_callable() -> None:
    with pytest.raises(TypeError, match="help: "):
        nn.Linear(2, 2).register_forward_hook(None)  # type: ignore[arg-type]


# Operations whose backward rule reads their own result (PyTorch saves the output): changing
# that result in place before backward() must raise in both libraries, not give a wrong
# gradient.
OUTPUT_SAVING_OPS = {
    "exp": (lambda lib, t: t.exp()),
    "tanh": (lambda lib, t: lib.tanh(t)),
    "sigmoid": (lambda lib, t: lib.sigmoid(t)),
    "sqrt": (lambda lib, t: lib.sqrt(t)),
    "relu": (lambda lib, t: lib.relu(t)),
    "softmax": (lambda lib, t: (nnlib.nn.functional if lib is nnlib else torch).softmax(t, dim=0)),
}


@pytest.mark.parametrize("name", list(OUTPUT_SAVING_OPS))
def test_changing_a_saved_result_in_place_raises_as_in_pytorch(name: str) -> None:
    op = OUTPUT_SAVING_OPS[name]
    verdicts = {}
    for lib in (nnlib, torch):
        x = lib.tensor([0.5, 1.0, 2.0], requires_grad=True)
        y = op(lib, x)
        with lib.no_grad():
            y += 1.0
        try:
            y.sum().backward()
            verdicts[lib.__name__] = "accept"
        except RuntimeError as err:
            verdicts[lib.__name__] = "refuse"
            if lib is nnlib:
                assert "modified by an inplace operation" in str(err)
                assert "\nhelp: " in str(err)
                assert x.grad is None  # a refused pass changes no gradient
    assert verdicts == {"nnlib": "refuse", "torch": "refuse"}


def test_an_unchanged_saved_result_still_gives_the_right_gradient() -> None:
    x = nnlib.tensor([0.5, 1.0, 2.0], dtype=nnlib.float64, requires_grad=True)
    nnlib.tanh(x).sum().backward()
    tx = torch.tensor([0.5, 1.0, 2.0], dtype=torch.float64, requires_grad=True)
    torch.tanh(tx).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12)
