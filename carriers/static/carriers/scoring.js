/* IIC-A2 scoring form: live totals by second- and first-level indicator, the capped bonus and the grand total.
   The server validates and totals again; this only shows the sums and flags a score outside 0..weight as it is typed. */
(function () {
  "use strict";
  var form = document.getElementById("scoring-form");
  if (!form) { return; }
  var cap = parseFloat(form.dataset.cap);
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input[type=number]"));

  function fmt(x) { return String(Math.round(x * 100) / 100); }
  function message(template, input) {
    return template.replace("%(name)s", input.dataset.name).replace("%(weight)s", input.dataset.weight);
  }
  function check(input, initial) {
    var raw = input.value.trim();
    var weight = parseFloat(input.dataset.weight);
    var value = raw === "" ? 0 : Number(raw);
    var error = "";
    if (raw !== "" && !isFinite(value)) { error = message(form.dataset.msgNan, input); value = 0; }
    else if (value > weight) { error = message(form.dataset.msgAbove, input); }
    else if (value < 0) { error = message(form.dataset.msgBelow, input); }
    if (initial && !error) { return value; }  // keep the server's message until the score is changed
    var note = document.getElementById(input.getAttribute("aria-describedby"));
    if (note) { note.textContent = error; }
    input.closest("tr").classList.toggle("scoring__item--error", !!error);
    if (error) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
    return error ? 0 : value;
  }
  function set(id, value) {
    var out = document.getElementById(id);
    if (!out) { return; }
    out.value = out.textContent = fmt(value);
    var over = out.dataset.max && value > parseFloat(out.dataset.max);
    out.classList.toggle("over", !!over);
    form.querySelectorAll('[data-mirror="' + id + '"]').forEach(function (m) { m.value = m.textContent = fmt(value); });
  }
  function update(event) {
    var initial = !event;
    var seconds = {}, firsts = {}, base = 0, bonus = 0;
    inputs.forEach(function (input) {
      var value = check(input, initial);
      if (input.dataset.bonus) { bonus += value; return; }
      seconds[input.dataset.second] = (seconds[input.dataset.second] || 0) + value;
      firsts[input.dataset.first] = (firsts[input.dataset.first] || 0) + value;
      base += value;
    });
    Object.keys(seconds).forEach(function (k) { set("total-second-" + k, seconds[k]); });
    Object.keys(firsts).forEach(function (k) { set("total-first-" + k, firsts[k]); });
    var counted = Math.min(bonus, cap);
    document.getElementById("bonus-capped").hidden = !(bonus > cap);
    set("total-base", base);
    set("total-bonus", counted);
    set("total-grand", base + counted);
  }
  form.addEventListener("input", update);
  update();
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
