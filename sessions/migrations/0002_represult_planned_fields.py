# Issue 5: a rep result keeps a copy of the plan it was logged against (planned distance,
# target as written, lactate band, set and rep numbers), so it reads right after the plan changes.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('training', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='represult',
            name='planned_distance_m',
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='represult',
            name='target_text',
            field=models.CharField(blank=True, max_length=80),
        ),
        migrations.AddField(
            model_name='represult',
            name='lactate_lo',
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='represult',
            name='lactate_hi',
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='represult',
            name='set_number',
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='represult',
            name='rep_number',
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddConstraint(
            model_name='represult',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('lactate_lo__isnull', True), models.Q(('lactate_lo__gte', 0), ('lactate_lo__lte', 30)), _connector='OR'), models.Q(('lactate_hi__isnull', True), models.Q(('lactate_hi__gte', 0), ('lactate_hi__lte', 30)), _connector='OR')), name='rep_lactate_band_range'),
        ),
        migrations.AddConstraint(
            model_name='represult',
            constraint=models.CheckConstraint(condition=models.Q(('planned_distance_m__isnull', True), ('planned_distance_m__gt', 0), _connector='OR'), name='rep_planned_distance_positive'),
        ),
    ]
