"""Migration 0007: a block's single goal time becomes each of its athletes' goal time, and back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("training", "0006_athlete_goals")]
AFTER = [("training", "0008_remove_block_goal_time_s")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_blocks_goal_time_becomes_each_athletes_goal_time_and_back():
    old = migrate(BEFORE)
    User, Athlete = old.get_model("athletes", "User"), old.get_model("athletes", "Athlete")
    Block = old.get_model("training", "Block")
    coach = User.objects.create(username="coach", is_coach=True)
    tom = Athlete.objects.create(user=User.objects.create(username="tom"), display_name="Tom")
    sam = Athlete.objects.create(user=User.objects.create(username="sam"), display_name="Sam")
    day = dt.date(2026, 11, 2)
    with_goal = Block.objects.create(coach=coach, title="Mile block", start_date=day,
                                     end_date=day, goal_distance_m=1609.344, goal_time_s=235.0)
    with_goal.athletes.set([tom, sam])
    without = Block.objects.create(coach=coach, title="Base", start_date=day, end_date=day)
    without.athletes.set([tom])
    try:
        new = migrate(AFTER)
        AthleteGoal = new.get_model("training", "AthleteGoal")
        goals = sorted(AthleteGoal.objects.values_list("block__title", "athlete__display_name",
                                                       "time_s"))
        assert goals == [("Mile block", "Sam", 235.0), ("Mile block", "Tom", 235.0)]
        assert "goal_time_s" not in {f.name for f in new.get_model("training", "Block")._meta
                                     .get_fields()}
        AthleteGoal.objects.filter(athlete__display_name="Sam").update(time_s=242.0)

        back = migrate(BEFORE)
        blocks = back.get_model("training", "Block").objects.order_by("title")
        assert list(blocks.values_list("title", "goal_time_s")) == [("Base", None),
                                                                     ("Mile block", 235.0)]
        assert not back.get_model("training", "AthleteGoal").objects.exists()
    finally:
        migrate(migrate_leaf())


def migrate_leaf():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
