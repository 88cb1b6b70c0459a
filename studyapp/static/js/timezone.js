// Time-zone fields (an <input list> over a <datalist> of zone names): show this device's zone, and put it in
// while the field still holds the untouched default (data-detect-timezone, "UTC"). The person can still
// type any zone; nothing is saved until the form is sent.
(function () {
  "use strict";
  var detected = "";
  try {
    detected = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (e) {
    return;
  }
  if (!detected) {
    return;
  }
  document.querySelectorAll("input[data-detect-timezone]").forEach(function (input) {
    var list = input.list;
    var known = list && Array.prototype.some.call(list.options, function (option) {
      return option.value === detected;
    });
    if (!known) {
      return;
    }
    var field = input.closest(".field");
    var note = field && field.querySelector(".detected-timezone");
    if (note) {
      note.querySelector("strong").textContent = detected;
      note.hidden = false;
    }
    var untouched = input.value === input.getAttribute("data-detect-timezone") && input.value === input.defaultValue;
    if (untouched && detected !== input.value) {
      input.value = detected;
    }
  });
})();
