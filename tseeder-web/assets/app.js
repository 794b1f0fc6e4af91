// tseeder console: the little script the pages use where they must be live. Every page works
// without it; this adds live progress, the list's search-as-you-type, its category and tag
// filters applied on change, selection and shortcuts, the media player, copy buttons, the file
// picker's running total, confirmation dialogs and the organization switcher's switch on change.
(function () {
  "use strict";
  var base = document.body.getAttribute("data-base") || "";

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  function humanSize(bytes) {
    var units = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if (bytes < 1024) return bytes + " B";
    var v = bytes / 1024, u = 0;
    while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
    return (v >= 100 ? v.toFixed(0) : v.toFixed(1)) + " " + units[u];
  }
  function humanDuration(secs) {
    secs = Math.round(secs);
    if (secs < 60) return secs + " s";
    if (secs < 3600) return Math.floor(secs / 60) + " min";
    if (secs < 86400) return Math.floor(secs / 3600) + " h " + Math.floor(secs % 3600 / 60) + " min";
    return Math.floor(secs / 86400) + " d";
  }
  var LABELS = {
    queued: "Queued", fetching_metadata: "Finding peers", downloading: "Downloading", uploading: "Storing",
    completed: "Completed", paused: "Paused", failed: "Failed", cancelled: "Cancelled"
  };
  function setBadge(el, status) {
    if (!el) return;
    el.className = "badge status-" + status;
    el.textContent = LABELS[status] || status;
  }
  function setProgress(el, pct) {
    if (!el) return;
    el.setAttribute("max", "100");
    el.value = pct;
  }

  // Buttons that ask first.
  document.addEventListener("click", function (e) {
    var btn = e.target.closest ? e.target.closest("[data-confirm]") : null;
    if (btn && !window.confirm(btn.getAttribute("data-confirm"))) e.preventDefault();
  });

  // The header's organization switcher: choosing switches at once (the button is for pages
  // without this script).
  var orgSwitch = $("#org-switch");
  if (orgSwitch) {
    orgSwitch.classList.add("auto");
    $("select", orgSwitch).addEventListener("change", function () { orgSwitch.submit(); });
  }

  // Copy buttons.
  $all("[data-copy]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var input = $(btn.getAttribute("data-copy"));
      if (!input) return;
      input.select();
      var done = function () { btn.textContent = "Copied"; setTimeout(function () { btn.textContent = "Copy"; }, 1500); };
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(input.value).then(done, function () {});
      else { try { document.execCommand("copy"); done(); } catch (err) { /* the text stays selected */ } }
    });
  });

  // ---- Dashboard: selection, shortcuts, search, live rows ----
  var table = $("#jobs-table");
  var search = $("#search");
  if (search) {
    var timer = null, last = search.value;
    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (search.value.trim() === last.trim()) return;
        sessionStorage.setItem("tseeder-search-focus", "1");
        search.form.submit();
      }, 350);
    });
    if (sessionStorage.getItem("tseeder-search-focus")) {
      sessionStorage.removeItem("tseeder-search-focus");
      search.focus();
      var n = search.value.length; search.setSelectionRange(n, n);
    }
  }
  // The category and tag filters: one at a time (choosing one resets the other), applied as soon
  // as chosen (the Search button applies them for pages without this script; the category
  // then wins).
  var labelFilters = $all("select[data-label-filter]");
  labelFilters.forEach(function (select) {
    select.addEventListener("change", function () {
      labelFilters.forEach(function (other) { if (other !== select) other.value = ""; });
      select.form.submit();
    });
  });
  if (table) {
    var all = $("#select-all"), count = $("#selected-count");
    var boxes = function () { return $all("tbody input[name=ids]", table); };
    var refreshSelection = function () {
      var checked = boxes().filter(function (b) { return b.checked; });
      boxes().forEach(function (b) { b.closest("tr").classList.toggle("selected", b.checked); });
      if (count) count.textContent = checked.length ? checked.length + " selected" : "Select all";
      if (all) { all.checked = checked.length > 0 && checked.length === boxes().length; all.indeterminate = checked.length > 0 && !all.checked; }
    };
    if (all) all.addEventListener("change", function () { boxes().forEach(function (b) { b.checked = all.checked; }); refreshSelection(); });
    table.addEventListener("change", function (e) { if (e.target.name === "ids") refreshSelection(); });
    document.addEventListener("keydown", function (e) {
      var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName) && e.target.type !== "checkbox";
      if (e.key === "Escape") {
        if (typing) { e.target.blur(); return; }
        boxes().forEach(function (b) { b.checked = false; }); refreshSelection(); return;
      }
      if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "/" && search) { e.preventDefault(); search.focus(); }
      else if (e.key === "a") { e.preventDefault(); var on = !boxes().every(function (b) { return b.checked; }); boxes().forEach(function (b) { b.checked = on; }); refreshSelection(); }
      else if (e.key === "Delete" || e.key === "Backspace") {
        if (!boxes().some(function (b) { return b.checked; })) return;
        e.preventDefault();
        var del = $("#bulk-bar button[value=delete]");
        if (del) del.click();
      }
    });

    // Live rows: poll the API's list with the page's own filters while something is running.
    var seen = {};
    var poll = function () {
      if (!$all("tr[data-live=true]", table).length) return;
      var params = new URLSearchParams(location.search);
      var q = new URLSearchParams();
      q.set("limit", "100");
      if (params.get("status")) q.set("status", params.get("status"));
      // The API acts in the organization these pages show (the personal one without the header).
      var headers = { Accept: "application/json" };
      var org = document.body.getAttribute("data-org");
      if (org) headers["X-Org-Slug"] = org;
      fetch(table.getAttribute("data-refresh") + "?" + q.toString(), { credentials: "same-origin", headers: headers })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (page) {
          if (!page) return;
          var now = Date.now(), reload = false;
          page.data.forEach(function (job) {
            var row = $("tr[data-id='" + job.id + "']", table);
            if (!row) return;
            if (row.getAttribute("data-status") !== job.status) reload = true;
            setBadge($("[data-field=status]", row), job.status);
            if (job.progressPct !== null && job.progressPct !== undefined) setProgress($("[data-field=progress]", row), job.progressPct);
            $("[data-field=bytes]", row).textContent = humanSize(job.doneBytes) + " / " + (job.totalBytes !== null ? humanSize(job.totalBytes) : "size unknown");
            var prev = seen[job.id];
            if (prev && now > prev.t && job.doneBytes >= prev.d) {
              var bps = (job.doneBytes - prev.d) * 1000 / (now - prev.t);
              $("[data-field=speed]", row).textContent = bps > 0 ? humanSize(bps) + "/s" : "—";
              $("[data-field=eta]", row).textContent = bps > 0 && job.totalBytes ? humanDuration((job.totalBytes - job.doneBytes) / bps) : "—";
            }
            seen[job.id] = { t: now, d: job.doneBytes };
          });
          var selected = boxes().some(function (b) { return b.checked; });
          if (reload && !selected && document.activeElement !== search) location.reload();
        })
        .catch(function () {});
    };
    setInterval(poll, 2000);
    poll();
  }

  // ---- Job page: live progress over the job's event stream ----
  var live = $("#job-live");
  if (live && live.getAttribute("data-live") === "true" && window.EventSource) {
    var url = live.getAttribute("data-events") + "?after=" + (live.getAttribute("data-last-seq") || "0");
    var es = new EventSource(url);
    var history = $("#history");
    var addHistory = function (text) {
      if (!history) return;
      var li = document.createElement("li");
      var span = document.createElement("span"); span.textContent = text;
      var time = document.createElement("time"); time.textContent = "just now";
      li.appendChild(span); li.appendChild(document.createTextNode(" ")); li.appendChild(time);
      history.insertBefore(li, history.firstChild);
    };
    es.addEventListener("progress", function (e) {
      var p = JSON.parse(e.data);
      if (p.progressPct !== null && p.progressPct !== undefined) {
        setProgress($("#job-progress"), p.progressPct);
        $("#job-pct").textContent = Math.floor(p.progressPct) + "%";
      }
      $("#job-bytes").textContent = humanSize(p.doneBytes) + " / " + humanSize(p.totalBytes);
      $("#job-speed").textContent = p.downloadBps ? humanSize(p.downloadBps) + "/s" : "—";
      $("#job-eta").textContent = p.etaSecs !== null && p.etaSecs !== undefined ? humanDuration(p.etaSecs) : "—";
      $("#job-peers").textContent = String(p.peers);
    });
    es.addEventListener("status_changed", function (e) {
      var d = JSON.parse(e.data);
      var to = d.payload && d.payload.to;
      if (to) {
        setBadge($("#job-status"), to);
        addHistory((LABELS[d.payload.from] || d.payload.from) + " → " + (LABELS[to] || to));
      }
    });
    es.addEventListener("end", function () {
      es.close();
      // Bring in the final state (files, actions, history) without leaving the page.
      fetch(location.pathname, { credentials: "same-origin" })
        .then(function (r) { return r.text(); })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          ["#job-live", "#files", "#history", "#job-status"].forEach(function (sel) {
            var fresh = $(sel, doc), old = $(sel);
            if (fresh && old) old.replaceWith(fresh);
          });
          bindPlayer();
          document.dispatchEvent(new CustomEvent("tseeder:job-updated"));
        })
        .catch(function () {});
    });
  }

  // ---- Media player ----
  function bindPlayer() {
    var player = $("#player");
    if (!player) return;
    var video = $("#player-video"), audio = $("#player-audio");
    $all("[data-play]").forEach(function (btn) {
      btn.addEventListener("click", function () {
        var isVideo = btn.getAttribute("data-play") === "video";
        var el = isVideo ? video : audio, other = isVideo ? audio : video;
        other.pause(); other.hidden = true; other.removeAttribute("src");
        el.src = btn.getAttribute("data-src"); el.hidden = false;
        $("#player-title").textContent = btn.getAttribute("data-title");
        player.hidden = false;
        el.play().catch(function () {});
        player.scrollIntoView({ behavior: "smooth", block: "nearest" });
      });
    });
    var close = $("#player-close");
    if (close) close.addEventListener("click", function () {
      [video, audio].forEach(function (el) { el.pause(); el.removeAttribute("src"); el.hidden = true; });
      player.hidden = true;
    });
  }
  bindPlayer();

  // ---- File picker: running total against the storage left ----
  var pick = $("#pick-form");
  if (pick) {
    var left = pick.getAttribute("data-left");
    var boxesP = $all("input[name=files]", pick);
    var pickAll = $("#pick-all");
    var update = function () {
      var total = 0, n = 0;
      boxesP.forEach(function (b) { if (b.checked) { total += Number(b.getAttribute("data-size")); n++; } });
      $("#selected-size").textContent = humanSize(total);
      if (pickAll) { pickAll.checked = n === boxesP.length; pickAll.indeterminate = n > 0 && n < boxesP.length; }
      var line = $("#fit-line");
      if (line && line.getAttribute("data-fixed") === null) {
        if (n === 0) { line.className = "form-error"; line.textContent = "Pick at least one file."; }
        else if (left !== "" && total > Number(left)) { line.className = "form-error"; line.textContent = "The selection is larger than the storage you have left."; }
        else { line.className = "ok"; line.textContent = "Fits in your plan."; }
      }
      $("#start-download").disabled = n === 0;
    };
    boxesP.forEach(function (b) { b.addEventListener("change", update); });
    if (pickAll) pickAll.addEventListener("change", function () { boxesP.forEach(function (b) { b.checked = pickAll.checked; }); update(); });
  }

  // ---- Admin: fleet actions through a confirmation dialog ----
  var dialog = $("#fleet-dialog");
  if (dialog && dialog.showModal) {
    var form = $("#fleet-form");
    var VERBS = { cordon: "Cordon", drain: "Drain", uncordon: "Uncordon" };
    var TEXT = {
      cordon: "It takes no new work until it is uncordoned.",
      drain: "It finishes its jobs but takes no new ones.",
      uncordon: "It takes new work again."
    };
    $all("[data-dialog]").forEach(function (link) {
      link.addEventListener("click", function (e) {
        e.preventDefault();
        var action = link.getAttribute("data-dialog"), worker = link.getAttribute("data-worker");
        form.setAttribute("action", base + "/admin/workers/" + encodeURIComponent(worker) + "/" + action);
        $("#fleet-dialog-title").textContent = VERBS[action] + " " + worker + "?";
        $("#fleet-dialog-text").textContent = TEXT[action];
        $("#fleet-confirm").textContent = VERBS[action];
        form.reset();
        dialog.showModal();
        $("input[name=reason]", form).focus();
      });
    });
    $("#fleet-cancel").addEventListener("click", function () { dialog.close(); });
  }
})();

// ---- The status page: a day's note on hover, focus or tap ----
(function () {
  "use strict";
  var tip = document.getElementById("bar-tip");
  if (!tip) return;
  var box = tip.parentElement;
  function show(bar) {
    tip.textContent = bar.getAttribute("data-tip");
    tip.hidden = false;
    var b = bar.getBoundingClientRect(), p = box.getBoundingClientRect();
    var left = Math.min(Math.max(b.left - p.left - 80, 4), p.width - tip.offsetWidth - 4);
    tip.style.left = left + "px";
    tip.style.top = (b.bottom - p.top + 6) + "px";
  }
  function hide() { tip.hidden = true; }
  box.addEventListener("mouseover", function (e) { if (e.target.classList.contains("bar") && e.target.hasAttribute("data-tip")) show(e.target); });
  box.addEventListener("focusin", function (e) { if (e.target.classList.contains("bar") && e.target.hasAttribute("data-tip")) show(e.target); });
  box.addEventListener("click", function (e) { if (e.target.classList.contains("bar") && e.target.hasAttribute("data-tip")) show(e.target); });
  box.addEventListener("mouseleave", hide);
  box.addEventListener("focusout", hide);
})();
