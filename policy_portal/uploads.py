"""Uploaded files judged by what they are, not what they claim: type by content, OOXML containers opened with care.

A .docx or .xlsx is a ZIP container; its first bytes say nothing about what it expands to. A container is
refused when it holds too many entries, expands past a limit in total, compresses any entry suspiciously
well (a zip bomb), nests another archive, or lacks the part its type requires. Names keep their extension
when shortened.
"""
from __future__ import annotations

import zipfile
from pathlib import PurePosixPath

from .exceptions import DomainError

PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SIGNATURES = {PDF: (b"%PDF-",), PNG: (b"\x89PNG\r\n\x1a\n",), JPEG: (b"\xff\xd8\xff",), DOCX: (b"PK\x03\x04",),
              XLSX: (b"PK\x03\x04",)}
EXTENSIONS = {".pdf": PDF, ".png": PNG, ".jpg": JPEG, ".jpeg": JPEG, ".docx": DOCX, ".xlsx": XLSX}
MAIN_PART = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}
MAX_ENTRIES = 2000
MAX_EXPANDED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, per entry; real Office files stay well under 30
ARCHIVE_HEADS = (b"PK\x03\x04", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!")


def extension(name: str) -> str:
    suffix = PurePosixPath((name or "").replace("\\", "/")).suffix.lower()
    return suffix if suffix in EXTENSIONS else ""


def shortened(name: str, limit: int = 200) -> str:
    """`name` cut to `limit` characters, keeping its extension."""
    name = PurePosixPath((name or "").replace("\\", "/")).name or "file"
    if len(name) <= limit:
        return name
    suffix = PurePosixPath(name).suffix
    suffix = suffix if len(suffix) <= 10 else ""
    return name[: limit - len(suffix)] + suffix


def check_container(upload, kind: str, field: str = "file") -> None:
    """Refuse an OOXML container that could expand into more than we would ever read."""
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ENTRIES:
                raise DomainError("file_container_too_large", f"The file holds {len(entries)} parts.", field,
                                  limit=MAX_ENTRIES)
            if sum(e.file_size for e in entries) > MAX_EXPANDED_BYTES:
                raise DomainError("file_container_too_large", "The file expands to too much data.", field,
                                  limit=MAX_ENTRIES)
            for entry in entries:
                if entry.compress_size and entry.file_size / entry.compress_size > MAX_RATIO:
                    raise DomainError("file_suspicious", f"{entry.filename} compresses suspiciously well.", field)
                if entry.file_size and not entry.is_dir():
                    with archive.open(entry) as part:
                        if part.read(4).startswith(ARCHIVE_HEADS):
                            raise DomainError("file_suspicious", f"{entry.filename} is an archive inside the file.", field)
            names = {e.filename for e in entries}
            if "[Content_Types].xml" not in names or MAIN_PART[kind] not in names:
                raise DomainError("file_content_mismatch", "The file is not a real Office document.", field)
    except zipfile.BadZipFile:
        raise DomainError("file_content_mismatch", "The file is not a real Office document.", field) from None
    finally:
        upload.seek(0)


def sniff(upload, field: str = "file", allowed: dict[str, str] | None = None) -> str:
    """The content type of `upload`, judged by its extension and its content; DomainError naming `field` if not."""
    allowed = allowed or EXTENSIONS
    kind = allowed.get(extension(upload.name))
    if kind is None:
        raise DomainError("file_type_not_allowed", f"Allowed: {', '.join(sorted(allowed))}.", field,
                          allowed=sorted(allowed))
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in SIGNATURES[kind]):
        raise DomainError("file_content_mismatch", f"The file's content is not a {extension(upload.name)} file.", field,
                          extension=extension(upload.name))
    if kind in MAIN_PART:
        check_container(upload, kind, field)
    return kind
