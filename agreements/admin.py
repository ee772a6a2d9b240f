"""Django admin for agreements, their documents (versions shown, never edited) and commitments."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from agreements.models import (
    Agreement,
    AgreementParty,
    Commitment,
    CommitmentEvidence,
    Document,
    DocumentVersion,
    Signatory,
)


class AgreementPartyInline(admin.TabularInline):
    model = AgreementParty
    extra = 0
    fields = ("position", "organisation")
    autocomplete_fields = ("organisation",)


class SignatoryInline(admin.TabularInline):
    model = Signatory
    extra = 0
    fields = ("order", "role", "name", "position", "organisation")
    autocomplete_fields = ("organisation",)


class DocumentInline(admin.TabularInline):
    """Documents are uploaded through the portal, which checks their content; here they are listed."""

    model = Document
    extra = 0
    fields = ("kind", "title")
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0
    fields = ("party", "description", "due_date", "recurrence", "status", "completed_on")
    show_change_link = True

    def get_formset(self, request, obj=None, **kwargs):
        self.agreement = obj
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A commitment is owed by one of this agreement's own parties.
        if db_field.name == "party":
            agreement = getattr(self, "agreement", None)
            kwargs["queryset"] = AgreementParty.objects.filter(agreement=agreement).select_related("organisation")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "kind", "status", "issuer", "signed_on", "effective_to")
    list_filter = ("kind", "status", ("signed_on", admin.DateFieldListFilter), "effective_to")
    list_select_related = ("issuer",)
    search_fields = ("number", "title", "subject", "parties__organisation__name", "parties__organisation__short_name")
    date_hierarchy = "signed_on"
    autocomplete_fields = ("issuer", "amends", "implements", "renewal_of", "regencies", "villages", "areas")
    readonly_fields = ("version",)
    fieldsets = (
        (None, {"fields": ("kind", "number", "issuer", "title", "subject", "version")}),
        (_("Rangkaian perjanjian"), {"fields": ("amends", "implements", "renewal_of")}),
        (
            _("Penandatanganan dan masa berlaku"),
            {"fields": ("signed_on", "signed_place", "effective_from", "effective_to", "status")},
        ),
        (_("Pengakhiran"), {"fields": ("terminated_on", "termination_reason")}),
        (_("Cakupan wilayah"), {"fields": ("regencies", "villages", "areas")}),
    )
    inlines = (AgreementPartyInline, SignatoryInline, DocumentInline, CommitmentInline)


class DocumentVersionInline(admin.TabularInline):
    """Versions are kept as uploaded: shown here, never changed or removed."""

    model = DocumentVersion
    extra = 0
    fields = ("number", "original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "agreement")
    list_filter = ("kind",)
    list_select_related = ("agreement",)
    search_fields = ("title", "agreement__number", "agreement__title")
    autocomplete_fields = ("agreement",)
    inlines = (DocumentVersionInline,)


class CommitmentEvidenceInline(admin.TabularInline):
    model = CommitmentEvidence
    extra = 0
    fields = ("note", "for_due_date", "original_name", "uploaded_by", "uploaded_at")
    readonly_fields = ("original_name", "uploaded_by", "uploaded_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ("description_short", "agreement", "party", "due_date", "recurrence", "status")
    list_filter = ("status", "recurrence", ("due_date", admin.DateFieldListFilter))
    list_select_related = ("agreement", "party__organisation")
    search_fields = ("description", "agreement__number", "party__organisation__name")
    autocomplete_fields = ("agreement",)
    readonly_fields = ("version",)
    inlines = (CommitmentEvidenceInline,)

    @admin.display(description=_("komitmen"))
    def description_short(self, obj):
        return str(obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "party":
            kwargs["queryset"] = AgreementParty.objects.select_related("organisation", "agreement")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
