"""The judging rule of ``sessions.judging`` written in SQL, for figures computed in the database
(``sessions.training_load``, ``sessions.overview``): a rep result annotated with its target
band (scaled to the distance run when cut short), whether it was judged, on target or far off,
and its lactate band. ``tests/test_training_load.py`` checks that both agree, rep by rep."""

from __future__ import annotations

from django.db.models import BooleanField, Case, F, FloatField, Q, When
from django.db.models.functions import Abs, Coalesce

from .judging import LACTATE_SINGLE_TOLERANCE
from .models import RepResult

FAR_OFF_PCT = 3.0  # a rep more than this % outside its target band is "far off"
CUT_SHORT_M = 0.05  # as sessions.judging.rep_target: a rep run over another distance
FLOAT = FloatField()


def judged_reps(reps=None):
    """Rep results annotated with the judging of ``sessions.judging`` in SQL: ``lo``/``hi``
    (the target band, scaled to the distance run when cut short), ``judged``, ``on_target``
    and ``far_off`` (booleans), ``band_lo``/``band_hi`` (the lactate band) and ``in_band``."""
    reps = RepResult.objects.all() if reps is None else reps
    return with_lactate_verdict(with_time_verdict(reps))


def with_time_verdict(reps, tolerance_pct=None):
    """``judged_reps``'s time half: ``lo``, ``hi``, ``judged``, ``on_target``, ``far_off``.
    ``tolerance_pct``: the session's tolerance as an expression (default: read through the
    rep's log; a subquery per log passes its outer session's and joins nothing)."""
    cut = Q(planned_distance_m__isnull=False, distance_m__isnull=False, cut_by__gt=CUT_SHORT_M)
    scale = F("distance_m") / F("planned_distance_m")
    if tolerance_pct is None:
        tolerance_pct = F("log__session__tolerance_pct")
    tolerance = tolerance_pct / 100.0
    far = FAR_OFF_PCT / 100
    judged = Q(skipped=False, actual_s__isnull=False, target_lo_s__isnull=False)
    return reps.annotate(
        cut_by=Abs(F("planned_distance_m") - F("distance_m")),
        lo=Case(When(cut, then=F("target_lo_s") * scale), default=F("target_lo_s"),
                output_field=FLOAT),
        hi=Case(When(cut, then=Coalesce("target_hi_s", "target_lo_s") * scale),
                default=Coalesce("target_hi_s", "target_lo_s"), output_field=FLOAT),
    ).annotate(
        judged=Case(When(judged, then=True), default=False, output_field=BooleanField()),
        on_target=Case(When(judged & Q(actual_s__gte=F("lo") * (1 - tolerance),
                                       actual_s__lte=F("hi") * (1 + tolerance)), then=True),
                       default=False, output_field=BooleanField()),
        far_off=Case(When(judged & (Q(actual_s__lt=F("lo") * (1 - far))
                                    | Q(actual_s__gt=F("hi") * (1 + far))), then=True),
                     default=False, output_field=BooleanField()),
    )


def with_lactate_verdict(reps):
    """``judged_reps``'s lactate half: ``band_lo``, ``band_hi``, ``in_band``."""
    single = Q(lactate_hi__isnull=True) | Q(band_width__lt=0.05)
    return reps.annotate(
        band_width=Coalesce("lactate_hi", "lactate_lo") - F("lactate_lo"),
        band_lo=Case(When(single, then=F("lactate_lo") - LACTATE_SINGLE_TOLERANCE),
                     default=F("lactate_lo"), output_field=FLOAT),
        band_hi=Case(When(single, then=Coalesce("lactate_hi", "lactate_lo")
                          + LACTATE_SINGLE_TOLERANCE),
                     default=F("lactate_hi"), output_field=FLOAT),
    ).annotate(
        in_band=Case(When(Q(skipped=False, lactate__isnull=False, lactate_lo__isnull=False,
                            lactate__gte=F("band_lo") - 1e-9,
                            lactate__lte=F("band_hi") + 1e-9), then=True),
                     default=False, output_field=BooleanField()),
    )
