from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from percontohan.models import User

admin.site.site_header = _("Portal Desa Percontohan — Admin")
admin.site.site_title = _("Portal Desa Percontohan")
admin.site.index_title = _("Administrasi")


class UserChangeForm(BaseUserChangeForm):
    class Meta(BaseUserChangeForm.Meta):
        model = User

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        for field in ("role", "national_scope"):
            if field in cleaned:
                setattr(instance, field, cleaned[field])
        try:
            instance.clean_scope(list(cleaned.get("scope_regencies") or []))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        return cleaned


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeForm
    list_display = ("username", "get_full_name", "role", "organisation", "national_scope", "is_active", "last_login")
    list_filter = ("role", "national_scope", "is_active", "organisation")
    search_fields = ("username", "first_name", "last_name", "email", "organisation__name")
    autocomplete_fields = ("scope_regencies", "organisation")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Identitas"), {"fields": ("first_name", "last_name", "email", "position", "organisation")}),
        (_("Peran dan cakupan wilayah"), {"fields": ("role", "national_scope", "scope_regencies")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Waktu penting"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "role", "password1", "password2")}),)
