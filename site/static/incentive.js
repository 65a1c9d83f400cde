/* The film-incentive calculator.
 *
 * The first half is the twin of benchmark/scoring/incentive_value.py (and incentive_rates.py): the same rules
 * in the same order, the same arithmetic in the same order, so the page and `python cli.py incentive` give
 * the same numbers; tests/test_incentive_browser.py holds the two equal over many random productions.
 * Change both together. The second half draws the page from the programmes embedded as JSON, and keeps
 * the inputs in the address so that a result can be shared.
 */
(function () {
  "use strict";

  var SCALE = { one: 1, thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 };
  var CATEGORIES = ["vfx", "post_production", "animation", "regional", "local_hire"];
  var INF = Infinity;

  // --- exchange (incentive_rates.py) ---------------------------------------------------------------------
  function rateTable(rows) {
    var table = {};
    rows.forEach(function (r) { table[r[0] + "|" + r[1]] = { per_usd: r[2], source: r[3] }; });
    return table;
  }

  function perUsd(rates, currency, year) {
    return currency === "USD" ? { per_usd: 1.0, source: "" } : rates[currency + "|" + year] || null;
  }

  function exchange(source, target, year, rates) {
    if (source === target) return { from: source, to: target, year: null, rate: 1.0, sources: [] };
    var years;
    if (year !== null && year !== undefined) {
      years = [year];
    } else {
      var seen = {};
      Object.keys(rates).forEach(function (key) {
        var parts = key.split("|");
        if (parts[0] === source || parts[0] === target) seen[Number(parts[1])] = true;
      });
      years = Object.keys(seen).map(Number).sort(function (a, b) { return b - a; });
    }
    for (var i = 0; i < years.length; i++) {
      var a = perUsd(rates, source, years[i]), b = perUsd(rates, target, years[i]);
      if (a && b) {
        var cited = [];
        [a.source, b.source].forEach(function (s) { if (s && cited.indexOf(s) < 0) cited.push(s); });
        return { from: source, to: target, year: years[i], rate: b.per_usd / a.per_usd, sources: cited };
      }
    }
    return null;
  }

  // --- the value (incentive_value.py) ---------------------------------------------------------------------
  function given(x) { return x !== null && x !== undefined; }

  function interval(x, scale) {
    scale = scale === undefined ? 1.0 : scale;
    if (given(x.low)) return [x.low * scale, x.high * scale];
    if (x.value === "unknown") return [0.0, INF];
    var v = x.value * scale, q = x.qualifier || "exact";
    return q === "at_most" ? [0.0, v] : q === "at_least" ? [v, INF] : [v, v];
  }

  function money(m) { return interval(m, SCALE[m.scale || "one"]); }

  function moneyCurrency(p) {
    var caps = Array.isArray(p.caps) ? p.caps : [], i, j;
    for (i = 0; i < caps.length; i++) if (caps[i].amount) return caps[i].amount.currency;
    var mins = Array.isArray(p.minimum_spend) ? p.minimum_spend : [];
    for (i = 0; i < mins.length; i++) if (mins[i].amount) return mins[i].amount.currency;
    var tiers = p.tiers || [];
    for (i = 0; i < tiers.length; i++) {
      var bounds = ["budget_at_most", "budget_at_least"];
      for (j = 0; j < 2; j++) if (tiers[i][bounds[j]]) return tiers[i][bounds[j]].currency;
    }
    return p.fund && typeof p.fund === "object" ? p.fund.currency : null;
  }

  function applies(kinds, kind) { return !kinds || !kinds.length || kinds.indexOf(kind) >= 0; }

  function localOf(prod) {
    if (given(prod.local_spend)) return prod.local_spend;
    return prod.budget * (given(prod.local_share) ? prod.local_share : 1.0);
  }

  function Rules(p, prod, rates, currency, fx) {
    this.p = p; this.prod = prod; this.rates = rates; this.currency = currency;
    this.budget = prod.budget * fx.rate;
    this.local = localOf(prod) * fx.rate;
    this.spend = [];
    var spend = prod.spend || {};
    Object.keys(spend).forEach(function (k) {
      if (CATEGORIES.indexOf(k) >= 0 && spend[k]) this.spend.push([k, spend[k] * fx.rate]);
    }, this);
    this.unknowns = [];
    this.couldBeZero = false;
    this.stated = p.unknown || {};
  }
  Rules.prototype.unknown = function (rule, reason, zero) {
    this.unknowns.push({ rule: rule, reason: reason });
    this.couldBeZero = this.couldBeZero || zero !== false;
  };
  Rules.prototype.notStated = function (rule) { this.unknown(rule, this.stated[rule] || null); };
  Rules.prototype.localMoney = function (m) {
    var iv = money(m);
    if (m.currency === this.currency) return iv;
    var fx = exchange(m.currency, this.currency, this.prod.year, this.rates);
    return fx === null ? null : [iv[0] * fx.rate, iv[1] * fx.rate];
  };
  Rules.prototype.cite = function (rule, name, text) {
    return { rule: name, text: text, source: rule.source || this.p.source || null, at: rule.at || this.p.at || null };
  };

  function incentiveValue(p, prod, rates) {
    var tiers = p.tiers || [];
    if (!tiers.length) return { status: "unknown", unknowns: [{ rule: "tiers", reason: (p.unknown || {}).tiers || null }] };
    var currency = moneyCurrency(p) || prod.currency;
    var fx = exchange(prod.currency, currency, prod.year, rates);
    if (fx === null) return { status: "unknown", currency: currency, unknowns: [{ rule: "exchange", reason: null }] };
    var r = new Rules(p, prod, rates, currency, fx);
    var whyNot = eligibility(r);
    if (whyNot.length) {
      return finish(r, { status: "ineligible", currency: currency, low: 0.0, high: 0.0, qualifying: [0.0, 0.0],
        eligible: false, why_not: whyNot, binding: null, exchange: fx });
    }
    var q = qualifying(r);
    others(r, tiers);
    var rated = ratedValue(r, tiers, q.base, q.base ? q.lo / q.base : 0.0, q.base ? q.hi / q.base : 0.0);
    var binding = q.binding || rated.binding;
    var capped = cappedValue(r, rated.lo, rated.hi, binding);
    var lo = r.couldBeZero ? 0.0 : capped.lo, hi = capped.hi;
    var v = { status: lo === hi ? "value" : "range", currency: currency, low: lo, high: hi, qualifying: [q.lo, q.hi],
      eligible: r.couldBeZero ? null : true, why_not: [], binding: capped.binding, exchange: fx };
    if (hi === INF && lo === 0.0) v.status = "unknown";
    return finish(r, v);
  }

  function eligibility(r) {
    var kinds = r.p.kinds, kind = r.prod.kind, why = [];
    if (!given(kinds)) r.notStated("kinds");
    else if (kinds.indexOf(kind) < 0) why.push({ rule: "kinds" });
    var minimum = r.p.minimum_spend;
    if (!given(minimum)) r.notStated("minimum_spend");
    else if (minimum !== "none") {
      var mine = minimum.filter(function (m) { return applies(m.kinds, kind); });
      if (!mine.length) r.unknown("minimum_spend", null);
      mine.forEach(function (m) {
        if (given(m.share_of_budget)) {  // the local spend must reach a share of the budget
          if (r.local < m.share_of_budget / 100 * r.budget) why.push({ rule: "minimum_spend", share: m.share_of_budget, source: m.source || r.p.source });
          return;
        }
        var amount = r.localMoney(m.amount);
        if (amount === null) { r.unknown("minimum_spend", null); return; }
        var spent = m.of === "total_budget" ? r.budget : r.local;
        if (spent < amount[0]) why.push({ rule: "minimum_spend", amount: amount[0], currency: r.currency, source: m.source || r.p.source });
        else if (spent < amount[1]) r.unknown("minimum_spend", null);
      });
    }
    return why;
  }

  function capLimit(r, cap) {
    if (given(cap.share_of_budget)) { var limit = cap.share_of_budget / 100 * r.budget; return [limit, limit]; }
    var amount = r.localMoney(cap.amount);
    if (amount === null) { r.unknown("caps", null); return [INF, INF]; }
    return amount;
  }

  function qualifying(r) {
    var q = r.p.qualifying || {};
    if (!Object.keys(q).length) r.notStated("qualifying");
    var basis = q.basis || "local_spend";
    var base = basis === "total_budget" ? r.budget : r.local;
    var lo = base, hi = base, binding = null;
    if (basis === "below_the_line") { r.unknown("qualifying", null); lo = 0.0; }
    if (given(q.share_of_budget_max)) {
      var limit = q.share_of_budget_max / 100 * r.budget;
      if (limit < hi) binding = r.cite(q, "qualifying", q.share_of_budget_max + "%");
      lo = Math.min(lo, limit); hi = Math.min(hi, limit);
    }
    var caps = Array.isArray(r.p.caps) ? r.p.caps : [];
    caps.forEach(function (cap) {
      if (cap.on !== "qualifying_spend" || !applies(cap.kinds, r.prod.kind)) return;
      var l = capLimit(r, cap);
      if (l[1] < hi) binding = r.cite(cap, "caps", l[1]);
      lo = Math.min(lo, l[0]); hi = Math.min(hi, l[1]);
    });
    return { lo: lo, hi: hi, base: base, binding: binding };
  }

  function tierState(r, t) {
    if (!applies(t.kinds, r.prod.kind)) return "no";
    var maybe = Boolean(t.condition) || t.applies_to === "other";
    var bounds = [["budget_at_most", false], ["budget_at_least", true]];
    for (var i = 0; i < 2; i++) {
      var bound = t[bounds[i][0]], above = bounds[i][1];
      if (!bound) continue;
      var limit = r.localMoney(bound);
      if (limit === null) maybe = true;
      else if (above ? r.budget < limit[0] : r.budget > limit[1]) return "no";
      else if (limit[0] !== limit[1] && limit[0] <= r.budget && r.budget <= limit[1]) maybe = true;
    }
    return maybe ? "maybe" : "sure";
  }

  function firstMax(list) {  // Python's max(..., key=high): the first of the highest
    var best = list[0];
    list.forEach(function (t) { if (interval(t)[1] > interval(best)[1]) best = t; });
    return best;
  }

  function rateOn(r, tiers, part) {
    var rated = tiers.filter(function (t) { return !t.adds && (t.applies_to || "all") !== "other"; });
    var general = rated.filter(function (t) { return (t.applies_to || "all") === "all"; })
      .map(function (t) { return [t, tierState(r, t)]; });
    var own = rated.filter(function (t) { return part !== "all" && t.applies_to === part; })
      .map(function (t) { return [t, tierState(r, t)]; });
    var states = own.some(function (x) { return x[1] === "sure"; }) ? own : own.concat(general);
    var sure = states.filter(function (x) { return x[1] === "sure"; }).map(function (x) { return x[0]; });
    var maybe = states.filter(function (x) { return x[1] === "maybe"; }).map(function (x) { return x[0]; });
    if (!sure.length && !maybe.length) return { lo: 0.0, hi: 0.0, binding: null };
    var lo, hi, best, from = sure.length ? sure : maybe;
    var lows = from.map(function (t) { return interval(t)[0]; }), highs = from.map(function (t) { return interval(t)[1]; });
    lo = sure.length ? Math.max.apply(null, lows) : Math.min.apply(null, lows);
    hi = Math.max.apply(null, highs);
    best = firstMax(from);
    maybe.forEach(function (t) {
      var iv = interval(t);
      if (iv[1] > hi) best = t;
      lo = Math.min(lo, iv[0]); hi = Math.max(hi, iv[1]);
      r.unknown("tiers", t.condition || null, false);
    });
    tiers.forEach(function (t) {
      var where = t.applies_to || "all";
      if (!t.adds || (where !== "all" && where !== part)) return;
      var state = tierState(r, t), iv = interval(t);
      if (state === "sure") { lo = lo + iv[0]; hi = hi + iv[1]; }
      else if (state === "maybe") { hi += iv[1]; r.unknown("tiers", t.condition || null, false); }
    });
    return { lo: lo, hi: hi, binding: r.cite(best, "tiers", [lo, hi]) };
  }

  function others(r, tiers) {
    tiers.forEach(function (t) {
      if (t.applies_to === "other" && tierState(r, t) !== "no") r.unknown("tiers", t.condition || null, false);
    });
  }

  function ratedValue(r, tiers, base, fLo, fHi) {
    var rest = base - r.spend.reduce(function (s, kv) { return s + kv[1]; }, 0);
    var lo = 0.0, hi = 0.0, binding = null;
    [["all", Math.max(rest, 0.0)]].concat(r.spend).forEach(function (kv) {
      var part = kv[0], amount = kv[1], rate = rateOn(r, tiers, part);
      lo += rate.lo / 100 * amount * fLo;
      hi += rate.hi !== INF && amount > 0 ? rate.hi / 100 * amount * fHi : (amount > 0 ? INF : 0.0);
      if (part === "all" || binding === null) binding = rate.binding || binding;
    });
    return { lo: lo, hi: hi, binding: binding };
  }

  function cappedValue(r, lo, hi, binding) {
    var caps = r.p.caps;
    if (!given(caps)) r.notStated("caps");
    else if (caps !== "none") {
      var mine = caps.filter(function (c) { return applies(c.kinds, r.prod.kind); });
      if (!mine.length) r.unknown("caps", null);
      mine.forEach(function (cap) {
        if (cap.on === "qualifying_spend") return;
        var c = capLimit(r, cap);
        if (c[1] < hi) binding = r.cite(cap, "caps", c[1]);
        lo = Math.min(lo, c[0]); hi = Math.min(hi, c[1]);
      });
    }
    var fund = r.p.fund;
    if (fund && typeof fund === "object") {
      var amount = r.localMoney(fund);
      if (amount !== null && amount[1] < hi) binding = r.cite(fund, "fund", amount[1]);
      if (amount !== null) { lo = Math.min(lo, amount[1]); hi = Math.min(hi, amount[1]); }
    }
    return { lo: lo, hi: hi, binding: binding };
  }

  function share(low, high, of) {
    if (of <= 0) return null;
    return [low / of * 100, high === null ? null : high / of * 100];
  }

  function finish(r, v) {
    v.unknowns = r.unknowns;
    var high = v.high === null || v.high === undefined || v.high === INF ? null : v.high;
    v.high = high;
    var low = v.low || 0.0;
    v.rate_on_local = share(low, high, r.local);
    v.rate_on_budget = share(low, high, r.budget);
    if (v.qualifying && v.qualifying[1] === INF) v.qualifying = [v.qualifying[0], null];
    var target = r.prod.target_currency || r.prod.currency;
    var fx = exchange(r.currency, target, r.prod.year, r.rates);
    v.target = fx === null ? { currency: target, low: null, high: null }
      : { currency: target, low: low * fx.rate, high: high === null ? null : high * fx.rate, exchange: fx };
    return v;
  }

  window.BenchmarkIncentive = { incentiveValue: incentiveValue, exchange: exchange, rateTable: rateTable };

  // --- the page -------------------------------------------------------------------------------------------
  var holder = document.getElementById("incentive-data");
  var form = document.getElementById("incentive-form");
  if (!holder || !form) return;
  var data = JSON.parse(holder.textContent);
  var RATES = rateTable(data.rates), W = data.words, LANG = data.lang;
  var NUMBER = new Intl.NumberFormat(LANG, { notation: "compact", maximumSignificantDigits: 3 });
  var PERCENT = new Intl.NumberFormat(LANG, { maximumSignificantDigits: 3 });

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function readProduction() {
    var f = form.elements, spend = {};
    ["vfx", "post_production"].forEach(function (c) { if (f[c] && Number(f[c].value) > 0) spend[c] = Number(f[c].value); });
    return {
      budget: Number(f.budget.value), currency: f.currency.value, kind: f.kind.value,
      local_spend: null, local_share: Number(f.share.value) / 100, spend: spend,
      target_currency: f.target.value || null, year: f.year.value ? Number(f.year.value) : null,
    };
  }

  function problem(prod) {
    if (!(prod.budget > 0)) return W.bad_budget;
    if (!(prod.local_share >= 0 && prod.local_share <= 1)) return W.bad_share;
    var total = 0;
    Object.keys(prod.spend).forEach(function (k) { total += prod.spend[k]; });
    return total > prod.budget * prod.local_share * (1 + 1e-12) ? W.bad_spend : null;
  }

  function amountText(t) {
    if (!t || t.low === null || t.low === undefined) return W.unknown;
    if (t.high === null) return W.at_least.replace("{x}", NUMBER.format(t.low));
    if (t.low === t.high) return NUMBER.format(t.low);
    if (t.low === 0) return W.up_to.replace("{x}", NUMBER.format(t.high));
    return NUMBER.format(t.low) + " " + W.to + " " + NUMBER.format(t.high);
  }

  function percentText(pair) {
    if (!pair) return "";
    if (pair[1] === null) return W.at_least.replace("{x}", PERCENT.format(pair[0]) + "%");
    if (Math.abs(pair[0] - pair[1]) < 1e-9) return PERCENT.format(pair[0]) + "%";
    return PERCENT.format(pair[0]) + "–" + PERCENT.format(pair[1]) + "%";
  }

  function sourceLink(key, label) {
    var s = data.sources[key];
    if (!s) return document.createTextNode(label);
    var a = el("a", s.url ? { href: s.url, rel: "noopener" } : {}, label);
    a.title = s.name;
    return a;
  }

  function boundCell(v) {
    var td = el("td", { "class": "data-text" });
    if (v.status === "none") { td.textContent = W.no_programme; return td; }
    var rule = v.why_not && v.why_not.length ? v.why_not[0] : v.binding;
    if (!rule) return td;
    td.appendChild(document.createTextNode(W["rule." + rule.rule] + (v.status === "ineligible" ? " — " + W.ineligible : "")));
    if (rule.source) {
      td.appendChild(document.createTextNode(" · "));
      td.appendChild(sourceLink(rule.source, (data.sources[rule.source] || {}).name || W.source));
    }
    return td;
  }

  function valued(prod) {
    var rows = data.programmes.map(function (e) {
      var v = e.programme ? incentiveValue(e.programme, prod, RATES) : { status: "none", unknowns: [], target: null };
      return { e: e, v: v };
    });
    function key(x) {
      var t = x.v.target;
      if (x.v.status === "unknown" || x.v.status === "none" || !t || t.low === null) return [1, 0, 0];
      return [0, -(t.high === null ? INF : t.high), -t.low];
    }
    rows.sort(function (a, b) {
      var ka = key(a), kb = key(b);
      for (var i = 0; i < 3; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
      var na = a.e.country + (a.e.programme && a.e.programme.name || ""), nb = b.e.country + (b.e.programme && b.e.programme.name || "");
      return na < nb ? -1 : na > nb ? 1 : 0;
    });
    return rows;
  }

  function drawTable(rows) {
    var body = document.querySelector("#incentive-table tbody");
    body.textContent = "";
    rows.forEach(function (x, i) {
      var e = x.e, v = x.v, tr = el("tr", { "data-country": e.country, "data-scenario": e.scenario, "data-status": v.status,
        "data-programme": e.programme ? e.programme.name || "" : "" });
      if (e.scenario) tr.className = "scenario";
      if (v.target && v.target.low !== null && v.target.low !== undefined) tr.setAttribute("data-low", String(v.target.low));
      if (v.target && v.target.high !== null && v.target.high !== undefined) tr.setAttribute("data-high", String(v.target.high));
      tr.appendChild(el("td", {}, String(i + 1)));
      var th = el("th", { scope: "row" }, e.label);
      if (e.scenario) th.appendChild(el("span", { "class": "tag" }, " " + W.proposed));
      tr.appendChild(th);
      var name = el("td", { "class": "data-text" }, e.programme ? e.programme.name || "" : W.none);
      var form = e.programme && W["form." + e.programme.form];
      if (form) name.appendChild(el("span", { "class": "muted incentive-form-of" }, form));
      tr.appendChild(name);
      tr.appendChild(el("td", { "class": "num" }, v.status === "none" ? W.none : v.status === "ineligible" ? "0" : amountText(v.target)));
      tr.appendChild(el("td", { "class": "num" }, percentText(v.rate_on_local)));
      tr.appendChild(boundCell(v));
      var rules = [], reasons = [];
      (v.unknowns || []).forEach(function (u) {
        if (rules.indexOf(W["rule." + u.rule]) < 0) rules.push(W["rule." + u.rule]);
        if (u.reason && reasons.indexOf(u.reason) < 0) reasons.push(u.reason);
      });
      var unknownCell = el("td", { "class": "data-text" }, rules.join(", "));
      if (reasons.length) unknownCell.title = reasons.join("\n");  // the record's own words: what was searched
      tr.appendChild(unknownCell);
      body.appendChild(tr);
    });
  }

  function drawChart(rows, currency) {
    var svg = document.getElementById("incentive-chart"), NS = "http://www.w3.org/2000/svg";
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var shown = rows.filter(function (x) { return x.v.target && x.v.target.low !== null && x.v.target.low !== undefined && x.v.status !== "ineligible"; });
    var top = 0;
    shown.forEach(function (x) { top = Math.max(top, x.v.target.high === null ? x.v.target.low : x.v.target.high); });
    var rowH = 18, left = 220, width = 760, height = shown.length * rowH + 10;
    svg.setAttribute("viewBox", "0 0 " + (left + width + 120) + " " + height);
    svg.setAttribute("height", String(height));
    shown.forEach(function (x, i) {
      var y = i * rowH + 4, t = x.v.target, hi = t.high === null ? t.low : t.high;
      var label = document.createElementNS(NS, "text");
      label.setAttribute("x", String(left - 6)); label.setAttribute("y", String(y + 11)); label.setAttribute("text-anchor", "end");
      var name = x.e.scenario ? x.e.country + " · " + W.proposed : x.e.label;
      label.textContent = name.length > 30 ? name.slice(0, 29) + "…" : name;
      svg.appendChild(label);
      var tip = document.createElementNS(NS, "title");
      tip.textContent = x.e.label + (x.e.programme && x.e.programme.name ? " — " + x.e.programme.name : "") + ": " + amountText(t) + " " + currency;
      var range = document.createElementNS(NS, "rect");
      range.setAttribute("x", String(left)); range.setAttribute("y", String(y));
      range.setAttribute("width", String(top ? hi / top * width : 0)); range.setAttribute("height", String(rowH - 5));
      range.setAttribute("class", "incentive-bar-range" + (x.e.scenario ? " proposed" : ""));
      range.appendChild(tip);
      svg.appendChild(range);
      var sure = document.createElementNS(NS, "rect");
      sure.setAttribute("x", String(left)); sure.setAttribute("y", String(y));
      sure.setAttribute("width", String(top ? t.low / top * width : 0)); sure.setAttribute("height", String(rowH - 5));
      sure.setAttribute("class", "incentive-bar-low");
      svg.appendChild(sure);
      var value = document.createElementNS(NS, "text");
      value.setAttribute("x", String(left + (top ? hi / top * width : 0) + 4)); value.setAttribute("y", String(y + 11));
      value.textContent = amountText(t) + " " + currency;
      svg.appendChild(value);
    });
  }

  function card(title, x, currency) {
    var box = el("div", { "class": "incentive-card" });
    box.appendChild(el("h3", {}, title));
    if (!x) { box.appendChild(el("p", {}, W.none)); return box; }
    var v = x.v;
    box.appendChild(el("p", { "class": "incentive-big" }, v.status === "none" ? W.no_programme : amountText(v.target) + " " + currency));
    if (v.status === "none" && x.e.summary) box.appendChild(el("p", { "class": "data-text" }, x.e.summary));
    if (v.rate_on_local) box.appendChild(el("p", {}, W.rate_local + ": " + percentText(v.rate_on_local)));
    var src = (v.binding && v.binding.source) || (x.e.programme && x.e.programme.source) || x.e.source;
    if (src) { var p = el("p", {}, W.source + ": "); p.appendChild(sourceLink(src, (data.sources[src] || {}).name || W.source)); box.appendChild(p); }
    return box;
  }

  function drawFocus(rows, currency) {
    var holder = document.getElementById("incentive-focus"), code = data.focus[0], scen = data.focus[1];
    holder.textContent = "";
    var today = rows.filter(function (x) { return x.e.country === code && !x.e.scenario; })[0];
    var proposed = rows.filter(function (x) { return x.e.country === code && x.e.scenario === scen; })[0];
    holder.appendChild(card(today ? today.e.label : code, today, currency));
    holder.appendChild(card(proposed ? proposed.e.label : scen, proposed, currency));
  }

  function ratesNote(rows) {
    var used = {};
    rows.forEach(function (x) {
      [x.v.exchange, x.v.target && x.v.target.exchange].forEach(function (fx) {
        if (fx && fx.year !== null) used[fx.from + "→" + fx.to] = fx.from + "→" + fx.to + " " + PERCENT.format(fx.rate) + " (" + fx.year + ", " + fx.sources.join("; ") + ")";
      });
    });
    var list = Object.keys(used).sort().map(function (k) { return used[k]; });
    document.getElementById("incentive-rates").textContent = list.length ? W.rate_used + ": " + list.join(" · ") : W.no_conversion;
  }

  function fromAddress() {
    var q = new URLSearchParams(window.location.search);
    Array.prototype.forEach.call(form.elements, function (input) {
      if (input.name && q.has(input.name)) input.value = q.get(input.name);
    });
  }

  function toAddress() {
    var q = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (input) { if (input.name && input.value !== "") q.set(input.name, input.value); });
    try { window.history.replaceState(null, "", "?" + q.toString()); } catch (err) { /* a file:// page may refuse */ }
  }

  function update() {
    var prod = readProduction(), warn = document.getElementById("incentive-problem"), bad = problem(prod);
    warn.hidden = !bad;
    if (bad) { warn.textContent = bad; return; }
    var rows = valued(prod), currency = prod.target_currency || prod.currency;
    drawTable(rows); drawChart(rows, currency); drawFocus(rows, currency); ratesNote(rows);
    toAddress();
  }

  fromAddress();
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", function (ev) { ev.preventDefault(); update(); });
  update();
})();
