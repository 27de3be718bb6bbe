"""Attachments: type decided by content (not by name), size limited, stored once per SHA-256, names sanitised."""

import hashlib
import re
import unicodedata
from pathlib import Path

import filetype
from django.conf import settings
from django.db import transaction

from .audit import EventType, record_event
from .errors import Invalid
from .models import Attachment

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
        with partial.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        partial.replace(target)
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
