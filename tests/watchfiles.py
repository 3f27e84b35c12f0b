"""Generate watch files (FIT, TCX, GPX) from a known truth, for the tests and the demo.

A scenario is a list of ``Segment``s run one after another: distance, seconds, heart rate and
kind ("warmup", "work", "recovery", "cooldown"); a segment may be run with the watch paused. The
runner moves at constant speed inside a segment, so the truth is exact: ``truth_rep_times``.
Laps are the athlete's presses (``laps_by_segment``, ``laps_at``) or the watch's own
(``laps_auto_km``). Track points are written every wall-clock second while the watch runs, along
a straight line north (so GPS distance equals the truth) or without position (indoor, footpod).

FIT files are encoded with fit-tool and decoded by the app with garmin-fit-sdk, an independent
decoder. ``fit_for_reps`` makes a whole session from rep times and distances (the demo's 22 reps).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from xml.sax.saxutils import escape

START = datetime(2026, 5, 2, 7, 30, tzinfo=UTC)
LAT0, LON0 = 51.5, -0.12
M_PER_DEG = 6_371_008.8 * math.pi / 180  # the reader's haversine radius: distances agree


@dataclass(frozen=True)
class Segment:
    kind: str  # "warmup", "work", "recovery", "cooldown"
    distance_m: float
    seconds: float
    hr: int = 150
    paused: bool = False  # the watch is paused for the whole segment (the runner stands still)

    @property
    def speed(self) -> float:
        return self.distance_m / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class LapSpec:
    start: float  # wall seconds from the start
    end: float
    trigger: str = "manual"  # manual / distance / time / session_end
    intensity: str | None = None  # active / rest / warmup / cooldown
    step: int | None = None  # wkt_step_index


@dataclass
class Scenario:
    segments: list[Segment]
    laps: list[LapSpec] = field(default_factory=list)

    # -- the truth, as functions of wall-clock time --
    def bounds(self) -> list[float]:
        out, t = [0.0], 0.0
        for s in self.segments:
            t += s.seconds
            out.append(t)
        return out

    @property
    def total_s(self) -> float:
        return self.bounds()[-1]

    def segment_at(self, t: float) -> int:
        b = self.bounds()
        for i in range(len(self.segments)):
            if t < b[i + 1]:
                return i
        return len(self.segments) - 1

    def distance_at(self, t: float) -> float:
        b, d = self.bounds(), 0.0
        for i, s in enumerate(self.segments):
            if t >= b[i + 1]:
                d += s.distance_m
            else:
                d += s.speed * max(0.0, t - b[i])
                break
        return d

    def paused_before(self, t: float) -> float:
        b = self.bounds()
        return sum(
            max(0.0, min(t, b[i + 1]) - b[i])
            for i, s in enumerate(self.segments) if s.paused and b[i] < t
        )

    def timer_at(self, t: float) -> float:
        return t - self.paused_before(t)

    def running(self, t: float) -> bool:
        return not self.segments[self.segment_at(t)].paused

    def hr_stats(self, a: float, b: float) -> tuple[int, int]:
        bounds, weighted, total, top = self.bounds(), 0.0, 0.0, 0
        for i, s in enumerate(self.segments):
            lo, hi = max(a, bounds[i]), min(b, bounds[i + 1])
            if hi > lo and not s.paused:
                weighted += s.hr * (hi - lo)
                total += hi - lo
                top = max(top, s.hr)
        return (round(weighted / total) if total else 0, top)

    def sample_times(self) -> list[int]:
        return [t for t in range(int(self.total_s) + 1) if self.running(t)]


def truth_rep_times(segments: list[Segment]) -> list[float]:
    return [s.seconds for s in segments if s.kind == "work"]


def truth_rep_distances(segments: list[Segment]) -> list[float]:
    return [s.distance_m for s in segments if s.kind == "work"]


# -- scenarios --------------------------------------------------------------------------------


def intervals(
    times: list[float],
    distances: list[float],
    *,
    recovery_s: float = 90.0,
    recovery_m: float = 200.0,
    warmup: tuple[float, float] = (2000.0, 720.0),
    cooldown: tuple[float, float] = (1500.0, 560.0),
    work_hr: int = 172,
    easy_hr: int = 138,
    pause_recoveries: bool = False,
) -> list[Segment]:
    """Warm-up, reps with recoveries between them, cool-down."""
    segs = [Segment("warmup", warmup[0], warmup[1], easy_hr)] if warmup else []
    for i, (t, d) in enumerate(zip(times, distances, strict=True)):
        if i and pause_recoveries:
            # walk off the track with the watch running, then stand with it paused
            segs.append(Segment("recovery", 30.0, 20.0, easy_hr + 12))
            segs.append(Segment("recovery", 0.0, recovery_s - 20.0, easy_hr + 8, paused=True))
        elif i:
            segs.append(Segment("recovery", recovery_m, recovery_s, easy_hr + 8))
        segs.append(Segment("work", d, t, work_hr + (i % 3)))
    if cooldown:
        segs.append(Segment("cooldown", cooldown[0], cooldown[1], easy_hr))
    return segs


def laps_by_segment(scenario: Scenario, *, steps: bool = False) -> list[LapSpec]:
    """A lap per segment, as a structured workout (``steps``) or a careful athlete makes them."""
    b = scenario.bounds()
    labels = {"work": "active", "recovery": "rest", "warmup": "warmup", "cooldown": "cooldown"}
    step_of = {"warmup": 0, "work": 1, "recovery": 2, "cooldown": 4}
    laps: list[LapSpec] = []
    for i, s in enumerate(scenario.segments):
        if i and s.kind == scenario.segments[i - 1].kind:  # one lap for a walk-then-pause
            laps[-1] = LapSpec(laps[-1].start, b[i + 1], laps[-1].trigger, laps[-1].intensity,
                               laps[-1].step)
            continue
        laps.append(LapSpec(
            b[i], b[i + 1],
            trigger="time" if steps and s.kind != "work" else "manual",
            intensity=labels[s.kind] if steps else None,
            step=step_of[s.kind] if steps else None,
        ))
    return laps


def laps_at(scenario: Scenario, presses: list[float]) -> list[LapSpec]:
    """Manual laps between the given press times (wall seconds), closed at the end."""
    edges = sorted({0.0, *presses, scenario.total_s})
    laps = [LapSpec(a, b) for a, b in zip(edges, edges[1:], strict=False)]
    return laps[:-1] + [LapSpec(laps[-1].start, laps[-1].end, trigger="session_end")]


def laps_auto_km(scenario: Scenario) -> list[LapSpec]:
    """The watch's own lap every kilometre (what most athletes leave on)."""
    edges, km = [0.0], 1000.0
    b = scenario.bounds()
    for i, s in enumerate(scenario.segments):
        d0 = scenario.distance_at(b[i])
        while s.distance_m and d0 + s.distance_m >= km > d0 - 1e-9:
            edges.append(b[i] + (km - d0) / s.speed)
            km += 1000.0
    edges.append(scenario.total_s)
    laps = [LapSpec(a, c, trigger="distance") for a, c in zip(edges, edges[1:], strict=False)
            if c - a > 1e-6]
    return laps[:-1] + [LapSpec(laps[-1].start, laps[-1].end, trigger="session_end")]


# -- FIT --------------------------------------------------------------------------------------


def fit_bytes(scenario: Scenario, *, start: datetime = START, gps: bool = True) -> bytes:
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.activity_message import ActivityMessage
    from fit_tool.profile.messages.event_message import EventMessage
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.lap_message import LapMessage
    from fit_tool.profile.messages.session_message import SessionMessage
    from fit_tool.profile.profile_type import (
        Event,
        EventType,
        FileType,
        Intensity,
        LapTrigger,
        Manufacturer,
        Sport,
    )

    t0 = round(start.timestamp()) * 1000

    def ms(t: float) -> int:
        return t0 + int(math.floor(t)) * 1000

    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    m = FileIdMessage()
    m.type = FileType.ACTIVITY
    m.manufacturer = Manufacturer.GARMIN.value
    m.product = 0
    m.time_created = t0
    m.serial_number = 0x1234
    builder.add(m)

    def timer_event(t: float, kind) -> None:
        e = EventMessage()
        e.event = Event.TIMER
        e.event_type = kind
        e.timestamp = ms(t)
        builder.add(e)

    timer_event(0, EventType.START)
    b = scenario.bounds()
    for i, seg in enumerate(scenario.segments):
        if seg.paused and not (i and scenario.segments[i - 1].paused):
            timer_event(b[i], EventType.STOP_ALL)
        if seg.paused and (i + 1 < len(scenario.segments)) and not scenario.segments[i + 1].paused:
            timer_event(b[i + 1], EventType.START)
    for t in scenario.sample_times():
        seg = scenario.segments[scenario.segment_at(t)]
        r = _record_message(gps)
        r.timestamp = ms(t)
        r.distance = scenario.distance_at(t)
        r.heart_rate = seg.hr
        r.speed = seg.speed
        r.cadence = 88 if seg.kind == "work" else 80
        if gps:
            r.position_lat = LAT0 + scenario.distance_at(t) / M_PER_DEG
            r.position_long = LON0
        builder.add(r)

    intensities = {"active": Intensity.ACTIVE, "rest": Intensity.REST,
                   "warmup": Intensity.WARMUP, "cooldown": Intensity.COOLDOWN}
    triggers = {"manual": LapTrigger.MANUAL, "distance": LapTrigger.DISTANCE,
                "time": LapTrigger.TIME, "session_end": LapTrigger.SESSION_END}
    for n, lap in enumerate(scenario.laps):
        avg, top = scenario.hr_stats(lap.start, lap.end)
        msg = LapMessage()
        msg.message_index = n
        msg.event = Event.LAP
        msg.event_type = EventType.STOP
        msg.start_time = ms(lap.start)
        msg.timestamp = ms(lap.end)
        msg.total_timer_time = scenario.timer_at(lap.end) - scenario.timer_at(lap.start)
        msg.total_elapsed_time = lap.end - lap.start
        msg.total_distance = scenario.distance_at(lap.end) - scenario.distance_at(lap.start)
        msg.avg_heart_rate = avg
        msg.max_heart_rate = top
        msg.avg_running_cadence = 88
        msg.lap_trigger = triggers[lap.trigger]
        if lap.intensity:
            msg.intensity = intensities[lap.intensity]
        if lap.step is not None:
            msg.get_field(71).set_value(0, lap.step)  # wkt_step_index (no setter in fit-tool)
        builder.add(msg)

    end = scenario.total_s
    timer_event(end, EventType.STOP_ALL)
    s = SessionMessage()
    s.timestamp = ms(end)
    s.start_time = t0
    s.total_timer_time = scenario.timer_at(end)
    s.total_elapsed_time = end
    s.total_distance = scenario.distance_at(end)
    s.sport = Sport.RUNNING
    s.first_lap_index = 0
    s.num_laps = len(scenario.laps)
    builder.add(s)
    a = ActivityMessage()
    a.timestamp = ms(end)
    a.total_timer_time = scenario.timer_at(end)
    a.num_sessions = 1
    builder.add(a)
    return builder.build().to_bytes()


def _record_message(gps: bool):
    """A RecordMessage holding only the fields written here.

    fit-tool's own constructor builds all ~80 record fields, which made a two-hour file take
    15 s to encode; the property setters work the same on this subset.
    """
    from fit_tool.data_message import DataMessage
    from fit_tool.profile.messages import record_message as rm
    from fit_tool.profile.messages.common_fields import TimestampField

    kinds = [TimestampField, rm.RecordHeartRateField, rm.RecordCadenceField,
             rm.RecordDistanceField, rm.RecordSpeedField]
    if gps:
        kinds += [rm.RecordPositionLatField, rm.RecordPositionLongField]
    message = rm.RecordMessage.__new__(rm.RecordMessage)
    DataMessage.__init__(
        message, name=rm.RecordMessage.NAME, global_id=rm.RecordMessage.ID, local_id=0,
        fields=[kind(size=0, growable=True) for kind in kinds],
    )
    return message


def fit_for_reps(
    times: list[float],
    distances: list[float],
    *,
    recovery_s: float = 90.0,
    recovery_m: float = 200.0,
    laps: str = "workout",
    start: datetime = START,
) -> bytes:
    """A FIT file of a whole session whose work reps took ``times`` over ``distances``.

    ``laps``: "workout" (a structured workout: laps carry step indexes), "manual" (a press at
    each rep's start and end), "auto" (1 km auto-laps) or "none".
    """
    scenario = Scenario(intervals(times, distances, recovery_s=recovery_s, recovery_m=recovery_m))
    if laps == "workout":
        scenario.laps = laps_by_segment(scenario, steps=True)
    elif laps == "manual":
        scenario.laps = laps_by_segment(scenario)
    elif laps == "auto":
        scenario.laps = laps_auto_km(scenario)
    elif laps != "none":
        raise ValueError(laps)
    return fit_bytes(scenario, start=start)


# -- TCX and GPX ------------------------------------------------------------------------------


def _iso(start: datetime, t: float) -> str:
    return (start + timedelta(seconds=t)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def tcx_text(scenario: Scenario, *, start: datetime = START, gps: bool = True) -> str:
    """A Garmin-style TCX; ``gps=False`` is an indoor run: no position, footpod distance."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
        'TrainingCenterDatabase/v2" xmlns:ns3="http://www.garmin.com/xmlschemas/'
        'ActivityExtension/v2">',
        '<Activities><Activity Sport="Running">',
        f"<Id>{_iso(start, 0)}</Id>",
    ]
    samples = scenario.sample_times()
    for lap in scenario.laps:
        avg, top = scenario.hr_stats(lap.start, lap.end)
        intensity = "Resting" if lap.intensity == "rest" else "Active"
        trigger = {"manual": "Manual", "distance": "Distance", "time": "Time"}.get(
            lap.trigger, "Manual")
        out += [
            f'<Lap StartTime="{_iso(start, lap.start)}">',
            f"<TotalTimeSeconds>{scenario.timer_at(lap.end) - scenario.timer_at(lap.start):.3f}"
            "</TotalTimeSeconds>",
            "<DistanceMeters>"
            f"{scenario.distance_at(lap.end) - scenario.distance_at(lap.start):.2f}"
            "</DistanceMeters>",
            f"<AverageHeartRateBpm><Value>{avg}</Value></AverageHeartRateBpm>",
            f"<MaximumHeartRateBpm><Value>{top}</Value></MaximumHeartRateBpm>",
            f"<Intensity>{intensity}</Intensity>",
            f"<TriggerMethod>{trigger}</TriggerMethod>",
            "<Track>",
        ]
        previous_running = True
        for t in samples:
            if not (lap.start <= t < lap.end or (lap is scenario.laps[-1] and t == lap.end)):
                continue
            if not previous_running:
                out += ["</Track>", "<Track>"]
            i = scenario.segment_at(t)
            seg = scenario.segments[i]
            position = (
                f"<Position><LatitudeDegrees>{LAT0 + scenario.distance_at(t) / M_PER_DEG:.8f}"
                f"</LatitudeDegrees><LongitudeDegrees>{LON0}</LongitudeDegrees></Position>"
                if gps else ""
            )
            out.append(
                f"<Trackpoint><Time>{_iso(start, t)}</Time>{position}"
                f"<DistanceMeters>{scenario.distance_at(t):.2f}</DistanceMeters>"
                f"<HeartRateBpm><Value>{seg.hr}</Value></HeartRateBpm>"
                f"<Extensions><ns3:TPX><ns3:Speed>{seg.speed:.3f}</ns3:Speed></ns3:TPX>"
                "</Extensions></Trackpoint>"
            )
            previous_running = (t + 1 > scenario.total_s) or scenario.running(t + 1)
        out += [
            "</Track>",
            "<Extensions><ns3:LX><ns3:AvgRunCadence>88</ns3:AvgRunCadence></ns3:LX></Extensions>",
            "</Lap>",
        ]
    out += ["<Creator><Name>Forerunner Test</Name></Creator>",
            "</Activity></Activities></TrainingCenterDatabase>"]
    return "\n".join(out)


STRAIGHT_M = 84.39
BEND_R = (400.0 - 2 * STRAIGHT_M) / (2 * math.pi)  # lane 1 of a standard track: 400 m a lap


def oval_xy(d: float) -> tuple[float, float]:
    """Metres (east, north) after running ``d`` metres round a 400 m track from the start of
    the home straight."""
    d %= 400.0
    for straight_start, sign in ((0.0, 1), (200.0, -1)):
        if straight_start <= d < straight_start + STRAIGHT_M:
            # home straight runs north at x = R, back straight south at x = -R
            along = d - straight_start
            return (sign * BEND_R, along if sign > 0 else STRAIGHT_M - along)
        bend_start = straight_start + STRAIGHT_M
        if bend_start <= d < straight_start + 200.0:
            angle = (d - bend_start) / BEND_R
            if sign > 0:  # top bend, centre (0, STRAIGHT_M), turning anticlockwise
                return (BEND_R * math.cos(angle), STRAIGHT_M + BEND_R * math.sin(angle))
            return (-BEND_R * math.cos(angle), -BEND_R * math.sin(angle))
    return (BEND_R, 0.0)


def gpx_text(
    scenario: Scenario,
    *,
    start: datetime = START,
    creator: str = "Test watch",
    jitter_m: float = 0.0,
    seed: int = 14,
    oval: bool = False,
) -> str:
    """A GPX track at 1 Hz along a straight line, or round a 400 m track (``oval``); a paused
    stretch starts a new <trkseg>.

    ``jitter_m`` adds GPS-like error: a slowly wandering offset (each second 80 % of the last
    one plus fresh noise) of about that many metres, along and across the line.
    """
    import random

    rng = random.Random(seed)
    along = across = 0.0
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<gpx version="1.1" creator="{escape(creator)}" '
        'xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">',
        "<trk><name>Intervals</name><trkseg>",
    ]
    samples = scenario.sample_times()
    for n, t in enumerate(samples):
        if n and samples[n - 1] != t - 1:
            out.append("</trkseg><trkseg>")
        seg = scenario.segments[scenario.segment_at(t)]
        if jitter_m:
            along = 0.8 * along + rng.gauss(0, 0.6 * jitter_m)
            across = 0.8 * across + rng.gauss(0, 0.6 * jitter_m)
        if oval:
            east, north = oval_xy(scenario.distance_at(t))
        else:
            east, north = 0.0, scenario.distance_at(t)
        lat = LAT0 + (north + along) / M_PER_DEG
        lon = LON0 + (east + across) / (M_PER_DEG * math.cos(math.radians(LAT0)))
        out.append(
            f'<trkpt lat="{lat:.9f}" lon="{lon:.9f}"><time>{_iso(start, t)}</time>'
            f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{seg.hr}</gpxtpx:hr>"
            "</gpxtpx:TrackPointExtension></extensions></trkpt>"
        )
    out += ["</trkseg></trk></gpx>"]
    return "\n".join(out)
