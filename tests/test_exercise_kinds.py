"""Every exercise says what kind of thinking it asks for, and no chapter only transcribes.

Each exercise cell carries ``metadata["exercise-kind"]``: ``build``, ``debug``, ``predict``,
``derive`` or ``transcribe`` (a formula the text has just given, turned into code). The
syllabus asks every chapter for at least two exercises that are not transcriptions.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
KINDS = {"build", "debug", "predict", "derive", "transcribe"}
CHAPTERS = sorted(p for p in BOOK.glob("[0-9][0-9]_*.ipynb") if not p.name.startswith("00_"))


def _exercise_cells(path: Path) -> list[dict]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [c for c in cells if "exercise" in c.get("metadata", {}).get("tags", [])]


def test_the_chapters_are_found() -> None:
    assert len(CHAPTERS) >= 5


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_exercise_has_a_kind(path: Path) -> None:
    for cell in _exercise_cells(path):
        kind = cell["metadata"].get("exercise-kind")
        assert kind in KINDS, f"{path.name} cell {cell['id']}: exercise-kind {kind!r}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_at_least_four_exercises_two_of_them_not_transcriptions(path: Path) -> None:
    kinds = Counter(c["metadata"].get("exercise-kind") for c in _exercise_cells(path))
    assert sum(kinds.values()) >= 4, kinds
    assert sum(n for k, n in kinds.items() if k != "transcribe") >= 2, kinds
