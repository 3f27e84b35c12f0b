/* The coach's stopwatch (issue 13; docs/stopwatch.md): a phone page that times a squad's reps
   and sends each result to the athlete's log, exactly once, when the signal allows.

   Everything runs on the phone: the plan comes in the page (#stopwatch-data), times come from
   performance.now() (monotonic; never the server's clock), and the whole state lives in
   localStorage, so a reload, a locked screen or no signal loses nothing. Times are kept as
   epoch-like milliseconds (the page's start + performance.now()), so a reload resumes a rep
   that is running. Results wait in an outbox and are posted one at a time; each carries a
   client id (cid) the server keeps receipts of, so sending one twice writes it once. */
(function () {
  "use strict";
  var J = window.StopwatchJudging;
  var root = document.getElementById("stopwatch");
  var source = document.getElementById("stopwatch-data");
  if (!root || !source || !J) { return; }
  var DATA = JSON.parse(source.textContent);
  var KEY = "coach:stopwatch:" + DATA.key;
  var TAP_GUARD_MS = 2000;  // a second tap this soon after a start or finish does nothing
  var BASE = Date.now() - performance.now();
  var now = function () { return BASE + performance.now(); };
  var byId = {};
  DATA.athletes.forEach(function (a) { byId[a.id] = a; });
  var $ = function (sel) { return root.querySelector(sel); };

  // --- state ----------------------------------------------------------------------------------

  function fresh() {
    var athletes = {};
    DATA.athletes.forEach(function (a) {
      var cursor = 0;
      while (cursor < a.reps.length && a.logged[String(a.reps[cursor].position)]) { cursor++; }
      athletes[a.id] = {cursor: cursor, start: null, finish: null, results: {}};
    });
    return {v: 1, timing: false, selected: DATA.athletes.filter(function (a) { return a.selected; })
      .map(function (a) { return a.id; }), athletes: athletes, extras: [], history: [],
      outbox: [], conflicts: [], errors: [], positions: {}, recovery: null, login: false};
  }

  function load() {
    try {
      var stored = JSON.parse(localStorage.getItem(KEY) || "null");
      if (stored && stored.v === 1) { return stored; }
    } catch (e) { /* a broken entry: start afresh */ }
    return fresh();
  }
  var S = load();
  S.login = false;  // a fresh page: logged in again, perhaps (a 401 says so again if not)
  function save() {
    try { localStorage.setItem(KEY, JSON.stringify(S)); } catch (e) { /* full: keep going */ }
  }


  /* The athlete's reps: the planned ones, then the extra reps the coach added. */
  function reps(id) {
    return byId[id].reps.concat(S.extras.map(function (distance, i) {
      return {position: null, extra: i, distance: distance, planned: distance, lo: null,
              hi: null, label: distance + " m", target: "", recovery: null, n: i + 1,
              of: S.extras.length};
    }));
  }
  function current(id) { return reps(id)[S.athletes[id].cursor] || null; }
  function running(id) { return S.athletes[id].start !== null; }
  function selected() { return S.selected.filter(function (id) { return byId[id]; }); }
  function split(ms) { return Math.round(ms / 100) / 10; }  // to the tenth of a second

  // --- actions ----------------------------------------------------------------------------------

  function start(ids) {
    var t = now(), started = [];
    ids.forEach(function (id) {
      if (!running(id) && current(id)) { S.athletes[id].start = t; started.push(id); }
    });
    if (!started.length) { return; }
    S.history.push({type: "start", ids: started, recovery: S.recovery});
    S.recovery = null;
    sound.wake();
    wakeLock();
    commit();
  }

  function enqueue(item) { item.cid = window.coachId(); S.outbox.push(item); return item.cid; }

  function finish(id, kind, distance) {
    var a = S.athletes[id], rep = current(id);
    if (!rep) { return; }
    if (kind !== "skip" && !running(id)) { return; }
    var t = now(), time = kind === "skip" ? null : split(t - a.start);
    var result = {kind: kind, time: time, distance: distance || null};
    result.judged = kind === "skip" ? null : J.judge(
      {lo: rep.lo, hi: rep.hi, planned: rep.planned, distance: distance || rep.distance},
      time, DATA.tolerance);
    var item = {athlete: id, kind: rep.extra !== undefined && kind !== "skip" ? "extra" : kind,
                position: rep.position, time: time, distance: distance || rep.distance,
                extra: rep.extra};
    if (rep.extra !== undefined && kind === "skip") { item = null; }  // nothing to log
    result.cid = item ? enqueue(item) : null;
    a.results[a.cursor] = result;
    S.history.push({type: "finish", id: id, index: a.cursor, start: a.start, finish: a.finish,
                    recovery: S.recovery, cid: result.cid});
    a.cursor++; a.start = null; a.finish = kind === "skip" ? a.finish : t;
    if (!selected().some(running) && kind !== "skip") {
      S.recovery = {from: t, spec: rep.recovery, beeps: 0};
    }
    if (time !== null) { announce(byId[id].short + " " + J.formatSplit(time) + " " + verdict(result)); }
    commit();
  }

  function undo() {
    var h = S.history.pop();
    if (!h) { return; }
    if (h.type === "start") {
      h.ids.forEach(function (id) { S.athletes[id].start = null; });
    } else if (h.type === "extra") {
      S.extras.pop();
    } else {
      var a = S.athletes[h.id];
      delete a.results[h.index];
      var queued = S.outbox.findIndex(function (o) { return o.cid === h.cid; });
      if (queued >= 0 && !(sending && sending.cid === h.cid)) {
        S.outbox.splice(queued, 1);
      } else if (h.cid) {  // sent (or on its way): take it back on the server too
        var rep = reps(h.id)[h.index];
        enqueue({athlete: h.id, kind: "clear", position: rep.position, ref: h.cid});
      }
      S.conflicts = S.conflicts.filter(function (c) { return c.cid !== h.cid; });
      a.cursor = h.index; a.start = h.start; a.finish = h.finish;
    }
    S.recovery = h.recovery || null;
    announce("Undone");
    commit();
  }

  function addExtra(distance) {
    S.extras.push(distance);
    S.history.push({type: "extra", recovery: S.recovery});
    commit();
  }

  function commit() { save(); render(); pump(); }

  // --- the outbox: one result at a time, exactly once ----------------------------------------

  var sending = null, retryTimer = null, backoff = 2000;

  function pump() {
    if (sending || retryTimer || S.login || !S.outbox.length) { return; }
    var item = S.outbox[0];
    var position = item.position;
    if (item.kind === "clear" && position === null) { position = S.positions[item.ref]; }
    var body = new URLSearchParams();
    body.set("cid", item.cid); body.set("athlete", item.athlete); body.set("kind", item.kind);
    if (position) { body.set("position", position); }
    if (item.time !== null && item.time !== undefined) { body.set("time", item.time.toFixed(1)); }
    if (item.distance) { body.set("distance", item.distance); }
    if (item.confirm) { body.set("confirm", "1"); }
    sending = item;
    root.dataset.sending = item.cid;  // for the tests: a request is on its way
    var controller = window.AbortController ? new AbortController() : null;
    var timeout = setTimeout(function () { if (controller) { controller.abort(); } }, 15000);
    fetch(DATA.resultUrl, {method: "POST", body: body, credentials: "same-origin",
                           signal: controller && controller.signal,
                           headers: {"X-CSRFToken": DATA.csrf, "HX-Request": "true"}})
      .then(function (response) {
        if (response.status === 401) { S.login = loginLink(response.headers.get("X-Login-Url")); }
        if (response.status === 403) { S.login = location.pathname; }  // a stale CSRF token
        if (response.status >= 500 || response.status === 403 || response.status === 401) {
          throw new Error("HTTP " + response.status);
        }
        return response.json().then(function (answer) { answered(item, response.status, answer); });
      })
      .catch(function () { retry(); })
      .then(function () {
        clearTimeout(timeout); sending = null; delete root.dataset.sending;
        save(); render(); pump();
      });
  }

  function loginLink(url) {
    url = url || "/accounts/login/";
    return url + (url.indexOf("?") < 0 ? "?" : "&") + "next=" + encodeURIComponent(location.pathname);
  }

  function retry() {
    if (S.login) { return; }
    retryTimer = setTimeout(function () { retryTimer = null; pump(); }, backoff);
    backoff = Math.min(backoff * 2, 30000);
  }

  function answered(item, status, answer) {
    backoff = 2000;
    S.outbox = S.outbox.filter(function (o) { return o.cid !== item.cid; });
    if (answer.position) { S.positions[item.cid] = answer.position; }
    var result = resultOf(item.cid);
    if (status === 409 && answer.status === "conflict") {
      S.conflicts.push({cid: item.cid, athlete: item.athlete, position: answer.position,
                        time: item.time, theirs: answer.athlete_time, item: item});
    } else if (status >= 400) {
      S.errors.push(byId[item.athlete].short + ": " + (answer.message || "not saved"));
    }
    if (result) {
      result.sent = status < 300;
      result.theirs = answer.status === "same";
    }
  }

  function resultOf(cid) {
    for (var id in S.athletes) {
      var results = S.athletes[id].results;
      for (var i in results) { if (results[i].cid === cid) { return results[i]; } }
    }
    return null;
  }

  function resolve(cid, mine) {
    var conflict = S.conflicts.find(function (c) { return c.cid === cid; });
    if (!conflict) { return; }
    S.conflicts = S.conflicts.filter(function (c) { return c.cid !== cid; });
    var result = resultOf(cid);
    if (mine) {
      conflict.item.confirm = true;
      S.outbox.unshift(conflict.item);  // the same cid: applied once, with the confirmation
    } else if (result) {
      result.theirs = true;
    }
    commit();
  }

  window.addEventListener("online", function () {
    if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
    backoff = 2000; pump();
  });

  // --- sound, vibration, the screen --------------------------------------------------------------

  var sound = {
    ctx: null,
    wake: function () {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (!this.ctx && Ctx) { try { this.ctx = new Ctx(); } catch (e) { this.ctx = null; } }
      if (this.ctx && this.ctx.state === "suspended") { this.ctx.resume(); }
    },
    beep: function (long) {
      if (navigator.vibrate) { navigator.vibrate(long ? [400] : [150, 100, 150]); }
      if (!this.ctx) { return; }
      var osc = this.ctx.createOscillator(), gain = this.ctx.createGain();
      osc.frequency.value = long ? 660 : 880;
      gain.gain.value = 0.3;
      osc.connect(gain); gain.connect(this.ctx.destination);
      osc.start(); osc.stop(this.ctx.currentTime + (long ? 0.6 : 0.15));
    },
  };
  root.dataset.beeps = "0";

  var lock = null;
  function wakeLock() {
    if (!("wakeLock" in navigator) || lock || document.visibilityState !== "visible") { return; }
    navigator.wakeLock.request("screen").then(function (l) {
      lock = l; l.addEventListener("release", function () { lock = null; });
    }).catch(function () { /* not allowed now (battery saver): the clock keeps time anyway */ });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && S.timing) { wakeLock(); render(); }
  });

  // --- drawing -----------------------------------------------------------------------------------

  var live = $("#sw-live");
  function announce(text) { if (live) { live.textContent = text; } }

  function verdict(result) {
    if (!result) { return ""; }
    if (result.kind === "skip") { return "skipped"; }
    var j = result.judged;
    if (!j || !j.status) { return ""; }
    return (j.status === "on" ? "on target" : j.status) + " " + j.label;
  }

  /* 69.8 · −0.6 s · on (a rep cut short: 52.1 (300 m) · ...) */
  function resultText(result) {
    if (result.kind === "skip") { return "skipped"; }
    var parts = [J.formatSplit(result.time) + (result.distance ? " (" + result.distance + " m)" : "")];
    if (result.judged && result.judged.status) {
      parts.push(result.judged.label, result.judged.status === "on" ? "on" : result.judged.status);
    }
    if (result.theirs) { parts.push("athlete\u2019s kept"); }
    return parts.join(" \u00b7 ");
  }

  function clockText(ms) {
    var tenths = Math.max(0, Math.floor(ms / 100));
    var secs = Math.floor(tenths / 10), m = Math.floor(secs / 60), s = secs % 60;
    return m + ":" + (s < 10 ? "0" : "") + s + "." + (tenths % 10);
  }
  /* 1:30 … 0:01, 0:00, then the time over: +0:01, +0:02 … */
  function countdownText(seconds) {
    var over = seconds <= -1;
    var whole = over ? Math.floor(-seconds) : Math.max(0, Math.ceil(seconds - 1e-6));
    var m = Math.floor(whole / 60), s = whole % 60;
    return (over ? "+" : "") + m + ":" + (s < 10 ? "0" : "") + s;
  }

  function groupRep() {
    var ids = selected().filter(function (id) { return current(id); });
    if (!ids.length) { return null; }
    var lead = ids.reduce(function (a, b) {
      return S.athletes[b].cursor < S.athletes[a].cursor ? b : a;
    });
    return {ids: ids, lead: lead, rep: current(lead)};
  }

  function render() {
    root.classList.toggle("is-timing", S.timing);
    $("#sw-setup").hidden = S.timing;
    $("#sw-timer").hidden = !S.timing;
    if (!S.timing) { drawSetup(); return; }
    var g = groupRep();
    var line = $("#sw-rep");
    $("#sw-finished").hidden = !!g;
    if (!g) {
      line.textContent = "All reps timed.";
    } else {
      var rep = g.rep, parts = [];
      parts.push(rep.extra !== undefined ? "Extra rep " + rep.n : "Rep " + rep.n + " of " + rep.of);
      parts.push(rep.label);
      var targets = g.ids.map(function (id) {
        var mine = current(id), t = J.repTarget(mine);
        var who = byId[id].short + (S.athletes[id].cursor !== S.athletes[g.lead].cursor
          ? " (rep " + (mine.extra !== undefined ? "+" + mine.n : mine.position) + ")" : "");
        return t ? who + " " + J.formatBand(t) : null;
      }).filter(Boolean);
      if (targets.length && g.ids.length <= 4) { parts.push("targets " + targets.join(", ")); }
      else if (targets.length) { parts.push("targets on each button"); }
      line.textContent = parts.join(" \u00b7 ");
    }
    var list = $("#sw-athletes");
    var ids = selected();
    list.classList.toggle("is-two-columns", ids.length > 6);
    if (list.dataset.ids !== ids.join(",")) { list.textContent = ""; ids.forEach(makeCard); }
    list.dataset.ids = ids.join(",");
    ids.forEach(drawCard);
    $("#sw-undo").disabled = !S.history.length;
    $("#sw-go").disabled = !ids.some(function (id) { return !running(id) && current(id); });
    drawQueue();
    tick();
  }

  function makeCard(id) {
    var tpl = document.getElementById("sw-card").content.firstElementChild.cloneNode(true);
    tpl.dataset.athlete = id;
    tpl.querySelector(".sw-name").textContent = byId[id].short;
    tpl.querySelector(".sw-tap").setAttribute("aria-describedby", "sw-state-" + id);
    tpl.querySelector(".sw-state").id = "sw-state-" + id;
    tpl.querySelector(".sw-more").setAttribute("aria-label", "More for " + byId[id].name);
    $("#sw-athletes").appendChild(tpl);
  }

  function drawCard(id) {
    var card = root.querySelector('.sw-card[data-athlete="' + id + '"]');
    var a = S.athletes[id], rep = current(id), last = a.results[a.cursor - 1];
    card.classList.toggle("is-running", running(id));
    card.classList.toggle("is-done", !rep);
    ["on", "fast", "slow"].forEach(function (s) {
      card.classList.toggle("status-" + s, !running(id) && !!last && !!last.judged &&
                            last.judged.status === s);
    });
    card.querySelector(".sw-rep-no").textContent = !rep ? "done"
      : rep.extra !== undefined ? "extra " + rep.n : "rep " + rep.position;
    var state = card.querySelector(".sw-state");
    var result = card.querySelector(".sw-result");
    var band = rep ? J.formatBand(J.repTarget(rep)) : "";
    if (running(id)) {
      state.textContent = band ? "target " + band : "running \u00b7 tap at the line";
      result.textContent = ids2col() && band ? band : "";
    } else {
      state.textContent = !rep ? "all reps timed" : last ? "" : "tap to start alone";
      result.textContent = last ? resultText(last) : "";
    }
    var skip = card.querySelector(".sw-skip");
    skip.textContent = rep ? "Skip " + (rep.extra !== undefined ? "this extra rep" : "rep " + rep.position) : "Skip";
    skip.disabled = !rep;
    card.querySelector(".sw-cut").disabled = !running(id);
    var cutInput = card.querySelector(".sw-cut-distance");
    if (rep && !cutInput.value && rep.distance) { cutInput.placeholder = String(Math.round(rep.distance * 0.75)); }
  }

  function ids2col() { return selected().length > 6; }

  function drawQueue() {
    var waiting = S.outbox.length, box = $("#sw-queue");
    var sent = 0;
    Object.keys(S.athletes).forEach(function (id) {
      var r = S.athletes[id].results;
      Object.keys(r).forEach(function (i) { if (r[i].sent) { sent++; } });
    });
    box.classList.toggle("is-waiting", waiting > 0);
    box.classList.toggle("is-login", !!S.login);
    box.textContent = "";
    if (S.login) {
      box.append(waiting + " result" + (waiting === 1 ? "" : "s") + " kept on this phone: ");
      var link = document.createElement("a");
      link.href = S.login;
      link.textContent = S.login === location.pathname ? "reload the page to send them"
        : "log in again to send them";
      link.addEventListener("click", function () { S.login = false; save(); });
      box.append(link);
    } else if (waiting) {
      box.textContent = waiting + " result" + (waiting === 1 ? "" : "s") +
        " waiting for a signal \u00b7 " + sent + " in the logs";
    } else {
      box.textContent = sent === 1 ? "The result is in the log"
        : sent ? "All " + sent + " results in the logs" : "Results go to each athlete\u2019s log";
    }
    var panel = $("#sw-conflicts");
    panel.textContent = "";
    panel.hidden = !S.conflicts.length && !S.errors.length;
    S.conflicts.forEach(function (c) {
      var tpl = document.getElementById("sw-conflict").content.firstElementChild.cloneNode(true);
      var who = byId[c.athlete].short;
      tpl.querySelector("p").textContent = "Rep " + c.position + ": " + who + " typed " +
        J.formatSplit(c.theirs) + "; you timed " + J.formatSplit(c.time) + ".";
      tpl.querySelector(".sw-keep").textContent = "Keep " + who + "\u2019s";
      tpl.querySelector(".sw-keep").dataset.cid = c.cid;
      tpl.querySelector(".sw-mine").dataset.cid = c.cid;
      panel.appendChild(tpl);
    });
    S.errors.forEach(function (e, i) {
      var p = document.createElement("p"), ok = document.createElement("button");
      p.className = "sw-error"; p.textContent = e + " ";
      ok.type = "button"; ok.className = "small"; ok.dataset.error = String(i);
      ok.textContent = "Dismiss";
      p.appendChild(ok); panel.appendChild(p);
    });
  }

  function tick() {
    if (!S.timing) { return; }
    var t = now(), ids = selected(), clock = $("#sw-clock"), label = $("#sw-clock-label");
    var starts = ids.filter(running).map(function (id) { return S.athletes[id].start; });
    clock.classList.remove("is-over", "is-soon");
    if (starts.length) {
      label.textContent = "Running";
      clock.textContent = clockText(t - Math.min.apply(null, starts));
    } else if (!groupRep()) {
      label.textContent = "Session timed";
      clock.textContent = "Done";
    } else if (S.recovery) {
      var spec = S.recovery.spec, gone = (t - S.recovery.from) / 1000;
      if (spec && spec.duration) {
        var left = spec.duration - gone;
        label.textContent = "Recovery " + spec.text + (left > 0 ? " \u00b7 left" : " \u00b7 over");
        clock.textContent = countdownText(left);
        clock.classList.toggle("is-soon", left <= 10 && left > 0);
        clock.classList.toggle("is-over", left <= 0);
        if (left <= 10 && S.recovery.beeps < 1) { S.recovery.beeps = 1; beeped(false); }
        if (left <= 0 && S.recovery.beeps < 2) { S.recovery.beeps = 2; beeped(true); }
      } else {
        label.textContent = "Recovery" + (spec ? " " + spec.text : "") + " \u00b7 since the finish";
        clock.textContent = clockText(gone * 1000);
      }
    } else {
      label.textContent = "Ready";
      clock.textContent = "0:00.0";
    }
    ids.forEach(function (id) {
      var card = root.querySelector('.sw-card[data-athlete="' + id + '"] .sw-time');
      if (!card) { return; }
      var a = S.athletes[id];
      card.textContent = running(id) ? clockText(t - a.start)
        : a.finish && current(id) ? restText(id, t) : "";
    });
  }

  /* An athlete's own recovery since their finish: "0:45 left" of a (90s), "+0:45" of a jog. */
  function restText(id, t) {
    var a = S.athletes[id], done = reps(id)[a.cursor - 1];
    var gone = (t - a.finish) / 1000, spec = done && done.recovery;
    if (spec && spec.duration) { return countdownText(spec.duration - gone) + (gone < spec.duration ? " left" : ""); }
    return "+" + countdownText(gone);
  }

  function beeped(last) {
    sound.beep(last);
    root.dataset.beeps = String(Number(root.dataset.beeps) + 1);
    save();
  }

  // Athletes ticked or unticked before this file ran (a slow signal shows the page first,
  // with nothing listening yet) are the coach's choice: taken into the state before the setup
  // is drawn from it, rather than drawn over. Not while timing (the setup is not shown then).
  function pickedEarly() {
    if (S.timing) { return; }
    var changed = {};
    $("#sw-pick").querySelectorAll("input[type=checkbox]").forEach(function (box) {
      if (box.checked !== box.defaultChecked) { changed[Number(box.value)] = box.checked; }
    });
    if (!Object.keys(changed).length) { return; }
    S.selected = DATA.athletes.map(function (a) { return a.id; }).filter(function (id) {
      return id in changed ? changed[id] : S.selected.indexOf(id) >= 0;
    });
    save();
  }

  function drawSetup() {
    var list = $("#sw-pick");
    list.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      box.checked = S.selected.indexOf(Number(box.value)) >= 0;
    });
  }

  // --- wiring ------------------------------------------------------------------------------------

  $("#sw-pick-form").addEventListener("submit", function (event) {
    event.preventDefault();
    S.selected = Array.prototype.filter.call(
      this.querySelectorAll("input[type=checkbox]"), function (b) { return b.checked; })
      .map(function (b) { return Number(b.value); });
    if (!S.selected.length) { $("#sw-pick-error").hidden = false; return; }
    $("#sw-pick-error").hidden = true;
    S.timing = true;
    sound.wake(); wakeLock();
    commit();
    $("#sw-go").focus();
  });
  $("#sw-change").addEventListener("click", function () {
    if (selected().some(running)) { announce("Stop the running reps first"); return; }
    S.timing = false; commit();
  });
  $("#sw-go").addEventListener("click", function () { start(selected()); });
  $("#sw-undo").addEventListener("click", undo);
  $("#sw-extra-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var value = Number(this.elements.distance.value);
    if (!(value > 0 && value <= 100000)) { this.elements.distance.focus(); return; }
    addExtra(value);
    this.closest("details").open = false;
  });
  $("#sw-athletes").addEventListener("click", function (event) {
    var card = event.target.closest(".sw-card");
    if (!card) { return; }
    var id = Number(card.dataset.athlete), a = S.athletes[id];
    if (event.target.closest(".sw-tap")) {
      if (running(id)) {
        if (now() - a.start >= TAP_GUARD_MS) { finish(id, "time"); }  // not a double tap
      }
      else if (current(id) && !(a.finish && now() - a.finish < TAP_GUARD_MS)) { start([id]); }
    } else if (event.target.closest(".sw-skip")) {
      finish(id, "skip"); card.querySelector(".sw-menu").closest("details").open = false;
    } else if (event.target.closest(".sw-cut")) {
      var input = card.querySelector(".sw-cut-distance");
      var metres = Number(input.value || input.placeholder);
      if (!(metres > 0)) { input.focus(); return; }
      finish(id, "time", metres); input.value = "";
      card.querySelector(".sw-menu").closest("details").open = false;
    }
  });
  $("#sw-conflicts").addEventListener("click", function (event) {
    var button = event.target.closest("button[data-cid]");
    if (button) { resolve(button.dataset.cid, button.classList.contains("sw-mine")); }
    var dismiss = event.target.closest("button[data-error]");
    if (dismiss) { S.errors.splice(Number(dismiss.dataset.error), 1); commit(); }
  });

  setInterval(tick, 100);
  pickedEarly();
  render();
  if (S.timing) { wakeLock(); }
  pump();
}());
