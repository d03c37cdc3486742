"""The "Taught in chapter N (Title)" tags in nnlib name chapters that exist, by their titles.

A chapter's title is the first heading of its notebook, ``# N. Title``, for each notebook in
``_toc.yml``. A tag (``Taught in``, ``Taught from``, ``Used in`` and a chapter, or ``and`` and
another) names the chapter by its title in parentheses, optionally with a section after a
colon, ``chapter 4 (Loss functions: Gaussian NLL)``; letter case is free, so the tag reads as
part of a sentence. Any other mention of a chapter in nnlib's source (``Chapter 5's demo``)
must name one that exists, and its title if it gives one in parentheses.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TAG = re.compile(r"\bchapters?\s+(\d+)(?:\s*[-–]\s*(\d+))?(?:\s+\(([^)]*)\))?", re.IGNORECASE)
# What comes just before a chapter mention that is a tag, and so must give the title.
TAG_LEAD = re.compile(r"(?:Taught\s+(?:in|from)|Used\s+in|\band)\s+$")


def chapter_titles() -> dict[int, str]:
    """Chapter number -> title, from the first heading of each notebook in ``_toc.yml``."""
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    titles = {}
    for name in re.findall(r"file:\s*(book/\d\d_[\w-]+)", toc):
        notebook = json.loads((ROOT / f"{name}.ipynb").read_text(encoding="utf-8"))
        text = "\n".join(
            "".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown"
        )
        heading = re.search(r"^# (\d+)\. (.+)$", text, re.MULTILINE)
        assert heading, f"{name}.ipynb has no '# N. Title' heading"
        titles[int(heading[1])] = heading[2].strip()
    return titles


TITLES = chapter_titles()

#: Tags still wrong in the demo framework, being rewritten on another branch: (file, tag)
#: -> how many. Fix them there and delete their line here; a new wrong tag fails at once.
NOT_YET_FIXED = {
    ("nnlib/widgets/__init__.py", "chapter 1"): 1,
    ("nnlib/widgets/demo.py", "chapter 1"): 3,
    ("nnlib/widgets/xor.py", "chapter 1 (the perceptron)"): 2,
}


def tag_problems(text: str, titles: dict[int, str] = TITLES) -> list[str]:
    """What is wrong with each chapter tag in ``text`` (nothing for a right one)."""
    problems = []
    for match in TAG.finditer(text):
        number, last, named = int(match[1]), int(match[2] or match[1]), match[3]
        tag = " ".join(match[0].split())
        missing = [n for n in (number, last) if n not in titles]
        if missing:
            problems.append(
                f"{tag!r}: there is no chapter {missing[0]} (chapters: {sorted(titles)})"
            )
            continue
        title = titles[number]
        is_tag = TAG_LEAD.search(text[max(0, match.start() - 20) : match.start()])
        if named is None and not is_tag:
            continue  # prose, e.g. "Chapter 5's demo"
        if named is None or " ".join(named.split(":")[0].split()).lower() != title.lower():
            problems.append(f"{tag!r}: name it by its title, 'chapter {number} ({title})'")
    return problems


def test_the_titles_come_from_the_notebooks() -> None:
    assert TITLES[1] == "The perceptron and the artificial neuron"
    assert TITLES[4] == "Loss functions"
    assert len(TITLES) == len(list(ROOT.glob("book/[0-9][0-9]_*.ipynb")))


def test_a_wrong_tag_is_reported() -> None:
    assert tag_problems("Taught in chapter 4 (loss functions).") == []
    assert tag_problems("Taught in chapter 4 (Loss functions: Gaussian NLL).") == []
    assert (
        tag_problems("Taught in chapter 1 (the perceptron\n    and the artificial neuron).") == []
    )
    assert len(tag_problems("Taught in chapter 4 (optimizers).")) == 1
    assert len(tag_problems("Taught in chapter 1 (the perceptron).")) == 1
    assert "no chapter 19" in tag_problems("Taught in chapter 19 (attention).")[0]
    assert len(tag_problems("Taught from chapter 1 on.")) == 1
    assert len(tag_problems("used by chapters 1-11")) == 1  # there is no chapter 11
    assert tag_problems("Chapter 5's demo.") == []  # prose may name a chapter by number
    assert len(tag_problems("Chapter 12's demo.")) == 1
    assert len(tag_problems("Taught in chapter 1 (the perceptron and the artificial neuron) "
                            "and chapter 3.")) == 1  # fmt: skip


def test_every_chapter_tag_in_nnlib_names_an_existing_chapter_by_its_title() -> None:
    wrong: Counter[tuple[str, str]] = Counter()
    messages = {}
    tags = 0
    for path in sorted((ROOT / "nnlib").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        tags += len(TAG.findall(text))
        for problem in tag_problems(text):
            key = (str(path.relative_to(ROOT)), problem.split("'")[1])
            wrong[key] += 1
            messages[key] = problem
    assert tags > 100, "the tag pattern no longer finds nnlib's chapter tags"
    new = {key: n - NOT_YET_FIXED.get(key, 0) for key, n in wrong.items()}
    new = {key: n for key, n in new.items() if n > 0}
    assert not new, "\n".join(f"{path}: {messages[path, tag]}" for path, tag in new)
    fixed = {key: n for key, n in NOT_YET_FIXED.items() if wrong[key] < n}
    assert not fixed, f"fixed (well done): lower or delete these lines of NOT_YET_FIXED: {fixed}"
