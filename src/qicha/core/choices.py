"""The one wording of a refused choice: the Chinese labels a person reads and the codes an API caller sends."""

from django.db.models import TextChoices


def choice_error(what: str, choices: type[TextChoices]) -> str:
    """"请选择答复方式（当面、电话、书面、其他）；可选代码：in_person, phone, written, other"."""
    labels = "、".join(str(label) for label in choices.labels)
    return f"请选择{what}（{labels}）；可选代码：{', '.join(choices.values)}"
