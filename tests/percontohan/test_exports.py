"""Exports (percontohan.exports): no formulas reach a spreadsheet, numbers and dates stay typed, every list's
export holds exactly the filtered rows the user may see, CSV streams, and the export links follow the filters."""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal

import openpyxl
import pytest
from django.utils.safestring import mark_safe

from agreements.models import AgreementKind
from partners.models import OrganisationKind
from percontohan import exports
from regions.models import Regency
from tests.agreements.factories import CommitmentFactory, SignedAgreementFactory
from tests.factories import OrganisationFactory
from tests.villages.factories import (
    AreaMembershipFactory,
    BlmFactory,
    ProgrammeAreaFactory,
    SelectionRoundFactory,
    aceh_blm,
)
from villages.models import AreaKind, IndexImport, IndexScheme
from villages.models.index import ImportStatus

FORMULAS = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)"]
BARITO_KUALA, ACEH_SELATAN = "63.04", "11.01"


def regency(code):
    return Regency.objects.get(code=code)


# --- The five lists, each with a way to make a row of a given text ------------------


def make_agreement(text, code=BARITO_KUALA, kind=AgreementKind.MOU):
    return SignedAgreementFactory(title=text, regencies=[code], kind=kind)


def make_commitment(text, code=BARITO_KUALA, kind=AgreementKind.MOU):
    return CommitmentFactory(description=text, agreement=SignedAgreementFactory(regencies=[code], kind=kind))


def make_area(text, code=BARITO_KUALA, kind=AreaKind.RURAL):
    return ProgrammeAreaFactory(name=text, regency=regency(code), kind=kind)


def make_round(text, code=BARITO_KUALA, period_start=2020):
    blm = BlmFactory() if code == BARITO_KUALA else aceh_blm()
    return SelectionRoundFactory(
        title=text, regency=regency(code), responsible_blm=blm, period_start=period_start, period_end=period_start + 4
    )


def make_organisation(text, code=BARITO_KUALA, kind=OrganisationKind.DINAS):
    return OrganisationFactory(name=text, regency=regency(code), kind=kind)


@dataclass
class ExportedList:
    url: str
    make: callable  # make(text, code=…) → a row showing `text`
    params: dict  # a filter, and…
    filtered_out: dict  # …the keyword arguments of `make` for a row it leaves out

    def __str__(self):
        return self.url


LISTS = [
    ExportedList("/perjanjian/", make_agreement, {"kind": "mou"}, {"kind": AgreementKind.PKS}),
    ExportedList("/perjanjian/komitmen/", make_commitment, {"kind": "mou"}, {"kind": AgreementKind.PKS}),
    ExportedList("/kawasan/", make_area, {"kind": "perdesaan"}, {"kind": AreaKind.TRANSMIGRATION}),
    ExportedList("/seleksi/", make_round, {"year": "2022"}, {"period_start": 2030}),
    ExportedList("/mitra/instansi/", make_organisation, {"kind": "dinas"}, {"kind": OrganisationKind.BUMDES}),
]


def export(client, url, export_format, **params):
    response = client.get(url, {**params, "_export": export_format})
    assert response.status_code == 200, url
    return response


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def xlsx_values(response):
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# --- Formulas ---------------------------------------------------------------------


@pytest.mark.parametrize("listed", LISTS, ids=str)
def test_formula_like_texts_reach_the_csv_as_text(client, pemda_user, listed):
    for text in FORMULAS:
        listed.make(text)
    client.force_login(pemda_user)

    rows = csv_rows(export(client, listed.url, "csv"))

    cells = {cell for row in rows for cell in row}
    assert {"'" + text for text in FORMULAS} <= cells
    assert not [cell for cell in cells if cell.startswith(exports.FORMULA_TRIGGERS)]


@pytest.mark.parametrize("listed", LISTS, ids=str)
def test_formula_like_texts_reach_the_xlsx_as_text_cells_unchanged(client, pemda_user, listed):
    for text in FORMULAS:
        listed.make(text)
    client.force_login(pemda_user)

    content = export(client, listed.url, "xlsx").getvalue()

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    shown = {cell.value: cell for cell in cells if cell.value in FORMULAS}
    assert set(shown) == set(FORMULAS)  # the text itself, no apostrophe added
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in shown.values())  # stays text when edited
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        sheet_xml = package.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "HYPERLINK" in sheet_xml


def test_the_cell_function_neutralises_every_formula_trigger_and_leaves_numbers_alone():
    for text in [*FORMULAS, "\tcmd", "\r=1+1", "-"]:
        assert exports.csv_cell(text) == "'" + text
    assert exports.csv_cell("Desa Cahaya Baru") == "Desa Cahaya Baru"
    assert exports.csv_cell(-2) == "-2"
    assert exports.csv_cell(Decimal("-0.7492")) == "-0.7492"
    assert exports.csv_cell(datetime.date(2020, 3, 10)) == "2020-03-10"
    assert exports.csv_cell(None) == ""
    assert exports.export_value(mark_safe('Desa A &amp; B <span class="badge">tidak berlaku</span>')) == (
        "Desa A & B tidak berlaku"
    )


def test_the_unmatched_codes_download_neutralises_formulas_too(client, blm_user):
    record = IndexImport.objects.create(
        scheme=IndexScheme.objects.get(code="idm"),
        original_name="idm.csv",
        started_by=blm_user,
        status=ImportStatus.DONE,
        unmatched=[{"row": 2, "code": "92.01.01.2001", "name": '=HYPERLINK("http://x","y")'}],
    )
    client.force_login(blm_user)

    response = client.get(f"/indeks/impor/{record.pk}/tidak-cocok.csv")

    assert response.streaming
    assert csv_rows(response) == [
        ["baris", "kode_desa", "nama_desa"],
        ["2", "92.01.01.2001", '\'=HYPERLINK("http://x","y")'],
    ]


# --- Typed values -----------------------------------------------------------------


def test_numbers_and_dates_stay_typed_in_xlsx(client, pemda_user):
    area = ProgrammeAreaFactory(name="Kawasan Perdesaan Anjir Pasar", established_on=datetime.date(2020, 3, 10))
    AreaMembershipFactory(area=area)
    CommitmentFactory(description="Laporan", due_date=datetime.date(2020, 6, 30))
    client.force_login(pemda_user)

    header, *rows = xlsx_values(export(client, "/kawasan/", "xlsx"))
    area_row = dict(zip(header, rows[0], strict=True))
    header, *rows = xlsx_values(export(client, "/perjanjian/komitmen/", "xlsx"))
    commitment_row = dict(zip(header, rows[0], strict=True))

    assert area_row["Desa anggota"] == 1
    assert area_row["Tanggal penetapan"] == datetime.datetime(2020, 3, 10)
    assert commitment_row["Tenggat"] == datetime.datetime(2020, 6, 30)
    assert isinstance(commitment_row["Keterlambatan"], int)  # days late, summable


def test_texts_a_spreadsheet_would_read_as_errors_or_formulas_stay_texts_in_xlsx():
    texts = ["#N/A", "#DIV/0!", "=1+1", "+62 812", "Desa Kuala Lupak", "Baris\x00 NUL"]
    handle = io.BytesIO()

    exports.write_xlsx(handle, ["Teks"], [[text] for text in texts])

    sheet = openpyxl.load_workbook(io.BytesIO(handle.getvalue())).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == ["#N/A", "#DIV/0!", "=1+1", "+62 812", "Desa Kuala Lupak", "Baris NUL"]
    assert all(cell.data_type == "s" for cell in cells)
    assert [cell.quotePrefix for cell in cells] == [False, False, True, True, False, False]


# --- Filters and scope ------------------------------------------------------------


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
@pytest.mark.parametrize("listed", LISTS, ids=str)
def test_the_export_holds_the_filtered_rows_in_the_users_regions_only(client, pemda_user, listed, export_format):
    listed.make("Baris yang dicari")
    listed.make("Baris yang tersaring", **listed.filtered_out)
    listed.make("Baris di Aceh Selatan", code=ACEH_SELATAN)
    client.force_login(pemda_user)

    response = export(client, listed.url, export_format, **listed.params)

    rows = csv_rows(response) if export_format == "csv" else xlsx_values(response)
    cells = {cell for row in rows[1:] for cell in row}
    assert "Baris yang dicari" in cells
    assert "Baris yang tersaring" not in cells
    assert "Baris di Aceh Selatan" not in cells


def test_an_export_larger_than_one_fetch_holds_every_row_with_its_related_data(client, blm_user, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    for n in range(5):
        make_agreement(f"Perjanjian {n}")
    client.force_login(blm_user)

    rows = csv_rows(export(client, "/perjanjian/", "csv"))

    assert sorted(row[2] for row in rows[1:]) == [f"Perjanjian {n}" for n in range(5)]
    assert all("Pihak pertama: Kementerian Desa" in row[3] for row in rows[1:])  # parties are prefetched per fetch


# --- Streaming --------------------------------------------------------------------


@pytest.mark.parametrize("url", [listed.url for listed in LISTS] + ["/desa/", "/wilayah/kecamatan/63.04.17/"])
def test_a_csv_export_streams_with_a_byte_order_mark_for_excel(client, pemda_user, url):
    client.force_login(pemda_user)

    response = export(client, url, "csv")

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert response.getvalue().startswith("\ufeff".encode())


def test_an_xlsx_export_is_a_workbook_download(client, pemda_user):
    client.force_login(pemda_user)

    response = export(client, "/mitra/instansi/", "xlsx")

    assert response["Content-Type"] == exports.CONTENT_TYPES["xlsx"]
    assert response["Content-Disposition"] == 'attachment; filename="instansi.xlsx"'
    assert xlsx_values(response)[0][:2] == ["Nama", "Singkatan"]


# --- The export links follow the filters --------------------------------------------


def export_links(html):
    match = re.search(r'<div class="btn-group" role="group" id="export-links"[^>]*>(.*?)</div>', html, re.S)
    return re.findall(r'href="([^"]+)"', match.group(1)) if match else []


@pytest.mark.parametrize(
    ("url", "params"),
    [(listed.url, listed.params) for listed in LISTS] + [("/desa/", {"district": "63.04.17"})],
)
def test_a_filtered_table_sent_to_htmx_brings_export_links_with_the_filters(client, pemda_user, url, params):
    client.force_login(pemda_user)

    html = client.get(url, params, headers={"HX-Request": "true"}).content.decode()

    assert html.lstrip().startswith('<div id="table">')
    assert re.search(r'<div [^>]*id="export-links"[^>]*hx-swap-oob="true"', html)
    links = export_links(html)
    assert [re.search(r"_export=(\w+)", link).group(1) for link in links] == ["csv", "xlsx"]
    for key, value in params.items():
        assert all(f"{key}={value}" in link for link in links), links


def test_the_full_page_has_one_set_of_export_links_and_keeps_partials_apart_in_caches(client, pemda_user):
    client.force_login(pemda_user)

    response = client.get("/perjanjian/", {"kind": "pks"})

    html = response.content.decode()
    assert html.count('id="export-links"') == 1
    assert "hx-swap-oob" not in html
    assert all("kind=pks" in link for link in export_links(html))
    assert "HX-Request" in response["Vary"]


def test_going_back_to_a_filtered_list_htmx_no_longer_holds_gets_the_whole_page(client, pemda_user):
    client.force_login(pemda_user)

    html = client.get(
        "/desa/", {"district": "63.04.17"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    ).content.decode()

    assert "<html" in html
    assert 'id="export-links"' in html
