"""Optimistic concurrency: every edit names the version it started from; a stale edit writes nothing."""

from django.db.models import F, Model

from .errors import Conflict


def claim_version(instance: Model, expected_version: int | None, **still) -> None:
    """Atomically move `instance` from `expected_version` to the next one, or raise Conflict.

    Call inside the service's transaction before saving the other fields; a concurrent editor who
    started from the same version then finds nothing to claim and gets the conflict.
    """
    if expected_version is None:
        raise Conflict("缺少版本号（version），无法确认您修改的是最新内容。")
    # `still` adds conditions that must hold at the moment of the claim (e.g. status__in=editable statuses).
    updated = type(instance).objects.filter(pk=instance.pk, version=expected_version, **still).update(
        version=F("version") + 1
    )
    if not updated:
        raise Conflict()
    instance.version = int(expected_version) + 1
