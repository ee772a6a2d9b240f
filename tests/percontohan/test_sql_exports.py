"""Exports PostgreSQL writes (percontohan.exports.SqlRows): a list whose exported columns are all fields,
annotations or SQL its table declares gets its CSV from `COPY (SELECT …)` and its XLSX rows as typed
tuples — what the Python path writes, byte for byte and value for value: formula-safe, quoted, in the
user's language and time zone."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from percontohan import exports
from regions.models import Village
from tests.percontohan.test_tables import LISTS as EVERY_LIST
from tests.trainings.factories import make_person
from trainings.models import Person

BARITO_KUALA_VILLAGES = "/desa/?regency=63.04"
HOSTILE_NAMES = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)", 'Desa "Baru", Utara', "Baris\nbaru", "\tTab"]


class Paths(list):
    """The paths of the lists PostgreSQL wrote; `python_only()` turns the SQL path off."""


@pytest.fixture
def sql_paths(monkeypatch):
    of = exports.SqlRows.of.__func__
    paths = Paths()

    def spying(cls, table, readers):
        rows = of(cls, table, readers)
        if rows is not None:
            paths.append(table.request.path)
        return rows

    monkeypatch.setattr(exports.SqlRows, "of", classmethod(spying))
    paths.python_only = lambda: monkeypatch.setattr(exports.SqlRows, "of", classmethod(lambda cls, t, r: None))
    return paths


def export(client, url, export_format):
    joiner = "&" if "?" in url else "?"
    response = client.get(f"{url}{joiner}_export={export_format}")
    assert response.status_code == 200, url
    return response.getvalue()


def xlsx_values(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def both_ways(client, urls, sql_paths):
    """Each list's CSV and XLSX values as written now, then as Python alone writes them."""
    written = {url: (export(client, url, "csv"), xlsx_values(export(client, url, "xlsx"))) for url in urls}
    sql_paths.python_only()
    in_python = {url: (export(client, url, "csv"), xlsx_values(export(client, url, "xlsx"))) for url in urls}
    return written, in_python


def test_every_list_exports_the_same_rows_whether_postgresql_or_python_writes_them(client, admin_user, demo, sql_paths):
    urls = [BARITO_KUALA_VILLAGES if url == "/desa/" else url for url in EVERY_LIST]
    client.force_login(admin_user)

    written, in_python = both_ways(client, urls, sql_paths)

    # The long lists are written by PostgreSQL: villages, and people with dates and times of day.
    assert {"/desa/", "/pelatihan/peserta/"} <= set(sql_paths)
    for url in urls:
        csv_text, xlsx = written[url]
        assert csv_text == in_python[url][0], url
        assert xlsx == in_python[url][1], url
        assert len(xlsx) > 1, url


def test_texts_postgresql_writes_are_formula_safe_and_quoted_as_python_quotes_them(client, pemda_user, sql_paths):
    villages = list(Village.objects.filter(district__regency="63.04").order_by("code")[: len(HOSTILE_NAMES)])
    for village, name in zip(villages, HOSTILE_NAMES, strict=True):
        Village.objects.filter(pk=village.pk).update(name=name)
    client.force_login(pemda_user)

    written, in_python = both_ways(client, ["/desa/"], sql_paths)

    assert sql_paths == ["/desa/", "/desa/"]
    csv_text, xlsx = written["/desa/"]
    assert csv_text == in_python["/desa/"][0]
    names = [row[1] for row in csv.reader(io.StringIO(csv_text.decode("utf-8-sig")))][1 : len(HOSTILE_NAMES) + 1]
    assert names == [
        '\'=HYPERLINK("http://x","y")',
        "'+1",
        "'-2+3",
        "'@SUM(A1)",
        'Desa "Baru", Utara',
        "Baris\nbaru",
        "'\tTab",
    ]
    # The spreadsheet holds the texts themselves, as text cells.
    assert [row[1] for row in xlsx[1 : len(HOSTILE_NAMES) + 1]] == HOSTILE_NAMES
    assert xlsx == in_python["/desa/"][1]


def test_postgresql_writes_the_local_time_dates_and_labels_in_the_users_language(client, admin_user, sql_paths):
    person = make_person(full_name="Siti Aminah", nik=None)
    # Recorded at 23:30 in Jakarta: already the next day there, still the same day in UTC.
    recorded = datetime.datetime(2026, 3, 1, 16, 30, 5, tzinfo=datetime.UTC)
    Person.objects.filter(pk=person.pk).update(created_at=recorded, birth_date=datetime.date(1990, 7, 17))
    client.force_login(admin_user)
    client.cookies["django_language"] = "en"

    written, in_python = both_ways(client, ["/pelatihan/peserta/?q=Siti+Aminah"], sql_paths)

    csv_text, xlsx = written["/pelatihan/peserta/?q=Siti+Aminah"]
    assert sql_paths == ["/pelatihan/peserta/", "/pelatihan/peserta/"]
    assert (csv_text, xlsx) == in_python["/pelatihan/peserta/?q=Siti+Aminah"]
    header, row = list(csv.reader(io.StringIO(csv_text.decode("utf-8-sig"))))
    shown = dict(zip(header, row, strict=True))
    assert shown["Name"] == "Siti Aminah"
    assert shown["NIK (masked)"] == "no NIK"
    assert shown["Sex"] == "Female"
    assert shown["Birth date"] == "1990-07-17"
    assert shown["Recorded"] == "2026-03-01 23:30:05"
    assert shown["Education"] == ""
    typed = dict(zip(xlsx[0], xlsx[1], strict=True))
    assert typed["Recorded"] == timezone.localtime(recorded).replace(tzinfo=None)
    assert typed["Birth date"] == datetime.datetime(1990, 7, 17)
    assert typed["Education"] is None


def test_a_column_only_python_can_read_keeps_the_whole_export_in_python(client, pemda_user, sql_paths):
    from tests.agreements.factories import SignedAgreementFactory

    SignedAgreementFactory(title="Perjanjian Barito Kuala")
    client.force_login(pemda_user)

    rows = list(csv.reader(io.StringIO(export(client, "/perjanjian/", "csv").decode("utf-8-sig"))))

    assert sql_paths == []  # its parties are read from related records
    assert any("Perjanjian Barito Kuala" in cell for row in rows for cell in row)
