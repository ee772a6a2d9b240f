"""Django admin for trainings. A person's NIK is never shown here (only masked); revealing one is a
recorded step of the portal's person page, for Admin."""

from django.contrib import admin

from trainings.models import (
    Attendance,
    Batch,
    Certificate,
    Enrolment,
    FollowUp,
    NikReveal,
    Person,
    Programme,
    Session,
    Trainer,
)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "field", "hours_jp", "blm", "active")
    list_filter = ("field", "active", "blm")
    search_fields = ("code", "title")
    autocomplete_fields = ("blm",)


@admin.register(Trainer)
class TrainerAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "expertise", "blm")
    search_fields = ("name", "expertise")
    autocomplete_fields = ("blm", "organisation")


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ("date", "starts_at", "ends_at", "topic", "hours_jp")


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ("name", "programme", "blm", "mode", "starts_on", "ends_on", "quota", "status")
    list_filter = ("status", "mode", "blm")
    search_fields = ("name", "programme__title")
    date_hierarchy = "starts_on"
    autocomplete_fields = ("programme", "blm", "venue_village", "target_villages", "area", "agreement", "commitment")
    list_select_related = ("programme", "blm")
    inlines = [SessionInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("full_name", "nik_masked", "sex", "birth_date", "village")
    list_filter = ("sex", "education", "village_role")
    search_fields = ("full_name",)
    readonly_fields = ("nik_masked",)
    autocomplete_fields = ("village",)
    list_select_related = ("village",)
    # As the portal's person list: the latest recorded first (the key's index serves it).
    ordering = ("-pk",)


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ("person", "batch", "status", "pre_test", "post_test", "practical")
    list_filter = ("status",)
    search_fields = ("person__full_name", "batch__name")
    raw_id_fields = ("person", "batch")
    list_select_related = ("person", "batch__programme")


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ("enrolment", "session", "mark", "recorded_by", "recorded_at")
    list_filter = ("mark",)
    raw_id_fields = ("enrolment", "session", "recorded_by")
    list_select_related = ("enrolment__person", "enrolment__batch__programme", "session", "recorded_by")


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("number", "enrolment", "issued_on", "revoked_on")
    list_filter = ("year", "blm")
    search_fields = ("number",)
    raw_id_fields = ("enrolment", "issued_by")
    list_select_related = ("enrolment__person", "enrolment__batch__programme")


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ("enrolment", "wave", "due_on", "done_on", "applied", "business_started")
    list_filter = ("wave", "applied", "method")
    raw_id_fields = ("enrolment", "recorded_by")
    list_select_related = ("enrolment__person", "enrolment__batch__programme")


@admin.register(NikReveal)
class NikRevealAdmin(admin.ModelAdmin):
    """The record of who looked at a NIK in clear: read only."""

    list_display = ("person", "user", "reason", "at")
    readonly_fields = ("person", "user", "reason", "at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
