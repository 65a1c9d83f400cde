/* The benchmark site's only script: ours, small, and optional. Every page is complete without it; with it,
   the matrix filters and sorts, the compare page shows the countries chosen, and a ranking page re-scores
   when its weights move. State lives in the address's fragment (#...), so a view can be shared and the
   pages work from a folder opened in a browser (file://). Nothing is fetched: the data a page needs is
   embedded in it as JSON. */
(function () {
  "use strict";

  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");
  var lang = root.lang || "en";

  function each(selector, fn, scope) {
    Array.prototype.forEach.call((scope || document).querySelectorAll(selector), fn);
  }

  /* --- the address fragment: #key=value&key=value ------------------------------------------------------- */
  function readHash() {
    var out = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      if (!part) return;
      var i = part.indexOf("=");
      var key = decodeURIComponent(i < 0 ? part : part.slice(0, i));
      out[key] = decodeURIComponent(i < 0 ? "" : part.slice(i + 1));
    });
    return out;
  }

  function writeHash(state) {
    var parts = [];
    Object.keys(state).forEach(function (key) {
      if (state[key] !== "" && state[key] !== null && state[key] !== undefined) {
        parts.push(encodeURIComponent(key) + "=" + encodeURIComponent(state[key]).replace(/%2C/g, ",").replace(/%3A/g, ":"));
      }
    });
    var hash = parts.length ? "#" + parts.join("&") : "";
    try {
      history.replaceState(null, "", location.pathname + location.search + hash);
    } catch (e) {
      location.hash = hash;
    }
    carryHashToLanguageLinks();
  }

  /* The language switch keeps the view: the same fragment on the same page in the other language. */
  function carryHashToLanguageLinks() {
    each("a[data-lang-switch]", function (a) {
      var base = a.getAttribute("href").split("#")[0];
      a.setAttribute("href", base + location.hash);
    });
  }

  each("[data-js-only]", function (el) { el.hidden = false; });

  /* --- the menu: collapsed on phones behind one button ------------------------------------------------- */
  var toggle = document.getElementById("nav-toggle");
  var mainNav = document.getElementById("main-nav");
  if (toggle && mainNav) {
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      mainNav.classList.toggle("open", open);
    });
  }

  /* --- tables wider or taller than their box say so, above the box --------------------------------------- */
  function cueScrolling() {
    each(".table-scroll", function (box) {
      var wide = box.scrollWidth > box.clientWidth + 1;
      var tall = box.scrollHeight > box.clientHeight + 1;
      var cue = box.previousElementSibling;
      if (!cue || !cue.classList.contains("scroll-cue")) {
        if (!wide && !tall) return;
        cue = document.createElement("p");
        cue.className = "scroll-cue";
        cue.setAttribute("aria-hidden", "true");
        box.parentNode.insertBefore(cue, box);
      }
      cue.hidden = !wide && !tall;
      cue.classList.toggle("rows", tall && !wide);
      cue.textContent = root.getAttribute(tall && !wide ? "data-rows-cue" : "data-scroll-cue") || "";
    });
  }
  cueScrolling();
  window.addEventListener("resize", cueScrolling);
  window.addEventListener("hashchange", cueScrolling);

  /* --- each chart can be saved: its picture (SVG) and the numbers of its table (CSV) ----------------------- */
  function save(name, type, text) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }
  function csvOf(table) {
    return Array.prototype.map.call(table.rows, function (row) {
      return Array.prototype.map.call(row.cells, function (cell) {
        var text = cell.textContent.replace(/\s+/g, " ").trim();
        return /[",\n;]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
      }).join(",");
    }).join("\r\n") + "\r\n";
  }
  each("figure.chart-figure", function (figure) {
    var svg = figure.querySelector("svg.chart"), table = figure.querySelector("table");
    if (!svg || !table) return;
    var name = svg.id || "chart";
    var bar = document.createElement("p");
    bar.className = "chart-links";
    [["SVG", function () { save(name + ".svg", "image/svg+xml", new XMLSerializer().serializeToString(svg)); }],
     ["CSV", function () { save(name + ".csv", "text/csv;charset=utf-8", "\ufeff" + csvOf(table)); }]]
      .forEach(function (pair) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "link-button";
        button.textContent = (root.getAttribute("data-download") || "") + " " + pair[0];
        button.addEventListener("click", pair[1]);
        bar.appendChild(button);
      });
    figure.appendChild(bar);
  });

  /* --- a fragment naming a folded section opens it ------------------------------------------------------- */
  function openTarget() {
    var id = location.hash.replace(/^#/, "");
    if (!id || id.indexOf("=") >= 0) return;
    var target = document.getElementById(decodeURIComponent(id));
    for (var el = target; el; el = el.parentElement) { if (el.tagName === "DETAILS") el.open = true; }
    if (target && target.tagName === "DETAILS") target.scrollIntoView();
  }
  openTarget();
  window.addEventListener("hashchange", openTarget);
  carryHashToLanguageLinks();

  /* --- sortable tables (the matrix) --------------------------------------------------------------------- */
  function sortValue(row, key, numeric) {
    if (key === "name") return row.getAttribute("data-name") || "";
    if (key === "count") return Number(row.getAttribute("data-count"));
    var cell = row.querySelector('td[data-key="' + key + '"]');
    return cell ? Number(cell.getAttribute("data-value")) : (numeric ? -1 : "");
  }

  each("table[data-sortable]", function (table) {
    var body = table.tBodies[0];
    var collator = new Intl.Collator(lang);
    each("th[data-sort-key]", function (th) {
      var key = th.getAttribute("data-sort-key");
      var numeric = th.hasAttribute("data-sort-numeric");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var current = th.getAttribute("aria-sort");
        var order = current ? (current === "ascending" ? "descending" : "ascending") : (numeric ? "descending" : "ascending");
        each("th[aria-sort]", function (other) { other.removeAttribute("aria-sort"); }, table);
        th.setAttribute("aria-sort", order);
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = sortValue(a, key, numeric), y = sortValue(b, key, numeric);
          var c = numeric ? x - y : collator.compare(x, y);
          if (order === "descending") c = -c;
          if (c === 0) c = collator.compare(a.getAttribute("data-name") || "", b.getAttribute("data-name") || "");
          return c;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    }, table);
  });

  /* --- matrix filters ----------------------------------------------------------------------------------- */
  var filters = document.getElementById("matrix-filters");
  if (filters) {
    var matrix = document.getElementById("matrix");
    var region = filters.querySelector('[data-filter="region"]');
    var grouping = filters.querySelector('[data-filter="grouping"]');
    var scenarios = filters.querySelector('[data-filter="scenarios"]');
    var status = document.getElementById("matrix-status");
    var startState = readHash();
    if (startState.region) region.value = startState.region;
    if (startState.grouping) grouping.value = startState.grouping;
    if (startState.scenarios === "0") scenarios.checked = false;
    var applyFilters = function (save) {
      var rows = matrix.tBodies[0].rows, shown = 0;
      Array.prototype.forEach.call(rows, function (row) {
        var ok = (!region.value || row.getAttribute("data-region") === region.value) &&
          (!grouping.value || row.getAttribute("data-groupings").indexOf("|" + grouping.value + "|") >= 0) &&
          (scenarios.checked || !row.hasAttribute("data-scenario"));
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      status.textContent = status.getAttribute("data-template").replace("{shown}", shown).replace("{total}", rows.length);
      if (save) writeHash({ region: region.value, grouping: grouping.value, scenarios: scenarios.checked ? "" : "0" });
    };
    [region, grouping, scenarios].forEach(function (el) {
      el.addEventListener("change", function () { applyFilters(true); });
    });
    filters.addEventListener("submit", function (e) { e.preventDefault(); });
    applyFilters(false);
  }

  /* --- compare: two to four countries, in the order chosen ------------------------------------------------ */
  var chooser = document.getElementById("compare-chooser");
  if (chooser) {
    var selects = Array.prototype.slice.call(chooser.querySelectorAll("select[data-slot]"));
    var known = {};
    each("option", function (o) { if (o.value) known[o.value] = o.textContent; }, selects[0]);
    var compareStatus = document.getElementById("compare-status");
    var fromHash = (readHash().c || "").split(",").filter(function (c) { return known[c]; });
    var chosenCodes = fromHash.length ? fromHash : chooser.getAttribute("data-default").split(",");
    var unique = function (codes) {
      return codes.filter(function (c, i) { return c && known[c] && codes.indexOf(c) === i; }).slice(0, 4);
    };
    var showCompare = function (codes, save) {
      codes = unique(codes);
      selects.forEach(function (s, i) { s.value = codes[i] || ""; });
      each("table.compare", function (table) {
        Array.prototype.forEach.call(table.rows, function (row) {
          var cells = Array.prototype.slice.call(row.querySelectorAll("[data-col]"));
          cells.forEach(function (cell) { cell.classList.remove("chosen"); });
          codes.forEach(function (code) {
            var cell = row.querySelector('[data-col="' + code + '"]');
            if (cell) { cell.classList.add("chosen"); row.appendChild(cell); }
          });
        });
      });
      var names = codes.map(function (c) { return known[c]; }).join(", ");
      compareStatus.textContent = codes.length < 2 ? compareStatus.getAttribute("data-too-few")
        : compareStatus.getAttribute("data-showing").replace("{names}", names);
      if (save) writeHash({ c: codes.join(",") });
    };
    selects.forEach(function (s) {
      s.addEventListener("change", function () {
        showCompare(selects.map(function (x) { return x.value; }), true);
      });
    });
    chooser.addEventListener("submit", function (e) { e.preventDefault(); });
    showCompare(chosenCodes, false);
  }

  /* --- rankings: the engine's formula (benchmark/scoring/normalise.py and score.py), in the page --------- */
  var TIE_DECIMALS = 1e10;

  function transform(raw, method) {
    if (raw === null) return null;
    if (method === "log-min-max") return raw >= 0 ? Math.log(raw + 1) : null;
    return raw;
  }

  function averageRanks(xs) {
    var idx = [];
    xs.forEach(function (x, i) { if (x !== null) idx.push(i); });
    idx.sort(function (a, b) { return xs[a] - xs[b]; });
    var ranks = xs.map(function () { return null; });
    for (var i = 0; i < idx.length;) {
      var j = i;
      while (j + 1 < idx.length && xs[idx[j + 1]] === xs[idx[i]]) j += 1;
      var r = (i + j) / 2 + 1;
      for (var k = i; k <= j; k += 1) ranks[idx[k]] = r;
      i = j + 1;
    }
    return ranks;
  }

  function normaliseColumn(xs, ind) {
    var known = xs.filter(function (x) { return x !== null; });
    var n = known.length;
    if (!n) return xs.map(function () { return null; });
    var lo = Math.min.apply(null, known), hi = Math.max.apply(null, known);
    var mean = known.reduce(function (a, b) { return a + b; }, 0) / n;
    var sd = Math.sqrt(known.reduce(function (a, b) { return a + (b - mean) * (b - mean); }, 0) / n);
    var ranks = averageRanks(xs);
    return xs.map(function (x, i) {
      if (x === null) return null;
      var v;
      if (ind.method === "z-score") v = sd > 0 ? (x - mean) / sd : 0;
      else if (ind.method === "rank") v = n > 1 ? (ranks[i] - 1) / (n - 1) : 0.5;
      else if (ind.method === "goalposts") {
        if (ind.low === null || ind.high === null) return null;
        v = Math.min(1, Math.max(0, (x - ind.low) / (ind.high - ind.low)));
      } else v = hi > lo ? (x - lo) / (hi - lo) : 0.5;
      if (ind.lower) v = ind.method === "z-score" ? -v : 1 - v;
      return v;
    });
  }

  function meanOf(values) {
    var known = values.filter(function (v) { return v !== null; });
    return known.length ? known.reduce(function (a, b) { return a + b; }, 0) / known.length : null;
  }

  function score(payload, weights) {
    var inds = payload.indicators, ents = payload.entities, m = inds.length;
    var policy = payload.missing.policy;
    var excluded = ents.map(function (e) {
      return policy === "exclude" && inds.some(function (_, j) { return e.values[j] === null && weights[j] > 0; });
    });
    var final = ents.map(function () { return new Array(m).fill(null); });
    var known = ents.map(function () { return new Array(m).fill(false); });
    for (var j = 0; j < m; j += 1) {
      var xs = ents.map(function (e, i) { return excluded[i] ? null : transform(e.values[j], inds[j].method); });
      var normalised = normaliseColumn(xs, inds[j]);
      var any = normalised.some(function (v) { return v !== null; });
      var overall = meanOf(normalised);
      for (var i = 0; i < ents.length; i += 1) {
        if (excluded[i] || !any) continue;
        var v = normalised[i];
        known[i][j] = v !== null;
        if (v === null && policy === "zero") v = 0;
        if (v === null && policy === "mean") {
          var group = payload.missing.group === "region" ? meanOf(normalised.filter(function (_, k) {
            return ents[k].region === ents[i].region;
          })) : null;
          v = group !== null ? group : overall;
        }
        final[i][j] = v;
      }
    }
    var geometric = payload.aggregation.method === "geometric";
    var rows = ents.map(function (e, i) {
      var total = 0, used = 0, real = 0, weighted = 0;
      for (var j = 0; j < m; j += 1) {
        if (weights[j] > 0) weighted += 1;
        if (weights[j] > 0 && known[i][j]) real += 1;
        if (final[i][j] !== null && weights[j] > 0 && !excluded[i]) { total += weights[j]; used += 1; }
      }
      var sum = 0;
      for (j = 0; j < m; j += 1) {
        if (final[i][j] === null || !(weights[j] > 0) || excluded[i]) continue;
        var term = geometric ? weights[j] * Math.log(Math.max(final[i][j], payload.aggregation.floor))
          : weights[j] * final[i][j];
        sum += term / total;
      }
      var s = used && !excluded[i] ? (geometric ? Math.exp(sum) : sum) : null;
      return { code: e.code, score: s, used: used, real: real, weighted: weighted };
    });
    var ranked = rows.filter(function (r) { return r.score !== null; });
    ranked.forEach(function (r) {
      var mine = Math.round(r.score * TIE_DECIMALS) / TIE_DECIMALS;
      r.rank = 1 + ranked.filter(function (o) { return Math.round(o.score * TIE_DECIMALS) / TIE_DECIMALS > mine; }).length;
    });
    rows.sort(function (a, b) {
      if (a.score === null || b.score === null) return (a.score === null) - (b.score === null) || (a.code < b.code ? -1 : 1);
      return a.rank - b.rank || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
    });
    return rows;
  }
  window.benchmarkScore = score;

  var data = document.getElementById("ranking-data");
  var table = document.getElementById("ranking");
  if (data && table) {
    var payload = JSON.parse(data.textContent);
    var sliders = payload.indicators.map(function (ind) { return document.getElementById("w-" + ind.key); });
    var defaults = payload.indicators.map(function (ind) { return ind.weight; });
    var weights = defaults.slice();
    var rankingStatus = document.getElementById("ranking-status");
    // Numbers as the page's own (Python-formatted) cells write them: Intl may lack Kazakh and fall back to English.
    var decimal = table.getAttribute("data-decimal") || ".";
    var formatScore = { format: function (x) { return x.toFixed(3).replace("-", "\u2212").replace(".", decimal); } };
    var ofText = table.getAttribute("data-of") || "{real}/{total}";
    var body = table.tBodies[0];
    var intervals = {};
    each("tr[data-code]", function (tr) { intervals[tr.getAttribute("data-code")] = tr.querySelector(".interval").textContent; }, table);

    var fromHashWeights = function () {
      var text = readHash().w;
      if (!text) return null;
      var out = defaults.slice();
      text.split(",").forEach(function (pair) {
        var parts = pair.split(":");
        var j = payload.indicators.findIndex(function (ind) { return ind.key === parts[0]; });
        var w = Number(parts[1]);
        if (j >= 0 && parts.length === 2 && isFinite(w) && w >= 0) out[j] = w;
      });
      return out;
    };

    var render = function (save) {
      var custom = weights.some(function (w, j) { return w !== defaults[j]; });
      sliders.forEach(function (s, j) {
        s.value = String(weights[j]);
        var out = document.getElementById(s.id + "-out");
        if (out) out.textContent = String(weights[j]);
      });
      table.classList.toggle("custom", custom);
      if (!weights.some(function (w) { return w > 0; })) {
        rankingStatus.textContent = rankingStatus.getAttribute("data-none");
        return;
      }
      var rows = score(payload, weights);
      var top = Math.max.apply(null, [1].concat(rows.filter(function (r) { return r.score !== null; }).map(function (r) { return r.score; })));
      rows.forEach(function (r) {
        var tr = body.querySelector('tr[data-code="' + r.code + '"]');
        if (!tr) return;
        tr.hidden = r.score === null;
        tr.setAttribute("data-score", r.score === null ? "" : String(r.score));
        tr.querySelector(".rank").textContent = r.score === null ? "—" : String(r.rank);
        tr.querySelector(".score").textContent = r.score === null ? "—" : formatScore.format(r.score);
        tr.querySelector(".used").textContent = ofText.replace("{real}", r.real).replace("{total}", r.weighted);
        var before = Number(tr.getAttribute("data-default-rank"));
        var change = tr.querySelector(".change");
        var moved = r.score === null || !before ? "" : before - r.rank;
        change.textContent = !custom || moved === "" ? "" : moved > 0 ? "\u25b2" + moved : moved < 0 ? "\u25bc" + (-moved) : "=";
        // The rank interval belongs to the profile's weights: hidden, with the reason, while they are moved.
        var interval = tr.querySelector(".interval");
        interval.textContent = custom ? "\u2014" : intervals[r.code];
        interval.title = custom ? table.getAttribute("data-stale") : "";
        var rect = tr.querySelector("svg.bar rect");
        if (rect) rect.setAttribute("width", (Math.max(r.score || 0, 0) / top * 100).toFixed(2));
        body.appendChild(tr);
        var why = body.querySelector('tr[data-why-for="' + r.code + '"]');
        if (why) { why.hidden = tr.hidden; body.appendChild(why); }
      });
      rankingStatus.textContent = rankingStatus.getAttribute(custom ? "data-custom" : "data-default");
      if (save) {
        writeHash({ w: custom ? payload.indicators.map(function (ind, j) { return ind.key + ":" + weights[j]; }).join(",") : "" });
      }
    };

    sliders.forEach(function (s, j) {
      if (!s) return;
      s.addEventListener("input", function () { weights[j] = Number(s.value); render(true); });
    });
    document.getElementById("weights-reset").addEventListener("click", function () {
      weights = defaults.slice();
      render(true);
    });
    document.getElementById("weights").addEventListener("submit", function (e) { e.preventDefault(); });
    window.addEventListener("hashchange", function () {
      var w = fromHashWeights();
      weights = w || defaults.slice();
      render(false);
    });
    var initial = fromHashWeights();
    if (initial) { weights = initial; }
    render(false);
  }
})();
