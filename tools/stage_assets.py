"""Copy the site's front-end assets from ``node_modules`` into ``_build/assets/vendor``.

Also copies the site's own small scripts (``tools/site_assets/``) into ``_build/assets/site``,
bundles the site's widget manager (``tools/widget_manager/index.js``, with ipywidgets' own
packages from npm) with esbuild into ``_build/assets/site/widget-manager.js`` (and ``.css``),
and copies axe-core (for the browser test only) into ``_build/test-assets``, outside the site.

``_config.yml`` lists ``_build/assets`` in ``html_static_path``, so Sphinx copies these files
into the site's ``_static/`` and every page loads MathJax and the widget manager from the
site itself, never from a CDN. Run ``npm ci`` first (``make book`` does both).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
STAGING = ROOT / "_build" / "assets"
TARGET = STAGING / "vendor"
# The site's own scripts (not from npm), served from _static/site/.
SITE_SCRIPTS = Path(__file__).resolve().parent / "site_assets"
# The widget manager's entry point, bundled by esbuild (a devDependency in package.json).
WIDGET_MANAGER = Path(__file__).resolve().parent / "widget_manager" / "index.js"
ESBUILD_OPTIONS = [
    "--bundle",
    "--minify",
    "--format=iife",
    "--target=es2019",
    # The licences of the bundled packages, in widget-manager.js.LEGAL.txt beside it.
    "--legal-comments=linked",
    '--define:process.env.NODE_ENV="production"',
    "--log-level=warning",
]

# (source folder in node_modules, folder under _static/vendor, glob patterns to copy)
ASSETS = [
    # MathJax loads its input/output components and fonts relative to its own script.
    ("mathjax/es5", "mathjax", ["**/*"]),
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
    return copied + bundle_widget_manager(STAGING / "site" / "widget-manager.js")


def bundle_widget_manager(target: Path) -> int:
    """Bundle the site's widget manager into ``target``; return the number of files written."""
    esbuild = NODE_MODULES / ".bin" / "esbuild"
    if not esbuild.exists():
        sys.exit(f"{esbuild} is missing: run `npm ci` (package.json lists esbuild).")
    command = [str(esbuild), str(WIDGET_MANAGER), *ESBUILD_OPTIONS, f"--outfile={target}"]
    subprocess.run(command, cwd=ROOT, check=True)
    return len(list(target.parent.glob(f"{target.stem}.*")))


if __name__ == "__main__":
    print(f"staged {stage()} asset files in {STAGING.relative_to(ROOT)}")
