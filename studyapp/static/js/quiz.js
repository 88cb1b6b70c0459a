// Quiz pages: the keyboard as in a flashcard app. Number keys 1-9 pick an option, Enter answers and then goes on
// to the next question; focus is put on the question (or on the feedback) when a page opens, and the page's
// live region announces it. Without JavaScript the same pages work through plain forms and links.
(function () {
  "use strict";

  function typing(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    if (tag === "textarea" || tag === "select" || target.isContentEditable) return true;
    return tag === "input" && !/^(radio|checkbox|submit|button)$/i.test(target.type);
  }

  function announce(text) {
    var live = document.getElementById("quiz-announce");
    if (!live || !text) return;
    // Filled after load (not in the HTML) so that screen readers announce the change.
    window.setTimeout(function () { live.textContent = text.replace(/\s+/g, " ").trim(); }, 60);
  }

  function questionPage(form) {
    var radios = form.querySelectorAll("input[type=radio][name=given]");
    var typed = form.querySelector("input[type=text][name=given]");
    var position = document.getElementById("quiz-position");
    var prompt = document.getElementById("prompt");
    var context = document.getElementById("question-context");
    var intro = (position ? position.textContent + ". " : "") + (context ? context.textContent + ". " : "") +
      (prompt ? prompt.textContent : "");
    if (radios.length) {
      intro += " " + radios.length + " options: press 1 to " + Math.min(radios.length, 9) + " to choose, Enter to answer.";
      var checked = form.querySelector("input[type=radio][name=given]:checked");
      (checked || radios[0]).focus({ preventScroll: true });
    } else if (typed) {
      typed.focus({ preventScroll: true });
    }
    announce(intro);

    var sent = false;
    form.addEventListener("submit", function () { sent = true; });
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || sent) return;
      if (/^[1-9]$/.test(event.key) && radios.length && !typing(event.target)) {
        var radio = radios[Number(event.key) - 1];
        if (!radio) return;
        event.preventDefault();
        radio.checked = true;
        radio.focus({ preventScroll: true });
        radio.dispatchEvent(new Event("change", { bubbles: true }));
      } else if (event.key === "Enter" && !event.shiftKey && event.target.tagName !== "A"
                 && event.target.tagName !== "BUTTON" && event.target.type !== "submit"
                 && (!typing(event.target) || event.target === typed)) {
        event.preventDefault();
        sent = true;
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
      }
    });
  }

  function feedbackPage(feedback) {
    var next = document.getElementById("next");
    var verdict = feedback.querySelector(".verdict");
    var right = feedback.querySelector(".right-answer");
    var text = (verdict ? verdict.textContent : "") + (right ? " The right answer: " + right.textContent + "." : "");
    if (next) {
      next.focus({ preventScroll: true });
      text += " Press Enter for " + next.textContent.trim().toLowerCase() + ".";
    }
    announce(text);
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.ctrlKey || event.metaKey || event.altKey || !next) return;
      if (event.target.tagName === "A" || event.target.tagName === "BUTTON" || typing(event.target)) return;
      event.preventDefault();
      next.click();
    });
  }

  function start() {
    var form = document.getElementById("answer-form");
    var feedback = document.getElementById("feedback");
    if (form) questionPage(form);
    else if (feedback) feedbackPage(feedback);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
