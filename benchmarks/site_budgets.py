"""Print the website's budgets for the static demos, each beside its limit.

- **widget state per chapter** (the frames stored in each notebook): ≤ 3 MB;
- **page transfer, gzip-compressed** (everything a chapter page loads: HTML with its widget
  state, scripts, styles, fonts; each body gzip-compressed, as GitHub Pages serves it):
  ≤ 3 MB. Printed twice: *cold*, a first visit with an empty cache, and *warm*, after the
  reader has opened the setup page (the shared scripts, styles and fonts, among them the
  widget manager's 3.6 MB ``embed-amd.js``, are then in the browser's cache: loaded once);
- **load** from a local server in headless Chromium, until every demo shows a frame: < 2 s;
- **repaint** after a control change, until the new frame is on screen: < 50 ms (median);
- with ``--execute``: each chapter's ``make execute`` time (a copy is executed): ≤ 45 s.

Needs the built site (``make book``) and Chromium. The machine is shared: timings are noisy
(the load average is printed). Informative only: a benchmark, not a test.

Usage::

    .venv/bin/python benchmarks/site_budgets.py [--execute]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
STATE = "application/vnd.jupyter.widget-state+json"
MB = 1e6


def state_bytes(notebook: Path) -> int:
    """Size of the widget state stored in a notebook, as written in the file."""
    metadata = json.loads(notebook.read_text(encoding="utf-8")).get("metadata", {})
    return len(json.dumps(metadata.get("widgets", {}).get(STATE, {})).encode())


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def measure_pages(pages: list[str]) -> dict[str, dict[str, float]]:
    """Transfer (raw and gzip), load time and repaint time of each page, in Chromium."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    results: dict[str, dict[str, float]] = {}
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        home = browser.new_page()
        shared: set[str] = set()
        home.on("response", lambda r: shared.add(r.url.split("?")[0]))
        home.goto(f"{base}/book/00_setup.html", wait_until="networkidle")
        home.close()
        for page_path in pages:
            context = browser.new_context()  # a fresh cache: the first visit
            page = context.new_page()
            bodies: list[tuple[str, bytes]] = []
            page.on("response", lambda r, bodies=bodies: bodies.append((r.url, _body(r))))
            start = time.perf_counter()
            page.goto(f"{base}/{page_path}", wait_until="load")
            demos = page.locator(".nnlib-static-demo").count() or 0
            if "nnlib-static-demo" in (SITE / page_path).read_text(encoding="utf-8"):
                page.wait_for_function(
                    """() => { const demos = document.querySelectorAll('.nnlib-static-demo');
                        return demos.length > 0 && Array.from(demos).every(
                            (d) => d.querySelector('.nnlib-frame img')); }""",
                    timeout=30_000,
                )
                demos = page.locator(".nnlib-static-demo").count()
            load = time.perf_counter() - start
            page.wait_for_load_state("networkidle")
            repaint = _repaint_ms(page) if demos else []
            results[page_path] = {
                "raw": sum(len(b) for _, b in bodies),
                "gzip": sum(len(gzip.compress(b, 6)) for _, b in bodies),
                "warm": sum(
                    len(gzip.compress(b, 6))
                    for url, b in bodies
                    if url.split("?")[0] not in shared
                ),
                "load": load,
                "repaint": statistics.median(repaint) if repaint else float("nan"),
                "demos": demos,
            }
            context.close()
        browser.close()
    httpd.shutdown()
    return results


def _body(response) -> bytes:
    try:
        return response.body()
    except Exception:  # redirects and aborted requests have no body
        return b""


def _repaint_ms(page) -> list[float]:
    """Milliseconds from a slider key press to the next painted frame, for each slider."""
    return page.evaluate(
        """async () => {
            const times = [];
            const sliders = Array.from(document.querySelectorAll(
                '.nnlib-static-demo .nnlib-static-control .noUi-handle'))
                .filter((h) => h.getClientRects().length > 0);
            for (const handle of sliders) {
                const box = handle.closest('.nnlib-static-demo');
                const shown = () => Array.from(box.querySelectorAll('.nnlib-frame img'))
                    .find((img) => img.getClientRects().length > 0);
                for (const key of ['ArrowRight', 'ArrowLeft']) {
                    const before = shown();
                    const start = performance.now();
                    handle.dispatchEvent(new KeyboardEvent('keydown', {key, bubbles: true}));
                    while (shown() === before && performance.now() - start < 1000) {
                        await new Promise((r) => setTimeout(r, 0));
                    }
                    await new Promise((r) => requestAnimationFrame(() => r()));
                    times.push(performance.now() - start);
                }
            }
            return times;
        }"""
    )


def execute_seconds(notebook: Path) -> float:
    """Execute a copy of a chapter as `make execute` does; return the seconds it took."""
    sys.path.insert(0, str(ROOT / "tools"))
    import execute_notebooks

    copy = notebook.with_name(f".budget_{notebook.name}")
    shutil.copy(notebook, copy)
    try:
        start = time.perf_counter()
        execute_notebooks.execute(copy)
        return time.perf_counter() - start
    finally:
        copy.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--execute", action="store_true", help="also time each chapter's run")
    args = parser.parse_args()
    if not (SITE / "index.html").exists():
        sys.exit("the site is not built: run `make book` first")
    print(f"load average (1 min): {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    notebooks = sorted((ROOT / "book").glob("*.ipynb"))
    pages = [f"book/{nb.stem}.html" for nb in notebooks]
    measured = measure_pages(pages)
    header = f"{'chapter':<20}{'state MB':>9}{'page MB':>9}{'gzip MB':>9}{'warm MB':>9}"
    header += f"{'load s':>8}"
    header += f"{'repaint ms':>12}" + (f"{'execute s':>11}" if args.execute else "")
    print(header)
    print(f"{'budget':<20}{'≤ 3':>9}{'':>9}{'≤ 3':>9}{'≤ 3':>9}{'< 2':>8}{'< 50':>12}", end="")
    print(f"{'≤ 45':>11}" if args.execute else "")
    for notebook, page in zip(notebooks, pages, strict=True):
        m = measured[page]
        line = f"{notebook.stem:<20}{state_bytes(notebook) / MB:>9.2f}{m['raw'] / MB:>9.2f}"
        line += f"{m['gzip'] / MB:>9.2f}{m['warm'] / MB:>9.2f}{m['load']:>8.2f}"
        line += f"{m['repaint']:>12.1f}"
        if args.execute:
            line += f"{execute_seconds(notebook):>11.1f}"
        print(line)


if __name__ == "__main__":
    main()
