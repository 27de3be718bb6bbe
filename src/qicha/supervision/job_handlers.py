"""Background jobs of the supervision ledgers: their Excel exports."""

from qicha.jobs.registry import ledger_export_handler

from . import exporting
from .queries import accountability as accountability_queries
from .queries import inspections as inspection_queries

ledger_export_handler("letters.export", "导出责任书承诺书签订台账", parse=exporting.LetterFilters.from_params,
                      file_name=exporting.letter_file_name, export=exporting.export_letters)
ledger_export_handler("inspections.export", "导出督导检查台账", parse=inspection_queries.InspectionFilters.from_params,
                      file_name=exporting.inspection_file_name, export=exporting.export_inspections)
ledger_export_handler("accountability.export", "导出问责台账",
                      parse=accountability_queries.AccountabilityFilters.from_params,
                      file_name=exporting.accountability_file_name, export=exporting.export_accountability)
