"""Print the website's budgets for the static demos, each beside its limit.

- **widget state per chapter** (the frames stored in each notebook): ≤ 3 MB;
- **page transfer, gzip-compressed** (everything a chapter page loads: HTML with its widget
  state, scripts, styles, fonts, images; each body gzip-compressed, as GitHub Pages serves
  it): ≤ 3 MB. Printed twice: *cold*, a first visit with an empty cache (the budget, also
  checked by the browser test), and *warm*, after the reader has opened the setup page (the
  shared scripts, styles and fonts are then in the browser's cache);
- **load** from a local server in headless Chromium, until every demo shows a frame, with an
  empty cache: < 2 s. Measured ``--runs`` times per page (3 by default): the median, and the
  fastest and slowest run. MathJax typesets the equations on screen first and the rest once
  the page has loaded; the median time until *every* equation is typeset is printed beside it
  (``maths s``, no budget);
- **repaint** after a control change, until the new frame is on screen: < 50 ms (median);
- with ``--execute``: each chapter's ``make execute`` time (a copy is executed): ≤ 45 s.

Each line ends with the budgets it misses. Needs the built site (``make book``) and
Chromium. The machine is shared: timings are noisy (the load average is printed before and
after); bytes are not. Informative only: a benchmark, not a test.

Usage::

    .venv/bin/python benchmarks/site_budgets.py [--execute] [--runs N]
"""

from __future__ import annotations

import argparse
import functools
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
BUDGETS = {"state": 3 * MB, "gzip": 3 * MB, "warm": 3 * MB, "load": 2.0, "repaint": 50.0}

sys.path.insert(0, str(ROOT / "tools"))
from page_transfer import cold_visit  # noqa: E402


def state_bytes(notebook: Path) -> int:
    """Size of the widget state stored in a notebook, as written in the file."""
    metadata = json.loads(notebook.read_text(encoding="utf-8")).get("metadata", {})
    return len(json.dumps(metadata.get("widgets", {}).get(STATE, {})).encode())


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def handle(self) -> None:
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):  # the browser moved on
            pass


def measure_pages(pages: list[str], runs: int) -> dict[str, dict[str, float]]:
    """Transfer (raw, gzip cold and warm), load times and repaint time of each page."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    results: dict[str, dict[str, float]] = {}
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        # What the setup page loads is in the cache on a later page ("warm").
        setup = cold_visit(browser, f"{base}/book/00_setup.html", has_demos=True)
        shared = {url.split("?")[0] for url, _, _ in setup.responses}
        for page_path in pages:
            demos = "nnlib-static-demo" in (SITE / page_path).read_text(encoding="utf-8")
            visits = [cold_visit(browser, f"{base}/{page_path}", demos) for _ in range(runs)]
            first = visits[0]
            loads = [visit.load for visit in visits]
            results[page_path] = {
                "raw": first.raw,
                "gzip": first.gzip,
                "warm": sum(g for url, _, g in first.responses if url.split("?")[0] not in shared),
                "load": statistics.median(loads),
                "load_min": min(loads),
                "load_max": max(loads),
                "typeset": statistics.median(visit.typeset for visit in visits),
                "repaint": _repaint(browser, f"{base}/{page_path}") if demos else float("nan"),
            }
        browser.close()
    httpd.shutdown()
    return results


def _repaint(browser, url: str) -> float:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url, wait_until="networkidle")
        page.wait_for_selector(".nnlib-static-demo .nnlib-frame img", timeout=30_000)
        times = _repaint_ms(page)
        return statistics.median(times) if times else float("nan")
    finally:
        context.close()


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
    parser.add_argument("--runs", type=int, default=3, help="cold loads per page (default 3)")
    args = parser.parse_args()
    if not (SITE / "index.html").exists():
        sys.exit("the site is not built: run `make book` first")
    print(f"load average (1 min): {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    notebooks = sorted((ROOT / "book").glob("*.ipynb"))
    pages = [f"book/{nb.stem}.html" for nb in notebooks]
    measured = measure_pages(pages, args.runs)
    header = f"{'chapter':<20}{'state MB':>9}{'page MB':>9}{'gzip MB':>9}{'warm MB':>9}"
    header += f"{'load s (min-max)':>19}{'maths s':>9}{'repaint ms':>12}"
    print(header + (f"{'execute s':>11}" if args.execute else "") + "  over budget")
    budget = f"{'budget':<20}{'≤ 3':>9}{'':>9}{'≤ 3':>9}{'≤ 3':>9}{'< 2':>19}{'':>9}{'< 50':>12}"
    print(budget + (f"{'≤ 45':>11}" if args.execute else ""))
    for notebook, page in zip(notebooks, pages, strict=True):
        m = measured[page]
        m["state"] = state_bytes(notebook)
        line = f"{notebook.stem:<20}{m['state'] / MB:>9.2f}{m['raw'] / MB:>9.2f}"
        line += f"{m['gzip'] / MB:>9.2f}{m['warm'] / MB:>9.2f}"
        line += f"{m['load']:>8.2f} ({m['load_min']:.2f}-{m['load_max']:.2f})"
        line += f"{m['typeset']:>9.2f}{m['repaint']:>12.1f}"
        over = [name for name, limit in BUDGETS.items() if m[name] > limit]
        if args.execute:
            seconds = execute_seconds(notebook)
            line += f"{seconds:>11.1f}"
            over += ["execute"] if seconds > 45 else []
        print(line + "  " + (", ".join(over) or "-"))
    print(f"load average (1 min) after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
