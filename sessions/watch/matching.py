"""Match what a watch recorded to the reps that were planned.

``match_reps(activity, planned)`` returns one ``RepMatch`` per planned rep, in order, plus the
pieces left over (``Extra``). Pure Python, no Django. Three methods, chosen from the file:

"workout step"
    The laps carry ``workout_step_index`` (the athlete ran a structured workout on the watch):
    the active laps are the reps, in order.
"laps"
    Manual laps. Recovery, warm-up and cool-down laps are dropped (by the watch's intensity
    label, or by being slow next to the others). With track points, a lap that holds running
    and jogging (a missed press) is cut to its fast part, and one that holds two fast parts
    gives both. Then the sequence is aligned to the plan.
"track"
    No laps worth the name (GPX, 1 km auto-laps): the track is cut into fast and slow stretches
    by speed, and the fast stretches are aligned to the plan.

The alignment is a small dynamic programme over (pieces, reps) that allows a piece per rep
("aligned" / "workout step"), two adjacent pieces for one rep (an extra press: "split"), one
piece for two reps (a missed press: "merged", cut at the planned distance using the track points,
else in proportion), a piece left over (an ``Extra``) and a rep with nothing ("missing").
Edges that come from a fast/slow change (not from a press) are refined by intersecting straight
lines fitted to distance over time on either side, which finds the change to a fraction of a
second at 1 Hz (the track and its segmentation: ``sessions.watch.speed_segments``). See
docs/watch-files.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from .activity import Activity, Lap
from .speed_segments import Piece, Track, two_means_threshold

HOWS = ("workout step", "aligned", "split", "merged", "missing", "reassigned")
_NOT_WORK = {"rest", "recovery", "warmup", "cooldown"}
_EXTRA_COST = 0.6
_MISSING_COST = 0.8
_JOIN_COST = 0.15
_MIN_LAP_S = 2.0
_MAX_SPLIT = 4
_SNAP_S = 4.0  # a fast stretch this close to a lap press starts (or ends) at the press


@dataclass(frozen=True, slots=True)
class PlannedRep:
    """A log row the athlete would fill: the work reps, in order (``position`` from 1)."""

    position: int
    distance_m: float | None = None
    duration_s: float | None = None


@dataclass(frozen=True, slots=True)
class RepMatch:
    position: int
    time_s: float | None
    distance_m: float | None
    avg_hr: int | None
    how: str
    lap_indexes: tuple[int, ...] = ()
    start_s: float | None = None
    end_s: float | None = None


@dataclass(frozen=True, slots=True)
class Extra:
    lap_index: int
    time_s: float
    distance_m: float | None
    avg_hr: int | None
    start_s: float | None = None


@dataclass(frozen=True, slots=True)
class MatchResult:
    reps: tuple[RepMatch, ...]
    extras: tuple[Extra, ...]
    method: str  # "workout step", "laps", "track" or "none"
    pieces: tuple[Piece, ...] = ()

    @property
    def matched(self) -> int:
        return sum(1 for r in self.reps if r.how != "missing")


def match_reps(activity: Activity, planned: Sequence[PlannedRep]) -> MatchResult:
    """Match ``activity`` to ``planned`` (the work reps in order); see the module docstring."""
    track = Track(activity.points)
    # a lap under 2 s is a double press, not a rep
    laps = [lap for lap in activity.laps if lap.elapsed_s >= _MIN_LAP_S]
    if any(lap.workout_step_index is not None for lap in laps):
        method = "workout step"
        active = [
            lap for lap in laps
            if lap.workout_step_index is not None and lap.intensity not in _NOT_WORK
        ]
        if not any(lap.intensity in _NOT_WORK for lap in laps):
            # a watch that labels every step "active": recoveries are the slow laps
            active = _drop_slow_laps(active)
        pieces = [_lap_piece(lap, track) for lap in active]
    elif _laps_look_like_reps(laps) or (laps and not track.has_distance):
        method = "laps"
        pieces = _pieces_from_laps(laps, track, track.threshold)
    elif track.has_distance:
        method = "track"
        pieces = track.fast_stretches()
    else:
        method = "none"
        pieces = []
    planned = list(planned)
    result = _align(_numbered(pieces), planned, method, track)
    if result.matched < len(planned) and method in ("laps", "track"):
        # Reps left without a piece may have been run at a middling pace (a tempo run among
        # fast reps): cut again between the slow and middling paces and offer the new pieces.
        second = track.second_threshold
        if second is not None:
            more = (_pieces_from_laps(laps, track, second) if method == "laps"
                    else track.fast_stretches(threshold=second))
            more = [p for p in more if not any(_overlap(p, q) for q in pieces)]
            retry = _align(_numbered(sorted(pieces + more, key=lambda p: p.start_s)),
                           planned, method, track)
            if retry.matched > result.matched:
                result = retry
    return result


def _numbered(pieces: list[Piece]) -> list[Piece]:
    return [replace(p, index=k) for k, p in enumerate(pieces)]


def _overlap(p: Piece, q: Piece) -> bool:
    return p.start_s < q.end_s and q.start_s < p.end_s


def lap_choices(result: MatchResult) -> tuple[Piece, ...]:
    """The pieces an athlete may assign to a rep (every lap or stretch considered)."""
    return result.pieces


def reassign(
    result: MatchResult, position: int, lap_index: int | None, activity: Activity | None = None
) -> MatchResult:
    """The athlete's correction: rep ``position`` takes piece ``lap_index`` (None: no piece).

    A rep that held that piece becomes "missing"; pieces no rep holds any more become extras.
    """
    pieces = {p.index: p for p in result.pieces}
    if lap_index is not None and lap_index not in pieces:
        raise ValueError(f"No piece {lap_index} in this match.")
    track = Track(activity.points) if activity is not None else None
    reps = []
    for rep in result.reps:
        if rep.position == position:
            if lap_index is None:
                reps.append(_missing(position))
            else:
                p = pieces[lap_index]
                hr = p.avg_hr if track is None else track.avg_hr(p.start_s, p.end_s) or p.avg_hr
                reps.append(RepMatch(position, round(p.time_s, 2), p.distance_m, hr,
                                     "reassigned", (p.index,), p.start_s, p.end_s))
        elif lap_index is not None and lap_index in rep.lap_indexes:
            reps.append(_missing(rep.position))
        else:
            reps.append(rep)
    used = {i for r in reps for i in r.lap_indexes}
    extras = tuple(_extra(p) for p in result.pieces if p.index not in used)
    return replace(result, reps=tuple(reps), extras=extras)


# --- pieces ---------------------------------------------------------------------------------


def _laps_look_like_reps(laps: list[Lap]) -> bool:
    """Manual laps are reps; a watch's own laps every 1 km, 1 mile or N minutes are not."""
    if len(laps) < 2:
        return False
    body = laps[:-1]
    if any(lap.trigger == "manual" for lap in body):
        return True
    return not all(lap.trigger in ("distance", "time", "position", "auto") for lap in body)


def _lap_piece(lap: Lap, track: Track) -> Piece:
    hr = track.avg_hr(lap.start_s, lap.end_s) if lap.avg_hr is None else lap.avg_hr
    distance = lap.distance_m
    if distance is None and track.has_distance:
        distance = track.distance_between(lap.start_s, lap.end_s)
    return Piece(lap.index, lap.start_s, lap.end_s, distance, hr, lap.index)


def _pieces_from_laps(laps: list[Lap], track: Track, threshold: float) -> list[Piece]:
    candidates = [lap for lap in laps if lap.intensity not in _NOT_WORK]
    if not track.has_distance:
        return [_lap_piece(lap, track) for lap in _drop_slow_laps(candidates)]
    # A lap's end is a press when its trigger is manual; its start when the previous lap's is.
    pressed_end = {lap.index: lap.trigger in ("manual", "session_end") for lap in laps}
    pressed_start = {
        lap.index: i == 0 or laps[i - 1].trigger == "manual" for i, lap in enumerate(laps)
    }
    pieces: list[Piece] = []
    for lap in candidates:
        stretches = track.fast_stretches(lap.start_s, lap.end_s, threshold)
        fast = sum(s.time_s for s in stretches)
        if fast >= 0.8 * lap.elapsed_s:
            pieces.append(_lap_piece(lap, track))
            continue
        for s in stretches:
            start, end = s.start_s, s.end_s
            if pressed_start[lap.index] and start - lap.start_s < _SNAP_S:
                start = lap.start_s
            if pressed_end[lap.index] and lap.end_s - end < _SNAP_S:
                end = lap.end_s
            pieces.append(Piece(
                lap.index, start, end, track.distance_between(start, end),
                track.avg_hr(start, end), lap.index,
            ))
    return pieces


def _drop_slow_laps(laps: list[Lap]) -> list[Lap]:
    """Without track points: drop laps clearly slower than the fast group (recoveries)."""
    speeds = [lap.speed_mps for lap in laps if lap.speed_mps]
    if len(speeds) < 2:
        return laps
    threshold = two_means_threshold(speeds)
    if threshold is None:
        return laps
    return [lap for lap in laps if lap.speed_mps is None or lap.speed_mps >= threshold]


# --- alignment -------------------------------------------------------------------------------


def _plan_value(rep: PlannedRep) -> tuple[str, float] | None:
    if rep.distance_m:
        return "d", rep.distance_m
    if rep.duration_s:
        return "t", rep.duration_s
    return None


def _cost(measured_t: float, measured_d: float | None, reps: Sequence[PlannedRep]) -> float:
    values = [_plan_value(r) for r in reps]
    if any(v is None for v in values) or len({v[0] for v in values}) > 1:
        return 0.2
    kind = values[0][0]
    planned = sum(v[1] for v in values)
    if kind == "d":
        if measured_d is None:
            return 0.3
        measured = measured_d
    else:
        measured = measured_t
    return 2 * abs(measured - planned) / planned


def _align(pieces: list[Piece], planned: list[PlannedRep], method: str, track: Track):
    n, m = len(pieces), len(planned)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    move: list[list[tuple[str, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            here = cost[i][j]
            if here == inf:
                continue
            steps = []
            if i < n and j < m:
                p = pieces[i]
                steps.append(("one", 1, 1, _cost(p.time_s, p.distance_m, planned[j:j + 1])))
                if j + 1 < m:
                    steps.append(("merged", 1, 2, _JOIN_COST
                                  + _cost(p.time_s, p.distance_m, planned[j:j + 2])))
                # an extra press (or an auto-lap) inside a rep: up to 4 adjacent pieces
                for k in range(2, _MAX_SPLIT + 1):
                    if i + k > n or pieces[i + k - 1].start_s - pieces[i + k - 2].end_s >= 3:
                        break
                    group = pieces[i:i + k]
                    ds = [q.distance_m for q in group]
                    d = None if None in ds else sum(ds)
                    steps.append(("split", k, 1, _JOIN_COST * (k - 1)
                                  + _cost(group[-1].end_s - p.start_s, d, planned[j:j + 1])))
            # on a tie, a rep goes missing (a piece is left over) at the end rather than early
            if i < n:
                steps.append(("extra", 1, 0, _EXTRA_COST + 1e-6 * (n - i)))
            if j < m:
                steps.append(("missing", 0, 1, _MISSING_COST + 1e-6 * (m - j)))
            for name, di, dj, c in steps:
                if here + c < cost[i + di][j + dj]:
                    cost[i + di][j + dj] = here + c
                    move[i + di][j + dj] = (name, di)
    # walk back
    reps: list[RepMatch] = []
    extras: list[Extra] = []
    i, j = n, m
    one = "workout step" if method == "workout step" else "aligned"
    while i or j:
        name, k = move[i][j]
        if name == "one":
            p = pieces[i - 1]
            reps.append(_rep(planned[j - 1].position, [p], one, track))
            i, j = i - 1, j - 1
        elif name == "split":
            reps.append(_rep(planned[j - 1].position, pieces[i - k:i], "split", track))
            i, j = i - k, j - 1
        elif name == "merged":
            first, second = _cut(pieces[i - 1], planned[j - 2], planned[j - 1], track)
            reps.append(_rep(planned[j - 1].position, [second], "merged", track))
            reps.append(_rep(planned[j - 2].position, [first], "merged", track))
            i, j = i - 1, j - 2
        elif name == "extra":
            extras.append(_extra(pieces[i - 1]))
            i -= 1
        else:
            reps.append(_missing(planned[j - 1].position))
            j -= 1
    reps.reverse()
    extras.reverse()
    # two reps out of one lap (a missed press) read "merged", whatever the path said
    def laps_of(r: RepMatch) -> set:
        return {pieces[k].lap_index for k in r.lap_indexes} - {None}

    owners: dict[int, int] = {}
    for r in reps:
        for k in laps_of(r):
            owners[k] = owners.get(k, 0) + 1
    reps = [
        replace(r, how="merged") if r.how in ("aligned", "workout step")
        and any(owners[k] > 1 for k in laps_of(r)) else r
        for r in reps
    ]
    return MatchResult(tuple(reps), tuple(extras), method, tuple(pieces))


def _cut(piece: Piece, a: PlannedRep, b: PlannedRep, track: Track) -> tuple[Piece, Piece]:
    """One piece run as two reps: cut at rep a's planned distance, else in proportion."""
    at = None
    if a.distance_m and track.has_distance:
        start_d = track.distance_at(piece.start_s)
        at = track.time_at_distance(start_d + a.distance_m, piece.start_s)
    if at is None or not piece.start_s < at < piece.end_s:
        va, vb = _plan_value(a), _plan_value(b)
        share = va[1] / (va[1] + vb[1]) if va and vb and va[0] == vb[0] else 0.5
        at = piece.start_s + share * piece.time_s
    da = db = None
    if track.has_distance:
        da, db = track.distance_between(piece.start_s, at), track.distance_between(at, piece.end_s)
    elif piece.distance_m is not None:
        share = (at - piece.start_s) / piece.time_s
        da, db = piece.distance_m * share, piece.distance_m * (1 - share)
    return (
        replace(piece, end_s=at, distance_m=da, avg_hr=track.avg_hr(piece.start_s, at)
                or piece.avg_hr),
        replace(piece, start_s=at, distance_m=db, avg_hr=track.avg_hr(at, piece.end_s)
                or piece.avg_hr),
    )


def _rep(position: int, pieces: list[Piece], how: str, track: Track) -> RepMatch:
    start, end = pieces[0].start_s, pieces[-1].end_s
    distances = [p.distance_m for p in pieces]
    distance = None if any(d is None for d in distances) else round(sum(distances), 1)
    if len(pieces) == 1:
        hr = pieces[0].avg_hr
    else:
        hr = track.avg_hr(start, end)
        if hr is None:
            known = [(p.avg_hr, p.time_s) for p in pieces if p.avg_hr]
            total = sum(w for _, w in known)
            hr = round(sum(h * w for h, w in known) / total) if total else None
    return RepMatch(
        position, round(end - start, 2), distance, hr, how,
        tuple(dict.fromkeys(p.index for p in pieces)), round(start, 2), round(end, 2),
    )


def _missing(position: int) -> RepMatch:
    return RepMatch(position, None, None, None, "missing")


def _extra(p: Piece) -> Extra:
    return Extra(p.index, round(p.time_s, 2), p.distance_m, p.avg_hr, p.start_s)
