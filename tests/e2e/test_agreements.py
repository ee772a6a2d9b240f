"""Agreements end to end: an MoU created through the form with its parties and signatories, signed, its
signed PDF uploaded and replaced, a renamed web page refused, commitments kept with evidence, and an
agreement expiring soon on the home page of the users whose scope it covers."""

import datetime
import re
from urllib.parse import urljoin

import pytest
import weasyprint
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from agreements.models import Document, DocumentKind, DocumentVersion
from tests.agreements.factories import SignedAgreementFactory, kemendes, regency_government
from tests.agreements.factories_documents import HTML_BYTES, document_with_version, png_bytes, private_root
from tests.e2e.conftest import log_in, pick
from tests.factories import UserFactory

NUMBER = "NK.07/SJ/III/2020"
TITLE = "Pembangunan Desa Percontohan di Kabupaten Barito Kuala"
KEMENDES = "Kementerian Desa, Pembangunan Daerah Tertinggal, dan Transmigrasi"
PEMKAB = "Pemerintah Kabupaten Barito Kuala"
TRAINING = "Menyediakan lahan dan peserta pelatihan masyarakat desa di Desa Andaman"
REPORT = "Menyampaikan laporan pelaksanaan program semester pertama"
EVIDENCE_NOTE = "Lahan 2 ha disiapkan; 40 peserta dari Desa Andaman hadir pada pelatihan 5 Mei 2025."
HTML_REFUSED = "Naskah yang ditandatangani harus berupa PDF, tetapi isi berkas “naskah.pdf” adalah halaman web (HTML)."


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploaded files go to a temporary private root (the live server runs in this process)."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    with private_root(settings.PRIVATE_MEDIA_ROOT) as path:
        yield path


@pytest.fixture
def parties(committed_regions):
    """Kemendes PDTT (a ministry, no region) and Pemerintah Kabupaten Barito Kuala (pemkab, 63.04)."""
    return kemendes(), regency_government("63.04")


@pytest.fixture
def blm_staff(committed_regions):
    return UserFactory(
        role="staf_blm", username="blm-budi", first_name="Budi", last_name="Santoso", regencies=("62", "63")
    )


@pytest.fixture
def batola_official(committed_regions):
    """Pejabat Pemda of Kabupaten Barito Kuala."""
    return UserFactory(role="pejabat_pemda", username="pemda-batola", regencies=("63.04",))


@pytest.fixture
def aceh_official(committed_regions):
    """Pejabat Pemda of Kabupaten Aceh Selatan."""
    return UserFactory(role="pejabat_pemda", username="pemda-aceh", regencies=("11.01",))


def field(page, label):
    """The field labelled exactly `label` (crispy adds an asterisk to required fields' labels)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\*?\s*$"))


def pdf_file(name, text):
    """A real one-page PDF made by WeasyPrint, as a file for an upload field."""
    html = f"<h1>Nota Kesepahaman {NUMBER}</h1><p>{text}</p>"
    return {"name": name, "mimeType": "application/pdf", "buffer": weasyprint.HTML(string=html).write_pdf()}


def version_rows(page):
    return page.locator("main table tbody tr")


def check_download(page, link, expected):
    """The link downloads the file as an attachment typed application/pdf, never sniffed."""
    with page.expect_download() as download:
        link.click()
    assert download.value.path().read_bytes() == expected["buffer"]
    assert download.value.suggested_filename == expected["name"]
    response = page.request.get(urljoin(page.url, link.get_attribute("href")))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert expected["name"] in response.headers["content-disposition"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.body() == expected["buffer"]


def test_an_mou_created_signed_with_its_pdf_and_a_commitment_kept(live_server, page, console, parties, blm_staff):
    log_in(page, live_server, blm_staff)

    # --- The MoU, through the form with its parties and signatories ---
    page.goto(f"{live_server.url}/perjanjian/")
    page.get_by_role("link", name="Tambah perjanjian").click()
    expect(page.get_by_role("heading", name="Tambah perjanjian", level=1)).to_be_visible()
    page.get_by_label("Jenis").select_option(label="Nota kesepahaman (MoU)")
    field(page, "Nomor").fill(NUMBER)
    page.get_by_label("Instansi penerbit nomor").select_option(label=KEMENDES)
    page.get_by_label("Judul").fill(TITLE)
    page.get_by_label("Pokok kesepakatan").fill("Sinergi program pembangunan desa percontohan.")
    page.get_by_label("Tanggal penandatanganan").fill("2020-03-10")
    page.get_by_label("Tempat penandatanganan").fill("Aula BLM Banjarmasin")
    page.get_by_label("Berlaku mulai").fill("2020-03-10")

    party_rows = page.get_by_role("group", name="Para pihak").locator("tbody tr")
    expect(party_rows.nth(0).get_by_label("Pihak ke-")).to_have_value("1")
    expect(party_rows.nth(1).get_by_label("Pihak ke-")).to_have_value("2")
    party_rows.nth(0).get_by_label("Instansi").select_option(label=KEMENDES)
    party_rows.nth(1).get_by_label("Instansi").select_option(label=PEMKAB)

    signatory_rows = page.get_by_role("group", name="Penandatangan dan saksi").locator("tbody tr")
    for row, (name, position, organisation) in zip(
        signatory_rows.all(),
        [
            ("Anwar Sanusi", "Sekretaris Jenderal", KEMENDES),
            ("Hj. Noormiliyani", "Bupati Barito Kuala", PEMKAB),
        ],
        strict=False,
    ):
        row.get_by_label("Peran").select_option(label="Penandatangan")
        row.get_by_label("Nama").fill(name)
        row.get_by_label("Jabatan").fill(position)
        row.get_by_label("Instansi").select_option(label=organisation)

    pick(page, "Kabupaten/kota yang dicakup", "Barito", "Kabupaten Barito Kuala (63.04)")
    page.get_by_role("button", name="Simpan").click()

    expect(page).to_have_url(re.compile(r"/perjanjian/\d+/$"))
    agreement_url = page.url
    expect(page.get_by_role("alert")).to_contain_text("Perjanjian ditambahkan sebagai draf.")
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    details = page.locator("main dl").first
    expect(details).to_contain_text("Draf")
    expect(details).to_contain_text("10 Maret 2020, Aula BLM Banjarmasin")
    party_list = page.get_by_role("region", name="Para pihak").get_by_role("listitem")
    expect(party_list).to_have_count(2)
    expect(party_list.nth(0)).to_have_text(f"Pihak pertama: {KEMENDES}")
    expect(party_list.nth(1)).to_have_text(f"Pihak kedua: {PEMKAB}")
    signers = page.get_by_role("region", name=re.compile("^Penandatangan")).get_by_role("listitem")
    expect(signers.nth(0)).to_have_text(f"Anwar Sanusi, Sekretaris Jenderal — {KEMENDES}")
    expect(signers.nth(1)).to_have_text(f"Hj. Noormiliyani, Bupati Barito Kuala — {PEMKAB}")
    expect(page.get_by_role("region", name="Cakupan wilayah")).to_contain_text(
        "Kabupaten Barito Kuala (Kalimantan Selatan)"
    )

    # --- Signed: draft → signed, and in force from its start date ---
    page.get_by_role("link", name="Tandatangani").click()
    expect(page.get_by_role("heading", name="Tandatangani perjanjian", level=1)).to_be_visible()
    expect(page.get_by_label("Tanggal penandatanganan")).to_have_value("2020-03-10")
    expect(page.get_by_label("Tempat penandatanganan")).to_have_value("Aula BLM Banjarmasin")
    page.get_by_role("button", name="Catat penandatanganan").click()

    expect(page).to_have_url(agreement_url)
    expect(page.get_by_role("alert")).to_contain_text(f"Perjanjian {NUMBER} dicatat sebagai telah ditandatangani.")
    expect(details).to_contain_text("Berlaku")
    expect(details).not_to_contain_text("Draf")
    expect(page.get_by_role("link", name="Tandatangani")).to_have_count(0)  # a signed agreement is not signed twice

    # --- Its signed PDF: version 1, downloaded as an attachment ---
    first = pdf_file("Naskah MoU Barito Kuala.pdf", "Ditandatangani di Aula BLM Banjarmasin, 10 Maret 2020.")
    page.get_by_role("link", name="Unggah dokumen").click()
    expect(page.get_by_role("heading", name="Unggah dokumen perjanjian", level=1)).to_be_visible()
    page.get_by_label("Jenis dokumen").select_option(label="Naskah yang ditandatangani (PDF)")
    field(page, "Berkas").set_input_files(first)
    page.get_by_role("button", name="Unggah").click()

    expect(page).to_have_url(re.compile(r"/perjanjian/dokumen/\d+/$"))
    document_url = page.url
    expect(page.get_by_role("alert")).to_contain_text(f"Dokumen “Naskah {NUMBER}” diunggah.")
    expect(page.get_by_role("heading", name=f"Naskah {NUMBER}", level=1)).to_be_visible()
    expect(version_rows(page)).to_have_count(1)
    expect(version_rows(page).first).to_contain_text(re.compile(r"^\s*1\s+terbaru"))
    expect(version_rows(page).first).to_contain_text("Naskah MoU Barito Kuala.pdf")
    expect(version_rows(page).first).to_contain_text("application/pdf")
    check_download(page, version_rows(page).first.get_by_role("link", name="Unduh"), first)

    # --- Replaced by a new scan: version 2, version 1 kept ---
    second = pdf_file("Naskah MoU Barito Kuala (pindaian ulang).pdf", "Pindaian ulang dengan paraf para pihak.")
    page.get_by_role("link", name="Unggah versi baru").click()
    field(page, "Berkas versi baru").set_input_files(second)
    page.get_by_role("button", name="Unggah").click()

    expect(page).to_have_url(document_url)
    expect(page.get_by_role("alert")).to_contain_text(
        f"Versi 2 dari “Naskah {NUMBER}” diunggah; versi sebelumnya tetap tersimpan."
    )
    expect(version_rows(page)).to_have_count(2)
    expect(version_rows(page).nth(0)).to_contain_text(re.compile(r"^\s*2\s+terbaru"))
    expect(version_rows(page).nth(0)).to_contain_text("pindaian ulang")
    expect(version_rows(page).nth(1)).to_contain_text(re.compile(r"^\s*1\s"))
    expect(version_rows(page).nth(1)).to_contain_text("Naskah MoU Barito Kuala.pdf")
    check_download(page, version_rows(page).nth(0).get_by_role("link", name="Unduh"), second)
    check_download(page, version_rows(page).nth(1).get_by_role("link", name="Unduh"), first)
    page.get_by_role("navigation", name="Lokasi halaman").get_by_role("link", name=NUMBER).click()
    expect(page).to_have_url(agreement_url)
    documents = page.get_by_role("region", name="Dokumen")
    expect(documents.get_by_role("link", name=f"Naskah {NUMBER}")).to_be_visible()
    expect(documents.get_by_role("link", name="Unduh versi 2")).to_be_visible()

    # --- A commitment of the second party, kept and shown with its evidence ---
    due = timezone.localdate() + datetime.timedelta(days=60)
    page.get_by_role("link", name="Tambah komitmen").click()
    expect(page.get_by_role("heading", name="Tambah komitmen", level=1)).to_be_visible()
    page.get_by_label("Pihak yang bertanggung jawab").select_option(label=f"Pihak kedua: {PEMKAB}")
    page.get_by_role("textbox", name=re.compile("^Komitmen")).fill(TRAINING)
    page.get_by_label("Tenggat").fill(due.isoformat())
    page.get_by_role("button", name="Simpan").click()

    expect(page).to_have_url(re.compile(r"/perjanjian/komitmen/\d+/$"))
    expect(page.get_by_role("alert")).to_contain_text("Komitmen ditambahkan.")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Belum dimulai")
    expect(page.locator("main dl")).to_contain_text(f"Pihak kedua: {PEMKAB}")
    expect(page.locator("main dl")).to_contain_text(date_format(due))
    evidence = page.get_by_role("region", name="Bukti", exact=True)
    expect(evidence).to_contain_text("Belum ada bukti.")

    status_form = page.get_by_role("region", name="Ubah status")
    status_form.get_by_label("Status baru").select_option(label="Selesai")
    status_form.get_by_label("Keterangan bukti").fill(EVIDENCE_NOTE)
    status_form.get_by_label("Berkas bukti (opsional)").set_input_files(
        {"name": "foto pelatihan.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    status_form.get_by_role("button", name="Simpan status").click()

    expect(page.get_by_role("alert")).to_contain_text("Status komitmen diubah menjadi “Selesai”.")
    expect(heading).to_contain_text("Selesai")
    expect(page.locator("main dl")).to_contain_text(
        re.compile(rf"Tanggal selesai\s*{date_format(timezone.localdate())}")
    )
    evidence_rows = evidence.locator("tbody tr")
    expect(evidence_rows).to_have_count(1)
    expect(evidence_rows.first).to_contain_text(EVIDENCE_NOTE)
    expect(evidence_rows.first).to_contain_text("Budi Santoso")
    with page.expect_download() as download:
        evidence_rows.first.get_by_role("link", name="foto pelatihan.png").click()
    assert download.value.path().read_bytes() == png_bytes()
    expect(page.get_by_role("region", name="Ubah status")).to_have_count(0)  # done is the end of the road

    # --- A second commitment, already past its due date ---
    page.goto(agreement_url)
    late = timezone.localdate() - datetime.timedelta(days=10)
    page.get_by_role("link", name="Tambah komitmen").click()
    page.get_by_label("Pihak yang bertanggung jawab").select_option(label=f"Pihak kedua: {PEMKAB}")
    page.get_by_role("textbox", name=re.compile("^Komitmen")).fill(REPORT)
    page.get_by_label("Tenggat").fill(late.isoformat())
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("alert")).to_contain_text("Komitmen ditambahkan.")
    expect(heading).to_contain_text("Terlambat")
    expect(page.locator("main dl")).to_contain_text("(terlambat)")

    # --- Both on the agreement's page and in the commitments list ---
    page.goto(agreement_url)
    commitments = page.get_by_role("region", name="Komitmen").locator("tbody tr")
    expect(commitments).to_have_count(2)
    expect(commitments.filter(has_text=TRAINING)).to_contain_text("Selesai")
    expect(commitments.filter(has_text=REPORT)).to_contain_text("Terlambat")

    page.goto(f"{live_server.url}/perjanjian/komitmen/")
    expect(page.get_by_role("heading", name="Komitmen perjanjian", level=1)).to_be_visible()
    rows = page.locator("#table tbody tr")
    expect(rows).to_have_count(2)
    done_row = rows.filter(has=page.get_by_role("link", name=TRAINING))
    expect(done_row).to_contain_text(NUMBER)
    expect(done_row).to_contain_text(PEMKAB)
    expect(done_row).to_contain_text("Selesai")
    late_row = rows.filter(has=page.get_by_role("link", name=REPORT))
    expect(late_row).to_contain_text("Terlambat")
    expect(late_row).to_contain_text("10 hari")
    page.get_by_role("link", name="Hanya yang terlambat").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(REPORT)
    assert not console.csp_violations


def test_a_web_page_named_pdf_is_refused(live_server, page, console, parties, blm_staff, private_media):
    agreement = SignedAgreementFactory(number=NUMBER, title=TITLE)
    attachment, first_version = document_with_version(agreement, kind=DocumentKind.ATTACHMENT, title="Lampiran")
    fake = {"name": "naskah.pdf", "mimeType": "application/pdf", "buffer": HTML_BYTES}
    log_in(page, live_server, blm_staff)

    # As the signed document: refused, no document added.
    page.goto(f"{live_server.url}/perjanjian/{agreement.pk}/")
    page.get_by_role("link", name="Unggah dokumen").click()
    page.get_by_label("Jenis dokumen").select_option(label="Naskah yang ditandatangani (PDF)")
    field(page, "Berkas").set_input_files(fake)
    page.get_by_role("button", name="Unggah").click()

    expect(page.get_by_role("heading", name="Unggah dokumen perjanjian", level=1)).to_be_visible()
    expect(page.locator("#div_id_file")).to_contain_text(HTML_REFUSED)
    expect(page.get_by_text("diunggah")).to_have_count(0)
    page.get_by_role("link", name="Batal").click()
    documents = page.get_by_role("region", name="Dokumen").locator("tbody tr")
    expect(documents).to_have_count(1)
    expect(documents.first).to_contain_text("Lampiran")

    # As a new version of an attachment: refused, versions unchanged.
    documents.first.get_by_role("link", name="Lampiran").click()
    expect(version_rows(page)).to_have_count(1)
    page.get_by_role("link", name="Unggah versi baru").click()
    field(page, "Berkas versi baru").set_input_files(fake)
    page.get_by_role("button", name="Unggah").click()
    expect(page.locator("#div_id_file")).to_contain_text(
        "Jenis berkas ini tidak diterima: isi berkas “naskah.pdf” adalah halaman web (HTML)."
    )
    page.get_by_role("link", name="Batal").click()
    expect(version_rows(page)).to_have_count(1)

    assert list(Document.objects.filter(agreement=agreement)) == [attachment]
    assert list(DocumentVersion.objects.filter(document__agreement=agreement)) == [first_version]
    stored = [path.relative_to(private_media).as_posix() for path in private_media.rglob("*") if path.is_file()]
    assert stored == [first_version.file.name]  # nothing refused was kept on disk
    assert not console.csp_violations


def test_an_agreement_expiring_soon_is_on_the_home_page_of_those_it_covers(
    live_server, page, new_page, console, parties, blm_staff, batola_official, aceh_official
):
    ends = timezone.localdate() + datetime.timedelta(days=30)
    SignedAgreementFactory(number="PKS.12/BLM/IV/2024", title="Pelatihan kader desa Barito Kuala", effective_to=ends)
    SignedAgreementFactory(  # beyond the warning window
        number="PKS.13/BLM/IV/2024",
        title="Pendampingan BUMDes Barito Kuala",
        effective_to=timezone.localdate() + datetime.timedelta(days=200),
    )

    for user, sees_it in ((blm_staff, True), (batola_official, True), (aceh_official, False)):
        user_page = log_in(page if user is blm_staff else new_page(), live_server, user)
        section = user_page.get_by_role("region", name="Perjanjian akan berakhir")
        expect(section).to_be_visible()
        expect(section).to_contain_text("Berakhir dalam 90 hari ke depan.")
        expect(section).not_to_contain_text("PKS.13/BLM/IV/2024")
        if sees_it:
            row = section.locator("tbody tr")
            expect(row).to_have_count(1)
            expect(row).to_contain_text("Pelatihan kader desa Barito Kuala")
            expect(row).to_contain_text(date_format(ends))
            expect(row).to_contain_text("30 hari lagi")
            row.get_by_role("link", name="PKS.12/BLM/IV/2024").click()
            expect(user_page.get_by_role("heading", name="Pelatihan kader desa Barito Kuala", level=1)).to_be_visible()
            expect(user_page.locator("main dl").first).to_contain_text("berakhir dalam 30 hari")
        else:
            expect(section).not_to_contain_text("PKS.12/BLM/IV/2024")
            expect(section).to_contain_text("Tidak ada perjanjian dalam cakupan Anda yang akan segera berakhir.")
    assert not console.csp_violations
