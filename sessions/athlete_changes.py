"""Changes to athletes that reach their sessions: leaving a former coach's blocks.

``athletes/`` imports nothing from ``sessions/``; the workflows that change an athlete and must
also change what is planned for them live here, and the views call them from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from athletes.models import Athlete

from .models import Block, PlannedTarget, SessionLog


@transaction.atomic
def leave_former_coaches(*, athletes: Iterable[int] | None = None,
                         coaches: Iterable[int] | None = None) -> list[tuple[Block, list]]:
    """Take athletes out of the blocks of coaches who no longer coach them.

    When an athlete's coach changes (moved to another squad, a coach removed from them or
    from their squad, by the roster page, the CSV import or the Django admin), they leave
    every block of the old coach that has not ended yet (by the block's own calendar), and
    their planned targets in those blocks from today on go, except for sessions they have
    already logged. What happened stays: their logs and results, the targets of past and
    logged sessions, and their place in the old coach's ended blocks. Their logs stay
    theirs and go to their new coach, who coaches them now; the old coach sees none of it any
    more (``Athlete.objects.for_coach``). Coming back to the coach does not put them back in
    the blocks: the coach adds them again, as for any athlete.

    ``athletes`` narrows the check to these athletes' blocks and memberships; ``coaches`` to
    these coaches' blocks (after a coach stops coaching a squad). Returns each block left,
    with who left it. Safe to run any time: it only acts on memberships the rule forbids.
    """
    blocks = Block.objects.filter(end_date__gte=timezone.now().date() - dt.timedelta(days=1))
    if athletes is not None:
        athletes = list(athletes)
        blocks = blocks.filter(pk__in=Block.athletes.through.objects.filter(
            athlete_id__in=athletes).values("block_id"))
    if coaches is not None:
        blocks = blocks.filter(coach__in=list(coaches))
    left = []
    for block in blocks.select_related("coach").order_by("start_date", "pk"):
        if block.has_ended():
            continue
        leaving = block.athletes.exclude(pk__in=Athlete.objects.for_coach(block.coach)
                                         .values("pk"))
        if athletes is not None:
            leaving = leaving.filter(pk__in=athletes)
        leaving = list(leaving)
        if not leaving:
            continue
        logged = SessionLog.objects.filter(session=OuterRef("step__session"),
                                           athlete=OuterRef("athlete"))
        PlannedTarget.objects.filter(
            athlete__in=leaving, step__session__block=block,
            step__session__date__gte=block.today(),
        ).filter(~Exists(logged)).delete()
        block.athletes.remove(*leaving)
        left.append((block, leaving))
    return left
