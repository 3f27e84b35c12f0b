"""Tests for coach.pace: pure functions, no Django, no database."""

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from coach import formats, pace
from coach.formats import (
    HALF_MARATHON,
    MARATHON,
    MILE,
    display_decimals,
    format_time,
    parse_distance,
    parse_time,
)
from coach.pace import (
    RACES,
    ZONES,
    FrozenMap,
    PaceProfile,
    altitude_adjusted,
    altitude_recovery_factor,
    altitude_slowing,
    best_vdot,
    oxygen_cost,
    pace_of,
    per_km_to_per_400,
    per_km_to_per_mile,
    race_time,
    rep_time,
    sustainable_fraction,
    vdot,
    velocity_for_vo2,
)

VDOT_TOL = 0.05
SECONDS_TOL = 0.2

vdots = st.floats(min_value=20, max_value=90, allow_nan=False)
race_distances = st.floats(min_value=1500, max_value=MARATHON, allow_nan=False)


def sea_level_pace(level, zone, *, goal_times=None):
    """The sea-level pace of a zone at a VDOT, as the app reads it (``PaceProfile.sea_level``):
    one pace in s/km, or the (fast, slow) band for E and T+."""
    band = PaceProfile(vdot=level, goal_times=goal_times or {}).sea_level(zone)
    assert band is not None
    return band if zone in ("E", "T+") else band[0]


# --- constants --------------------------------------------------------------------------------


def test_the_distances_are_the_official_ones():
    assert MILE == 1609.344
    assert HALF_MARATHON == 21097.5
    assert MARATHON == 42195.0
    assert list(RACES) == ["800", "1500", "mile", "3k", "5k", "10k", "HM", "marathon"]
    assert RACES["mile"] == MILE
    assert RACES["3k"] == 3000
    assert ZONES == ("E", "M", "T", "T+", "I", "R")


@pytest.mark.parametrize(("metres", "key"), [
    (800, "800"), (1609.34, "mile"), (MILE, "mile"), (1609, "mile"), (3000, "3k"),
    (5000, "5k"), (5000.4, "5k"), (HALF_MARATHON, "HM"), (MARATHON, "marathon"),
    (1610, None), (4999.5, None), (3218.688, None), (400, None),
])
def test_race_key_names_the_standard_race_of_a_distance(metres, key):
    assert pace.race_key(metres) == key


def test_same_distance_allows_half_a_metre():
    assert formats.same_distance(1609.344, 1609.3)
    assert formats.same_distance(5000, 5000.49)
    assert not formats.same_distance(5000, 5000.5)
    assert not formats.same_distance(1500, 1609.344)


def test_everything_exported_exists():
    for name in pace.__all__:
        assert hasattr(pace, name), name


# --- parse_time -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("64", 64.0),
        ("64.2", 64.2),
        ("90", 90.0),
        ("1:04.2", 64.2),
        ("3:43", 223.0),
        ("0:58", 58.0),
        ("75:30", 4530.0),
        ("1:02:03", 3723.0),
        ("1:02:03.5", 3723.5),
        ("24:00:00", 86400.0),
        ('62"', 62.0),
        ('62.5"', 62.5),
        ("62''", 62.0),
        ("3'", 180.0),
        ("1'52\"", 112.0),
        ("1'52.3\"", 112.3),
        ("1'52", 112.0),
        ("1'52''", 112.0),
        ("1’52”", 112.0),
        ("1′52″", 112.0),
        ("  64.2 ", 64.2),
        ("\t1:04.2\n", 64.2),
        ("66.4", 66.4),  # a phone's number pad has no colon: two points are m.ss.t
        ("1:06.4", 66.4),
        ("1.06.4", 66.4),
        ("4.05.0", 245.0),
        ("12.30.25", 750.25),
    ],
)
def test_it_parses_every_way_a_coach_writes_a_time(text, seconds):
    assert parse_time(text) == pytest.approx(seconds, abs=1e-9)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("6o.2", None),
        ("-5", "positive"),
        ("99:99", "seconds must be under 60"),
        ("0:75", "seconds must be under 60"),
        ("1'75\"", "seconds must be under 60"),
        ("1:60:00", "minutes must be under 60"),
        ("", None),
        ("   ", None),
        ("abc", None),
        ("25:00:00", "24 hours"),
        ("0", "more than zero"),
        ("0:00", "more than zero"),
        ("1:4", None),
        ("64,2", None),
        ("64.", None),
        (".5", None),
        ("3.5'", None),
        ("1'5\"", None),
        ("1:02:3", None),
        ("+64", None),
        ("٦٤", None),
        ("1" * 40, "too long"),
        ("1.60.4", "seconds must be under 60"),
        ("1.6.4", None),
        ("1.06.", None),
        ("1.06.4.2", None),
    ],
)
def test_it_refuses_anything_else_quoting_the_input(text, reason):
    with pytest.raises(ValueError) as error:
        parse_time(text)
    message = str(error.value)
    assert message.startswith(f'"{text}" is not a time')
    if reason:
        assert reason in message


def test_a_misspelt_time_says_so_plainly():
    with pytest.raises(ValueError, match=r'^"6o\.2" is not a time$'):
        parse_time("6o.2")


def test_a_long_input_is_refused_quickly():
    # Linear: no regex backtracking on a pathological input.
    with pytest.raises(ValueError):
        parse_time("1:" * 10_000 + "x")


@pytest.mark.parametrize(
    ("text", "readings"),
    [
        ("6.64", [6.64, 66.4, 664.0]),
        ("664", [6.64, 66.4, 664.0]),
        ("4.05", [4.05, 40.5, 245.0, 405.0]),  # 4:05 (and not 40:5)
        ("1064", [1.064, 10.64, 66.4, 106.4, 1064.0]),  # 10:64 is no time
        ("0", []),
        ("abc", []),
        ("", []),
        ("123456789", []),  # more digits than any split
    ],
)
def test_the_readings_of_a_times_digits_move_the_point_and_the_colon(text, readings):
    assert formats.time_readings(text) == pytest.approx(readings)


# --- format_time ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (58.3, "58.3"),
        (58, "58"),
        (64.2, "1:04.2"),
        (64, "1:04"),
        (64.04, "1:04"),
        (64.06, "1:04.1"),
        (64.25, "1:04.3"),
        (170, "2:50"),
        (223, "3:43"),
        (599.94, "9:59.9"),
        (599.96, "10:00"),
        (770.7, "12:51"),
        (3723, "1:02:03"),
        (3723.4, "1:02:03"),
        (0, "0"),
    ],
)
def test_it_formats_times_the_way_a_coach_writes_them(seconds, text):
    assert format_time(seconds) == text


@pytest.mark.parametrize(
    ("seconds", "decimals", "text"),
    [
        (64, 1, "1:04.0"),
        (64.2, 0, "1:04"),
        (770.66, 1, "12:50.7"),
        (3723.45, 1, "1:02:03.5"),
        (58.345, 2, "58.35"),
        (59.96, None, "1:00"),
    ],
)
def test_decimals_force_the_precision(seconds, decimals, text):
    assert format_time(seconds, decimals=decimals) == text


@pytest.mark.parametrize("bad", [-1, math.nan, math.inf])
def test_it_refuses_to_format_a_negative_or_missing_time(bad):
    with pytest.raises(ValueError):
        format_time(bad)


def test_it_refuses_negative_decimals():
    with pytest.raises(ValueError, match="decimals"):
        format_time(64, decimals=-1)


@given(st.floats(min_value=0.05, max_value=86_399.4, allow_nan=False))
def test_format_then_parse_gives_the_time_rounded_to_what_was_shown(seconds):
    text = format_time(seconds)
    shown_decimals = len(text.partition(".")[2])
    assert shown_decimals in (0, 1)
    if seconds >= 600:
        assert shown_decimals == 0
    scale = 10**shown_decimals
    expected = math.floor(seconds * scale + 0.5) / scale
    assert parse_time(text) == pytest.approx(expected, abs=1e-6)
    assert abs(parse_time(text) - seconds) <= 0.5 / scale + 1e-6


@given(
    st.floats(min_value=0.5, max_value=86_399, allow_nan=False),
    st.integers(min_value=0, max_value=3),
)
def test_forced_decimals_round_trip_too(seconds, decimals):
    text = format_time(seconds, decimals=decimals)
    scale = 10**decimals
    assert parse_time(text) == pytest.approx(math.floor(seconds * scale + 0.5) / scale, abs=1e-6)


@pytest.mark.parametrize(("distance", "decimals"), [(200, 1), (400, 1), (401, 0), (1000, 0)])
def test_reps_up_to_400_m_show_tenths(distance, decimals):
    assert display_decimals(distance) == decimals


# --- parse_distance ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "metres"),
    [
        ("5000", 5000),
        ("5000m", 5000),
        ("5000 m", 5000),
        ("1500m", 1500),
        ("5k", 5000),
        ("5K", 5000),
        ("5km", 5000),
        ("10k", 10000),
        ("1.5k", 1500),
        ("mile", MILE),
        ("Mile", MILE),
        ("1mi", MILE),
        ("2mi", 2 * MILE),
        ("2 miles", 2 * MILE),
        ("HM", HALF_MARATHON),
        ("half", HALF_MARATHON),
        ("half marathon", HALF_MARATHON),
        ("Half-Marathon", HALF_MARATHON),
        ("marathon", MARATHON),
        (" 800 ", 800),
    ],
)
def test_it_parses_distances(text, metres):
    assert parse_distance(text) == pytest.approx(metres)


@pytest.mark.parametrize("text", ["", "abc", "5 furlongs", "-5k", "0", "0k", "2000k", "1" * 40])
def test_it_refuses_what_is_not_a_distance(text):
    with pytest.raises(ValueError, match="is not a distance"):
        parse_distance(text)


# --- conversions ------------------------------------------------------------------------------


def test_conversions_between_per_km_per_400_and_per_mile():
    assert per_km_to_per_400(160) == pytest.approx(64)
    assert per_km_to_per_mile(180) == pytest.approx(289.68192)
    assert rep_time(160, 400) == pytest.approx(64)
    assert pace_of(400, 64) == pytest.approx(160)


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: per_km_to_per_400(bad),
        lambda bad: per_km_to_per_mile(bad),
        lambda bad: rep_time(bad, 400),
        lambda bad: rep_time(160, bad),
        lambda bad: pace_of(bad, 64),
        lambda bad: pace_of(400, bad),
    ],
)
@pytest.mark.parametrize("bad", [0, -1, math.nan, math.inf])
def test_conversions_refuse_non_positive_values(call, bad):
    with pytest.raises(ValueError, match="positive"):
        call(bad)


@given(st.floats(min_value=60, max_value=1200, allow_nan=False))
def test_pace_of_inverts_rep_time(p):
    assert pace_of(1234, rep_time(p, 1234)) == pytest.approx(p)


# --- the Daniels & Gilbert equations ----------------------------------------------------------


def test_the_published_equations():
    assert oxygen_cost(300) == pytest.approx(-4.60 + 0.182258 * 300 + 0.000104 * 300**2)
    assert sustainable_fraction(0) == pytest.approx(0.8 + 0.1894393 + 0.2989558)
    assert sustainable_fraction(10_000) == pytest.approx(0.8)


@given(st.floats(min_value=5, max_value=100, allow_nan=False))
def test_velocity_for_vo2_inverts_the_oxygen_cost(vo2):
    assert oxygen_cost(velocity_for_vo2(vo2)) == pytest.approx(vo2)


def test_velocity_for_vo2_refuses_a_non_positive_cost():
    with pytest.raises(ValueError):
        velocity_for_vo2(0)


# --- docs/paces.md, reference values ---------------------------------------------------------

VECTORS = [
    # (distance, time, VDOT, T/400, I/400, R/400, M/km, (equivalent distance, time))
    pytest.param(MILE, "3:43.0", 83.29, 67.5, 62.2, 56.2, "2:55.4", (5000, "12:50.7"), id="mile"),
    pytest.param(5000, "12:48.0", 83.63, 67.3, 62.0, 56.0, "2:54.8", (MILE, "3:42.2"), id="5000"),
    pytest.param(10000, "40:00", 51.94, 99.0, 91.1, 85.1, "4:22.5", (5000, "19:17.6"), id="10k"),
]


@pytest.mark.parametrize(("d", "t", "v", "t400", "i400", "r400", "m_km", "equiv"), VECTORS)
def test_vdot_matches_the_table(d, t, v, t400, i400, r400, m_km, equiv):
    assert vdot(d, parse_time(t)) == pytest.approx(v, abs=VDOT_TOL)


@pytest.mark.parametrize(("d", "t", "v", "t400", "i400", "r400", "m_km", "equiv"), VECTORS)
def test_t_pace_matches_the_table(d, t, v, t400, i400, r400, m_km, equiv):
    level = vdot(d, parse_time(t))
    assert per_km_to_per_400(sea_level_pace(level, "T")) == pytest.approx(t400, abs=SECONDS_TOL)


@pytest.mark.parametrize(("d", "t", "v", "t400", "i400", "r400", "m_km", "equiv"), VECTORS)
def test_i_pace_matches_the_table(d, t, v, t400, i400, r400, m_km, equiv):
    level = vdot(d, parse_time(t))
    assert per_km_to_per_400(sea_level_pace(level, "I")) == pytest.approx(i400, abs=SECONDS_TOL)


@pytest.mark.parametrize(("d", "t", "v", "t400", "i400", "r400", "m_km", "equiv"), VECTORS)
def test_r_pace_matches_the_table(d, t, v, t400, i400, r400, m_km, equiv):
    level = vdot(d, parse_time(t))
    assert per_km_to_per_400(sea_level_pace(level, "R")) == pytest.approx(r400, abs=SECONDS_TOL)


@pytest.mark.parametrize(("d", "t", "v", "t400", "i400", "r400", "m_km", "equiv"), VECTORS)
def test_m_pace_matches_the_table(d, t, v, t400, i400, r400, m_km, equiv):
    level = vdot(d, parse_time(t))
    assert sea_level_pace(level, "M") == pytest.approx(parse_time(m_km), abs=SECONDS_TOL)
    assert sea_level_pace(level, "M") == pytest.approx(sea_level_pace(level, "marathon"))


@pytest.mark.parametrize(("d", "t", "v", "t400", "i400", "r400", "m_km", "equiv"), VECTORS)
def test_the_race_equivalent_matches_the_table(d, t, v, t400, i400, r400, m_km, equiv):
    level = vdot(d, parse_time(t))
    distance, expected = equiv
    assert race_time(level, distance) == pytest.approx(parse_time(expected), abs=SECONDS_TOL)
    key = "5k" if distance == 5000 else "mile"
    assert rep_time(sea_level_pace(level, key), distance) == pytest.approx(
        parse_time(expected), abs=SECONDS_TOL
    )


def test_t_plus_for_the_12_48_runner_is_61_4_to_64_0_per_400():
    fast, slow = sea_level_pace(vdot(5000, 768), "T+")
    assert per_km_to_per_400(fast) == pytest.approx(61.4, abs=SECONDS_TOL)
    assert per_km_to_per_400(slow) == pytest.approx(64.0, abs=SECONDS_TOL)


def test_race_time_reproduces_the_race_it_came_from():
    assert race_time(vdot(5000, 768), 5000) == pytest.approx(768, abs=1e-6)


# --- VDOT limits ------------------------------------------------------------------------------


def test_an_800_is_a_race_pace_not_a_vdot_input():
    with pytest.raises(ValueError, match="race pace"):
        vdot(800, 105)


def test_vdot_refuses_longer_than_a_marathon():
    with pytest.raises(ValueError, match="longer than a marathon"):
        vdot(50_000, 3 * 3600)


@pytest.mark.parametrize(("distance", "seconds"), [(5000, 45 * 60), (1500, 170), (MARATHON, 6900)])
def test_vdot_refuses_results_outside_20_to_90(distance, seconds):
    with pytest.raises(ValueError, match="outside 20-90"):
        vdot(distance, seconds)


# Performances at the top of the sport and at the bottom of the range: accepted, and flagged
# as extrapolated when their VDOT (as shown, to one decimal) is outside Daniels' tables.
@pytest.mark.parametrize(("distance", "time", "shown", "extrapolated"), [
    pytest.param(5000, "12:37", "85.0", False, id="5000m-12:37"),
    pytest.param(10000, "26:19", "85.0", False, id="10000m-26:19"),
    pytest.param(MARATHON, "2:01:10", "85.1 (extrapolated)", True, id="marathon-2:01:10"),
    pytest.param(5000, "12:35.36", "85.3 (extrapolated)", True, id="5000m-world-record"),
    pytest.param(10000, "26:11", "85.5 (extrapolated)", True, id="10000m-world-record"),
    pytest.param(HALF_MARATHON, "56:42", "87.0 (extrapolated)", True, id="half-world-record"),
    pytest.param(MARATHON, "2:00:35", "85.5 (extrapolated)", True, id="marathon-world-record"),
    pytest.param(1500, "3:26.00", "83.6", False, id="1500m-world-record"),
    pytest.param(5000, "13:32.4", "78.4", False, id="5000m-13:32.4"),
    pytest.param(5000, "30:00", "30.8", False, id="5000m-30:00"),
    pytest.param(5000, "31:00", "29.6 (extrapolated)", True, id="5000m-31:00"),
    pytest.param(5000, "40:00", "21.7 (extrapolated)", True, id="5000m-40:00"),
    pytest.param(MARATHON, "6:30:00", "20.4 (extrapolated)", True, id="marathon-6:30"),
])
def test_vdot_accepts_world_records_and_beginners_and_flags_extrapolation(
        distance, time, shown, extrapolated):
    level = vdot(distance, parse_time(time))
    assert pace.format_vdot(level) == shown
    assert pace.is_extrapolated(level) is extrapolated
    assert PaceProfile(vdot=level).extrapolated is extrapolated
    assert race_time(level, distance) == pytest.approx(parse_time(time), abs=1e-3)


@pytest.mark.parametrize(("level", "extrapolated"), [
    (19.99, True), (20.0, True), (29.94, True), (29.96, False), (30.0, False), (85.0, False),
    (85.04, False), (85.06, True), (90.0, True),
])
def test_extrapolated_means_outside_the_tables_as_shown_to_one_decimal(level, extrapolated):
    if level < 20:  # not a VDOT at all: refused elsewhere, and not "extrapolated" either
        assert pace.is_extrapolated(level) is True
        with pytest.raises(ValueError, match="outside 20-90"):
            PaceProfile(vdot=level)
        return
    assert pace.is_extrapolated(level) is extrapolated
    assert pace.format_vdot(level).endswith("(extrapolated)") is extrapolated


def test_a_profile_without_a_vdot_is_not_extrapolated():
    assert PaceProfile().extrapolated is False


@pytest.mark.parametrize(("distance", "seconds"), [(0, 900), (-5000, 900), (5000, 0), (5000, -1)])
def test_vdot_refuses_non_positive_values(distance, seconds):
    with pytest.raises(ValueError, match="positive"):
        vdot(distance, seconds)


def test_race_time_covers_the_800_for_race_pace():
    level = vdot(5000, 768)
    assert 100 < race_time(level, 800) < race_time(level, 1500) * 800 / 1500 * 1.0 + 10
    assert sea_level_pace(level, "800") < sea_level_pace(level, "1500")


@pytest.mark.parametrize("distance", [400, 799, 50_000])
def test_race_time_refuses_distances_it_cannot_predict(distance):
    with pytest.raises(ValueError, match="800 m to the marathon"):
        race_time(60, distance)


@pytest.mark.parametrize("level", [19.9, 90.1, math.nan])
def test_race_time_refuses_a_vdot_outside_20_to_90(level):
    with pytest.raises(ValueError, match="outside 20-90"):
        race_time(level, 5000)


@pytest.mark.parametrize("distance", [0, -1])
def test_race_time_refuses_a_non_positive_distance(distance):
    with pytest.raises(ValueError, match="positive"):
        race_time(60, distance)


@given(vdots, race_distances)
def test_race_time_inverts_vdot(level, distance):
    assert vdot(distance, race_time(level, distance)) == pytest.approx(level, abs=1e-6)


@given(
    st.floats(min_value=20, max_value=82),
    race_distances,
    st.floats(min_value=1e-4, max_value=0.04),
)
def test_a_faster_race_never_gives_a_lower_vdot(level, distance, faster_by):
    seconds = race_time(level, distance)
    assert vdot(distance, seconds * (1 - faster_by)) > vdot(distance, seconds)


@given(vdots, vdots, st.sampled_from(list(RACES.values())))
def test_a_higher_vdot_predicts_a_faster_race(a, b, distance):
    assume(abs(a - b) > 1e-6)
    low, high = sorted((a, b))
    assert race_time(high, distance) < race_time(low, distance)


# --- zones ------------------------------------------------------------------------------------


@given(vdots)
def test_paces_are_ordered_from_easy_to_repetition(level):
    e_fast, e_slow = sea_level_pace(level, "E")
    m, t, i, r = (sea_level_pace(level, zone) for zone in ("M", "T", "I", "R"))
    assert e_slow > e_fast > m > t > i > r
    tp_fast, tp_slow = sea_level_pace(level, "T+")
    assert t > tp_fast and tp_slow > tp_fast
    if level >= 28.1:  # below, the 10 km takes over an hour: its pace is slower than T
        assert t > tp_slow


def test_r_is_i_minus_15_s_per_km_or_20_s_below_vdot_50():
    assert sea_level_pace(50, "R") == pytest.approx(sea_level_pace(50, "I") - 15)
    assert sea_level_pace(49.9, "R") == pytest.approx(sea_level_pace(49.9, "I") - 20)


def test_e_is_the_band_at_63_and_73_percent():
    fast, slow = sea_level_pace(60, "E")
    assert fast == pytest.approx(60_000 / velocity_for_vo2(0.7346 * 60))
    assert slow == pytest.approx(60_000 / velocity_for_vo2(0.6304 * 60))


def test_zone_names_are_forgiving_about_case_for_races_only():
    assert sea_level_pace(60, "hm") == sea_level_pace(60, "HM")
    assert sea_level_pace(60, " Mile ") == sea_level_pace(60, "mile")
    with pytest.raises(ValueError, match="unknown zone"):
        sea_level_pace(60, "t")


@pytest.mark.parametrize("zone", ["X", "", "Z2", "lactate"])
def test_an_unknown_zone_is_an_error(zone):
    with pytest.raises(ValueError, match="unknown zone"):
        sea_level_pace(60, zone)


@pytest.mark.parametrize("level", [19.9, 90.5])
def test_paces_refuse_a_vdot_outside_20_to_90(level):
    with pytest.raises(ValueError, match="20-90"):
        sea_level_pace(level, "T")


def test_a_goal_time_wins_over_the_prediction_for_that_race():
    goals = {"mile": 240.0}
    assert sea_level_pace(60, "mile", goal_times=goals) == pytest.approx(240 * 1000 / MILE)
    assert sea_level_pace(60, "1500", goal_times=goals) == sea_level_pace(60, "1500")
    assert sea_level_pace(60, "T", goal_times=goals) == sea_level_pace(60, "T")


def test_goals_for_10k_and_5k_move_t_plus():
    fast, slow = sea_level_pace(60, "T+", goal_times={"5k": 900, "10k": 1900})
    assert (fast, slow) == pytest.approx((180, 190))
    fast, slow = sea_level_pace(60, "T+", goal_times={"5k": 900})
    assert fast == pytest.approx(180)
    assert slow == sea_level_pace(60, "10k")


def test_t_plus_stays_fast_end_first_whatever_the_goals():
    band = sea_level_pace(60, "T+", goal_times={"5k": 1000, "10k": 1900})
    assert band == pytest.approx((190, 200))


def test_a_marathon_goal_moves_m():
    m = sea_level_pace(60, "M", goal_times={"marathon": 3 * 3600})
    assert m == pytest.approx(3 * 3600 / 42.195)


def test_goal_times_must_name_races_and_be_positive():
    with pytest.raises(ValueError, match="not a race"):
        sea_level_pace(60, "T", goal_times={"T": 100})
    with pytest.raises(ValueError, match="positive"):
        sea_level_pace(60, "5k", goal_times={"5k": 0})


# --- altitude ---------------------------------------------------------------------------------


def test_at_2100_m_threshold_slows_by_4_to_5_percent():
    t = sea_level_pace(60, "T")
    ratio = altitude_adjusted(t, "T", 2100) / t
    assert 1.04 <= ratio <= 1.05


def test_at_7000_ft_a_6_minute_miler_slows_by_daniels_16_to_20_s_per_mile():
    per_km = 360 * 1000 / MILE
    slower = per_km_to_per_mile(altitude_adjusted(per_km, "T", 7000 * 0.3048)) - 360
    assert 16 <= slower <= 20


@pytest.mark.parametrize("zone", ["E", "M", "T", "T+", "I", "HM", "marathon"])
def test_aerobic_zones_slow_at_altitude(zone):
    assert altitude_adjusted(200, zone, 2100) == pytest.approx(200 * (1 + altitude_slowing(2100)))


@pytest.mark.parametrize("zone", ["R", "800", "1500", "mile", "3k", "5k", "10k"])
def test_r_and_race_paces_keep_sea_level_speed(zone):
    assert altitude_adjusted(150, zone, 2100) == 150


@pytest.mark.parametrize("altitude", [-400, 0, 500, 914.4])
def test_nothing_changes_up_to_3000_ft(altitude):
    assert altitude_adjusted(200, "T", altitude) == 200
    assert altitude_slowing(altitude) == 0


def test_the_slowing_grows_linearly_with_altitude():
    assert altitude_slowing(914.4 + 304.8) == pytest.approx(0.012)
    assert altitude_slowing(914.4 + 2 * 304.8) == pytest.approx(0.024)


@pytest.mark.parametrize("altitude", [6001, math.nan, math.inf, -math.inf])
def test_an_impossible_altitude_is_an_error(altitude):
    with pytest.raises(ValueError, match="altitude"):
        altitude_adjusted(200, "T", altitude)


def test_altitude_adjusted_checks_pace_and_zone():
    with pytest.raises(ValueError):
        altitude_adjusted(0, "T", 2100)
    with pytest.raises(ValueError, match="unknown zone"):
        altitude_adjusted(200, "Z", 2100)


def test_recoveries_lengthen_for_fast_reps_at_altitude_only():
    assert altitude_recovery_factor("R", 2100) == 1.25
    assert altitude_recovery_factor("mile", 2100) == 1.25
    assert altitude_recovery_factor("R", 2100, factor=1.5) == 1.5
    assert altitude_recovery_factor("T", 2100) == 1.0
    assert altitude_recovery_factor("marathon", 2100) == 1.0
    assert altitude_recovery_factor("R", 0) == 1.0
    assert altitude_recovery_factor("R", 914.4) == 1.0


def test_a_recovery_factor_below_1_is_an_error():
    with pytest.raises(ValueError, match="below 1"):
        altitude_recovery_factor("R", 2100, factor=0.8)
    with pytest.raises(ValueError, match="altitude"):
        altitude_recovery_factor("T", 9000)


# --- best_vdot --------------------------------------------------------------------------------


def test_best_vdot_prefers_3000_m_or_longer():
    mile, five = (MILE, 223.0), (5000, 800.0)
    level, source = best_vdot([mile, five])
    assert source == five
    assert level == pytest.approx(vdot(*five))
    assert level < vdot(*mile)


def test_best_vdot_takes_the_highest_among_the_longer_races():
    results = [(10000, 2400.0), (5000, 1100.0), (3000, 560.0)]
    level, source = best_vdot(results)
    assert source == max(results, key=lambda r: vdot(*r))
    assert level == pytest.approx(vdot(*source))


def test_best_vdot_falls_back_to_short_races():
    results = [(1500, 240.0), (MILE, 270.0), (800, 100.0)]
    level, source = best_vdot(results)
    assert source == (1500, 240.0)
    assert level == pytest.approx(vdot(1500, 240))


def test_best_vdot_ignores_invalid_results():
    results = [(800, 110.0), (5000, 0.0), (5000, 3600.0), (-1, 5.0), ("x", 5), (5000, 1000.0)]
    assert best_vdot(results) == (pytest.approx(vdot(5000, 1000)), (5000, 1000.0))


def test_best_vdot_is_none_without_a_valid_result():
    assert best_vdot([]) is None
    assert best_vdot([(800, 110.0), (400, 50.0)]) is None


# --- PaceProfile ------------------------------------------------------------------------------


def test_a_profile_uses_the_vdot_when_nothing_else_is_set():
    profile = PaceProfile(vdot=60)
    t = sea_level_pace(60, "T")
    assert profile.sea_level("T") == (t, t)
    assert profile.sea_level("E") == sea_level_pace(60, "E")
    assert profile.adjusted("T") == (t, t)


def test_an_override_wins_over_a_goal_time_which_wins_over_the_vdot():
    vdot_only = PaceProfile(vdot=60)
    with_goal = PaceProfile(vdot=60, goal_times={"5k": 900})
    with_both = PaceProfile(vdot=60, goal_times={"5k": 900}, overrides={"5k": (175, 178)})
    predicted = sea_level_pace(60, "5k")
    assert vdot_only.sea_level("5k") == (predicted, predicted)
    assert with_goal.sea_level("5k") == pytest.approx((180, 180))
    assert with_both.sea_level("5k") == (175, 178)


def test_an_override_names_exactly_one_zone():
    profile = PaceProfile(vdot=60, overrides={"5k": 170, "T": (200, 195)})
    assert profile.sea_level("5k") == (170, 170)
    assert profile.sea_level("T") == (195, 200)  # stored fast first
    assert profile.sea_level("T+")[0] == sea_level_pace(60, "5k")


def test_a_profile_without_a_vdot_knows_only_what_the_coach_set():
    profile = PaceProfile(goal_times={"5k": 900, "10k": 1900}, overrides={"T": 200})
    assert profile.sea_level("T") == (200, 200)
    assert profile.sea_level("5k") == pytest.approx((180, 180))
    assert profile.sea_level("T+") == pytest.approx((180, 190))
    assert profile.sea_level("I") is None
    assert profile.sea_level("E") is None
    assert profile.sea_level("mile") is None
    assert profile.adjusted("I") is None
    assert profile.rep_target("I", 400) is None
    assert PaceProfile(goal_times={"5k": 900}).sea_level("T+") is None
    assert PaceProfile().sea_level("M") is None


def test_goal_and_race_mean_the_goal_race():
    profile = PaceProfile(vdot=60, goal_times={"1500": 240}, goal_race="1500")
    assert profile.sea_level("goal") == pytest.approx((160, 160))
    assert profile.sea_level("race") == profile.sea_level("1500")
    assert profile.sea_level(" Goal ") == profile.sea_level("goal")
    assert PaceProfile(vdot=60).sea_level("goal") is None
    assert PaceProfile(vdot=60).adjusted("race") is None
    assert PaceProfile(vdot=60).recovery_factor("goal") == 1.0


def test_altitude_slows_aerobic_targets_and_keeps_race_paces():
    profile = PaceProfile(vdot=60, altitude_m=2100, goal_race="mile")
    t = sea_level_pace(60, "T")
    fast, slow = profile.adjusted("T")
    assert fast == slow == pytest.approx(t * (1 + altitude_slowing(2100)))
    assert profile.adjusted("R") == profile.sea_level("R")
    assert profile.adjusted("goal") == profile.sea_level("mile")
    e_fast, e_slow = profile.adjusted("E")
    assert e_fast > sea_level_pace(60, "E")[0]
    assert profile.recovery_factor("R") == 1.25
    assert profile.recovery_factor("goal", factor=1.4) == 1.4
    assert profile.recovery_factor("T") == 1.0


def test_rep_target_gives_adjusted_and_sea_level_times_for_one_rep():
    profile = PaceProfile(vdot=60, altitude_m=2100, overrides={"T+": (170, 175)})
    adjusted, sea_level = profile.rep_target("T+", 400)
    assert sea_level == pytest.approx((68, 70))
    factor = 1 + altitude_slowing(2100)
    assert adjusted == pytest.approx((68 * factor, 70 * factor))
    with pytest.raises(ValueError):
        profile.rep_target("T+", 0)


def test_profiles_are_frozen_hashable_and_compare_by_value():
    a = PaceProfile(vdot=60, goal_times={"5k": 900}, overrides={"T": 200})
    b = PaceProfile(vdot=60.0, goal_times={"5k": 900.0}, overrides={"T": (200, 200)})
    assert a == b
    assert hash(a) == hash(b)
    assert len({a, b}) == 1
    with pytest.raises(AttributeError):
        a.vdot = 70  # type: ignore[misc]
    with pytest.raises(TypeError):
        a.goal_times["5k"] = 800  # type: ignore[index]
    assert a.goal_times == {"5k": 900.0}


def test_the_profile_copies_its_mappings():
    goals = {"5k": 900.0}
    profile = PaceProfile(vdot=60, goal_times=goals)
    goals["5k"] = 1.0
    assert profile.goal_times["5k"] == 900.0


def test_profile_keys_are_canonical():
    profile = PaceProfile(goal_times={"hm": 4000}, overrides={"Mile": 150}, goal_race="hm")
    assert dict(profile.goal_times) == {"HM": 4000.0}
    assert dict(profile.overrides) == {"mile": (150.0, 150.0)}
    assert profile.goal_race == "HM"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"vdot": 19.9},
        {"goal_times": {"T": 100}},
        {"goal_times": {"5k": -1}},
        {"overrides": {"Z2": 100}},
        {"overrides": {"T": (1, 2, 3)}},
        {"overrides": {"T": 0}},
        {"altitude_m": 7000},
        {"goal_race": "T"},
    ],
)
def test_a_profile_refuses_bad_values(kwargs):
    with pytest.raises(ValueError):
        PaceProfile(**kwargs)


def test_frozen_map_behaves_like_a_read_only_dict():
    mapping = FrozenMap({"a": 1})
    assert dict(mapping) == {"a": 1}
    assert len(mapping) == 1
    assert list(mapping) == ["a"]
    assert repr(mapping) == "FrozenMap({'a': 1})"
    assert hash(mapping) == hash(FrozenMap({"a": 1}))
    assert FrozenMap() == {}


@pytest.mark.parametrize("seconds,distance,text", [
    (66.54, 400, "66.5"), (29.96, 200, "30.0"), (64.2, None, "64.2"), (99.94, 400, "99.9"),
    (155.4, 1000, "2:35"), (66.4, 600, "66"), (245.0, None, "4:05.0"),
])
def test_format_split_writes_rep_times_as_called_at_the_track(seconds, distance, text):
    assert formats.format_split(seconds, distance) == text


@pytest.mark.parametrize("args,kwargs,text", [
    ((66.04, 67.46), {"distance_m": 400}, "66.0–67.5"),
    ((66.04, 66.01), {"distance_m": 400}, "66.0"),
    ((29.2,), {}, "29.2"),
    ((168.2, 171.9), {"decimals": 0, "sep": "-"}, "2:48-2:52"),
])
def test_format_range_writes_a_target_band(args, kwargs, text):
    assert formats.format_range(*args, **kwargs) == text


@pytest.mark.parametrize("distance,duration,text", [
    (400, None, "400 m"), (1000, None, "1 km"), (3218.688, None, "2 mi"), (1609.344, None, "1 mi"),
    (804.672, None, "804.7 m"), (1200, None, "1200 m"), (42195, None, "42.195 km"),
    (4828.032, None, "3 mi"), (10200, None, "10.2 km"), (4999, None, "4999 m"),
    (400, 60, "400 m"), (None, 45, "45 s"), (None, 360, "6 min"), (None, 90, "1:30"),
    (None, 3000, "50 min"), (None, 6300, "1:45:00"), (None, None, ""), (0, 0, ""),
])
def test_amounts_read_the_same_everywhere(distance, duration, text):
    assert formats.format_amount(distance, duration) == text


# --- where a pace comes from --------------------------------------------------------------------

TOM = {"vdot": 83.63, "vdot_race": "5000 m 13:32.4", "altitude_m": 2100, "goal_race": "mile",
       "goal_times": {"mile": 235.0}}


@pytest.mark.parametrize(("profile", "zone", "altitude", "origin"), [
    pytest.param(TOM, "mile", True, "goal 3:55 for the mile, sea-level speed at 2100 m",
                 id="goal-race-at-altitude"),
    pytest.param(TOM, "goal", True, "goal 3:55 for the mile, sea-level speed at 2100 m",
                 id="goal-alias"),
    pytest.param(TOM, "race", False, "goal 3:55 for the mile", id="race-alias-no-altitude"),
    pytest.param(TOM, "T+", True,
                 "VDOT 83.6 from 5000 m 13:32.4, +4.7 % for 2100 m altitude", id="vdot-t-plus"),
    pytest.param(TOM, "T", False, "VDOT 83.6 from 5000 m 13:32.4", id="lactate-no-altitude"),
    pytest.param(TOM, "1500", True, "VDOT 83.6 from 5000 m 13:32.4, sea-level speed at 2100 m",
                 id="other-race-from-vdot"),
    pytest.param({**TOM, "overrides": {"T": 170}}, "T", True,
                 "the coach's pace, +4.7 % for 2100 m altitude", id="override"),
    pytest.param({**TOM, "overrides": {"mile": 150}}, "goal", False, "the coach's pace",
                 id="override-wins-over-goal"),
    pytest.param({"vdot": 60, "goal_times": {"marathon": 10_000}}, "M", True,
                 "goal 2:46:40 for the marathon", id="marathon-goal-sets-m-at-sea-level"),
    pytest.param({"vdot": 60, "goal_times": {"5k": 1000}, "goal_race": "5k"}, "T+", True,
                 "goal 16:40 for the 5000 m; VDOT 60.0", id="t-plus-names-both-races"),
    pytest.param({"goal_times": {"5k": 900, "10k": 1900}}, "T+", True,
                 "goal 15:00 for the 5000 m; goal 31:40 for the 10,000 m", id="t-plus-two-goals"),
    pytest.param({"vdot": 87.03, "altitude_m": 500}, "HM", True,
                 "VDOT 87.0 (extrapolated)", id="extrapolated-below-the-altitude-threshold"),
    pytest.param({"vdot": 60}, "goal", True, None, id="no-goal-race"),
    pytest.param({"goal_times": {"5k": 900}}, "T+", True, None, id="unknown-pace"),
    pytest.param({}, "E", True, None, id="nothing-known"),
])
def test_origin_says_where_a_pace_comes_from(profile, zone, altitude, origin):
    assert PaceProfile(**profile).origin(zone, altitude=altitude) == origin


def test_race_labels_cover_every_race():
    assert set(pace.RACE_LABELS) == set(RACES)


@given(vdots, st.sampled_from([*ZONES, *RACES]), st.floats(min_value=0, max_value=6000))
def test_every_zone_known_from_a_vdot_has_an_origin_naming_it(level, zone, altitude):
    profile = PaceProfile(vdot=level, altitude_m=altitude, vdot_race="5000 m 15:00")
    origin = profile.origin(zone)
    assert origin.startswith(f"VDOT {pace.format_vdot(level)} from 5000 m 15:00")
    assert ("altitude" in origin or "sea-level speed" in origin) is (altitude_slowing(altitude) > 0)
