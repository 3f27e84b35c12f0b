"""Indexes for club scale (issue 16): one index for every list's order, none twice.

Added, the order of every list of logs (newest first: ``-date_done, -created``):
- ``log_athlete_newest`` (athlete, -date_done, -created): an athlete's history and today page.
- ``log_newest`` (-date_done, -created): a coach's logs and the coach home, read newest first
  and stopped after a page instead of reading and sorting every log of the coach's athletes.

Dropped, because a composite or unique index already starts with the same column(s):
- sessionlog (athlete, -date_done): covered by ``log_athlete_newest``.
- sessionlog.athlete_id: covered by ``log_athlete_newest``.
- sessionlog.session_id: covered by the unique ``one_log_per_athlete`` (session, athlete).
- session (block, date): covered by the unique ``one_session_per_slot`` (block, date, slot),
  which also serves the calendar's order (date, slot) within a block.
- session.block_id: covered by ``one_session_per_slot``.
- athleteversion.session_id: covered by the unique ``one_version_per_athlete`` (session,
  athlete).
- plannedtarget.step_id: covered by the unique ``one_target_per_athlete`` (step, athlete).
- represult.log_id: covered by the unique ``one_result_per_position`` (log, position).
- athletegoal.block_id: covered by the unique ``one_goal_per_athlete`` (block, athlete).
- block.coach_id: covered by (coach, archived, -end_date).

Kept: plannedstep.session_id (``one_step_per_position`` covers only the squad's steps, being
partial), represult.step_id (re-planning deletes steps and nulls their results through it),
plannedtarget.athlete_id (an athlete's targets), ``log_workout_history``, and the indexes of
the athletes app.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('athletes', '0002_absence'),
        ('training', '0011_workout_key'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='sessionlog',
            index=models.Index(fields=['athlete', '-date_done', '-created'], name='log_athlete_newest'),
        ),
        migrations.AddIndex(
            model_name='sessionlog',
            index=models.Index(fields=['-date_done', '-created'], name='log_newest'),
        ),
        migrations.RemoveIndex(
            model_name='session',
            name='training_se_block_i_89c2e5_idx',
        ),
        migrations.RemoveIndex(
            model_name='sessionlog',
            name='training_se_athlete_7ff768_idx',
        ),
        migrations.AlterField(
            model_name='athletegoal',
            name='block',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='goals', to='training.block'),
        ),
        migrations.AlterField(
            model_name='athleteversion',
            name='session',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='training.session'),
        ),
        migrations.AlterField(
            model_name='block',
            name='coach',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='blocks', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='plannedtarget',
            name='step',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='targets', to='training.plannedstep'),
        ),
        migrations.AlterField(
            model_name='represult',
            name='log',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='reps', to='training.sessionlog'),
        ),
        migrations.AlterField(
            model_name='session',
            name='block',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='sessions', to='training.block'),
        ),
        migrations.AlterField(
            model_name='sessionlog',
            name='athlete',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='logs', to='athletes.athlete'),
        ),
        migrations.AlterField(
            model_name='sessionlog',
            name='session',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='logs', to='training.session'),
        ),
    ]
