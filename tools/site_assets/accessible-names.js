// Loaded on every page (html_js_files in _config.yml). Some theme controls carry an
// aria-label that differs from the text they show ("Search" on a button that reads
// "Search… Ctrl+K", "Toggle hidden content" on "Show code cell source"): speech-input
// users say what they see and the control does not answer (axe: label-content-name-
// mismatch). Where a control shows text, let that text be its name. Also repairs the
// bibliography's list roles, and lets the keyboard scroll wide equations (below).
(function () {
  "use strict";
  var SELECTOR = [
    ".search-button__button[aria-label]",
    "summary[aria-label]",
    ".nav-link[aria-label]",
  ].join(", ");

  // The colour-mode button shows one icon whose title ("Light", "Dark") is its visible
  // text: keep both in its name, and follow the switch.
  function nameThemeSwitch() {
    document.querySelectorAll(".theme-switch-button").forEach(function (button) {
      var shown = Array.prototype.find.call(
        button.querySelectorAll("svg title, [title]"),
        function (icon) {
          var svg = icon.closest("svg") || icon;
          return svg.getClientRects().length > 0;
        }
      );
      var mode = shown ? (shown.textContent || shown.getAttribute("title") || "").trim() : "";
      if (mode) button.setAttribute("aria-label", "Color mode: " + mode);
    });
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest(".theme-switch-button")) {
      window.setTimeout(nameThemeSwitch, 0);
    }
  });

  // docutils marks the bibliography as role="list" and each entry as "doc-biblioentry", a
  // role ARIA has deprecated, so the list has no items (axe: aria-required-children).
  function listBibliography() {
    document.querySelectorAll('.citation-list[role="list"] > .citation').forEach(function (entry) {
      entry.setAttribute("role", "listitem");
    });
  }

  // A displayed equation wider than the column scrolls sideways; a scrollable region must
  // take the keyboard's focus, or keyboard users cannot scroll it (axe: scrollable-region-
  // focusable). MathJax's right-click menu, which the site does not load, made every
  // equation focusable; make the displayed ones focusable, once MathJax has typeset them.
  function focusableEquations() {
    document.querySelectorAll('mjx-container[display="true"]').forEach(function (equation) {
      if (!equation.hasAttribute("tabindex")) equation.setAttribute("tabindex", "0");
    });
  }

  // MathJax's ui/lazy extension (loaded in _config.yml) typesets the equations on screen
  // first. Once the page has loaded and its demos are drawn (the widget manager marks
  // <html data-widgets="rendered">), typeset the rest when the browser is idle, so that
  // every equation, and the hidden MathML that screen readers read, is complete without
  // scrolling. <html data-maths="typeset"> then says that all of them are.
  function widgetsRendered() {
    var root = document.documentElement;
    var views = document.querySelector('script[type="application/vnd.jupyter.widget-view+json"]');
    if (!views || root.getAttribute("data-widgets") === "rendered") return Promise.resolve();
    return new Promise(function (resolve) {
      document.addEventListener("widgets-rendered", resolve, { once: true });
      window.setTimeout(resolve, 5000); // a widget that never renders must not block maths
    });
  }

  function typesetTheRest(startup) {
    var doc = startup.document;
    if (!doc || typeof doc.lazyTypesetAll !== "function") return Promise.resolve();
    return new Promise(function (resolve) {
      function run() {
        doc.lazyTypesetAll().then(resolve, resolve);
      }
      if (window.requestIdleCallback) window.requestIdleCallback(run, { timeout: 1000 });
      else window.setTimeout(run, 50);
    });
  }

  window.addEventListener("load", function () {
    var startup = window.MathJax && window.MathJax.startup;
    if (!startup || !startup.promise) return;
    Promise.all([startup.promise, widgetsRendered()])
      .then(function () {
        return typesetTheRest(startup);
      })
      .then(function () {
        focusableEquations();
        document.documentElement.setAttribute("data-maths", "typeset");
      });
  });

  function fix() {
    nameThemeSwitch();
    listBibliography();
    document.querySelectorAll(SELECTOR).forEach(function (element) {
      var shown = (element.innerText || "").trim();
      var name = element.getAttribute("aria-label") || "";
      if (shown && shown.toLowerCase().indexOf(name.toLowerCase()) === -1) {
        element.removeAttribute("aria-label");
      } else if (shown && shown !== name && element.matches(".search-button__button")) {
        element.removeAttribute("aria-label");
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fix);
  } else {
    fix();
  }
  window.addEventListener("load", fix);
})();
