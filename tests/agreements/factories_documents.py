"""Small helpers for the document and commitment tests: agreements with parties, commitments, and
real files (a valid PDF, PNG, DOCX, XLSX, ODT built here, so their bytes are known)."""

import datetime
import io
import struct
import zipfile
import zlib
from contextlib import contextmanager
from itertools import count

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agreements.models import (
    Agreement,
    AgreementKind,
    AgreementParty,
    Commitment,
    CommitmentEvidence,
    Document,
    DocumentKind,
    DocumentVersion,
    private_storage,
)
from regions.models import Regency
from tests.factories import OrganisationFactory

_numbers = count(1)


def make_agreement(regency="63.04", *, kind=AgreementKind.MOU, parties=2, title=None, **fields):
    """An agreement covering a regency, with `parties` parties (organisations of that regency)."""
    area = Regency.objects.get(code=regency)
    n = next(_numbers)
    issuer = OrganisationFactory(name=f"Instansi penerbit {n}", regency=None, province=None)
    agreement = Agreement.objects.create(
        kind=kind,
        number=f"NK.{n:03d}/DOC/2020",
        issuer=issuer,
        title=title or f"Pembangunan desa percontohan {area.name} {n}",
        **fields,
    )
    agreement.regencies.set([area])
    for position in range(1, parties + 1):
        organisation = OrganisationFactory(name=f"Dinas {n}-{position} {area.name}", regency=area)
        AgreementParty.objects.create(agreement=agreement, organisation=organisation, position=position)
    return agreement


def make_commitment(agreement, *, position=1, description=None, **fields):
    party = agreement.parties.get(position=position)
    return Commitment.objects.create(
        agreement=agreement,
        party=party,
        description=description or f"Komitmen {next(_numbers)} dari {party.organisation.name}",
        **fields,
    )


def pdf_bytes(text="Naskah perjanjian uji"):
    """A small but valid one-page PDF (correct cross-reference table)."""
    content = f"BT /F1 18 Tf 72 760 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def png_bytes():
    """A 1×1 white PNG."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def zip_bytes(entries, *, stored_first=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(zipfile.ZipInfo(stored_first[0]), stored_first[1], compress_type=zipfile.ZIP_STORED)
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes():
    return zip_bytes(
        {
            "[Content_Types].xml": '<?xml version="1.0"?><Types/>',
            "_rels/.rels": "<Relationships/>",
            "word/document.xml": "<w:document/>",
        }
    )


def xlsx_bytes():
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Laporan triwulan"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def odt_bytes():
    return zip_bytes(
        {"content.xml": "<office:document-content/>"},
        stored_first=("mimetype", "application/vnd.oasis.opendocument.text"),
    )


HTML_BYTES = b"<!DOCTYPE html>\n<html><head><title>Login</title></head><body><script>alert(1)</script></body></html>"


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@contextmanager
def private_root(path):
    """Point the private storage at `path` (its location is fixed when the module is imported)."""
    previous = private_storage._location
    for cached in ("base_location", "location"):
        private_storage.__dict__.pop(cached, None)
    private_storage._location = str(path)
    try:
        yield path
    finally:
        private_storage._location = previous
        for cached in ("base_location", "location"):
            private_storage.__dict__.pop(cached, None)


def stored_sample(folder, name, content):
    """A file in private storage under a fixed sample name, written once (the access walker makes
    its samples for every test; they must not leave a new file each time)."""
    path = f"{folder}/samples/{name}"
    if not private_storage.exists(path):
        path = private_storage.save(path, ContentFile(content))
    return path


def document_with_version(agreement, *, kind=DocumentKind.SIGNED, title="Naskah", content=None, sample_name=None):
    """A document with one version. With `sample_name`, its file is a fixed sample file (see stored_sample)."""
    content = content if content is not None else pdf_bytes()
    document = Document.objects.create(agreement=agreement, kind=kind, title=title)
    version = DocumentVersion(
        document=document,
        number=1,
        original_name=f"{title}.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256="0" * 64,
    )
    if sample_name:
        version.file.name = stored_sample("agreements", sample_name, content)
    else:
        version.file.save("upload.pdf", ContentFile(content), save=False)
    version.save()
    return document, version


def evidence_with_file(commitment, *, content=None, sample_name=None, note="Laporan kegiatan"):
    content = content if content is not None else png_bytes()
    evidence = CommitmentEvidence(
        commitment=commitment,
        note=note,
        original_name="foto kegiatan.png",
        content_type="image/png",
        for_due_date=commitment.due_date,
    )
    if sample_name:
        evidence.file.name = stored_sample("evidence", sample_name, content)
    else:
        evidence.file.save("upload.png", ContentFile(content), save=False)
    evidence.save()
    return evidence


def days_from_today(days):
    return timezone.localdate() + datetime.timedelta(days=days)
