// Study page: keyboard shortcuts and one JSON round trip per answer.
// Without JavaScript the page works through plain links and forms; this only adds speed. An answer is
// POSTed as JSON (CSRF token in the X-CSRFToken header); the 201 response carries the next card, its
// button intervals and today's counts, and the page is updated in place. If the request fails, the form
// is submitted the ordinary way WITH the rating, so no answer is lost (a repeat is refused by the server).
(function () {
  "use strict";

  var RATINGS = { 1: "again", 2: "hard", 3: "good", 4: "easy" };
  var busy = false;

  function $(id) { return document.getElementById(id); }

  function reveal() {
    var back = $("back");
    if (!back || !back.hidden) return false;
    back.hidden = false;
    var row = $("reveal-row");
    if (row) row.hidden = true;
    var study = $("study");
    if (study) study.dataset.revealed = "true";
    var good = back.querySelector(".rate-good") || back.querySelector("button");
    if (good) good.focus({ preventScroll: true });
    return true;
  }

  function setText(id, value) { var el = $(id); if (el) el.textContent = value; }

  function announce(text) {
    var status = $("study-status");
    if (!status) return;
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function showCounts(counts) {
    setText("done-count", counts.done);
    var head = document.querySelector(".queue-counts");
    if (head) {
      head.querySelector(".count-new").textContent = counts["new"];
      head.querySelector(".count-learning").textContent = counts.learning;
      head.querySelector(".count-review").textContent = counts.review;
    }
    var bar = document.querySelector(".progress");
    if (bar) {
      bar.setAttribute("aria-valuenow", counts.progress);
      var progress = bar.querySelector("progress");
      if (progress) { progress.value = counts.progress; progress.textContent = counts.progress + "%"; }
    }
  }

  function showCard(card, reviewId) {
    var form = $("answer-form");
    form.elements.card_id.value = card.card_id;
    form.elements.version.value = card.version;
    form.elements.shown_at.value = card.shown_at;
    var article = $("card");
    article.dataset.cardId = card.card_id;
    article.dataset.queue = card.queue;
    var kind = card.kind.charAt(0).toUpperCase() + card.kind.slice(1);
    // the section's title, unless the context line above the front says the same
    var section = card.section && card.section.title !== card.context ? card.section.title : "";
    setText("card-kind", section ? kind + " · " + section : kind);
    $("badge-new").hidden = card.queue !== "new";
    setText("card-context", card.context || "");
    $("card-context").hidden = !card.context;
    // Server-rendered, sanitized HTML (the same the page template inserts).
    $("front").innerHTML = card.front;
    var answer = $("answer");
    answer.innerHTML = card.back;
    answer.classList.toggle("cloze-full", card.type !== "basic");
    var explanation = $("explanation");
    explanation.innerHTML = card.explanation;
    explanation.hidden = !card.explanation;
    $("guide-row").hidden = !card.section;
    if (card.section) { $("guide-link").href = card.section.url; setText("guide-title", card.section.title); }
    Object.keys(RATINGS).forEach(function (key) {
      var button = form.querySelector('button[data-key="' + key + '"]');
      if (button) button.querySelector(".interval").textContent = card.intervals[RATINGS[key]];
    });
    $("back").hidden = true;
    $("reveal-row").hidden = false;
    $("reveal").href = card.reveal_url;
    $("study").dataset.revealed = "false";
    var undo = $("undo-form");
    if (undo && reviewId) { undo.elements.review_id.value = reviewId; undo.hidden = false; }
    article.focus({ preventScroll: false });
    announce("Answer saved. Next card" + (card.queue === "new" ? " (new)" : "") + ": " + (card.context ? card.context + ". " : "") + $("front").textContent.trim());
  }

  function buttons(disabled) {
    Array.prototype.forEach.call($("answer-form").querySelectorAll("button"), function (b) { b.disabled = disabled; });
  }

  // Without the script's help: the ordinary form POST, carrying the rating pressed.
  function fallback(form, rating) {
    buttons(false);
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = "rating";
    input.value = String(rating);
    form.appendChild(input);
    HTMLFormElement.prototype.submit.call(form);
  }

  function answer(rating) {
    var form = $("answer-form");
    if (busy || !form) return;
    busy = true;
    var body = {
      card_id: Number(form.elements.card_id.value), version: Number(form.elements.version.value),
      rating: Number(rating), shown_at: form.elements.shown_at.value
    };
    buttons(true);
    fetch(form.action, {
      method: "POST", credentials: "same-origin", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "Accept": "application/json",
                 "X-CSRFToken": form.elements.csrf_token.value }
    }).then(function (response) {
      if (response.status === 201) {
        return response.json().then(function (data) {
          busy = false;
          buttons(false);
          if (!data.next) { window.location.assign(data.done_url); return; }
          showCounts(data.counts);
          showCard(data.next, data.review_id);
        });
      }
      if (response.status === 409 || response.status === 404) {
        // Answered already, retired, or gone: the page as the server sees it now (with its message).
        window.location.assign($("study").dataset.doneUrl);
        return;
      }
      throw new Error("answer not saved: HTTP " + response.status);
    }).catch(function () {
      busy = false;
      fallback(form, rating);
    });
  }

  function bind() {
    var link = $("reveal");
    if (link) link.addEventListener("click", function (event) { event.preventDefault(); reveal(); });
    var form = $("answer-form");
    if (form) {
      form.addEventListener("submit", function (event) {
        var submitter = event.submitter;
        if (!submitter || !submitter.value) return;  // a submit without a rating button: let it go as it is
        event.preventDefault();
        answer(submitter.value);
      });
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    var tag = (event.target && event.target.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
    var back = $("back");
    if (!back) {
      if (event.key === "u" || event.key === "U") {
        var done = $("undo-form");
        if (done) { event.preventDefault(); done.submit(); }
      }
      return;
    }
    if (event.key === " " || event.key === "Enter") {
      if (back.hidden) { event.preventDefault(); reveal(); return; }
      if (event.key === " ") { event.preventDefault(); answer(3); }  // as in Anki: Space is Good
      return;
    }
    if (/^[1-4]$/.test(event.key) && !back.hidden) {
      event.preventDefault();
      answer(event.key);
      return;
    }
    if (event.key === "u" || event.key === "U") {
      var undo = $("undo-form");
      if (undo && !undo.hidden) { event.preventDefault(); undo.submit(); }
    }
  });

  bind();
  // Keys and buttons are handled from here on (the script is deferred: a key pressed before this is the
  // browser's own). Browser tests wait for this mark before they press a key.
  document.documentElement.dataset.studyReady = "true";
})();
