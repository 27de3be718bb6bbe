"""The checks an upload passes before it is read: size, genuine .xlsx (or .xls), no zip bomb."""

import io
import zipfile

from django.conf import settings

from ..errors import Invalid

MAX_UNPACKED_MB = 200          # an .xlsx is a zip: refuse archives that would inflate beyond this


def max_bytes() -> int:
    return settings.ATTACHMENT_MAX_MB * 1024 * 1024


def check_size(size: int, name: str) -> None:
    """Called before reading an upload into memory; `check_upload` repeats it."""
    shown = name or "上传的文件"
    if not size:
        raise Invalid(f"文件“{shown}”是空文件。", {"file": f"文件“{shown}”是空文件。"})
    if size > max_bytes():
        limit_mb = settings.ATTACHMENT_MAX_MB
        message = f"文件“{shown}”大小为 {size / 1024 / 1024:.1f} MB，超过 {limit_mb} MB 的上限。"
        raise Invalid(message, {"file": message})


OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # old binary .xls (Excel 97–2003, WPS), also .doc


def check_upload(data: bytes, name: str, *, allow_xls: bool = False) -> None:
    """Refuse anything but a genuine .xlsx (or, with `allow_xls`, a genuine .xls) of sensible size: CSV, renamed
    text or Word files, zip bombs. With `allow_xls` the content decides, not the extension: WPS often saves one
    format under the other's name."""
    shown = name or "上传的文件"
    check_size(len(data), name)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if allow_xls:
        redo = "请用 Excel 或 WPS 另存为“Excel 工作簿（*.xlsx）”后重新上传。"
        if extension not in ("xlsx", "xls"):
            message = f"只能导入 Excel 文件（.xlsx 或 .xls），“{shown}”不是。{redo}"
            raise Invalid(message, {"file": message})
        if data.startswith(OLE2_MAGIC):
            _check_xls(data, shown, redo)
            return
    else:
        redo = "请用 Excel 或 WPS 另存为“Excel 工作簿（*.xlsx）”后重新上传。"
        if extension != "xlsx":
            message = f"只能导入 Excel 工作簿（.xlsx）文件，“{shown}”不是。{redo}"
            raise Invalid(message, {"file": message})
    message = f"文件“{shown}”不是有效的 Excel（.xlsx）文件。{redo}"
    if not data.startswith(b"PK\x03\x04"):
        raise Invalid(message, {"file": message})
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise Invalid(message, {"file": message}) from None
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        if "word/document.xml" in names:
            message = f"文件“{shown}”是 Word 文档，不是 Excel 文件。请上传按模板填写的 Excel 表格。"
        raise Invalid(message, {"file": message})
    if unpacked > MAX_UNPACKED_MB * 1024 * 1024:
        too_big = f"文件“{shown}”解压后超过 {MAX_UNPACKED_MB} MB，无法导入，请拆分后分批导入。"
        raise Invalid(too_big, {"file": too_big})


def _check_xls(data: bytes, shown: str, redo: str) -> None:
    import xlrd

    try:
        xlrd.open_workbook(file_contents=data, on_demand=True).release_resources()
    except Exception:  # xlrd raises XLRDError, CompoundDocError, struct errors… on what is not a workbook
        message = f"文件“{shown}”不是有效的 Excel（.xls）文件。{redo}"
        raise Invalid(message, {"file": message}) from None


def is_xls(data: bytes) -> bool:
    return data.startswith(OLE2_MAGIC)



def damaged(name: str) -> Invalid:
    kind = "Excel" if name.lower().endswith(".xls") else "Excel（.xlsx）"
    message = f"文件“{name}”已损坏或不是有效的 {kind} 文件，无法读取。"
    return Invalid(message, {"file": message})

