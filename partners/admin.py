from django.contrib import admin

from partners.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "parent", "regency", "province")
    list_filter = ("kind", "province")
    list_select_related = ("parent", "regency", "province")
    search_fields = ("name", "short_name")
    autocomplete_fields = ("parent", "province", "regency", "working_area")
    readonly_fields = ("version",)
