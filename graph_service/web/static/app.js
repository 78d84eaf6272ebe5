/* graph-service pages: search as you type, and small helpers. No inline scripts anywhere:
   the pages run under a script-src 'self' Content-Security-Policy. Results are built with
   textContent, so names are shown as text whatever they contain. */
(function () {
  "use strict";

  function describe(actor) {
    var bits = [(actor.kind || "").replace(/_/g, " ")];
    if (actor.city) { bits.push(actor.city); }
    return bits.filter(Boolean).join(" · ");
  }

  function attach(input) {
    var mode = input.getAttribute("data-suggest"); // "go": open the actor page; "fill": put the name in the box
    var list = document.createElement("ul");
    list.className = "suggest";
    list.setAttribute("role", "listbox");
    list.id = input.id + "-suggestions";
    list.hidden = true;
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-autocomplete", "list");
    input.parentNode.appendChild(list);
    var timer = null, seq = 0;

    function close() { list.hidden = true; }

    function show(items, q) {
      list.textContent = "";
      if (!items.length) {
        var empty = document.createElement("li");
        empty.className = "empty";
        empty.textContent = "No actor matches “" + q + "”.";
        list.appendChild(empty);
      }
      items.forEach(function (actor) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        var a = document.createElement("a");
        a.href = "/actors/" + encodeURIComponent(actor.id);
        a.textContent = actor.name;
        a.setAttribute("data-id", actor.id);
        var small = document.createElement("small");
        small.textContent = describe(actor);
        a.appendChild(small);
        if (mode === "fill") {
          a.addEventListener("click", function (ev) {
            ev.preventDefault();
            // a name several actors share would be refused as ambiguous: fill the id instead
            var same = items.filter(function (o) { return o.name.toLowerCase() === actor.name.toLowerCase(); });
            input.value = same.length > 1 ? actor.id : actor.name;
            close();
            input.focus();
          });
        }
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = false;
    }

    function search() {
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      var mine = ++seq;
      fetch("/api/v1/search?limit=8&q=" + encodeURIComponent(q), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (resp) {
        return resp.ok ? resp.json() : { items: [] };
      }).then(function (data) {
        if (mine === seq) { show(data.items || [], q); }
      }).catch(function () { /* offline or logged out: keep the plain form working */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 120);
    });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown" && !list.hidden) {
        var first = list.querySelector("a");
        if (first) { ev.preventDefault(); first.focus(); }
      } else if (ev.key === "Escape") {
        close();
      }
    });
    list.addEventListener("keydown", function (ev) {
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var i = links.indexOf(document.activeElement);
      if (ev.key === "ArrowDown" && i < links.length - 1) { ev.preventDefault(); links[i + 1].focus(); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); (i > 0 ? links[i - 1] : input).focus(); }
      else if (ev.key === "Escape") { close(); input.focus(); }
    });
    document.addEventListener("click", function (ev) {
      if (ev.target !== input && !list.contains(ev.target)) { close(); }
    });
  }

  function start() {
    var inputs = document.querySelectorAll("input[data-suggest]");
    for (var i = 0; i < inputs.length; i++) { attach(inputs[i]); }
    var printers = document.querySelectorAll("[data-print]");
    for (var j = 0; j < printers.length; j++) {
      printers[j].addEventListener("click", function () { window.print(); });
    }
    var autos = document.querySelectorAll("select[data-autosubmit]");
    for (var k = 0; k < autos.length; k++) {
      autos[k].addEventListener("change", function (ev) { ev.target.form.submit(); });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
