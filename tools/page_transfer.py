"""What a first visit to a page of the built site transfers, and how long it takes to load.

Shared by the browser test (``tests/test_site.py``: a chapter page must transfer at most
3 MB gzip-compressed) and ``benchmarks/site_budgets.py`` (which prints it with the load time).
Bytes do not depend on the machine's load; the time does.

A page is opened in a fresh browser context (an empty cache, as a first visit), and counted
once every demo shows a frame, every equation is typeset (MathJax typesets those off screen
after the page has loaded, and they may fetch fonts) and the network has gone quiet. Each
response body is counted gzip-compressed (level 6), as GitHub Pages serves it; fonts and PNGs
barely shrink.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field

# Until every static demo on the page shows a frame (the widget manager has rendered them).
DEMOS_SHOWN = """() => { const demos = document.querySelectorAll('.nnlib-static-demo');
    return Array.from(demos).every((d) => d.querySelector('.nnlib-frame img')); }"""
# Until every equation is typeset: tools/site_assets/accessible-names.js marks <html>.
MATHS_TYPESET = "() => document.documentElement.dataset.maths === 'typeset'"
# Injected before the page's own scripts: note, on the page's clock (milliseconds since the
# navigation started), when the demos first all show a frame and when every equation is
# typeset. Timing in the page leaves out the test driver's polling, which waits while
# the page's main thread is busy (typesetting, say) and would count that wait as loading.
RECORD_TIMES = """(() => {
    const shown = () => { const demos = document.querySelectorAll('.nnlib-static-demo');
        return Array.from(demos).every((d) => d.querySelector('.nnlib-frame img')); };
    const note = () => {
        if (window.__demosShown === undefined && document.body && shown())
            window.__demosShown = performance.now();
        if (window.__mathsTypeset === undefined
                && document.documentElement.dataset.maths === 'typeset')
            window.__mathsTypeset = performance.now();
        if (window.__demosShown !== undefined && window.__mathsTypeset !== undefined)
            observer.disconnect();
    };
    const observer = new MutationObserver(note);
    observer.observe(document, {subtree: true, childList: true, attributes: true,
                                attributeFilter: ['data-maths', 'src']});
})()"""
TIMES = """() => ({load: performance.getEntriesByType('navigation')[0].loadEventEnd,
    demos: window.__demosShown || 0, maths: window.__mathsTypeset || 0})"""


@dataclass
class Visit:
    """One cold visit: seconds from the navigation's start until the page had loaded and
    its demos showed (``load``) and until every equation was typeset too (``typeset``), and
    each response's bytes."""

    load: float
    typeset: float = 0.0
    responses: list[tuple[str, int, int]] = field(default_factory=list)  # url, raw, gzip

    @property
    def raw(self) -> int:
        return sum(raw for _, raw, _ in self.responses)

    @property
    def gzip(self) -> int:
        return sum(packed for _, _, packed in self.responses)

    def largest(self, count: int = 5) -> list[tuple[str, int, int]]:
        return sorted(self.responses, key=lambda r: -r[2])[:count]


def cold_visit(browser, url: str, has_demos: bool, timeout_ms: int = 30_000) -> Visit:
    """Open ``url`` with an empty cache; return its load time and every response's size."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        responses: list = []
        page.on("response", lambda response: responses.append(response))
        page.add_init_script(RECORD_TIMES)
        page.goto(url, wait_until="load", timeout=timeout_ms)
        if has_demos:
            page.wait_for_function(DEMOS_SHOWN, timeout=timeout_ms)
        if page.evaluate("() => document.querySelector('.math') !== null"):
            page.wait_for_function(MATHS_TYPESET, timeout=timeout_ms)
        page.wait_for_load_state("networkidle", timeout=timeout_ms)
        times = page.evaluate(TIMES)  # milliseconds since the navigation started
        load = max(times["load"], times["demos"]) / 1000
        visit = Visit(load, max(load, times["maths"] / 1000))
        for response in responses:
            body = _body(response)
            visit.responses.append((response.url, len(body), len(gzip.compress(body, 6))))
        return visit
    finally:
        context.close()


def _body(response) -> bytes:
    try:
        return response.body()
    except Exception:  # redirects and aborted requests have no body
        return b""
