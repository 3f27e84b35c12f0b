"""Reading watch files: what is read, and hostile or broken files refused with a clear message."""

from __future__ import annotations

import gzip
import random

import pytest

from sessions.watch import files
from sessions.watch.files import MAX_FILE_BYTES, WatchFileError, read_activity
from tests import watchfiles as w


@pytest.fixture(scope="module")
def scenario():
    sc = w.Scenario(w.intervals([68.3, 69.1, 67.8], [400.0] * 3))
    sc.laps = w.laps_by_segment(sc, steps=True)
    return sc


@pytest.fixture(scope="module")
def fit(scenario):
    return w.fit_bytes(scenario)


def refused(data: bytes, name: str = "upload.fit") -> str:
    with pytest.raises(WatchFileError) as caught:
        read_activity(data, name)
    return str(caught.value)


def test_fit_is_read_with_laps_points_and_device(fit, scenario):
    activity = read_activity(fit, "activity.fit")
    assert activity.source == "fit"
    assert activity.started_at == w.START
    assert activity.device == "garmin"
    assert len(activity.laps) == len(scenario.laps)
    lap = activity.laps[1]
    assert (lap.elapsed_s, lap.distance_m, lap.avg_hr, lap.max_hr) == (68.3, 400.0, 172, 172)
    assert (lap.trigger, lap.intensity, lap.workout_step_index) == ("manual", "active", 1)
    assert activity.laps[0].intensity == "warmup"
    assert len(activity.points) == len(scenario.sample_times())
    p = activity.points[100]
    assert p.t_s == 100 and p.hr == 138
    assert p.distance_m == pytest.approx(scenario.distance_at(100), abs=0.01)
    assert p.lat == pytest.approx(w.LAT0 + scenario.distance_at(100) / w.M_PER_DEG, abs=1e-6)
    assert p.lon == pytest.approx(w.LON0, abs=1e-6)
    assert p.speed_mps == pytest.approx(2000 / 720, abs=0.01)


def test_the_type_comes_from_the_content_not_the_name(fit, scenario):
    assert read_activity(fit, "renamed.gpx").source == "fit"
    assert read_activity(w.tcx_text(scenario).encode(), "run.fit").source == "tcx"
    assert read_activity(w.gpx_text(scenario).encode(), "run.tcx").source == "gpx"
    # a byte-order mark and leading blank lines are fine
    assert read_activity(b"\xef\xbb\xbf\n" + w.gpx_text(scenario).encode(), "a").source == "gpx"


def test_tcx_laps_and_points(scenario):
    activity = read_activity(w.tcx_text(scenario).encode(), "a.tcx")
    assert activity.device == "Forerunner Test"
    assert [lap.intensity for lap in activity.laps][:3] == ["active", "active", "rest"]
    assert activity.laps[1].elapsed_s == 68.3
    assert activity.laps[1].start_s == pytest.approx(720.0)
    assert activity.laps[2].start_s == pytest.approx(788.3)
    assert activity.points[5].speed_mps == pytest.approx(2000 / 720, abs=0.001)


def test_gpx_points_with_heart_rate_and_distance(scenario):
    activity = read_activity(w.gpx_text(scenario).encode(), "a.gpx")
    assert activity.laps == ()
    assert activity.device == "Test watch"
    assert activity.points[700].hr == 138
    assert activity.points[-1].distance_m == pytest.approx(
        scenario.distance_at(scenario.sample_times()[-1]), abs=0.5)


# --- hostile and broken files ---------------------------------------------------------------


def test_empty_file():
    assert refused(b"") == "The file is empty."
    assert refused(b"  \n") == "The file is empty."


def test_wrong_type():
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    assert refused(png, "photo.fit") == "This file is not a FIT, TCX or GPX file."
    assert refused(b"Monday: 12x400\n", "notes.tcx") == "This file is not a FIT, TCX or GPX file."
    assert refused(b"<html><body>hi</body></html>", "a.gpx") == (
        "This file is not a FIT, TCX or GPX file.")
    assert "not well-formed" in refused(b"<gpx><trk>", "a.gpx")


def test_oversized_file_is_refused_before_parsing(monkeypatch):
    def must_not_run(*args):
        raise AssertionError("parsed an oversized file")

    monkeypatch.setattr(files, "sniff", must_not_run)
    monkeypatch.setattr(files, "_gunzip", must_not_run)
    data = b"\x0e\x10" + b"\0" * (MAX_FILE_BYTES - 1)
    assert len(data) == MAX_FILE_BYTES + 1
    assert refused(data) == "This file is larger than 20 MB."


def test_truncated_fit(fit):
    assert refused(fit[: len(fit) // 2]) == "The FIT file is incomplete (truncated)."
    assert refused(fit[:-1]) == "The FIT file is incomplete (truncated)."
    assert refused(fit[:13]) == "The FIT file is incomplete (truncated)."


def test_fit_with_a_bad_crc(fit):
    damaged = bytearray(fit)
    damaged[len(fit) // 2] ^= 0xFF
    assert refused(bytes(damaged)) == "The FIT file is damaged (bad checksum)."
    wrong_crc = fit[:-2] + bytes([fit[-2] ^ 1, fit[-1]])
    assert refused(wrong_crc) == "The FIT file is damaged (bad checksum)."


def test_fit_with_good_crc_but_garbage_inside_never_crashes(fit):
    """Damage the records, then fix the CRC: the decoder itself must cope or refuse."""
    from garmin_fit_sdk.crc_calculator import CrcCalculator

    rng = random.Random(14)
    header = fit[0]
    outcomes = set()
    for _ in range(40):
        data = bytearray(fit[:-2])
        for _ in range(rng.randint(1, 6)):
            data[rng.randrange(header, len(data))] = rng.randrange(256)
        crc = CrcCalculator.calculate_crc(bytes(data), 0, len(data))
        data += crc.to_bytes(2, "little")
        try:
            read_activity(bytes(data), "fuzzed.fit")
            outcomes.add("read")
        except WatchFileError as error:
            assert str(error).endswith(".")
            outcomes.add("refused")
    assert outcomes


def test_fit_with_nothing_in_it():
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.profile_type import FileType

    builder = FitFileBuilder()
    message = FileIdMessage()
    message.type = FileType.ACTIVITY
    builder.add(message)
    assert refused(builder.build().to_bytes()) == "The file has no laps or track points."


def test_gzip_bomb_is_abandoned():
    bomb = gzip.compress(b"\0" * (files.MAX_UNPACKED_BYTES + 1024 * 1024), compresslevel=1)
    assert len(bomb) < MAX_FILE_BYTES
    assert refused(bomb, "run.fit.gz") == (
        "The compressed file unpacks to more than 100 MB; it was not read.")


def test_damaged_or_truncated_gzip(fit):
    packed = gzip.compress(fit)
    assert refused(packed[: len(packed) // 2], "a.fit.gz") == (
        "The compressed file is incomplete (truncated).")
    broken = bytearray(packed)
    broken[20:30] = b"\xff" * 10
    assert refused(bytes(broken), "a.fit.gz") in (
        "The compressed file is damaged.", "The FIT file is damaged (bad checksum).")
    assert refused(gzip.compress(b""), "a.gz") == "The compressed file is empty."


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""

SAFETY = ("The file declares XML entities or a document type, which watch files never do; "
          "it was refused for safety.")


@pytest.mark.parametrize("root", [
    '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
    "<Activities><Activity Sport=\"Running\"><Id>&lol9;</Id></Activity></Activities>"
    "</TrainingCenterDatabase>",
    '<gpx version="1.1" creator="&lol9;" xmlns="http://www.topografix.com/GPX/1/1"><trk>'
    '<trkseg><trkpt lat="51" lon="0"><time>2026-05-02T07:30:00Z</time></trkpt></trkseg>'
    "</trk></gpx>",
])
def test_xml_entity_bomb(root):
    assert refused((BILLION_LAUGHS + root).encode(), "a.tcx") == SAFETY
    assert refused(gzip.compress((BILLION_LAUGHS + root).encode()), "a.tcx.gz") == SAFETY


@pytest.mark.parametrize("doc", [
    '<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    '<gpx version="1.1" creator="&xxe;"></gpx>',
    '<?xml version="1.0"?><!DOCTYPE TrainingCenterDatabase SYSTEM "http://example.com/x.dtd">'
    "<TrainingCenterDatabase/>",
])
def test_external_entity(doc):
    assert refused(doc.encode(), "a.gpx") == SAFETY


def test_gpx_without_times_or_points():
    no_times = ('<gpx version="1.1" creator="x" xmlns="http://www.topografix.com/GPX/1/1">'
                '<trk><trkseg><trkpt lat="51" lon="0"/></trkseg></trk></gpx>')
    assert refused(no_times.encode(), "a.gpx") == "The GPX file has no times on its track points."
    empty = '<gpx version="1.1" creator="x" xmlns="http://www.topografix.com/GPX/1/1"></gpx>'
    assert refused(empty.encode(), "a.gpx") == "The file has no laps or track points."


def test_tcx_without_an_activity():
    doc = ('<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
           'TrainingCenterDatabase/v2"><Activities/></TrainingCenterDatabase>')
    assert refused(doc.encode(), "a.tcx") == "The TCX file has no activity in it."


def test_too_many_points_is_refused(monkeypatch, scenario, fit):
    monkeypatch.setattr(files, "MAX_POINTS", 100)
    message = "The file has more than 100,000 track points."
    assert refused(fit) == message
    assert refused(w.tcx_text(scenario).encode(), "a.tcx") == message
    assert refused(w.gpx_text(scenario).encode(), "a.gpx") == message


def test_too_many_fit_messages_stops_the_decoder(monkeypatch, fit):
    monkeypatch.setattr(files, "MAX_FIT_MESSAGES", 50)
    assert refused(fit) == "The FIT file holds too many records to read."


def test_a_flood_of_xml_elements_is_refused_while_streaming(monkeypatch):
    monkeypatch.setattr(files, "MAX_XML_ELEMENTS", 1000)
    flood = "<gpx>" + "<wpt/>" * 5000 + "</gpx>"
    assert refused(flood.encode(), "a.gpx") == "The file has more than 100,000 track points."


def test_nonsense_values_in_tcx_and_gpx_are_read_or_refused_never_a_crash(scenario):
    """Numbers, times and positions replaced by nonsense: each file is read (and matched) or
    refused with a sentence, and no reader meets a value it did not foresee."""
    import re

    from sessions.watch.matching import PlannedRep, match_reps

    rng = random.Random(5)
    nonsense = ["-5", "1e999", "nan", "inf", "", "abc", "0", "-1e9", "99999999999",
                "2026-13-45T99:99:99Z", "1.5.6", "-91"]
    planned = [PlannedRep(i + 1, distance_m=400) for i in range(3)]
    for name, text in (("a.tcx", w.tcx_text(scenario)), ("a.gpx", w.gpx_text(scenario))):
        values = [m.span() for m in re.finditer(r'(?<=>)[^<]+(?=<)|(?<=")[^"]+(?=")', text)]
        for _ in range(40):
            damaged = text
            for a, b in sorted(rng.sample(values, 3), reverse=True):
                damaged = damaged[:a] + rng.choice(nonsense) + damaged[b:]
            try:
                match_reps(read_activity(damaged.encode(), name), planned)
            except WatchFileError as error:
                assert str(error) != "The file is damaged and could not be read.", error.__cause__
