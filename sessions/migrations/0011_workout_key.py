"""SessionLog.workout_key: the workout a log was run against, however it was spelled
(``coach.notation.workout_key``; docs/notation.md, "The same workout"), so that an athlete's
earlier runs of a workout are one indexed query (``sessions.workout_history``).

Existing logs get the key of the notation they recorded (``planned_notation``), or of their
session's notation when they recorded none. A notation that no longer parses, or has no reps,
leaves the key blank: such a log has no history. Backwards there is nothing to undo."""

from django.db import migrations, models

from coach import notation


def _key(text: str) -> str:
    try:
        return notation.workout_key(notation.parse(text)) if text else ""
    except notation.NotationError:
        return ""


def backfill(apps, schema_editor):
    SessionLog = apps.get_model("training", "SessionLog")
    logs = list(SessionLog.objects.select_related("session").only(
        "pk", "planned_notation", "session__notation"))
    keys: dict[str, str] = {}
    changed = []
    for log in logs:
        text = log.planned_notation or log.session.notation
        if text not in keys:
            keys[text] = _key(text)
        if keys[text]:
            log.workout_key = keys[text]
            changed.append(log)
    SessionLog.objects.bulk_update(changed, ["workout_key"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("athletes", "0001_initial"),
        ("training", "0009_athlete_versions"),
    ]

    operations = [
        migrations.AddField(
            model_name="sessionlog",
            name="workout_key",
            field=models.CharField(
                blank=True, editable=False, max_length=32,
                help_text="coach.notation.workout_key of planned_notation: the same workout, "
                          "however spelled (sessions.workout_history); blank without reps.",
            ),
        ),
        migrations.AddIndex(
            model_name="sessionlog",
            index=models.Index(fields=["athlete", "workout_key", "-date_done"],
                               name="log_workout_history"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
