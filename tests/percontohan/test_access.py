"""Every URL of the project, walked for every role: who gets in, who is refused, and nobody gets a 500.

REGISTRY names every non-admin URL of the project with sample arguments and
what each user should get. A URL that is added to the project without an
entry here fails `test_every_url_has_an_access_test`, so no page ships
without an access test. Admin URLs are walked generically from the admin
site's registry.
"""

from importlib import import_module
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.http import urlencode

from partners.models import Organisation
from regions.models import Province, Regency
from tests.access import (
    ACEH_SELATAN,
    ANONYMOUS,
    BARITO_KUALA,
    EVERYONE_IN,
    EVERYONE_REDIRECTED,
    LOGGED_OUT,
    NOBODY,
    REDIRECT,
    USERS,
    Case,
    check_case,
    client_for,
    resolve_kwargs,
)
from tests.factories import OrganisationFactory
from tests.percontohan import organisation_form_data

# Sample arguments: strings name a sample record (see the `samples` fixture) or a real region code.
CORE_REGISTRY = {
    "home": [Case(expect=EVERYONE_IN)],
    "login": [Case(expect=EVERYONE_REDIRECTED, anonymous=200)],
    "logout": [
        Case(expect={user: 405 for user in USERS}),
        Case(method="post", expect={user: LOGGED_OUT for user in USERS}, anonymous=LOGGED_OUT),
    ],
    "password_change": [Case(expect=EVERYONE_IN)],
    "password_change_done": [Case(expect=EVERYONE_IN)],
    "set_language": [
        # A GET only follows `next`; it changes nothing.
        Case(expect=EVERYONE_REDIRECTED, anonymous=REDIRECT),
        Case(method="post", data={"language": "id", "next": "/"}, expect=EVERYONE_REDIRECTED, anonymous=REDIRECT),
    ],
    "regions:index": [Case(expect=EVERYONE_IN)],
    "regions:province": [
        Case(kwargs={"code": "63"}, expect=BARITO_KUALA),
        Case(kwargs={"code": "11"}, expect=ACEH_SELATAN),
        Case(kwargs={"code": "99"}, expect=NOBODY),
    ],
    "regions:regency": [
        Case(kwargs={"code": "63.04"}, expect=BARITO_KUALA),
        Case(kwargs={"code": "63.05"}, expect={**BARITO_KUALA, "pemda_user": 404}),
        Case(kwargs={"code": "11.01"}, expect=ACEH_SELATAN),
    ],
    "regions:district": [
        Case(kwargs={"code": "63.04.03"}, expect=BARITO_KUALA),
        Case(kwargs={"code": "11.01.01"}, expect=ACEH_SELATAN),
    ],
}


def access_modules():
    """Every tests/<app>/access_*.py module: the cases and samples of one area of the portal."""
    root = Path(__file__).resolve().parent.parent
    for path in sorted(root.glob("*/access_*.py")):
        yield import_module(f"tests.{path.parent.name}.{path.stem}")


# The access module each case comes from (by the case's id): its samples are built first.
CASE_MODULES = {}


def merged_registry():
    registry = {name: list(cases) for name, cases in CORE_REGISTRY.items()}
    for module in access_modules():
        for name, cases in module.CASES.items():
            registry.setdefault(name, []).extend(cases)
            CASE_MODULES.update((id(case), module.__name__) for case in cases)
    return registry


REGISTRY = merged_registry()


class LazySamples(dict):
    """The samples of the access modules, each module's built only when a case names one of them.

    Building every module's samples for each of the walker's thousands of requests would cost more
    than the requests; a case names the samples of its own module (built first), rarely another's.
    """

    def __init__(self, first=None):
        super().__init__()
        modules = list(access_modules())
        self.pending = sorted(modules, key=lambda module: module.__name__ != first)

    def _build_until(self, key):
        while not dict.__contains__(self, key) and self.pending:
            module = self.pending.pop(0)
            more = module.make_samples()
            assert not self.keys() & more.keys(), f"{module.__name__} reuses sample names"
            self.update(more)

    def __contains__(self, key):
        self._build_until(key)
        return dict.__contains__(self, key)

    def __getitem__(self, key):
        self._build_until(key)
        return dict.__getitem__(self, key)


def project_url_patterns(resolver=None, prefix="", namespace=()):
    """Every URL pattern of the project as (full name, route, pattern), namespaces included."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = (*namespace, pattern.namespace) if pattern.namespace else namespace
            yield from project_url_patterns(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            name = ":".join((*namespace, pattern.name)) if pattern.name else None
            yield name, route, pattern


def is_admin(route):
    return route.startswith("admin/")


def registry_cases():
    for name, cases in REGISTRY.items():
        for index, case in enumerate(cases):
            for user in (ANONYMOUS, *USERS):
                yield pytest.param(name, case, user, id=f"{name}-{index}-{user}")


@pytest.fixture
def samples(db, blm_user):
    """The records the cases name, from each access module."""
    samples = {}
    for module in access_modules():
        more = module.make_samples()
        assert not samples.keys() & more.keys(), f"{module.__name__} reuses sample names"
        samples.update(more)
    return samples


def test_every_url_has_an_access_test():
    named = set()
    for name, route, _pattern in project_url_patterns():
        if is_admin(route):
            continue
        assert name, f"The URL {route!r} has no name; name it and add it to REGISTRY"
        named.add(name)
    missing, gone = sorted(named - REGISTRY.keys()), sorted(REGISTRY.keys() - named)
    assert not missing, f"URLs without an access test (add them to REGISTRY): {missing}"
    assert not gone, f"REGISTRY names URLs that no longer exist: {gone}"


def test_every_registered_case_expects_every_user():
    for name, cases in REGISTRY.items():
        for case in cases:
            assert set(case.expect) == set(USERS), name


@pytest.mark.parametrize(("name", "case", "user"), registry_cases())
def test_each_user_gets_what_their_role_and_region_allow_and_a_refused_write_changes_nothing(
    request, db, blm_user, name, case, user
):
    check_case(request, LazySamples(first=CASE_MODULES.get(id(case))), name, case, user)


def test_every_page_that_changes_data_is_also_posted_by_someone_allowed():
    """A write page needs a POST case too, so that the write itself (not only its form) is walked."""
    for name, cases in REGISTRY.items():
        if any(case.is_write_page for case in cases):
            assert any(case.method == "post" for case in cases), f"{name} has no POST case"


def admin_sample_kwargs(pattern, samples, admin_user):
    """Arguments for an admin URL: a real row of the admin's model, or of Organisation."""
    keys = set(pattern.pattern.converters)
    if not keys:
        return {}
    if keys == {"content_type_id", "object_id"}:
        organisation = samples["barito_kuala_organisation"]
        return {"content_type_id": ContentType.objects.get_for_model(Organisation).pk, "object_id": organisation.pk}
    if keys == {"id"}:
        return {"id": admin_user.pk}
    model_admin = getattr(pattern.callback, "model_admin", None)
    assert model_admin is not None, f"No sample arguments for admin URL {pattern}"
    assert keys == {"object_id"}, f"No sample arguments for admin URL {pattern}"
    row = model_admin.model._default_manager.order_by().first()
    return {"object_id": row.pk if row is not None else "0"}


def admin_urls(samples, admin_user):
    urls = []
    for _name, route, pattern in project_url_patterns():
        if not is_admin(route):
            continue
        kwargs = admin_sample_kwargs(pattern, samples, admin_user)
        urls.append("/" + "".join(_fill(route, kwargs)))
    return urls


def _fill(route, kwargs):
    # "admin/x/<path:object_id>/change/" → "admin/x/12/change/"
    for part in route.replace(">", "<").split("<"):
        if ":" in part and part.split(":")[1] in kwargs:
            yield str(kwargs[part.split(":")[1]])
        elif part in kwargs:
            yield str(kwargs[part])
        else:
            yield part


def test_the_admin_sends_anonymous_visitors_to_a_login_page(client, samples, admin_user):
    # Admin-site views name the admin login; ModelAdmin views get the portal's
    # LOGIN_URL from LoginRequiredMiddleware. Either way: a login page, then back.
    login_pages = {reverse("admin:login"), reverse("login")}
    for url in admin_urls(samples, admin_user):
        response = client.get(url)
        if url == reverse("admin:login"):
            assert response.status_code == 200
            continue
        assert response.status_code == 302, url
        location = urlsplit(response["Location"])
        assert location.path in login_pages, url
        assert location.query.startswith("next="), url


@pytest.mark.parametrize("user", ["blm_user", "pemda_user", "ministry_user"])
def test_the_admin_is_closed_to_users_who_are_not_staff(request, samples, admin_user, user):
    client = client_for(request, user)
    for url in admin_urls(samples, admin_user):
        response = client.get(url)
        if url == reverse("admin:login"):
            # The login form, telling the user this account may not use the admin.
            assert response.status_code == 200
            continue
        assert response.status_code == 302, url
        assert urlsplit(response["Location"]).path in {reverse("admin:login"), reverse("admin:index")}, url


def test_no_admin_page_fails_for_the_admin(samples, admin_user):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    for url in admin_urls(samples, admin_user):
        response = client.get(url)
        assert response.status_code < 500, url


@pytest.mark.parametrize("user", [ANONYMOUS, *USERS])
def test_no_page_answers_500_for_anyone(request, samples, user):
    client = client_for(request, user)
    client.raise_request_exception = False
    for name, cases in REGISTRY.items():
        for case in cases:
            url = reverse(name, kwargs=resolve_kwargs(case.kwargs, samples))
            for query in ({}, {"q": "Barito"}, {"q": "63.04"}, {"page": "999"}, {"_export": "csv"}):
                response = getattr(client, case.method)(url, {**query, **case.data})
                assert response.status_code < 500, f"{url}?{urlencode(query)}"
                response.getvalue()  # a streamed export fails while it streams, not before


# --- What a page shows stays inside the user's regions -----------------------


def test_the_region_index_lists_only_the_officials_province(client, pemda_user):
    client.force_login(pemda_user)
    content = client.get(reverse("regions:index")).content.decode()
    assert Province.objects.get(code="63").name in content
    assert Province.objects.get(code="11").name not in content
    assert Province.objects.get(code="62").name not in content


def test_the_region_index_lists_the_blm_working_area(client, blm_user):
    client.force_login(blm_user)
    content = client.get(reverse("regions:index")).content.decode()
    assert Province.objects.get(code="62").name in content
    assert Province.objects.get(code="63").name in content
    assert Province.objects.get(code="11").name not in content


def test_the_village_search_finds_nothing_outside_the_scope(client, pemda_user):
    client.force_login(pemda_user)
    inside = client.get(reverse("regions:index"), {"q": "63.04.03"}).content.decode()
    outside = client.get(reverse("regions:index"), {"q": "11.01"}).content.decode()
    assert "63.04.03.2001" in inside
    assert "11.01.01" not in outside


def test_another_regency_is_not_found_for_an_official(client, other_pemda_user):
    client.force_login(other_pemda_user)
    response = client.get("/wilayah/kabupaten/63.04/")
    assert response.status_code == 404
    assert "Barito Kuala" not in response.content.decode()


def test_the_province_page_lists_only_the_officials_regency(client, pemda_user):
    client.force_login(pemda_user)
    content = client.get(reverse("regions:province", args=["63"])).content.decode()
    assert "Kabupaten Barito Kuala" in content
    assert Regency.objects.get(code="63.05").name not in content


def test_the_organisation_list_and_export_show_only_organisations_in_scope(client, samples, pemda_user):
    client.force_login(pemda_user)
    page = client.get(reverse("partners:organisation_list")).content.decode()
    export = client.get(reverse("partners:organisation_list"), {"_export": "csv"}).getvalue().decode("utf-8-sig")
    for content in (page, export):
        assert "Dinas PMD Barito Kuala" in content
        assert "Dinas PMD Aceh Selatan" not in content


def test_the_other_official_sees_only_their_own_organisations(client, samples, other_pemda_user):
    client.force_login(other_pemda_user)
    content = client.get(reverse("partners:organisation_list")).content.decode()
    assert "Dinas PMD Aceh Selatan" in content
    assert "Dinas PMD Barito Kuala" not in content


def test_an_editor_cannot_place_an_organisation_outside_the_working_area(client, blm_user):
    client.force_login(blm_user)
    response = client.post(
        reverse("partners:organisation_create"),
        {"name": "Dinas Luar Wilayah", "kind": "dinas", "regency": "11.01", "province": "11"},
    )
    assert response.status_code == 200
    assert not Organisation.objects.filter(name="Dinas Luar Wilayah").exists()


# --- Query counts stay constant as data grows --------------------------------


def grow_data(user):
    """More organisations (some with working areas) and a wider scope for the user."""
    regencies = list(Regency.objects.filter(province_id__in=["62", "63"]))
    for index in range(15):
        organisation = OrganisationFactory(regency=regencies[index % len(regencies)])
        organisation.working_area.set(regencies[index : index + 3])
    if user.scope_regencies.exists():
        user.scope_regencies.add(*Regency.objects.filter(province_id="11"))


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/wilayah/",
        "/wilayah/provinsi/63/",
        "/wilayah/kabupaten/63.04/",
        "/wilayah/kecamatan/63.04.03/",
        "/wilayah/desa/63.04.03.2001/",
        "/mitra/instansi/",
    ],
)
@pytest.mark.parametrize("user", ["blm_user", "admin_user"])
def test_a_page_runs_the_same_number_of_queries_as_data_grows(request, django_assert_num_queries, url, user):
    user = request.getfixturevalue(user)
    OrganisationFactory()
    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    # Read now: later requests clear the connection's query log.
    baseline = len(before.captured_queries)
    grow_data(user)
    with django_assert_num_queries(baseline):
        assert client.get(url).status_code == 200


def test_the_organisation_detail_runs_the_same_number_of_queries_as_history_grows(
    client, blm_user, admin_user, django_assert_num_queries
):
    organisation = OrganisationFactory()
    client.force_login(blm_user)
    edit_url = reverse("partners:organisation_update", args=[organisation.pk])
    client.post(edit_url, organisation_form_data(organisation, address="Jalan 0"))
    url = organisation.get_absolute_url()
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    # Read now: later requests clear the connection's query log.
    baseline = len(before.captured_queries)
    for index, editor in enumerate([admin_user, blm_user] * 5, start=1):
        client.force_login(editor)
        organisation.refresh_from_db()
        client.post(edit_url, organisation_form_data(organisation, address=f"Jalan {index}", working_area=["63.04"]))
    client.force_login(blm_user)
    with django_assert_num_queries(baseline):
        response = client.get(url)
    assert response.status_code == 200
    assert "Jalan 10" in response.content.decode()


def test_the_home_page_for_a_blm_officer_stays_within_a_fixed_query_budget(
    client, blm_user, django_assert_max_num_queries
):
    grow_data(blm_user)
    client.force_login(blm_user)
    # 15 for the core, regions, villages, partners and agreements; 3 for the trainings' figures.
    with django_assert_max_num_queries(21):
        assert client.get("/").status_code == 200
