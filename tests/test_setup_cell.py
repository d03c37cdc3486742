"""The setup cell: one source (tools/setup_cell.py), one repository address (_config.yml)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import setup_cell  # noqa: E402


def test_repository_is_named_in_one_place() -> None:
    """_config.yml names the repository; no other file of ours spells its address."""
    url = setup_cell.read_repository()["url"]
    assert url.startswith("https://github.com/")
    owner_repo = url.removeprefix("https://github.com/")
    allowed = {ROOT / "_config.yml", ROOT / "README.md"}
    offenders = []
    for folder in ("book", "tools", "binder"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in {".py", ".md", ".txt", ".yml", ".js"}:
                if owner_repo in path.read_text(encoding="utf-8") and path not in allowed:
                    offenders.append(path.relative_to(ROOT))
    assert not offenders, f"these files spell the repository address: {offenders}"


def test_setup_cell_installs_this_release_from_the_configured_repository() -> None:
    repository = setup_cell.read_repository()
    version = setup_cell.release_version()
    source = setup_cell.setup_cell_source()
    # A release tag, not a branch: Colab keeps installing the nnlib the notebook was run with.
    assert f'"git+{repository["url"]}@v{version}"' in source
    assert "@main" not in source
    assert source.startswith(setup_cell.MARKER)
    compile(source, "<setup cell>", "exec")


def test_the_release_is_the_same_in_pyproject_changelog_and_setup_cell() -> None:
    version = setup_cell.release_version()
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.findall(r"^## v(\S+)", changelog, re.MULTILINE)
    assert releases, "CHANGELOG.md lists no release"
    assert releases[0] == version, (
        f"pyproject.toml says {version}, the newest CHANGELOG.md entry is {releases[0]}"
    )
    assert f"v{version}" in setup_cell.setup_cell_source()


def test_every_chapter_opens_with_its_title_then_the_folded_setup_cell() -> None:
    chapters = sorted(ROOT.glob("book/[0-9][0-9]_*.ipynb"))
    for path in chapters:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        assert setup_cell.after_title(notebook), (
            f"{path.name}: the first cell must be the title (# ...), the second the setup "
            "cell; run `python tools/setup_cell.py --write`"
        )
        assert setup_cell.is_folded(notebook["cells"][1]), f"{path.name}: fold the setup cell"


def _run_setup_cell_without_nnlib(monkeypatch: pytest.MonkeyPatch, source: str) -> None:
    """Run the setup cell in this process as if nnlib were not installed."""
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *args: None if name == "nnlib" else real_find_spec(name, *args),
    )
    monkeypatch.setenv("NNLIB_SOURCE", source)
    exec(setup_cell.setup_cell_source(), {"__name__": "__setup_cell__"})


def test_a_failed_install_is_explained_in_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-such-checkout"
    with pytest.raises(Exception) as info:
        _run_setup_cell_without_nnlib(monkeypatch, str(missing))
    printed = capsys.readouterr().out
    assert printed.startswith(f"Installing nnlib from {missing} (about 30 s)..."), printed
    # IPython shows _render_traceback_'s lines instead of a traceback: two short lines.
    shown = info.value._render_traceback_()
    assert len(shown) == 1 and len(shown[0].splitlines()) == 2, shown
    first, second = shown[0].splitlines()
    assert first.startswith(f"Could not install nnlib from {missing}: ")
    assert str(missing) in first.split(": ", 1)[1] or "ERROR" in first, first
    assert "run this cell again" in second


def test_every_chapter_starts_with_the_current_setup_cell() -> None:
    expected = setup_cell.setup_cell_source()
    chapters = sorted(ROOT.glob("book/[0-9][0-9]_*.ipynb"))
    assert chapters, "no chapter notebooks found"
    for path in chapters:
        first = setup_cell.first_code_cell(json.loads(path.read_text(encoding="utf-8")))
        assert first is not None, f"{path.name} has no code cell"
        assert setup_cell.cell_text(first) == expected, (
            f"{path.name}: the first code cell is not the current setup cell; "
            "run `python tools/setup_cell.py --write`"
        )
    assert setup_cell.stale_notebooks() == []


def test_setup_cell_prints_nothing_when_nnlib_is_installed() -> None:
    result = subprocess.run(
        [sys.executable, "-c", setup_cell.setup_cell_source()],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


def test_setup_cell_source_has_no_stray_whitespace() -> None:
    source = setup_cell.setup_cell_source()
    assert not re.search(r"[ \t]$", source, re.MULTILINE)
    assert all(len(line) <= 79 for line in source.splitlines()), "keep it readable on the site"


@pytest.mark.slow
def test_setup_cell_installs_nnlib_from_nnlib_source(tmp_path: Path) -> None:
    """In a kernel without nnlib, the cell pip-installs it from NNLIB_SOURCE."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    # A copy, so pip's build does not write build/ or *.egg-info into the work tree.
    for name in ("pyproject.toml", "README.md"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, checkout / name)
    shutil.copytree(
        ROOT / "nnlib", checkout / "nnlib", ignore=shutil.ignore_patterns("__pycache__")
    )
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    probe = "import importlib.util; print(importlib.util.find_spec('nnlib') is None)"
    # Run outside the work tree: `python -c` puts the current folder on sys.path.
    before = subprocess.run(
        [python, "-c", probe], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert before.stdout.strip() == "True", "the fresh environment must not have nnlib"

    cell = setup_cell.setup_cell_source() + "\nimport nnlib\nprint('imported', nnlib.__name__)"
    env = {**os.environ, "NNLIB_SOURCE": str(checkout), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        [python, "-c", cell], capture_output=True, text=True, env=env, timeout=600, cwd=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == f"Installing nnlib from {checkout} (about 30 s)..."
    assert re.fullmatch(r"nnlib installed in \d+ s\.", lines[1]), lines
    assert lines[-1] == "imported nnlib"
