"""The village's code copied onto each TPS (and its history), collated "C" on PostgreSQL
so that a region-prefix LIKE can use the index that also orders the TPS list."""

from django.db import migrations, models


def copy_village_codes(apps, schema_editor):
    Region = apps.get_model("coordination", "Region")
    code = models.Subquery(Region.objects.filter(pk=models.OuterRef("village_id")).values("code")[:1])
    for name in ("PollingStation", "HistoricalPollingStation"):
        apps.get_model("coordination", name).objects.update(village_code=code)


def collate_c(apps, schema_editor):
    # Under a language collation (en_US.UTF-8, the postgres image's default) a btree
    # cannot answer LIKE '64.01.%'; under "C" it can, and dotted codes of fixed-width
    # parts sort the same either way. SQLite compares bytes already.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'ALTER TABLE coordination_pollingstation ALTER COLUMN village_code TYPE varchar(13) COLLATE "C"'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("coordination", "0005_workflow_ground"),
    ]

    operations = [
        migrations.AddField(
            model_name="pollingstation",
            name="village_code",
            field=models.CharField(default="", editable=False, max_length=13, verbose_name="village code"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalpollingstation",
            name="village_code",
            field=models.CharField(default="", editable=False, max_length=13, verbose_name="village code"),
            preserve_default=False,
        ),
        migrations.RunPython(copy_village_codes, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(collate_c, migrations.RunPython.noop, elidable=False),
        migrations.AlterModelOptions(
            name="pollingstation",
            options={
                "ordering": ["village_code", "number"],
                "verbose_name": "polling station (TPS)",
                "verbose_name_plural": "polling stations (TPS)",
            },
        ),
        migrations.AddIndex(
            model_name="pollingstation",
            index=models.Index(fields=["village_code", "number", "election", "id"], name="tps_by_village_code"),
        ),
    ]
