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
from django.core.management import CommandError, call_command
from django.utils import timezone

from partners.models import Organisation
from tests.factories import OrganisationFactory
from villages.models import District, Province, Regency, RegionImport, Village, VillageKind
from villages.regions_import import DEFAULT_SOURCE, LEVELS

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


def run_import(path=None):
    out = io.StringIO()
    call_command("import_regions", *([str(path)] if path else []), stdout=out)
    return out.getvalue()


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
    imports = RegionImport.objects.count()

    output = run_import()

    assert "Tidak ada perubahan" in output
    assert f"{TOTAL} wilayah sudah sesuai" in output
    assert RegionImport.objects.count() == imports
    assert not Village.objects.get(code="63.04.03.2001").events.exists()
    assert current_counts() == FULL_COUNTS


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
    # A release with only Kalimantan Tengah and Kalimantan Selatan drops all of Aceh.
    release = copy_release(tmp_path / "rilis", provinces=("62", "63"))

    run_import(release)

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


@pytest.mark.parametrize(
    ("spoil", "filename", "line", "problem"),
    [
        # `line` is the line number, or the code whose line the error must name.
        (drop_province_column, "regencies.csv", 1, "kolom tidak ada: province_code"),
        (
            lambda folder: edit_rows(folder, "villages.csv", bad_code),
            "villages.csv",
            "63.04.03.2001",
            "kode '63.04.3.2001' tidak sah",
        ),
        (
            lambda folder: edit_rows(folder, "districts.csv", without("63.04.03")),
            "villages.csv",
            "63.04.03.2001",
            "induk 63.04.03 tidak ada di berkas tingkat di atasnya",
        ),
        (write_latin1_name, "villages.csv", "63.04.03.2001", "bukan teks UTF-8"),
        (empty_districts, "districts.csv", None, "berkas kosong"),
    ],
    ids=["missing-column", "bad-code", "orphan-village", "latin-1-name", "empty-file"],
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
    imports = RegionImport.objects.count()

    with pytest.raises(CommandError) as raised:
        run_import(release)

    message = str(raised.value)
    assert f"{release / filename}{f', baris {line}' if line else ''}: {problem}" in message
    assert "tidak ada yang diubah" in message
    assert current_counts() == FULL_COUNTS
    assert Province.objects.get(code="63").name == "Kalimantan Selatan"
    assert Village.objects.get(code="63.04.03.2001").name == "Andaman"
    assert RegionImport.objects.count() == imports
