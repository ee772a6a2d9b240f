"""Importing development index files: the service (`index_import`) and `manage.py import_index`."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from percontohan.history import history_of
from percontohan.imports import ImportFailed, ImportFileError, ImportStatus, read_table
from regions.models import Village
from tests.snapshots import tables_checksum
from villages.index_import import index_import
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


def failed_command(*args):
    """Run an import that must fail: returns its message, having checked that not one score (nor any
    history of one) changed and that the run is recorded as failed with the message."""
    before = tables_checksum(IndexScore)
    with pytest.raises(CommandError) as raised:
        run_command(*args)
    assert tables_checksum(IndexScore) == before
    record = IndexImport.objects.latest("created_at")
    assert record.status == ImportStatus.FAILED
    assert record.errors[0]["message"] in str(raised.value)
    assert "tidak ada yang diubah" in str(raised.value)
    return str(raised.value)


def failed_import(data, idm, **options):
    before = tables_checksum(IndexScore)
    with pytest.raises(ImportFailed) as raised:
        index_import(data=data, scheme=idm, **options)
    assert tables_checksum(IndexScore) == before
    return raised.value.errors


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


def test_the_year_option_takes_one_year_of_a_multi_year_file_and_reports_the_other_rows(idm, barito_kuala_file):
    output = run_command(barito_kuala_file, "--scheme", "idm", "--year", "2023")

    years = set(IndexScore.objects.filter(scheme=idm).values_list("year", flat=True))
    assert years == {2023}
    assert score("63.04.03.2002", 2023).value == Decimal("0.7789")
    assert "195 baris tahun lain (2024) tidak diimpor (--year 2023)." in output
    assert IndexImport.objects.get().other_year_rows == 195


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

    with pytest.raises(ImportFileError, match="beberapa tahun"):
        index_import(data=data, scheme=idm)
    result = index_import(data=data, scheme=idm, year=2023)

    assert result.created == 1
    assert score("63.04.03.2001", 2023).value == Decimal("0.7214")  # (0.7143 + 0.5833 + 0.8667) / 3


# --- all or nothing --------------------------------------------------------------


def test_a_bad_row_fails_the_whole_import_and_changes_nothing(idm):
    index_import(data=lower_case_csv("63.04.03.2001,2024,ANDAMAN,0.7143,0.6667,0.8667,0.7492,MAJU,"), scheme=idm)

    errors = failed_import(
        lower_case_csv(
            "63.04.03.2001,2024,ANDAMAN,0.8,0.8,0.8,0.8,MAJU,",
            "63.04.03.2002,2024,HILIR MESJID,0.7543,tujuh,1,0.8181,MANDIRI,",
            "63.04.03.2003,2024,ANJIR PASAR KOTA,0.7486,1.85,1,0.8662,MANDIRI,",
            "63.04.03,2024,ANJIR PASAR,0.7,0.7,0.7,0.7,BERKEMBANG,",
        ),
        idm,
    )

    assert [(error.row, error.column) for error in errors] == [(3, "ike"), (4, "ike"), (5, "kode_desa")]
    assert errors.count == 3
    assert "'tujuh' bukan angka" in errors.listed[0].message
    assert "nilai 1.85 di luar rentang 0–1" in errors.listed[1].message
    assert "'63.04.03' tidak sah" in errors.listed[2].message


def test_the_command_lists_the_bad_rows_and_records_the_import_as_failed(idm, tmp_path):
    path = tmp_path / "idm.csv"
    path.write_bytes(lower_case_csv("63.04.03.2001,2024,ANDAMAN,0.7143,0.6667,abc,0.7492,MAJU,"))

    message = failed_command(path)

    assert f"{path}: baris 2, kolom ikl: 'abc' bukan angka — tidak ada yang diubah." in message
    assert not IndexScore.objects.exists()
    record = IndexImport.objects.get()
    assert record.errors == [{"row": 2, "column": "ikl", "message": "'abc' bukan angka"}]
    assert record.finished_at is not None


def test_the_same_village_and_year_twice_in_a_file_is_an_error(idm):
    row = "63.04.03.2001,2024,ANDAMAN,0.7143,0.6667,0.8667,0.7492,MAJU,"

    errors = failed_import(lower_case_csv(row, row), idm)

    assert errors.as_list() == [
        {"row": 3, "column": "kode_desa", "message": "kode 63.04.03.2001 tahun 2024 sudah ada di baris 2"}
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "gambar PNG"),
        (b"<!DOCTYPE html><html><body>Sesi habis</body></html>", "halaman web"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Excel lama"),
        (b"kode_desa;nama\n63.04.03.2001;D\x81sa", "bukan CSV UTF-8"),
        (b"", "kosong"),
    ],
)
def test_a_file_that_is_not_a_table_is_refused_by_its_content(content, message):
    with pytest.raises(ImportFileError, match=message):
        read_table(content)


def test_a_windows_1252_file_is_imported_and_the_encoding_reported(idm):
    data = "kode_desa;tahun;nama_desa;iks;ike;ikl\n63.04.03.2001;2024;ANDAMAN Désa;0,7143;0,6667;0,8667\n"

    result = index_import(data=data.encode("cp1252"), scheme=idm)

    assert result.created == 1
    assert any("Windows-1252" in note for note in result.notes)
    assert score("63.04.03.2001", 2024).value == Decimal("0.7492")


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
    assert list(csv.reader(unmatched_csv.open(encoding="utf-8-sig"))) == [
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


# --- what real and malformed files did before (issue 7) ------------------------------


def kalimantan_selatan_rows(count):
    """`count` good rows of real current villages of Kalimantan Selatan."""
    codes = Village.objects.current().filter(code__startswith="63.").order_by("code").values_list("code", "name")
    return [f"{code},2024,{name.upper()},0.7143,0.6667,0.8667,0.7492,MAJU," for code, name in codes[:count]]


def test_a_nul_byte_in_the_name_of_an_unmatched_code_fails_the_whole_file_with_its_row(idm, tmp_path):
    path = tmp_path / "idm.csv"
    rows = [*kalimantan_selatan_rows(1870), "92.01.01.2001,2024,DESA\x00LAMA,0.6,0.6,0.6,0.6,BERKEMBANG,"]
    path.write_bytes(lower_case_csv(*rows))

    message = failed_command(path)

    assert "baris 1872, kolom nama_desa: berisi karakter kendali U+0000" in message
    assert not IndexScore.objects.exists()
    assert IndexImport.objects.get().status == ImportStatus.FAILED


@pytest.mark.parametrize("nan", ["NaN", "nan", "inf", "-Infinity"])
def test_a_score_that_is_not_a_finite_number_is_refused_with_row_and_column(idm, nan):
    errors = failed_import(lower_case_csv(f"63.04.03.2001,2024,ANDAMAN,0.7143,{nan},0.8667,0.7492,MAJU,"), idm)

    assert [(e.row, e.column) for e in errors] == [(2, "ike")]
    assert "bukan angka" in errors.listed[0].message


@pytest.mark.parametrize("nan", ["NaN", float("nan")], ids=["text", "number"])
def test_nan_in_a_spreadsheet_is_refused_with_row_and_column(idm, tmp_path, nan):
    path = ministry_xlsx(tmp_path / "IDM.xlsx", rows=[["6304032001", "ANDAMAN", 0.7143, nan, 0.8667, 0.7492, "MAJU"]])

    errors = failed_import(path.read_bytes(), idm)

    assert [(e.row, e.column) for e in errors] == [(2, "IKE_2024")]


def test_a_published_status_longer_than_is_kept_is_refused(idm):
    status = "SANGAT TERTINGGAL MENURUT PERHITUNGAN ULANG TIM VERIFIKASI KABUPATEN"

    errors = failed_import(lower_case_csv(f"63.04.03.2001,2024,ANDAMAN,0.7143,0.6667,0.8667,0.7492,{status},"), idm)

    assert (errors.listed[0].row, errors.listed[0].column) == (2, "status")
    assert f"teks terlalu panjang ({len(status)} karakter; paling banyak 60)" in errors.listed[0].message


def test_a_year_named_that_disagrees_with_the_years_in_the_column_names_is_an_error(idm, tmp_path):
    path = tmp_path / "IDM_2023.csv"
    header = ["KODE_DESA", "IKS_2023", "IKE_2023", "IKL_2023", "NILAI_IDM_2023", "STATUS_IDM_2023"]
    path.write_bytes(("\n".join([",".join(header), "6304032001,0.7143,0.5833,0.8667,0.7214,MAJU"])).encode())

    message = failed_command(path, "--year", "2022")

    assert "untuk tahun 2023 (mis. IKS_2023), bukan tahun 2022 yang disebutkan" in message


def test_a_file_with_no_row_of_the_year_named_is_an_error_not_an_empty_import(idm, tmp_path):
    path = tmp_path / "idm-2023.csv"
    path.write_bytes(lower_case_csv(*(row.replace(",2024,", ",2023,") for row in kalimantan_selatan_rows(200))))

    message = failed_command(path, "--year", "2022")

    assert "Tidak ada baris tahun 2022 di berkas; 200 baris berisi tahun 2023." in message


def test_a_score_with_more_decimals_than_are_stored_is_refused_with_row_and_column(idm):
    errors = failed_import(lower_case_csv("63.04.03.2001,2024,ANDAMAN,0.49074,0.4907,0.4907,,,"), idm)

    assert [(e.row, e.column) for e in errors] == [(2, "iks")]
    assert "0.49074 memiliki lebih dari 4 angka di belakang koma" in errors.listed[0].message


def test_the_stored_value_and_its_status_agree_and_a_re_import_changes_nothing(idm):
    data = lower_case_csv("63.04.03.2001,2024,ANDAMAN,0.4907,0.4908,0.4907,,,")

    index_import(data=data, scheme=idm)
    again = index_import(data=data, scheme=idm)

    andaman = score("63.04.03.2001", 2024)
    assert andaman.value == Decimal("0.4907")  # (0.4907 + 0.4908 + 0.4907) / 3 = 0.490733…
    assert andaman.status == idm.status_for(andaman.value)
    assert andaman.status.code == "sangat-tertinggal"
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_every_bad_row_is_counted_not_only_the_first_hundreds(idm):
    rows = [row.replace("0.6667", "x") for row in kalimantan_selatan_rows(1200)]

    errors = failed_import(lower_case_csv(*rows), idm)

    assert errors.count == 1200
    assert len(errors.listed) == 100


def test_the_scores_of_an_import_run_from_the_command_line_name_it_in_their_history(idm, tmp_path):
    path = tmp_path / "idm.csv"
    path.write_bytes(ministry_csv())
    run_command(path)
    changed = [list(row) for row in MINISTRY_ROWS]
    changed[0][4], changed[0][5] = 0.9, 0.7603
    path.write_bytes(ministry_csv(changed))

    run_command(path)

    record = IndexImport.objects.latest("created_at")
    event = score("63.04.03.2001", 2024).events.get()
    assert event.pgh_context.metadata["index_import"] == record.pk
    assert record.updated_count == 1
