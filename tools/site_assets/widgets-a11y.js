// Loaded on pages with widgets (see nb_ipywidgets_js in _config.yml): gives ipywidgets'
// controls the accessible names the widget manager leaves out, so that a screen reader
// and the keyboard can drive every demo.
//   - Play's buttons show only an icon: name them (Play/Pause, Stop, Repeat).
//   - A slider's handle (role="slider") is not tied to the slider's visible label: name it
//     after the label, and let it read out the shown value (a SelectionSlider's label, not
//     its index).
(function () {
  "use strict";
  var PLAY = ["Play or pause", "Stop", "Repeat"];

  function label(widget) {
    var text = widget.querySelector(".widget-label");
    return text ? text.textContent.trim() : "";
  }

  function fix(root) {
    root.querySelectorAll(".widget-play").forEach(function (play) {
      play.querySelectorAll("button").forEach(function (button, k) {
        if (!button.getAttribute("aria-label") && PLAY[k]) {
          button.setAttribute("aria-label", PLAY[k]);
        }
      });
    });
    root.querySelectorAll(".widget-slider").forEach(function (slider) {
      var name = label(slider) || "slider";
      var readout = slider.querySelector(".widget-readout");
      slider.querySelectorAll('[role="slider"]').forEach(function (handle) {
        if (handle.getAttribute("aria-label") !== name) handle.setAttribute("aria-label", name);
        var shown = readout ? readout.textContent.trim() : "";
        if (shown && handle.getAttribute("aria-valuetext") !== shown) {
          handle.setAttribute("aria-valuetext", shown);
        }
      });
      // The readout is editable text with no name of its own.
      if (readout && !readout.getAttribute("aria-label")) {
        readout.setAttribute("aria-label", name + " value");
      }
    });
    root.querySelectorAll(".widget-dropdown select, .widget-toggle-buttons").forEach(
      function (control) {
        var widget = control.closest(".widget-dropdown, .widget-toggle-buttons") || control;
        var name = label(widget);
        if (name && !control.getAttribute("aria-label")) control.setAttribute("aria-label", name);
      }
    );
  }

  var pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      fix(document);
    });
  }).observe(document.documentElement, {
    childList: true,
    subtree: true,
    characterData: true,
  });
})();
