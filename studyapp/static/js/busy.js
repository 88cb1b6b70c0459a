// Work that takes more than a moment (the generator on a long article, an import): once a form marked
// data-busy is sent, its buttons are disabled and the one pressed says "Working…", so nobody wonders whether
// the click took or sends it twice. Without JavaScript the forms work as before.
(function () {
  "use strict";

  function label(button) { return button.tagName === "INPUT" ? button.value : button.textContent; }
  function setLabel(button, text) { if (button.tagName === "INPUT") button.value = text; else button.textContent = text; }

  function busy(form, submitter) {
    var buttons = form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");
    var text = form.getAttribute("data-busy") || "Working…";
    // After this turn of the event loop: the browser has already read the pressed button's name and value.
    window.setTimeout(function () {
      Array.prototype.forEach.call(buttons, function (button) {
        button.dataset.idleLabel = label(button);
        button.disabled = true;
      });
      var pressed = submitter || buttons[0];
      if (pressed) setLabel(pressed, text);
      form.setAttribute("aria-busy", "true");
      var status = form.querySelector(".busy-status");
      if (status) status.textContent = text;
    }, 0);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-busy]") || event.defaultPrevented) return;
    busy(form, event.submitter);
  });

  // Back to the page from the history (bfcache): the buttons work again.
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-busy][aria-busy=true]"), function (form) {
      form.removeAttribute("aria-busy");
      Array.prototype.forEach.call(form.querySelectorAll("[data-idle-label]"), function (button) {
        setLabel(button, button.dataset.idleLabel);
        button.disabled = false;
      });
      var status = form.querySelector(".busy-status");
      if (status) status.textContent = "";
    });
  });
})();
