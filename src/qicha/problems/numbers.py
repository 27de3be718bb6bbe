"""The 问题编号 (P000123): its own module so the model's __str__ can use it without importing the importer."""


def format_problem_no(pk: int) -> str:
    """The 问题编号 shown in exports and read back by the import: P + the id padded to six digits (P000123)."""
    return f"P{pk:06d}"
