"""Shared test helpers (append your own below; do not rewrite other sections)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

import nnlib
from nnlib import Tensor

# ----------------------------------------------------------------- core: PyTorch parity
#: Tolerances for float64 comparisons against PyTorch.
RTOL = 1e-10
ATOL = 1e-12


def assert_close(actual: Any, expected: Any, rtol: float = RTOL, atol: float = ATOL) -> None:
    """``assert_allclose`` that accepts nnlib tensors, torch tensors and arrays alike."""
    np.testing.assert_allclose(to_numpy(actual), to_numpy(expected), rtol=rtol, atol=atol)


def to_numpy(x: Any) -> np.ndarray:
    """The values of an nnlib tensor, a torch tensor or anything array-like, as an array."""
    if isinstance(x, Tensor):
        return x.data
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def rand_array(rng: np.random.Generator, shape: Sequence[int], low: float | None = None,
               high: float | None = None) -> np.ndarray:  # fmt: skip
    """Standard-normal float64 values, or uniform in ``[low, high)`` when both are given."""
    if low is None or high is None:
        return rng.standard_normal(tuple(shape))
    return rng.uniform(low, high, size=tuple(shape))


def check_parity(
    nn_fn: Callable[..., Tensor],
    torch_fn: Callable[..., torch.Tensor],
    *arrays: Any,
    requires_grad: bool | Sequence[bool] = True,
    seed: int = 0,
    rtol: float = RTOL,
    atol: float = ATOL,
) -> tuple[Tensor, list[Tensor]]:
    """Run the same computation in nnlib and in torch (float64) and compare everything.

    Compares the output values, shape and dtype, then backpropagates the same random
    upstream gradient through both (a vector-Jacobian product, which checks the whole
    Jacobian better than ``.sum().backward()`` would) and compares every leaf's gradient.

    Returns:
        The nnlib output and the nnlib leaves, for further checks.
    """
    arrays = tuple(np.array(a, dtype=np.float64) for a in arrays)
    flags = [requires_grad] * len(arrays) if isinstance(requires_grad, bool) else requires_grad
    xs = [nnlib.tensor(a, requires_grad=f) for a, f in zip(arrays, flags, strict=True)]
    ts = [torch.tensor(a, requires_grad=f) for a, f in zip(arrays, flags, strict=True)]
    out = nn_fn(*xs)
    tout = torch_fn(*ts)
    assert isinstance(out, Tensor), type(out)
    assert out.shape == tuple(tout.shape), (out.shape, tuple(tout.shape))
    assert out.dtype == np.float64, out.dtype
    assert_close(out, tout, rtol, atol)
    if not any(flags):
        return out, xs
    assert out.requires_grad
    g = np.random.default_rng(seed).standard_normal(out.shape)
    out.backward(g)
    tout.backward(torch.tensor(g))
    for i, (x, t) in enumerate(zip(xs, ts, strict=True)):
        if not flags[i]:
            assert x.grad is None
            continue
        expected = np.zeros_like(x.data) if t.grad is None else t.grad.numpy()
        assert x.grad is not None, f"input {i} got no gradient"
        assert isinstance(x.grad, Tensor), type(x.grad)
        assert x.grad.shape == x.shape, (i, x.grad.shape, x.shape)
        assert x.grad.dtype == x.dtype, (i, x.grad.dtype)
        np.testing.assert_allclose(x.grad, expected, rtol=rtol, atol=atol,
                                   err_msg=f"gradient of input {i}")  # fmt: skip
    return out, xs


# ------------------------------------------------- activations, layers, init, clip_grad
def to_torch(x: Any, requires_grad: bool = False) -> torch.Tensor:
    """A float64 (or the array's own dtype) torch copy of an nnlib tensor or an array."""
    arr = np.array(to_numpy(x))
    return torch.tensor(arr, requires_grad=requires_grad)


def copy_params_to_torch(module: Any, torch_module: torch.nn.Module) -> torch.nn.Module:
    """Load an nnlib module's ``state_dict`` into a torch module (in float64) and return it."""
    torch_module.double()
    state = {k: torch.tensor(v, dtype=torch.float64) for k, v in module.state_dict().items()}
    torch_module.load_state_dict(state)
    return torch_module


def assert_bad_input(exc: type[Exception], where: str | None, call: Callable[..., Any],
                     *args: Any, **kwargs: Any) -> str:  # fmt: skip
    """Check that ``call(*args, **kwargs)`` raises ``exc`` with nnlib's three-part message.

    The message starts with ``where`` and what was expected (``"matmul: expected ..."``),
    says what it got, and ends with a ``help:`` line. ``where=None`` checks the ``help:``
    line only, for the few messages that keep PyTorch's own wording.

    Returns:
        The message, for further checks.
    """
    import pytest

    with pytest.raises(exc) as info:
        call(*args, **kwargs)
    message = str(info.value)
    if where is not None:
        assert message.startswith(f"{where}:"), message  # names the function
        assert message.startswith(f"{where}: expected "), message  # then what it expected
        assert "got" in message, message
    assert "\nhelp: " in message, message
    return message


# ------------------------------------------------------------------ exercise checkers
#: A test file's table of checkers: each ``Checker`` maps to its public ``check_*`` function,
#: a right implementation and the wrong ones, each ``(wrong, hint)`` (the verdict fails with
#: that hint) or ``(wrong, hint, "error")`` (the wrong code raises; the hint explains it).
Battery = dict[Any, tuple[Callable[..., None], Callable[..., Any], list[tuple[Any, ...]]]]


def stub_ellipsis(*args: Any) -> None: ...


def stub_pass(*args: Any) -> None:
    pass


def stub_raises(*args: Any) -> None:
    raise NotImplementedError


def stub_lambda(*args: Any) -> Any:
    return ...


#: The shapes an untouched exercise stub takes: ``...``, ``pass``, ``raise
#: NotImplementedError``, and a ``lambda *args: ...`` (which returns Ellipsis, not None).
STUBS = (stub_ellipsis, stub_pass, stub_raises, stub_lambda)


def crashing(*args: Any) -> None:
    values = [np.asarray(a) for a in args]
    raise ValueError(f"boom with {len(values)} arguments")


def battery_params(battery: Battery, argnames: Sequence[str]) -> tuple[list[Any], list[str]]:
    """Parameters and ids for one ``CheckerBattery`` test, from the fixtures it asks for."""
    import pytest

    if "wrong" in argnames:
        params, ids = [], []
        for checker, (_, _, wrongs) in battery.items():
            for i, (wrong, hint, *status) in enumerate(wrongs):
                expected_status = status[0] if status else "failed"
                params.append(pytest.param(checker, wrong, hint, expected_status))
                ids.append(f"{checker.title}-{i}")
        return params, ids
    checkers = list(battery)
    if "stub" in argnames:
        pairs = [(c, s) for c in checkers for s in STUBS]
        ids = [f"{c.title}-{s.__name__}" for c, s in pairs]
        return [pytest.param(c, s) for c, s in pairs], ids
    return checkers, [c.title for c in checkers]


class CheckerBattery:
    """The tests every exercise checker passes, driven by a test file's ``BATTERY`` table.

    A test file declares its table and subclasses this class::

        class TestCheckers(CheckerBattery):
            BATTERY = {_MSE: (check_mse, mse_right, [(mse_sum, "times too large"), ...])}

    ``tests/conftest.py`` parametrizes each test over the table (see :func:`battery_params`):
    the right implementation passes and prints one ✓ line; each wrong one fails (or, marked
    ``"error"``, crashes) with its hint; every stub is "not attempted yet"; a crash is
    summarised, never raised; two runs print the same text.
    """

    BATTERY: Battery = {}  # noqa: RUF012 (each subclass replaces the table)

    def test_right_implementation_is_accepted(self, checker: Any, capsys: Any) -> None:
        check, right, _ = self.BATTERY[checker]
        verdict = checker.evaluate(right)
        assert verdict.passed, verdict.text
        check(right)
        out = capsys.readouterr().out
        assert out.startswith(f"✓ {checker.title}: correct on all")
        assert out.count("\n") == 1  # one line, one verdict

    def test_wrong_implementation_is_rejected_with_its_hint(
        self, checker: Any, wrong: Any, hint: str, status: str
    ) -> None:
        with np.errstate(divide="ignore", invalid="ignore"):
            verdict = checker.evaluate(wrong)
        assert verdict.status == status, verdict.text
        assert verdict.text.startswith(f"✗ {checker.title}")
        assert hint in verdict.hint, verdict.text
        assert "\n  hint: " in verdict.text

    def test_wrong_answers_show_input_expected_and_got(self, checker: Any) -> None:
        value_mistakes = [w for w, h, *_ in self.BATTERY[checker][2] if "in place" not in h]
        verdict = checker.evaluate(value_mistakes[0])
        assert "  input:    " in verdict.text
        if verdict.status == "failed" and "return 2 values" not in verdict.hint:
            assert "expected" in verdict.text and "got" in verdict.text

    def test_untouched_stub_is_not_attempted_yet(self, checker: Any, stub: Any, capsys: Any):
        self.BATTERY[checker][0](stub)
        out = capsys.readouterr().out
        assert out.startswith(f"○ {checker.title}: not attempted yet.")
        assert checker.evaluate(stub).status == "not attempted"

    def test_crash_is_summarised_not_raised(self, checker: Any, capsys: Any) -> None:
        assert checker.evaluate(crashing).status == "error"
        self.BATTERY[checker][0](crashing)  # must not raise
        out = capsys.readouterr().out
        assert out.startswith(f"✗ {checker.title}: your code raised an error on case 1")
        assert "error:    ValueError: boom with" in out
        assert "line" in out and "of your code, in crashing: raise ValueError(" in out

    def test_output_is_deterministic(self, checker: Any, capsys: Any) -> None:
        check, right, battery = self.BATTERY[checker]
        texts = []
        for _ in range(2):
            for fn in (right, battery[0][0], stub_ellipsis, crashing):
                check(fn)
            texts.append(capsys.readouterr().out)
        assert texts[0] == texts[1]
        assert "0x" not in texts[0]


# ------------------------------------------------ normalisation layers (BatchNorm2d, ...)
def randomize_affine(module: Any, rng: np.random.Generator) -> None:
    """Give a norm layer's weight and bias (where it has them) random values."""
    for p in module.parameters():
        p.data[...] = rng.standard_normal(p.data.shape)


def compare_norm_layer(ours: Any, theirs: torch.nn.Module, inputs: Sequence[np.ndarray],
                       rtol: float = RTOL, atol: float = ATOL, seed: int = 0) -> None:  # fmt: skip
    """Feed the same inputs to an nnlib and a torch layer (float64) one call at a time.

    ``theirs`` gets ``ours``'s parameters and buffers first. After every call it compares
    the output, the gradients of the input and of every parameter for the same random
    upstream gradient, and every buffer (running statistics included).
    """
    copy_params_to_torch(ours, theirs)
    rng = np.random.default_rng(seed)
    for arr in inputs:
        x = nnlib.tensor(np.asarray(arr, dtype=np.float64), requires_grad=True)
        tx = torch.tensor(np.asarray(arr, dtype=np.float64), requires_grad=True)
        ours.zero_grad()
        theirs.zero_grad()
        out, tout = ours(x), theirs(tx)
        assert out.shape == tuple(tout.shape), (out.shape, tuple(tout.shape))
        assert_close(out, tout, rtol, atol)
        g = rng.standard_normal(out.shape)
        out.backward(g)
        tout.backward(torch.tensor(g))
        assert_close(x.grad, tx.grad, rtol, atol)
        t_params = dict(theirs.named_parameters())
        for name, p in ours.named_parameters():
            assert_close(p.grad, t_params[name].grad, rtol, atol)
        t_buffers = dict(theirs.named_buffers())
        for name, b in ours.named_buffers():
            assert_close(b, t_buffers[name], rtol, atol)


# ---------------------------------------------------------- learning-rate schedulers
def param_id(value: Any) -> str:
    """A parametrize id for a value that may hold functions: each function by its name,
    a callable object by its class and attributes.

    ``str`` would write a function's memory address, which differs between the test
    processes of ``pytest -n`` (they must all collect the same ids).
    """
    if callable(value):
        name = getattr(value, "__name__", None)
        if name is None:  # a callable object: its class and its attributes
            fields = ", ".join(f"{key}={param_id(item)}" for key, item in vars(value).items())
            name = f"{type(value).__name__}({fields})"
        return name
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key!r}: {param_id(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(param_id(item) for item in value) + "]"
    return str(value)


def sgd_pair(lrs: Sequence[float] = (0.1, 0.02)) -> tuple[torch.optim.SGD, Any]:
    """A torch and an nnlib SGD with one parameter group (of one float64 vector) per rate."""
    from nnlib.nn import Parameter
    from nnlib.optim import SGD

    t_params = [torch.nn.Parameter(torch.zeros(2, dtype=torch.float64)) for _ in lrs]
    t_opt = torch.optim.SGD(
        [{"params": [p], "lr": lr} for p, lr in zip(t_params, lrs, strict=True)]
    )
    n_opt = SGD([{"params": [Parameter(np.zeros(2))], "lr": lr} for lr in lrs])
    return t_opt, n_opt


def first_lines_match(make_torch: Callable[[], Any], make_nnlib: Callable[[], Any],
                      exc: type[Exception] = ValueError) -> None:  # fmt: skip
    """Both raise ``exc``; nnlib's message is torch's, then one ``help:`` line."""
    import pytest

    with pytest.raises(exc) as t_err:
        make_torch()
    with pytest.raises(exc) as n_err:
        make_nnlib()
    first, hint = str(n_err.value).split("\n")
    assert first == str(t_err.value)
    assert hint.startswith("help: ")
