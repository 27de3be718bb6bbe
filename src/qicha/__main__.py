"""`python -m qicha …` works like manage.py, for a checkout and for an installed wheel."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qicha.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line([sys.argv[0] if sys.argv[0] != "-m" else "qicha", *sys.argv[1:]])


if __name__ == "__main__":
    main()
