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
