"""Uploads are judged by content: OOXML containers that would expand dangerously are refused; names keep extensions."""
from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from policy_portal.exceptions import DomainError
from policy_portal.uploads import DOCX, XLSX, shortened, sniff


def docx(parts: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


REAL = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document>" + b"text " * 200 + b"</w:document>"}


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_a_real_docx_is_accepted():
    assert sniff(upload("申报书.docx", docx(REAL))) == DOCX


def test_a_docx_that_expands_to_400_mb_is_refused_before_it_is_read():
    bomb = docx({**REAL, "word/media/zeros.bin": b"\0" * (400 * 1024 * 1024)})

    with pytest.raises(DomainError) as refused:
        sniff(upload("big.docx", bomb))

    assert len(bomb) < 1024 * 1024 and refused.value.code in ("file_container_too_large", "file_suspicious")


def test_a_nested_archive_is_refused():
    inner = docx({"a.txt": b"x" * 1000})

    with pytest.raises(DomainError) as refused:
        sniff(upload("nested.docx", docx({**REAL, "word/embeddings/inner.zip": inner}, zipfile.ZIP_STORED)))

    assert refused.value.code == "file_suspicious"


@pytest.mark.parametrize("parts", [{"word/document.xml": b"<x/>"}, {"[Content_Types].xml": b"<T/>", "other.xml": b"x"}])
def test_a_zip_that_is_not_an_office_document_is_refused(parts):
    with pytest.raises(DomainError) as refused:
        sniff(upload("fake.docx", docx(parts)))

    assert refused.value.code == "file_content_mismatch"


def test_an_xlsx_needs_its_workbook_part():
    with pytest.raises(DomainError):
        sniff(upload("sheet.xlsx", docx(REAL)))
    assert sniff(upload("sheet.xlsx", docx({"[Content_Types].xml": b"<T/>", "xl/workbook.xml": b"<w/>"}))) == XLSX


def test_a_pdf_named_docx_and_an_unknown_extension_are_refused():
    with pytest.raises(DomainError) as mismatch:
        sniff(upload("x.docx", b"%PDF-1.7 ..."))
    with pytest.raises(DomainError) as unknown:
        sniff(upload("x.exe", b"MZ"))

    assert (mismatch.value.code, unknown.value.code) == ("file_content_mismatch", "file_type_not_allowed")


def test_a_long_name_keeps_its_extension():
    name = "附件" * 150 + ".docx"

    short = shortened(name)

    assert len(short) == 200 and short.endswith(".docx")
    assert shortened("../../etc/passwd.pdf") == "passwd.pdf"
