/* How a split is judged against its target: sessions/judging.py ported, for the stopwatch
   (static/js/stopwatch.js), which must judge a split at once with no signal. The rule is the
   server's; tests/test_stopwatch.py (test_the_javascript_judging_agrees_with_the_servers)
   runs both on the same vectors and compares.

   - target: the rep's band (fast end first), scaled to the distance run when the rep was cut
     short (same pace);
   - deviation: actual - middle of the band, seconds, negative is faster;
   - status: "on" inside the band widened by tolerance_pct at each end, else "fast"/"slow". */
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module.exports) { module.exports = api; }
  else { root.StopwatchJudging = api; }
}(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  function repTarget(rep) {
    if (rep.lo === null || rep.lo === undefined) { return null; }
    var lo = rep.lo;
    var hi = (rep.hi === null || rep.hi === undefined) ? lo : rep.hi;
    var planned = rep.planned, run = rep.distance;
    if (planned && run && Math.abs(planned - run) > 0.05) {
      return [lo * run / planned, hi * run / planned];
    }
    return [lo, hi];
  }

  function deviation(actual, target) { return actual - (target[0] + target[1]) / 2; }

  function status(actual, target, tolerancePct) {
    var allowance = tolerancePct / 100;
    if (actual < target[0] * (1 - allowance)) { return "fast"; }
    if (actual > target[1] * (1 + allowance)) { return "slow"; }
    return "on";
  }

  /* +0.8 s, −1.2 s (a real minus), 0.0 s: sessions.judging.format_deviation */
  function formatDeviation(seconds) {
    if (seconds === null || seconds === undefined) { return ""; }
    var tenths = Math.floor(Math.abs(seconds) * 10 + 0.5) / 10;
    if (tenths === 0) { return "0.0 s"; }
    return (seconds > 0 ? "+" : "\u2212") + tenths.toFixed(1) + " s";
  }

  /* {target, deviation, status, label} of a split; target/deviation/status null without a
     time target (an extra rep, a rep judged by lactate only). */
  function judge(rep, actual, tolerancePct) {
    var target = repTarget(rep);
    if (target === null || actual === null || actual === undefined) {
      return {target: target, deviation: null, status: null, label: ""};
    }
    var dev = deviation(actual, target);
    return {target: target, deviation: dev, status: status(actual, target, tolerancePct),
            label: formatDeviation(dev)};
  }

  /* A split as the stopwatch shows it, to the tenth: 69.8, 1:59.4, 12:03.0. */
  function formatSplit(seconds) {
    var tenths = Math.floor(seconds * 10 + 0.5);
    var whole = Math.floor(tenths / 10), tenth = tenths % 10;
    if (whole < 100) { return whole + "." + tenth; }
    var minutes = Math.floor(whole / 60), secs = whole % 60;
    return minutes + ":" + (secs < 10 ? "0" : "") + secs + "." + tenth;
  }

  function formatBand(target) {
    if (!target) { return ""; }
    var lo = formatSplit(target[0]), hi = formatSplit(target[1]);
    return lo === hi ? lo : lo + "\u2013" + hi;
  }

  return {repTarget: repTarget, deviation: deviation, status: status,
          formatDeviation: formatDeviation, judge: judge, formatSplit: formatSplit,
          formatBand: formatBand};
}));
