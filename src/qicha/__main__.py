"""`python -m qicha …` works like manage.py, for a checkout and for an installed wheel."""

import os
import sys


def main() -> None:
    if sys.argv[1:3] == ["screening", "run"] and not any(a.startswith("--settings") for a in sys.argv):
        # The data comparison needs no Django (its engine touches no model): its start would cost more CPU than a
        # city's comparison (bench/README.md, 数据比对).
        from qicha.screening.engine.cli import main as screening_run

        sys.exit(screening_run(sys.argv[3:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qicha.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line([sys.argv[0] if sys.argv[0] != "-m" else "qicha", *sys.argv[1:]])


if __name__ == "__main__":
    main()
