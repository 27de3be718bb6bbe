"""Between preview and confirm: the upload is kept under VAR_DIR/imports for its owner only, a day at most."""

import hashlib
import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from ..errors import NotFound

STASH_MAX_AGE = 24 * 3600
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


@dataclass(frozen=True)
class Stashed:
    token: str
    path: Path
    file_name: str
    sha256: str
    params: dict

    def read(self) -> bytes:
        return self.path.read_bytes()


def _stash_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def stash(actor, data: bytes, file_name: str, *, kind: str, params: dict | None = None) -> str:
    """Keep a checked upload until confirmed; returns the token naming it. Sweeps uploads older than a day."""
    purge_stale()
    token = secrets.token_urlsafe(24)
    folder = _stash_dir()
    (folder / f"{token}.xlsx").write_bytes(data)
    sidecar = {"user_id": actor.pk, "kind": kind, "file_name": file_name, "sha256": hashlib.sha256(data).hexdigest(),
               "created": time.time(), "params": params or {}}
    (folder / f"{token}.json").write_text(json.dumps(sidecar, ensure_ascii=False), encoding="utf-8")
    return token


def load_stashed(actor, token: str, *, kind: str) -> Stashed:
    """The stashed upload, for the user who made it only (anyone else, and unknown or stale tokens: NotFound)."""
    if not TOKEN.match(token or ""):
        raise NotFound()
    folder = _stash_dir()
    path, sidecar = folder / f"{token}.xlsx", folder / f"{token}.json"
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise NotFound() from None
    fresh = time.time() - meta.get("created", 0) < STASH_MAX_AGE
    if meta.get("user_id") != actor.pk or meta.get("kind") != kind or not fresh or not path.exists():
        raise NotFound()
    return Stashed(token, path, meta["file_name"], meta["sha256"], meta.get("params") or {})


def discard(token: str) -> None:
    if TOKEN.match(token or ""):
        folder = _stash_dir()
        for suffix in (".xlsx", ".json"):
            (folder / f"{token}{suffix}").unlink(missing_ok=True)


def purge_stale(max_age: float = STASH_MAX_AGE) -> int:
    """Remove stashed uploads older than `max_age` seconds (they hold personal data in clear)."""
    removed = 0
    cutoff = time.time() - max_age
    for path in _stash_dir().iterdir():
        if path.suffix in (".xlsx", ".json") and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed

