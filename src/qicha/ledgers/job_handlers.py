"""Background jobs of the sector ledgers: the export (exactly the filtered rows of the list, in the owner's scope)."""

from qicha.jobs.registry import ledger_export_handler

from . import exporting

ledger_export_handler("ledgers.export", "导出专项治理台账", parse=exporting.parse, file_name=exporting.file_name,
                      export=exporting.export_rows)
