from django.contrib import admin

from regions.models import District, Province, Regency, RegionImport, Village


class RegionAdmin(admin.ModelAdmin):
    """Regions come from the official data; admins search and correct them here."""

    search_fields = ("code", "name")
    list_display = ("code", "name", "retired_on")
    list_filter = (("retired_on", admin.EmptyFieldListFilter),)
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj else ()


@admin.register(Province)
class ProvinceAdmin(RegionAdmin):
    pass


@admin.register(Regency)
class RegencyAdmin(RegionAdmin):
    list_display = ("code", "name", "province", "retired_on")
    list_select_related = ("province",)
    list_filter = ("province", *RegionAdmin.list_filter)
    autocomplete_fields = ("province",)


@admin.register(District)
class DistrictAdmin(RegionAdmin):
    list_display = ("code", "name", "regency", "retired_on")
    list_select_related = ("regency",)
    autocomplete_fields = ("regency",)


@admin.register(Village)
class VillageAdmin(RegionAdmin):
    list_display = ("code", "name", "district", "retired_on")
    list_select_related = ("district",)
    autocomplete_fields = ("district",)


@admin.register(RegionImport)
class RegionImportAdmin(admin.ModelAdmin):
    list_display = ("started_at", "source", "status", "created", "renamed", "retired", "restored")
    list_filter = ("status",)
    readonly_fields = (
        "started_at",
        "source",
        "status",
        "checksum",
        "created",
        "renamed",
        "retired",
        "restored",
        "errors",
        "error_count",
        "notes",
        "finished_at",
    )

    def has_add_permission(self, request):
        return False
