"""Indonesian formats (10 Maret 2020, Rp 1.250.000) and the friendly error pages."""

import datetime
from decimal import Decimal

import django_tables2
import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import formats, timezone, translation
from django.views import defaults

from percontohan.templatetags.portal import rupiah


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (1250000, "Rp 1.250.000"),
        (Decimal("1250000.00"), "Rp 1.250.000"),
        ("1250000", "Rp 1.250.000"),
        (0, "Rp 0"),
        (950, "Rp 950"),
        (2_500_000_000, "Rp 2.500.000.000"),
        (-75000, "-Rp 75.000"),
    ],
)
def test_amounts_are_shown_in_rupiah_the_indonesian_way(amount, shown):
    with translation.override("id"):
        assert rupiah(amount) == shown


def test_a_missing_amount_is_shown_as_a_dash():
    assert rupiah(None) == "—"
    assert rupiah("") == "—"


def test_text_that_is_not_an_amount_is_left_alone():
    assert rupiah("belum diketahui") == "belum diketahui"


def test_the_rupiah_filter_works_in_templates():
    template = Template("{% load portal %}{{ amount|rupiah }}")
    with translation.override("id"):
        assert template.render(Context({"amount": 1250000})) == "Rp 1.250.000"


def test_english_groups_rupiah_with_commas():
    with translation.override("en"):
        assert rupiah(1250000) == "Rp 1,250,000"


def test_dates_are_written_as_officials_write_them():
    with translation.override("id"):
        assert formats.date_format(datetime.date(2020, 3, 10)) == "10 Maret 2020"
        assert formats.date_format(datetime.date(2024, 8, 17)) == "17 Agustus 2024"
        assert formats.date_format(datetime.date(2020, 3, 10), "SHORT_DATE_FORMAT") == "10 Mar 2020"


@pytest.mark.parametrize(
    ("language", "day", "shown"),
    [
        ("id", datetime.date(2020, 3, 10), "10 Mar 2020"),
        ("id", datetime.date(2024, 8, 17), "17 Agu 2024"),
        ("id", datetime.date(2025, 10, 1), "1 Okt 2025"),
        ("id", datetime.date(2025, 12, 31), "31 Des 2025"),
        ("en", datetime.date(2025, 12, 31), "31 Dec 2025"),
    ],
)
def test_list_tables_write_short_dates_with_the_month_in_words(language, day, shown):
    # Never 10/03/2020, which a reader abroad takes for 3 October.
    with translation.override(language):
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == shown


def test_a_date_column_of_a_list_table_shows_the_short_indonesian_date():
    class Table(django_tables2.Table):
        due_date = django_tables2.DateColumn()

    with translation.override("id"):
        table = Table([{"due_date": datetime.date(2025, 3, 31)}])
        assert table.rows[0].get_cell("due_date") == "31 Mar 2025"


def test_the_portals_date_columns_show_short_indonesian_dates_and_their_default_for_none():
    from percontohan.tables import DateColumn, DateTimeColumn, PortalTable

    class Table(PortalTable):
        due_date = DateColumn(default="—", empty_values=())
        recorded_at = DateTimeColumn()

    moment = datetime.datetime(2020, 3, 10, 8, 30, tzinfo=datetime.UTC)
    with translation.override("id"):
        table = Table([{"due_date": datetime.date(2025, 3, 31), "recorded_at": moment}, {"due_date": None}])
        assert table.rows[0].get_cell("due_date") == "31 Mar 2025"
        # In the portal's time zone (Asia/Makassar for Kalimantan Selatan, or whatever settings say).
        assert table.rows[0].get_cell("recorded_at") == formats.date_format(
            timezone.localtime(moment), "SHORT_DATETIME_FORMAT"
        )
        assert table.rows[1].get_cell("due_date") == "—"


def test_short_date_and_time_keep_the_indonesian_dot_in_the_time():
    moment = datetime.datetime(2020, 3, 10, 16, 30)
    with translation.override("id"):
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "10 Mar 2020, 16.30"


def test_the_date_filter_uses_the_indonesian_format():
    template = Template("{{ day|date }}")
    with translation.override("id"):
        assert template.render(Context({"day": datetime.date(2020, 3, 10)})) == "10 Maret 2020"


def test_numbers_group_thousands_with_dots():
    with translation.override("id"):
        assert formats.number_format(91599, force_grouping=True) == "91.599"
        assert formats.number_format(Decimal("0.75"), decimal_pos=2) == "0,75"


def test_dates_typed_the_indonesian_way_are_understood():
    with translation.override("id"):
        assert "%d/%m/%Y" in formats.get_format("DATE_INPUT_FORMATS")


def test_an_unknown_page_is_the_friendly_indonesian_404(client, pemda_user):
    client.force_login(pemda_user)
    response = client.get("/tidak-ada-halaman-ini/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Halaman tidak ditemukan" in content
    assert "di luar cakupan wilayah Anda" in content


def test_a_record_outside_the_scope_gets_the_same_404(client, other_pemda_user):
    client.force_login(other_pemda_user)
    response = client.get("/wilayah/kabupaten/63.04/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_the_500_page_renders_without_a_database():
    # No `db` fixture: any database access here would fail the test.
    content = render_to_string("500.html")
    assert "Terjadi kesalahan pada server" in content
    assert '<html lang="id">' in content


def test_the_server_error_handler_serves_the_500_page_without_a_database():
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Data Anda tidak diubah" in response.content.decode()
