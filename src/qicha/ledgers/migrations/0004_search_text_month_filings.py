"""A row's folded text (what a text search reads) and the monthly ledgers' filings, both filled in for the rows that
exist: a monthly ledger counts as filled by a unit in the months it added (or last edited) rows."""

import unicodedata

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

TEXTUAL = {"text", "longtext"}


def backfill(apps, schema_editor):
    LedgerDefinition = apps.get_model("ledgers", "LedgerDefinition")
    LedgerRow = apps.get_model("ledgers", "LedgerRow")
    LedgerMonthFiling = apps.get_model("ledgers", "LedgerMonthFiling")
    for definition in LedgerDefinition.objects.all():
        keys = [c["key"] for c in definition.columns if c["type"] in TEXTUAL]
        batch, filings = [], {}
        for row in LedgerRow.objects.filter(definition=definition).only(
                "pk", "values", "unit_id", "created_at", "updated_at").iterator(chunk_size=2000):
            row.search_text = "\n".join(unicodedata.normalize("NFKC", str(row.values[k])).casefold()
                                        for k in keys if row.values.get(k))
            batch.append(row)
            if len(batch) >= 2000:
                LedgerRow.objects.bulk_update(batch, ["search_text"])
                batch = []
            if definition.frequency == "monthly":
                created = timezone.localdate(row.created_at).replace(day=1)
                filings[(row.unit_id, created)] = filings.get((row.unit_id, created), 0) + 1
                filings.setdefault((row.unit_id, timezone.localdate(row.updated_at).replace(day=1)), 0)
        LedgerRow.objects.bulk_update(batch, ["search_text"])
        LedgerMonthFiling.objects.bulk_create(
            LedgerMonthFiling(definition=definition, unit_id=unit_id, month=month, added=added)
            for (unit_id, month), added in filings.items())


class Migration(migrations.Migration):

    dependencies = [
        ("ledgers", "0003_row_problem"),
        ("orgs", "0006_password_reset_dual_control"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="ledgerrow",
            name="search_text",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.CreateModel(
            name="LedgerMonthFiling",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField(verbose_name="月份")),
                ("added", models.PositiveIntegerField(default=0, verbose_name="新增条数")),
                ("nil", models.BooleanField(default=False, verbose_name="零报告")),
                ("filed_at", models.DateTimeField(auto_now=True)),
                ("definition", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="filings",
                                                 to="ledgers.ledgerdefinition")),
                ("filed_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                               related_name="+", to=settings.AUTH_USER_MODEL)),
                ("unit", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                           to="orgs.unit")),
            ],
            options={
                "verbose_name": "台账月度填报",
                "ordering": ["definition", "month", "unit"],
                "indexes": [models.Index(fields=["definition", "month", "unit"], name="ledger_filing_month")],
                "constraints": [models.UniqueConstraint(fields=("definition", "unit", "month"),
                                                        name="ledger_filing_unique")],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
