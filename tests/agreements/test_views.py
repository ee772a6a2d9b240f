"""Agreement pages (/perjanjian/): list with filters and export, detail with the chain, the form with
its formsets, the lifecycle steps, the PDF summary, access and query counts."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
import weasyprint
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, AgreementKind, AgreementStatus, SignatoryRole
from tests.agreements.factories import (
    AgreementFactory,
    CommitmentFactory,
    SignedAgreementFactory,
    balilatfo,
    barito_kuala_mou,
    dinas,
    kemendes,
    regency_government,
)
from tests.agreements.factories_documents import document_with_version, private_root
from tests.villages.factories import ANDAMAN, CAHAYA_BARU, KEUDE_BAKONGAN, ProgrammeAreaFactory, village

LIST = "/perjanjian/"
CREATE = "/perjanjian/tambah/"
TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


def get(client, user, url, params=None, status=200):
    client.force_login(user)
    response = client.get(url, params or {})
    assert response.status_code == status, url
    return response


def table_html(response):
    html = response.content.decode()
    return html[html.index('<div id="table">') :]


def listed_numbers(response):
    return re.findall(r'<a href="/perjanjian/\d+/">([^<]+)</a>', table_html(response))


def exported_rows(response, export_format):
    if export_format == "csv":
        rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return rows[1:]


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def assert_strict_csp_markup(html):
    """No inline scripts or style attributes."""
    assert ' style="' not in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert 'src="' in tag and "nonce=" in tag, tag


def page_data(response, **changes):
    """The agreement form as a browser would post it back: every field's current value, then `changes`."""
    data = {}
    formsets = [response.context["parties"], response.context["signatories"]]
    for form in [response.context["form"], *[f.management_form for f in formsets]]:
        data.update(form_values(form))
    for formset in formsets:
        for form in formset:
            data.update(form_values(form))
    if response.context.get("object") is not None:
        data["version"] = response.context["object"].version
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def form_values(form):
    values = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        values[field.html_name] = [str(v) for v in value] if isinstance(value, list | tuple) else value
    return values


@pytest.fixture
def agreements(db):
    """The 2020 MoU of Barito Kuala, a PKS implementing it, its addendum, and an MoU in Aceh Selatan."""
    mou = barito_kuala_mou(effective_to=days(45))
    pks = SignedAgreementFactory(
        kind=AgreementKind.PKS,
        number="PKS.01/BALILATFO/III/2020",
        issuer=balilatfo(),
        title="Peningkatan kapasitas aparatur dan masyarakat desa",
        implements=mou,
        effective_to=days(400),
        parties=[balilatfo(), dinas("Dinas Tenaga Kerja dan Transmigrasi Kabupaten Barito Kuala")],
    )
    addendum = AgreementFactory(
        kind=AgreementKind.ADDENDUM, number="AD.01/SJ/2021", title="Adendum I perluasan desa", amends=mou
    )
    aceh = SignedAgreementFactory(
        number="NK.09/SJ/IV/2021",
        title="Desa percontohan Aceh Selatan",
        regencies=["11.01"],
        signed_on=datetime.date(2021, 4, 5),
    )
    return {"mou": mou, "pks": pks, "addendum": addendum, "aceh": aceh}


# --- List --------------------------------------------------------------------


def test_the_list_shows_only_agreements_covering_the_users_regions(client, pemda_user, other_pemda_user, agreements):
    own = listed_numbers(get(client, pemda_user, LIST))
    other = listed_numbers(get(client, other_pemda_user, LIST))

    assert set(own) == {"NK.01/SJ/III/2020", "PKS.01/BALILATFO/III/2020", "AD.01/SJ/2021"}
    assert other == ["NK.09/SJ/IV/2021"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "NK.01"}, {"NK.01/SJ/III/2020"}),
        ({"q": "kapasitas aparatur"}, {"PKS.01/BALILATFO/III/2020"}),
        (
            {"q": "sinergi program"},
            {"NK.01/SJ/III/2020", "PKS.01/BALILATFO/III/2020", "AD.01/SJ/2021", "NK.09/SJ/IV/2021"},
        ),
        ({"q": "Tenaga Kerja"}, {"PKS.01/BALILATFO/III/2020"}),
        ({"q": "Balilatfo"}, {"PKS.01/BALILATFO/III/2020"}),
        ({"kind": "pks"}, {"PKS.01/BALILATFO/III/2020"}),
        ({"kind": "adendum"}, {"AD.01/SJ/2021"}),
        ({"status": "draf"}, {"AD.01/SJ/2021"}),
        ({"region": "11.01"}, {"NK.09/SJ/IV/2021"}),
        ({"region": "63"}, {"NK.01/SJ/III/2020", "PKS.01/BALILATFO/III/2020", "AD.01/SJ/2021"}),
        ({"year": "2021"}, {"NK.09/SJ/IV/2021"}),
        ({"expiring": "on"}, {"NK.01/SJ/III/2020"}),
    ],
)
def test_the_list_can_be_searched_and_filtered(client, admin_user, agreements, params, expected):
    assert set(listed_numbers(get(client, admin_user, LIST, params))) == expected


def test_the_region_filter_offers_only_the_users_regions(client, pemda_user, agreements):
    choices = get(client, pemda_user, LIST).context["filter"].form.fields["region"].choices

    assert choices[1:] == [
        ("Kalimantan Selatan", [("63", "Seluruh Kalimantan Selatan"), ("63.04", "Kabupaten Barito Kuala")])
    ]


def region_select(response):
    return re.search(r'<select name="region"([^>]*)>(.*?)</select>', response.content.decode(), re.S)


def test_the_region_filter_carries_only_the_chosen_region_and_searches_the_others(client, admin_user, agreements):
    untouched = region_select(get(client, admin_user, LIST))
    chosen = region_select(get(client, admin_user, LIST, {"region": "63"}))

    assert re.findall(r'<option value="([^"]*)"', untouched.group(2)) == [""]
    assert 'data-search-url="/wilayah/cari/provinsi-kabupaten/"' in untouched.group(1)
    assert re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)<', chosen.group(2))[1:] == [
        ("63", "Seluruh Kalimantan Selatan")
    ]


def test_a_region_outside_the_officials_scope_is_a_form_error_and_lists_nothing(client, pemda_user, agreements):
    response = get(client, pemda_user, LIST, {"region": "11.01"})

    assert "Masukkan pilihan yang valid" in response.content.decode()
    assert listed_numbers(response) == []


def test_the_list_filters_by_party(client, admin_user, agreements):
    party = agreements["pks"].parties.get(position=2).organisation

    assert listed_numbers(get(client, admin_user, LIST, {"party": party.pk})) == ["PKS.01/BALILATFO/III/2020"]


def test_the_region_filter_finds_an_agreement_through_a_covered_village(client, admin_user, agreements):
    agreement = AgreementFactory(number="NK.77/2022", regencies=[])
    agreement.villages.set([village(CAHAYA_BARU)])

    assert "NK.77/2022" in listed_numbers(get(client, admin_user, LIST, {"region": "63.04"}))


def test_the_expiring_filter_uses_the_setting(client, admin_user, agreements, settings):
    settings.AGREEMENT_EXPIRY_WARNING_DAYS = 30
    assert listed_numbers(get(client, admin_user, LIST, {"expiring": "on"})) == []
    settings.AGREEMENT_EXPIRY_WARNING_DAYS = 500
    response = get(client, admin_user, LIST, {"expiring": "on"})
    assert set(listed_numbers(response)) == {"NK.01/SJ/III/2020", "PKS.01/BALILATFO/III/2020"}
    assert "Berakhir dalam 500 hari" in response.content.decode()


def test_the_list_is_sorted_by_a_column(client, admin_user, agreements):
    numbers = listed_numbers(get(client, admin_user, LIST, {"sort": "number"}))

    assert numbers == sorted(numbers)


def test_the_list_shows_parties_dates_in_indonesian_and_open_ended_periods(client, admin_user, agreements):
    html = table_html(get(client, admin_user, LIST, {"q": "NK.01"}))

    assert "Kemendes PDTT" in html
    assert "10 Mar 2020" in html  # short, as in every list table
    html = table_html(get(client, admin_user, LIST, {"q": "NK.09"}))
    assert "tidak dibatasi waktu" in html
    assert "5 Apr 2021" in html


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_export_has_every_filtered_row_not_just_a_page(client, blm_user, export_format):
    for n in range(30):
        SignedAgreementFactory(number=f"NK.{n:02d}/EKSPOR/2020")
    SignedAgreementFactory(number="NK.99/ACEH/2021", regencies=["11.01"])

    response = get(client, blm_user, LIST, {"q": "EKSPOR", "_export": export_format})

    rows = exported_rows(response, export_format)
    assert len(rows) == 30
    assert all("NK.99/ACEH/2021" not in row for row in rows)
    first = next(row for row in rows if row[0] == "NK.00/EKSPOR/2020")
    assert "Pihak pertama: Kementerian Desa, Pembangunan Daerah Tertinggal, dan Transmigrasi" in first[3]
    assert "2020-03-10" in [str(cell)[:10] for cell in first]


def test_the_list_answers_htmx_with_its_table_only(client, pemda_user, agreements):
    client.force_login(pemda_user)

    html = client.get(LIST, {"kind": "pks"}, headers={"HX-Request": "true"}).content.decode()

    assert html.lstrip().startswith('<div id="table">')
    assert "PKS.01/BALILATFO/III/2020" in html and "NK.01/SJ/III/2020" not in html


def test_an_editor_sees_the_add_button_and_a_reader_does_not(client, blm_user, pemda_user):
    assert CREATE in get(client, blm_user, LIST).content.decode()
    assert CREATE not in get(client, pemda_user, LIST).content.decode()


def test_the_list_runs_the_same_queries_as_agreements_grow(client, blm_user, django_assert_num_queries):
    barito_kuala_mou()
    client.force_login(blm_user)
    with CaptureQueriesContext(connection) as before:
        assert client.get(LIST).status_code == 200
    baseline = len(before.captured_queries)
    for _n in range(12):
        agreement = SignedAgreementFactory(regencies=["63.04", "63.05", "62.01"])
        CommitmentFactory(agreement=agreement)
    with django_assert_num_queries(baseline):
        response = client.get(LIST)
    assert response.status_code == 200
    assert len(listed_numbers(response)) == 13


# --- Detail ------------------------------------------------------------------


def test_the_detail_shows_parties_signatories_witnesses_dates_and_coverage(client, pemda_user, agreements):
    mou = agreements["mou"]
    mou.villages.set([village(ANDAMAN)])
    ProgrammeAreaFactory(name="KTM Cahaya Baru").agreements.add(mou)

    html = get(client, pemda_user, mou.get_absolute_url()).content.decode()

    assert "NK.01/SJ/III/2020" in html
    assert "Pihak pertama:" in html and "Kementerian Desa, Pembangunan Daerah Tertinggal, dan Transmigrasi" in html
    assert "Pihak kedua:" in html and "Pemerintah Kabupaten Barito Kuala" in html
    assert "Anwar Sanusi" in html and "Hj. Noormiliyani" in html
    assert "HM. Rifqinizami Karsayuda" in html and "Pepen Efendi" in html
    assert "10 Maret 2020, Aula BLM Banjarmasin" in html
    assert "berakhir dalam 45 hari" in html
    assert "Kabupaten Barito Kuala" in html and "Andaman" in html and "KTM Cahaya Baru" in html
    assert_strict_csp_markup(html)


def test_the_detail_shows_the_chain_both_ways(client, pemda_user, agreements):
    mou, pks, addendum = agreements["mou"], agreements["pks"], agreements["addendum"]
    renewal = AgreementFactory(number="NK.05/SJ/I/2025", renewal_of=mou, title=mou.title)

    mou_html = get(client, pemda_user, mou.get_absolute_url()).content.decode()
    assert pks.get_absolute_url() in mou_html and "Dilaksanakan dengan PKS" in mou_html
    assert addendum.get_absolute_url() in mou_html and "Diubah dengan adendum" in mou_html
    assert renewal.get_absolute_url() in mou_html and "Diperpanjang dengan" in mou_html

    assert mou.get_absolute_url() in get(client, pemda_user, pks.get_absolute_url()).content.decode()
    addendum_html = get(client, pemda_user, addendum.get_absolute_url()).content.decode()
    assert "Mengubah" in addendum_html and mou.get_absolute_url() in addendum_html
    renewal_html = get(client, pemda_user, renewal.get_absolute_url()).content.decode()
    assert "Perpanjangan dari" in renewal_html and mou.get_absolute_url() in renewal_html


def test_a_linked_agreement_outside_the_users_regions_is_not_shown(client, pemda_user, agreements):
    outside = SignedAgreementFactory(number="PKS.77/ACEH", kind=AgreementKind.PKS, regencies=["11.01"])
    outside.implements = agreements["mou"]
    outside.save()

    html = get(client, pemda_user, agreements["mou"].get_absolute_url()).content.decode()

    assert "PKS.77/ACEH" not in html


def test_the_detail_lists_commitments_and_documents(client, pemda_user, agreements, tmp_path):
    mou = agreements["mou"]
    CommitmentFactory(agreement=mou, description="Menetapkan lokasi desa percontohan", due_date=days(-3))
    with private_root(tmp_path):
        _document, version = document_with_version(mou, title="Naskah MoU yang ditandatangani")

    html = get(client, pemda_user, mou.get_absolute_url()).content.decode()

    assert "Menetapkan lokasi desa percontohan" in html and "Terlambat" in html
    assert "Naskah MoU yang ditandatangani" in html
    assert reverse("agreements:document_download", args=[version.pk]) in html


def test_an_open_ended_agreement_says_so(client, pemda_user):
    agreement = SignedAgreementFactory(effective_to=None)

    assert "tidak dibatasi waktu" in get(client, pemda_user, agreement.get_absolute_url()).content.decode()


def test_readers_see_no_edit_or_step_buttons(client, pemda_user, blm_user, agreements):
    url = agreements["mou"].get_absolute_url()
    edit = reverse("agreements:agreement_update", args=[agreements["mou"].pk])

    assert edit not in get(client, pemda_user, url).content.decode()
    html = get(client, blm_user, url).content.decode()
    assert edit in html
    assert reverse("agreements:agreement_renew", args=[agreements["mou"].pk]) in html


def test_the_detail_shows_the_history_of_changes(client, blm_user, agreements):
    mou = agreements["mou"]
    client.force_login(blm_user)
    form = client.get(reverse("agreements:agreement_update", args=[mou.pk]))
    client.post(form.request["PATH_INFO"], page_data(form, signed_place="Aula BLM Banjarmasin, Kalimantan Selatan"))

    html = get(client, blm_user, mou.get_absolute_url()).content.decode()

    assert "Riwayat perubahan" in html
    assert "Aula BLM Banjarmasin, Kalimantan Selatan" in html
    assert str(blm_user) in html


def test_the_detail_runs_the_same_queries_as_its_chain_and_rows_grow(
    client, blm_user, agreements, tmp_path, django_assert_num_queries
):
    pks = agreements["pks"]
    with private_root(tmp_path):
        # Nested prefetches (document versions) run once there is a row to nest under.
        document_with_version(pks, title="Naskah PKS")
    client.force_login(blm_user)
    url = pks.get_absolute_url()
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    baseline = len(before.captured_queries)
    with private_root(tmp_path):
        for n in range(4):
            AgreementFactory(kind=AgreementKind.ADDENDUM, amends=pks, number=f"AD.{n}/PKS")
            AgreementFactory(kind=AgreementKind.PKS, renewal_of=pks, number=f"PKS.{n}/PERPANJANGAN")
            CommitmentFactory(agreement=pks, party=pks.parties.first())
            document_with_version(pks, title=f"Lampiran {n}")
            dinas_n = dinas(f"Dinas tambahan {n}")
            pks.parties.create(organisation=dinas_n, position=3 + n)
            pks.signatories.create(
                name=f"Saksi {n}", position="Camat", role=SignatoryRole.WITNESS, organisation=dinas_n
            )
    pks.villages.set([village(ANDAMAN), village(CAHAYA_BARU)])
    pks.regencies.add("63.05")
    ProgrammeAreaFactory().agreements.add(pks)
    with django_assert_num_queries(baseline):
        response = client.get(url)
    assert response.status_code == 200
    assert "PKS.3/PERPANJANGAN" in response.content.decode()


def test_an_official_of_another_regency_gets_404_without_a_hint(client, other_pemda_user, agreements):
    mou = agreements["mou"]
    for url in (mou.get_absolute_url(), reverse("agreements:agreement_pdf", args=[mou.pk])):
        response = get(client, other_pemda_user, url, status=404)
        assert "NK.01/SJ/III/2020" not in response.content.decode()


# --- PDF summary -------------------------------------------------------------


def test_the_summary_is_a_pdf_attachment(client, pemda_user, agreements):
    response = get(client, pemda_user, reverse("agreements:agreement_pdf", args=[agreements["mou"].pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "ringkasan-perjanjian-nk-01-sj-iii-2020.pdf" in disposition


def test_the_summary_is_one_a4_page_in_indonesian(client, pemda_user, agreements):
    response = get(client, pemda_user, reverse("agreements:agreement_pdf", args=[agreements["mou"].pk]))

    # The page as WeasyPrint laid it out, from the context the view rendered.
    html = render_to_string("agreements/agreement_summary_pdf.html", response.context[0].flatten())
    document = weasyprint.HTML(string=html).render()
    assert len(document.pages) == 1
    assert (round(document.pages[0].width * 25.4 / 96), round(document.pages[0].height * 25.4 / 96)) == (210, 297)
    assert "10 Maret 2020, Aula BLM Banjarmasin" in html
    assert "Anwar Sanusi" in html and "HM. Rifqinizami Karsayuda" in html
    assert "<script" not in html


# --- Create and edit ---------------------------------------------------------


def test_an_editor_creates_an_mou_with_two_parties_through_the_formsets(client, blm_user):
    client.force_login(blm_user)
    form = client.get(CREATE)
    assert form.status_code == 200
    assert_strict_csp_markup(form.content.decode())
    ministry, pemkab = kemendes(), regency_government("63.04")
    data = page_data(
        form,
        kind="mou",
        number="NK.01/SJ/III/2020",
        issuer=ministry.pk,
        title="Pembangunan Desa Percontohan di Kabupaten Barito Kuala",
        signed_place="Aula BLM Banjarmasin",
        effective_from="2020-03-10",
        regencies=["63.04"],
        **{
            "pihak-0-organisation": ministry.pk,
            "pihak-1-organisation": pemkab.pk,
            "penandatangan-0-name": "Anwar Sanusi",
            "penandatangan-0-position": "Sekretaris Jenderal",
            "penandatangan-0-organisation": ministry.pk,
            "penandatangan-1-name": "Hj. Noormiliyani",
            "penandatangan-1-position": "Bupati Barito Kuala",
            "penandatangan-2-role": "saksi",
            "penandatangan-2-name": "Pepen Efendi",
            "penandatangan-2-position": "Kepala BLM Banjarmasin",
        },
    )

    response = client.post(CREATE, data)

    agreement = Agreement.objects.get()
    assert response.status_code == 302 and response["Location"] == agreement.get_absolute_url()
    assert agreement.status == AgreementStatus.DRAFT
    assert [(p.position, p.organisation) for p in agreement.parties.order_by("position")] == [
        (1, ministry),
        (2, pemkab),
    ]
    assert [(s.role, s.name) for s in agreement.signatories.all()] == [
        ("penandatangan", "Anwar Sanusi"),
        ("penandatangan", "Hj. Noormiliyani"),
        ("saksi", "Pepen Efendi"),
    ]
    assert list(agreement.regencies.values_list("code", flat=True)) == ["63.04"]


def test_the_villages_button_offers_the_chosen_regencies_villages_without_saving(client, blm_user):
    client.force_login(blm_user)
    form = client.get(CREATE)
    assert "Andaman" not in form.content.decode()

    response = client.post(CREATE, page_data(form, regencies=["63.04"], _refresh="desa"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Andaman" in html and "63.04.03.2001" in html
    assert "tidak boleh kosong" not in html and "is-invalid" not in html  # a refresh is not a submission
    assert not Agreement.objects.exists()


def test_the_row_button_adds_a_blank_party_row_keeping_what_was_typed(client, blm_user):
    client.force_login(blm_user)
    form = client.get(CREATE)

    response = client.post(CREATE, page_data(form, title="Judul sementara", _refresh="pihak"))

    assert response.context["parties"].total_form_count() == 3
    assert "Judul sementara" in response.content.decode()
    assert not Agreement.objects.exists()


def test_covering_a_village_covers_its_regency(client, blm_user):
    client.force_login(blm_user)
    form = client.get(CREATE)
    ministry = kemendes()
    data = page_data(
        form,
        kind="mou",
        number="NK.02/2020",
        issuer=ministry.pk,
        title="Desa Cahaya Baru",
        regencies=["63.04"],
        villages=[CAHAYA_BARU],
        **{"pihak-0-organisation": ministry.pk},
    )

    assert client.post(CREATE, data).status_code == 302

    agreement = Agreement.objects.get()
    assert list(agreement.villages.values_list("code", flat=True)) == [CAHAYA_BARU]
    assert list(agreement.regencies.values_list("code", flat=True)) == ["63.04"]


def test_a_village_outside_the_working_area_cannot_be_chosen(client, blm_user):
    client.force_login(blm_user)
    form = client.get(CREATE)
    ministry = kemendes()
    data = page_data(
        form,
        kind="mou",
        number="NK.03/2020",
        issuer=ministry.pk,
        title="Di luar wilayah",
        regencies=["11.01"],
        villages=[KEUDE_BAKONGAN],
        **{"pihak-0-organisation": ministry.pk},
    )

    response = client.post(CREATE, data)

    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"regencies", "villages"}
    assert not Agreement.objects.exists()


def test_a_form_without_a_region_is_refused_for_blm_staff(client, blm_user):
    client.force_login(blm_user)
    form = client.get(CREATE)
    ministry = kemendes()
    data = page_data(
        form,
        kind="mou",
        number="NK.04/2020",
        issuer=ministry.pk,
        title="Tanpa wilayah",
        **{"pihak-0-organisation": ministry.pk},
    )

    response = client.post(CREATE, data)

    assert response.status_code == 200
    assert "Pilih minimal satu kabupaten/kota, desa atau kawasan" in response.content.decode()
    assert not Agreement.objects.exists()


def test_a_duplicate_party_is_refused_and_nothing_is_saved(client, blm_user):
    client.force_login(blm_user)
    form = client.get(CREATE)
    ministry = kemendes()
    data = page_data(
        form,
        kind="mou",
        number="NK.05/2020",
        issuer=ministry.pk,
        title="Pihak ganda",
        regencies=["63.04"],
        **{"pihak-0-organisation": ministry.pk, "pihak-1-organisation": ministry.pk},
    )

    response = client.post(CREATE, data)

    assert response.status_code == 200
    assert not Agreement.objects.exists()


def test_an_editor_edits_an_agreement_and_removes_a_witness(client, blm_user):
    mou = barito_kuala_mou()
    client.force_login(blm_user)
    url = reverse("agreements:agreement_update", args=[mou.pk])
    form = client.get(url)
    witness_index = next(i for i, row in enumerate(form.context["signatories"]) if row.instance.name == "Pepen Efendi")

    response = client.post(url, page_data(form, title="Judul baru", **{f"penandatangan-{witness_index}-DELETE": "on"}))

    assert response.status_code == 302
    mou.refresh_from_db()
    assert mou.title == "Judul baru"
    assert not mou.signatories.filter(name="Pepen Efendi").exists()
    assert mou.signatories.filter(name="Anwar Sanusi").exists()
    assert mou.version == 2


def test_editing_an_agreement_someone_changed_meanwhile_is_refused(client, blm_user, admin_user):
    mou = barito_kuala_mou()
    url = reverse("agreements:agreement_update", args=[mou.pk])
    client.force_login(blm_user)
    stale_form = client.get(url)
    other = Client()
    other.force_login(admin_user)
    assert other.post(url, page_data(other.get(url), title="Diubah admin")).status_code == 302

    response = client.post(url, page_data(stale_form, title="Diubah staf BLM"))

    assert response.status_code == 200
    assert "telah diubah oleh pengguna lain" in response.content.decode()
    assert Agreement.objects.get(pk=mou.pk).title == "Diubah admin"


def test_an_agreement_also_covering_another_region_is_changed_by_admin_only(client, blm_user, admin_user):
    agreement = SignedAgreementFactory(regencies=["63.04", "11.01"])
    agreement.villages.set([village(KEUDE_BAKONGAN)])
    url = reverse("agreements:agreement_update", args=[agreement.pk])
    client.force_login(admin_user)
    form = client.get(url)

    client.force_login(blm_user)
    assert client.get(agreement.get_absolute_url()).status_code == 200
    assert client.get(url).status_code == 403
    assert client.post(url, page_data(form, title="Judul BLM")).status_code == 403
    assert Agreement.objects.get(pk=agreement.pk).title != "Judul BLM"

    client.force_login(admin_user)
    assert client.post(url, page_data(form, title="Judul baru")).status_code == 302
    agreement.refresh_from_db()
    assert agreement.title == "Judul baru"
    assert set(agreement.regencies.values_list("code", flat=True)) == {"63.04", "11.01"}
    assert list(agreement.villages.values_list("code", flat=True)) == [KEUDE_BAKONGAN]


def test_a_blm_cannot_widen_an_agreement_beyond_its_working_area(client, blm_user):
    """The coverage choices are the BLM's regions; a posted Aceh Selatan regency is refused, nothing saved."""
    mou = barito_kuala_mou()
    client.force_login(blm_user)
    url = reverse("agreements:agreement_update", args=[mou.pk])

    response = client.post(url, page_data(client.get(url), regencies=["63.04", "11.01"], title="Diperluas"))

    assert response.status_code == 200
    assert "regencies" in response.context["form"].errors
    mou.refresh_from_db()
    assert mou.title != "Diperluas"
    assert list(mou.regencies.values_list("code", flat=True)) == ["63.04"]


# --- Lifecycle steps ---------------------------------------------------------


def test_an_editor_signs_a_draft(client, blm_user):
    agreement = AgreementFactory(effective_from=datetime.date(2020, 3, 10))
    client.force_login(blm_user)

    response = client.post(
        reverse("agreements:agreement_sign", args=[agreement.pk]),
        {"signed_on": "2020-03-10", "signed_place": "Aula BLM Banjarmasin"},
        follow=True,
    )

    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    assert agreement.signed_on == datetime.date(2020, 3, 10)
    assert any("telah ditandatangani" in m for m in messages_of(response))


def test_signing_without_a_second_party_is_refused_with_the_reason(client, blm_user):
    agreement = AgreementFactory(parties=[kemendes()])
    client.force_login(blm_user)

    response = client.post(reverse("agreements:agreement_sign", args=[agreement.pk]), {"signed_on": "2020-03-10"})

    assert response.status_code == 200
    assert "minimal dua pihak" in response.content.decode()
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.DRAFT


def test_a_step_the_lifecycle_does_not_allow_is_explained_and_refused(client, blm_user):
    agreement = AgreementFactory()
    url = reverse("agreements:agreement_terminate", args=[agreement.pk])
    client.force_login(blm_user)

    assert "tidak tersedia" in client.get(url).content.decode()
    response = client.post(url, {"terminated_on": "2026-01-05", "reason": "Tidak dilanjutkan."})

    assert response.status_code == 200
    assert "Perjanjian berstatus “Draf” tidak dapat diakhiri" in response.content.decode()
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.DRAFT


def test_an_editor_terminates_an_active_agreement(client, blm_user):
    agreement = SignedAgreementFactory()
    client.force_login(blm_user)

    response = client.post(
        reverse("agreements:agreement_terminate", args=[agreement.pk]),
        {"terminated_on": "2022-06-01", "reason": "Kesepakatan para pihak."},
    )

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.status, agreement.terminated_on) == (AgreementStatus.TERMINATED, datetime.date(2022, 6, 1))
    html = get(client, blm_user, agreement.get_absolute_url()).content.decode()
    assert "1 Juni 2022" in html and "Kesepakatan para pihak." in html


def test_renewing_opens_the_new_draft_for_editing(client, blm_user):
    mou = barito_kuala_mou()
    client.force_login(blm_user)

    response = client.post(
        reverse("agreements:agreement_renew", args=[mou.pk]), {"number": "NK.07/SJ/I/2025", "title": mou.title}
    )

    renewal = Agreement.objects.get(renewal_of=mou)
    assert response["Location"] == reverse("agreements:agreement_update", args=[renewal.pk])
    assert renewal.parties.count() == 2


def test_adding_an_addendum_links_it_to_the_agreement(client, blm_user):
    mou = barito_kuala_mou(effective_to=None)
    client.force_login(blm_user)

    response = client.post(
        reverse("agreements:agreement_addendum", args=[mou.pk]),
        {"number": "AD.01/2021", "title": "Adendum I", "subject": "Penambahan desa Kecamatan Jejangkit."},
    )

    addendum = Agreement.objects.get(amends=mou)
    assert response.status_code == 302
    assert addendum.kind == AgreementKind.ADDENDUM
    assert addendum.subject == "Penambahan desa Kecamatan Jejangkit."
