from .definitions import change_definition, create_definition, definition_from_header, guess_columns
from .monthly import declare_nil
from .problems import open_problem, row_summary
from .rows import EDIT, build_context, clean_values, create_row, import_rows, update_row

__all__ = ["EDIT", "build_context", "change_definition", "clean_values", "create_definition", "create_row", "declare_nil",
           "definition_from_header", "guess_columns", "import_rows", "open_problem", "row_summary", "update_row"]
