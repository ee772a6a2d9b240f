from django import forms
from django.utils.translation import gettext_lazy as _

from partners.models import Organisation
from percontohan import forms as portal_forms
from regions.models import Province, Regency


class OrganisationForm(portal_forms.ModelForm):
    """An organisation; region choices are limited to the user's scope."""

    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "kind",
            "parent",
            "province",
            "regency",
            "working_area",
            "head_name",
            "head_position",
            "description",
            "address",
            "phone",
            "email",
            "website",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 3}), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["parent"].queryset = Organisation.objects.visible_to(user).exclude(pk=self.instance.pk)
        self.fields["province"].queryset = Province.objects.visible_to(user).current()
        regencies = Regency.objects.visible_to(user).current().select_related("province")
        self.fields["regency"].queryset = regencies
        self.fields["working_area"].queryset = regencies

    def clean(self):
        cleaned = super().clean()
        if not self.user.sees_everything and not cleaned.get("regency"):
            self.add_error(
                "regency",
                _(
                    "Pilih kabupaten/kota dalam wilayah kerja Anda; "
                    "instansi tingkat nasional atau provinsi dicatat oleh Admin."
                ),
            )
        return cleaned
