"""Each block's single goal time becomes the goal time of each of the block's athletes.

Backwards, a block takes the fastest of its athletes' goal times (the schema before 0006 held
one per block)."""

from django.db import migrations


def block_goal_to_athletes(apps, schema_editor):
    Block = apps.get_model("training", "Block")
    AthleteGoal = apps.get_model("training", "AthleteGoal")
    goals = []
    for block in Block.objects.filter(goal_time_s__isnull=False).prefetch_related("athletes"):
        goals += [AthleteGoal(block=block, athlete=athlete, time_s=block.goal_time_s)
                  for athlete in block.athletes.all()]
    AthleteGoal.objects.bulk_create(goals)


def athlete_goals_to_block(apps, schema_editor):
    Block = apps.get_model("training", "Block")
    AthleteGoal = apps.get_model("training", "AthleteGoal")
    for block in Block.objects.all():
        fastest = (AthleteGoal.objects.filter(block=block).order_by("time_s")
                   .values_list("time_s", flat=True).first())
        if fastest is not None:
            block.goal_time_s = fastest
            block.save(update_fields=["goal_time_s"])
    AthleteGoal.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("training", "0006_athlete_goals"),
    ]

    operations = [
        migrations.RunPython(block_goal_to_athletes, athlete_goals_to_block),
    ]
