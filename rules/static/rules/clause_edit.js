/* The clause editor: operators limited to those that fit the chosen fact, a hint per fact, rows added and removed.
   Without this script the page still works: five blank rows, and a row without a fact is left out. */
(function () {
  "use strict";
  var dataNode = document.getElementById("editor-data");
  var rowsNode = document.getElementById("condition-rows");
  var template = document.getElementById("condition-row-template");
  var addButton = document.getElementById("add-condition");
  if (!dataNode || !rowsNode || !template) return;
  var data = JSON.parse(dataNode.textContent);

  function fitOperators(row) {
    var fact = row.querySelector(".cond-fact");
    var select = row.querySelector(".cond-operator");
    var spec = data.facts[fact.value];
    var allowed = spec ? data.operators[spec.type] : Object.keys(data.labels);
    var chosen = select.value;
    select.textContent = "";
    allowed.forEach(function (op) {
      var option = document.createElement("option");
      option.value = op;
      option.textContent = data.labels[op] || op;
      if (op === chosen) option.selected = true;
      select.appendChild(option);
    });
    var hint = row.querySelector(".cond-hint");
    if (hint) hint.textContent = spec ? spec.hint : "";
    fitValue(row);
  }

  function fitValue(row) {
    var op = row.querySelector(".cond-operator").value;
    var value = row.querySelector(".cond-value");
    var valueless = data.valueless.indexOf(op) !== -1;
    value.placeholder = valueless ? "—" : "";
    value.classList.toggle("cond-value--none", valueless);
  }

  function nextIndex() {
    var max = -1;
    rowsNode.querySelectorAll(".cond-row").forEach(function (row) {
      var n = parseInt(row.getAttribute("data-row"), 10);
      if (n > max) max = n;
    });
    return max + 1;
  }

  function nextGroup() {
    var max = 0;
    rowsNode.querySelectorAll(".cond-field--group input").forEach(function (input) {
      var n = parseInt(input.value, 10);
      if (n > max) max = n;
    });
    return max + 1;
  }

  function wire(row) {
    row.querySelector(".cond-fact").addEventListener("change", function () { fitOperators(row); });
    row.querySelector(".cond-operator").addEventListener("change", function () { fitValue(row); });
    var remove = row.querySelector(".cond-remove");
    remove.hidden = false;
    remove.addEventListener("click", function () {
      var next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      var focus = next ? next.querySelector(".cond-fact") : addButton;
      if (focus) focus.focus();
    });
    fitValue(row);
  }

  rowsNode.querySelectorAll(".cond-row").forEach(wire);

  if (addButton) {
    addButton.hidden = false;
    addButton.addEventListener("click", function () {
      var index = String(nextIndex());
      var html = template.innerHTML.replace(/__prefix__/g, index);
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var row = holder.firstElementChild;
      row.querySelector(".cond-field--group input").value = String(nextGroup());
      rowsNode.appendChild(row);
      wire(row);
      row.querySelector(".cond-fact").focus();
    });
  }

  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
