"""The block names its goal race; the goal times are the athletes' (copied over by 0007)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("training", "0007_goal_times_per_athlete"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='block',
            name='block_goal_time_positive',
        ),
        migrations.RemoveField(
            model_name='block',
            name='goal_time_s',
        ),
    ]
