// Card editor: a live preview of both sides, rendered by the server's own card-text code.
// Without JavaScript the form works as it is and the edit page shows the saved card.
(function () {
  "use strict";

  var form = document.getElementById("card-form");
  var target = document.getElementById("preview");
  if (!form || !target) return;
  var url = form.dataset.previewUrl;
  var timer = null;
  var latest = 0;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function side(label, html, className, context) {
    var wrap = el("div", "preview-side");
    wrap.appendChild(el("span", "side-label small muted", label));
    var body = el("div", className);
    body.innerHTML = html; // sanitised by the server (nh3), as on the study page
    if (context) body.insertBefore(el("p", "card-context", context), body.firstChild);
    wrap.appendChild(body);
    return wrap;
  }

  function render(data, type) {
    var frag = document.createDocumentFragment();
    if (data.note) frag.appendChild(el("p", "muted small preview-note", data.note));
    (data.cards || []).forEach(function (item) {
      var box = el("div", "preview-card card");
      box.appendChild(el("p", "card-meta small muted", item.label));
      box.appendChild(side("Front", item.front, "front preview-front", data.context));
      box.appendChild(side("Back", item.back, "answer preview-back" + (type === "cloze" ? " cloze-full" : "")));
      frag.appendChild(box);
    });
    if (data.explanation) {
      var explanation = el("div", "explanation preview-explanation");
      explanation.innerHTML = data.explanation;
      frag.appendChild(explanation);
    }
    target.replaceChildren(frag);
    var source = document.getElementById("preview-source");
    if (source) source.textContent = "Live preview: not saved yet.";
  }

  function typeValue() {
    var select = form.querySelector("[name=type]");
    return select ? select.value : "basic";
  }

  function toggleAnswer() {
    var answer = document.getElementById("answer-field");
    if (answer) answer.hidden = typeValue() === "cloze";
  }

  function update() {
    var request = ++latest;
    var type = typeValue();
    fetch(url, { method: "POST", body: new FormData(form), credentials: "same-origin",
                 headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && request === latest) render(data, type); })
      .catch(function () { /* the preview is a convenience; saving still works */ });
  }

  function schedule() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(update, 200);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", function () { toggleAnswer(); schedule(); });
  toggleAnswer();
})();
