"""The portal's list tables: essential columns on a phone, a keyboard-scrollable region, Indonesian pagination."""

import re
from pathlib import Path

import django_tables2
import pytest
from django.test import RequestFactory
from django.utils import translation

from percontohan.tables import PHONE_HIDDEN, PortalTable


class CommitmentLikeTable(PortalTable):
    description = django_tables2.Column(attrs={"td": {"class": "text-wrap"}})
    party = django_tables2.Column()
    status = django_tables2.Column()

    phone_columns = ("description", "status")

    class Meta:
        per_page = 2


ROWS = [{"description": f"Komitmen {n}", "party": "Pemkab Barito Kuala", "status": "Terlambat"} for n in range(5)]


def rendered(table, query=""):
    request = RequestFactory().get(f"/perjanjian/komitmen/{query}")
    django_tables2.RequestConfig(request).configure(table)
    return table.as_html(request)


def cells(html, text):
    """The CSS classes of each header and data cell that shows `text`."""
    tags = re.findall(rf"<t[hd][^>]*>\s*(?:<a [^>]*>)?{re.escape(text)}", html)
    assert tags, text
    return [set(re.search(r'class="([^"]*)"', tag)[1].split()) if "class=" in tag else set() for tag in tags]


PHONE_HIDDEN_CLASSES = set(PHONE_HIDDEN.split())


def test_a_phone_sees_only_the_essential_columns():
    html = rendered(CommitmentLikeTable(ROWS))

    for classes in cells(html, "Pemkab Barito Kuala") + cells(html, "Party"):
        assert classes >= PHONE_HIDDEN_CLASSES
    for classes in cells(html, "Komitmen 0") + cells(html, "Terlambat"):
        assert "d-none" not in classes


def test_a_column_keeps_its_own_classes_when_hidden_on_a_phone():
    class Table(CommitmentLikeTable):
        phone_columns = ("status",)

    (classes,) = cells(rendered(Table(ROWS)), "Komitmen 0")
    assert {"text-wrap", *PHONE_HIDDEN_CLASSES} <= classes
    # The class itself is untouched: another table of the same class shows the column on a phone.
    assert "d-none" not in str(CommitmentLikeTable.base_columns["description"].attrs)


def test_a_table_without_essential_columns_shows_them_all():
    class Narrow(PortalTable):
        code = django_tables2.Column()

    assert "d-none" not in rendered(Narrow([{"code": "63.04"}]))


def test_the_table_scrolls_in_a_named_region_a_keyboard_can_focus():
    with translation.override("id"):
        html = rendered(CommitmentLikeTable(ROWS))

    assert re.search(r'<div class="table-responsive" tabindex="0" role="region" aria-label="Tabel">', html)


def test_the_pagination_speaks_indonesian_and_marks_the_current_page():
    with translation.override("id"):
        html = rendered(CommitmentLikeTable(ROWS), "?page=2")

    assert '<nav aria-label="Halaman tabel">' in html
    assert "Sebelumnya" in html and "Berikutnya" in html
    assert "previous" not in html and "next" not in html.replace("Berikutnya", "")
    assert re.search(r'aria-current="page">2</a>', html)


def test_the_pagination_speaks_english_in_english():
    with translation.override("en"):
        html = rendered(CommitmentLikeTable(ROWS), "?page=2")

    assert '<nav aria-label="Table pages">' in html


def test_a_sorted_column_says_so_to_a_screen_reader():
    html = rendered(CommitmentLikeTable(ROWS), "?sort=-status")

    assert re.search(r'<th [^>]*aria-sort="descending"[^>]*>\s*<a [^>]*>Status', html)


LISTS = [
    "/desa/",
    "/desa-percontohan/",
    "/kawasan/",
    "/seleksi/",
    "/perjanjian/",
    "/perjanjian/komitmen/",
    "/mitra/instansi/",
    "/pelatihan/angkatan/",
    "/pelatihan/program/",
    "/pelatihan/pelatih/",
    "/pelatihan/peserta/",
    "/pelatihan/tindak-lanjut/",
]


def test_every_list_renders_each_cell_as_django_tables2_would(client, admin_user, demo):
    """The rows a list writes (PortalTable.body_html, one ColumnReader a column) hold, cell by cell, what
    django-tables2's own rendering (BoundRow.items) gives: links, badges, choice labels, defaults."""
    from percontohan.tables import ColumnReader

    client.force_login(admin_user)
    for url in LISTS:
        table = client.get(url).context["table"]
        readers = [ColumnReader(table, column, rendered=True) for column in table.columns]
        rows = list(table.paginated_rows)
        assert rows, url
        for row in rows:
            assert [read(row.record, row) for read in readers] == [cell for _column, cell in row.items()], url
            # The row's own attributes (a late commitment, an overdue follow-up) and its even/odd class.
            assert table._row_attributes(row) == row.attrs.as_html(), url


# The header row as django-tables2's template tags wrote it before PortalTable.head_html.
TEMPLATE_HEAD = (
    "{% load django_tables2 %}{% for column in table.columns %}\n"
    '  <th {{ column.attrs.th.as_html }} scope="col"{% if column.is_ordered %} aria-sort="'
    '{% if column.order_by_alias.is_descending %}descending{% else %}ascending{% endif %}"{% endif %}>\n'
    '    {% if column.orderable %}<a href="{% querystring_replace table.prefixed_order_by_field='
    'column.order_by_alias.next %}">{{ column.header }}</a>{% else %}{{ column.header }}{% endif %}\n'
    "  </th>\n{% endfor %}"
)


def test_every_list_writes_its_header_row_as_the_template_tags_did(client, admin_user, demo):
    """Headers, sort links keeping the other parameters, the sorted column's aria-sort and classes."""
    from django.template import Context, Template

    client.force_login(admin_user)
    for url in [*LISTS, "/desa/?sort=-index_value&regency=63.04&q=kuala", "/perjanjian/komitmen/?sort=status&page=1"]:
        response = client.get(url)
        table = response.context["table"]
        expected = Template(TEMPLATE_HEAD).render(Context({"table": table, "request": response.wsgi_request}))
        assert " ".join(table.head_html().split()) == " ".join(expected.split()), url


# The page links as the table template wrote them before PortalTable.pagination_html.
TEMPLATE_PAGINATION = "{% load django_tables2 i18n %}" + (Path(__file__).parent / "pagination_before.html").read_text()

MANY_ROWS = [{"description": f"Komitmen {n}", "party": "Pemkab Barito Kuala", "status": "Baru"} for n in range(2400)]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize(
    "query", ["", "?page=2", "?page=7&status=Baru&q=irigasi+desa", "?page=600", "?page=1195", "?page=1200&sort=-party"]
)
def test_the_page_links_are_the_ones_the_template_wrote(language, query):
    """Previous and next, up to ten pages with gaps, the current one marked, the request's other
    parameters kept, the numbers localized (page 1195 of 1200)."""
    from django.template import Context, Template

    with translation.override(language):
        table = CommitmentLikeTable(MANY_ROWS)
        html = rendered(table, query)
        expected = Template(TEMPLATE_PAGINATION).render(Context({"table": table, "request": table.request}))
        assert " ".join(table.pagination_html().split()) == " ".join(expected.split())
        assert " ".join(table.pagination_html().split()) in " ".join(html.split())


def test_a_count_that_stopped_short_shows_a_gap_for_the_last_page_as_the_template_did(client, admin_user, demo):
    from django.template import Context, Template

    client.force_login(admin_user)
    for url in LISTS:
        response = client.get(url + "?per_page=1&page=2")
        table = response.context["table"]
        table.paginator.count_is_exact = False  # as a capped COUNT leaves it
        expected = Template(TEMPLATE_PAGINATION).render(Context({"table": table, "request": response.wsgi_request}))
        assert " ".join(table.pagination_html().split()) == " ".join(expected.split()), url


def test_a_single_page_has_no_page_links():
    table = CommitmentLikeTable(ROWS[:2])
    rendered(table)

    assert table.pagination_html() == ""


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_decimal_is_written_as_django_writes_it(language):
    from decimal import Decimal

    from django.utils import translation
    from django.utils.formats import number_format

    from percontohan.tables import decimal_text

    values = ["0.6543", "0.7", "1", "-0.1234", "0", "999.9999", "1000.5", "12345.6789", "0.00001", "0.12345"]
    with translation.override(language):
        for text in values:
            value = Decimal(text)
            assert decimal_text(value, 4) == number_format(value, 4, use_l10n=True), text
        assert decimal_text(0.5, 4) == number_format(0.5, 4, use_l10n=True)


def test_a_date_is_written_as_django_writes_it_in_each_language():
    import datetime

    from django.utils.formats import date_format

    from percontohan.tables import shown_date

    days = [datetime.date(2024, 5, 3), datetime.date(2026, 12, 31), datetime.date(2025, 8, 17)]
    for language in ("id", "en", "id"):
        with translation.override(language):
            for day in days:
                for name in ("SHORT_DATE_FORMAT", "DATE_FORMAT"):
                    assert shown_date(day, name) == date_format(day, name), (language, day, name)
    with translation.override("id"):
        indonesian = shown_date(days[0], "DATE_FORMAT")
    with translation.override("en"):
        english = shown_date(days[0], "DATE_FORMAT")
    assert "Mei" in indonesian and "May" in english


@pytest.mark.parametrize(
    "order_by",
    [("name",), ("-name",), ("district__regency", "code"), ("-district__name", "name"), ("retired_on",), ()],
)
def test_a_table_made_on_a_sorted_queryset_marks_the_column_django_tables2_would(db, order_by):
    # QuerysetData keeps django-tables2's answer per table class, columns and order: the same, every time.
    from django_tables2.data import TableQuerysetData

    from regions.models import Village
    from villages.tables_village import VillageListTable

    villages = Village.objects.order_by(*order_by)
    request = RequestFactory().get("/desa/")
    theirs = VillageListTable(TableQuerysetData(villages), request=request)  # django-tables2's own ordering

    for _time in range(2):
        ours = VillageListTable(villages, request=request)
        assert type(ours.data).__name__ == "QuerysetData"
        assert ours.order_by == theirs.order_by
        assert ours.head_html() == theirs.head_html()
