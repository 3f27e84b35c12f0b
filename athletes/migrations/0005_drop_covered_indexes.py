"""No index twice in the athletes app (issue 16): single-column indexes dropped because a
composite or unique index already starts with the same column.

Dropped, with what covers them:
- raceresult.athlete_id: covered by (athlete, -date) (``athletes_ra_athlete_7c8cb8_idx``).
- paceoverride.athlete_id: covered by the unique ``one_override_per_zone`` (athlete, zone).
- absence.athlete_id: covered by (athlete, end) (``athletes_ab_athlete_a573fd_idx``).
- The many-to-many tables' index on their first column, each covered by the table's unique
  (first, second) index that Django creates with it:
  - athletes_athlete_coaches.athlete_id: by (athlete_id, user_id);
  - athletes_squad_coaches.squad_id: by (squad_id, user_id);
  - athletes_user_groups.user_id: by (user_id, group_id);
  - athletes_user_user_permissions.user_id: by (user_id, permission_id).
  Django keeps no state for these (the tables are made by the ManyToManyFields), so they are
  dropped by name (the same on SQLite and PostgreSQL) and re-created on the way back.

Kept: each many-to-many table's index on its second column (who a coach coaches, a squad's
coaches seen from the coach), athlete.squad_id, absence.created_by_id, and the unique
indexes (user.username, athlete.user_id, squad.name; on PostgreSQL the ``_like`` indexes of
the unique text columns serve prefix searches, which the unique index does not).
"""

import django.db.models.deletion
from django.db import migrations, models

COVERED_M2M_INDEXES = [  # (index, table, column): see the docstring
    ("athletes_athlete_coaches_athlete_id_4aca948e", "athletes_athlete_coaches", "athlete_id"),
    ("athletes_squad_coaches_squad_id_087655b1", "athletes_squad_coaches", "squad_id"),
    ("athletes_user_groups_user_id_0229daa8", "athletes_user_groups", "user_id"),
    ("athletes_user_user_permissions_user_id_111deebe", "athletes_user_user_permissions",
     "user_id"),
]


class Migration(migrations.Migration):

    dependencies = [
        ('athletes', '0004_user_security_stamp'),
    ]

    operations = [
        migrations.AlterField(
            model_name='absence',
            name='athlete',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='absences', to='athletes.athlete'),
        ),
        migrations.AlterField(
            model_name='paceoverride',
            name='athlete',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='pace_overrides', to='athletes.athlete'),
        ),
        migrations.AlterField(
            model_name='raceresult',
            name='athlete',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='race_results', to='athletes.athlete'),
        ),
        *[migrations.RunSQL(f'DROP INDEX IF EXISTS "{name}"',
                            reverse_sql=f'CREATE INDEX "{name}" ON "{table}" ("{column}")')
          for name, table, column in COVERED_M2M_INDEXES],
    ]
