"""The GitHub Actions workflow (.github/workflows/site.yml): what it runs and that it lints.

It cannot run here, so these tests read it: it runs the README's `make test` (what CI runs),
installs PyTorch's CPU-only build of the pinned version first, publishes `_build/html` to
GitHub Pages only from `main`, and zizmor (a workflow linter, pinned in requirements.txt)
finds nothing in it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def runs(job: dict) -> list[str]:
    return [step["run"].strip() for step in job["steps"] if "run" in step]


def test_it_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"^make test\s+#", readme, re.M), "README no longer names `make test`"
    assert (ROOT / ".ci" / "run").read_text().strip().endswith("make test")
    test = workflow()["jobs"]["test"]
    assert "make test" in runs(test)
    assert test["env"]["CI"] == "true"  # the browser check may not be skipped


def test_it_installs_the_cpu_only_torch_of_the_pin() -> None:
    pinned = re.search(r"^torch==(\S+)$", (ROOT / "requirements.txt").read_text(), re.M)
    commands = runs(workflow()["jobs"]["test"])
    install = next(c for c in commands if "download.pytorch.org/whl/cpu" in c)
    assert f"torch=={pinned.group(1)}" in install
    assert commands.index(install) < commands.index("make test")


def test_it_publishes_the_built_site_from_main_only() -> None:
    flow = workflow()
    on = flow.get("on", flow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert on["push"]["branches"] == ["main"]
    upload = next(s for s in flow["jobs"]["test"]["steps"] if "upload-pages" in s.get("uses", ""))
    assert upload["with"]["path"] == "_build/html"
    assert "refs/heads/main" in upload["if"]
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "test" and "refs/heads/main" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any("deploy-pages" in s.get("uses", "") for s in deploy["steps"])


def test_zizmor_finds_nothing() -> None:
    zizmor = shutil.which("zizmor", path=str(Path(sys.executable).parent))
    if zizmor is None:
        pytest.skip("zizmor is not installed (it is pinned in requirements.txt)")
    result = subprocess.run(
        [zizmor, "--offline", "--config", str(ROOT / ".github" / "zizmor.yml"), str(WORKFLOW)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
