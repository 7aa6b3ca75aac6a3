from django.db import migrations


def fill(apps, schema_editor):
    # The rules live in code (processing/lint.py), not in the models' state: the findings are
    # worked out by today's rules from today's tables, which this migration runs after.
    from processing.findings import findings_refresh
    from processing.models import ProcessingActivity

    findings_refresh(ProcessingActivity.objects.values_list("pk", flat=True))


class Migration(migrations.Migration):
    dependencies = [
        ("processing", "0005_activity_findings"),
        ("retention", "0003_note_bounded"),  # the rules read an activity's retention rules
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
