// The site's Jupyter widget manager: renders the widget state stored in a page with
// ipywidgets 8's own models and views (@jupyter-widgets/base and /controls, from npm), and
// nothing else. tools/stage_assets.py bundles this file with esbuild (package.json) into
// _static/site/widget-manager.js (+ .css), which pages with widgets load (nb_ipywidgets_js
// in _config.yml).
//
// Why not @jupyter-widgets/html-manager's own bundles: embed-amd.js (3.6 MB, 0.92 MB gzip)
// and embed.js (1.9 MB, 0.46 MB gzip) also carry ipywidgets 7's models, the Output widget
// with JupyterLab's rendermime, a JSON-schema validator, require.js loading of custom
// widgets and a second copy of Font Awesome with its fonts. The course stores core
// ipywidgets 8 widgets only (Stack, Image/HTML, sliders, Dropdown, ToggleButtons, Play,
// links), and the theme's stylesheet already draws Font Awesome icons. This does what
// html-manager's renderWidgets does (lib/libembed.js), with HTMLManager's comm stubs.
import * as base from "@jupyter-widgets/base";
import { ManagerBase } from "@jupyter-widgets/base-manager";
import * as controls from "@jupyter-widgets/controls";
import { MessageLoop } from "@lumino/messaging";
import { Widget } from "@lumino/widgets";
import "@lumino/widgets/style/index.css";
import "@jupyter-widgets/controls/css/widgets.css";

const STATE = "application/vnd.jupyter.widget-state+json";
const VIEW = "application/vnd.jupyter.widget-view+json";
// ipywidgets 8 writes these module versions into the widget state.
const MODULES = {
  "@jupyter-widgets/base": { version: "2.", module: base },
  "@jupyter-widgets/controls": { version: "2.", module: controls },
};

class StaticManager extends ManagerBase {
  constructor() {
    super();
    this.views = new Set();
    window.addEventListener("resize", () => {
      this.views.forEach((view) =>
        MessageLoop.postMessage(view.luminoWidget, Widget.ResizeMessage.UnknownSize)
      );
    });
  }

  async loadClass(className, moduleName, moduleVersion) {
    const known = MODULES[moduleName];
    if (!known || !String(moduleVersion).replace(/^[~^]/, "").startsWith(known.version)) {
      throw new Error(
        `${moduleName}@${moduleVersion}: the site's widget manager has ipywidgets 8's ` +
          "core widgets only (tools/widget_manager/index.js)"
      );
    }
    if (!known.module[className]) throw new Error(`${className} is not in ${moduleName}`);
    return known.module[className];
  }

  async display_view(view, el) {
    const shown = await view;
    Widget.attach(shown.luminoWidget, el);
    this.views.add(shown);
    shown.once("remove", () => this.views.delete(shown));
  }

  // No kernel: widgets never talk to one.
  _get_comm_info() {
    return Promise.resolve({});
  }

  _create_comm() {
    return Promise.resolve({ on_close() {}, on_msg() {}, close() {} });
  }
}

async function renderWidgets(root = document.documentElement) {
  const states = Array.from(root.querySelectorAll(`script[type="${STATE}"]`));
  await Promise.all(
    states.map(async (tag) => {
      const manager = new StaticManager();
      const models = await manager.set_state(JSON.parse(tag.textContent));
      const byId = new Map(models.map((model) => [model.model_id, model]));
      const views = Array.from(root.querySelectorAll(`script[type="${VIEW}"]`));
      await Promise.all(
        views.map(async (viewTag) => {
          const model = byId.get(JSON.parse(viewTag.textContent).model_id);
          if (model === undefined || viewTag.parentElement === null) return;
          const area = document.createElement("div");
          area.className = "widget-subarea";
          viewTag.parentElement.insertBefore(area, viewTag);
          await manager.display_view(manager.create_view(model), area);
        })
      );
    })
  );
}

// The stylesheet esbuild writes beside this script.
const script = document.currentScript;
if (script && script.src) {
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = script.src.replace(/\.js(\?.*)?$/, ".css");
  document.head.appendChild(link);
}

// ipywidgets typesets maths in labels with MathJax 2's API (MathJax.Hub.Queue); the site
// uses MathJax 3. Translate the one call it makes.
function bridgeMathJax() {
  const mathjax = window.MathJax;
  if (mathjax && !mathjax.Hub) {
    mathjax.Hub = {
      Queue(command) {
        const element = Array.isArray(command) ? command[2] : undefined;
        if (element && mathjax.typesetPromise) {
          mathjax.typesetPromise([element]).catch(() => {});
        }
      },
    };
  }
}

// Once every stored widget is on the page, say so: <html data-widgets="rendered"> and a
// "widgets-rendered" event (accessible-names.js waits for it before typesetting the
// equations that are off screen, so the demos come first).
function announce() {
  document.documentElement.setAttribute("data-widgets", "rendered");
  document.dispatchEvent(new Event("widgets-rendered"));
}

function start() {
  bridgeMathJax();
  renderWidgets()
    .catch((error) => console.error("widgets: ", error))
    .then(announce);
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start);
} else {
  start();
}
