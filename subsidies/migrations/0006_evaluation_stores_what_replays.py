"""Evaluations keep what a replay needs, not a copy of the answer (issue 15: 3.7 KB per row before).

The applied clause's group outcomes are carried over from each stored trace; the trace and the full
answer are then dropped (they are rebuilt on read from the rule version). Rows evaluated before this
migration have no facts digest: they replay with the application's facts.
"""
from django.db import migrations, models


def groups_from_traces(apps, schema_editor):
    Evaluation = apps.get_model("subsidies", "Evaluation")
    batch = []
    for evaluation in Evaluation.objects.exclude(trace=[]).only("pk", "trace").iterator(chunk_size=2000):
        evaluation.groups_met = [group.get("met") for group in evaluation.trace or []]
        batch.append(evaluation)
        if len(batch) >= 2000:
            Evaluation.objects.bulk_update(batch, ["groups_met"])
            batch = []
    if batch:
        Evaluation.objects.bulk_update(batch, ["groups_met"])


class Migration(migrations.Migration):

    dependencies = [
        ('rules', '0005_case_unmet'),
        ('subsidies', '0005_reevaluation_is_a_job'),
    ]

    operations = [
        migrations.AddField(
            model_name='evaluation',
            name='facts_digest',
            field=models.CharField(blank=True, help_text='SHA-256 (first 16 hex) of the facts evaluated.', max_length=16),
        ),
        migrations.AddField(
            model_name='evaluation',
            name='groups_met',
            field=models.JSONField(blank=True, default=list, help_text="The applied clause's condition groups as evaluated: true, false or null each."),
        ),
        migrations.RunPython(groups_from_traces, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='evaluation',
            name='result',
        ),
        migrations.RemoveField(
            model_name='evaluation',
            name='trace',
        ),
        migrations.AddIndex(
            model_name='evaluation',
            index=models.Index(fields=['application', '-created_at'], name='evaluation_latest_idx'),
        ),
    ]
