// SONI chart component (views/plots.py): draws one plotly figure with the cartesian plotly.js bundle
// and sends a click on a cell (the cell's key in the clicked point's customdata) back to Streamlit.
// Speaks Streamlit's component protocol (components v1) by hand, without streamlit-component-lib.
(() => {
  "use strict";
  const node = document.getElementById("chart");
  let shown = null;  // the figure JSON drawn last: a rerun with the same figure draws nothing

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

  function render(args) {
    if (args.spec === shown) return;
    shown = args.spec;
    const fig = JSON.parse(args.spec);
    const config = { ...JSON.parse(args.config), responsive: true };
    Plotly.react(node, fig.data, fig.layout, config).then(() => {
      if (!node.dataset.bound) {
        node.dataset.bound = "1";
        node.on("plotly_click", clicked);
        node.on("plotly_afterplot", sendHeight);
      }
      sendHeight();
    });
  }

  window.addEventListener("message", (event) => {
    if (event.source !== window.parent || !event.data || event.data.type !== "streamlit:render") return;
    render(event.data.args);
  });
  send("streamlit:componentReady", { apiVersion: 1 });
})();
