/* The checker's live mode: each change asks POST /api/v1/eligibility/check, the results are
   re-rendered in place and questions that cannot matter any more are hidden.
   Without this script the form posts to /check/ and the server renders the same results
   (eligibility/templates/eligibility/_results.html, whose markup this file mirrors). */
(function () {
  "use strict";

  var form = document.getElementById("checker-form");
  var dataNode = document.getElementById("checker-data");
  if (!form || !dataNode || !window.fetch || !window.JSON) return;

  var data = JSON.parse(dataNode.textContent);
  var S = data.strings;
  var results = document.getElementById("results");
  var body = document.getElementById("results-body");
  var questions = Array.prototype.slice.call(form.querySelectorAll(".question[data-fact]"));
  var sections = Array.prototype.slice.call(form.querySelectorAll("fieldset.section[data-section]"));
  var seq = 0;
  var timer = null;
  var lastSent = null;
  var lastPayload = null; // the facts of the request whose answer is shown
  var lastResult = null;
  var unavailable = false;
  var jump = document.getElementById("results-jump");
  var NEAR_MISSES_SHOWN = 3; // as _results.html

  /* ---------- small helpers ---------- */

  function fmt(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return String(values[key]); });
  }

  function pick(item, field) {
    return (data.english && item[field + "_en"]) || item[field + "_zh"] || "";
  }

  function h(tag, attrs) {
    var node = document.createElement(tag);
    var key;
    for (key in attrs || {}) {
      if (Object.prototype.hasOwnProperty.call(attrs, key) && attrs[key] != null) node.setAttribute(key, attrs[key]);
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function append(node, child) {
    if (child == null || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }

  function replaceChildren(node, children) {
    while (node.firstChild) node.removeChild(node.firstChild);
    append(node, children);
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  /* Same rules as catalogue.display.money / amount on the server. */
  function money(yuan) {
    if (data.english) return "CNY " + yuan.toLocaleString("en-US");
    return (yuan / 10000).toLocaleString("en-US", { maximumFractionDigits: 4 }) + " 万元";
  }

  function amountText(yuan, kind) {
    if (kind === "none") return S.nonMonetary;
    if (yuan == null || kind === "unspecified") return S.notStated;
    if (kind === "cap") return fmt(S.upTo, { amount: money(yuan) });
    if (kind === "equity") return fmt(S.equityUpTo, { amount: money(yuan) });
    return money(yuan);
  }

  function clauseUrl(code) {
    return data.clauseUrl.replace("CODE", encodeURIComponent(code));
  }

  /* ---------- reading the form ---------- */

  function NotANumber() {}

  function valueOf(question) {
    var type = question.getAttribute("data-type");
    if (type === "bool") {
      var radio = question.querySelector("input[type=radio]:checked");
      return radio && radio.value !== "" ? radio.value === "true" : undefined;
    }
    if (type === "multi_enum") {
      var ticked = Array.prototype.map.call(question.querySelectorAll("input[type=checkbox]:checked"), function (c) { return c.value; });
      return ticked.length ? ticked : undefined;
    }
    var input = question.querySelector("input, select");
    if (input.validity && input.validity.badInput) throw new NotANumber();
    var raw = input.value.trim();
    if (raw === "") return undefined;
    if (type === "int" || type === "money") return Number(raw);
    return raw; // dates as YYYY-MM-DD; percentages as typed, so two decimals stay exact
  }

  function collect() {
    var facts = {};
    var local = {};
    questions.forEach(function (q) {
      var code = q.getAttribute("data-fact");
      if (code === "as_of") return;
      try {
        var value = valueOf(q);
        if (value !== undefined) facts[code] = value;
      } catch (e) {
        if (!(e instanceof NotANumber)) throw e;
        local[code] = S.notNumber;
      }
    });
    var payload = { facts: facts };
    var asOf = form.elements.as_of;
    if (asOf && asOf.value) payload.as_of = asOf.value;
    if (asOf && asOf.validity && asOf.validity.badInput) local.as_of = data.invalidDate;
    return { payload: payload, local: local };
  }

  function isAnswered(question) {
    try { return valueOf(question) !== undefined; } catch (e) { return true; }
  }

  /* ---------- errors next to their fields ---------- */

  function questionFor(code) {
    return form.querySelector('.question[data-fact="' + code + '"]');
  }

  function clearErrors() {
    questions.forEach(function (q) {
      q.classList.remove("question--error");
      var err = document.getElementById("err-" + q.getAttribute("data-fact"));
      if (err) err.textContent = "";
      Array.prototype.forEach.call(q.querySelectorAll("[aria-invalid]"), function (el) { el.removeAttribute("aria-invalid"); });
    });
  }

  function showErrors(errors) {
    var items = [];
    Object.keys(errors).forEach(function (code) {
      var q = questionFor(code);
      if (!q) { items.push(h("li", null, errors[code])); return; }
      q.hidden = false;
      if (q.closest("fieldset.section")) q.closest("fieldset.section").hidden = false;
      q.classList.add("question--error");
      document.getElementById("err-" + code).textContent = errors[code];
      var control = q.querySelector("input:not([type=hidden]), select");
      Array.prototype.forEach.call(q.querySelectorAll("input, select"), function (el) { el.setAttribute("aria-invalid", "true"); });
      var label = q.querySelector("label, legend");
      items.push(h("li", null, h("a", { href: "#" + (control ? control.id : q.id) }, label ? label.textContent.trim() : code), ": ", errors[code]));
    });
    replaceChildren(body, h("div", { class: "error-box", role: "alert" }, h("p", null, S.fixErrors), h("ul", null, items)));
  }

  function showApiError(error) {
    var field = (error.field || "").replace(/^facts\./, "");
    var message = error.message;  /* in the page's language: the API answers in it */
    var errors = {};
    errors[questionFor(field) ? field : "_"] = message;
    showErrors(errors);
  }

  /* Keep what is shown (it may be the server's answer to a plain post) and say how to go on. */
  function showUnavailable() {
    unavailable = true;
    lastSent = null;
    var old = document.getElementById("live-unavailable");
    if (old) old.parentNode.removeChild(old);
    body.insertBefore(h("div", { class: "error-box", role: "alert", id: "live-unavailable" }, h("p", null, S.unavailable)), body.firstChild);
  }

  /* ---------- hiding questions that cannot matter ---------- */

  function applyRelevance(relevant) {
    var wanted = {};
    relevant.forEach(function (code) { wanted[code] = true; });
    questions.forEach(function (q) {
      var code = q.getAttribute("data-fact");
      if (code === "as_of") return;
      q.hidden = !(wanted[code] || isAnswered(q) || q.contains(document.activeElement));
    });
    sections.forEach(function (s) {
      s.hidden = !s.querySelector(".question:not([hidden])");
    });
  }

  /* ---------- rendering results (mirrors _results.html and _result_card.html) ---------- */

  function codePill(code) {
    return h("a", { class: "code-pill", href: clauseUrl(code) }, code);
  }

  function head(code, title) {
    return h("header", { class: "result__head" }, codePill(code), h("h4", null, title));
  }

  function checklist(kind, messages) {
    return h("ul", { class: "checklist checklist--" + kind }, messages.map(function (m) { return h("li", null, pick(m, "message")); }));
  }

  function bureauList(item) {
    var out = [];
    item.bureaus.forEach(function (b, i) {
      if (i) out.push(S.separator);
      out.push(h("span", { class: "bureau" }, data.bureaus[b] || b,
        b === item.lead_bureau ? [" ", h("span", { class: "badge badge--lead" }, S.lead)] : null));
    });
    return out;
  }

  function card(item, review) {
    var c = item.citation;
    var label = data.articles[c.document + "/" + c.article_key] || c.article;
    return h("article", { class: "result result--" + (review ? "review" : "eligible"), "data-code": item.code },
      head(item.code, pick(item, "title")),
      h("dl", { class: "result__facts" },
        h("div", null, h("dt", null, S.amount),
          h("dd", null, h("strong", { class: "amount" }, amountText(item.amount_yuan, item.amount_kind)), " ",
            h("span", { class: "badge" }, data.amountKinds[item.amount_kind] || item.amount_kind))),
        h("div", null, h("dt", null, S.bureaus), h("dd", null, bureauList(item)))),
      h("figure", { class: "citation" },
        h("blockquote", { lang: "zh-Hans" }, c.text),
        h("figcaption", null, S.originalText + " · " + (data.documents[c.document] || c.document) + " · " + label)),
      review ? [h("h5", null, S.awaiting), checklist("awaiting", item.awaiting || [])] : null,
      h("h5", null, S.because),
      checklist("met", item.because || []),
      applyLink(item),
      item.not_combinable_with && item.not_combinable_with.length
        ? h("p", { class: "result__note" }, fmt(S.notCombinable, { codes: item.not_combinable_with.join(", ") }))
        : null);
  }

  /* Apply for a clause with the facts just checked (evaluations and obligations are not applied for). */
  function applyLink(item) {
    if (!lastResult || data.applicableKinds.indexOf(item.kind) < 0) return null;
    var query = new URLSearchParams({ clause: item.code, facts: JSON.stringify(lastResult.facts), as_of: lastResult.as_of });
    return h("p", { class: "result__actions" },
      h("a", { class: "button button--primary", href: data.applyUrl + "?" + query.toString() }, S.apply));
  }

  /* What would make a near miss apply (matching's what-if page), with the facts just checked. */
  function whatIfLink(n) {
    if (!lastResult || !data.whatIfUrl) return null;
    var query = new URLSearchParams({ clause: n.code, facts: JSON.stringify(lastResult.facts), as_of: lastResult.as_of });
    return h("p", { class: "result__actions" }, h("a", { class: "what-if-link", href: data.whatIfUrl + "?" + query.toString() }, S.whatIf));
  }

  /* Only the first `shown` items are open; the rest wait behind a <details>. */
  function group(kind, title, items, render, shown) {
    if (!items.length) return null;
    var limit = shown || items.length;
    return h("section", { class: "result-group result-group--" + kind },
      h("h3", null, title, " ", h("span", { class: "count" }, items.length)),
      items.slice(0, limit).map(render),
      items.length > limit
        ? h("details", { class: "more" }, h("summary", null, fmt(S.showMore, { counter: items.length - limit })), items.slice(limit).map(render))
        : null);
  }

  function render(r) {
    lastResult = { facts: (lastPayload && lastPayload.facts) || {}, as_of: r.as_of };
    var empty = !(r.eligible.length || r.needs_review.length || r.near_misses.length || r.superseded.length);
    replaceChildren(body, [
      h("p", { class: "results__meta" }, fmt(S.asOf, { date: r.as_of, version: r.ruleset_version })),
      empty ? h("p", { class: "results__empty" }, S.empty) : null,
      group("eligible", S.eligible, r.eligible, function (item) { return card(item, false); }),
      group("review", S.needsReview, r.needs_review, function (item) { return card(item, true); }),
      group("near", S.nearMisses, r.near_misses, function (n) {
        return h("article", { class: "result result--near", "data-code": n.code },
          head(n.code, pick(n, "title")),
          h("p", { class: "result__score" }, fmt(S.metOf, { met: n.met, total: n.total })),
          h("h5", null, S.unmet),
          checklist("unmet", n.unmet),
          whatIfLink(n));
      }, NEAR_MISSES_SHOWN),
      group("superseded", S.superseded, r.superseded, function (s) {
        return h("article", { class: "result result--superseded", "data-code": s.code },
          head(s.code, data.clauses[s.code] || s.code),
          h("p", null, pick(s, "reason")),
          h("p", { class: "result__note" }, fmt(S.supersededBy, { codes: s.superseded_by.join(", ") })));
      })
    ]);
    if (jump) {
      jump.textContent = fmt(S.jump, { eligible: r.eligible.length, review: r.needs_review.length });
      jump.hidden = false;
    }
  }

  /* ---------- talking to the API ---------- */

  function check(force) {
    var collected = collect();
    if (Object.keys(collected.local).length) {
      clearErrors();
      showErrors(collected.local);
      lastSent = null;
      return;
    }
    var sent = JSON.stringify(collected.payload);
    lastPayload = collected.payload;
    if (!force && sent === lastSent) return;
    lastSent = sent;
    var mine = ++seq;
    results.setAttribute("aria-busy", "true");
    fetch(data.api, {
      method: "POST",
      credentials: "same-origin",
      /* the API answers in the language it is asked for: the page's, not the browser's */
      headers: { "Content-Type": "application/json", Accept: "application/json", "Accept-Language": document.documentElement.lang || "zh-Hans",
                 "X-CSRFToken": csrfToken() },
      body: sent
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (json) {
        return { status: response.status, body: json };
      });
    }).then(function (res) {
      if (mine !== seq) return; // a newer answer is on its way
      results.setAttribute("aria-busy", "false");
      clearErrors();
      if (res.status === 200 && res.body && res.body.eligible) {
        unavailable = false;
        render(res.body);
        applyRelevance(res.body.relevant_facts || []);
      } else if (res.status === 400 && res.body && res.body.code) {
        lastSent = null;
        showApiError(res.body);
      } else {
        showUnavailable();
      }
    }).catch(function () {
      if (mine !== seq) return;
      results.setAttribute("aria-busy", "false");
      showUnavailable();
    });
  }

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(function () { check(false); }, delay);
  }

  form.addEventListener("change", function () { schedule(0); });
  form.addEventListener("input", function (event) {
    var type = event.target.type;
    if (type === "number" || type === "text") schedule(450);
  });
  form.addEventListener("submit", function (event) {
    if (unavailable) return; // let the server check it
    event.preventDefault();
    clearTimeout(timer);
    check(true);
    var title = document.getElementById("results-title");
    if (title) {
      title.setAttribute("tabindex", "-1");
      title.focus();
    }
  });

  check(true);
})();
