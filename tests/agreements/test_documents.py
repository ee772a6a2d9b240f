"""Agreement documents: uploads checked by content, versions, private storage and access-checked downloads."""

import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.documents import DOCX, check_upload, document_add, document_replace, download_name, evidence_add
from agreements.models import CommitmentEvidence, Document, DocumentKind, DocumentVersion
from tests.agreements.factories_documents import (
    HTML_BYTES,
    docx_bytes,
    evidence_with_file,
    make_agreement,
    make_commitment,
    odt_bytes,
    pdf_bytes,
    png_bytes,
    private_root,
    upload,
    xlsx_bytes,
    zip_bytes,
)

GENERATED_NAME = re.compile(r"^agreements/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|png|jpg|docx|xlsx|odt|ods)$")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploaded files go to a temporary private root for each test."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    with private_root(settings.PRIVATE_MEDIA_ROOT) as path:
        yield path


@pytest.fixture
def agreement(db):
    return make_agreement("63.04")


def stored_files(root):
    return sorted(p.relative_to(root).as_posix() for p in Path(root).rglob("*") if p.is_file())


def add_signed(agreement, user, content=None, name="Naskah MoU Barito Kuala.pdf"):
    return document_add(
        agreement=agreement, kind=DocumentKind.SIGNED, title="", upload=upload(name, content or pdf_bytes()), user=user
    )


def post_document(client, agreement, name, content, kind="naskah", title=""):
    return client.post(
        reverse("agreements:document_create", args=[agreement.pk]),
        {"kind": kind, "title": title, "file": upload(name, content)},
    )


def download(client, version):
    response = client.get(reverse("agreements:document_download", args=[version.pk]))
    return response, b"".join(response.streaming_content) if response.status_code == 200 else b""


# --- What is accepted and refused --------------------------------------------


def test_a_real_pdf_is_accepted_as_the_signed_document(agreement, blm_user, private_media):
    content = pdf_bytes()

    document = add_signed(agreement, blm_user, content)

    version = document.versions.get()
    assert document.kind == DocumentKind.SIGNED
    assert document.title == f"Naskah {agreement.number}"
    assert version.number == 1
    assert version.content_type == "application/pdf"
    assert version.size == len(content)
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert version.original_name == "Naskah MoU Barito Kuala.pdf"
    assert version.uploaded_by == blm_user
    assert (private_media / version.file.name).read_bytes() == content


def test_an_html_file_named_pdf_is_refused_with_what_it_is_and_nothing_is_saved(
    client, agreement, blm_user, private_media
):
    client.force_login(blm_user)

    response = post_document(client, agreement, "naskah.pdf", HTML_BYTES)

    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert "halaman web (HTML)" in errors[0]
    assert "naskah.pdf" in errors[0]
    assert not Document.objects.exists()
    assert not DocumentVersion.objects.exists()
    assert stored_files(private_media) == []


def test_an_html_file_named_pdf_is_refused_as_an_attachment_too(agreement, blm_user):
    with pytest.raises(ValidationError) as refused:
        document_add(
            agreement=agreement, kind=DocumentKind.ATTACHMENT, title="", upload=upload("a.pdf", HTML_BYTES), user=None
        )
    assert "halaman web (HTML)" in refused.value.message_dict["file"][0]


def test_a_png_is_refused_as_the_signed_pdf(agreement, blm_user, private_media):
    with pytest.raises(ValidationError) as refused:
        add_signed(agreement, blm_user, png_bytes(), name="scan.pdf")

    message = refused.value.message_dict["file"][0]
    assert "harus berupa PDF" in message
    assert "gambar PNG" in message
    assert not Document.objects.exists()
    assert stored_files(private_media) == []


@pytest.mark.parametrize(
    ("name", "make", "content_type", "extension"),
    [
        ("foto.png", png_bytes, "image/png", "png"),
        ("lampiran.pdf", pdf_bytes, "application/pdf", "pdf"),
        (
            "rencana.docx",
            docx_bytes,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        ("anggaran.xlsx", xlsx_bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        ("notulen.odt", odt_bytes, "application/vnd.oasis.opendocument.text", "odt"),
        # Content wins over the name: a PNG named .docx is stored and served as a PNG.
        ("foto.docx", png_bytes, "image/png", "png"),
    ],
)
def test_an_attachment_is_recognised_by_its_content(agreement, blm_user, name, make, content_type, extension):
    document = document_add(
        agreement=agreement, kind=DocumentKind.ATTACHMENT, title="", upload=upload(name, make()), user=blm_user
    )

    version = document.versions.get()
    assert version.content_type == content_type
    assert version.file.name.endswith(f".{extension}")
    assert document.title == Path(name).stem


@pytest.mark.parametrize(
    ("name", "content", "named_as"),
    [
        ("catatan.pdf", b"Catatan rapat koordinasi.\n", "berkas teks biasa"),
        ("arsip.docx", zip_bytes({"catatan.txt": "bukan dokumen Word"}), "arsip ZIP"),
        ("rusak.xlsx", b"PK\x03\x04" + b"\x00" * 200, "rusak"),
        ("gambar.pdf", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "gambar SVG"),
        ("program.pdf", b"MZ\x90\x00" + b"\x00" * 100, "program Windows (EXE)"),
        ("acak.pdf", bytes(range(256)) * 4, "berkas biner yang jenisnya tidak dikenali"),
    ],
)
def test_an_attachment_of_another_kind_is_refused_naming_what_it_is(name, content, named_as):
    with pytest.raises(ValidationError) as refused:
        check_upload(upload(name, content))

    message = refused.value.message_dict["file"][0]
    assert named_as in message
    assert "PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS" in message


def test_an_oversized_file_is_refused_with_the_limit(settings, agreement, blm_user, private_media):
    settings.UPLOAD_MAX_MB = 1
    content = pdf_bytes() + b"%" + b"0" * (1024 * 1024)

    with pytest.raises(ValidationError) as refused:
        add_signed(agreement, blm_user, content)

    message = refused.value.message_dict["file"][0]
    assert "terlalu besar" in message
    assert "1 MB" in message
    assert not Document.objects.exists()
    assert stored_files(private_media) == []


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as refused:
        check_upload(upload("kosong.pdf", b""))
    assert "kosong" in refused.value.message_dict["file"][0]


def test_an_agreement_has_one_signed_document(agreement, blm_user):
    add_signed(agreement, blm_user)

    with pytest.raises(ValidationError) as refused:
        add_signed(agreement, blm_user, pdf_bytes("Pindaian lain"))

    assert "sudah memiliki naskah" in refused.value.message_dict["kind"][0]
    assert Document.objects.count() == 1


# --- Versions ----------------------------------------------------------------


def test_replacing_keeps_the_old_version(client, agreement, blm_user, private_media):
    first, second = pdf_bytes("Versi pertama"), pdf_bytes("Versi kedua, sudah diparaf")
    document = add_signed(agreement, blm_user, first)

    version = document_replace(document=document, upload=upload("naskah-final.pdf", second), user=blm_user)

    assert version.number == 2
    assert list(document.versions.values_list("number", flat=True)) == [2, 1]
    client.force_login(blm_user)
    old, new = document.versions.get(number=1), document.versions.get(number=2)
    assert download(client, old)[1] == first
    assert download(client, new)[1] == second
    assert len(stored_files(private_media)) == 2


def test_replacing_with_the_same_file_is_refused(agreement, blm_user):
    document = add_signed(agreement, blm_user)

    with pytest.raises(ValidationError) as refused:
        document_replace(document=document, upload=upload("lagi.pdf", pdf_bytes()), user=blm_user)

    assert "sama persis" in refused.value.message_dict["file"][0]
    assert document.versions.count() == 1


def test_a_new_version_of_the_signed_document_must_be_a_pdf(agreement, blm_user):
    document = add_signed(agreement, blm_user)

    with pytest.raises(ValidationError) as refused:
        document_replace(document=document, upload=upload("naskah.pdf", docx_bytes()), user=blm_user)

    assert "dokumen Word (DOCX)" in refused.value.message_dict["file"][0]
    assert document.versions.count() == 1


def test_an_editor_uploads_and_replaces_through_the_pages(client, agreement, blm_user):
    client.force_login(blm_user)

    response = post_document(client, agreement, "naskah.pdf", pdf_bytes(), title="Naskah MoU")
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("agreements:document_detail", args=[document.pk])

    replace_url = reverse("agreements:document_replace", args=[document.pk])
    refused = client.post(replace_url, {"file": upload("naskah.pdf", HTML_BYTES)})
    assert refused.status_code == 200
    assert "halaman web (HTML)" in refused.content.decode()
    assert client.post(replace_url, {"file": upload("naskah-2.pdf", pdf_bytes("v2"))}).status_code == 302

    page = client.get(reverse("agreements:document_detail", args=[document.pk])).content.decode()
    for version in document.versions.all():
        assert reverse("agreements:document_download", args=[version.pk]) in page
    assert "naskah-2.pdf" in page


def test_the_document_page_runs_the_same_queries_as_versions_grow(
    client, agreement, blm_user, django_assert_num_queries
):
    document = add_signed(agreement, blm_user)
    client.force_login(blm_user)
    url = reverse("agreements:document_detail", args=[document.pk])
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    baseline = len(before.captured_queries)  # read now: the next request clears the query log
    for n in range(5):
        document_replace(document=document, upload=upload("v.pdf", pdf_bytes(f"versi {n}")), user=blm_user)

    with django_assert_num_queries(baseline):
        assert client.get(url).status_code == 200


# --- Storage and downloads ---------------------------------------------------


def test_files_are_stored_under_generated_names_in_the_private_root(agreement, blm_user, private_media):
    document = add_signed(agreement, blm_user, name="../../rahasia <script>.pdf")

    version = document.versions.get()
    assert GENERATED_NAME.match(version.file.name), version.file.name
    assert "rahasia" not in version.file.name
    assert Path(version.file.path).resolve().is_relative_to(private_media.resolve())
    assert stored_files(private_media) == [version.file.name]
    assert version.original_name == "rahasia <script>.pdf"


def test_private_files_have_no_public_url(client, agreement, blm_user):
    version = add_signed(agreement, blm_user).versions.get()
    private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    public_roots = [settings.MEDIA_ROOT, settings.STATIC_ROOT, *settings.STATICFILES_DIRS]

    for root in public_roots:
        root = Path(root).resolve()
        assert not private.is_relative_to(root)
        assert not root.is_relative_to(private)
    with pytest.raises(ValueError):
        version.file.url  # noqa: B018 (private storage has no base URL)
    client.force_login(blm_user)
    for prefix in ("/media/", "/static/", "/private/", "/"):
        assert client.get(f"{prefix}{version.file.name}").status_code == 404


def test_the_download_is_an_attachment_with_nosniff_and_the_right_bytes(client, agreement, blm_user, pemda_user):
    content = pdf_bytes()
    version = add_signed(agreement, blm_user, content, name="Naskah MoU 10 Maret 2020.pdf").versions.get()
    client.force_login(pemda_user)

    response, body = download(client, version)

    assert response.status_code == 200
    assert body == content
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Naskah MoU 10 Maret 2020.pdf" in response["Content-Disposition"]
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_download_takes_its_extension_from_the_content_not_the_uploaders_name(client, agreement, blm_user):
    version = add_signed(agreement, blm_user, name="xfdp.exe").versions.get()
    evidence = evidence_add(
        commitment=make_commitment(agreement), note="", upload=upload("bukti.pdf", png_bytes()), user=blm_user
    )
    client.force_login(blm_user)

    response, _body = download(client, version)
    evidence_response = client.get(reverse("agreements:evidence_download", args=[evidence.pk]))

    assert response["Content-Disposition"] == 'attachment; filename="xfdp.pdf"'
    assert evidence_response["Content-Disposition"] == 'attachment; filename="bukti.png"'


@pytest.mark.parametrize(
    ("original", "content_type", "downloaded"),
    [
        ("xfdp.exe", "application/pdf", "xfdp.pdf"),
        ("Naskah MoU 10 Maret 2020.pdf", "application/pdf", "Naskah MoU 10 Maret 2020.pdf"),
        ("NASKAH.PDF", "application/pdf", "NASKAH.PDF"),
        ("foto kegiatan.jpeg", "image/jpeg", "foto kegiatan.jpeg"),
        ("foto kegiatan.png", "image/jpeg", "foto kegiatan.jpg"),
        ("laporan", DOCX, "laporan.docx"),
        ("arsip.tar.gz", "application/pdf", "arsip.tar.pdf"),
        ("Desa \u202egpj.exe", "image/png", "Desa gpj.png"),
        ("", "application/pdf", "berkas.pdf"),
    ],
)
def test_the_download_name_keeps_the_uploaders_name_with_the_extension_of_what_the_file_is(
    original, content_type, downloaded
):
    assert download_name(original, content_type) == downloaded


def test_another_regencys_official_gets_404_on_download(client, agreement, blm_user, other_pemda_user):
    version = add_signed(agreement, blm_user).versions.get()
    evidence = evidence_with_file(make_commitment(agreement))
    client.force_login(other_pemda_user)

    assert client.get(reverse("agreements:document_download", args=[version.pk])).status_code == 404
    assert client.get(reverse("agreements:evidence_download", args=[evidence.pk])).status_code == 404
    assert client.get(reverse("agreements:document_detail", args=[version.document_id])).status_code == 404


def test_a_blm_outside_its_working_area_gets_404_on_download(client, blm_user):
    aceh = make_agreement("11.01")
    version = add_signed(aceh, None).versions.get()
    client.force_login(blm_user)

    assert client.get(reverse("agreements:document_download", args=[version.pk])).status_code == 404


def test_an_official_reads_documents_but_cannot_upload(client, agreement, blm_user, pemda_user):
    document = add_signed(agreement, blm_user)
    client.force_login(pemda_user)

    assert client.get(reverse("agreements:document_detail", args=[document.pk])).status_code == 200
    assert post_document(client, agreement, "a.pdf", pdf_bytes("lain"), kind="lampiran").status_code == 403
    replace = client.post(
        reverse("agreements:document_replace", args=[document.pk]), {"file": upload("b.pdf", pdf_bytes("b"))}
    )
    assert replace.status_code == 403
    assert DocumentVersion.objects.count() == 1


def test_a_missing_file_is_a_404_not_an_error(client, agreement, blm_user, private_media):
    version = add_signed(agreement, blm_user).versions.get()
    (private_media / version.file.name).unlink()
    client.force_login(blm_user)

    assert client.get(reverse("agreements:document_download", args=[version.pk])).status_code == 404


# --- Evidence files ----------------------------------------------------------


def test_evidence_files_are_checked_stored_privately_and_downloaded(client, agreement, blm_user, private_media):
    commitment = make_commitment(agreement)
    with pytest.raises(ValidationError):
        evidence_add(commitment=commitment, note="Foto", upload=upload("foto.jpg", HTML_BYTES), user=blm_user)
    assert not CommitmentEvidence.objects.exists()

    evidence = evidence_add(commitment=commitment, note="", upload=upload("foto.png", png_bytes()), user=blm_user)

    assert evidence.note == "Berkas bukti: foto.png"
    assert evidence.content_type == "image/png"
    assert re.match(r"^evidence/\d{4}/\d{2}/[0-9a-f]{32}\.png$", evidence.file.name)
    client.force_login(blm_user)
    response = client.get(reverse("agreements:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")


def test_evidence_with_only_a_note_has_nothing_to_download(client, agreement, blm_user):
    evidence = evidence_add(commitment=make_commitment(agreement), note="Rapat dilaksanakan.", user=blm_user)
    client.force_login(blm_user)

    assert client.get(reverse("agreements:evidence_download", args=[evidence.pk])).status_code == 404
