"""Chapter 10's demos and progress bar: the pure views, the diagnosis rules, the live widgets."""

import math

import numpy as np
import pytest

from nnlib.widgets import DEMOS, diagnose, progress
from nnlib.widgets.progressbar import Progress
from nnlib.widgets.recipe import (
    JUDGEMENT_DECAYS,
    JUDGEMENT_LRS,
    PREDICTION_EPOCHS,
    PREDICTION_LRS,
    fixed_batch_predictions,
    judgement_curves,
    prediction_snapshots,
    recipe_judgement,
)


# ------------------------------------------------------------------------ diagnose
@pytest.mark.parametrize(
    ("train", "val", "verdict"),
    [
        ([2.0, 1.0, np.nan], [2.0, 1.0, 1.0], "diverged"),
        ([2.0, 1.0, 2.5], [2.0, 1.0, 2.5], "diverged"),
        ([1.0, 0.1, 0.5, 0.4], [1.0, 0.2, 0.5, 0.4], "diverged"),  # a 5-fold jump
        (np.linspace(2.2, 1.0, 10), np.linspace(2.2, 1.1, 10), "underfitting"),
        (np.linspace(0.4, 0.01, 10), [0.5, 0.3, 0.2, 0.2, 0.22, 0.25, 0.3, 0.35, 0.4, 0.45],
         "overfitting"),
        (np.geomspace(0.9, 0.1, 10), np.geomspace(0.9, 0.15, 10), "still learning"),
        (np.full(10, 0.01), np.full(10, 0.3), "gap"),
        (np.full(10, 0.05), np.full(10, 0.1), "good fit"),
    ],
)  # fmt: skip
def test_diagnose_names_each_row_of_the_table(train, val, verdict):
    assert diagnose(train, val).startswith(verdict)


def test_diagnose_uses_the_initial_loss():
    flat = np.full(5, 3.0)
    assert diagnose(flat, flat).startswith("diverged")  # above ln 10
    assert diagnose(flat, flat, initial=math.log(100)).startswith("underfitting")


# ----------------------------------------------------------- demo 1: the judgement
def test_judgement_verdicts_span_the_table():
    verdicts = {
        (lr, wd): judgement_curves(lr, wd).verdict.split(":")[0]
        for lr in JUDGEMENT_LRS
        for wd in JUDGEMENT_DECAYS
    }
    assert verdicts[1e-4, 0.0] == "underfitting"
    assert verdicts[1e-1, 0.0] == "overfitting"
    assert verdicts[3e-1, 0.0] == "diverged"
    assert verdicts[3e-1, 1.0] != "diverged"  # weight decay tames the high rate
    assert len(set(verdicts.values())) >= 4


def test_judgement_view_is_deterministic_and_measured_every_five_steps():
    a, b = judgement_curves(1e-2, 0.3), judgement_curves(1e-2, 0.3)
    np.testing.assert_array_equal(a.train, b.train)
    assert a.steps[0] == 5 and len(a.steps) == len(a.train) == len(a.val) == 20


def test_judgement_widget_redraws_and_is_deterministic():
    demo = recipe_judgement()
    assert "recipe_judgement" in DEMOS
    first = demo.image.value
    assert first[:4] == b"\x89PNG"
    demo.controls["lr"].value = 0.3
    assert demo.data.verdict.startswith("diverged")
    second = demo.image.value
    assert second != first
    demo.controls["weight_decay"].value = 1.0
    assert demo.data.weight_decay == 1.0 and demo.image.value != second
    again = recipe_judgement()
    again.controls["lr"].value = 0.3
    assert again.image.value == second


# ----------------------------------------------------------- demo 2: a fixed batch
def test_prediction_snapshots_start_uniformish_and_learn():
    start = prediction_snapshots(3e-3, 0)
    assert start.probs.shape == (8, 10) and start.images.shape == (8, 8, 8)
    np.testing.assert_allclose(start.probs.sum(axis=1), 1.0)
    end = prediction_snapshots(3e-3, max(PREDICTION_EPOCHS))
    assert end.val_accuracy > 0.9 > start.val_accuracy
    assert (end.probs.argmax(axis=1) == end.labels).sum() >= 7
    assert list(start.labels) == list(range(8))  # the first of each digit 0-7


def test_prediction_widget_moves_through_epochs():
    demo = fixed_batch_predictions()
    assert "fixed_batch_predictions" in DEMOS
    first = demo.image.value
    demo.controls["epoch"].value = 6
    assert demo.data.epoch == 6 and demo.image.value != first
    demo.controls["lr"].value = PREDICTION_LRS[0]
    assert demo.data.lr == PREDICTION_LRS[0]


# -------------------------------------------------------------------- progress bar
def test_progress_outside_ipython_yields_everything_and_prints_nothing(capsys, monkeypatch):
    # Other tests in the same process may have started an IPython shell: this one is about
    # a plain script, so say there is none.
    monkeypatch.setattr("nnlib.widgets.progressbar._in_ipython", lambda: False)
    bar = progress(range(7), desc="epochs")
    assert list(bar) == list(range(7))
    assert capsys.readouterr().out == ""
    assert bar.text().startswith("epochs [" + "#" * 24 + "] 7/7")


def test_progress_text_has_no_time_and_shows_the_postfix():
    bar = Progress(range(4), desc="runs")
    for _ in bar:
        bar.set_postfix(loss=0.123456, epoch=3)
    assert bar.text() == "runs [########################] 4/4 loss=0.1235, epoch=3"
    html = bar._html()
    assert '<progress value="4" max="4"' in html and "it/s" not in html and ":" not in bar.desc


def test_progress_without_a_length():
    bar = progress(iter("abc"))
    assert list(bar) == ["a", "b", "c"]
    assert bar.text() == "3 done"
    with pytest.raises(TypeError):
        len(bar)


def test_progress_in_ipython_updates_one_display(monkeypatch):
    """In a kernel the bar is one display, updated in place (at most REDRAWS + 1 times)."""
    import nnlib.widgets.progressbar as module

    shown, updates = [], []

    class Handle:
        def update(self, obj, raw=False):
            updates.append(obj)

    def fake_display(obj, raw=False, display_id=False):
        shown.append(obj)
        return Handle()

    monkeypatch.setattr(module, "_in_ipython", lambda: True)
    monkeypatch.setattr("IPython.display.display", fake_display)
    list(progress(range(100), desc="epochs"))
    assert len(shown) == 1 and shown[0]["text/plain"].endswith("0/100")
    assert 2 <= len(updates) <= module.REDRAWS + 1
    assert updates[-1]["text/plain"].endswith("100/100")
