"""Parse a workout written in the coach's notation and print its expanded steps, its totals
and, with --vdot (or --race), every rep's target time. --altitude adjusts the targets as the
pace engine says and prints the sea-level value beside them.
Example: manage.py workout "12x400 @ T+ (200 jog)" --vdot 83.6 --altitude 2100
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from coach import formats, notation, pace
from coach.management.arguments import add_altitude
from sessions.models import StepKind


def _km(metres: float) -> str:
    return f"{metres / 1000:.2f} km"


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser) -> None:
        parser.add_argument("text", help="the workout, e.g. '6x1k @ T 60s'")
        parser.add_argument("--vdot", type=float, help="the athlete's VDOT")
        parser.add_argument("--race", nargs=2, metavar=("DISTANCE", "TIME"),
                            help="a race result to take the VDOT from, e.g. 5000m 12:48")
        add_altitude(parser)
        parser.add_argument("--goal", nargs=2, metavar=("RACE", "TIME"),
                            help="goal race and time, e.g. mile 3:55 (for 'goal pace')")

    def handle(self, *args, text: str, vdot, race, altitude: float, goal, **options) -> None:
        try:
            workout = notation.parse(text)
            profile = self.profile(vdot, race, altitude, goal)
        except ValueError as exc:  # NotationError is a ValueError
            raise CommandError(str(exc)) from exc
        out = self.stdout.write
        out(f"Workout: {notation.format(workout)}")
        for warning in workout.warnings:
            out(self.style.WARNING(f"Warning: {warning}"))
        resolved = iter(notation.resolve(workout, profile))
        out("")
        for number, step in enumerate(workout.steps, start=1):
            line = f"{number:3}. {step.kind:9} {step.name}"
            if step.mode and not step.name.endswith(step.mode):
                line += f" {step.mode}"
            if step.kind == StepKind.WORK:
                line += self.describe(step, next(resolved), altitude)
            out(line)
        out("")
        out(f"Reps: {workout.rep_count}")
        out(f"Work: {_km(workout.work_distance_m)}"
            + (f" + {formats.format_time(workout.work_duration_s)} timed"
               if workout.work_duration_s else ""))
        out(f"Recovery: {_km(workout.recovery_distance_m)}"
            + (f" + {formats.format_time(workout.recovery_duration_s)}"
               if workout.recovery_duration_s else ""))
        out(f"Total distance: {_km(workout.total_distance_m)}")
        estimate = formats.format_time(workout.estimated_duration_s(), decimals=0)
        out(f"Estimated duration: {estimate}")

    def profile(self, vdot, race, altitude, goal) -> pace.PaceProfile:
        if race:
            vdot = pace.vdot(formats.parse_distance(race[0]), formats.parse_time(race[1]))
        goal_times, goal_race = {}, None
        if goal:
            goal_race = goal[0]
            goal_times = {goal_race: formats.parse_time(goal[1])}
        return pace.PaceProfile(vdot=vdot, goal_times=goal_times, altitude_m=altitude,
                                goal_race=goal_race)

    def describe(self, step, r, altitude: float) -> str:
        parts = []
        if step.target_text:
            parts.append(f"@ {step.target_text}")
        if r.target_lo_s is not None:
            here = _span(r.target_lo_s, r.target_hi_s, step.distance_m)
            parts.append(f"-> {here}")
            sea = _span(r.sea_level_lo_s, r.sea_level_hi_s, step.distance_m)
            if altitude and sea != here:
                parts.append(f"(sea level {sea})")
        elif r.pace_lo_s_per_km is not None:
            parts.append(f"-> {_span(r.pace_lo_s_per_km, r.pace_hi_s_per_km, None, 0)}/km")
        if r.lactate_lo is not None:
            parts.append("(lactate governs)")
        return "  " + " ".join(parts) if parts else ""


def _span(lo: float, hi: float, distance: float | None, decimals: int | None = None) -> str:
    return formats.format_range(lo, hi, distance_m=distance, decimals=decimals, sep="-")
