"""The core's pages composed from what each app offers (percontohan/registry.py): the navigation bar,
the home page and the daily upkeep."""

import re

from percontohan.registry import app_modules


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
