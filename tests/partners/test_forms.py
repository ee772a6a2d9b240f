"""The organisation form: region and parent choices follow the user's scope; errors are in Indonesian."""

from django.utils import timezone

from partners.forms import OrganisationForm
from partners.models import Organisation, OrganisationKind
from regions.models import Regency
from tests.factories import OrganisationFactory


def form_for(user, data, instance=None):
    return OrganisationForm(data=data, user=user, instance=instance)


def test_blm_staff_are_offered_only_the_regencies_of_their_area(blm_user):
    form = OrganisationForm(user=blm_user)

    codes = set(form.fields["regency"].queryset.values_list("code", flat=True))
    assert codes == set(Regency.objects.filter(province_id__in=("62", "63")).values_list("code", flat=True))
    assert "63.04" in codes
    assert "11.01" not in codes
    assert set(form.fields["working_area"].queryset.values_list("code", flat=True)) == codes
    assert set(form.fields["province"].queryset.values_list("code", flat=True)) == {"62", "63"}


def test_an_admin_is_offered_every_current_regency(admin_user):
    form = OrganisationForm(user=admin_user)

    assert form.fields["regency"].queryset.count() == 514


def test_a_retired_regency_is_not_offered(blm_user):
    Regency.objects.filter(code="63.04").update(retired_on=timezone.localdate())

    form = OrganisationForm(user=blm_user)

    assert not form.fields["regency"].queryset.filter(code="63.04").exists()


def test_only_organisations_in_scope_can_be_a_parent(blm_user):
    pemkab = OrganisationFactory(name="Pemerintah Kabupaten Barito Kuala", kind=OrganisationKind.REGENCY_GOV)
    aceh = OrganisationFactory(name="Pemerintah Kabupaten Aceh Selatan", regency=Regency.objects.get(code="11.01"))

    form = OrganisationForm(user=blm_user, instance=pemkab)

    parents = set(form.fields["parent"].queryset)
    assert aceh not in parents
    assert pemkab not in parents  # never its own parent


def test_the_province_follows_from_the_regency(blm_user):
    form = form_for(blm_user, {"name": "Dinas PMD Kabupaten Barito Kuala", "kind": "dinas", "regency": "63.04"})

    assert form.is_valid(), form.errors
    organisation = form.save()
    assert organisation.province_id == "63"


def test_a_regency_outside_the_chosen_province_is_refused(blm_user):
    form = form_for(blm_user, {"name": "Dinas PMD", "kind": "dinas", "province": "62", "regency": "63.04"})

    assert not form.is_valid()
    assert form.errors["regency"] == ["Kabupaten/kota ini tidak berada di provinsi yang dipilih."]


def test_blm_staff_must_choose_a_regency(blm_user):
    form = form_for(blm_user, {"name": "Kementerian Desa", "kind": "kementerian"})

    assert not form.is_valid()
    assert form.errors["regency"][0].startswith("Pilih kabupaten/kota dalam wilayah kerja Anda")


def test_a_regency_outside_the_area_is_not_a_valid_choice(blm_user):
    form = form_for(blm_user, {"name": "Dinas PMD Aceh Selatan", "kind": "dinas", "regency": "11.01"})

    assert not form.is_valid()
    assert form.errors["regency"][0].startswith("Masukkan pilihan yang valid.")


def test_an_admin_may_record_a_national_body_without_a_region(admin_user):
    form = form_for(admin_user, {"name": "Kementerian Desa dan Pembangunan Daerah Tertinggal", "kind": "kementerian"})

    assert form.is_valid(), form.errors
    organisation = form.save()
    assert (organisation.province_id, organisation.regency_id) == (None, None)


def test_a_second_organisation_with_the_same_name_and_parent_is_refused(blm_user):
    OrganisationFactory(name="Dinas PMD Kabupaten Barito Kuala")

    form = form_for(blm_user, {"name": "Dinas PMD Kabupaten Barito Kuala", "kind": "dinas", "regency": "63.04"})

    assert not form.is_valid()
    assert "Instansi dengan nama ini sudah ada di bawah induk yang sama." in form.non_field_errors()
    assert Organisation.objects.filter(name="Dinas PMD Kabupaten Barito Kuala").count() == 1


def test_field_errors_are_in_indonesian(blm_user):
    form = form_for(blm_user, {"kind": "dinas", "regency": "63.04", "email": "bukan-surel", "website": "bukan situs"})

    assert not form.is_valid()
    assert form.errors["name"] == ["Bidang ini tidak boleh kosong."]
    assert form.errors["email"] == ["Masukkan alamat email yang valid."]
    assert form.errors["website"] == ["Masukkan URL yang valid."]
