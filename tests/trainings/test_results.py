"""Results of trainings, Kirkpatrick levels 1–4, per batch, programme, BLM and regency."""

import datetime
from decimal import Decimal

import pytest
import weasyprint
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.trainings.factories import ACEH_SELATAN_VILLAGE, BARITO_KUALA_VILLAGE, make_programme
from tests.trainings.factories_followups import answer, closed_batch, react
from trainings.models import BatchStatus, Enrolment, EnrolmentStatus
from trainings.results import counted_enrolments, results_by, results_for

RESULTS = reverse("trainings:results")
TODAY = datetime.date(2026, 12, 1)


def batch_url(batch, pdf=False):
    return reverse("trainings:batch_results_pdf" if pdf else "trainings:batch_results", args=[batch.pk])


def enrolments_of(batch):
    return list(batch.enrolments.order_by("pk"))


def everyone(batch):
    return Enrolment.objects.filter(batch=batch)


# --- The figures -----------------------------------------------------------------------------------------


def test_completion_counts_those_who_completed_among_those_decided(db):
    batch = closed_batch(people=4)
    first = enrolments_of(batch)[0]
    Enrolment.objects.filter(pk=first.pk).update(status=EnrolmentStatus.NOT_COMPLETED)

    result = results_for(everyone(batch))

    assert (result.participants, result.completed, result.decided) == (4, 3, 4)
    assert result.completion_rate == Decimal("75.0")


def test_level_1_is_the_mean_of_the_reaction_items_with_its_n(db):
    batch = closed_batch(people=3)
    first, second, _third = enrolments_of(batch)
    react(first, 5, 5, 4, 4)  # 4.5
    react(second, 3, 4, 3, 4)  # 3.5

    result = results_for(everyone(batch))

    assert result.reaction_n == 2
    assert result.reaction_mean == Decimal("4.00")
    assert list(result.reaction_items.values()) == [Decimal("4.00"), Decimal("4.50"), Decimal("3.50"), Decimal("4.00")]


def test_level_2_pairs_pre_and_post_and_averages_the_individual_normalised_gains(db):
    batch = closed_batch(people=5)
    scores = [(40, 70), (80, 90), (60, 60), (100, 100), (50, None)]
    for enrolment, (pre, post) in zip(enrolments_of(batch), scores, strict=True):
        Enrolment.objects.filter(pk=enrolment.pk).update(pre_test=pre, post_test=post)

    result = results_for(everyone(batch))

    # Pairs: the first four; gains of those below 100 before: 0.5, 0.5, 0.
    assert result.scores_n == 4
    assert result.pre_mean == Decimal("70.0") and result.post_mean == Decimal("80.0")
    assert result.gain_n == 3
    assert result.gain_mean == Decimal("0.33")
    assert str(result.gain_band) == "sedang"


def test_level_3_gives_the_share_that_applied_with_the_response_rate_of_each_wave(db):
    batch = closed_batch(people=4)
    first, second, third, _fourth = enrolments_of(batch)
    answer(first.follow_ups.get(wave=1), applied="ya")
    answer(second.follow_ups.get(wave=1), applied="sebagian", what_applied="Sebagian pembukuan")
    answer(third.follow_ups.get(wave=1), applied="tidak", what_applied="")
    answer(_fourth.follow_ups.get(wave=1), reached=False)

    result = results_for(everyone(batch), today=TODAY)
    before_second_wave = results_for(everyone(batch), today=datetime.date(2024, 8, 1))

    wave_1, wave_2 = result.wave_list
    assert (wave_1.due, wave_1.reached, wave_1.applied) == (4, 3, 2)
    assert wave_1.applied_pct == Decimal("66.7") and wave_1.response_rate == Decimal("75.0")
    assert (wave_2.due, wave_2.reached) == (4, 0)
    assert wave_2.applied_pct is None and wave_2.response_rate == Decimal("0.0")
    # Before their date, the second wave's follow-ups are not due: no response rate yet.
    assert before_second_wave.waves[2].due == 0 and before_second_wave.waves[2].response_rate is None


def test_level_4_counts_businesses_once_and_takes_the_median_of_each_participants_latest_income_change(db):
    batch = closed_batch(people=4)
    first, second, third, fourth = enrolments_of(batch)
    business = {"business_started": True, "business_type": "Keripik pisang"}
    answer(first.follow_ups.get(wave=1), income_before=1_000_000, income_after=1_100_000, **business)
    answer(first.follow_ups.get(wave=2), income_before=1_000_000, income_after=1_500_000, **business)  # latest: +500k
    answer(second.follow_ups.get(wave=1), income_before=2_000_000, income_after=1_900_000)  # -100k
    answer(third.follow_ups.get(wave=2), income_before=1_500_000, income_after=1_800_000, **business)  # +300k
    answer(fourth.follow_ups.get(wave=1), income_before=1_000_000)  # no "after": not counted
    answer(fourth.follow_ups.get(wave=2), village_result_kind="unit_bumdes", village_result="Unit olahan pisang BUMDes")
    answer(third.follow_ups.get(wave=1), village_result_kind="perdes", village_result="Perdes tentang BUMDes")

    result = results_for(everyone(batch), detailed=True)

    assert result.businesses == 2
    assert result.income_n == 3 and result.income_median == Decimal(300_000)
    assert result.village_total == 2
    assert sorted((str(label), n) for label, n in result.village_counts) == [
        ("Peraturan desa", 1),
        ("Unit usaha BUMDes", 1),
    ]
    assert {f.village_result for f in result.village_results} == {"Unit olahan pisang BUMDes", "Perdes tentang BUMDes"}


def test_a_set_without_anyone_has_no_figures(db):
    result = results_for(Enrolment.objects.none())

    assert result.participants == 0 and result.completion_rate is None and result.reaction_mean is None
    assert [wave.response_rate for wave in result.wave_list] == [None, None]


def test_results_group_by_programme_blm_regency_of_the_participants_and_of_the_venue(db):
    programme = make_programme(title="Pemasaran digital desa")
    barito_kuala = closed_batch(programme=programme, villages=[BARITO_KUALA_VILLAGE, ACEH_SELATAN_VILLAGE])
    aceh = closed_batch(venue="11.01", people=1)
    enrolments = Enrolment.objects.filter(batch__in=[barito_kuala, aceh])

    assert {key: r.participants for key, r in results_by(enrolments, "programme").items()} == {
        programme.pk: 2,
        aceh.programme_id: 1,
    }
    assert {key: r.participants for key, r in results_by(enrolments, "blm").items()} == {
        barito_kuala.blm_id: 2,
        aceh.blm_id: 1,
    }
    assert {key: r.participants for key, r in results_by(enrolments, "regency").items()} == {"63.04": 1, "11.01": 2}
    assert {key: r.participants for key, r in results_by(enrolments, "venue").items()} == {"63.04": 2, "11.01": 1}
    grouped_waves = results_by(enrolments, "venue", today=TODAY)
    assert grouped_waves["63.04"].waves[1].due == 2 and grouped_waves["11.01"].waves[1].due == 1


def test_nobody_outside_the_users_scope_is_ever_counted(db, pemda_user, other_pemda_user, admin_user):
    batch = closed_batch(villages=[BARITO_KUALA_VILLAGE, BARITO_KUALA_VILLAGE, ACEH_SELATAN_VILLAGE])
    closed_batch(venue="11.01", people=2)

    def participants(user):
        return results_for(counted_enrolments(user)).participants

    assert participants(admin_user) == 5
    assert participants(pemda_user) == 2  # the Aceh Selatan participant of the Barito Kuala batch is not theirs
    # Their two: their resident trained in Barito Kuala is in a batch they do not see.
    assert participants(other_pemda_user) == 2
    assert results_for(counted_enrolments(pemda_user).filter(batch=batch)).participants == 2


def test_waiting_lists_and_withdrawals_are_not_counted(db, admin_user):
    batch = closed_batch(people=3)
    first, second, _third = enrolments_of(batch)
    Enrolment.objects.filter(pk=first.pk).update(status=EnrolmentStatus.WITHDRAWN)
    Enrolment.objects.filter(pk=second.pk).update(status=EnrolmentStatus.WAITING)

    assert results_for(counted_enrolments(admin_user).filter(batch=batch)).participants == 1


# --- The batch's results tab and PDF -----------------------------------------------------------------------


@pytest.fixture
def batch(db):
    batch = closed_batch(people=4, name="Angkatan I 2024")
    first, second, third, fourth = enrolments_of(batch)
    react(first, 5, 5, 5, 5)
    answer(first.follow_ups.get(wave=1), business_started=True, business_type="Keripik pisang")
    answer(second.follow_ups.get(wave=1), applied="tidak", what_applied="")
    answer(third.follow_ups.get(wave=1), reached=False)
    answer(
        first.follow_ups.get(wave=2),
        income_before=1_250_000,
        income_after=2_000_000,
        village_result_kind="unit_bumdes",
        village_result="Unit usaha olahan pisang BUMDes Maju Bersama",
    )
    return batch


def test_the_batch_results_tab_shows_every_level_with_the_response_rate_beside_level_3(client, pemda_user, batch):
    client.force_login(pemda_user)

    content = client.get(batch_url(batch)).content.decode()

    assert "Angkatan I 2024" in content
    assert "50%</strong> menerapkan" in content  # wave 1: 1 of the 2 reached applied
    assert "tingkat respons 50%" in content  # 2 of the 4 due answered
    assert "Rp 750.000" in content
    assert "Unit usaha olahan pisang BUMDes Maju Bersama" in content
    assert 'aria-current="page' in content and ">Hasil</a>" in content


def test_the_batch_results_take_the_same_number_of_queries_for_few_or_many_participants(client, blm_user):
    client.force_login(blm_user)
    small = closed_batch(people=1)
    large = closed_batch(people=12)
    for enrolment in enrolments_of(large)[:6]:
        react(enrolment)
        answer(enrolment.follow_ups.get(wave=1), village_result_kind="perdes", village_result="Perdes BUMDes")

    with CaptureQueriesContext(connection) as few:
        assert client.get(batch_url(small)).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert client.get(batch_url(large)).status_code == 200
    assert len(many) == len(few)


def test_the_batch_results_pdf_is_an_a4_attachment_without_personal_data(client, pemda_user, batch):
    client.force_login(pemda_user)

    response = client.get(batch_url(batch, pdf=True))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "hasil-pelatihan-" in response["Content-Disposition"]
    context = response.context[0] if isinstance(response.context, list) else response.context
    html = render_to_string("trainings/batch_results_pdf.html", context.flatten())
    page = weasyprint.HTML(string=html).render().pages[0]
    assert (round(page.width * 25.4 / 96), round(page.height * 25.4 / 96)) == (210, 297)
    assert "Unit usaha olahan pisang BUMDes Maju Bersama" in html and "Rp 750.000" in html
    for enrolment in batch.enrolments.select_related("person"):
        assert enrolment.person.full_name not in html
        assert enrolment.person.nik_masked not in html


def test_the_results_of_a_batch_of_another_regency_are_not_found(client, other_pemda_user, batch):
    client.force_login(other_pemda_user)

    for url in (batch_url(batch), batch_url(batch, pdf=True)):
        response = client.get(url)
        assert response.status_code == 404
        assert "Angkatan I 2024" not in response.content.decode()


# --- The results page -------------------------------------------------------------------------------------


def table_rows(response):
    return [(str(label), result.participants) for label, _link, result in response.context["rows"]]


def test_the_results_page_has_one_row_per_programme_and_a_total(client, blm_user):
    closed_batch(programme=make_programme(title="Agribisnis padi apung"), people=2)
    closed_batch(programme=make_programme(title="Keuangan desa"), people=3)
    client.force_login(blm_user)

    response = client.get(RESULTS)

    assert table_rows(response) == [("Agribisnis padi apung", 2), ("Keuangan desa", 3)]
    assert response.context["total"].participants == 5
    assert "Semua" in response.content.decode()


def test_the_results_page_groups_by_blm_or_by_regency(client, admin_user):
    closed_batch(villages=[BARITO_KUALA_VILLAGE, ACEH_SELATAN_VILLAGE])
    closed_batch(venue="11.01", people=1)
    client.force_login(admin_user)

    by_blm = table_rows(client.get(RESULTS, {"group": "blm"}))
    by_regency = table_rows(client.get(RESULTS, {"group": "regency"}))
    by_venue = table_rows(client.get(RESULTS, {"group": "venue"}))

    assert by_blm == [("BLM Aceh", 1), ("BLM Banjarmasin", 2)]
    assert by_regency == [("Kabupaten Aceh Selatan", 2), ("Kabupaten Barito Kuala", 1)]
    assert by_venue == [("Kabupaten Aceh Selatan", 1), ("Kabupaten Barito Kuala", 2)]


def test_one_programme_shows_its_results_and_a_row_per_batch(client, blm_user):
    programme = make_programme(title="Pengelolaan BUMDes")
    first = closed_batch(programme=programme, people=2, name="Angkatan I")
    closed_batch(programme=programme, people=1, name="Angkatan II")
    closed_batch(people=4)
    client.force_login(blm_user)

    response = client.get(RESULTS, {"programme": programme.pk})

    assert [label.split(" — ")[1] for label, _n in table_rows(response)] == ["Angkatan I", "Angkatan II"]
    assert response.context["total"].participants == 3
    content = response.content.decode()
    assert f'href="{batch_url(first)}"' in content
    assert "L3 · Penerapan" in content


def test_a_programme_that_does_not_exist_is_a_form_error_not_a_failure(client, blm_user):
    client.force_login(blm_user)

    response = client.get(RESULTS, {"programme": "999999", "group": "nothing"})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"programme", "group"}


def test_the_results_page_counts_nobody_outside_the_scope(client, pemda_user):
    closed_batch(villages=[BARITO_KUALA_VILLAGE, ACEH_SELATAN_VILLAGE])
    aceh = closed_batch(venue="11.01", people=3, programme=make_programme(title="Program Aceh"))
    client.force_login(pemda_user)

    response = client.get(RESULTS, {"group": "regency"})

    assert table_rows(response) == [("Kabupaten Barito Kuala", 1)]
    assert aceh.programme.title not in response.content.decode()


def test_cancelled_batches_are_not_counted(client, blm_user):
    batch = closed_batch(people=2)
    type(batch).objects.filter(pk=batch.pk).update(status=BatchStatus.CANCELLED, cancel_reason="Banjir")
    client.force_login(blm_user)

    assert table_rows(client.get(RESULTS)) == []


@pytest.mark.parametrize("group", ["programme", "batch", "blm", "regency", "venue"])
def test_the_results_page_takes_the_same_number_of_queries_however_many_groups(client, admin_user, group):
    client.force_login(admin_user)
    closed_batch(people=1)
    with CaptureQueriesContext(connection) as few:
        client.get(RESULTS, {"group": group})
    for venue in ("63.04", "11.01", "63.04"):
        batch = closed_batch(venue=venue, people=3)
        react(batch.enrolments.first())
        answer(batch.enrolments.first().follow_ups.get(wave=1), income_before=1, income_after=2)
    with CaptureQueriesContext(connection) as many:
        response = client.get(RESULTS, {"group": group})
    assert len(response.context["rows"]) > 1
    assert len(many) == len(few)
