"""No index twice on a block's athletes (issue 16; see training.0012_scale_indexes and
athletes.0005_drop_covered_indexes).

Dropped: training_block_athletes.block_id (``training_block_athletes_block_id_2be29db2``),
covered by the unique (block_id, athlete_id) index that Django creates with the
ManyToManyField. Django keeps no state for it, so it is dropped by name (the same on SQLite
and PostgreSQL) and re-created on the way back. Kept: the index on athlete_id (an athlete's
blocks).
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('training', '0015_calendar_feed_session_updated'),
    ]

    operations = [
        migrations.RunSQL(
            'DROP INDEX IF EXISTS "training_block_athletes_block_id_2be29db2"',
            reverse_sql='CREATE INDEX "training_block_athletes_block_id_2be29db2" '
                        'ON "training_block_athletes" ("block_id")',
        ),
    ]
