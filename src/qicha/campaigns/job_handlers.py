"""Background jobs of the campaigns app: the self-inspection ledger's Excel export (exactly the units the coverage
page lists for the same filters, in the owner's coverage scope)."""

from qicha.jobs.registry import ledger_export_handler

from . import exporting, queries

ledger_export_handler("campaigns.self_inspection_export", "导出自查自纠台账", parse=queries.CoverageFilters.from_params,
                      file_name=exporting.file_name, export=exporting.export_self_inspections)
