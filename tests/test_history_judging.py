"""``workout_history.judge_rows``, the history panel's tight judging loop, against
``sessions.judging.judge`` rep by rep: the same counts and the same mean deviation, to the
last bit (the mean is added up in rep order, as the panel always did)."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import example, given, settings
from hypothesis import strategies as st

from sessions import judging, workout_history

TIMES = st.one_of(st.none(), st.floats(20, 400, allow_nan=False),
                  st.sampled_from([60.0, 61.8, 62.0, 66.0, 67.98, 68.0]))
DISTANCES = st.one_of(st.none(), st.sampled_from([0.0, 300.0, 399.96, 400.0, 400.04, 400.1,
                                                  1609.344]))
TARGETS = st.one_of(st.none(), st.sampled_from([62.0, 60.5, 75.25]), st.floats(10, 300))


@st.composite
def a_rep(draw):
    lo = draw(TARGETS)
    return SimpleNamespace(
        actual_s=draw(TIMES), target_lo_s=lo,
        target_hi_s=None if lo is None else draw(st.one_of(st.none(), st.just(lo + 4.0),
                                                           st.floats(10, 300))),
        planned_distance_m=draw(st.sampled_from([None, 0.0, 400.0, 1609.344])),
        distance_m=draw(DISTANCES), skipped=draw(st.booleans()), extra=draw(st.booleans()),
        lactate=None, lactate_lo=None, lactate_hi=None)


def _judged_one_by_one(logs, tolerance):
    """What the panel showed before: ``judge`` on every rep of each log (``adherence``'s counts,
    the mean of the planned reps' deviations)."""
    found = {}
    for log_id, reps in logs.items():
        verdicts = [(rep, judging.judge(rep, tolerance[log_id])) for rep in reps]
        statuses = [v.status for _, v in verdicts if v.status is not None]
        deviations = [v.deviation for rep, v in verdicts
                      if v.deviation is not None and not rep.extra]
        found[log_id] = (statuses.count("on"), len(statuses),
                         sum(deviations) / len(deviations) if deviations else None)
    return found


def _rows(logs):
    """The rows ``_timed_reps_query`` reads of those reps: not skipped, with a time and a time
    target, each log's in its order."""
    return [(log_id, r.actual_s, r.target_lo_s, r.target_hi_s, r.planned_distance_m,
             r.distance_m, r.extra)
            for log_id, reps in logs.items() for r in reps
            if not r.skipped and r.actual_s is not None and r.target_lo_s is not None]


def _check(logs, tolerance):
    expected = _judged_one_by_one(logs, tolerance)
    found = dict.fromkeys(logs, (0, 0, None))
    found.update(workout_history.judge_rows(_rows(logs), tolerance))
    assert found == expected
    for log_id, (_, _, mean) in found.items():  # the same bits, so the same label
        assert (judging.format_deviation(mean)
                == judging.format_deviation(expected[log_id][2]))


@settings(max_examples=300, deadline=None)
@given(logs=st.dictionaries(st.integers(1, 50), st.lists(a_rep(), max_size=25), max_size=6),
       tolerances=st.lists(st.sampled_from([0.0, 2.5, 3.0, 5.0, 3, 7.5]), min_size=6,
                           max_size=6))
@example(logs={1: []}, tolerances=[3.0] * 6)
def test_the_panels_verdicts_are_judges_rep_by_rep(logs, tolerances):
    _check(logs, {log_id: tolerances[n % 6] for n, log_id in enumerate(logs)})


def _rep(actual, lo, hi, planned=400.0, distance=400.0, **more):
    values = {"skipped": False, "extra": False, "lactate": None, "lactate_lo": None,
              "lactate_hi": None, **more}
    return SimpleNamespace(actual_s=actual, target_lo_s=lo, target_hi_s=hi,
                           planned_distance_m=planned, distance_m=distance, **values)


def test_the_tolerance_edges_skipped_cut_short_added_and_untargeted_reps():
    """The ends of the band widened by the tolerance (on target), a hair past them (fast,
    slow), a rep cut short (its band scaled), skipped, without a time or a target, and an
    added rep (judged, out of the mean)."""
    fast_end, slow_end = judging.tolerance_band((62.0, 66.0), 3.0)
    short_fast, _ = judging.tolerance_band(judging.rep_target(_rep(0, 62.0, 66.0, 400.0, 300.0)),
                                           3.0)
    reps = [_rep(fast_end, 62.0, 66.0), _rep(slow_end, 62.0, 66.0),
            _rep(fast_end - 1e-9, 62.0, 66.0), _rep(slow_end + 1e-9, 62.0, 66.0),
            _rep(short_fast, 62.0, 66.0, 400.0, 300.0), _rep(short_fast - 1e-9, 62.0, 66.0,
                                                             400.0, 300.0),
            _rep(63.0, 62.0, None), _rep(61.0, 62.0, 66.0, skipped=True),
            _rep(None, 62.0, 66.0), _rep(64.0, None, None), _rep(58.0, 62.0, 66.0, extra=True)]
    _check({7: reps, 8: reps[:1], 9: reps[7:10]}, {7: 3.0, 8: 0.0, 9: 3.0})
    found = workout_history.judge_rows(_rows({7: reps}), {7: 3.0})
    assert found[7][:2] == (4, 8)  # both ends, the cut rep's end, the one-value band


def test_a_mean_on_a_rounding_edge_is_added_in_rep_order():
    """Deviations whose sum depends on the order they are added in: the panel's mean is the
    one added in rep order (what the page always printed)."""
    deviations = [0.1, 0.2, 0.3, -0.15, 1e-16, 0.05]
    reps = [_rep(64.0 + d, 62.0, 66.0) for d in deviations]
    [(on, judged, mean)] = workout_history.judge_rows(_rows({1: reps}), {1: 3.0}).values()
    in_order = [judging.deviation(r.actual_s, (62.0, 66.0)) for r in reps]
    assert mean == sum(in_order) / len(in_order)
    assert (on, judged) == (6, 6)
