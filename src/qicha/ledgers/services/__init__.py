from .definitions import change_definition, create_definition, definition_from_header, guess_columns
from .problems import open_problem, row_summary
from .rows import build_context, clean_values, create_row, import_rows, update_row

__all__ = ["build_context", "change_definition", "clean_values", "create_definition", "create_row",
           "definition_from_header", "guess_columns", "import_rows", "open_problem", "row_summary", "update_row"]
