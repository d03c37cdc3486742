"""Browser check of the built site (``_build/html``), as a reader would see it.

Every page is opened in headless Chromium (Debian's package, driven by Playwright) from a
local HTTP server on 127.0.0.1, and the test fails if:

- a local asset fails to load (HTTP status >= 400, or the request fails);
- any request leaves the machine (it is blocked, recorded and reported);
- a page with maths does not end fully typeset: MathJax typesets the equations on screen
  first (``ui/lazy``) and the rest once the page has loaded (``accessible-names.js`` then
  marks ``<html data-maths="typeset">``); every equation must then have its typeset output
  and its hidden MathML for screen readers;
- a page with stored widgets does not turn them into widget DOM;
- an image does not load;
- a chapter (notebook) page lacks its Colab and Binder links to the configured repository.

Two more tests check that the site's search finds a page and that the dark-mode switch works.

A full-page screenshot of every page (and a dark-mode one of each chapter) is saved under
``_build/screenshots/``. Without Chromium the test is skipped with a message, except when
the environment variable ``CI`` is set, where a missing browser is a failure.

Run ``make book`` first; ``make test`` does everything in order.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
MATH_MARKER = re.compile(r'class="math[ "]')

sys.path.insert(0, str(ROOT / "tools"))
from page_transfer import MATHS_TYPESET, cold_visit  # noqa: E402
from setup_cell import read_repository  # noqa: E402

from tests.widget_state import WidgetState  # noqa: E402

pytestmark = pytest.mark.browser


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in {"", "0", "false", "no"}


def skip_or_fail(message: str) -> None:
    """Skip on a learner's machine; fail in CI, where the check must run."""
    if in_ci():
        pytest.fail(f"{message} (CI is set, so this check may not be skipped)")
    pytest.skip(message)


def chromium_path() -> str | None:
    """Debian's Chromium, or the browser named by the CHROMIUM environment variable."""
    if os.environ.get("CHROMIUM"):
        candidate = os.environ["CHROMIUM"]
        return candidate if Path(candidate).is_file() else None
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None
    )


def site_pages() -> list[str]:
    """Every HTML page of the site, as paths relative to _build/html."""
    if not SITE.is_dir():
        return []
    return sorted(
        path.relative_to(SITE).as_posix()
        for path in SITE.rglob("*.html")
        if not path.relative_to(SITE).parts[0].startswith("_")
    )


def notebook_pages() -> dict[str, str]:
    """Built page -> notebook path in the repository, for every notebook in book/."""
    return {
        f"book/{path.stem}.html": f"book/{path.name}" for path in sorted(ROOT.glob("book/*.ipynb"))
    }


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    if not (SITE / "index.html").exists():
        skip_or_fail("the site is not built: run `make book` first")
    handler = functools.partial(QuietHandler, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    if executable is None:
        skip_or_fail(
            "Chromium is not installed, so the browser check cannot run. "
            "Install it with `apt-get install chromium` (as root, `make test` does this)."
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("playwright is not installed (it is in requirements.txt)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


def screenshot_name(page_path: str, suffix: str = "") -> Path:
    return SCREENSHOTS / (page_path.removesuffix(".html").replace("/", "__") + suffix + ".png")


def open_page(browser, url: str):
    """Open `url`; return (page, context, problems) with every bad request recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    external: set[str] = set()

    def route(route_) -> None:
        request_url = route_.request.url
        parts = urlsplit(request_url)
        if parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname not in LOCAL_HOSTS:
            external.add(request_url)
            problems.append(f"request leaves the machine: {request_url}")
            route_.abort()
        else:
            route_.continue_()

    context.route("**/*", route)
    page = context.new_page()
    page.on(
        "response",
        lambda response: (
            problems.append(f"HTTP {response.status}: {response.url}")
            if response.status >= 400
            else None
        ),
    )
    page.on(
        "requestfailed",
        lambda request: (
            problems.append(f"request failed ({request.failure}): {request.url}")
            if request.url not in external
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    page.goto(url, wait_until="networkidle")
    return page, context, problems


def broken_images(page) -> list[str]:
    """Sources of images that did not load (after making lazy ones load)."""
    return page.evaluate(
        """async () => {
            const images = Array.from(document.images);
            images.forEach((img) => { img.loading = "eager"; });
            await Promise.all(images.map((img) => img.decode().catch(() => null)));
            return images
                .filter((img) => !img.complete || img.naturalWidth === 0)
                .map((img) => img.currentSrc || img.src || img.outerHTML.slice(0, 120));
        }"""
    )


def test_the_site_is_built() -> None:
    if not site_pages():
        skip_or_fail("the site is not built: run `make book` first")
    for page, notebook in notebook_pages().items():
        assert (SITE / page).exists(), f"{notebook} has no page {page}: is it in _toc.yml?"


def test_no_page_names_a_cdn() -> None:
    """No built page refers to a script or style on another host."""
    offenders = []
    for page_path in site_pages():
        html = (SITE / page_path).read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link)\b[^>]*>", html):
            match = re.search(r'(?:src|href)="((?:https?:)?//[^"]+)"', tag)
            if match and ("<script" in tag or 'rel="stylesheet"' in tag or "preload" in tag):
                offenders.append(f"{page_path}: {match.group(1)}")
    assert not offenders, "pages load assets from other hosts:\n" + "\n".join(offenders)


@pytest.mark.parametrize("page_path", site_pages() or ["<site not built>"])
def test_page_renders_offline(page_path: str, server: str, browser) -> None:
    source = SITE / page_path
    if not source.exists():
        skip_or_fail("the site is not built: run `make book` first")
    html = source.read_text(encoding="utf-8")
    page, context, problems = open_page(browser, f"{server}/{page_path}")
    try:
        if MATH_MARKER.search(html):
            try:
                page.wait_for_selector("mjx-container", state="attached", timeout=20_000)
                page.wait_for_function(MATHS_TYPESET, timeout=20_000)
            except Exception:
                problems.append("the page has maths but MathJax did not typeset all of it")
            else:
                leftover = page.evaluate(
                    """() => Array.from(document.querySelectorAll('.math'))
                        .filter((el) => !el.querySelector('mjx-container')
                                        && !el.closest('mjx-container')).length
                        + document.querySelectorAll('mjx-lazy').length"""
                )
                if leftover:
                    problems.append(f"{leftover} maths element(s) left untypeset")
                silent = page.evaluate(
                    """() => Array.from(document.querySelectorAll('mjx-assistive-mml math'))
                        .filter((m) => !m.firstElementChild).length"""
                )
                if silent:
                    problems.append(f"{silent} equation(s) with empty MathML for screen readers")

        views = html.count(f'type="{WIDGET_VIEW}"')
        if views:
            try:
                page.wait_for_selector(".jupyter-widgets", state="visible", timeout=20_000)
            except Exception:
                problems.append(f"{views} widget placeholder(s) but no widget was rendered")
            else:
                unrendered = page.evaluate(
                    f"""() => Array.from(document.querySelectorAll(
                            'script[type="{WIDGET_VIEW}"]'))
                        .filter((s) => !s.parentElement.querySelector('.jupyter-widgets'))
                        .length"""
                )
                if unrendered:
                    problems.append(f"{unrendered} widget placeholder(s) left unrendered")

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot_name(page_path)), full_page=True, timeout=120_000)
        problems.extend(f"image did not load: {src}" for src in broken_images(page))

        notebook = notebook_pages().get(page_path)
        if notebook is not None:
            problems.extend(launch_link_problems(page, notebook))
            # The same page in dark mode, to look at (the pydata theme reads data-theme).
            page.evaluate("() => { document.documentElement.dataset.theme = 'dark'; }")
            page.wait_for_timeout(300)
            page.screenshot(
                path=str(screenshot_name(page_path, "-dark")), full_page=True, timeout=120_000
            )
    finally:
        context.close()
    assert not problems, f"{page_path}:\n  " + "\n  ".join(problems)


def launch_link_problems(page, notebook: str) -> list[str]:
    """Check the Colab and Binder links of a chapter page point at the configured repo."""
    repository = read_repository()
    owner_repo = urlsplit(repository["url"]).path.strip("/")
    branch = repository["branch"]
    prefix = repository["path_to_book"].strip("/")
    repo_path = f"{prefix}/{notebook}" if prefix else notebook
    expected = {
        "Colab": f"https://colab.research.google.com/github/{owner_repo}/blob/{branch}/{repo_path}",
        "Binder": f"https://mybinder.org/v2/gh/{owner_repo}/{branch}?urlpath=tree/{repo_path}",
    }
    hrefs = page.evaluate("() => Array.from(document.querySelectorAll('a[href]'), (a) => a.href)")
    launch_links = [href for href in hrefs if "colab" in href or "binder" in href]
    return [
        f"no {name} launch link {href}; launch links found: {json.dumps(launch_links)}"
        for name, href in expected.items()
        if href not in hrefs
    ]


def test_search_finds_a_chapter(server: str, browser) -> None:
    """The site's own search (a JavaScript index, no server) returns results offline."""
    page, context, problems = open_page(browser, f"{server}/search.html?q=widget")
    try:
        page.wait_for_selector("#search-results li", timeout=20_000)
        hits = page.eval_on_selector_all("#search-results li a", "(links) => links.length")
    finally:
        context.close()
    assert hits > 0, "searching for 'widget' found nothing"
    assert not problems, "\n".join(problems)


def test_dark_mode_switch_works(server: str, browser) -> None:
    """The theme button cycles the colour mode; dark mode sets data-theme="dark"."""
    page, context, problems = open_page(browser, f"{server}/book/00_setup.html")
    try:
        themes = []
        for _ in range(3):
            page.locator(".theme-switch-button").first.click()
            page.wait_for_timeout(200)
            themes.append(page.evaluate("() => document.documentElement.dataset.theme"))
        background = ""
        if "dark" in themes:
            while page.evaluate("() => document.documentElement.dataset.theme") != "dark":
                page.locator(".theme-switch-button").first.click()
                page.wait_for_timeout(200)
            background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    finally:
        context.close()
    assert "dark" in themes and "light" in themes, f"themes seen: {themes}"
    channels = [int(c) for c in re.findall(r"\d+", background)[:3]]
    assert sum(channels) / 3 < 80, f"dark mode background is not dark: {background}"
    assert not problems, "\n".join(problems)


def play_pages() -> list[str]:
    """Built pages whose stored widgets include a ``Play`` control."""
    return [
        page_path
        for page_path in site_pages()
        if '"PlayModel"' in (SITE / page_path).read_text(encoding="utf-8")
    ]


@pytest.mark.parametrize("page_path", play_pages() or ["<no page with Play>"])
def test_play_runs_on_the_static_page(page_path: str, server: str, browser) -> None:
    """Clicking Play starts it (the icon turns to pause) without a JavaScript error.

    The theme's Font Awesome script used to swap Play's ``<i>`` icon for an ``<svg>``, and
    Play's view then threw on every click; the site no longer loads that script
    (``tools/site_templates/layout.html``), and icons are drawn by the theme's icon font.
    """
    if not (SITE / page_path).exists():
        skip_or_fail("the site is not built, or no page has a Play control")
    page, context, problems = open_page(browser, f"{server}/{page_path}")
    try:
        page.wait_for_selector(".widget-play button", state="visible", timeout=20_000)
        plays = page.locator(".widget-play")
        for k in range(plays.count()):
            button = plays.nth(k).locator("button").first
            button.scroll_into_view_if_needed()
            button.click()
            page.wait_for_timeout(200)
            if not button.locator("i.fa-pause").count():
                problems.append(f"Play #{k + 1}: the icon did not switch to pause")
            button.click()  # pause again
        # An <i class="fa ..."> draws its icon from the font; an svg drawn inside it too
        # would show the icon twice (and a stale one after play/pause switched).
        icons_shown_twice = page.evaluate(
            """() => Array.from(document.querySelectorAll('.widget-play i.fa > svg'))
                .filter((svg) => svg.getBoundingClientRect().width > 0).length"""
        )
        if icons_shown_twice:
            problems.append(f"{icons_shown_twice} Font Awesome svg icon(s) drawn over Play's")
    finally:
        context.close()
    assert not problems, f"{page_path}:\n  " + "\n  ".join(problems)


def static_demo_pages() -> list[str]:
    """Built pages that store at least one static demo (precomputed frames)."""
    return [
        page_path
        for page_path in site_pages()
        if "nnlib-static-demo" in (SITE / page_path).read_text(encoding="utf-8")
    ]


# Tags each rendered static demo with the model id of the widget-view script it came from
# (the widget manager renders a view beside its script), and reports what a demo shows.
TAG_DEMOS = f"""() => Array.from(document.querySelectorAll('script[type="{WIDGET_VIEW}"]'))
    .map((script) => {{
        const box = script.parentElement.querySelector('.nnlib-static-demo');
        if (box) box.dataset.modelId = JSON.parse(script.textContent).model_id;
        return box ? box.dataset.modelId : null;
    }}).filter((id) => id)"""
SHOWN = """(id) => {
    const box = document.querySelector(`.nnlib-static-demo[data-model-id="${id}"]`);
    const visible = (el) => el.getClientRects().length > 0
        && getComputedStyle(el).visibility !== 'hidden';
    return {
        frames: Array.from(box.querySelectorAll('.nnlib-frame img')).filter(visible)
            .map((img) => img.getAttribute('src')),
        controls: Array.from(box.querySelectorAll('.nnlib-static-control')).filter(visible)
            .length,
    };
}"""


def move_control(page, box_id: str, position: int, kind: str, index: int) -> None:
    """Move the `position`-th visible static control of a demo to `index`, as a reader
    would: the keyboard on a slider's handle, a choice in a drop-down, a click on a toggle."""
    controls = page.locator(f'.nnlib-static-demo[data-model-id="{box_id}"] .nnlib-static-control')
    control = controls.locator("visible=true").nth(position)
    control.scroll_into_view_if_needed()
    if kind == "SelectionSliderModel":
        handle = control.locator(".noUi-handle")
        handle.focus()
        page.keyboard.press("Home")
        for _ in range(index):
            page.keyboard.press("ArrowRight")
    elif kind == "DropdownModel":
        control.locator("select").select_option(index=index)
    else:  # ToggleButtonsModel
        control.locator("button").nth(index).click()
    page.wait_for_timeout(50)


@pytest.mark.parametrize("page_path", static_demo_pages() or ["<no static demo>"])
def test_every_shown_control_shows_its_stored_frame(page_path: str, server: str, browser) -> None:
    """Move every control of every static demo to two other values: the frame shown must be
    the stored frame for that setting (read from the page's widget state, independently)."""

    if not (SITE / page_path).exists():
        skip_or_fail("the site is not built, or no page has a static demo")
    state = WidgetState.from_page(SITE / page_path)
    page, context, problems = open_page(browser, f"{server}/{page_path}")
    moves = 0
    try:
        page.wait_for_selector(".nnlib-static-demo .nnlib-frame img", timeout=20_000)
        rendered = page.evaluate(TAG_DEMOS)
        assert rendered == state.static_demos(), "static demos stored and rendered differ"
        for box in rendered:
            title = state.title(box)
            overrides: dict[str, int] = {}
            first_frame = state.shown(box)[0]
            changed = False
            position = 0
            while position < len(state.shown(box, overrides)[1]):
                control = state.shown(box, overrides)[1][position]
                count = len(state.options(control))
                now = state.index(control, overrides)
                targets = [k for k in ((now + 1) % count, (now + count // 2) % count) if k != now]
                for target in dict.fromkeys(targets):
                    move_control(page, box, position, state.name(control), target)
                    overrides[control] = target
                    moves += 1
                    frames, controls = state.shown(box, overrides)
                    changed = changed or frames != first_frame
                    shown = page.evaluate(SHOWN, box)
                    expected = [state.frame_html(f) for f in frames]
                    expected_src = [
                        re.search(r'src="([^"]+)"', html).group(1) for html in expected
                    ]
                    if shown["frames"] != expected_src or shown["controls"] != len(controls):
                        problems.append(
                            f"{title}: control {position + 1} at {state.options(control)[target]}"
                            f" shows {len(shown['frames'])} frame(s), not the stored one"
                        )
                position += 1
            if not changed:
                problems.append(f"{title}: no move changed the frame (are the frames alike?)")
    finally:
        context.close()
    assert moves, f"{page_path}: no control was moved"
    assert not problems, f"{page_path}:\n  " + "\n  ".join(problems)


AXE = ROOT / "_build" / "test-assets" / "axe-core" / "axe.min.js"
# Violations that make a page unusable for some readers: these must not occur.
BLOCKING = {"critical", "serious"}


def axe_violations(page) -> list[str]:
    """Run axe-core (injected from the staged copy, never served to readers) on the page."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
                count: v.nodes.length,
            }));
        }"""
    )
    return [
        f"axe {v['impact']}: {v['id']} ({v['help']}), {v['count']} element(s), e.g. {v['nodes']}"
        for v in found
        if v["impact"] in BLOCKING
    ]


def wait_for_widgets(page, html: str) -> None:
    """Wait until the page has settled: loaded, maths typeset, widgets rendered, and the
    scripts that react to those (the theme's tab stops on scrollable code, 300 ms after the
    last change; the accessible names, on the next frame) have run."""
    page.wait_for_function("() => document.readyState === 'complete'", timeout=30_000)
    page.evaluate(
        """async () => { const startup = window.MathJax && window.MathJax.startup;
            if (startup && startup.promise) await startup.promise; }"""
    )
    if MATH_MARKER.search(html):
        page.wait_for_function(MATHS_TYPESET, timeout=20_000)
    if f'type="{WIDGET_VIEW}"' in html:
        page.wait_for_selector(".jupyter-widgets", state="visible", timeout=20_000)
    page.wait_for_timeout(600)


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("page_path", site_pages() or ["<site not built>"])
def test_no_serious_accessibility_violation(
    page_path: str, theme: str, server: str, browser
) -> None:
    """axe-core finds no critical or serious violation, in light and in dark mode."""
    source = SITE / page_path
    if not source.exists() or not AXE.exists():
        skip_or_fail("the site is not built, or axe-core is not staged: run `make book`")
    page, context, problems = open_page(browser, f"{server}/{page_path}")
    try:
        wait_for_widgets(page, source.read_text(encoding="utf-8"))
        if theme == "dark":
            # No colour transitions: axe must see the final colours, not a blend caught
            # halfway (a long page on a loaded machine took more than 300 ms to settle).
            page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
            page.evaluate("() => { document.documentElement.dataset.theme = 'dark'; }")
            page.evaluate("() => new Promise((r) => requestAnimationFrame(() => "
                          "requestAnimationFrame(r)))")  # fmt: skip
            page.wait_for_timeout(300)
        problems.extend(axe_violations(page))
    finally:
        context.close()
    assert not problems, f"{page_path} ({theme}):\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("page_path", static_demo_pages() or ["<no static demo>"])
def test_demos_fit_a_phone_screen(page_path: str, server: str, browser) -> None:
    """At 390 px wide no demo frame or control row sticks out of the page."""
    if not (SITE / page_path).exists():
        skip_or_fail("the site is not built, or no page has a static demo")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(f"{server}/{page_path}", wait_until="networkidle")
        page.wait_for_selector(".nnlib-static-demo .nnlib-frame img", timeout=20_000)
        too_wide = page.evaluate(
            """() => Array.from(document.querySelectorAll(
                    '.nnlib-static-demo .nnlib-frame img, .nnlib-static-demo .widget-hbox'))
                .filter((el) => el.getClientRects().length > 0)
                .map((el) => [el.className || el.tagName, el.getBoundingClientRect().right])
                .filter(([, right]) => right > window.innerWidth + 1)"""
        )
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot_name(page_path, "-390px")), full_page=True)
    finally:
        context.close()
    assert not too_wide, f"{page_path}: wider than a 390 px screen: {too_wide}"


# A chapter page, frames included, transfers at most this much on a first visit (README).
TRANSFER_BUDGET = 3_000_000


@pytest.mark.parametrize("page_path", list(notebook_pages()) or ["<site not built>"])
def test_a_first_visit_transfers_at_most_3_mb(page_path: str, server: str, browser) -> None:
    """A chapter page with an empty cache, until its demos show and the network is quiet:
    every response body gzip-compressed (as GitHub Pages serves it) sums to ≤ 3 MB. Bytes,
    unlike load time, do not depend on how busy the machine is."""
    if not (SITE / page_path).exists():
        skip_or_fail("the site is not built: run `make book` first")
    demos = "nnlib-static-demo" in (SITE / page_path).read_text(encoding="utf-8")
    visit = cold_visit(browser, f"{server}/{page_path}", demos)
    largest = "\n  ".join(
        f"{packed / 1e6:.3f} MB  {url.removeprefix(server)}" for url, _, packed in visit.largest()
    )
    assert visit.gzip <= TRANSFER_BUDGET, (
        f"{page_path}: a first visit transfers {visit.gzip / 1e6:.2f} MB gzip-compressed "
        f"({len(visit.responses)} responses), over the {TRANSFER_BUDGET / 1e6:.0f} MB budget. "
        f"Largest:\n  {largest}"
    )


def test_icon_fonts_hold_every_icon_the_pages_show() -> None:
    """The site's Font Awesome fonts are cut down to the icons it uses
    (tools/sphinx_icon_fonts.py): every icon class on every page, and Play's icons, must
    still have its glyph in the font the theme draws it from."""
    from fontTools.ttLib import TTFont
    from sphinx_icon_fonts import FONT_DIR, icon_characters

    if not site_pages():
        skip_or_fail("the site is not built: run `make book` first")
    fonts = {
        style: set(TTFont(SITE / FONT_DIR / name).getBestCmap())
        for style, name in [("solid", "fa-solid-900.woff2"), ("brands", "fa-brands-400.woff2")]
    }
    icons = icon_characters(SITE / "_static")
    missing = []
    for page_path in site_pages():
        html = (SITE / page_path).read_text(encoding="utf-8")
        for classes in re.findall(r'<i class="([^"]*\bfa[bsr]?\b[^"]*)"', html):
            style = "brands" if re.search(r"\b(fab|fa-brands)\b", classes) else "solid"
            for name in re.findall(r"\bfa-([a-z0-9-]+)", classes):
                chars = icons.get(name, set())
                if chars and not chars & fonts[style]:
                    missing.append(f"{page_path}: fa-{name} ({style})")
    for name in ["play", "pause", "stop", "retweet"]:  # ipywidgets' Play, drawn in JavaScript
        if not icons[name] & fonts["solid"]:
            missing.append(f"Play's fa-{name}")
    assert not missing, "icons left out of the cut-down fonts:\n  " + "\n  ".join(
        sorted(set(missing))
    )


# The keyboard alone: Tab reaches the control, keys change it (Chrome's own key events, sent
# through the DevTools protocol by Playwright), and the demo shows the stored frame for the
# new setting. One demo per kind of control on each page.
KEYBOARD_KINDS = ("SelectionSliderModel", "DropdownModel", "ToggleButtonsModel", "PlayModel")
FOCUSED_IN = """([id, position, selector]) => {
    const box = document.querySelector(`.nnlib-static-demo[data-model-id="${id}"]`);
    const visible = (el) => el.getClientRects().length > 0;
    const controls = Array.from(box.querySelectorAll(
        '.nnlib-static-control, .nnlib-static-play')).filter(visible);
    const targets = Array.from(controls[position].querySelectorAll(selector)).filter(visible);
    return targets.indexOf(document.activeElement);
}"""


def tab_to(page, box: str, position: int, selector: str, nth: int = 0, limit: int = 30) -> bool:
    """From just before the demo, press Tab until the ``nth`` element matching ``selector``
    in the demo's ``position``-th visible control (Play counted) has the focus."""
    page.evaluate(
        """(id) => { const box = document.querySelector(
            `.nnlib-static-demo[data-model-id="${id}"]`);
            box.setAttribute('tabindex', '-1'); box.focus({preventScroll: false}); }""",
        box,
    )
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_IN, [box, position, selector]) == nth:
            return True
    return False


def play_link(state: WidgetState, play: str) -> str | None:
    """The step control whose index Play's value is linked to."""
    for model in state.models.values():
        if model["model_name"] != "LinkModel":
            continue
        ends = [model["state"]["source"], model["state"]["target"]]
        ids = [end[0].removeprefix("IPY_MODEL_") for end in ends]
        if play in ids:
            return next(i for i in ids if i != play)
    return None


def keyboard_cases(state: WidgetState, rendered: list[str]) -> list[tuple[str, str]]:
    """(kind, box): for each kind of control, the first demo that shows one."""
    cases: dict[str, tuple[str, str]] = {}
    for box in rendered:
        for control in shown_controls(state, box, {}):
            cases.setdefault(state.name(control), (state.name(control), box))
    return [cases[kind] for kind in KEYBOARD_KINDS if kind in cases]


def shown_controls(state: WidgetState, box: str, overrides: dict[str, int]) -> list[str]:
    """The demo's visible controls in page order, Play just before the step it drives."""
    plays = {
        play_link(state, model_id): model_id
        for model_id, model in state.models.items()
        if model["model_name"] == "PlayModel"
    }
    ordered = []
    for shown in state.shown(box, overrides)[1]:
        ordered += [plays[shown], shown] if shown in plays else [shown]
    return ordered


@pytest.mark.parametrize("page_path", static_demo_pages() or ["<no static demo>"])
def test_demos_work_with_the_keyboard_alone(page_path: str, server: str, browser) -> None:
    """For one demo per kind of control on the page (slider, drop-down, toggle buttons,
    Play): Tab reaches the control; arrow keys (slider, drop-down), Space (a toggle button)
    or Enter (Play, then Enter again to pause) change it; the frame shown is the stored
    frame for the new setting."""
    if not (SITE / page_path).exists():
        skip_or_fail("the site is not built, or no page has a static demo")
    state = WidgetState.from_page(SITE / page_path)
    page, context, problems = open_page(browser, f"{server}/{page_path}")
    tried = []
    try:
        page.wait_for_selector(".nnlib-static-demo .nnlib-frame img", timeout=20_000)
        rendered = page.evaluate(TAG_DEMOS)
        moved: dict[str, dict[str, int]] = {}  # each demo's settings moved so far
        for kind, box in keyboard_cases(state, rendered):
            title = f"{state.title(box)} ({kind.removesuffix('Model')})"
            tried.append(kind)
            overrides = moved.setdefault(box, {})
            controls = shown_controls(state, box, overrides)
            control = next(c for c in controls if state.name(c) == kind)
            position = controls.index(control)
            if kind == "PlayModel":
                step = play_link(state, control)
                assert step is not None
                before = state.index(step, overrides)
                if not tab_to(page, box, position, "button"):
                    problems.append(f"{title}: Tab never reaches Play")
                    continue
                page.keyboard.press("Enter")
                page.wait_for_timeout(900)
                page.keyboard.press("Enter")
                page.wait_for_timeout(100)
                now = page.evaluate(
                    """([id, step]) => Number(document.querySelector(
                        `.nnlib-static-demo[data-model-id="${id}"]`)
                        .querySelectorAll('.nnlib-static-control')[step]
                        .querySelector('[role="slider"]').getAttribute('aria-valuenow'))""",
                    [box, state.shown(box, overrides)[1].index(step)],
                )
                if now == before:
                    problems.append(f"{title}: Enter on Play did not move the step")
                overrides[step] = now
            elif kind == "ToggleButtonsModel":
                count = len(state.options(control))
                target = (state.index(control, overrides) + 1) % count
                if not tab_to(page, box, position, "button", nth=target):
                    problems.append(f"{title}: Tab never reaches option {target + 1}")
                    continue
                page.keyboard.press("Space")
                overrides[control] = target
            else:
                selector = "select" if kind == "DropdownModel" else '[role="slider"]'
                count = len(state.options(control))
                now = state.index(control, overrides)
                key = "ArrowDown" if kind == "DropdownModel" else "ArrowRight"
                if now == count - 1:
                    key = "ArrowUp" if kind == "DropdownModel" else "ArrowLeft"
                if not tab_to(page, box, position, selector):
                    problems.append(f"{title}: Tab never reaches it")
                    continue
                page.keyboard.press(key)
                overrides[control] = now + (1 if key in {"ArrowDown", "ArrowRight"} else -1)
            page.wait_for_timeout(100)
            frames, _ = state.shown(box, overrides)
            expected = [re.search(r'src="([^"]+)"', state.frame_html(f)).group(1) for f in frames]
            shown = page.evaluate(SHOWN, box)["frames"]
            if shown != expected:
                problems.append(f"{title}: the keyboard's change did not show the stored frame")
    finally:
        context.close()
    assert tried, f"{page_path}: no control to try"
    assert not problems, f"{page_path} (tried {tried}):\n  " + "\n  ".join(problems)


# Every visible control of every demo, with the text a reader sees beside it: its label
# (a slider, a drop-down), its own text (a toggle button) or nothing (Play's icon buttons).
MARK_CONTROLS = """() => {
    const visible = (el) => el.getClientRects().length > 0;
    const found = [];
    document.querySelectorAll('.nnlib-static-demo').forEach((box) => {
        box.querySelectorAll('.nnlib-static-control, .nnlib-static-play').forEach((control) => {
            if (!visible(control)) return;
            const label = (control.querySelector('.widget-label') || {}).textContent || '';
            control.querySelectorAll('[role="slider"], select, button').forEach((el) => {
                if (!visible(el)) return;
                el.dataset.nameCheck = String(found.length);
                const shown = el.tagName === 'BUTTON' ? el.textContent : label;
                found.push({kind: el.getAttribute('role') || el.tagName.toLowerCase(),
                            shown: shown.trim()});
            });
        });
    });
    return found;
}"""


@pytest.mark.parametrize("page_path", static_demo_pages() or ["<no static demo>"])
def test_every_demo_control_has_an_accessible_name(page_path: str, server: str, browser) -> None:
    """Chromium's accessibility tree (read through the DevTools protocol) gives every
    visible control of every demo a name: the visible label of a slider or drop-down, the
    text of a toggle button, and a word for each of Play's icon-only buttons."""
    if not (SITE / page_path).exists():
        skip_or_fail("the site is not built, or no page has a static demo")
    page, context, problems = open_page(browser, f"{server}/{page_path}")
    try:
        page.wait_for_selector(".nnlib-static-demo .nnlib-frame img", timeout=20_000)
        page.wait_for_timeout(300)  # the names are added on the next animation frame
        controls = page.evaluate(MARK_CONTROLS)
        cdp = context.new_cdp_session(page)
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        for k, control in enumerate(controls):
            node = cdp.send(
                "DOM.querySelector", {"nodeId": root, "selector": f'[data-name-check="{k}"]'}
            )["nodeId"]
            tree = cdp.send(
                "Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": False}
            )["nodes"]
            name = next((n.get("name", {}).get("value", "") for n in tree), "").strip()
            what = f"{control['kind']} {k + 1} ({control['shown'] or 'icon only'!r})"
            if not name:
                problems.append(f"{what} has no accessible name")
            elif control["shown"] and control["shown"] not in name:
                problems.append(f"{what} is named {name!r}, not after what it shows")
    finally:
        context.close()
    assert controls, f"{page_path}: no demo control found"
    assert not problems, f"{page_path}:\n  " + "\n  ".join(problems)


def toc_chapter_order() -> list[str]:
    """The pages from the intro to the last chapter, in _toc.yml's order (built paths)."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]
    for part in toc["parts"]:
        if part.get("caption") == "Reference":
            break
        pages += [entry["file"] for entry in part["chapters"]]
    return [f"{page}.html" for page in pages]


def test_next_links_walk_from_the_intro_through_every_chapter(server: str, browser) -> None:
    """A reader who only clicks "next" at the bottom of each page goes from the intro through
    every chapter, in _toc.yml's order, and ends on chapter 10's final test score."""
    expected = toc_chapter_order()
    assert expected[-1] == "book/10_training_recipe.html", expected
    visited: list[str] = []
    url = f"{server}/{expected[0]}"
    page, context, problems = open_page(browser, url)
    try:
        for _ in range(len(expected) - 1):
            visited.append(urlsplit(page.url).path.lstrip("/"))
            link = page.query_selector("a.right-next")
            assert link is not None, f"{visited[-1]} has no link to the next page at its end"
            link.click()
            page.wait_for_load_state("networkidle")
        visited.append(urlsplit(page.url).path.lstrip("/"))
        assert visited == expected, f"the next links go {visited}, _toc.yml says {expected}"
        text = page.inner_text("article")
        assert "TEST: accuracy" in text, "chapter 10's page does not show its final test score"
    finally:
        context.close()
    assert not problems, problems
