from qicha.core.errors import Forbidden
from qicha.core.scope import has_permission


def require_permission(actor, permission: str) -> None:
    if not has_permission(actor, permission):
        raise Forbidden()
