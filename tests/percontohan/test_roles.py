"""The four roles: their groups and permissions, and the regional scope each may have."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from percontohan.roles import GROUP_NAMES, Role
from regions.models import Regency
from tests.factories import UserFactory


def codenames(group_name):
    group = Group.objects.get(name=group_name)
    return {
        f"{app}.{codename}" for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_the_role_groups_exist_after_migrate(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {"Admin", "Staf BLM", "Pejabat Pemda", "Kementerian"}


def test_blm_staff_change_partner_data_but_not_the_official_regions(db):
    permissions = codenames("Staf BLM")
    assert {"partners.add_organisation", "partners.change_organisation", "partners.delete_organisation"} <= permissions
    assert "regions.view_village" in permissions
    assert "regions.change_village" not in permissions
    assert "regions.change_regency" not in permissions
    assert not {p for p in permissions if p.startswith(("auth.", "percontohan.", "axes."))}


@pytest.mark.parametrize("group", ["Pejabat Pemda", "Kementerian"])
def test_officials_and_the_ministry_only_read(db, group):
    permissions = codenames(group)
    assert "partners.view_organisation" in permissions
    assert "regions.view_village" in permissions
    assert all(permission.split(".")[1].startswith("view_") for permission in permissions)


def test_admins_hold_every_permission(db):
    from django.contrib.auth.models import Permission

    assert len(codenames("Admin")) == Permission.objects.count()


@pytest.mark.parametrize(
    ("role", "group"), [(Role.ADMIN, "Admin"), (Role.STAF_BLM, "Staf BLM"), (Role.KEMENTERIAN, "Kementerian")]
)
def test_a_user_is_put_in_the_group_of_their_role(db, role, group):
    user = UserFactory(role=role, regencies=("63",))
    assert list(user.groups.values_list("name", flat=True)) == [group]
    assert GROUP_NAMES[role] == group


def test_changing_the_role_moves_the_user_to_the_new_group(pemda_user):
    pemda_user.role = Role.STAF_BLM
    pemda_user.save()
    assert list(pemda_user.groups.values_list("name", flat=True)) == ["Staf BLM"]


@pytest.mark.parametrize("codes", [[], ["63.04", "63.05"]])
def test_a_pejabat_pemda_must_have_exactly_one_regency(pemda_user, codes):
    with pytest.raises(ValidationError) as raised:
        pemda_user.clean_scope(list(Regency.objects.filter(code__in=codes)))
    assert raised.value.message_dict["scope_regencies"] == ["Pejabat Pemda harus dicakup tepat satu kabupaten/kota."]


def test_a_pejabat_pemda_with_one_regency_is_valid(pemda_user):
    pemda_user.clean_scope([Regency.objects.get(code="63.04")])


def test_a_pejabat_pemda_cannot_have_a_national_scope(pemda_user):
    pemda_user.national_scope = True
    with pytest.raises(ValidationError) as raised:
        pemda_user.clean_scope([Regency.objects.get(code="63.04")])
    assert "national_scope" in raised.value.message_dict


def test_blm_staff_need_a_working_area(blm_user):
    with pytest.raises(ValidationError) as raised:
        blm_user.clean_scope([])
    assert raised.value.message_dict["scope_regencies"] == [
        "Staf BLM harus memiliki wilayah kerja: pilih minimal satu kabupaten/kota."
    ]


@pytest.mark.parametrize("user", ["admin_user", "ministry_user"])
def test_admins_and_the_ministry_see_all_of_indonesia(request, user):
    user = request.getfixturevalue(user)
    assert user.scope_regency_codes is None
    assert user.sees_everything
    assert user.national_scope


def test_a_pejabat_pemda_sees_their_one_regency(pemda_user):
    assert pemda_user.scope_regency_codes == frozenset({"63.04"})


def test_blm_staff_see_their_working_area(blm_user):
    assert blm_user.scope_regency_codes == set(
        Regency.objects.filter(province_id__in=["62", "63"]).values_list("code", flat=True)
    )
    assert not blm_user.sees_everything


def test_an_inactive_user_sees_nothing(pemda_user):
    pemda_user.is_active = False
    assert not Regency.objects.visible_to(pemda_user).exists()


def admin_change_form(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "position": user.position,
        "organisation": "",
        "role": user.role,
        "scope_regencies": list(user.scope_regencies.values_list("code", flat=True)),
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    data.update(changes)
    return data


def test_the_admin_refuses_a_pejabat_pemda_with_two_regencies(client, admin_user, pemda_user):
    client.force_login(admin_user)
    url = reverse("admin:percontohan_user_change", args=[pemda_user.pk])
    response = client.post(url, admin_change_form(pemda_user, scope_regencies=["63.04", "63.05"]))
    assert response.status_code == 200
    assert "Pejabat Pemda harus dicakup tepat satu kabupaten/kota." in response.content.decode()
    assert set(pemda_user.scope_regencies.values_list("code", flat=True)) == {"63.04"}


def test_the_admin_saves_a_valid_scope_change(client, admin_user, pemda_user):
    client.force_login(admin_user)
    url = reverse("admin:percontohan_user_change", args=[pemda_user.pk])
    response = client.post(url, admin_change_form(pemda_user, scope_regencies=["63.05"]))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert set(pemda_user.scope_regencies.values_list("code", flat=True)) == {"63.05"}


def test_the_admin_makes_a_ministry_user_national_without_regencies(client, admin_user, pemda_user):
    client.force_login(admin_user)
    url = reverse("admin:percontohan_user_change", args=[pemda_user.pk])
    response = client.post(url, admin_change_form(pemda_user, role=Role.KEMENTERIAN, scope_regencies=[]))
    assert response.status_code == 302, response.context["adminform"].form.errors
    pemda_user.refresh_from_db()
    assert pemda_user.national_scope
    assert list(pemda_user.groups.values_list("name", flat=True)) == ["Kementerian"]
