// lambdacost serve: the what-if page. It holds no cost or traffic model:
// every number comes from POST api/plan (the CLI's engines, `simulate -o
// json`). Data strings are only ever written with textContent, never as
// HTML; charts get numbers and our own constant labels.
(function () {
  "use strict";

  var $ = function (id) { return document.getElementById(id); };
  var tab = (function () {
    var a = new Uint8Array(8);
    crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  })();
  var base = null;     // the scenario's fields (api/scenario)
  var ctrl = null;     // AbortController of the request in flight
  var timer = 0;
  var lastMode = "exact";
  var chart = null;
  var seq = 0;

  var numFields = ["traffic_scale", "start_rate", "memory_mb", "provisioned", "reserved", "account_limit"];
  // Inputs shown in percent whose scenario field is a fraction.
  var pctFields = ["monthly_growth", "compute_savings_plan"];
  // A fraction shown in percent without binary noise (0.17 → 17).
  function toPct(x) { return String(Number((x * 100).toPrecision(12))); }
  var intFields = {memory_mb: true, provisioned: true, reserved: true, account_limit: true};

  function setText(id, s) { $(id).textContent = s; }

  function group(s) { return s.replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
  function usd(x) {
    var neg = x < 0, p = Math.abs(x).toFixed(2).split(".");
    return (neg ? "-$" : "$") + group(p[0]) + "." + p[1];
  }
  function count(x) { return group(String(Math.round(x))); }
  // null: not defined (no invocation), never shown as 0.
  function pct(x) { return x === null ? "n/a" : x === 0 ? "0 %" : (x * 100).toPrecision(3) + " %"; }
  function ms(x) { return x === null ? "n/a" : (x >= 100 ? x.toFixed(0) : x.toPrecision(3)) + " ms"; }

  // The session's changes: only the inputs that differ from the scenario.
  function currentSet() {
    var set = {};
    numFields.forEach(function (f) {
      var el = $(f), v = el.value.trim();
      if (v === "") { return; }
      var n = Number(v);
      var b = f === "traffic_scale" ? 1 : base[f];
      if (n !== b || isNaN(n)) { set[f] = isNaN(n) ? v : n; }
    });
    pctFields.forEach(function (f) {
      var v = $(f).value.trim();
      if (v === "") { return; }
      var n = Number(v);
      if (isNaN(n)) { set[f] = v; return; } // the server names it
      if (v !== toPct(base[f])) { set[f] = n / 100; }
    });
    if ($("free_tier").checked !== base.free_tier) { set.free_tier = $("free_tier").checked; }
    ["architecture", "region", "duration"].forEach(function (f) {
      var v = $(f).value.trim();
      if (v !== "" && v !== base[f]) { set[f] = v; }
    });
    var srows = $("schedule").querySelectorAll("tr"), sch = [], ssame = srows.length === base.provisioned_schedule.length;
    Array.prototype.forEach.call(srows, function (tr, i) {
      var a = tr.querySelector(".sc-a").value.trim(), lv = tr.querySelector(".sc-l").value.trim(), l = Number(lv);
      if (lv === "" || isNaN(l)) { l = lv; } // the server names it
      sch.push({at: a, level: l});
      if (ssame && (a !== base.provisioned_schedule[i].at || l !== base.provisioned_schedule[i].level)) { ssame = false; }
    });
    if (!ssame) { set.provisioned_schedule = sch; }
    if (base.shaped) {
      var rows = $("stages").querySelectorAll("tr"), st = [], same = rows.length === base.stages.length;
      Array.prototype.forEach.call(rows, function (tr, i) {
        var d = tr.querySelector(".st-d").value.trim(), tv = tr.querySelector(".st-t").value.trim(), t = Number(tv);
        if (tv === "" || isNaN(t)) { t = tv; } // the server names it
        st.push({duration: d, target: t});
        if (same && (d !== base.stages[i].duration || t !== base.stages[i].target)) { same = false; }
      });
      if (!same) { set.stages = st; }
    }
    return set;
  }

  function body() { return JSON.stringify({set: currentSet(), mode: $("mode").value}); }

  // The always-on alternatives chosen (the scenario's compare: section).
  function names(id) {
    return $(id).value.split(",").map(function (x) { return x.trim(); }).filter(function (x) { return x !== ""; });
  }
  function compareSet() {
    var c = {};
    if (names("cmp_instance").length) { c.instance_types = names("cmp_instance"); }
    if ($("cmp_fargate").value) { c.fargate_task = $("cmp_fargate").value; }
    if (!$("cmp_lmi").checked) { c.no_lmi = true; } else if (names("cmp_lmi_type").length) { c.lmi_instance_types = names("cmp_lmi_type"); }
    return c;
  }
  // The plan's target (plan's --max-cold-start-rate, --max-p99).
  function target() {
    var t = {}, c = $("target_cold").value.trim(), p = $("target_p99").value.trim();
    if (c !== "") { t.max_cold_start_rate = isNaN(Number(c)) ? c : Number(c) / 100; }
    if (p !== "") { t.max_p99 = p; }
    return t;
  }

  function saveHash() {
    var s = {set: currentSet(), mode: $("mode").value}, c = compareSet();
    // The choice is kept when it differs from compare's defaults or the
    // base scenario has one (so that clearing the base's choice is kept too).
    if (Object.keys(c).length || (base && base.compare && Object.keys(base.compare).length)) { s.compare = c; }
    var h = (Object.keys(s.set).length || s.mode !== "interactive" || s.compare) ? "#" + encodeURIComponent(JSON.stringify(s)) : " ";
    history.replaceState(null, "", h === " " ? location.pathname : h);
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(run, 200);
  }

  function setBusy(msg) {
    var st = $("status");
    st.className = "status busy";
    st.textContent = msg;
    $("results").classList.add("stale");
    document.documentElement.setAttribute("data-state", "busy");
  }

  function progressText(p) {
    return "Simulating… " + p.percent.toFixed(0) + " % of " + (p.total_s / 3600).toPrecision(3) + " h simulated";
  }

  // Reads a server-sent event stream (api/plan with Accept:
  // text/event-stream): progress events while the run goes, then the
  // answer (its data lines joined: the plain answer's JSON) or an error.
  function readStream(resp, my) {
    var reader = resp.body.getReader(), dec = new TextDecoder(), buf = "", cmd = null;
    function dispatch(block) {
      var name = "message", data = [];
      block.split("\n").forEach(function (line) {
        if (line.indexOf("event: ") === 0) { name = line.slice(7); }
        if (line.indexOf("data: ") === 0) { data.push(line.slice(6)); }
      });
      var d = data.join("\n");
      if (my !== seq) { return; }
      if (name === "progress") {
        var p = JSON.parse(d);
        if (p.total_s > 0) { setText("status", progressText(p)); }
      } else if (name === "command") {
        cmd = d;
      } else if (name === "result") {
        render(JSON.parse(d), cmd, performance.now() - started);
      } else if (name === "error") {
        var j = JSON.parse(d);
        if (!j.cancelled) { showError(j, j.status); }
      }
    }
    function pump() {
      return reader.read().then(function (r) {
        if (r.done) { return; }
        buf += dec.decode(r.value, {stream: true});
        var i;
        while ((i = buf.indexOf("\n\n")) >= 0) {
          dispatch(buf.slice(0, i));
          buf = buf.slice(i + 2);
        }
        return pump();
      });
    }
    return pump();
  }

  var started = 0;
  function run() {
    saveHash();
    if (ctrl) { ctrl.abort(); }
    ctrl = new AbortController();
    var my = ++seq;
    setBusy("Simulating…");
    started = performance.now();
    fetch("api/plan", {method: "POST", headers: {"Content-Type": "application/json", "Accept": "text/event-stream, application/json", "X-Lambdacost-Tab": tab},
      body: body(), signal: ctrl.signal})
      .then(function (resp) {
        if ((resp.headers.get("Content-Type") || "").indexOf("text/event-stream") === 0) { return readStream(resp, my); }
        return resp.json().then(function (j) {
          if (my !== seq) { return; }
          if (!resp.ok) { showError(j, resp.status); return; }
          render(j, resp.headers.get("X-Lambdacost-Command"), performance.now() - started);
        });
      })
      .catch(function (e) {
        if (e && e.name === "AbortError") { return; }
        if (my === seq) { showError({error: "the server did not answer: " + e}, 0); }
      });
  }

  function showError(j, status) {
    var st = $("status");
    st.className = "status";
    st.textContent = status === 422 ? "Too large for an interactive answer." : "The scenario was not accepted.";
    var e = $("error");
    e.hidden = false;
    e.textContent = String(j.error || "error " + status);
    document.documentElement.setAttribute("data-state", "error");
  }

  function render(r, cmd, took) {
    $("error").hidden = true;
    $("results").classList.remove("stale");
    lastMode = r.mode;
    var bill = $("bill");
    bill.textContent = usd(r.monthly_cost_usd);
    bill.setAttribute("data-value", String(r.monthly_cost_usd));
    setText("bill-detail", usd(r.cost_usd) + " for the simulated " + (r.simulated_seconds / 3600).toPrecision(3) + " h · " + (r.cost_per_million_usd === null ? "no invocation" : usd(r.cost_per_million_usd) + " per million"));
    var cold = $("cold-rate");
    cold.textContent = pct(r.cold_start_rate);
    cold.setAttribute("data-value", String(r.cold_start_rate));
    setText("cold-detail", count(r.cold_starts) + " cold starts in " + count(r.invocations) + " invocations");
    setText("throttles", count(r.throttles));
    setText("throttle-detail", pct(r.throttle_rate) + " · concurrency " + count(r.concurrency_throttles) + " · rate quota " + count(r.rate_throttles));
    setText("latency", ms(r.latency_ms.p50) + " / " + ms(r.latency_ms.p99));
    setText("concurrency", count(r.peak_concurrency) + " peak");
    setText("env-detail", "mean busy " + r.mean_concurrency.toFixed(1) + " · mean environments " + r.mean_environments.toFixed(1));
    setText("engine", r.mode);
    setText("engine-detail", (r.mode_error_pct ? "validated error bound " + r.mode_error_pct + " %" : "exact engine") + " · answered in " + (took / 1000).toFixed(2) + " s");
    if (cmd) { setText("command", cmd); }

    var tb = $("lines").querySelector("tbody");
    tb.textContent = "";
    (r.monthly_cost.lines || []).forEach(function (l) {
      var tr = document.createElement("tr");
      [l.name + (l.tier ? " (tier " + l.tier + ")" : "") + (l.architecture ? " · " + l.architecture : ""),
        group(l.quantity.toFixed(l.quantity % 1 ? 2 : 0)), l.unit, usd(l.cost_usd)].forEach(function (v, i) {
        var td = document.createElement("td");
        td.textContent = v;
        if (i === 1 || i === 3) { td.className = "num"; }
        tr.appendChild(td);
      });
      tb.appendChild(tr);
    });
    var tf = document.createElement("tr");
    ["Total", "", "", usd(r.monthly_cost.total_usd)].forEach(function (v, i) {
      var td = document.createElement(i === 0 ? "th" : "td");
      td.textContent = v;
      if (i === 3) { td.className = "num"; }
      tf.appendChild(td);
    });
    tb.appendChild(tf);

    var ul = $("assumptions");
    ul.textContent = "";
    (r.assumptions || []).forEach(function (a) {
      var li = document.createElement("li"), b = document.createElement("strong");
      b.textContent = a.field + ": " + a.value;
      li.appendChild(b);
      li.appendChild(document.createTextNode(" — " + a.why));
      ul.appendChild(li);
    });
    drawChart(r);
    var st = $("status");
    st.className = "status";
    st.textContent = "Updated: " + r.mode + " run of " + count(r.arrivals) + " requests.";
    document.documentElement.setAttribute("data-state", "ready");
    document.documentElement.setAttribute("data-seq", String(seq));
  }

  function drawChart(r) {
    if (!window.echarts) { $("chart-missing").hidden = false; return; }
    if (!chart) { chart = echarts.init($("chart"), null, {renderer: "canvas"}); }
    var h = function (b) { return +(b.t_s / 3600).toFixed(4); };
    var tl = r.timeline || [];
    chart.setOption({
      animation: false,
      tooltip: {trigger: "axis", renderMode: "richText"},
      legend: {top: 0, type: "scroll"},
      grid: {left: 48, right: 16, top: 34, bottom: 36},
      xAxis: {type: "value", name: "hours", nameLocation: "middle", nameGap: 24, min: 0},
      yAxis: [{type: "value", name: "environments"}, {type: "value", name: "cold starts", splitLine: {show: false}}],
      series: [
        {name: "busy (max)", type: "line", showSymbol: false, data: tl.map(function (b) { return [h(b), b.concurrency_max]; })},
        {name: "live environments", type: "line", showSymbol: false, data: tl.map(function (b) { return [h(b), b.environments]; })},
        {name: "cold starts", type: "bar", yAxisIndex: 1, data: tl.map(function (b) { return [h(b), b.cold_starts]; })}
      ]
    }, true);
  }

  // The always-on comparison runs on request (it simulates again, exactly).
  var cmpCtrl = null;
  function compare() {
    if (cmpCtrl) { cmpCtrl.abort(); }
    cmpCtrl = new AbortController();
    setText("compare-status", "Comparing…");
    $("options").hidden = true;
    $("compare-saving").hidden = true;
    $("breakevens").textContent = "";
    saveHash();
    fetch("api/compare", {method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({set: currentSet(), compare: compareSet()}), signal: cmpCtrl.signal})
      .then(function (resp) { return resp.json().then(function (j) { return {ok: resp.ok, j: j, cmd: resp.headers.get("X-Lambdacost-Command")}; }); })
      .then(function (r) {
        if (!r.ok) { setText("compare-status", String(r.j.error)); return; }
        renderCompare(r.j, r.cmd);
      })
      .catch(function (e) { if (!e || e.name !== "AbortError") { setText("compare-status", "the server did not answer: " + e); } });
  }

  function renderCompare(c, cmd) {
    var tb = $("options").querySelector("tbody");
    tb.textContent = "";
    var row = function (name, sizing, usdv, key) {
      var tr = document.createElement("tr");
      [name + (c.cheapest === key ? " (cheapest)" : ""), sizing, usd(usdv)].forEach(function (v, i) {
        var td = document.createElement("td");
        td.textContent = v;
        if (i === 2) { td.className = "num"; }
        tr.appendChild(td);
      });
      tb.appendChild(tr);
    };
    var mem = c.lambda.memory_mb + " MB";
    row("Lambda x86_64", mem, c.lambda.x86_64.monthly_cost_usd, "lambda x86_64");
    row("Lambda arm64", mem, c.lambda.arm64.monthly_cost_usd, "lambda arm64");
    if (c.ec2 && c.ec2.instance_type) { row("EC2", c.ec2.instances + " × " + c.ec2.instance_type, c.ec2.monthly_cost_usd, "ec2 " + c.ec2.instance_type); }
    if (c.fargate && c.fargate.instance_type) { row("Fargate", c.fargate.instances + " × " + c.fargate.instance_type, c.fargate.monthly_cost_usd, "fargate " + c.fargate.architecture); }
    if (c.lmi) { row("Managed Instances", (c.lmi.instances || 0) + " × " + c.lmi.instance_type, c.lmi.monthly_cost_usd, "lmi " + c.lmi.instance_type); }
    $("options").hidden = false;
    var ul = $("breakevens");
    (c.breakevens || []).forEach(function (b) {
      var li = document.createElement("li");
      li.textContent = "Lambda " + b.lambda_architecture + " vs " + b.fleet + ": " +
        (b.requests_per_month === null ? "Lambda is cheaper at every volume searched" :
          "break-even at " + count(b.requests_per_month) + " requests/month (" + b.mean_rps.toPrecision(3) + " req/s)");
      ul.appendChild(li);
    });
    (c.notes || []).forEach(function (n) {
      var li = document.createElement("li");
      li.textContent = "Note: " + n;
      ul.appendChild(li);
    });
    var ca = $("cmp-assumptions");
    ca.textContent = "";
    (c.assumptions || []).forEach(function (a) {
      var li = document.createElement("li"), b = document.createElement("strong");
      b.textContent = a.field + ": " + a.value;
      li.appendChild(b);
      li.appendChild(document.createTextNode(" — " + a.why));
      ca.appendChild(li);
    });
    $("cmp-assumptions-title").hidden = !(c.assumptions || []).length;
    setText("compare-status", "Cheapest at this volume: " + c.cheapest + ".");
    // The recommendation's worth: compare's saving against the current bill.
    var sv = c.saving, sp = $("compare-saving");
    if (sv) {
      sp.textContent = sv.monthly_usd > 0 ?
        "Moving to " + sv.cheapest + " saves " + usd(sv.monthly_usd) + " a month" +
          (sv.percent === null ? "" : " (" + sv.percent.toFixed(1) + " % of the current " + sv.current + " bill of " + usd(sv.current_monthly_usd) + ")") +
          " — at today's volume, a 730-hour month, list prices and the assumptions below." :
        "The current " + sv.current + " bill (" + usd(sv.current_monthly_usd) + " a month) is already the cheapest at today's volume.";
      sp.setAttribute("data-saving-usd", String(sv.monthly_usd));
      sp.hidden = false;
    }
    $("compare-status").setAttribute("data-cheapest", String(c.cheapest));
    if (cmd) { setText("compare-command", cmd); }
  }

  // The plan recommendation runs on request (it simulates every level).
  var planCtrl = null;
  function recommend() {
    if (planCtrl) { planCtrl.abort(); }
    planCtrl = new AbortController();
    setText("plan-status", "Simulating the provisioned-concurrency levels…");
    $("plan").hidden = true;
    $("plan-notes").textContent = "";
    fetch("api/recommend", {method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({set: currentSet(), target: target()}), signal: planCtrl.signal})
      .then(function (resp) { return resp.json().then(function (j) { return {ok: resp.ok, j: j, cmd: resp.headers.get("X-Lambdacost-Command")}; }); })
      .then(function (r) {
        if (!r.ok) { setText("plan-status", String(r.j.error)); return; }
        renderPlan(r.j, r.cmd);
      })
      .catch(function (e) { if (!e || e.name !== "AbortError") { setText("plan-status", "the server did not answer: " + e); } });
  }

  function renderPlan(p, cmd) {
    var tb = $("plan").querySelector("tbody");
    tb.textContent = "";
    var row = function (name, pt, best) {
      var tr = document.createElement("tr");
      if (best) { tr.className = "plan-best"; }
      [name, count(pt.provisioned), pct(pt.cold_start_rate), ms(pt.latency_p99_ms), usd(pt.monthly_cost_usd)].forEach(function (v, i) {
        var td = document.createElement("td");
        td.textContent = v;
        if (i > 0) { td.className = "num"; }
        tr.appendChild(td);
      });
      tb.appendChild(tr);
    };
    row("the scenario's", p.current, false);
    if (p.best) { row("recommended", p.best, true); }
    $("plan").hidden = false;
    var st = $("plan-status");
    if (p.best) {
      st.textContent = "Recommended: provisioned concurrency " + count(p.best.provisioned) + "; saving " + usd(p.monthly_savings_usd) + " a month" +
        (p.monthly_savings_usd < 0 ? " (meeting the target costs more)" : "") + ".";
      st.setAttribute("data-saving", String(p.monthly_savings_usd));
      st.setAttribute("data-best", String(p.best.provisioned));
    } else {
      st.textContent = "No level up to the highest considered meets the target.";
    }
    (p.notes || []).forEach(function (n) {
      var li = document.createElement("li");
      li.textContent = n;
      $("plan-notes").appendChild(li);
    });
    if (cmd) { setText("plan-command", cmd); }
  }

  function scheduleRow(a, l) {
    var tr = document.createElement("tr");
    var n = $("schedule").children.length + 1;
    var td1 = document.createElement("td"), in1 = document.createElement("input");
    in1.className = "sc-a"; in1.type = "text"; in1.value = a; in1.setAttribute("aria-label", "Scheduled level " + n + " from");
    td1.appendChild(in1);
    var td2 = document.createElement("td"), in2 = document.createElement("input");
    in2.className = "sc-l"; in2.type = "number"; in2.step = "1"; in2.min = "0"; in2.value = String(l);
    in2.setAttribute("aria-label", "Scheduled level " + n + " provisioned concurrency");
    td2.appendChild(in2);
    var td3 = document.createElement("td"), rm = document.createElement("button");
    rm.type = "button"; rm.textContent = "×"; rm.setAttribute("aria-label", "Remove scheduled level " + n);
    rm.addEventListener("click", function () { tr.remove(); schedule(); });
    td3.appendChild(rm);
    tr.appendChild(td1); tr.appendChild(td2); tr.appendChild(td3);
    $("schedule").appendChild(tr);
  }

  function stageRow(d, t) {
    var tr = document.createElement("tr");
    var n = $("stages").children.length + 1;
    var td1 = document.createElement("td"), in1 = document.createElement("input");
    in1.className = "st-d"; in1.type = "text"; in1.value = d; in1.setAttribute("aria-label", "Stage " + n + " duration");
    td1.appendChild(in1);
    var td2 = document.createElement("td"), in2 = document.createElement("input");
    in2.className = "st-t"; in2.type = "number"; in2.step = "any"; in2.min = "0"; in2.value = String(t);
    in2.setAttribute("aria-label", "Stage " + n + " target requests per second");
    td2.appendChild(in2);
    var td3 = document.createElement("td"), rm = document.createElement("button");
    rm.type = "button"; rm.textContent = "×"; rm.setAttribute("aria-label", "Remove stage " + n);
    rm.addEventListener("click", function () { tr.remove(); schedule(); });
    td3.appendChild(rm);
    tr.appendChild(td1); tr.appendChild(td2); tr.appendChild(td3);
    $("stages").appendChild(tr);
  }

  function fill(f, set) {
    set = set || {};
    var v = function (k) { return set[k] !== undefined ? set[k] : (k === "traffic_scale" ? 1 : f[k]); };
    numFields.forEach(function (k) { $(k).value = String(v(k)); });
    pctFields.forEach(function (k) { $(k).value = set[k] !== undefined && typeof set[k] === "number" ? toPct(set[k]) : toPct(f[k]); });
    $("free_tier").checked = set.free_tier !== undefined ? set.free_tier === true : f.free_tier;
    $("architecture").value = v("architecture");
    $("duration").value = v("duration");
    var sel = $("region");
    sel.textContent = "";
    var regions = f.regions.slice();
    if (regions.indexOf(f.region) < 0) { regions.unshift(f.region); }
    regions.forEach(function (r) {
      var o = document.createElement("option");
      o.value = r; o.textContent = r;
      sel.appendChild(o);
    });
    sel.value = v("region");
    $("shape").hidden = !f.shaped;
    $("shape-note").hidden = f.shaped;
    $("schedule").textContent = "";
    (Array.isArray(set.provisioned_schedule) ? set.provisioned_schedule : f.provisioned_schedule).forEach(function (st) {
      if (st && typeof st === "object") { scheduleRow(String(st.at), st.level); }
    });
    $("stages").textContent = "";
    (set.stages || f.stages).forEach(function (s) { stageRow(s.duration, s.target); });
  }

  function download() {
    fetch("api/scenario", {method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({set: currentSet(), mode: lastMode, compare: compareSet()})})
      .then(function (resp) { return resp.json().then(function (j) { return {ok: resp.ok, status: resp.status, j: j}; }); })
      .then(function (r) {
        if (!r.ok) { showError(r.j, r.status); return; }
        var a = document.createElement("a");
        a.href = URL.createObjectURL(new Blob([r.j.scenario], {type: "application/yaml"}));
        a.download = r.j.file;
        document.body.appendChild(a);
        a.click();
        setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
        var st = $("status");
        st.className = "status";
        st.textContent = "Saved " + r.j.file + ": " + r.j.command + " reproduces these numbers.";
      });
  }

  // fillCompare shows a choice of the alternatives (the URL fragment's, or
  // the base scenario's compare: section).
  function fillCompare(c) {
    if (Array.isArray(c.instance_types)) { $("cmp_instance").value = c.instance_types.map(String).join(","); }
    if (typeof c.fargate_task === "string") {
      var sel = $("cmp_fargate"), v = c.fargate_task;
      if (!Array.prototype.some.call(sel.options, function (o) { return o.value === v; })) {
        var o = document.createElement("option");
        o.value = v;
        o.textContent = v;
        sel.appendChild(o);
      }
      sel.value = v;
    }
    if (c.no_lmi === true) { $("cmp_lmi").checked = false; }
    if (Array.isArray(c.lmi_instance_types)) { $("cmp_lmi_type").value = c.lmi_instance_types.map(String).join(","); }
  }

  function init() {
    fetch("api/scenario").then(function (resp) { return resp.json(); }).then(function (j) {
      base = j.fields;
      document.title = "lambdacost what-if · " + base.name;
      setText("title", base.name || "scenario");
      setText("source", "Base scenario: " + j.source + " · region " + base.region);
      var init = {};
      if (location.hash.length > 1) {
        try {
          init = JSON.parse(decodeURIComponent(location.hash.slice(1)));
        } catch (e) { init = {}; }
      }
      if (init && typeof init === "object") {
        fill(base, init.set && typeof init.set === "object" ? init.set : {});
        if (init.mode === "exact" || init.mode === "fast") { $("mode").value = init.mode; }
        fillCompare(init.compare && typeof init.compare === "object" ? init.compare : (base.compare || {}));
      } else {
        fill(base, {});
        fillCompare(base.compare || {});
      }
      run();
    }).catch(function (e) { showError({error: "could not load the scenario: " + e}, 0); });

    $("inputs").addEventListener("input", schedule);
    $("inputs").addEventListener("change", schedule);
    $("inputs").addEventListener("submit", function (e) { e.preventDefault(); run(); });
    Array.prototype.forEach.call(document.querySelectorAll("[data-scale]"), function (b) {
      b.addEventListener("click", function () { $("traffic_scale").value = b.getAttribute("data-scale"); schedule(); });
    });
    $("add-stage").addEventListener("click", function () {
      var rows = $("stages").querySelectorAll(".st-t");
      stageRow("10m", rows.length ? Number(rows[rows.length - 1].value) : 1);
      schedule();
    });
    $("add-step").addEventListener("click", function () {
      scheduleRow("1h", Number($("provisioned").value) || 0);
      schedule();
    });
    $("download").addEventListener("click", download);
    $("compare").addEventListener("click", compare);
    $("recommend").addEventListener("click", recommend);
    $("reset").addEventListener("click", function () { $("mode").value = "interactive"; fill(base, {}); schedule(); });
    addEventListener("resize", function () { if (chart) { chart.resize(); } });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
