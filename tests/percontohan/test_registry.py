"""The core's pages composed from what each app offers (percontohan/registry.py): the navigation bar,
the home page and the daily upkeep."""

import re

from percontohan.registry import app_modules, count_each


def test_the_navigation_bar_lists_every_apps_pages_in_their_order(client, blm_user):
    client.force_login(blm_user)

    html = client.get("/").content.decode()

    main = html[html.index('<ul class="navbar-nav me-auto">') : html.index('<ul class="dropdown-menu">')]
    assert re.findall(r'class="nav-link[^"]*" href="[^"]*"[^>]*>([^<]+)</a>', main) == [
        "Beranda",
        "Desa",
        "Desa percontohan",
        "Peta",
        "Perjanjian",
        "Komitmen",
        "Instansi",
        "Lainnya",
    ]
    more = html[html.index('<ul class="dropdown-menu">') :]
    more = more[: more.index("</ul>")]
    assert re.findall(r'class="dropdown-item[^"]*" href="[^"]*"[^>]*>([^<]+)</a>', more) == [
        "Kawasan",
        "Seleksi lokasi",
        "Indeks desa",
        "Wilayah",
        "Pelatihan",
        "Peserta pelatihan",
        "Tindak lanjut",
        "Hasil pelatihan",
        "Pelatih",
    ]


def test_the_home_page_shows_each_apps_figures_and_sections_in_their_order(client, pemda_user):
    client.force_login(pemda_user)

    html = client.get("/").content.decode()

    figures = re.findall(r'<div class="display-6">[^<]*</div><div>(?:<a href="[^"]*">)?([^<]+)', html)
    assert figures == [
        "Kabupaten/kota",
        "Kecamatan",
        "Desa/kelurahan",
        "Instansi/mitra",
        "Angkatan pelatihan berjalan",
        "Peserta pelatihan",
        "Tindak lanjut jatuh tempo",
    ]
    blocks = [
        "Perjanjian akan berakhir",
        "Belum ada desa percontohan dalam cakupan Anda.",
        "Kabupaten/kota dalam cakupan Anda",
    ]
    assert [html.index(block) for block in blocks] == sorted(html.index(block) for block in blocks)


def test_the_daily_upkeep_is_each_apps_daily_hook(db):
    assert [module.__name__ for module in app_modules("daily")] == ["agreements.daily"]


def test_the_home_figures_are_counted_in_one_query_as_each_queryset_counts_itself(db, django_assert_num_queries):
    from partners.models import Organisation
    from regions.models import District, Regency, Village

    querysets = [
        Village.objects.filter(district__regency="63.04"),
        District.objects.filter(name__startswith="A"),
        Regency.objects.filter(districts__name__startswith="A").distinct(),
        Organisation.objects.none(),
        Village.objects.filter(code="tidak-ada"),
    ]
    expected = [queryset.count() for queryset in querysets]
    assert expected[0] > 0 and expected[2] > 0

    with django_assert_num_queries(1):
        assert count_each(querysets) == expected
    assert count_each([]) == []


def test_the_home_page_shows_each_apps_figures_counted_for_the_users_scope(client, pemda_user):
    from regions.models import District, Village

    client.force_login(pemda_user)

    text = " ".join(re.sub(r"<[^>]+>", " ", client.get("/").content.decode()).split())

    districts = District.objects.visible_to(pemda_user).current().count()
    villages = Village.objects.visible_to(pemda_user).current().count()
    assert f"{districts} Kecamatan" in text
    assert f"{villages} Desa/kelurahan" in text


def test_prepared_figures_are_counted_in_the_same_query_as_querysets(db, django_assert_num_queries):
    from percontohan.records import Prepared
    from regions.models import District, Regency

    districts = Prepared(lambda codes: District.objects.within(codes).current().values("pk"))
    expected = [
        District.objects.within(["63.04", "63.05"]).current().count(),
        Regency.objects.filter(code__startswith="63").count(),
        District.objects.current().count(),
        0,
    ]
    assert expected[0] > 0

    with django_assert_num_queries(1):
        counts = count_each(
            [
                districts.sql(["63.04", "63.05"]),
                Regency.objects.filter(code__startswith="63"),
                districts.sql(None),
                districts.sql([]),
            ]
        )
    assert counts == expected


def home_figures(client, user):
    client.force_login(user)
    html = client.get("/").content.decode()
    found = re.findall(r'<div class="display-6">([^<]*)</div><div>(?:<a href="[^"]*">)?([^<]+)', html)
    return {label: int(value.replace(".", "")) for value, label in found}


def test_every_home_figure_counts_what_the_user_may_see_today(client, monkeypatch, blm_user, pemda_user, ministry_user):
    import datetime

    from django.utils import timezone

    from partners.models import Organisation
    from regions.models import District, Regency, Village
    from tests.trainings.factories import make_batch
    from tests.trainings.factories_followups import closed_batch
    from trainings.models import Batch, BatchStatus, FollowUp, Person

    make_batch(venue="63.04", status=BatchStatus.RUNNING)
    make_batch(venue="11.01", status=BatchStatus.RUNNING)
    closed_batch(venue="63.04")  # two people, each with follow-ups due in June and September 2024
    closed_batch(venue="11.01", people=1)

    def expected(user):
        return {
            "Kabupaten/kota": Regency.objects.visible_to(user).current().count(),
            "Kecamatan": District.objects.visible_to(user).current().count(),
            "Desa/kelurahan": Village.objects.visible_to(user).current().count(),
            "Instansi/mitra": Organisation.objects.visible_to(user).count(),
            "Angkatan pelatihan berjalan": Batch.objects.visible_to(user).filter(status=BatchStatus.RUNNING).count(),
            "Peserta pelatihan": Person.objects.visible_to(user).count(),
            "Tindak lanjut jatuh tempo": FollowUp.objects.visible_to(user).due().count(),
        }

    for user in (ministry_user, blm_user, pemda_user, ministry_user):
        assert home_figures(client, user) == expected(user)
    assert home_figures(client, pemda_user)["Tindak lanjut jatuh tempo"] == 4
    assert home_figures(client, ministry_user)["Peserta pelatihan"] == 3

    # On 1 July 2024 only the June follow-ups were due: the figure is counted for the day it is asked.
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2024, 7, 1))
    assert home_figures(client, pemda_user)["Tindak lanjut jatuh tempo"] == 2


def test_the_home_figures_are_compiled_once_per_process(client, monkeypatch, pemda_user):
    from django.db.models.sql.compiler import SQLCompiler

    client.force_login(pemda_user)
    client.get("/")
    compiled = []
    as_sql = SQLCompiler.as_sql
    monkeypatch.setattr(
        SQLCompiler,
        "as_sql",
        lambda self, *args, **kwargs: compiled.append(self.query.model) or as_sql(self, *args, **kwargs),
    )

    first = home_figures(client, pemda_user)
    assert home_figures(client, pemda_user) == first
    # The regencies, kecamatan, batches, people and follow-ups counted, and the regencies listed: none built
    # or compiled again (the villages' figure is, its scope being a span of codes no prepared query takes).
    assert {model._meta.model_name for model in compiled} & {
        "regency",
        "district",
        "batch",
        "person",
        "followup",
    } == set()
