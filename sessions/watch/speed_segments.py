"""The track's fast and slow stretches: the speed segmentation that lap matching builds on.

``Track`` holds a watch file's track points as arrays: distance and heart rate between two
times, the time a distance was reached, the speed at each point, the fast/slow threshold (the
two-means cut of the moving speeds) and the fast stretches, whose edges are refined by fitting a
hinge (two straight lines) to distance over time. ``Piece`` is a candidate rep: a whole lap, or
a fast stretch. Pure Python, no Django; ``sessions.watch.matching`` aligns the pieces to the
planned reps. See docs/watch-files.md.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from .activity import Point


@dataclass(frozen=True, slots=True)
class Piece:
    """A candidate rep: a whole lap, or a fast stretch of the track (inside a lap or not).

    ``index`` numbers the pieces of one result from 0; ``RepMatch.lap_indexes`` and
    ``Extra.lap_index`` refer to it (``MatchResult.pieces[i]``). ``lap_index`` is the watch's
    lap the piece lies in (None for a stretch of a track without laps).
    """

    index: int
    start_s: float
    end_s: float
    distance_m: float | None
    avg_hr: int | None
    lap_index: int | None = None

    @property
    def time_s(self) -> float:
        return self.end_s - self.start_s

    @property
    def label(self) -> str:
        """How the athlete knows it: the watch's lap number, or when the stretch began."""
        minutes, seconds = divmod(int(self.start_s), 60)
        at = f"{minutes}:{seconds:02d}"
        if self.lap_index is None:
            return f"Stretch from {at}"
        return f"Lap {self.lap_index + 1} (from {at})"


def two_means_threshold(values: list[float], ratio: float = 1.2) -> float | None:
    """The cut between a slow and a fast group, or None when there are no two groups (the
    fast group's mean is not ``ratio`` times the slow group's)."""
    values = sorted(values)
    lo, hi = values[0], values[-1]
    if hi <= 0 or lo / hi > 0.8:
        return None
    cut = (lo + hi) / 2
    for _ in range(30):
        slow = [v for v in values if v < cut]
        fast = [v for v in values if v >= cut]
        if not slow or not fast:
            return None
        new = (sum(slow) / len(slow) + sum(fast) / len(fast)) / 2
        if abs(new - cut) < 1e-6:
            break
        cut = new
    slow_mean = sum(v for v in values if v < cut) / max(1, sum(1 for v in values if v < cut))
    fast_mean = sum(v for v in values if v >= cut) / max(1, sum(1 for v in values if v >= cut))
    return cut if fast_mean >= ratio * slow_mean else None


class Track:
    """Track points as arrays, with interpolation and the fast/slow segmentation."""

    PAUSE_GAP_S = 10.0
    WINDOW = 3  # samples each side for the speed
    SMOOTH = 2  # samples each side for the median
    EDGE_SEARCH = 4  # samples either side of the crossing where the change may lie
    EDGE_WINDOW = 10  # samples either side used to fit the two paces

    def __init__(self, points: Sequence[Point]):
        pts = [p for p in points if p.distance_m is not None]
        self.t = [p.t_s for p in pts]
        self.d = [p.distance_m for p in pts]
        self.hr_t = [p.t_s for p in points if p.hr]
        self.hr = [p.hr for p in points if p.hr]
        self.has_distance = len(self.t) >= 10 and self.d[-1] - self.d[0] > 50
        self._speed: list[float] | None = None
        self._threshold: float | None = None

    # interpolation
    def distance_at(self, t: float) -> float | None:
        if not self.t:
            return None
        i = bisect.bisect_left(self.t, t)
        if i <= 0:
            return self.d[0]
        if i >= len(self.t):
            return self.d[-1]
        t0, t1 = self.t[i - 1], self.t[i]
        f = (t - t0) / (t1 - t0) if t1 > t0 else 0.0
        return self.d[i - 1] + f * (self.d[i] - self.d[i - 1])

    def time_at_distance(self, d: float, after: float) -> float | None:
        i = max(0, bisect.bisect_left(self.t, after))
        for j in range(max(1, i), len(self.d)):
            if self.d[j] >= d:
                d0, d1 = self.d[j - 1], self.d[j]
                f = (d - d0) / (d1 - d0) if d1 > d0 else 0.0
                return max(after, self.t[j - 1] + f * (self.t[j] - self.t[j - 1]))
        return None

    def distance_between(self, a: float, b: float) -> float | None:
        if not self.has_distance:
            return None
        return round(self.distance_at(b) - self.distance_at(a), 1)

    def avg_hr(self, a: float, b: float) -> int | None:
        lo, hi = bisect.bisect_left(self.hr_t, a), bisect.bisect_right(self.hr_t, b)
        values = self.hr[lo:hi]
        return round(sum(values) / len(values)) if values else None

    # speed and segmentation
    @property
    def speed(self) -> list[float]:
        """Speed at each point over a 7 s window (3 points each side, not across a pause),
        then a 5-point median: GPS jitter of a metre or two barely moves it."""
        if self._speed is None:
            t, d, n, k = self.t, self.d, len(self.t), self.WINDOW
            raw = [0.0] * n
            for i in range(n):
                lo, hi = i, i
                while lo > max(0, i - k) and t[lo] - t[lo - 1] <= self.PAUSE_GAP_S:
                    lo -= 1
                while hi < min(n - 1, i + k) and t[hi + 1] - t[hi] <= self.PAUSE_GAP_S:
                    hi += 1
                raw[i] = (d[hi] - d[lo]) / (t[hi] - t[lo]) if t[hi] > t[lo] else 0.0
            m = self.SMOOTH
            self._speed = [
                sorted(raw[max(0, i - m): i + m + 1])[len(raw[max(0, i - m): i + m + 1]) // 2]
                for i in range(n)
            ]
        return self._speed

    @property
    def threshold(self) -> float:
        if self._threshold is None:
            moving = [v for v in self.speed if v > 0.8]
            cut = two_means_threshold(moving) if len(moving) >= 2 else None
            self._threshold = cut if cut is not None else float("inf")
        return self._threshold

    @property
    def second_threshold(self) -> float | None:
        """The cut between slow and middling among the speeds under ``threshold``; asks for a
        clearer gap (30 %) than the first cut, so that warm-up running is not taken for a
        tempo next to the jogs."""
        moving = [v for v in self.speed if 0.8 < v < self.threshold]
        return two_means_threshold(moving, ratio=1.3) if len(moving) >= 2 else None

    def fast_stretches(
        self, a: float | None = None, b: float | None = None, threshold: float | None = None
    ) -> list[Piece]:
        """The stretches (at least 8 s) run above the fast/slow threshold, edges refined."""
        if not self.has_distance:
            return []
        threshold = self.threshold if threshold is None else threshold
        lo = 0 if a is None else bisect.bisect_left(self.t, a)
        hi = len(self.t) if b is None else bisect.bisect_right(self.t, b)
        runs: list[list[int]] = []
        for i in range(lo, hi):
            if self.speed[i] >= threshold:
                if runs and i - runs[-1][1] <= 3:
                    runs[-1][1] = i
                else:
                    runs.append([i, i])
        pieces = []
        for k, (first, last) in enumerate(runs):
            middle = (first + last) // 2
            before = runs[k - 1][1] + 1 if k else 0
            after = runs[k + 1][0] - 1 if k + 1 < len(runs) else len(self.t) - 1
            start = self._edge(first, rising=True, lo=before, hi=middle)
            end = self._edge(last, rising=False, lo=middle, hi=after)
            if a is not None:
                start, end = max(start, a), min(end, b)
            if end - start < 8:
                continue
            pieces.append(Piece(
                len(pieces), round(start, 2), round(end, 2), self.distance_between(start, end),
                self.avg_hr(start, end),
            ))
        return pieces

    def _edge(self, i: int, *, rising: bool, lo: int, hi: int) -> float:
        """Where the pace changes near sample ``i``.

        A hinge is fitted to distance over time: two straight lines (slow, fast) meeting at
        the change, least squares over up to ``EDGE_WINDOW`` samples either side (not across a
        pause, nor past the middle of the stretch or the neighbouring one). The change is
        searched on a 0.25 s grid within ``EDGE_SEARCH`` samples of the crossing, then to
        0.02 s around the best. Constant paces either side give the change exactly.
        """
        n = len(self.t)
        first, last = max(lo, i - self.EDGE_WINDOW), min(hi, i + self.EDGE_WINDOW)
        a = i
        while a > first and self.t[a] - self.t[a - 1] <= self.PAUSE_GAP_S:
            a -= 1
        b = i
        while b < last and self.t[b + 1] - self.t[b] <= self.PAUSE_GAP_S:
            b += 1
        fallback = self.t[i] if rising else self.t[min(i + 1, n - 1)]
        if b - a < 3:
            return fallback
        ts, ds = self.t[a:b + 1], self.d[a:b + 1]
        lo_x = self.t[max(a, i - self.EDGE_SEARCH)]
        hi_x = self.t[min(b, i + self.EDGE_SEARCH)]

        best = None
        for step, span in ((0.25, None), (0.02, 0.3)):
            if span is None:
                grid_lo, grid_hi = lo_x, hi_x
            elif best is None:
                break
            else:
                grid_lo, grid_hi = max(lo_x, best[1] - span), min(hi_x, best[1] + span)
            x = grid_lo
            while x <= grid_hi + 1e-9:
                rss = _hinge_rss(ts, ds, x, rising)
                if rss is not None and (best is None or rss < best[0]):
                    best = (rss, x)
                x += step
        return best[1] if best is not None else fallback


def _hinge_rss(ts: list[float], ds: list[float], x: float, rising: bool) -> float | None:
    """Residual of the best d = c + s1*min(t - x, 0) + s2*max(t - x, 0), or None when the
    slopes do not change the expected way (faster after a rising edge) by at least 5 %."""
    n = len(ts)
    su = sv = suu = svv = sd = sud = svd = 0.0
    for t, d in zip(ts, ds, strict=True):
        u = t - x
        if u < 0:
            su += u
            suu += u * u
            sud += u * d
        else:
            sv += u
            svv += u * u
            svd += u * d
        sd += d
    # normal equations [[n, su, sv], [su, suu, 0], [sv, 0, svv]] (c, s1, s2) = (sd, sud, svd)
    if suu <= 0 or svv <= 0:
        return None
    det = n * suu * svv - su * su * svv - sv * sv * suu
    if abs(det) < 1e-12:
        return None
    c = (sd * suu * svv - su * sud * svv - sv * svd * suu) / det
    s1 = (sud - su * c) / suu
    s2 = (svd - sv * c) / svv
    if (s2 <= s1 * 1.05) if rising else (s1 <= s2 * 1.05):
        return None
    rss = 0.0
    for t, d in zip(ts, ds, strict=True):
        u = t - x
        e = d - c - (s1 * u if u < 0 else s2 * u)
        rss += e * e
    return rss
