"""The built-in definitions (data/builtin_definitions.json), created after migrate when missing. Idempotent: a
definition the office has since edited is left as it is (they are editable like any other).

Installation data, like the built-in roles: written by `migrate` before any key or actor exists, so not an audited
act (the chain starts with the first person's act; every later change of a definition is audited)."""

import json
from pathlib import Path

from django.db import transaction

from .columns import normalise_column
from .models import LedgerDefinition, LedgerDefinitionVersion

DATA = Path(__file__).parent / "data" / "builtin_definitions.json"


def builtin_definitions() -> list[dict]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def ensure_builtin_definitions() -> int:
    created = 0
    for spec in builtin_definitions():
        if LedgerDefinition.objects.filter(key=spec["key"]).exists():
            continue
        with transaction.atomic():
            columns = [normalise_column(column) for column in spec["columns"]]
            definition = LedgerDefinition.objects.create(
                key=spec["key"], name=spec["name"], check_item=spec.get("check_item"),
                unit_kinds=spec.get("unit_kinds", []), frequency=spec["frequency"],
                description=spec.get("description", ""), columns=columns,
                unique_columns=spec.get("unique_columns", []), builtin=True)
            LedgerDefinitionVersion.objects.create(definition=definition, number=1, name=definition.name,
                                                   columns=columns, unique_columns=definition.unique_columns,
                                                   note="内置台账")
        created += 1
    return created
