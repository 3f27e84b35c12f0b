"""Word tables and limits of the workout notation.

The units, recovery modes, warm-up and cool-down words, race names and keywords the lexer and
the parser read, and the limits on what a workout may hold (docs/notation.md, "Limits").
"""

from __future__ import annotations

from typing import Literal, TypeAlias

from coach.formats import MILE
from coach.pace import RACES
from coach.records import MAX_SPEED_M_PER_S

MAX_LENGTH = 4000
MAX_REPS = 500
MAX_DEPTH = 3
MAX_DISTANCE_M = 100_000.0
MAX_DURATION_S = 24 * 3600.0
MIN_SPEED = 2.0  # m/s: slower than this, a rep target is probably a typo
MAX_SPEED = MAX_SPEED_M_PER_S  # m/s: faster than the world record for 100 m
PER_KM_HINT_SPEED = 2.5  # m/s: a short rep this slow whose time reads as a plausible km pace

TargetKind: TypeAlias = Literal["time", "pace", "zone", "race", "lactate", "hr", "rpe"]
StepKind: TypeAlias = Literal["warmup", "work", "recovery", "cooldown", "rest"]
EasyKind: TypeAlias = Literal["warmup", "cooldown", "easy"]

MODES = ("jog", "walk", "stand", "float", "rest", "recovery")
STYLES = ("strides", "hills")
DOWN_MODES = (None, "jog", "walk", "float")  # how the way back down a hill is covered
RACE_NAMES = (*RACES, "race", "goal")
PACE_UNITS = {"km": 1000.0, "mi": MILE, "400": 400.0}

_MODE_WORDS = {
    **{mode: mode for mode in MODES},
    "jogging": "jog",
    "walking": "walk",
    "standing": "stand",
    "floating": "float",
    "rec": "recovery",
}
_NOISE_WORDS = frozenset({"recovery", "rec", "rest", "recoveries"})
_EASY_WORDS: dict[str, EasyKind] = {
    "wu": "warmup",
    "warmup": "warmup",
    "warm-up": "warmup",
    "cd": "cooldown",
    "cooldown": "cooldown",
    "cool-down": "cooldown",
    "warmdown": "cooldown",
    "warm-down": "cooldown",
    "easy": "easy",
}
_EASY_PAIRS: dict[tuple[str, str], EasyKind] = {
    ("warm", "up"): "warmup",
    ("cool", "down"): "cooldown",
    ("warm", "down"): "cooldown",
}
_DISTANCE_UNITS = {
    "m": 1.0,
    "k": 1000.0,
    "km": 1000.0,
    "mi": MILE,
    "mile": MILE,
    "miles": MILE,
}
_DURATION_UNITS = {
    "s": 1.0,
    "sec": 1.0,
    "secs": 1.0,
    "second": 1.0,
    "seconds": 1.0,
    "min": 60.0,
    "mins": 60.0,
    "minute": 60.0,
    "minutes": 60.0,
    "h": 3600.0,
    "hr": 3600.0,
    "hrs": 3600.0,
    "hour": 3600.0,
    "hours": 3600.0,
}
_RACE_WORDS = {"mile": "mile", "hm": "HM", "marathon": "marathon", "race": "race", "goal": "goal"}
_RACE_KS = {"3": "3k", "5": "5k", "10": "10k"}
_RACE_METRES = {"800": "800", "1500": "1500", "3000": "3k", "5000": "5k", "10000": "10k"}
_STYLE_WORDS = {"strides": "strides", "stride": "strides", "hill": "hills", "hills": "hills"}
_SHAPE_WORDS = frozenset({"ladder", "pyramid"})
_ONE_UNIT_WORDS = {"mile": "mile", "mi": "mi", "km": "km"}  # 4 x mile: one of the unit
_PHRASE_WORDS = frozenset(
    {*_STYLE_WORDS, *_SHAPE_WORDS, "tempo", "run", "sets", "set", "of", "between", "each",
     "on", "off", "in", "down"}
)
_PACE_UNIT_WORDS = {"km": "km", "k": "km", "mi": "mi", "mile": "mi"}
_SECONDS_WORDS = frozenset({"s", "sec", "secs"})
_SEP_SYMBOLS = frozenset("&+;,")
_AND_SEPS = frozenset("&+")
_KEYWORDS = frozenset(
    {
        *_MODE_WORDS,
        *_NOISE_WORDS,
        *_EASY_WORDS,
        "warm",
        "cool",
        "x",
        "w/",
        "with",
        "r",
        "equal",
        "time",
        "then",
        "at",
        "pace",
        "mmol",
        "bpm",
        *_PHRASE_WORDS,
    }
)
_TARGET_LIMITS = {  # kind: (lowest, highest, what)
    "time": (0.0, MAX_DURATION_S, "a rep time"),
    "pace": (0.0, MAX_DURATION_S, "a pace"),
    "lactate": (0.0, 30.0, "a lactate target (mmol/L)"),
    "hr": (30.0, 250.0, "a heart rate (bpm)"),
    "rpe": (0.0, 10.0, "an RPE"),
}
_TARGET_HELP = (
    "a time such as 64, a pace such as 3:05/km, a zone (E M T T+ I R), a race pace such as "
    "mile or 5k, a lactate such as 2.5 mmol, a heart rate such as 150 bpm or RPE 7"
)
