"""Attachments: type decided by content (not by name), size limited, stored once per SHA-256, names sanitised."""

import hashlib
import logging
import re
import unicodedata
from pathlib import Path

import filetype
from django.conf import settings
from django.db import transaction

from .audit import EventType, record_event
from .errors import Invalid
from .models import Attachment

log = logging.getLogger(__name__)

KIND_LABELS = {
    "pdf": "PDF 文档", "jpg": "JPEG 图片", "png": "PNG 图片", "docx": "Word 文档", "xlsx": "Excel 表格",
    "doc": "Word 97-2003 文档", "xls": "Excel 97-2003 表格",
}
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
NAME_EXTENSIONS = {"jpeg": "jpg", "jpg": "jpg"}


def sanitise_name(name: str) -> str:
    """Keep the readable (Chinese) name; drop paths, control and reserved characters."""
    name = unicodedata.normalize("NFC", Path(name.replace("\\", "/")).name)
    name = re.sub(r'[\x00-\x1f\x7f<>:"/\\|?*]', "", name).strip(" .")
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 120 - len(ext) - 1] + dot + ext) if dot else name[:120]
    return name or "附件"


def detect_kind(head: bytes, name: str) -> str | None:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    guess = filetype.guess(head)
    if guess is not None and guess.extension in KIND_LABELS:
        return guess.extension
    # Old Office files are OLE compound documents; the container is checked, the name says which one.
    if head.startswith(OLE_SIGNATURE) and extension in ("doc", "xls"):
        return extension
    return None


# What must be inside an Office file of each kind, and what marks one that carries macros. The extension and the
# container's magic bytes say nothing about either: a .docx may be any ZIP, a .doc any OLE compound file.
ZIP_REQUIRED = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
OLE_REQUIRED = {"doc": {"worddocument"}, "xls": {"workbook", "book"}}
OLE_MACRO_ENTRIES = {"macros", "_vba_project_cur", "_vba_project", "vba"}
MACRO_CONTENT_TYPES = ("macroenabled", "vbaproject")


def _invalid(message: str) -> Invalid:
    return Invalid(message, {"file": message})


def check_office_structure(data: bytes, kind: str, name: str) -> None:
    """Refuse an Office file whose inside is not the claimed kind, or that carries macros (VBA)."""
    import io
    import zipfile

    label = KIND_LABELS[kind]
    macro = f"文件“{name}”含有宏（VBA 代码），为安全起见不能上传。请另存为不含宏的文档（如 .docx、.xlsx 或 PDF）后重新上传。"
    broken = f"文件“{name}”不是有效的{label}（内部结构不符），可能已损坏或是改了扩展名的其他文件。"
    if kind in ZIP_REQUIRED:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                names = {n.lower() for n in package.namelist()}
                listing = next((i for i in package.infolist() if i.filename == "[Content_Types].xml"), None)
                # A few kB in any real package; a bigger one is not read (a ZIP bomb would inflate here).
                types = package.read(listing).decode("utf-8", "replace").lower() \
                    if listing is not None and listing.file_size < 1024 * 1024 else ""
        except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError, NotImplementedError):
            raise _invalid(broken) from None
        if any(n.rsplit("/", 1)[-1] == "vbaproject.bin" for n in names) or any(t in types for t in MACRO_CONTENT_TYPES):
            raise _invalid(macro)
        if not types or ZIP_REQUIRED[kind] not in names:
            raise _invalid(broken)
    elif kind in OLE_REQUIRED:
        entries = ole_entry_names(data)
        if entries is None:
            raise _invalid(broken)
        if entries & OLE_MACRO_ENTRIES:
            raise _invalid(macro)
        if not entries & OLE_REQUIRED[kind]:
            raise _invalid(broken)


def ole_entry_names(data: bytes) -> set[str] | None:
    """The names (lower case) of every storage and stream in an OLE compound file (MS-CFB), or None when the
    container is malformed. Only the directory is read; bounded so a crafted file cannot loop."""
    import struct

    if len(data) < 512 or not data.startswith(OLE_SIGNATURE):
        return None
    sector_shift, = struct.unpack_from("<H", data, 0x1E)
    if sector_shift not in (9, 12):
        return None
    size = 1 << sector_shift
    fat_count, first_dir = struct.unpack_from("<I", data, 0x2C)[0], struct.unpack_from("<I", data, 0x30)[0]
    difat_next, difat_count = struct.unpack_from("<II", data, 0x44)
    sectors = len(data) // size

    def sector(number: int) -> bytes | None:
        start = size + number * size  # sector 0 follows the header
        return data[start:start + size].ljust(size, b"\0") if start < len(data) else None

    fat_sectors = [n for n in struct.unpack_from("<109I", data, 0x4C) if n < 0xFFFFFFFA]
    for _ in range(min(difat_count, sectors)):
        if difat_next >= 0xFFFFFFFA:
            break
        block = sector(difat_next)
        if block is None or len(block) < size:
            return None
        values = struct.unpack(f"<{size // 4}I", block)
        fat_sectors += [n for n in values[:-1] if n < 0xFFFFFFFA]
        difat_next = values[-1]
    if len(fat_sectors) < min(fat_count, 1):
        return None
    fat: list[int] = []
    for number in fat_sectors[:fat_count or len(fat_sectors)]:
        block = sector(number)
        if block is None or len(block) < size:
            return None
        fat += struct.unpack(f"<{size // 4}I", block)
    names, current, seen = set(), first_dir, set()
    while current < 0xFFFFFFFA:
        if current in seen or current >= len(fat):
            return None
        seen.add(current)
        block = sector(current)
        if block is None or len(block) < size:
            return None
        for offset in range(0, size, 128):
            length, kind = struct.unpack_from("<HB", block, offset + 0x40)
            if kind in (1, 2) and 2 <= length <= 64:
                names.add(block[offset:offset + length - 2].decode("utf-16-le", "replace").lower())
        current = fat[current]
    return names


def blob_path(sha256: str) -> Path:
    return Path(settings.MEDIA_ROOT) / sha256[:2] / sha256[2:4] / sha256


def store_upload(actor, upload) -> Attachment:
    """Check and keep one uploaded file (a Django UploadedFile)."""
    limit_mb = settings.ATTACHMENT_MAX_MB
    name = sanitise_name(upload.name or "")
    if upload.size > limit_mb * 1024 * 1024:
        raise Invalid(f"文件“{name}”大小为 {upload.size / 1024 / 1024:.1f} MB，超过 {limit_mb} MB 的上限。", {"file": "文件过大"})
    if upload.size == 0:
        raise Invalid(f"文件“{name}”是空文件。", {"file": "空文件"})
    upload.seek(0)
    head = upload.read(8192)
    kind = detect_kind(head, name)
    if kind is None:
        allowed = "、".join(KIND_LABELS.values())
        message = f"文件“{name}”的内容不是允许的类型（{allowed}）。"
        raise Invalid(message, {"file": message})
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if NAME_EXTENSIONS.get(extension, extension) != kind:
        raise Invalid(f"文件“{name}”的内容是{KIND_LABELS[kind]}，与扩展名不符。", {"file": "内容与扩展名不符"})
    if kind in ZIP_REQUIRED or kind in OLE_REQUIRED:
        upload.seek(0)
        check_office_structure(upload.read(), kind, name)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    sha256 = digest.hexdigest()
    target = blob_path(sha256)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        upload.seek(0)
        try:
            with partial.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            partial.replace(target)
        except OSError as exc:
            # Disk full (or a quota): nothing half-written stays behind, and the user is told plainly.
            partial.unlink(missing_ok=True)
            log.error("附件未能保存（%s）：%s", type(exc).__name__, exc)
            message = f"服务器存储空间不足，文件“{name}”未能保存，本次提交未生效。请稍后重试或联系系统管理员。"
            raise Invalid(message, {"file": message}) from exc
    with transaction.atomic():
        attachment = Attachment.objects.create(
            sha256=sha256, size=upload.size, name=name, kind=kind, uploaded_by=actor, unit=actor.unit
        )
        record_event(EventType.CREATE, actor=actor, obj=attachment, after={"name": name, "sha256": sha256, "size": upload.size})
    return attachment


def own_unlinked(actor, ids: list[int]) -> list[Attachment]:
    """Attachments the actor uploaded, for linking to a record they are writing. Unknown ids are an error."""
    ids = [int(i) for i in ids or []]
    found = list(Attachment.objects.filter(pk__in=ids, uploaded_by=actor))
    if len(found) != len(set(ids)):
        raise Invalid("附件不存在或不是您上传的。", {"attachments": "附件不存在或不是您上传的"})
    return found


def download_response(attachment: Attachment):
    """The stored file as a download. The caller has already found `attachment` through a scoped query."""
    from django.http import FileResponse, Http404

    path = blob_path(attachment.sha256)
    if not path.exists():
        raise Http404("附件文件缺失，请联系系统管理员从备份恢复。")
    return FileResponse(path.open("rb"), as_attachment=True, filename=attachment.name)
