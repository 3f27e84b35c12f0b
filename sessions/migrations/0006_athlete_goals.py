"""Goal times become each athlete's (``AthleteGoal``); planned targets say where their pace came
from (``PlannedTarget.origin``). 0007 copies the block goal times over, 0008 drops them."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('athletes', '0001_initial'),
        ('training', '0005_log_distance'),
    ]

    operations = [
        migrations.CreateModel(
            name='AthleteGoal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('time_s', models.FloatField(help_text="Goal time for the block's goal race, seconds.")),
            ],
            options={
                'ordering': ['block', 'athlete__display_name'],
            },
        ),
        migrations.AddField(
            model_name='plannedtarget',
            name='origin',
            field=models.CharField(blank=True, help_text='Where the pace came from: VDOT and its race, goal, coach, altitude.', max_length=160),
        ),
        migrations.AddField(
            model_name='athletegoal',
            name='athlete',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='goals', to='athletes.athlete'),
        ),
        migrations.AddField(
            model_name='athletegoal',
            name='block',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='goals', to='training.block'),
        ),
        migrations.AddConstraint(
            model_name='athletegoal',
            constraint=models.UniqueConstraint(fields=('block', 'athlete'), name='one_goal_per_athlete'),
        ),
        migrations.AddConstraint(
            model_name='athletegoal',
            constraint=models.CheckConstraint(condition=models.Q(('time_s__gt', 0)), name='goal_time_positive'),
        ),
    ]
