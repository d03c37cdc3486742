"""Chapter 5's EWA demo: the pure view, then the live widget."""

import numpy as np
import pytest

from nnlib.exercises.ch05 import _ewa_reference
from nnlib.widgets import DEMOS
from nnlib.widgets.ewa import LENGTH, SERIES, ewa_explorer, ewa_view


def test_view_matches_the_reference_ewa():
    for name, values in SERIES.items():
        view = ewa_view(0.8, True, name)
        np.testing.assert_allclose(view.raw, _ewa_reference(values, 0.8))
        np.testing.assert_allclose(view.corrected, _ewa_reference(values, 0.8, True))
        assert view.t.tolist() == list(range(1, LENGTH + 1))


def test_raw_average_starts_biased_toward_zero_and_correction_removes_it():
    view = ewa_view(0.95, series="noisy constant")
    first10 = slice(0, 10)
    # Without correction the first averages are far below the data (about 10).
    assert view.raw[first10].mean() < 0.5 * view.values[first10].mean()
    # With it they are within the noise.
    assert abs(view.corrected[first10].mean() - view.values[first10].mean()) < 2.0
    # Late on the correction no longer matters.
    assert abs(view.raw[-1] - view.corrected[-1]) < 1e-2 * abs(view.raw[-1])


def test_window_and_beta_zero():
    assert ewa_view(0.9).window == pytest.approx(10.0)
    view = ewa_view(0.0)
    np.testing.assert_allclose(view.raw, view.values)


def test_bad_input_raises():
    with pytest.raises(ValueError, match="ewa_view"):
        ewa_view(1.0)
    with pytest.raises(ValueError, match="help:"):
        ewa_view(0.5, series="nope")


def test_widget_controls_redraw_and_are_deterministic():
    demo = ewa_explorer()
    assert "ewa_explorer" in DEMOS
    first = demo.image.value
    assert first[:4] == b"\x89PNG"
    demo.controls["bias_correction"].value = True
    assert demo.data.bias_correction is True
    second = demo.image.value
    assert second != first
    demo.controls["beta"].value = 0.5
    assert demo.data.beta == 0.5 and demo.data.window == pytest.approx(2.0)
    demo.controls["series"].value = "step at t = 50"
    np.testing.assert_array_equal(demo.data.values, SERIES["step at t = 50"])
    assert demo.image.value != second
    again = ewa_explorer()
    again.controls["bias_correction"].value = True
    assert again.image.value == second
