"""The shared import pattern (percontohan.imports): reading files, checking cells, counting bad rows,
all-or-nothing writing, the runner that always leaves its record done or failed, the command line."""

import datetime
import io
import zipfile

import openpyxl
import pghistory
import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.utils import timezone

from percontohan.imports import (
    ImportFailed,
    ImportFileError,
    ImportStatus,
    atomic_import,
    command_errors,
    copy_update,
    import_run,
    read_table,
)
from regions.importer import RegionImportResult
from regions.models import RegionImport, Village
from tests.snapshots import tables_checksum
from villages.models import IndexImport, IndexScheme

ANDAMAN = "63.04.03.2001"


def xlsx(sheets):
    """An XLSX file's bytes: {sheet title: rows}."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def failure_of(source, **options):
    with pytest.raises(ImportFailed) as raised:
        read_table(source, **options)
    return raised.value


# --- reading files ------------------------------------------------------------------


def test_a_utf8_csv_with_a_byte_order_mark_is_read_without_notes():
    table = read_table("\ufeffkode_desa,nama_desa\n63.04.03.2001,Andaman\n".encode())

    assert table.header == ["kode_desa", "nama_desa"]
    assert [(row.number, row.cells) for row in table.rows] == [(2, ["63.04.03.2001", "Andaman"])]
    assert table.notes == []


def test_a_windows_1252_csv_is_read_and_the_encoding_and_delimiter_are_reported():
    table = read_table("kode_desa;nama_desa\n63.04.03.2001;Désa Andaman\n".encode("cp1252"))

    assert table.rows[0].text(1) == "Désa Andaman"
    assert any("Windows-1252" in note for note in table.notes)
    assert "Pemisah kolom: titik koma." in table.notes


def test_a_file_mixing_utf8_and_another_encoding_is_refused_with_its_row():
    data = "kode_desa,nama_desa\n63.04.03.2001,Désa\n".encode() + "63.04.03.2002,Désa\n".encode("cp1252")

    failure = failure_of(data)

    assert "baris 3" in str(failure)
    assert "mencampur UTF-8" in str(failure)


@pytest.mark.parametrize(
    ("delimiter", "number", "name"), [(",", "0.7143", None), (";", "0,7143", "titik koma"), ("\t", "0,7143", "tab")]
)
def test_the_delimiter_is_detected(delimiter, number, name):
    data = delimiter.join(["kode_desa", "nama_desa", "iks"]) + "\n" + delimiter.join([ANDAMAN, "ANDAMAN", number])

    table = read_table(data.encode())

    assert table.rows[0].cells == [ANDAMAN, "ANDAMAN", number]
    assert (f"Pemisah kolom: {name}." in table.notes) == bool(name)


def test_a_header_below_title_rows_is_found_and_reported():
    data = "DATA INDEKS DESA MEMBANGUN 2024,,\nKabupaten Barito Kuala,,\n,,\nKODE_DESA,NAMA_DESA,IKS_2024\n"
    data += f"{ANDAMAN},ANDAMAN,0.7143\n"

    table = read_table(data.encode(), header_names=("kode_desa",))

    assert table.header_row == 4
    assert table.find_with_year("iks") == {2024: 2}
    assert table.rows[0].number == 5
    assert "Baris judul kolom: baris 4." in table.notes


def test_a_file_without_the_header_looked_for_is_refused():
    failure = failure_of(b"nomor,desa\n1,Andaman\n", header_names=("kode_desa", "kode"))

    assert "Baris judul kolom tidak ditemukan" in str(failure)
    assert "kode_desa, kode" in str(failure)


def test_an_xlsx_file_names_the_sheet_it_read_and_keeps_numbers_exact():
    data = xlsx(
        {
            "Catatan": [["Sumber: Kemendes PDTT"]],
            "IDM 2024": [["KODE_DESA", "IKS_2024", "TAHUN"], [6304032001, 0.7143, 2024]],
        }
    )

    table = read_table(data, header_names=("kode_desa",))

    assert table.rows[0].cells == ["6304032001", "0.7143", "2024"]
    assert table.notes == ["Lembar yang dibaca: 'IDM 2024'. Lembar lain diabaikan: 'Catatan'."]


def truncated_xlsx():
    data = xlsx({"IDM": [["KODE_DESA", "IKS"], [ANDAMAN, 0.7]]})
    return data[: len(data) // 2]


def ods():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Berkas kosong."),
        (b"\n\n  \n", "Berkas kosong."),
        (b"kode_desa,nama_desa\n", "Berkas tidak berisi baris data."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "gambar PNG"),
        (b"%PDF-1.7\n%\xe2\xe3", "dokumen PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Excel lama"),
        (b"\x1f\x8b\x08\x00", "gzip"),
        (b"<!DOCTYPE html><html><body>Sesi habis</body></html>", "halaman web"),
        ("kode_desa,nama\n".encode("utf-16"), "UTF-16"),
        (b"kode\x00desa\x00\x01\x02\x03", "berkas biner"),
        (b"kode_desa,nama\n63.04.03.2001,D\x81sa\n", "bukan CSV UTF-8 atau XLSX"),
        (b'kode_desa,nama\n63.04.03.2001,"Andaman\n63.04.03.2002,Hilir Mesjid\n', "tanda kutip"),
        (truncated_xlsx(), "rusak atau terpotong"),
        (ods(), "OpenDocument (ODS)"),
    ],
    ids=[
        "empty",
        "blank-lines",
        "header-only",
        "png",
        "pdf",
        "xls",
        "gzip",
        "html",
        "utf-16",
        "binary",
        "not-a-known-encoding",
        "stray-quote",
        "truncated-xlsx",
        "ods",
    ],
)
def test_a_file_that_is_not_a_readable_table_is_refused_with_a_clear_message(content, message):
    failure = failure_of(content)

    assert isinstance(failure, ImportFileError)
    assert message in str(failure)
    assert "tidak ada yang diubah" in str(failure)


def test_a_stray_quote_is_reported_at_its_row():
    failure = failure_of(b'kode_desa,nama\n63.04.03.2001,Andaman\n63.04.03.2002,"Hilir"x\n')

    assert "baris 3" in str(failure)


def test_a_folder_or_a_missing_file_given_as_the_file_is_refused(tmp_path):
    assert "adalah folder, bukan berkas" in str(failure_of(tmp_path))
    assert "Berkas tidak ditemukan" in str(failure_of(tmp_path / "tidak-ada.csv"))


def test_a_csv_cut_short_in_its_last_line_is_recognised():
    assert read_table(b"kode,nama\n11,Aceh\n").complete
    assert not read_table(b"kode,nama\n11,Ac").complete


# --- cells ---------------------------------------------------------------------------


def one_row(*cells, header=("kode", "nama", "nilai")):
    table = read_table(("\t".join(header) + "\n" + "\t".join(cells) + "\n").encode())
    return table, table.rows[0]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("Andaman\x00", "karakter kendali U+0000"),
        ("An\x1bdaman", "karakter kendali U+001B"),
        ("An\x85daman", "karakter kendali U+0085"),
    ],
)
def test_a_cell_with_a_control_character_is_refused_with_row_and_column(cell, message):
    table, row = one_row(ANDAMAN, cell, "0.7")

    assert row.text(1) == ""
    assert not row.ok
    (error,) = table.errors
    assert (error.row, error.column) == (2, "nama")
    assert message in error.message


def test_a_line_break_inside_a_cell_is_refused_unless_the_column_may_hold_several_lines():
    table = read_table(b'kode,nama,keterangan\n63.04.03.2001,"Anda\nman","baris satu\nbaris dua"\n')
    row = table.rows[0]

    assert row.text(2, multiline=True) == "baris satu\nbaris dua"
    assert row.ok
    assert row.text(1) == ""
    assert "baris baru" in table.errors.listed[0].message


def test_invisible_characters_are_dropped_from_a_cell():
    _table, row = one_row(ANDAMAN, "\u200bAnda\u202eman\ufeff", "0.7")

    assert row.text(1) == "Andaman"
    assert row.ok


def test_a_text_longer_than_its_field_is_refused():
    table, row = one_row(ANDAMAN, "SANGAT " * 10, "0.7")

    assert row.text(1, max_length=60) == ""
    assert "terlalu panjang (69 karakter; paling banyak 60)" in table.errors.listed[0].message


@pytest.mark.parametrize("cell", ["NaN", "nan", "sNaN", "inf", "-Infinity", "tujuh", "0.7.1", "1,234.5"])
def test_a_number_cell_that_is_not_a_finite_number_is_refused(cell):
    table, row = one_row(ANDAMAN, "Andaman", cell)

    assert row.decimal(2, places=4) is None
    assert not row.ok
    assert table.errors.listed[0].column == "nilai"
    assert "bukan angka" in table.errors.listed[0].message


@pytest.mark.parametrize(("cell", "value"), [("0.7143", "0.7143"), ("0,7143", "0.7143"), ("0.70000", "0.70000")])
def test_a_number_cell_is_read_with_a_decimal_point_or_comma(cell, value):
    _table, row = one_row(ANDAMAN, "Andaman", cell)

    assert str(row.decimal(2, places=4)) == value
    assert row.ok


def test_a_number_with_more_decimals_than_are_stored_is_refused():
    table, row = one_row(ANDAMAN, "Andaman", "0.49074")

    assert row.decimal(2, places=4) is None
    assert "0.49074 memiliki lebih dari 4 angka di belakang koma" in table.errors.listed[0].message


# --- counting bad rows -----------------------------------------------------------------


def test_every_bad_row_is_counted_and_the_first_are_listed():
    lines = ["kode,nilai"] + [f"{n},bukan-angka" for n in range(1200)]
    table = read_table("\n".join(lines).encode())
    for row in table.rows:
        row.decimal(1)
        row.decimal(1)  # a second problem in the same row: still one bad row

    failure = ImportFailed(table.errors)

    assert table.errors.count == 1200
    assert len(table.errors.listed) == 100
    assert failure.summary() == "1200 baris bermasalah; tidak ada yang diubah."
    lines = failure.lines()
    assert lines[1] == "  baris 2, kolom nilai: 'bukan-angka' bukan angka"
    assert lines[-1] == "  … dan 2380 kesalahan lain"
    assert len(lines) == 1 + 20 + 1


# --- all or nothing, the record, the runner -------------------------------------------------


def region_record():
    return RegionImport.objects.create(source="uji")


def test_an_error_inside_atomic_import_undoes_every_write_and_the_records_outcome(db):
    record = region_record()
    before = tables_checksum(Village, RegionImport)
    result = RegionImportResult(total_rows=1)

    with pytest.raises(ZeroDivisionError), atomic_import(result, record):
        copy_update(Village, ["code"], ["name"], [(ANDAMAN, "Andaman Baru")])
        1 / 0  # noqa: B018

    assert tables_checksum(Village, RegionImport) == before
    assert Village.objects.get(code=ANDAMAN).name == "Andaman"


def test_row_errors_found_while_writing_undo_the_writes(db):
    record = region_record()
    before = tables_checksum(Village)
    result = RegionImportResult(total_rows=1)

    with pytest.raises(ImportFailed), atomic_import(result, record):
        copy_update(Village, ["code"], ["name"], [(ANDAMAN, "Andaman Baru")])
        result.errors.add("kabupaten hilang seluruhnya")

    assert tables_checksum(Village) == before


def test_the_writes_of_an_import_record_the_imports_history_context(db):
    record = region_record()
    result = RegionImportResult(total_rows=1)

    with pghistory.context(region_import=record.pk), atomic_import(result, record):
        copy_update(Village, ["code"], ["name"], [(ANDAMAN, "Andaman Baru")])

    event = Village.objects.get(code=ANDAMAN).events.get()
    assert event.name == "Andaman Baru"
    assert event.pgh_context.metadata["region_import"] == record.pk
    record.refresh_from_db()
    assert record.status == ImportStatus.DONE


def test_the_runner_marks_its_record_failed_with_the_errors_of_a_bad_file(db):
    record = region_record()

    def work():
        raise ImportFileError("Berkas kosong.", file="desa.csv")

    with pytest.raises(ImportFailed):
        import_run(record, work)

    record.refresh_from_db()
    assert record.status == ImportStatus.FAILED
    assert record.errors == [{"row": None, "column": None, "message": "Berkas kosong.", "file": "desa.csv"}]
    assert record.error_count == 1
    assert record.finished_at is not None


def test_the_runner_marks_its_record_failed_on_any_unexpected_error_and_raises_it_again(db):
    record = region_record()
    before = tables_checksum(Village)

    def work():
        with atomic_import(RegionImportResult(), record):
            copy_update(Village, ["code"], ["name"], [(ANDAMAN, "Andaman Baru")])
            raise KeyError("bug")

    with pytest.raises(KeyError):
        import_run(record, work)

    record.refresh_from_db()
    assert record.status == ImportStatus.FAILED
    assert "Kesalahan tak terduga (KeyError); tidak ada yang diubah." in record.errors[0]["message"]
    assert tables_checksum(Village) == before


def test_a_running_import_whose_worker_died_is_failed_once_its_heartbeat_is_stale(db):
    idm = IndexScheme.objects.get(code="idm")
    long_ago = timezone.now() - datetime.timedelta(minutes=16)
    dead = IndexImport.objects.create(scheme=idm, original_name="mati.csv", status=ImportStatus.RUNNING)
    IndexImport.objects.filter(pk=dead.pk).update(heartbeat_at=long_ago)
    alive = IndexImport.objects.create(scheme=idm, original_name="hidup.csv", status=ImportStatus.RUNNING)

    assert IndexImport.fail_stale() == 1

    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == ImportStatus.FAILED
    assert "Impor terhenti sebelum selesai" in dead.errors[0]["message"]
    assert alive.status == ImportStatus.RUNNING


# --- the command line --------------------------------------------------------------------


def test_a_failure_becomes_a_command_error_naming_the_file_and_rows():
    table = read_table(b"kode,nilai\n1,x\n2,0.5\n3,NaN\n")
    for row in table.rows:
        row.decimal(1)

    with pytest.raises(CommandError) as raised, command_errors("idm.csv"):
        raise ImportFailed(table.errors)

    assert str(raised.value).splitlines() == [
        "idm.csv: 2 baris bermasalah; tidak ada yang diubah.",
        "  baris 2, kolom nilai: 'x' bukan angka",
        "  baris 4, kolom nilai: 'NaN' bukan angka",
    ]


def test_an_import_command_that_fails_exits_with_a_nonzero_status(db, tmp_path, capsys, monkeypatch):
    # The command line closes the database connection when a command ends; the test's transaction stays.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)

    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "import_index", str(tmp_path), "--scheme", "idm"]).execute()

    assert exited.value.code != 0
    assert "adalah folder, bukan berkas" in capsys.readouterr().err
    record = IndexImport.objects.get()
    assert record.status == ImportStatus.FAILED
    assert "adalah folder, bukan berkas" in record.errors[0]["message"]


def test_the_command_reports_how_the_file_was_read(db, tmp_path):
    path = tmp_path / "idm.csv"
    path.write_bytes(f"kode_desa;tahun;iks;ike;ikl\n{ANDAMAN};2024;0,7143;0,6667;0,8667\n".encode("cp1252"))
    out = io.StringIO()

    call_command("import_index", str(path), stdout=out)

    assert "Pemisah kolom: titik koma." in out.getvalue()
    assert "1 ditambahkan" in out.getvalue()


def test_the_next_run_of_an_import_fails_the_records_a_killed_process_left_running(db):
    killed = RegionImport.objects.create(source="rilis-lama", status=ImportStatus.RUNNING)
    RegionImport.objects.filter(pk=killed.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(hours=2))

    import_run(region_record(), lambda: None)

    killed.refresh_from_db()
    assert killed.status == ImportStatus.FAILED
    assert killed.finished_at is not None
