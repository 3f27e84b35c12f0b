"""Print the VDOT for a race result, the E/M/T/T+/I/R training paces per 400 m, per km and per
mile, and race equivalents from 1500 m to the marathon. With --altitude, the altitude-adjusted
paces are printed beside the sea-level ones. Example: manage.py paces 5000m 12:48 --altitude 2100
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from athletes.models import distance_label
from coach import formats, pace
from coach.management.arguments import add_altitude

EQUIVALENTS = ["1500", "mile", "3k", "5k", "10k", "HM", "marathon"]


def _band(fast: float, slow: float, convert, decimals: int) -> str:
    a = formats.format_time(convert(fast), decimals=decimals)
    b = formats.format_time(convert(slow), decimals=decimals)
    return a if a == b else f"{a}-{b}"


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser) -> None:
        parser.add_argument("distance", help="race distance: 1500m, mile, 5k, 10k, HM, ...")
        parser.add_argument("time", help="race time: 3:43, 12:48.0, 1:02:03")
        add_altitude(parser)

    def handle(self, *args, distance: str, time: str, altitude: float, **options) -> None:
        try:
            metres = formats.parse_distance(distance)
            seconds = formats.parse_time(time)
            value = pace.vdot(metres, seconds)
            profile = pace.PaceProfile(vdot=value, altitude_m=altitude)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        out = self.stdout.write
        out(f"{distance} in {formats.format_time(seconds)}: VDOT {pace.format_vdot(value)}")
        if pace.is_extrapolated(value):
            out(f"  Outside Daniels' tables (VDOT {pace.TABLE_VDOT_MIN:g}-"
                f"{pace.TABLE_VDOT_MAX:g}): the paces extend the published equations.")
        if altitude:
            out(f"Altitude {altitude:g} m: sea-level pace -> adjusted pace "
                f"({pace.altitude_slowing(altitude) * 100:.1f}% slower where it applies)")
        out("")
        out(f"{'zone':5} {'per 400 m':>24} {'per km':>20} {'per mile':>20}")
        for zone in pace.ZONES:
            sea = profile.sea_level(zone)
            adj = profile.adjusted(zone)
            cells = []
            for convert, decimals in ((pace.per_km_to_per_400, 1), (lambda p: p, 0),
                                      (pace.per_km_to_per_mile, 0)):
                text = _band(*sea, convert, decimals)
                if altitude and adj != sea:
                    text += f" -> {_band(*adj, convert, decimals)}"
                cells.append(text)
            width = (24, 20, 20)
            out(f"{zone:5} " + " ".join(f"{c:>{w}}" for c, w in zip(cells, width, strict=True)))
        out("")
        out("Race equivalents (VDOT; Daniels' own tables differ by a few seconds):")
        for key in EQUIVALENTS:
            seconds = pace.race_time(value, pace.RACES[key])
            out(f"  {distance_label(pace.RACES[key]):14} {formats.format_time(seconds):>9}")
