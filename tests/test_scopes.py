"""``for_user``, the one rule of who sees which rows (``athletes.models.ScopedQuerySet``):
nothing without a login, everything for an admin, and for anyone else what each model's
``seen_by`` says."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from athletes.models import Athlete, Squad
from sessions.models import Block, Session, SessionLog
from tests import factories as f

MODELS = [Squad, Athlete, Block, Session, SessionLog]


@pytest.fixture
def rows(coach, other_coach, athlete, other_athlete, block):
    """A squad, a session and a log for each coach's side."""
    f.make_squad(name="Mine", coaches=(coach,))
    f.make_squad(name="Theirs", coaches=(other_coach,))
    theirs = f.make_block(coach=other_coach, athletes=(other_athlete,))
    for the_block, who in ((block, athlete), (theirs, other_athlete)):
        f.make_log(session=f.make_session(block=the_block), athlete=who)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_nobody_signed_out_sees_a_row(rows, model):
    assert list(model.objects.for_user(AnonymousUser())) == []


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_an_admin_sees_every_row(rows, admin_user, model):
    assert model.objects.for_user(admin_user).count() == model.objects.count() == 2


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_a_coach_sees_their_own_side_only(rows, coach, model):
    assert model.objects.for_user(coach).count() == 1


@pytest.mark.parametrize(("model", "count"), [
    (Squad, 0), (Athlete, 1), (Block, 1), (Session, 1), (SessionLog, 1),
], ids=lambda v: getattr(v, "__name__", str(v)))
def test_an_athlete_sees_their_own_rows_and_no_squad(rows, athlete, model, count):
    seen = model.objects.for_user(athlete.user)
    assert seen.count() == count
    assert model.objects.for_user(athlete.user).count() == len(set(seen))  # no duplicates
