/* Draws every network view on a page: an element with data-graph="ID" is filled from the JSON in
   <script type="application/json" id="ID"> (built by visualisations.network.view_data).
   Needs vis-network (served by the app or inlined; never from a CDN). No inline script, no
   innerHTML: labels are drawn on the canvas and tooltips are set as text by vis-network. */
(function () {
  "use strict";

  // vis-network's own fit() counts long labels oddly and can push the nodes off centre: fit the
  // node positions instead, with room for a label under each.
  function fitNodes(network, container) {
    var pos = network.getPositions();
    var ids = Object.keys(pos);
    if (!ids.length || !container.clientWidth || !container.clientHeight) { return; } // hidden (printing)
    var minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    ids.forEach(function (id) {
      var p = pos[id];
      minX = Math.min(minX, p.x); maxX = Math.max(maxX, p.x);
      minY = Math.min(minY, p.y); maxY = Math.max(maxY, p.y);
    });
    var w = (maxX - minX) + 320, h = (maxY - minY) + 120; // margins: labels and node sizes
    var scale = Math.min(container.clientWidth / w, container.clientHeight / h, 1.0);
    network.moveTo({ position: { x: (minX + maxX) / 2, y: (minY + maxY) / 2 + 10 }, scale: scale, animation: false });
  }

  function draw(container) {
    var source = document.getElementById(container.getAttribute("data-graph"));
    if (!source || typeof vis === "undefined") {
      container.textContent = "The network view could not be drawn (vis-network did not load).";
      return;
    }
    var data = JSON.parse(source.textContent);
    var network = new vis.Network(
      container,
      { nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges) },
      data.options
    );
    container.graphServiceNetwork = network;
    window.graphServiceNetwork = window.graphServiceNetwork || network; // tests, benchmarks
    network.once("afterDrawing", function () {
      fitNodes(network, container);
      container.setAttribute("data-ready", "1");
      container.setAttribute("data-drawn-nodes", String(Object.keys(network.getPositions()).length));
      document.body.setAttribute("data-ready", "1");
    });
    network.once("stabilizationIterationsDone", function () {
      // settle once, then stay still: dragging one actor should not set the others moving
      network.setOptions({ physics: { enabled: false } });
      fitNodes(network, container);
    });
    // Keep the whole view in sight while the page settles (grid columns, fonts) or the window is
    // resized, until the user zooms or drags it themselves.
    var touched = false;
    network.on("zoom", function () { touched = true; });
    network.on("dragEnd", function () { touched = true; });
    if (typeof ResizeObserver !== "undefined") {
      new ResizeObserver(function () {
        if (!touched) { network.setSize("100%", "100%"); fitNodes(network, container); }
      }).observe(container);
    }
    if (data.link_base) {
      network.on("click", function (params) {
        if (params.nodes.length && (data.no_page || []).indexOf(params.nodes[0]) < 0) {
          window.location.href = data.link_base + encodeURIComponent(params.nodes[0]);
        }
      });
      network.on("hoverNode", function () { container.style.cursor = "pointer"; });
      network.on("blurNode", function () { container.style.cursor = ""; });
    }
  }

  function start() {
    var containers = document.querySelectorAll("[data-graph]");
    for (var i = 0; i < containers.length; i++) { draw(containers[i]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
