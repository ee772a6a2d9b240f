"""Agreement documents and commitment evidence: uploads checked by their content, stored privately.

An upload is recognised by its bytes (the `filetype` library plus explicit
checks), never by its name or the browser's content type: a web page renamed
`.pdf` is refused, and the refusal says what the file really is. Accepted
files are stored under generated names in private storage (see
`agreements.models.private_storage`) and served only by views that check
access.
"""

import codecs
import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.models import CommitmentEvidence, Document, DocumentKind, DocumentVersion
from percontohan.text import clean_text

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"

# What attachments and evidence may be: content type → stored extension.
ATTACHMENT_TYPES = {PDF: "pdf", PNG: "png", JPEG: "jpg", DOCX: "docx", XLSX: "xlsx", ODT: "odt", ODS: "ods"}
ATTACHMENT_TYPES_TEXT = "PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS"

# How a file the portal refuses is named in the message, by what `filetype` or the checks below found.
KIND_LABELS = {
    PDF: gettext_lazy("dokumen PDF"),
    PNG: gettext_lazy("gambar PNG"),
    JPEG: gettext_lazy("gambar JPEG"),
    DOCX: gettext_lazy("dokumen Word (DOCX)"),
    XLSX: gettext_lazy("lembar kerja Excel (XLSX)"),
    PPTX: gettext_lazy("presentasi PowerPoint (PPTX)"),
    ODT: gettext_lazy("dokumen OpenDocument (ODT)"),
    ODS: gettext_lazy("lembar kerja OpenDocument (ODS)"),
    ODP: gettext_lazy("presentasi OpenDocument (ODP)"),
    "application/msword": gettext_lazy("dokumen Word lama (DOC, Word 97–2003)"),
    "application/vnd.ms-excel": gettext_lazy("lembar kerja Excel lama (XLS, Excel 97–2003)"),
    "application/vnd.ms-powerpoint": gettext_lazy("presentasi PowerPoint lama (PPT)"),
    "application/rtf": gettext_lazy("dokumen RTF"),
    "image/gif": gettext_lazy("gambar GIF"),
    "image/webp": gettext_lazy("gambar WebP"),
    "image/bmp": gettext_lazy("gambar BMP"),
    "image/tiff": gettext_lazy("gambar TIFF"),
    "image/heic": gettext_lazy("gambar HEIC"),
    "application/zip": gettext_lazy("arsip ZIP"),
    "application/x-rar-compressed": gettext_lazy("arsip RAR"),
    "application/x-7z-compressed": gettext_lazy("arsip 7-Zip"),
    "application/gzip": gettext_lazy("arsip GZIP"),
    "application/x-msdownload": gettext_lazy("program Windows (EXE)"),
    "application/x-executable": gettext_lazy("program (ELF)"),
    "text/html": gettext_lazy("halaman web (HTML)"),
    "image/svg+xml": gettext_lazy("gambar SVG"),
    "application/xml": gettext_lazy("berkas XML"),
    "text/plain": gettext_lazy("berkas teks biasa"),
    "broken-zip": gettext_lazy("arsip ZIP atau dokumen Office yang rusak"),
}
UNKNOWN_BINARY = gettext_lazy("berkas biner yang jenisnya tidak dikenali")
HEAD_BYTES = 8192
HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe", b"<meta", b"<title")


@dataclass(frozen=True)
class CheckedUpload:
    """What an upload turned out to be, read from its content."""

    content_type: str
    extension: str
    size: int
    sha256: str
    original_name: str


def _head(upload):
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return bytes(head)


def _zip_kind(upload):
    """The real kind of a ZIP-based file, read from its entries (not just its first bytes)."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype in (ODT, ODS, ODP):
                    return mimetype
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return DOCX
                if "xl/workbook.xml" in names:
                    return XLSX
                if "ppt/presentation.xml" in names:
                    return PPTX
            return "application/zip"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError):
        return "broken-zip"
    finally:
        upload.seek(0)


def _text_kind(head):
    """Name a file `filetype` does not know: a web page, SVG, XML, plain text, or unknown binary."""
    if b"\x00" in head:
        return None
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    start = text[:2048]
    if text.startswith((b"<svg", b"<?xml")) and b"<svg" in start:
        return "image/svg+xml"
    if any(marker in start for marker in HTML_MARKERS):
        return "text/html"
    if text.startswith(b"<?xml"):
        return "application/xml"
    if text.startswith(b"<"):
        return "text/html"  # some other markup; to a browser, a web page
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        printable = sum(32 <= byte < 127 or byte in b"\t\r\n" for byte in head)
        return "text/plain" if printable >= 0.95 * len(head) else None
    return "text/plain"


def detect_content_type(upload):
    """The content type of an upload from its bytes; the keys of KIND_LABELS, or another MIME type, or None."""
    head = _head(upload)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    kind = filetype.guess(head)
    if kind is not None:
        return "application/zip" if kind.mime == "application/epub+zip" else kind.mime
    return _text_kind(head)


def describe(content_type):
    if content_type is None:
        return str(UNKNOWN_BINARY)
    if content_type in KIND_LABELS:
        return str(KIND_LABELS[content_type])
    return _("berkas berjenis %(type)s") % {"type": content_type}


# Extensions an uploader's name may keep for a type besides ATTACHMENT_TYPES' own ("foto.jpeg" stays so).
EXTENSION_ALIASES = {JPEG: {"jpeg"}}


def download_name(original_name, content_type):
    """The name a stored file is downloaded under: the uploader's name, with the extension of what its
    content was found to be — "xfdp.exe" holding a PDF is downloaded as "xfdp.pdf", never as a program.
    Invisible characters (a direction override turning "gpj.exe" into what reads as "exe.jpg") are dropped.
    """
    extension = ATTACHMENT_TYPES.get(content_type)
    name = PurePath(clean_text(original_name or "").strip()).name
    if extension is None:
        return name or "berkas"
    path = PurePath(name)
    if path.suffix.lower().lstrip(".") in {extension, *EXTENSION_ALIASES.get(content_type, ())}:
        return name
    stem = (path.stem if path.suffix else name).strip(". ") or "berkas"
    return f"{stem}.{extension}"


def check_upload(upload, *, signed=False):
    """Check an upload's size and content; return what it is, or raise a ValidationError on "file".

    The signed document must be a real PDF; attachments and evidence may be any of ATTACHMENT_TYPES.
    """
    name = PurePath(upload.name or "berkas").name[-255:]
    size = upload.size
    limit = settings.UPLOAD_MAX_MB * 1024 * 1024
    if size > limit:
        raise ValidationError(
            {
                "file": _("Berkas “%(name)s” terlalu besar (%(size)s); batasnya %(max)s MB.")
                % {"name": name, "size": filesizeformat(size), "max": settings.UPLOAD_MAX_MB}
            },
            code="file_size",
        )
    if not size:
        raise ValidationError({"file": _("Berkas “%(name)s” kosong.") % {"name": name}}, code="file_empty")
    content_type = detect_content_type(upload)
    if signed and content_type != PDF:
        raise ValidationError(
            {
                "file": _(
                    "Naskah yang ditandatangani harus berupa PDF, tetapi isi berkas “%(name)s” adalah %(kind)s. "
                    "Unggah naskahnya sebagai PDF (hasil pindaian atau ekspor)."
                )
                % {"name": name, "kind": describe(content_type)}
            },
            code="file_type",
        )
    if content_type not in ATTACHMENT_TYPES:
        raise ValidationError(
            {
                "file": _(
                    "Jenis berkas ini tidak diterima: isi berkas “%(name)s” adalah %(kind)s. "
                    "Yang diterima: %(accepted)s."
                )
                % {"name": name, "kind": describe(content_type), "accepted": ATTACHMENT_TYPES_TEXT}
            },
            code="file_type",
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        content_type=content_type,
        extension=ATTACHMENT_TYPES[content_type],
        size=size,
        sha256=digest.hexdigest(),
        original_name=name,
    )


def _save_with_file(record, upload, checked):
    """Store the file under a generated name (the extension of what it really is), then the row.

    The stored file is removed again if the row cannot be saved. (A rollback of an
    enclosing transaction after this returns would leave an unreferenced file behind.)
    """
    record.file.save(f"upload.{checked.extension}", upload, save=False)
    try:
        record.full_clean(exclude={"uploaded_by"})  # none when a command or the demo uploads
        record.save()
    except BaseException:
        record.file.storage.delete(record.file.name)
        raise
    return record


def _add_version(document, upload, checked, user, number, at=None):
    version = DocumentVersion(
        document=document,
        number=number,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=user,
        uploaded_at=at or timezone.now(),
    )
    return _save_with_file(version, upload, checked)


@transaction.atomic
def document_add(*, agreement, kind, title, upload, user, at=None):
    """Add a document to an agreement with its first version (uploaded `at`, now by default).

    An agreement has one signed document; a new scan of it is a new version (`document_replace`).
    """
    if kind == DocumentKind.SIGNED and agreement.documents.filter(kind=DocumentKind.SIGNED).exists():
        raise ValidationError(
            {
                "kind": _(
                    "Perjanjian ini sudah memiliki naskah yang ditandatangani. "
                    "Untuk mengunggah pindaian baru, ganti naskah itu (versi lama tetap disimpan)."
                )
            }
        )
    checked = check_upload(upload, signed=kind == DocumentKind.SIGNED)
    title = (title or "").strip()
    if not title:
        title = (
            _("Naskah %(number)s") % {"number": agreement.number}
            if kind == DocumentKind.SIGNED
            else PurePath(checked.original_name).stem[:255]
        )
    document = Document(agreement=agreement, kind=kind, title=title)
    document.full_clean()
    document.save()
    _add_version(document, upload, checked, user, number=1, at=at)
    return document


@transaction.atomic
def document_replace(*, document, upload, user):
    """Add a new version of a document (number + 1); every older version is kept."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    checked = check_upload(upload, signed=document.kind == DocumentKind.SIGNED)
    latest = document.versions.order_by("-number").only("number", "sha256").first()
    if latest is not None and latest.sha256 == checked.sha256:
        raise ValidationError(
            {
                "file": _("Berkas ini sama persis dengan versi terakhir (versi %(number)s); tidak ada yang diganti.")
                % {"number": latest.number}
            }
        )
    number = (document.versions.aggregate(highest=Max("number"))["highest"] or 0) + 1
    return _add_version(document, upload, checked, user, number=number)


@transaction.atomic
def evidence_add(*, commitment, note, upload=None, user, at=None):
    """Record evidence (a note, a file, or both) for the commitment's current due date (its period),
    as recorded `at` (now unless it is recorded afterwards)."""
    note = (note or "").strip()
    if not note and upload is None:
        raise ValidationError({"note": _("Tuliskan keterangan atau lampirkan berkas bukti.")})
    evidence = CommitmentEvidence(
        commitment=commitment, for_due_date=commitment.due_date, uploaded_by=user, uploaded_at=at or timezone.now()
    )
    if upload is None:
        evidence.note = note
        evidence.full_clean(exclude={"uploaded_by"})
        evidence.save()
        return evidence
    checked = check_upload(upload)
    evidence.note = note or _("Berkas bukti: %(name)s") % {"name": checked.original_name}
    evidence.original_name = checked.original_name
    evidence.content_type = checked.content_type
    return _save_with_file(evidence, upload, checked)
