"""Read a watch file (FIT, TCX or GPX, optionally gzip-compressed) into an ``Activity``.

``read_activity(data, filename)`` is the one entry point. Everything that can go wrong with a
file someone uploads raises ``WatchFileError`` whose text is a sentence for the athlete; no other
exception escapes for a bad file. The type is sniffed from the content (the FIT header's ".FIT",
the XML root element), never trusted from the name.

Bounds, so that a hostile file costs little: the upload itself is refused above
``MAX_FILE_BYTES`` before anything is read; gzip is unpacked in chunks and abandoned past
``MAX_UNPACKED_BYTES``; FIT decoding stops after ``MAX_FIT_MESSAGES`` messages; XML is parsed by
defusedxml with document type declarations forbidden (entity bombs, external entities) and
refused past ``MAX_POINTS`` track points. GPX goes to gpxpy only after defusedxml has accepted the
very same text. See docs/watch-files.md.
"""

from __future__ import annotations

import io
import logging
import math
import zlib
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from .activity import Activity, Lap, Point

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
# About 28 hours at one point a second. Reading costs 1-3 KB of memory a point at its peak
# (garmin-fit-sdk's dicts, gpxpy's objects), so this also bounds memory to a few hundred MB.
MAX_POINTS = 100_000
MAX_LAPS = 2_000
MAX_FIT_MESSAGES = 150_000
MAX_XML_ELEMENTS = MAX_POINTS * 15  # a TCX track point is about 12 elements
_TOO_MANY_POINTS = "The file has more than 100,000 track points."

FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
_SEMICIRCLE_DEG = 180.0 / 2**31
# Running cadence in FIT (and in Garmin's TCX extensions) counts one foot: strides per minute.
# The app speaks steps per minute (both feet), so it is doubled on reading.
STEPS_PER_STRIDE = 2
_FOOT_SPORTS = {None, "running", "walking", "hiking", "generic", "training", "transition"}


class WatchFileError(ValueError):
    """A file the app cannot read; ``str(error)`` is a sentence to show the athlete."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def read_activity(data: bytes, filename: str = "") -> Activity:
    """The laps and track points of a watch file, or ``WatchFileError`` saying why not."""
    if len(data) > MAX_FILE_BYTES:
        raise WatchFileError("This file is larger than 20 MB.")
    if not data.strip():
        raise WatchFileError("The file is empty.")
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data)
        if not data.strip():
            raise WatchFileError("The compressed file is empty.")
    kind = sniff(data)
    try:
        activity = _read(kind, data)
    except (WatchFileError, MemoryError):
        raise
    except Exception as error:
        # A value no reader foresaw, deep in a damaged file: say so rather than fail the page.
        logger.exception("Unreadable %s watch file %r", kind, filename)
        raise WatchFileError("The file is damaged and could not be read.") from error
    if not activity.laps and not activity.points:
        raise WatchFileError("The file has no laps or track points.")
    return activity


def _read(kind: str, data: bytes) -> Activity:
    if kind == "fit":
        return _read_fit(data)
    data = data.lstrip(b"\xef\xbb\xbf \t\r\n")  # a byte-order mark, blank lines
    root = _parse_xml(data)
    tag = _local(root.tag)
    if tag == "TrainingCenterDatabase":
        return _read_tcx(root)
    if tag == "gpx":
        return _read_gpx(data)
    raise WatchFileError("This file is not a FIT, TCX or GPX file.")


def sniff(data: bytes) -> str:
    """"fit" or "xml" from the first bytes; ``WatchFileError`` for anything else."""
    if len(data) >= 12 and data[8:12] == b".FIT":
        return "fit"
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return "xml"
    raise WatchFileError("This file is not a FIT, TCX or GPX file.")


def _gunzip(data: bytes) -> bytes:
    """Unpack gzip in chunks, refusing more than ``MAX_UNPACKED_BYTES`` (a zip bomb)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = bytearray()
    try:
        pending = data
        while pending:
            chunk = inflater.decompress(pending, 1024 * 1024)
            out += chunk
            if len(out) > MAX_UNPACKED_BYTES:
                raise WatchFileError(
                    "The compressed file unpacks to more than 100 MB; it was not read."
                )
            pending = inflater.unconsumed_tail
            if inflater.eof:
                break
        if not inflater.eof:
            raise WatchFileError("The compressed file is incomplete (truncated).")
    except zlib.error as error:
        raise WatchFileError("The compressed file is damaged.") from error
    return bytes(out)


# --- FIT -----------------------------------------------------------------------------------


class _TooManyMessages(Exception):
    pass


def _read_fit(data: bytes) -> Activity:
    from garmin_fit_sdk import Decoder, Stream

    header_size = data[0]
    if header_size not in (12, 14):
        raise WatchFileError("The FIT file is damaged (bad header).")
    data_size = int.from_bytes(data[4:8], "little")
    if header_size + data_size + 2 > len(data):
        raise WatchFileError("The FIT file is incomplete (truncated).")
    if not Decoder(Stream.from_byte_array(bytearray(data))).check_integrity():
        raise WatchFileError("The FIT file is damaged (bad checksum).")

    count = 0

    def listener(mesg_num, message):
        nonlocal count
        count += 1
        if count > MAX_FIT_MESSAGES:
            raise _TooManyMessages

    decoder = Decoder(Stream.from_byte_array(bytearray(data)))
    messages, errors = decoder.read(convert_datetimes_to_dates=False, mesg_listener=listener)
    if errors:
        if any(isinstance(error, _TooManyMessages) for error in errors):
            raise WatchFileError("The FIT file holds too many records to read.")
        raise WatchFileError("The FIT file is damaged and could not be read.")
    return _fit_activity(messages)


def _fit_activity(messages: dict) -> Activity:
    records = [r for r in messages.get("record_mesgs", []) if _num(r.get("timestamp"))]
    laps_raw = [m for m in messages.get("lap_mesgs", []) if _num(m.get("start_time"))]
    if len(records) > MAX_POINTS:
        raise WatchFileError(_TOO_MANY_POINTS)
    if len(laps_raw) > MAX_LAPS:
        raise WatchFileError("The file has more than 2,000 laps.")
    sessions = messages.get("session_mesgs", [])
    sport = sessions[0].get("sport") if sessions else None
    sport = sport if isinstance(sport, str) or sport is None else None

    events = [
        e for e in messages.get("event_mesgs", [])
        if e.get("event") == "timer" and _num(e.get("timestamp"))
    ]
    starts = [_num(s.get("start_time")) for s in sessions] + [
        _num(lap.get("start_time")) for lap in laps_raw
    ] + [_num(r["timestamp"]) for r in records[:1]] + [
        _num(e["timestamp"]) for e in events if e.get("event_type") == "start"
    ]
    starts = [s for s in starts if s]
    if not starts:
        return Activity("fit", None, (), (), _fit_device(messages))
    t0 = min(starts)
    clock = _TimerClock(t0, _fit_pauses(events))

    laps = []
    carried = 0.0  # where the previous lap ended, to the millisecond
    for i, m in enumerate(sorted(laps_raw, key=lambda m: _num(m["start_time"]))):
        start = _num(m["start_time"])
        elapsed = _num(m.get("total_timer_time"))
        if elapsed is None:
            end = _num(m.get("timestamp"))
            elapsed = clock.at(end) - clock.at(start) if end else 0.0
        # FIT timestamps are whole seconds but lap timer times are milliseconds: a lap that
        # follows straight on from the previous one starts where that one ended.
        start_s = clock.at(start)
        if abs(start_s - carried) <= 1.5:
            start_s = carried
        carried = start_s + elapsed
        laps.append(
            Lap(
                index=i,
                start_s=round(start_s, 3),
                elapsed_s=float(elapsed),
                distance_m=_num(m.get("total_distance")),
                avg_hr=_int(m.get("avg_heart_rate")),
                max_hr=_int(m.get("max_heart_rate")),
                cadence_spm=_fit_cadence(m, m.get("sport", sport)),
                trigger=_fit_trigger(m.get("lap_trigger")),
                workout_step_index=_int(m.get("wkt_step_index")),
                intensity=m.get("intensity") if isinstance(m.get("intensity"), str) else None,
            )
        )
    points = []
    for r in records:
        lat, lon = _num(r.get("position_lat")), _num(r.get("position_long"))
        speed = _num(r.get("enhanced_speed"))
        if speed is None:
            speed = _num(r.get("speed"))
        points.append(
            Point(
                t_s=clock.at(_num(r["timestamp"])),
                distance_m=_num(r.get("distance")),
                hr=_int(r.get("heart_rate")),
                speed_mps=speed,
                lat=lat * _SEMICIRCLE_DEG if lat is not None else None,
                lon=lon * _SEMICIRCLE_DEG if lon is not None else None,
            )
        )
    return Activity(
        source="fit",
        started_at=FIT_EPOCH + timedelta(seconds=t0),
        laps=tuple(laps),
        points=tuple(_monotonic(points)),
        device=_fit_device(messages),
    )


class _TimerClock:
    """Wall-clock timestamps to timer time: seconds since ``t0`` less the paused stretches."""

    def __init__(self, t0: float, pauses: list[tuple[float, float]]):
        self.t0 = t0
        self.pauses = pauses

    def at(self, t: float) -> float:
        paused = sum(max(0.0, min(t, end) - start) for start, end in self.pauses if start < t)
        return float(t - self.t0 - paused)


def _fit_pauses(events: list[dict]) -> list[tuple[float, float]]:
    pauses, stopped_at = [], None
    for e in sorted(events, key=lambda e: e["timestamp"]):
        kind = e.get("event_type")
        if kind in ("stop", "stop_all", "stop_disable", "stop_disable_all"):
            if stopped_at is None:
                stopped_at = e["timestamp"]
        elif kind == "start" and stopped_at is not None:
            pauses.append((stopped_at, e["timestamp"]))
            stopped_at = None
    return pauses


def _fit_trigger(value) -> str:
    if not isinstance(value, str):
        return "unknown"
    if value.startswith("position"):
        return "position"
    return value


def _fit_cadence(lap: dict, sport) -> float | None:
    if sport not in _FOOT_SPORTS:
        return None
    strides = _num(lap.get("avg_running_cadence"))
    if strides is None:
        strides = _num(lap.get("avg_cadence"))
    if strides is None:
        return None
    strides += _num(lap.get("avg_fractional_cadence")) or 0.0
    return strides * STEPS_PER_STRIDE


def _fit_device(messages: dict) -> str:
    for m in messages.get("file_id_mesgs", []):
        maker = m.get("manufacturer")
        product = m.get("garmin_product") if maker == "garmin" else m.get("product_name")
        parts = [str(p).replace("_", " ") for p in (maker, product) if isinstance(p, str)]
        if parts:
            return " ".join(parts)
    return ""


# --- XML (TCX and GPX) -----------------------------------------------------------------------


def _parse_xml(data: bytes):
    """The XML tree, after a streaming pass has refused entities and counted the points.

    The first pass keeps almost nothing in memory (each track point is cleared as soon as it is
    counted), so an oversized track is refused before a full tree of it is ever built.
    """
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring, iterparse

    options = {"forbid_dtd": True, "forbid_entities": True, "forbid_external": True}
    try:
        points = 0
        events = iterparse(io.BytesIO(data), events=("end",), **options)
        for elements, (_event, element) in enumerate(events, start=1):
            if _local(element.tag) in ("Trackpoint", "trkpt"):
                points += 1
            element.clear()
            if points > MAX_POINTS or elements > MAX_XML_ELEMENTS:
                raise WatchFileError(_TOO_MANY_POINTS)
        return fromstring(data, **options)
    except WatchFileError:
        raise
    except DefusedXmlException as error:
        raise WatchFileError(
            "The file declares XML entities or a document type, which watch files never do; "
            "it was refused for safety."
        ) from error
    except (ParseError, ValueError) as error:
        raise WatchFileError(
            "This file is not a FIT, TCX or GPX file (it is not well-formed XML)."
        ) from error


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(el, name):
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _children(el, name) -> Iterable:
    return (c for c in el if _local(c.tag) == name)


def _text(el, *path) -> str | None:
    for name in path:
        if el is None:
            return None
        el = _child(el, name)
    if el is None or el.text is None:
        return None
    return el.text.strip()


def _float_text(el, *path) -> float | None:
    return _num(_text(el, *path))


def _iso(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


_TCX_TRIGGERS = {
    "Manual": "manual", "Distance": "distance", "Time": "time",
    "Location": "position", "HeartRate": "heart_rate",
}


def _read_tcx(root) -> Activity:
    activities = _child(root, "Activities")
    activity = _child(activities, "Activity") if activities is not None else None
    if activity is None:
        raise WatchFileError("The TCX file has no activity in it.")
    sport = (activity.get("Sport") or "").lower()

    laps, points = [], []
    timer = 0.0
    first_time: datetime | None = None
    for i, lap_el in enumerate(_children(activity, "Lap")):
        if i >= MAX_LAPS:
            raise WatchFileError("The file has more than 2,000 laps.")
        lap_start = _iso(lap_el.get("StartTime"))
        first_time = first_time or lap_start
        elapsed = _float_text(lap_el, "TotalTimeSeconds") or 0.0
        lap_points = _tcx_points(lap_el, lap_start, timer)
        if len(points) + len(lap_points) > MAX_POINTS:
            raise WatchFileError(_TOO_MANY_POINTS)
        if first_time is None and lap_points:
            first_time = lap_points[0][0]
        points.extend(p for _, p in lap_points)
        intensity = (_text(lap_el, "Intensity") or "").lower() or None
        laps.append(
            Lap(
                index=i,
                start_s=round(timer, 3),
                elapsed_s=elapsed,
                distance_m=_float_text(lap_el, "DistanceMeters"),
                avg_hr=_int(_float_text(lap_el, "AverageHeartRateBpm", "Value")),
                max_hr=_int(_float_text(lap_el, "MaximumHeartRateBpm", "Value")),
                cadence_spm=_tcx_cadence(lap_el, sport),
                trigger=_TCX_TRIGGERS.get(_text(lap_el, "TriggerMethod") or "", "unknown"),
                intensity="rest" if intensity == "resting" else intensity,
            )
        )
        timer += elapsed
    device = _text(activity, "Creator", "Name") or ""
    return Activity("tcx", first_time, tuple(laps), tuple(_monotonic(points)), device)


def _tcx_points(lap_el, lap_start: datetime | None, lap_timer_start: float):
    """The lap's track points in timer time; a gap between two <Track>s is a pause."""
    out: list[tuple[datetime, Point]] = []
    paused = 0.0
    previous: datetime | None = None
    origin = lap_start
    for track in _children(lap_el, "Track"):
        first_in_track = True
        for tp in _children(track, "Trackpoint"):
            when = _iso(_text(tp, "Time"))
            if when is None:
                continue
            origin = origin or when
            if first_in_track and previous is not None and out:
                paused += max(0.0, (when - previous).total_seconds() - 1.0)
            first_in_track = False
            previous = when
            position = _child(tp, "Position")
            lat = _float_text(position, "LatitudeDegrees") if position is not None else None
            lon = _float_text(position, "LongitudeDegrees") if position is not None else None
            speed = None
            ext = _child(tp, "Extensions")
            if ext is not None:
                for el in ext.iter():
                    if _local(el.tag) == "Speed":
                        speed = _num(el.text)
            t = lap_timer_start + (when - origin).total_seconds() - paused
            out.append((when, Point(
                t_s=max(lap_timer_start, t),
                distance_m=_float_text(tp, "DistanceMeters"),
                hr=_int(_float_text(tp, "HeartRateBpm", "Value")),
                speed_mps=speed,
                lat=lat,
                lon=lon,
            )))
    return out


def _tcx_cadence(lap_el, sport: str) -> float | None:
    # Garmin writes running cadence in the lap extension (LX/AvgRunCadence), strides per minute.
    ext = _child(lap_el, "Extensions")
    if ext is not None:
        for el in ext.iter():
            if _local(el.tag) == "AvgRunCadence" and _num(el.text) is not None:
                return _num(el.text) * STEPS_PER_STRIDE
    cadence = _float_text(lap_el, "Cadence")
    if cadence is None or sport not in ("running", "other", ""):
        return None
    return cadence * STEPS_PER_STRIDE


def _read_gpx(data: bytes) -> Activity:
    import gpxpy
    import gpxpy.gpx

    try:
        gpx = gpxpy.parse(data.decode("utf-8", errors="replace"))
    except (gpxpy.gpx.GPXException, ValueError) as error:
        raise WatchFileError("The GPX file is damaged and could not be read.") from error

    points: list[Point] = []
    start: datetime | None = None
    timer = 0.0
    distance = 0.0
    for track in gpx.tracks:
        for segment in track.segments:
            previous = None
            for p in segment.points:
                if p.time is None or not _valid_position(p.latitude, p.longitude):
                    continue
                when = p.time if p.time.tzinfo else p.time.replace(tzinfo=UTC)
                if previous is None:
                    # A new segment starts after a pause: the timer goes on from where it stopped.
                    timer = timer + 1.0 if points else 0.0
                    start = start or when
                else:
                    dt = (when - previous[0]).total_seconds()
                    if dt <= 0:
                        continue
                    timer += dt
                    distance += _haversine(previous[1], previous[2], p.latitude, p.longitude)
                previous = (when, p.latitude, p.longitude)
                points.append(
                    Point(
                        t_s=timer,
                        distance_m=distance,
                        hr=_gpx_hr(p),
                        lat=p.latitude,
                        lon=p.longitude,
                    )
                )
    if not points and any(s.points for t in gpx.tracks for s in t.segments):
        raise WatchFileError("The GPX file has no times on its track points.")
    device = gpx.creator or ""
    return Activity("gpx", start, (), tuple(points), device)


def _gpx_hr(point) -> int | None:
    for ext in point.extensions or ():
        for el in ext.iter():
            if _local(el.tag) == "hr":
                return _int(_num(el.text))
    return None


def _valid_position(lat, lon) -> bool:
    return (
        isinstance(lat, int | float) and isinstance(lon, int | float)
        and math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180
    )


def _haversine(lat1, lon1, lat2, lon2) -> float:
    r = 6_371_008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))


# --- helpers ---------------------------------------------------------------------------------


def _num(value) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def _int(value) -> int | None:
    number = _num(value)
    return round(number) if number is not None else None


def _monotonic(points: list[Point]) -> list[Point]:
    """Points in time order, one per instant (watches sometimes repeat a timestamp)."""
    points = sorted(points, key=lambda p: p.t_s)
    out: list[Point] = []
    for p in points:
        if out and p.t_s <= out[-1].t_s:
            continue
        out.append(p)
    return out
