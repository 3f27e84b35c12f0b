"""World records: what a race result can be at most (a faster one is a typo).

Pure Python, no Django.

World records (``WORLD_RECORDS``, ``world_record``, ``fastest_time``)
    Men's outdoor world records (World Athletics; the half marathon as run in Barcelona in
    2025) from 100 m to the marathon bound what a race result can be. ``fastest_time`` is the
    record at a record distance (within half a metre); between two records, the power law
    through both (a straight line in log time against log distance) less 1 %, because the
    curve of best times bends a little between record distances; below 100 m and beyond the
    marathon, the distance at the average speed of the 100 m or the marathon record (nobody
    averages more over a shorter sprint, or over a longer race).
"""

from __future__ import annotations

import itertools
import math

from .formats import HALF_MARATHON, MARATHON, MILE, positive, same_distance

__all__ = [
    "MAX_SPEED_M_PER_S",
    "RECORD_INTERPOLATION_SLACK",
    "WORLD_RECORDS",
    "fastest_time",
    "world_record",
]

# Men's outdoor world records, seconds by distance in metres (see the module docstring).
WORLD_RECORDS: dict[float, float] = {
    100.0: 9.58,  # Bolt 2009
    200.0: 19.19,  # Bolt 2009
    400.0: 43.03,  # van Niekerk 2016
    800.0: 100.91,  # Rudisha 2012, 1:40.91
    1000.0: 131.96,  # Ngeny 1999, 2:11.96
    1500.0: 206.00,  # El Guerrouj 1998, 3:26.00
    MILE: 223.13,  # El Guerrouj 1999, 3:43.13
    2000.0: 283.13,  # Ingebrigtsen 2023, 4:43.13
    3000.0: 437.55,  # Ingebrigtsen 2024, 7:17.55
    5000.0: 755.36,  # Cheptegei 2020, 12:35.36
    10000.0: 1571.00,  # Cheptegei 2020, 26:11.00
    HALF_MARATHON: 3402.0,  # Kiplimo 2025, 56:42
    MARATHON: 7235.0,  # Kiptum 2023, 2:00:35
}
RECORD_INTERPOLATION_SLACK = 0.01
# Faster than the 100 m record's 10.44 m/s: a rep, race or pace this fast is a typo.
MAX_SPEED_M_PER_S = 10.5

_RECORDS = sorted(WORLD_RECORDS.items())


def world_record(distance_m: float) -> float | None:
    """The men's outdoor world record in seconds when distance_m is a record distance (within
    half a metre), else None."""
    distance = positive(distance_m, "distance")
    return next((t for d, t in _RECORDS if same_distance(d, distance)), None)


def fastest_time(distance_m: float) -> float:
    """The fastest time a race over distance_m can have, in seconds: a result faster than
    this is a typo (see the module docstring for how distances between records are bound)."""
    record = world_record(distance_m)
    if record is not None:
        return record
    distance = float(distance_m)
    (first_d, first_t), (last_d, last_t) = _RECORDS[0], _RECORDS[-1]
    if distance < first_d:
        return distance * first_t / first_d
    if distance > last_d:
        return distance * last_t / last_d
    (d1, t1), (d2, t2) = next((a, b) for a, b in itertools.pairwise(_RECORDS)
                              if a[0] < distance < b[0])
    exponent = math.log(t2 / t1) / math.log(d2 / d1)
    return t1 * (distance / d1) ** exponent * (1 - RECORD_INTERPOLATION_SLACK)
