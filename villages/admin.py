"""Django admin for the villages domain: index schemes (edited here, as data), scores, imports,
geography, programme areas, pilot villages and selection rounds."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from villages.models import (
    AreaMembership,
    DistrictGeo,
    IndexComponent,
    IndexImport,
    IndexScheme,
    IndexScore,
    IndexStatus,
    PilotTransition,
    PilotVillage,
    ProgrammeArea,
    SelectionCandidate,
    SelectionCriterion,
    SelectionRound,
    VillageGeo,
)


class IndexComponentInline(admin.TabularInline):
    model = IndexComponent
    extra = 0
    fields = ("order", "code", "name")


class IndexStatusInline(admin.TabularInline):
    model = IndexStatus
    extra = 0
    fields = ("order", "code", "name", "upper_bound", "color")


@admin.register(IndexScheme)
class IndexSchemeAdmin(admin.ModelAdmin):
    """Schemes are data: components, status thresholds and file column names are edited here."""

    list_display = ("code", "name", "regulation", "aggregation")
    search_fields = ("code", "name")
    readonly_fields = ("version",)
    inlines = (IndexComponentInline, IndexStatusInline)


@admin.register(IndexScore)
class IndexScoreAdmin(admin.ModelAdmin):
    list_display = ("village", "scheme", "year", "value", "status", "published_status", "status_disagrees")
    list_filter = ("scheme", "year", "status", "status_disagrees")
    list_select_related = ("village", "scheme", "status")
    search_fields = ("village__code", "village__name")
    autocomplete_fields = ("village",)
    raw_id_fields = ("source_import",)
    show_full_result_count = False


@admin.register(IndexImport)
class IndexImportAdmin(admin.ModelAdmin):
    """A record of what an import did; it is never edited by hand."""

    list_display = ("created_at", "original_name", "scheme", "year", "status", "created_count", "updated_count")
    list_filter = ("status", "scheme")
    list_select_related = ("scheme", "started_by")
    search_fields = ("original_name",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(VillageGeo)
class VillageGeoAdmin(admin.ModelAdmin):
    list_display = ("village", "lat", "lng", "has_boundary", "source")
    list_select_related = ("village",)
    search_fields = ("village__code", "village__name")
    list_filter = (("boundary", admin.EmptyFieldListFilter),)
    autocomplete_fields = ("village",)

    @admin.display(boolean=True, description=_("batas wilayah"))
    def has_boundary(self, obj):
        return obj.boundary is not None


@admin.register(DistrictGeo)
class DistrictGeoAdmin(admin.ModelAdmin):
    list_display = ("district", "lat", "lng", "source")
    list_select_related = ("district",)
    search_fields = ("district__code", "district__name")
    autocomplete_fields = ("district",)


class AreaMembershipInline(admin.TabularInline):
    model = AreaMembership
    extra = 0
    autocomplete_fields = ("village",)


@admin.register(ProgrammeArea)
class ProgrammeAreaAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "regency", "established_on")
    list_filter = ("kind",)
    list_select_related = ("regency",)
    search_fields = ("name", "regency__name")
    autocomplete_fields = ("regency",)
    readonly_fields = ("version",)
    inlines = (AreaMembershipInline,)


class PilotTransitionInline(admin.TabularInline):
    """Lifecycle steps are taken through the portal's actions, which check them; here they are only shown."""

    model = PilotTransition
    extra = 0
    fields = ("at", "from_status", "to_status", "by", "reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PilotVillage)
class PilotVillageAdmin(admin.ModelAdmin):
    list_display = ("village", "status", "responsible_blm", "programme_area", "period_start", "period_end")
    list_filter = ("status", "period_start")
    list_select_related = ("village", "responsible_blm", "programme_area")
    search_fields = ("village__code", "village__name")
    autocomplete_fields = ("village", "responsible_blm", "programme_area", "selection_round")
    readonly_fields = ("version",)
    inlines = (PilotTransitionInline,)


class SelectionCriterionInline(admin.TabularInline):
    model = SelectionCriterion
    extra = 0
    fields = ("order", "name", "description", "weight")


class SelectionCandidateInline(admin.TabularInline):
    model = SelectionCandidate
    extra = 0
    fields = ("village", "proposal_note", "chosen")
    autocomplete_fields = ("village",)


@admin.register(SelectionRound)
class SelectionRoundAdmin(admin.ModelAdmin):
    list_display = ("title", "regency", "programme_area", "period_start", "period_end", "status")
    list_filter = ("status",)
    list_select_related = ("regency", "programme_area")
    search_fields = ("title", "regency__name")
    autocomplete_fields = ("regency", "programme_area", "responsible_blm", "decided_by")
    readonly_fields = ("version",)
    inlines = (SelectionCriterionInline, SelectionCandidateInline)
