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
