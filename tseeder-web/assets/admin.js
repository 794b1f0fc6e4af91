// tseeder console, admin pages: the confirmation dialog of dangerous actions. Each action is a
// link or a GET form to a confirmation page (which works without scripts); with scripts it
// opens a dialog instead that asks for the reason, the optional ticket id and, for some
// actions, a word typed to confirm, and posts straight to the action.
(function () {
  "use strict";
  var dialog = document.getElementById("act-dialog");
  if (!dialog || !dialog.showModal) return;
  var form = document.getElementById("act-form");
  var hidden = document.getElementById("act-hidden");
  var typedLabel = document.getElementById("act-typed");
  var typedInput = typedLabel.querySelector("input");

  function fill(text, fields) {
    return (text || "").replace(/\{(\w+)\}/g, function (all, name) { return name in fields ? fields[name] : all; });
  }

  function open(trigger, fields) {
    form.reset();
    hidden.textContent = "";
    Object.keys(fields).forEach(function (name) {
      var input = document.createElement("input");
      input.type = "hidden"; input.name = name; input.value = fields[name];
      hidden.appendChild(input);
    });
    form.setAttribute("action", trigger.getAttribute("data-post"));
    document.getElementById("act-title").textContent = fill(trigger.getAttribute("data-title"), fields);
    document.getElementById("act-text").textContent = fill(trigger.getAttribute("data-text"), fields);
    document.getElementById("act-confirm").textContent = trigger.getAttribute("data-verb") || "Confirm";
    var word = trigger.getAttribute("data-typed") || "";
    typedLabel.hidden = !word;
    typedInput.required = !!word;
    if (word) typedInput.setAttribute("pattern", word); else typedInput.removeAttribute("pattern");
    document.getElementById("act-word").textContent = word;
    dialog.showModal();
    form.querySelector("input[name=reason]").focus();
  }

  document.addEventListener("click", function (e) {
    var link = e.target.closest ? e.target.closest("a[data-act]") : null;
    if (!link) return;
    e.preventDefault();
    open(link, {});
  });
  document.addEventListener("submit", function (e) {
    var trigger = e.target;
    if (!trigger.matches || !trigger.matches("form[data-act]")) return;
    e.preventDefault();
    var fields = {};
    Array.prototype.forEach.call(trigger.elements, function (el) {
      if (el.name && el.name !== "csrf") fields[el.name] = el.value;
    });
    open(trigger, fields);
  });
  document.getElementById("act-cancel").addEventListener("click", function () { dialog.close(); });
})();

// ---- Admin: the search page's results follow the typing, and the arrow keys move through them ----
(function () {
  "use strict";
  var box = document.getElementById("search-q");
  var results = document.getElementById("search-results");
  if (!box || !results || !window.fetch || !window.DOMParser) return;
  var form = document.getElementById("search-form");
  var timer = null;
  var asked = 0;

  function search() {
    var q = box.value.trim();
    var url = form.getAttribute("action") + "?q=" + encodeURIComponent(q);
    var mine = ++asked;
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (res) { return res.text(); })
      .then(function (html) {
        if (mine !== asked) return; // a newer search is on its way
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("search-results");
        if (fresh) results.innerHTML = fresh.innerHTML;
        history.replaceState(null, "", q ? url : form.getAttribute("action"));
      })
      .catch(function () { /* the form still works: Enter submits it */ });
  }

  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 300);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    search();
  });

  function links() { return Array.prototype.slice.call(results.querySelectorAll(".hits a")); }
  document.addEventListener("keydown", function (e) {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    var all = links();
    if (!all.length) return;
    var at = all.indexOf(document.activeElement);
    var next = e.key === "ArrowDown" ? at + 1 : at - 1;
    if (next < 0) { box.focus(); e.preventDefault(); return; }
    if (next >= all.length) next = all.length - 1;
    all[next].focus();
    e.preventDefault();
  });
})();

// ---- Admin: the observability page refreshes its figures while it is open ----
(function () {
  "use strict";
  var box = document.getElementById("observability");
  if (!box || !window.fetch || !window.DOMParser) return;
  var seconds = parseInt(box.getAttribute("data-refresh"), 10) || 30;
  function refresh() {
    if (document.hidden) return;
    fetch(location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (res) { return res.ok ? res.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("observability");
        if (fresh) { box.innerHTML = fresh.innerHTML; box.setAttribute("data-refreshed", String(Date.now())); }
      })
      .catch(function () { /* the next tick tries again */ });
  }
  setInterval(refresh, seconds * 1000);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) refresh(); });
})();
