// Study page: keyboard shortcuts and answers without full page reloads.
// Without JavaScript the page works through plain links and forms; this only adds speed.
(function () {
  "use strict";

  function root() { return document.getElementById("study"); }

  function reveal() {
    var back = document.getElementById("back");
    var row = document.getElementById("reveal-row");
    if (!back || !back.hidden) return false;
    back.hidden = false;
    if (row) row.remove();
    var study = root();
    if (study) study.dataset.revealed = "true";
    var first = back.querySelector(".rate-good") || back.querySelector("button");
    if (first) first.focus({ preventScroll: true });
    return true;
  }

  var busy = false;

  function swapFrom(html, url) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.getElementById("main");
    var current = document.getElementById("main");
    if (!fresh || !current) { window.location.href = url; return; }
    current.replaceWith(fresh);
    document.title = doc.title;
    if (url && url !== window.location.href) history.replaceState(null, "", url);
    bind();
  }

  function submit(form, submitter) {
    if (busy) return;
    busy = true;
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    Array.prototype.forEach.call(form.querySelectorAll("button"), function (b) { b.disabled = true; });
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin", redirect: "follow" })
      .then(function (response) {
        return response.text().then(function (text) { swapFrom(text, response.url); });
      })
      .catch(function () { form.submit(); })
      .finally(function () { busy = false; });
  }

  function bind() {
    var link = document.getElementById("reveal");
    if (link) link.addEventListener("click", function (event) { event.preventDefault(); reveal(); });
    ["answer-form", "undo-form"].forEach(function (id) {
      var form = document.getElementById(id);
      if (!form) return;
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        submit(form, event.submitter);
      });
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = (event.target && event.target.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
    var back = document.getElementById("back");
    if (event.key === " " || event.key === "Enter") {
      if (back && back.hidden) { event.preventDefault(); reveal(); }
      else if (event.key === " " && back) { event.preventDefault(); }
      return;
    }
    if (/^[1-4]$/.test(event.key) && back && !back.hidden) {
      var button = back.querySelector('button[data-key="' + event.key + '"]');
      if (button) { event.preventDefault(); submit(document.getElementById("answer-form"), button); }
      return;
    }
    if (event.key === "u" || event.key === "U") {
      var undo = document.getElementById("undo-form");
      if (undo) { event.preventDefault(); submit(undo, null); }
    }
  });

  bind();
})();
