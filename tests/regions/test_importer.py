"""The region import: real idn-area-data releases, and modified copies of them.

Every modified release is a copy of the vendored files in tmp_path with real
rows edited. Most copies are complete releases, so an import only sees the
edits made; the test that drops whole provinces uses a subset copy.
"""

import csv
import io
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from partners.models import Organisation
from percontohan.imports import ImportStatus
from regions.importer import DEFAULT_SOURCE, LEVELS
from regions.models import District, Province, Regency, RegionImport, Village, VillageKind
from tests.factories import OrganisationFactory
from tests.snapshots import tables_checksum

FULL_COUNTS = {Province: 38, Regency: 514, District: 7285, Village: 83762}
TOTAL = sum(FULL_COUNTS.values())


def copy_release(folder, provinces=None):
    """A copy of the vendored release, optionally with only some provinces' rows."""
    folder = Path(folder)
    folder.mkdir(parents=True)
    for level in LEVELS:
        if provinces is None:
            shutil.copy(DEFAULT_SOURCE / level.filename, folder / level.filename)
        else:
            rows = read_rows(DEFAULT_SOURCE, level.filename)
            write_rows(folder, level.filename, [rows[0], *(row for row in rows[1:] if row[0][:2] in provinces)])
    return folder


def read_rows(folder, filename):
    with (Path(folder) / filename).open(encoding="utf-8", newline="") as source:
        return list(csv.reader(source))


def write_rows(folder, filename, rows):
    with (Path(folder) / filename).open("w", encoding="utf-8", newline="") as target:
        csv.writer(target).writerows(rows)


def edit_rows(folder, filename, edit):
    """Rewrite one file of a release; `edit(rows)` returns the new rows (header included)."""
    write_rows(folder, filename, edit(read_rows(folder, filename)))


def rename(code, name):
    return lambda rows: [[row[0], *row[1:-1], name] if row[0] == code else row for row in rows]


def without(*prefixes):
    return lambda rows: [row for row in rows if not row[0].startswith(prefixes)]


def run_import(path=None, *options):
    out = io.StringIO()
    call_command("import_regions", *([str(path)] if path else []), *options, stdout=out)
    return out.getvalue()


def region_tables():
    return tables_checksum(Province, Regency, District, Village)


def failed_import(release, *options):
    """Run an import that must fail: returns its message, having checked that not one row of the region
    tables (nor of their history) changed and that the run is recorded as failed with the same message."""
    before = region_tables()
    with pytest.raises(CommandError) as raised:
        run_import(release, *options)
    assert region_tables() == before
    record = RegionImport.objects.latest("started_at")
    assert record.status == ImportStatus.FAILED
    assert record.errors[0]["message"] in str(raised.value)
    message = str(raised.value)
    assert "tidak ada yang diubah" in message
    return message


def current_counts():
    return {model: model.objects.current().count() for model in FULL_COUNTS}


def test_the_session_import_loads_every_region_of_indonesia(db):
    assert {model: model.objects.count() for model in FULL_COUNTS} == FULL_COUNTS
    assert current_counts() == FULL_COUNTS
    assert Regency.objects.get(code="63.04").name == "Kabupaten Barito Kuala"
    assert Village.objects.get(code="63.04.03.2001").district.name == "Anjir Pasar"


def test_a_village_kind_follows_from_its_code(db):
    andaman = Village.objects.get(code="63.04.03.2001")
    sarang_halang = Village.objects.get(code="63.01.03.1001")
    yoboi = Village.objects.get(code="91.03.01.3007")

    assert andaman.kind == VillageKind.DESA
    assert sarang_halang.kind == VillageKind.KELURAHAN
    assert yoboi.kind == VillageKind.DESA_ADAT
    assert (andaman.kind.label, sarang_halang.kind.label) == ("Desa", "Kelurahan")


def test_a_second_run_changes_nothing_and_says_so(db):
    before = region_tables()

    output = run_import()

    assert "Tidak ada perubahan" in output
    assert f"{TOTAL} wilayah sudah sesuai" in output
    assert region_tables() == before
    record = RegionImport.objects.latest("started_at")
    assert record.status == ImportStatus.DONE
    assert (sum(record.created.values()), sum(record.renamed.values()), sum(record.retired.values())) == (0, 0, 0)
    assert record.total_rows == TOTAL


def test_a_new_release_renames_adds_and_retires_villages(db, tmp_path):
    release = copy_release(tmp_path / "rilis")
    # Andaman is renamed; Danau Karya becomes a kelurahan, so its desa code
    # (…2015) is dropped and a kelurahan code (…1001) appears.
    edit_rows(release, "villages.csv", rename("63.04.03.2001", "Andaman I"))
    edit_rows(
        release,
        "villages.csv",
        lambda rows: [["63.04.03.1001", *row[1:]] if row[0] == "63.04.03.2015" else row for row in rows],
    )

    output = run_import(release)

    assert "ditambahkan: village 1" in output
    assert "diubah: village 1" in output
    assert "tidak berlaku: village 1" in output
    andaman = Village.objects.get(code="63.04.03.2001")
    assert andaman.name == "Andaman I"
    assert list(andaman.events.filter(pgh_label="update").values_list("name", flat=True)) == ["Andaman I"]
    kelurahan = Village.objects.get(code="63.04.03.1001")
    assert (kelurahan.name, kelurahan.kind, kelurahan.is_current) == ("Danau Karya", VillageKind.KELURAHAN, True)
    dropped = Village.objects.get(code="63.04.03.2015")
    assert dropped.retired_on == timezone.localdate()
    assert dropped.name == "Danau Karya"
    assert Village.objects.count() == FULL_COUNTS[Village] + 1
    assert Village.objects.current().count() == FULL_COUNTS[Village]
    record = RegionImport.objects.latest("started_at")
    assert (record.created["village"], record.renamed["village"], record.retired["village"]) == (1, 1, 1)
    assert andaman.events.get().pgh_context.metadata["region_import"] == record.pk


def test_a_retired_code_that_comes_back_is_restored(db, tmp_path):
    release = copy_release(tmp_path / "rilis")
    edit_rows(release, "villages.csv", without("63.04.03.2015"))
    run_import(release)
    assert not Village.objects.get(code="63.04.03.2015").is_current

    output = run_import()

    assert "berlaku kembali: village 1" in output
    village = Village.objects.get(code="63.04.03.2015")
    assert village.is_current
    assert village.name == "Danau Karya"
    assert current_counts() == FULL_COUNTS


def test_a_dropped_region_that_records_point_to_is_kept(db, tmp_path, other_pemda_user):
    organisation = OrganisationFactory(regency=Regency.objects.get(code="11.01"), name="Dinas PMD Aceh Selatan")
    # A release with only Kalimantan Tengah and Kalimantan Selatan drops all of Aceh: confirmed.
    release = copy_release(tmp_path / "rilis", provinces=("62", "63"))

    run_import(release, "--confirm-retire")

    aceh_selatan = Regency.objects.get(code="11.01")
    assert aceh_selatan.retired_on == timezone.localdate()
    assert Organisation.objects.get(pk=organisation.pk).regency_id == "11.01"
    assert list(other_pemda_user.scope_regencies.values_list("code", flat=True)) == ["11.01"]
    assert not Village.objects.get(code="11.01.01.2001").is_current
    assert {model: model.objects.count() for model in FULL_COUNTS} == FULL_COUNTS
    assert Village.objects.get(code="63.04.03.2001").is_current


def bad_code(rows):
    return [["63.04.3.2001", *row[1:]] if row[0] == "63.04.03.2001" else row for row in rows]


def line_of(folder, filename, code):
    """The line number (header = 1) of a code in a release file."""
    return next(number for number, row in enumerate(read_rows(folder, filename), start=1) if row[0] == code)


def write_latin1_name(folder):
    path = Path(folder) / "villages.csv"
    text = path.read_text(encoding="utf-8").replace("63.04.03.2001,63.04.03,Andaman", "63.04.03.2001,63.04.03,Andamán")
    path.write_bytes(text.encode("latin-1"))


def empty_districts(folder):
    (Path(folder) / "districts.csv").write_bytes(b"")


def drop_province_column(folder):
    edit_rows(folder, "regencies.csv", lambda rows: [[row[0], row[2]] for row in rows])


def nul_in_name(folder):
    edit_rows(folder, "villages.csv", rename("63.04.03.2001", "Anda\x00man"))


def name_too_long(folder):
    edit_rows(folder, "villages.csv", rename("63.04.03.2001", "Andaman " * 40))


def villages_csv_is_a_folder(folder):
    (Path(folder) / "villages.csv").unlink()
    (Path(folder) / "villages.csv").mkdir()


@pytest.mark.parametrize(
    ("spoil", "filename", "line", "problem"),
    [
        # `line` is the line number, or the code whose line the error must name; the problem follows
        # the row, after its column when the error has one.
        (drop_province_column, "regencies.csv", 1, ": kolom tidak ada: province_code"),
        (
            lambda folder: edit_rows(folder, "villages.csv", bad_code),
            "villages.csv",
            "63.04.03.2001",
            ", kolom code: kode '63.04.3.2001' tidak sah",
        ),
        (
            lambda folder: edit_rows(folder, "districts.csv", without("63.04.03")),
            "villages.csv",
            "63.04.03.2001",
            ", kolom district_code: induk 63.04.03 tidak ada di berkas tingkat di atasnya",
        ),
        (write_latin1_name, "villages.csv", "63.04.03.2001", ": bukan teks UTF-8"),
        (empty_districts, "districts.csv", None, ": Berkas kosong."),
        (nul_in_name, "villages.csv", "63.04.03.2001", ", kolom name: berisi karakter kendali U+0000"),
        (name_too_long, "villages.csv", "63.04.03.2001", ", kolom name: teks terlalu panjang (319 karakter"),
    ],
    ids=["missing-column", "bad-code", "orphan-village", "latin-1-name", "empty-file", "nul-in-name", "too-long"],
)
def test_a_malformed_release_stops_with_file_row_and_problem_and_changes_nothing(
    db, tmp_path, spoil, filename, line, problem
):
    release = copy_release(tmp_path / "rilis", provinces=("63",))
    # A valid change earlier in the release must not be written either.
    edit_rows(release, "provinces.csv", rename("63", "Kalsel"))
    if isinstance(line, str):
        line = line_of(release, filename, line)
    spoil(release)

    message = failed_import(release)

    assert f"{release / filename}{f', baris {line}' if line else ''}{problem}" in message
    assert current_counts() == FULL_COUNTS
    assert Province.objects.get(code="63").name == "Kalimantan Selatan"
    assert Village.objects.get(code="63.04.03.2001").name == "Andaman"


def test_a_file_given_where_a_file_of_the_release_should_be_a_folder_is_refused(db, tmp_path):
    release = copy_release(tmp_path / "rilis")
    villages_csv_is_a_folder(release)

    message = failed_import(release)

    assert f"{release / 'villages.csv'} adalah folder, bukan berkas" in message


def test_every_bad_row_of_every_file_is_counted_and_listed(db, tmp_path):
    release = copy_release(tmp_path / "rilis")
    edit_rows(release, "regencies.csv", lambda rows: [[*row[:2], ""] if row[0] == "63.04" else row for row in rows])
    edit_rows(
        release,
        "villages.csv",
        lambda rows: [[row[0] + "x", *row[1:]] if row[0][:5] == "63.04" else row for row in rows],
    )

    message = failed_import(release)

    barito_kuala_villages = Village.objects.filter(code__startswith="63.04.").count()
    assert f"{1 + barito_kuala_villages} baris bermasalah" in message
    assert f"regencies.csv, baris {line_of(release, 'regencies.csv', '63.04')}, kolom name: nama kosong" in message
    assert f"… dan {1 + barito_kuala_villages - 20} kesalahan lain" in message


# --- a cut-short or wrong release ---------------------------------------------------------


def cut_villages(folder, keep_bytes):
    path = Path(folder) / "villages.csv"
    path.write_bytes(path.read_bytes()[:keep_bytes])


def test_a_villages_file_cut_at_a_row_boundary_stops_with_the_count_unless_confirmed(db, tmp_path):
    release = copy_release(tmp_path / "rilis")
    data = (release / "villages.csv").read_bytes()
    cut_villages(release, data.index(b"\n", len(data) * 97 // 100) + 1)  # the last 3 % of the rows are lost
    kept = len(read_rows(release, "villages.csv")) - 1
    dropped = FULL_COUNTS[Village] - kept

    message = failed_import(release)

    assert f"{dropped} dari {FULL_COUNTS[Village]} desa/kelurahan yang berlaku tidak ada di rilis ini" in message
    assert "batasnya 1 %" in message
    assert "--confirm-retire" in message
    assert "kabupaten/kota hilang seluruhnya dari rilis ini" in message

    output = run_import(release, "--confirm-retire")

    assert f"tidak berlaku: village {dropped}" in output
    assert Village.objects.current().count() == kept


def test_a_villages_file_cut_in_the_middle_of_a_row_is_refused_even_when_confirmed(db, tmp_path):
    release = copy_release(tmp_path / "rilis")
    data = (release / "villages.csv").read_bytes()
    cut_villages(release, len(data) - 5)

    message = failed_import(release, "--confirm-retire")

    assert f"villages.csv, baris {FULL_COUNTS[Village] + 1}: baris terakhir tidak diakhiri baris baru" in message


def test_a_stray_quote_is_refused_with_its_row(db, tmp_path):
    release = copy_release(tmp_path / "rilis")
    line = line_of(release, "villages.csv", "63.04.03.2001")
    path = release / "villages.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("63.04.03.2001,63.04.03,Andaman", '63.04.03.2001,63.04.03,"Andaman'),
        encoding="utf-8",
    )

    message = failed_import(release, "--confirm-retire")

    assert f"villages.csv, baris {line}: tanda kutip" in message


def test_a_release_that_drops_a_whole_regency_stops_unless_confirmed(db, tmp_path):
    release = copy_release(tmp_path / "rilis")
    edit_rows(release, "villages.csv", without("63.04."))  # 0.2 % of the villages, but all of Barito Kuala's

    message = failed_import(release)

    assert "1 kabupaten/kota hilang seluruhnya dari rilis ini (63.04 Kabupaten Barito Kuala)" in message
    assert "desa/kelurahan yang berlaku tidak ada" not in message

    run_import(release, "--confirm-retire")

    assert not Village.objects.current().filter(code__startswith="63.04.").exists()
    assert Regency.objects.get(code="63.04").is_current


# --- a change of edition ---------------------------------------------------------------------


def upper_case_names_in(province):
    return lambda rows: [[*row[:2], row[2].upper()] if row[0][:2] == province else row for row in rows]


def test_a_new_edition_renaming_villages_records_each_change_in_the_history(db, tmp_path):
    release = copy_release(tmp_path / "rilis")
    edit_rows(release, "villages.csv", upper_case_names_in("63"))  # all of Kalimantan Selatan's villages
    differ = sum(1 for row in read_rows(DEFAULT_SOURCE, "villages.csv")[1:] if row[0][:2] == "63")

    output = run_import(release)

    assert f"diubah: village {differ}" in output
    assert Village.objects.get(code="63.04.03.2001").name == "ANDAMAN"
    record = RegionImport.objects.latest("started_at")
    events = apps.get_model("regions", "VillageEvent").objects.filter(
        pgh_label="update", pgh_context__metadata__region_import=record.pk
    )
    assert events.count() == differ
