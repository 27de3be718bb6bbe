"""R-SAFE-3 (issue 13, finding 8): an Office upload must be the kind it claims inside, and may not carry macros.

The files under tests/data/attachments are real (LibreOffice wrote them); the attacks are made from them the way an
attacker would: a macro storage added to a real Word/Excel file, a ZIP or another Office file renamed."""

import io
import struct
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qicha.core.attachments import store_upload
from qicha.core.errors import Invalid
from qicha.core.models import Attachment

DATA = Path(__file__).parent / "data"
DOC = (DATA / "attachments" / "report.doc").read_bytes()
DOCX = (DATA / "attachments" / "report.docx").read_bytes()
XLS = (DATA / "problems" / "ledger_messy.xls").read_bytes()
XLSX = (DATA / "problems" / "ledger_messy.xlsx").read_bytes()
MACRO = "含有宏（VBA 代码），为安全起见不能上传"


def rename_ole_entry(data: bytes, old: str, new: str) -> bytes:
    """Rename one directory entry of a real compound file (and make it a storage), as a macro-bearing file has."""
    raw = bytearray(data)
    needle = old.encode("utf-16-le") + b"\0\0"
    at = raw.index(needle)
    assert at % 128 == 0, "directory entries are 128-byte aligned"
    name = new.encode("utf-16-le") + b"\0\0"
    raw[at:at + 64] = name.ljust(64, b"\0")
    struct.pack_into("<HB", raw, at + 0x40, len(name), 1)
    return bytes(raw)


def rezip(data: bytes, *, add: dict | None = None, drop: str = "", replace: dict | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename == drop:
                continue
            body = (replace or {}).get(item.filename)
            target.writestr(item.filename, body if body is not None else source.read(item.filename))
        for name, body in (add or {}).items():
            target.writestr(name, body)
    return out.getvalue()


def upload(user, name, data):
    return store_upload(user("liaison_chengdong"), SimpleUploadedFile(name, data))


@pytest.mark.parametrize("name, data, kind", [
    ("整改报告.doc", DOC, "doc"), ("整改报告.docx", DOCX, "docx"), ("台账.xls", XLS, "xls"), ("台账.xlsx", XLSX, "xlsx"),
])
def test_real_office_files_are_accepted(demo, user, name, data, kind):
    assert upload(user, name, data).kind == kind


@pytest.mark.parametrize("name, data", [
    ("整改报告.doc", rename_ole_entry(DOC, "\x01Ole", "Macros")),
    ("台账.xls", rename_ole_entry(XLS, "\x05SummaryInformation", "_VBA_PROJECT_CUR")),
    ("整改报告.docx", rezip(DOCX, add={"word/vbaProject.bin": b"\xcc\x61" + b"\0" * 200})),
    ("台账.xlsx", rezip(XLSX, add={"xl/vbaProject.bin": b"\xcc\x61" + b"\0" * 200})),
])
def test_macro_bearing_office_files_are_refused(demo, user, name, data):
    before = Attachment.objects.count()
    with pytest.raises(Invalid) as caught:
        upload(user, name, data)
    assert MACRO in caught.value.message and name in caught.value.message
    assert Attachment.objects.count() == before


def test_a_docm_renamed_to_docx_is_refused_by_its_content_type(demo, user):
    with zipfile.ZipFile(io.BytesIO(DOCX)) as package:
        types = package.read("[Content_Types].xml").decode()
    docm = types.replace("wordprocessingml.document.main+xml", "ms-word.document.macroEnabled.main+xml")
    assert docm != types
    with pytest.raises(Invalid, match="含有宏"):
        upload(user, "整改报告.docx", rezip(DOCX, replace={"[Content_Types].xml": docm}))


@pytest.mark.parametrize("name, data", [
    ("整改报告.xls", DOC),                                   # a Word file claiming to be a workbook
    ("台账.doc", XLS),                                       # and the other way round
    ("整改报告.docx", rezip(DOCX, drop="word/document.xml")),  # a ZIP that only looks like a Word package
    ("台账.xlsx", rezip(XLSX, drop="xl/workbook.xml")),
    ("整改报告.doc", bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600),  # the OLE signature and nothing behind it
])
def test_office_files_must_be_what_they_claim_inside(demo, user, name, data):
    with pytest.raises(Invalid) as caught:
        upload(user, name, data)
    assert "内部结构不符" in caught.value.message or "与扩展名不符" in caught.value.message


def test_a_refused_upload_through_the_api_says_why(api, demo):
    client = api("liaison_chengdong")
    macro_doc = rename_ole_entry(DOC, "\x01Ole", "Macros")
    response = client.post("/api/v1/attachments", {"file": SimpleUploadedFile("整改报告.doc", macro_doc)})
    assert response.status_code == 422 and MACRO in response.json()["message"]
