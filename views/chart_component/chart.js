// SONI chart component (views/plots.py): draws one plotly figure with the cartesian plotly.js bundle
// and sends a click on a cell (the cell's key in the clicked point's customdata) back to Streamlit.
// Speaks Streamlit's component protocol (components v1) by hand, without streamlit-component-lib.
(() => {
  "use strict";
  const node = document.getElementById("chart");
  let shown = null;  // the figure JSON drawn last: a rerun with the same figure draws nothing
  let plotly = null; // plotly.js loaded (a promise); null again when loading failed
  let first = null;  // plotly loaded and the first figure drawn (a promise); null again when that failed
  let latest = null; // the arguments of the last render message

  function send(type, data) {
    window.parent.postMessage({ isStreamlitMessage: true, type, ...data }, "*");
  }

  function sendHeight() {
    send("streamlit:setFrameHeight", { height: Math.ceil(node.getBoundingClientRect().height) });
  }

  function clicked(event) {
    const keys = (event.points || [])
      .map((p) => (Array.isArray(p.customdata) ? p.customdata[0] : p.customdata))
      .filter((k) => typeof k === "string" && k !== "");
    if (keys.length) {
      // the time makes a second click on the same cell a new value (it follows a click elsewhere)
      send("streamlit:setComponentValue", { value: { keys, at: Date.now() }, dataType: "json" });
    }
  }

  function loadPlotly() {
    if (plotly === null) {
      plotly = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = "plotly-cartesian-4.1.1.min.js";  // already fetched (preload in index.html)
        script.onload = resolve;
        script.onerror = () => {
          script.remove();
          plotly = null;  // the next render loads it again
          reject(new Error("plotly.js konnte nicht geladen werden"));
        };
        document.head.appendChild(script);
      });
    }
    return plotly;
  }

  // A failed load or draw is not final: the next render message tries again (a figure not drawn is
  // drawn then, even when it is the same).
  function failed(error) {
    shown = null;
    console.error("SONI-Diagramm:", error);
  }

  function draw() {
    if (latest.spec === shown) return Promise.resolve();
    shown = latest.spec;
    const fig = JSON.parse(latest.spec);
    const config = { ...JSON.parse(latest.config), responsive: true };
    return Plotly.react(node, fig.data, fig.layout, config).then(() => {
      if (!node.dataset.bound) {
        node.dataset.bound = "1";
        node.on("plotly_click", clicked);
        node.on("plotly_afterplot", sendHeight);
      }
      sendHeight();
    });
  }

  // The page's charts are frames of one origin and share the page's main thread: each runs plotly.js
  // (about a second of work on a slow machine) and draws its first figure in turn (a Web Lock, where the
  // browser has them), so the first chart is drawn before the next starts instead of all at the end.
  function inTurn(work) {
    return navigator.locks ? navigator.locks.request("soni-chart-first-draw", work) : work();
  }

  function render(args) {
    latest = args;
    if (first === null) {
      const attempt = inTurn(() => loadPlotly().then(draw));
      first = attempt;
      attempt.catch((error) => {
        if (first === attempt) first = null;
        failed(error);
      });
    } else {
      first.then(draw, () => {}).catch(failed);  // a failed first attempt was reported by itself
    }
  }

  window.addEventListener("message", (event) => {
    if (event.source !== window.parent || !event.data || event.data.type !== "streamlit:render") return;
    render(event.data.args);
  });
  send("streamlit:componentReady", { apiVersion: 1 });
})();
