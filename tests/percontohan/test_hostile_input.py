"""Hostile input never causes a server error, and invisible characters never reach the database.

Every URL the access walker knows (tests/percontohan/test_access.py) gets a NUL byte in each path
argument, and a NUL byte, bytes that are not UTF-8 and 5,000-character values in each parameter it
reads (search, page, sort, export, every filter of its filter set, and what its case sends).
"""

import importlib
import inspect
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django import forms
from django.db import DatabaseError, connection
from django.test import Client
from django.urls import resolve, reverse

from partners.models import Organisation
from percontohan.filters import SEARCH_MAX_LENGTH
from percontohan.forms import NUL_MESSAGE, CleanTextMixin
from percontohan.text import clean_text
from tests.factories import OrganisationFactory
from tests.percontohan import organisation_form_data, test_access

# The walker's sample records (organisations, agreements, rounds, …), made the same way.
samples = test_access.samples

# Query-string and form parameters, already percent-encoded as a browser or a script would send them.
NUL = "63.04%00"
NOT_UTF8 = "%FF%FE"
REFUSED = {"NUL": NUL, "not UTF-8": NOT_UTF8}
LONG = {"5,000 digits": "9" * 5000, "5,000 letters": "Barito+" * 714 + "xx"}
# Read by views and tables outside a filter set: search, pagination, sorting, export, the pilot
# proposal's and score sheet's choices, the village search's regencies, the login page's return address.
COMMON_PARAMETERS = (
    "q",
    "page",
    "sort",
    "per_page",
    "_export",
    "regency",
    "kawasan",
    "stakeholder",
    "kabupaten",
    "next",
)
PATH_SENTINEL = 987654321
EDITORS = ["admin_user", "blm_user"]


def registry_urls(samples):
    """(method, URL, the case's data) for every case of the walker."""
    for name, cases in test_access.REGISTRY.items():
        for case in cases:
            yield name, case, reverse(name, kwargs=test_access.resolve_kwargs(case.kwargs, samples))


def parameters_of(url, case):
    """The parameters a page reads: the common ones, its filter set's and those its case sends."""
    view_class = getattr(resolve(url).func, "view_class", None)
    filterset_class = getattr(view_class, "filterset_class", None)
    filters = list(filterset_class.base_filters) if filterset_class else []
    return dict.fromkeys([*COMMON_PARAMETERS, *filters, *case.data])


def encoded(data, name, raw_value):
    """`data` with `name` set to an already percent-encoded value, as a query string or form body."""
    pairs = []
    for key, value in data.items():
        if key == name:
            continue
        for item in value if isinstance(value, list) else [value]:
            pairs.append(f"{quote(str(key))}={quote(str(item))}")
    pairs.append(f"{quote(name)}={raw_value}")
    return "&".join(pairs)


def send(client, case, url, body):
    if case.method == "get":
        return client.get(f"{url}?{body}")
    return client.generic(case.method.upper(), url, body, content_type="application/x-www-form-urlencoded")


@contextmanager
def no_database_errors():
    """Fails the test if any query fails, even one whose error a view caught."""
    failures = []

    def record(execute, sql, params, many, context):
        try:
            return execute(sql, params, many, context)
        except DatabaseError as error:
            failures.append(f"{error!r} in {sql[:200]}")
            raise

    with connection.execute_wrapper(record):
        yield
    assert not failures, failures


def client_of(request, user):
    client = Client(raise_request_exception=False)
    client.force_login(request.getfixturevalue(user))
    return client


# --- Every URL and parameter the walker knows ------------------------------------


@pytest.mark.parametrize("user", EDITORS)
def test_a_nul_byte_in_any_path_argument_finds_no_page(request, samples, user):
    client = client_of(request, user)
    with no_database_errors():
        for name, case, _url in registry_urls(samples):
            for key, value in test_access.resolve_kwargs(case.kwargs, samples).items():
                kwargs = {**test_access.resolve_kwargs(case.kwargs, samples), key: PATH_SENTINEL}
                url = reverse(name, kwargs=kwargs).replace(str(PATH_SENTINEL), f"{quote(str(value))}%00", 1)
                response = getattr(client, case.method)(url)
                assert response.status_code == 404, url


@pytest.mark.parametrize("user", EDITORS)
def test_a_nul_byte_or_bytes_that_are_not_utf8_in_any_parameter_are_refused_with_a_message(request, samples, user):
    client = client_of(request, user)
    with no_database_errors():
        for _name, case, url in registry_urls(samples):
            for parameter in parameters_of(url, case):
                for kind, raw_value in REFUSED.items():
                    body = encoded(case.data, parameter, raw_value)
                    response = send(client, case, url, body)
                    where = f"{case.method.upper()} {url} {parameter}={kind}"
                    if case.method == "get":
                        assert response.status_code == 400, where
                        assert "karakter yang tidak diizinkan" in response.content.decode(), where
                    else:
                        # A form field's value: the form answers (tests below), never the server's error page.
                        assert response.status_code < 500, where


@pytest.mark.parametrize("user", EDITORS)
def test_a_5000_character_value_in_any_parameter_causes_no_server_error(request, samples, user):
    client = client_of(request, user)
    with no_database_errors():
        for _name, case, url in registry_urls(samples):
            for parameter in parameters_of(url, case):
                for kind, raw_value in LONG.items():
                    response = send(client, case, url, encoded(case.data, parameter, raw_value))
                    assert response.status_code < 500, f"{case.method.upper()} {url} {parameter}={kind}"
                    response.getvalue()  # a streamed export fails while it streams


def test_a_nul_byte_in_a_form_field_name_is_refused(client, blm_user):
    client.force_login(blm_user)
    response = client.generic(
        "POST",
        reverse("partners:organisation_create"),
        "name=Dinas+Baru&kind=dinas&bad%00name=1",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert not Organisation.objects.filter(name="Dinas Baru").exists()


# --- The cases the issue names --------------------------------------------------


def test_a_village_code_with_a_nul_byte_finds_no_village(client, blm_user):
    client.force_login(blm_user)
    response = client.get("/wilayah/desa/63.04.03.2003%00/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_a_region_code_that_is_not_utf8_finds_no_region(client, blm_user):
    client.force_login(blm_user)
    assert client.get("/wilayah/kecamatan/63.04%FF%FE/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/desa/?province=%00",
        "/desa/?regency=63.04%00",
        "/desa/?district=63.04.03%00",
        "/desa-percontohan/usulkan/?regency=63.04%00",
        "/wilayah/?q=Barito%00",
        "/wilayah/kabupaten/63.04/?q=%FF%FE",
    ],
)
def test_a_filter_or_search_with_a_nul_byte_is_refused_with_a_message(client, blm_user, url):
    client.force_login(blm_user)
    response = client.get(url)
    assert response.status_code == 400
    content = response.content.decode()
    assert "Permintaan tidak dapat diproses" in content
    assert f'href="{url.split("?")[0]}"' in content  # the page again, without the search and filters


def test_a_nul_byte_in_the_proposed_pilot_villages_regency_is_refused(client, blm_user):
    client.force_login(blm_user)
    response = client.post(reverse("villages:pilot_create"), {"regency": "63.04\x00", "village": "63.04.03.2001"})
    assert response.status_code < 500


def test_an_over_long_search_is_a_form_error_and_lists_nothing(client, blm_user):
    OrganisationFactory(name="Dinas PMD Barito Kuala")
    client.force_login(blm_user)
    response = client.get(reverse("partners:organisation_list"), {"q": "Barito" * 1000})
    assert response.status_code == 200
    content = response.content.decode()
    assert f"paling banyak {SEARCH_MAX_LENGTH} karakter" in content
    assert "Dinas PMD Barito Kuala" not in content


# --- Invisible characters in what people type ---------------------------------------


def new_organisation(**fields):
    """The form of a new Barito Kuala office as a browser posts it."""
    return {"name": "Dinas Baru", "kind": "dinas", "province": "63", "regency": "63.04", "address": "", **fields}


def test_a_direction_override_in_an_organisation_name_is_not_stored(client, blm_user):
    client.force_login(blm_user)
    data = new_organisation(
        name="Dinas PMD\u202e Barito\u200b Kuala\ufeff",
        address="Jalan\u2066 Gatot\u2069 Subroto\r\nMarabahan\tKalimantan Selatan",
    )
    response = client.post(reverse("partners:organisation_create"), data)
    assert response.status_code == 302
    organisation = Organisation.objects.get(regency_id="63.04")
    assert organisation.name == "Dinas PMD Barito Kuala"
    assert organisation.address == "Jalan Gatot Subroto\r\nMarabahan\tKalimantan Selatan"


def test_a_search_with_an_invisible_character_still_finds_the_organisation(client, blm_user):
    OrganisationFactory(name="Dinas PMD Barito Kuala")
    client.force_login(blm_user)
    response = client.get(reverse("partners:organisation_list"), {"q": "Bari\u200bto"})
    assert "Dinas PMD Barito Kuala" in response.content.decode()


def test_a_nul_byte_in_a_name_is_an_error_beside_the_field_and_nothing_is_saved(client, blm_user):
    client.force_login(blm_user)
    data = new_organisation(name="Dinas PMD\x00 Barito Kuala")
    response = client.post(reverse("partners:organisation_create"), data)
    assert response.status_code == 200
    assert str(NUL_MESSAGE) in response.content.decode()
    assert not Organisation.objects.filter(regency_id="63.04").exists()


def test_a_nul_byte_in_an_edited_title_is_an_error_and_the_record_is_unchanged(client, blm_user):
    organisation = OrganisationFactory(name="Dinas PMD Barito Kuala", address="Jalan Lama")
    client.force_login(blm_user)
    url = reverse("partners:organisation_update", args=[organisation.pk])
    response = client.post(url, organisation_form_data(organisation, address="Jalan\x00 Baru"))
    assert response.status_code == 200
    assert str(NUL_MESSAGE) in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.address == "Jalan Lama"


def test_the_text_sanitiser_drops_invisible_characters_and_keeps_the_rest():
    assert clean_text("Desa \u202eexe.jpg") == "Desa exe.jpg"
    assert clean_text("Ba\u200bhan\u200ddang\u2060\u00ad") == "Bahandang"
    assert clean_text("\ufeffKode\x00 \x1b[31m63.04\x7f\x85") == "Kode [31m63.04"
    assert clean_text("Baris satu\r\nBaris dua\tkolom") == "Baris satu\r\nBaris dua\tkolom"
    assert clean_text("Kecamatan Anjir Pasar — Kalimantan Selatan, 2024–2025 ✓") == (
        "Kecamatan Anjir Pasar — Kalimantan Selatan, 2024–2025 ✓"
    )
    assert clean_text(None) is None


def project_form_modules():
    root = Path(__file__).resolve().parents[2]
    for app in ("percontohan", "regions", "villages", "partners", "agreements", "trainings"):
        for path in sorted((root / app).glob("forms*.py")):
            yield importlib.import_module(f"{app}.{path.stem}")


def test_every_form_of_the_portal_drops_invisible_characters():
    """A new form that derives from Django's Form instead of percontohan.forms fails here."""
    checked = []
    for module in project_form_modules():
        for name, member in inspect.getmembers(module, inspect.isclass):
            if member.__module__ != module.__name__:
                continue
            if issubclass(member, forms.BaseForm):
                assert issubclass(member, CleanTextMixin), f"{module.__name__}.{name} derives from percontohan.forms"
                checked.append(name)
            if issubclass(member, forms.BaseFormSet) and hasattr(member, "form"):
                assert issubclass(member.form, CleanTextMixin), f"{module.__name__}.{name}'s form"
    assert "OrganisationForm" in checked
