"""Importing a register: columns checked before anything is kept, the file stored under var/ with its digest.
A negative list is also turned into blind-indexed entries at once (the 联审 asks about it long after its file is
gone)."""

import hashlib
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from qicha.core.audit import EventType, record_event
from qicha.core.crypto import blind_index
from qicha.core.errors import Invalid

from ..engine import KINDS, RegisterError
from ..engine.run import check_columns, negative_entries
from ..models import NegativeEntry, Register, RegisterKind
from .access import require_runner

SUFFIXES = (".csv", ".txt", ".xlsx", ".xls", ".xlsm", ".parquet", ".pq")


def register_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "screening" / "registers"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def stored_path(register: Register) -> Path | None:
    return register_dir() / register.stored_name if register.stored_name else None


def _copy_in(upload, target: Path) -> tuple[int, str]:
    """Write the upload (a Django file or a path on the server, for the command and tests) to `target`, hashing."""
    if isinstance(upload, str | Path):
        with open(upload, "rb") as source:
            return _copy_stream(source, target)
    if upload is None:
        raise Invalid(details={"file": "请选择文件。"})
    return _copy_stream(upload, target)


def _copy_stream(source, target: Path) -> tuple[int, str]:
    sha, size = hashlib.sha256(), 0
    limit = settings.SCREENING_MAX_UPLOAD_MB << 20
    if hasattr(source, "seek"):
        source.seek(0)
    with open(target, "wb") as out:
        chunks = source.chunks() if hasattr(source, "chunks") else iter(lambda: source.read(4 << 20), b"")
        for chunk in chunks:
            size += len(chunk)
            if size > limit:
                raise Invalid(f"文件超过 {settings.SCREENING_MAX_UPLOAD_MB} MB，请分批导入或改用 Parquet。",
                              {"file": "文件过大"})
            sha.update(chunk)
            out.write(chunk)
    return size, sha.hexdigest()


def import_register(actor, *, kind: str, upload, file_name: str, source: str = "",
                    keep_file: bool | None = None) -> Register:
    """Store one register file of `kind` (CSV / Excel / Parquet), refusing one that lacks columns."""
    require_runner(actor)
    errors = {}
    if kind not in KINDS:
        errors["kind"] = f"请选择名册类型（{'、'.join(label for _, label in RegisterKind.choices)}）。"
    file_name = Path(file_name or "").name
    if not file_name:
        errors["file"] = "请选择文件。"
    elif Path(file_name).suffix.lower() not in SUFFIXES:
        errors["file"] = "文件格式不支持：请使用 CSV、Excel（.xlsx）或 Parquet。"
    if errors:
        raise Invalid(details=errors)
    stored_name = f"{uuid.uuid4().hex}{Path(file_name).suffix.lower()}"
    target = register_dir() / stored_name
    try:
        size, digest = _copy_in(upload, target)
        try:
            check_columns(kind, target, file_name)
        except RegisterError as exc:
            raise Invalid(exc.message, {"file": exc.message}) from None
        keep = settings.SCREENING_KEEP_REGISTERS if keep_file is None else bool(keep_file)
        with transaction.atomic():
            register = Register.objects.create(kind=kind, file_name=file_name, stored_name=stored_name, size=size,
                                               digest=digest, source=(source or "").strip()[:100], keep_file=keep,
                                               uploaded_by=actor)
            if kind == RegisterKind.NEGATIVE_LIST:
                _store_negative_entries(register, target)
            record_event(EventType.CREATE, actor=actor, obj=register, action="import_register",
                         after={"kind": kind, "file_name": file_name, "size": size, "sha256": digest,
                                "rows": register.rows, "bad": register.bad})
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    if kind == RegisterKind.NEGATIVE_LIST and not keep:
        delete_file(register)  # its entries are kept as digests; the clear numbers go
    return register


def _store_negative_entries(register: Register, path: Path) -> None:
    try:
        rows, stats = negative_entries(path)
    except RegisterError as exc:
        raise Invalid(exc.message, {"file": exc.message}) from None
    NegativeEntry.objects.bulk_create(
        [NegativeEntry(register=register, id_index=blind_index(number, "id_number"), ground=ground[:200])
         for number, _name, ground in rows], batch_size=2000)
    register.rows, register.bad = stats.rows, stats.bad
    register.save(update_fields=["rows", "bad"])


def delete_file(register: Register) -> None:
    """Remove the bulk file (the run's record keeps its digest and counts)."""
    path = stored_path(register)
    if path is not None:
        path.unlink(missing_ok=True)
    Register.objects.filter(pk=register.pk).update(stored_name="", file_deleted_at=timezone.now())
    register.stored_name, register.file_deleted_at = "", timezone.now()


def discard_register(actor, register: Register) -> None:
    """The office removes a register it imported by mistake (its file and, for a negative list, its entries)."""
    require_runner(actor)
    with transaction.atomic():
        record_event(EventType.DELETE, actor=actor, obj=register, action="discard_register",
                     before={"kind": register.kind, "file_name": register.file_name, "sha256": register.digest})
        path = stored_path(register)
        register.negative_entries.all().delete()
        if register.runs.exists():
            Register.objects.filter(pk=register.pk).update(stored_name="", file_deleted_at=timezone.now())
        else:
            register.delete()
    if path is not None:
        path.unlink(missing_ok=True)

