"""Every chapter in a learner's hands: cells run twice, sections alone, an endless loop.

For every ``book/*.ipynb`` (new chapters are picked up without a change here), in live
kernels driven by ``tools/learner_session.py``:

(a) top to bottom with every code cell run twice in a row: the second run prints the same
    text and draws the same image bytes as the first (randomness local and seeded, nothing
    an earlier cell made changed in place);
(b) each section (a ``##`` heading starts one) alone after the setup and import cells in an
    emptied kernel: every cell works, or fails with the ``NameError`` hint naming what to
    run first;
(c) an endless loop (``while True: pass``, and a loop that appends forever) as the answer
    to the chapter's first exercise: the checker reports it with the line it was on, the
    cell ends within 10 s, and the kernel grows by less than 300 MB.

The chapters run two at a time (the machine's two cores; each kernel has one BLAS thread).
"""

from __future__ import annotations

import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import learner_session  # noqa: E402

CHAPTERS = sorted((ROOT / "book").glob("*.ipynb"))
WORKERS = 2


def _session(path: Path) -> dict:
    start = time.monotonic()
    twice, loops = learner_session.run_twice(path)
    alone, hinted = learner_session.run_sections(path)
    return {"twice": twice, "alone": alone, "hinted": hinted, "loops": loops,
            "seconds": time.monotonic() - start}  # fmt: skip


@pytest.fixture(scope="module")
def sessions(monkeypatch_module: None) -> dict[str, dict]:
    """Every chapter's three sessions, run two chapters at a time."""
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        # The longest chapters first, so that the two workers finish together.
        order = sorted(CHAPTERS, key=lambda p: -p.stat().st_size)
        results = dict(zip(order, pool.map(_session, order), strict=True))
    return {path.name: results[path] for path in CHAPTERS}


@pytest.fixture(scope="module")
def monkeypatch_module():
    """Live demos, as a learner has them (not the site's static twins)."""
    mp = pytest.MonkeyPatch()
    mp.delenv("NNLIB_WIDGETS_STATIC", raising=False)
    yield None
    mp.undo()


def test_there_are_chapters() -> None:
    assert len(CHAPTERS) >= 6


@pytest.mark.slow
@pytest.mark.parametrize("name", [p.name for p in CHAPTERS])
def test_a_cell_run_twice_prints_the_same(sessions: dict[str, dict], name: str) -> None:
    problems = sessions[name]["twice"]
    assert not problems, f"{name}: re-running a cell changed it:\n" + "\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("name", [p.name for p in CHAPTERS])
def test_a_section_alone_works_or_says_what_to_run(sessions: dict[str, dict], name: str) -> None:
    problems = sessions[name]["alone"]
    assert not problems, (
        f"{name}: a cell of a section run alone failed without the NameError hint:\n"
        + "\n".join(problems)
    )


@pytest.mark.slow
@pytest.mark.parametrize("name", [p.name for p in CHAPTERS])
def test_an_endless_loop_is_stopped(sessions: dict[str, dict], name: str) -> None:
    loops = sessions[name]["loops"]
    if learner_session.first_exercise(ROOT / "book" / name) is None:
        pytest.skip(f"{name} has no exercise")
    assert [loop for loop, _, _ in loops] == list(learner_session.LOOPS)
    for loop, ran, grew in loops:
        first = ran.text.splitlines()[0] if ran.text else ""
        assert not ran.ename, f"{name}, {loop}: the cell raised {ran.ename}: {ran.evalue}"
        assert first.startswith("✗ "), f"{name}, {loop}: {ran.text!r}"
        assert "did not return within 5 s" in first or "took more than 200 MB" in first, first
        if loop == "while True: pass":
            assert "did not return within 5 s" in first and "an endless loop?" in first
        where = re.search(r"\n  where: +line \d+ of your code, in \w+: (\S.*)", ran.text)
        assert where, f"{name}, {loop}: no line of the learner's code named:\n{ran.text}"
        assert where[1].strip() in {"while True:", "pass", "grown.append(len(grown))"}, where[1]
        assert ran.seconds < 10, f"{name}, {loop}: the cell took {ran.seconds:.1f} s"
        assert grew < 300, f"{name}, {loop}: the kernel grew by {grew:.0f} MB"


@pytest.mark.slow
def test_the_session_is_timed(sessions: dict[str, dict]) -> None:
    """Not an assertion on speed (the machine may be busy): the times, for the record."""
    for name, result in sessions.items():
        print(f"{name}: {result['seconds']:.0f} s, {result['hinted']} NameError hints")
