"""On PostgreSQL, one GIN index over every row's values (jsonb_path_ops): a list's exact filter on any column of any
ledger is `values @> {...}`, served by it, with no index per column. SQLite has no such index and uses the key table."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS ledger_row_values_gin ON ledgers_ledgerrow USING gin (\"values\" jsonb_path_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS ledger_row_values_gin")


class Migration(migrations.Migration):
    dependencies = [("ledgers", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
