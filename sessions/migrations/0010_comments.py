"""The thread under each log (issue 18): comments, remarks on reps, private notes, read marks.

The one-way ``SessionLog.coach_comment`` becomes the first comment of the log's thread, by
the coach of the log's block (the coach who could write it), dated when the log last changed;
then the field goes. Backwards, the coaches' public comments are joined into the field again.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def comments_into_threads(apps, schema_editor):
    SessionLog = apps.get_model("training", "SessionLog")
    Comment = apps.get_model("training", "Comment")
    logs = SessionLog.objects.exclude(coach_comment="").select_related("session__block")
    Comment.objects.bulk_create(
        Comment(log=log, author_id=log.session.block.coach_id, body=log.coach_comment.strip(),
                created=log.updated)
        for log in logs.iterator() if log.coach_comment.strip()
    )


def threads_into_comments(apps, schema_editor):
    SessionLog = apps.get_model("training", "SessionLog")
    Comment = apps.get_model("training", "Comment")
    texts: dict[int, list[str]] = {}
    for comment in (Comment.objects.filter(private=False)
                    .exclude(author=models.F("log__athlete__user")).order_by("created", "pk")):
        texts.setdefault(comment.log_id, []).append(comment.body)
    for log_id, bodies in texts.items():
        SessionLog.objects.filter(pk=log_id).update(coach_comment="\n\n".join(bodies))


class Migration(migrations.Migration):

    dependencies = [
        ('training', '0009_athlete_versions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Comment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('body', models.TextField(max_length=2000)),
                ('private', models.BooleanField(default=False, help_text="A coach's note the athlete does not see.")),
                ('created', models.DateTimeField(default=django.utils.timezone.now)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='log_comments', to=settings.AUTH_USER_MODEL)),
                ('log', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='training.sessionlog')),
                ('rep', models.ForeignKey(blank=True, help_text='The rep this is a remark on.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='remarks', to='training.represult')),
            ],
            options={
                'ordering': ['created', 'pk'],
                'indexes': [models.Index(fields=['log', 'created'], name='training_co_log_id_81f82a_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('body', ''), _negated=True), name='comment_not_empty')],
            },
        ),
        migrations.CreateModel(
            name='CommentRead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seen_at', models.DateTimeField()),
                ('log', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reads', to='training.sessionlog')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='comment_reads', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('user', 'log'), name='one_read_mark_per_log')],
            },
        ),
        migrations.RunPython(comments_into_threads, threads_into_comments),
        migrations.RemoveField(
            model_name='sessionlog',
            name='coach_comment',
        ),
    ]
