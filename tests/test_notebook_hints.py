"""What a learner sees in a kernel: whose ✓ it is, and what to run before a NameError.

The unit tests simulate IPython (a fake ``IPython`` module whose shell holds the running
cell's source); the last test starts a real kernel (ipykernel, as Jupyter, Colab, nbclient
and nbval use) and checks both behaviours there.
"""

from __future__ import annotations

import sys
import types

import numpy as np
import pytest

import nnlib
from nnlib import _notebook
from nnlib.exercises import check_neuron_forward, check_numerical_gradient
from nnlib.exercises.report import current_cell_source, label_reference, present
from tests.test_exercises_ch02_backprop import fd

SOLUTION = "# @title Solution\ndef neuron_forward(X, w, b):\n    ...\n"


def neuron_forward(X, w, b):
    return 1.0 / (1.0 + np.exp(-(X @ w + b)))


class FakeKernel:
    def __init__(self, code: str) -> None:
        self.code = code

    def get_parent(self, channel: str = "shell") -> dict:
        return {"header": {"msg_type": "execute_request"}, "content": {"code": self.code}}


class FakeShell:
    def __init__(self, code: str | None = None, history: list[str] | None = None) -> None:
        if code is not None:
            self.kernel = FakeKernel(code)
        self.history_manager = types.SimpleNamespace(input_hist_raw=history or [""])
        self.execution_count = len(self.history_manager.input_hist_raw) - 1
        self.custom_exceptions: tuple = ()
        self.shown: list = []

    def set_custom_exc(self, exc_tuple, handler):
        self.custom_exceptions = exc_tuple
        self.handler = handler

    def showtraceback(self, exc_tuple, tb_offset=None, running_compiled_code=False):
        self.shown.append(exc_tuple)


@pytest.fixture
def ipython(monkeypatch: pytest.MonkeyPatch):
    """Install a fake IPython whose shell is the one the test sets."""
    module = types.ModuleType("IPython")
    holder: dict = {"shell": None}
    module.get_ipython = lambda: holder["shell"]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython", module)
    return holder


# ------------------------------------------------------------------ whose ✓ it is
def test_outside_ipython_the_verdict_is_unchanged(capsys, monkeypatch) -> None:
    monkeypatch.delitem(sys.modules, "IPython", raising=False)
    assert current_cell_source() is None
    check_neuron_forward(neuron_forward)
    out = capsys.readouterr().out
    assert out.startswith("✓ neuron_forward: correct on all 4 cases (")
    assert "Your neuron computes" in out


def test_a_solution_cell_labels_the_verdict(ipython, capsys) -> None:
    ipython["shell"] = FakeShell(SOLUTION)
    check_neuron_forward(neuron_forward)
    out = capsys.readouterr().out
    assert out.startswith("✓ reference solution — neuron_forward: correct on all 4 cases (")
    assert "The reference solution's neuron computes σ(X·w + b)" in out
    assert "Your" not in out and "your" not in out


def test_an_exercise_cell_is_not_labelled(ipython, capsys) -> None:
    ipython["shell"] = FakeShell("from nnlib.exercises import check_neuron_forward\n")
    check_neuron_forward(neuron_forward)
    assert capsys.readouterr().out.startswith("✓ neuron_forward: correct")
    check_neuron_forward(lambda X, w, b: ...)
    assert capsys.readouterr().out.startswith("○ neuron_forward: not attempted yet.")


def test_terminal_ipython_uses_the_history(ipython, capsys) -> None:
    ipython["shell"] = FakeShell(history=["", "import nnlib", SOLUTION])
    assert current_cell_source() == SOLUTION
    check_neuron_forward(neuron_forward)
    assert capsys.readouterr().out.startswith("✓ reference solution — neuron_forward")
    # A history that is not the current execution's (store_history=False) is not used.
    stale = FakeShell(history=["", SOLUTION])
    stale.execution_count = 5
    ipython["shell"] = stale
    assert current_cell_source() is None


def test_every_success_line_reads_well_as_the_references(ipython) -> None:
    ipython["shell"] = FakeShell(SOLUTION)
    from nnlib.exercises import ch01, ch02, ch03, ch04, ch05

    checkers = [
        obj
        for module in (ch01, ch02, ch03, ch04, ch05)
        for obj in vars(module).values()
        if type(obj).__name__ == "Checker"
    ]
    assert len(checkers) >= 15
    for checker in checkers:
        text = label_reference(f"✓ {checker.title}: correct on all 1 cases (a). {checker.success}")
        assert "Your" not in text and "your" not in text and "You " not in text, text
    assert (
        present("✗ f: wrong\n  hint: your x") == "✗ reference solution — f: wrong\n  hint: your x"
    )


def test_check_numerical_gradient_is_labelled_too(ipython, capsys) -> None:
    ipython["shell"] = FakeShell(SOLUTION)

    check_numerical_gradient(fd)
    out = capsys.readouterr().out
    assert out.startswith("✓ reference solution — numerical_gradient: correct"), out
    assert "The reference solution's central differences" in out


# ------------------------------------------------------------------ the NameError hint
def test_with_hint_adds_one_line_to_a_name_error_only() -> None:
    err = _notebook.with_hint(NameError("name 'X_xor' is not defined", name="X_xor"))
    first, second = str(err).split("\n")
    assert first == "name 'X_xor' is not defined"
    assert second.startswith("`X_xor` is not defined yet: if an earlier cell")
    assert "Run All Above Selected Cell" in second and "Runtime ▸ Run before" in second
    assert str(_notebook.with_hint(err)).count("not defined yet") == 1  # idempotent
    local = UnboundLocalError("cannot access local variable 'x'")
    assert str(_notebook.with_hint(local)) == "cannot access local variable 'x'"


def test_the_hint_registers_once_and_comes_off(ipython) -> None:
    assert nnlib.name_hint_on() is False or ipython["shell"] is not None  # no shell: False
    shell = FakeShell("x")
    ipython["shell"] = shell
    assert nnlib.name_hint_on() is True
    assert shell.custom_exceptions == (NameError,)
    handler = shell.handler
    assert nnlib.name_hint_on() is True and shell.handler is handler  # once
    err = NameError("name 'y_moons' is not defined", name="y_moons")
    handler(shell, NameError, err, None)
    assert shell.shown and "`y_moons` is not defined yet" in str(shell.shown[0][1])
    nnlib.name_hint_off()
    assert shell.custom_exceptions == ()
    # Another tool's handler is never replaced.
    other = FakeShell("x")
    other.custom_exceptions = (KeyError,)
    ipython["shell"] = other
    assert nnlib.name_hint_on() is False and other.custom_exceptions == (KeyError,)


@pytest.mark.slow
def test_in_a_real_kernel() -> None:
    """Under ipykernel: the label, the hint, and every other error shown as before."""
    jupyter_client = pytest.importorskip("jupyter_client")
    km, kc = jupyter_client.manager.start_new_kernel(kernel_name="python3")
    try:

        def run(code: str) -> tuple[str, dict]:
            msg_id = kc.execute(code)
            text, error = "", {}
            while True:
                msg = kc.get_iopub_msg(timeout=60)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                kind, content = msg["msg_type"], msg["content"]
                if kind == "stream":
                    text += content["text"]
                elif kind == "error":
                    error = content
                elif kind == "status" and content["execution_state"] == "idle":
                    return text, error

        _, error = run("X_early")
        assert error["ename"] == "NameError" and "not defined yet" not in error["evalue"]
        run("import numpy as np\nimport nnlib\nfrom nnlib.exercises import check_neuron_forward")
        _, error = run("X_xor.shape")
        assert error["ename"] == "NameError"
        assert error["evalue"].startswith("name 'X_xor' is not defined\n`X_xor` is not defined")
        assert "Run All Above Selected Cell" in "".join(error["traceback"])
        _, error = run("1 / 0")
        assert error["ename"] == "ZeroDivisionError" and error["evalue"] == "division by zero"
        _, error = run("def f():\n    print(v)\n    v = 1\nf()")
        assert error["ename"] == "UnboundLocalError" and "not defined yet" not in error["evalue"]
        forward = "def neuron_forward(X, w, b):\n    return 1 / (1 + np.exp(-(X @ w + b)))\n"
        out, _ = run("# @title Solution\n" + forward + "check_neuron_forward(neuron_forward)")
        assert out.startswith("✓ reference solution — neuron_forward: correct"), out
        out, _ = run(forward + "check_neuron_forward(neuron_forward)")
        assert out.startswith("✓ neuron_forward: correct"), out
        run("nnlib.name_hint_off()")
        _, error = run("X_xor")
        assert error["evalue"] == "name 'X_xor' is not defined"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


# ------------------------------------------------------------------ smaller items of issue 13
def test_a_called_function_gets_the_real_checker_name(capsys) -> None:
    from nnlib.exercises import check_xor_network

    check_neuron_forward(neuron_forward(np.ones((2, 2)), np.ones(2), 0.0))
    assert "`check_neuron_forward(neuron_forward)`" in capsys.readouterr().out
    check_xor_network(3.0)
    assert "`check_xor_network(xor_net)`" in capsys.readouterr().out


class _ForgotToSave(nnlib.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return nnlib.log(1 + nnlib.exp(x))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * nnlib.sigmoid(x)


class _OffByTwo(_ForgotToSave):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return nnlib.log(1 + nnlib.exp(x))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 2 * nnlib.sigmoid(x)


class _NotAFactor(_OffByTwo):
    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * (nnlib.sigmoid(x) + x * 0.3)


def _softplus(x):
    return np.log1p(np.exp(x))


def test_a_forgotten_save_for_backward_gets_a_hint() -> None:
    from nnlib.exercises.ch02 import evaluate_backward_rule

    verdict = evaluate_backward_rule(_ForgotToSave, _softplus, ((3, 4),), -2.0, 2.0)
    assert "not enough values to unpack" in verdict.text
    assert "forward must call ctx.save_for_backward(x)" in verdict.hint


def test_the_constant_factor_hint_only_when_the_ratio_is_constant() -> None:
    from nnlib.exercises.ch02 import evaluate_backward_rule

    twice = evaluate_backward_rule(_OffByTwo, _softplus, ((3, 4),), -2.0, 2.0).text
    assert "a constant factor off points at a missing 2 or 1/n" in twice
    other = evaluate_backward_rule(_NotAFactor, _softplus, ((3, 4),), -2.0, 2.0).text
    assert other.startswith("✗ _NotAFactor: backward disagrees"), other
    assert "constant factor" not in other
