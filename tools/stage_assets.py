"""Copy the site's front-end assets from ``node_modules`` into ``_build/assets/vendor``.

Also copies the site's own small scripts (``tools/site_assets/``) into ``_build/assets/site``,
and axe-core (for the browser test only) into ``_build/test-assets``, outside the site.

``_config.yml`` lists ``_build/assets`` in ``html_static_path``, so Sphinx copies these files
into the site's ``_static/vendor/`` and every page loads MathJax and the widget manager from
the site itself, never from a CDN. Run ``npm ci`` first (``make book`` does both).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
STAGING = ROOT / "_build" / "assets"
TARGET = STAGING / "vendor"
# The site's own scripts (not from npm), served from _static/site/.
SITE_SCRIPTS = Path(__file__).resolve().parent / "site_assets"

# (source folder in node_modules, folder under _static/vendor, glob patterns to copy)
ASSETS = [
    # MathJax loads its input/output components and fonts relative to its own script.
    ("mathjax/es5", "mathjax", ["**/*"]),
    ("requirejs", "requirejs", ["require.js"]),
    # embed-amd.js loads its web fonts (Font Awesome) relative to its own script.
    (
        "@jupyter-widgets/html-manager/dist",
        "html-manager",
        ["embed-amd.js", "*.woff", "*.woff2", "*.ttf", "*.eot", "*.svg", "*.LICENSE.txt"],
    ),
]


# Assets only the browser test uses (never copied into the site): axe-core, the accessibility
# checker, injected into each page by tests/test_site.py.
TEST_TARGET = ROOT / "_build" / "test-assets"
TEST_ASSETS = [("axe-core", "axe-core", ["axe.min.js", "LICENSE"])]


def stage() -> int:
    """Copy the assets; return the number of files copied."""
    if not NODE_MODULES.is_dir():
        sys.exit("node_modules/ is missing: run `npm ci` first (`make book` does).")
    if STAGING.exists():
        shutil.rmtree(STAGING)
    shutil.copytree(SITE_SCRIPTS, STAGING / "site")
    copied = len(list(SITE_SCRIPTS.iterdir()))
    if TEST_TARGET.exists():
        shutil.rmtree(TEST_TARGET)
    jobs = [(TARGET, *asset) for asset in ASSETS] + [(TEST_TARGET, *a) for a in TEST_ASSETS]
    for target_root, source, destination, patterns in jobs:
        source_dir = NODE_MODULES / source
        if not source_dir.is_dir():
            sys.exit(f"{source_dir} is missing: run `npm ci` (package.json lists it).")
        for pattern in patterns:
            for path in source_dir.glob(pattern):
                if path.is_file():
                    target = target_root / destination / path.relative_to(source_dir)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, target)
                    copied += 1
    return copied


if __name__ == "__main__":
    print(f"staged {stage()} asset files in {STAGING.relative_to(ROOT)}")
