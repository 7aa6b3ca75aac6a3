"""A register number per activity, unique per board and never reused: existing activities (and
deleted ones, which live on in the history) are numbered per board in the order they were made."""

from django.db import migrations, models


def number_activities(apps, schema_editor):
    Activity = apps.get_model("processing", "ProcessingActivity")
    Historical = apps.get_model("processing", "HistoricalProcessingActivity")
    # Every activity that ever existed (the history keeps deleted ones; the live table those
    # made without history, e.g. by a bulk load), per board in the order they were made.
    ids = sorted(
        set(Historical.objects.values_list("board_id", "id"))
        | set(Activity.objects.values_list("board_id", "id"))
    )
    next_number: dict[int, int] = {}
    for board, pk in ids:
        number = next_number.get(board, 0) + 1
        next_number[board] = number
        Activity.objects.filter(pk=pk).update(number=number)
        Historical.objects.filter(id=pk).update(number=number)


class Migration(migrations.Migration):
    dependencies = [("processing", "0009_statement_version_label_and_activity_order")]

    operations = [
        migrations.AddField(
            model_name="processingactivity",
            name="number",
            field=models.PositiveIntegerField(
                editable=False, null=True, verbose_name="registernummer"
            ),
        ),
        migrations.AddField(
            model_name="historicalprocessingactivity",
            name="number",
            field=models.PositiveIntegerField(
                editable=False, null=True, verbose_name="registernummer"
            ),
        ),
        migrations.RunPython(number_activities, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="processingactivity",
            name="number",
            field=models.PositiveIntegerField(editable=False, verbose_name="registernummer"),
        ),
        migrations.AlterField(
            model_name="historicalprocessingactivity",
            name="number",
            field=models.PositiveIntegerField(editable=False, verbose_name="registernummer"),
        ),
        migrations.AddConstraint(
            model_name="processingactivity",
            constraint=models.UniqueConstraint(
                fields=("board", "number"), name="activity_unique_number_per_board"
            ),
        ),
    ]
