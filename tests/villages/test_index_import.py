"""Importing development index files: the service (`index_import`) and `manage.py import_index`."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from percontohan.history import history_of
from villages.index_import import IndexFileError, index_import, read_table
from villages.models import IndexImport, IndexScheme, IndexScore
from villages.models.index import Aggregation

SHARED_DATA = settings.BASE_DIR.parent / "shared" / "data"
BARITO_KUALA_FILE = SHARED_DATA / "idm" / "idm_barito_kuala_2023_2024.csv"
LOWER_CASE_HEADER = "kode_desa,tahun,nama_desa,iks,ike,ikl,idm,status,keterangan"
MINISTRY_HEADER = ["KODE_DESA", "NAMA_DESA", "IKS_2024", "IKE_2024", "IKL_2024", "NILAI_IDM_2024", "STATUS_IDM_2024"]
# Real IDM 2024 rows of Kecamatan Anjir Pasar, Barito Kuala (code without dots, as the ministry writes it).
MINISTRY_ROWS = [
    ["6304032001", "ANDAMAN", 0.7143, 0.6667, 0.8667, 0.7492, "MAJU"],
    ["6304032002", "HILIR MESJID", 0.7543, 0.7, 1, 0.8181, "MANDIRI"],
    ["6304032003", "ANJIR PASAR KOTA", 0.7486, 0.85, 1, 0.8662, "MANDIRI"],
]


@pytest.fixture
def idm(db):
    return IndexScheme.objects.get(code="idm")


@pytest.fixture
def barito_kuala_file():
    if not BARITO_KUALA_FILE.is_file():
        pytest.fail(f"{BARITO_KUALA_FILE} is absent: these tests read the real data in ../shared/data")
    return BARITO_KUALA_FILE


def lower_case_csv(*rows):
    return "\n".join([LOWER_CASE_HEADER, *rows]).encode()


def ministry_csv(rows=MINISTRY_ROWS):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(MINISTRY_HEADER)
    writer.writerows(rows)
    return out.getvalue().encode()


def ministry_xlsx(path, rows=MINISTRY_ROWS, numeric_codes=True):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(MINISTRY_HEADER)
    for code, *rest in rows:
        sheet.append([int(code) if numeric_codes else code, *rest])
    workbook.save(path)
    return path


def score(code, year, scheme="idm"):
    return IndexScore.objects.select_related("status").get(village_id=code, year=year, scheme__code=scheme)


def run_command(*args):
    out = io.StringIO()
    call_command("import_index", *[str(a) for a in args], stdout=out)
    return out.getvalue()


# --- the lower-case files of ../shared/data/idm --------------------------------


def test_the_barito_kuala_file_brings_both_years_of_every_desa(idm, barito_kuala_file):
    result = index_import(data=barito_kuala_file.read_bytes(), scheme=idm)

    assert result.ok
    assert result.total_rows == 390
    assert result.created == 390 - len(result.unmatched) - len(result.empty_rows)
    andaman_2023, andaman_2024 = score("63.04.03.2001", 2023), score("63.04.03.2001", 2024)
    assert andaman_2023.value == Decimal("0.7214")
    assert andaman_2024.value == Decimal("0.7492")
    assert andaman_2024.components == {"iks": "0.7143", "ike": "0.6667", "ikl": "0.8667"}
    assert andaman_2024.status.code == "maju"
    assert andaman_2024.published_status == "MAJU"
    assert not andaman_2024.status_disagrees


def test_the_command_reports_what_it_did(idm, barito_kuala_file):
    output = run_command(barito_kuala_file, "--scheme", "idm")

    assert "390 baris dibaca" in output
    assert "ditambahkan" in output
    record = IndexImport.objects.get()
    assert record.status == "selesai"
    assert record.total_rows == 390
    assert record.created_count == IndexScore.objects.filter(scheme=idm).count()
    assert record.finished_at is not None


def test_the_year_option_takes_one_year_of_a_multi_year_file(idm, barito_kuala_file):
    run_command(barito_kuala_file, "--scheme", "idm", "--year", "2023")

    years = set(IndexScore.objects.filter(scheme=idm).values_list("year", flat=True))
    assert years == {2023}
    assert score("63.04.03.2002", 2023).value == Decimal("0.7789")


def test_an_unknown_scheme_is_refused_with_the_schemes_there_are(db, barito_kuala_file):
    with pytest.raises(CommandError, match="tersedia: idm"):
        run_command(barito_kuala_file, "--scheme", "idm-lama")


# --- the ministry's spreadsheets -----------------------------------------------


def test_the_ministrys_column_names_and_undotted_codes_are_read_from_csv(idm):
    result = index_import(data=ministry_csv(), scheme=idm)

    assert result.ok
    assert result.created == 3
    hilir_mesjid = score("63.04.03.2002", 2024)
    assert hilir_mesjid.value == Decimal("0.8181")
    assert hilir_mesjid.components == {"iks": "0.7543", "ike": "0.7", "ikl": "1"}
    assert hilir_mesjid.status.code == "mandiri"


def test_the_ministrys_spreadsheet_is_read_as_xlsx_with_codes_typed_as_numbers(idm, tmp_path):
    path = ministry_xlsx(tmp_path / "IDM_2024_Barito_Kuala.xlsx")

    output = run_command(path, "--scheme", "idm")

    assert "3 ditambahkan" in output
    assert score("63.04.03.2003", 2024).value == Decimal("0.8662")
    assert score("63.04.03.2001", 2024).status.code == "maju"


def test_a_ministry_file_with_several_years_needs_the_year_named(idm, tmp_path):
    header = ["KODE_DESA", "IKS_2023", "IKE_2023", "IKL_2023", "IKS_2024", "IKE_2024", "IKL_2024"]
    data = "\n".join([",".join(header), "63.04.03.2001,0.7143,0.5833,0.8667,0.7143,0.6667,0.8667"]).encode()

    with pytest.raises(IndexFileError, match="beberapa tahun"):
        index_import(data=data, scheme=idm)
    result = index_import(data=data, scheme=idm, year=2023)

    assert result.created == 1
    assert score("63.04.03.2001", 2023).value == Decimal("0.7214")  # (0.7143 + 0.5833 + 0.8667) / 3


# --- all or nothing --------------------------------------------------------------


def test_a_bad_row_fails_the_whole_import_and_changes_nothing(idm):
    index_import(data=lower_case_csv("63.04.03.2001,2024,ANDAMAN,0.7143,0.6667,0.8667,0.7492,MAJU,"), scheme=idm)
    before = list(IndexScore.objects.values_list("village_id", "year", "value"))

    result = index_import(
        data=lower_case_csv(
            "63.04.03.2001,2024,ANDAMAN,0.8,0.8,0.8,0.8,MAJU,",
            "63.04.03.2002,2024,HILIR MESJID,0.7543,tujuh,1,0.8181,MANDIRI,",
            "63.04.03.2003,2024,ANJIR PASAR KOTA,0.7486,1.85,1,0.8662,MANDIRI,",
            "63.04.03,2024,ANJIR PASAR,0.7,0.7,0.7,0.7,BERKEMBANG,",
        ),
        scheme=idm,
    )

    assert not result.ok
    assert [error["row"] for error in result.errors] == [3, 4, 5]
    assert "tujuh" in result.errors[0]["message"]
    assert "IKE" in result.errors[1]["message"] and "rentang" in result.errors[1]["message"]
    assert "63.04.03" in result.errors[2]["message"]
    assert list(IndexScore.objects.values_list("village_id", "year", "value")) == before


def test_the_command_lists_the_bad_rows_and_leaves_no_import_behind(idm, tmp_path):
    path = tmp_path / "idm.csv"
    path.write_bytes(lower_case_csv("63.04.03.2001,2024,ANDAMAN,0.7143,0.6667,abc,0.7492,MAJU,"))

    with pytest.raises(CommandError) as raised:
        run_command(path)

    assert "baris 2" in str(raised.value)
    assert "tidak ada yang diubah" in str(raised.value)
    assert not IndexScore.objects.exists()
    assert not IndexImport.objects.exists()


def test_the_same_village_and_year_twice_in_a_file_is_an_error(idm):
    row = "63.04.03.2001,2024,ANDAMAN,0.7143,0.6667,0.8667,0.7492,MAJU,"

    result = index_import(data=lower_case_csv(row, row), scheme=idm)

    assert result.errors == [{"row": 3, "message": "kode 63.04.03.2001 tahun 2024 sudah ada di baris 2"}]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "gambar PNG"),
        (b"<!DOCTYPE html><html><body>Sesi habis</body></html>", "halaman web"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Excel lama"),
        ("kode_desa;nama\n63.04.03.2001;Désa".encode("latin-1"), "bukan CSV UTF-8"),
        (b"", "kosong"),
    ],
)
def test_a_file_that_is_not_a_table_is_refused_by_its_content(content, message):
    with pytest.raises(IndexFileError, match=message):
        read_table(content)


# --- what is not imported is listed ----------------------------------------------


def test_codes_matching_no_village_are_listed_and_written_to_csv(idm, tmp_path):
    path = tmp_path / "idm.csv"
    path.write_bytes(
        lower_case_csv(
            "63.04.03.2001,2024,ANDAMAN,0.7143,0.6667,0.8667,0.7492,MAJU,",
            "92.01.01.2001,2024,DESA LAMA,0.6,0.6,0.6,0.6,BERKEMBANG,",
            "63.04.03.2002,2024,HILIR MESJID,,,,,,Belum ada nilai",
        )
    )
    unmatched_csv = tmp_path / "tidak-cocok.csv"

    output = run_command(path, "--unmatched-csv", unmatched_csv)

    assert "1 ditambahkan" in output
    assert "1 kode tidak cocok" in output
    assert "92.01.01.2001" in output
    assert "1 baris tanpa nilai" in output
    record = IndexImport.objects.get()
    assert record.unmatched == [{"row": 3, "code": "92.01.01.2001", "name": "DESA LAMA"}]
    assert record.empty_rows == [{"row": 4, "code": "63.04.03.2002", "name": "HILIR MESJID"}]
    assert list(csv.reader(unmatched_csv.open(encoding="utf-8"))) == [
        ["baris", "kode_desa", "nama_desa"],
        ["3", "92.01.01.2001", "DESA LAMA"],
    ]
    assert not IndexScore.objects.filter(village_id="63.04.03.2002").exists()


def test_rows_outside_the_uploaders_working_area_are_listed_and_not_changed(idm):
    result = index_import(
        data=lower_case_csv(
            "63.04.03.2001,2024,ANDAMAN,0.7143,0.6667,0.8667,0.7492,MAJU,",
            "11.01.01.2001,2024,KEUDE BAKONGAN,0.8,0.9,0.5333,0.7444,MAJU,",
        ),
        scheme=idm,
        scope_codes={"63.04"},
    )

    assert result.created == 1
    assert result.out_of_scope == [{"row": 3, "code": "11.01.01.2001", "name": "KEUDE BAKONGAN"}]
    assert not IndexScore.objects.filter(village_id="11.01.01.2001").exists()


# --- re-importing ----------------------------------------------------------------


def test_re_importing_a_year_updates_it_in_place_with_history(idm):
    index_import(data=ministry_csv(), scheme=idm)
    changed = [list(row) for row in MINISTRY_ROWS]
    changed[0][4] = 0.9  # IKL of Andaman
    changed[0][5] = 0.7603

    result = index_import(data=ministry_csv(changed), scheme=idm)

    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    assert IndexScore.objects.filter(scheme=idm).count() == 3
    andaman = score("63.04.03.2001", 2024)
    assert andaman.value == Decimal("0.7603")
    assert andaman.components["ikl"] == "0.9"
    updates = [event for event in history_of(andaman) if event.kind == "update"]
    assert len(updates) == 1
    # Scores' insertions are recorded by the import run, so the event holds the row as it became.
    assert Decimal(str(updates[0].pgh_data["value"])) == Decimal("0.7603")


def test_re_importing_the_same_file_changes_nothing(idm):
    index_import(data=ministry_csv(), scheme=idm)

    result = index_import(data=ministry_csv(), scheme=idm)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)


# --- statuses --------------------------------------------------------------------


def test_the_status_comes_from_the_thresholds_and_the_published_one_is_kept_beside_it(idm):
    index_import(
        data=lower_case_csv(
            # Published as BERKEMBANG, but 0.7105 is above the 0.7072 threshold: MAJU.
            "63.04.03.2001,2024,ANDAMAN,0.7314,0.7333,0.6667,0.7105,BERKEMBANG,",
            # Exactly on a threshold: the band's upper bound is inclusive.
            "63.04.03.2002,2024,HILIR MESJID,0.4907,0.4907,0.4907,0.4907,SANGAT TERTINGGAL,",
            # No index value in the file: IDM is the mean of the three components.
            "63.04.03.2003,2024,ANJIR PASAR KOTA,0.6,0.6,0.6,,,",
        ),
        scheme=idm,
    )

    andaman = score("63.04.03.2001", 2024)
    assert andaman.status.code == "maju"
    assert andaman.published_status == "BERKEMBANG"
    assert andaman.status_disagrees
    hilir_mesjid = score("63.04.03.2002", 2024)
    assert hilir_mesjid.status.code == "sangat-tertinggal"
    assert not hilir_mesjid.status_disagrees
    anjir_pasar_kota = score("63.04.03.2003", 2024)
    assert anjir_pasar_kota.value == Decimal("0.6000")
    assert anjir_pasar_kota.status.code == "berkembang"
    assert not anjir_pasar_kota.status_disagrees


def test_a_second_scheme_with_six_dimensions_imports_without_code_changes(db):
    # The Indeks Desa of Permendesa 9/2024, entered as data (as an admin would in Django admin).
    scheme = IndexScheme.objects.create(
        code="indeks-desa",
        name="Indeks Desa",
        regulation="Permendesa PDT No. 9 Tahun 2024",
        aggregation=Aggregation.PUBLISHED,
        value_min=Decimal("0"),
        value_max=Decimal("100"),
        value_columns="nilai_id,indeks_desa",
        status_columns="status_id",
    )
    dimensions = ["layanan_dasar", "sosial", "ekonomi", "lingkungan", "aksesibilitas", "tata_kelola"]
    for order, code in enumerate(dimensions, start=1):
        scheme.components.create(code=code, name=code.replace("_", " ").title(), order=order)
    bands = [("sangat-tertinggal", 20), ("tertinggal", 40), ("berkembang", 60), ("maju", 80), ("mandiri", None)]
    for order, (code, bound) in enumerate(bands, start=1):
        scheme.statuses.create(code=code, name=code.replace("-", " ").upper(), upper_bound=bound, order=order)
    header = "Kode Desa,Tahun,Layanan Dasar,Sosial,Ekonomi,Lingkungan,Aksesibilitas,Tata Kelola,Nilai ID,Status ID"
    data = "\n".join(
        [
            header,
            "63.04.03.2001,2024,78.5,66.2,58.1,70.0,61.3,72.4,67.75,MAJU",
            "63.04.03.2002,2024,85.0,80.1,79.9,90.0,82.0,88.3,84.21,MANDIRI",
        ]
    ).encode()

    result = index_import(data=data, scheme=scheme)

    assert result.ok, result.errors
    assert result.created == 2
    andaman = score("63.04.03.2001", 2024, scheme="indeks-desa")
    assert andaman.value == Decimal("67.75")
    assert set(andaman.components) == set(dimensions)
    assert andaman.status.code == "maju"
    assert andaman.published_status == "MAJU"
    assert score("63.04.03.2002", 2024, scheme="indeks-desa").status.code == "mandiri"
