// Loaded on pages with widgets, after require.js and before the widget manager
// (embed-amd.js): see nb_ipywidgets_js in _config.yml.
(function () {
  "use strict";
  // This file is served from _static/site/; the vendored files sit in _static/vendor/.
  var here = document.currentScript.src;
  var staticRoot = here.slice(0, here.lastIndexOf("/site/") + 1);

  // Each module bundled in embed-amd.js (@jupyter-widgets/base, .../controls, ...) finds
  // its icon fonts beside the URL require.js gives that module. By default that URL is
  // under the page's own folder, where the fonts are not: map every module name to a URL
  // in the folder that holds them (require.js uses the longest matching prefix).
  var managerDir = staticRoot + "vendor/html-manager";
  window.requirejs.config({
    paths: {
      "@jupyter-widgets": managerDir,
      "@jupyter-widgets/html-manager/dist": managerDir,
    },
  });
  window.__jupyter_widgets_assets_path__ = managerDir + "/";

  // The theme's Font Awesome script (loaded with `defer`, so after this one) replaces every
  // <i class="fa ..."> with an <svg>. ipywidgets' Play view later looks up its <i> icon to
  // switch play/pause (getElementsByTagName("i")[0].className = ...), finds none and throws,
  // so Play never runs. "nest" mode draws the <svg> inside the <i> instead and redraws it
  // when the <i>'s class changes: the icons still show and Play keeps its <i>.
  window.FontAwesomeConfig = Object.assign(window.FontAwesomeConfig || {}, {
    autoReplaceSvg: "nest",
  });

  // The widget manager typesets maths in labels with the MathJax 2 API (MathJax.Hub.Queue);
  // the site uses MathJax 3. Translate the one call it makes, once MathJax 3 has started.
  document.addEventListener("DOMContentLoaded", function () {
    var mathjax = window.MathJax;
    if (mathjax && !mathjax.Hub) {
      mathjax.Hub = {
        Queue: function (command) {
          var element = Array.isArray(command) ? command[2] : undefined;
          if (element && mathjax.typesetPromise) {
            mathjax.typesetPromise([element]).catch(function () {});
          }
        },
      };
    }
  });
})();
