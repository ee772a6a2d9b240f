"""Agreements (MoU, PKS, addenda): list with export, detail with the chain and history, the form with
parties, signatories and coverage, the lifecycle steps, and a one-page PDF summary.

Every agreement is loaded through `visible_to(request.user)`; agreements linked
to it are shown only when the user may see them too. Forms and steps load the
agreement through the write rule (percontohan.scoping: 403 for a role that only
reads, before any lookup; 403 for an agreement also covering a region outside
the editor's scope) and write through agreements.services.
"""

import weasyprint
from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import CreateView, DetailView, FormView, UpdateView

from agreements.filters import AgreementFilter
from agreements.forms import (
    AddendumForm,
    AgreementForm,
    RenewForm,
    SignForm,
    TerminateForm,
    party_formset,
    shown_unvalidated,
    signatory_formset,
)
from agreements.models import (
    Agreement,
    AgreementParty,
    Commitment,
    Document,
    DocumentVersion,
    Signatory,
    SignatoryRole,
)
from agreements.services import (
    DATED_STATUSES,
    agreement_actions,
    agreement_add_addendum,
    agreement_renew,
    agreement_save,
    agreement_sign,
    agreement_terminate,
)
from agreements.tables import STATUS_BADGES, AgreementTable
from percontohan.records import Prepared, grouped, prefetched
from percontohan.scoping import read_scope
from percontohan.views_base import (
    CanEditMixin,
    EditableObjectMixin,
    EditorRequiredMixin,
    HistoryMixin,
    PreparedObjectMixin,
    ScopedListView,
    VersionedFormMixin,
    picker_search,
    saved_or_refused,
)
from regions.models import Regency, Village
from villages.models import ProgrammeArea

AGREEMENT_LIST_LABEL = _("Perjanjian")


def agreement_crumbs(agreement=None):
    """Breadcrumbs up to the agreement list, or to an agreement's page (every agreement page uses these)."""
    crumbs = [(AGREEMENT_LIST_LABEL, reverse("agreements:agreement_list"))]
    if agreement is not None and agreement.pk:
        crumbs.append((agreement.number, agreement.get_absolute_url()))
    return crumbs


# What an agreement's page and summary show of its related records, each query compiled once per process
# and run with the agreement's key (percontohan.records.Prepared): the ORM built these eight anew on every
# page, which cost more than running them.
RELATED = {
    "parties": Prepared(lambda pk: AgreementParty.objects.select_related("organisation").filter(agreement_id=pk)),
    "signatories": Prepared(lambda pk: Signatory.objects.select_related("organisation").filter(agreement_id=pk)),
    "regencies": Prepared(lambda pk: Regency.objects.select_related("province").filter(agreements=pk)),
    "villages": Prepared(lambda pk: Village.objects.select_related("district").filter(agreements=pk)),
    "areas": Prepared(lambda pk: ProgrammeArea.objects.select_related("regency").filter(agreements=pk)),
    "commitments": Prepared(
        lambda pk: Commitment.objects.select_related("party__organisation").filter(agreement_id=pk)
    ),
    "documents": Prepared(lambda pk: Document.objects.filter(agreement_id=pk)),
}
# Each document's versions, newest first, as `document.version_list`.
DOCUMENT_VERSIONS = Prepared(
    lambda pk: DocumentVersion.objects.filter(document__agreement_id=pk).order_by("document_id", "-number")
)


def with_related(agreement):
    """The agreement with everything its page and summary show, in a fixed number of queries."""
    for name, query in RELATED.items():
        prefetched(agreement, name, query(agreement.pk))
    versions = grouped(DOCUMENT_VERSIONS(agreement.pk), "document_id")
    for document in agreement.documents.all():
        document.version_list = versions[document.pk]
    return agreement


# The agreements an agreement points to (`linked`) and those pointing to it, that a scope sees.
AGREEMENT_CHAIN = Prepared(
    lambda codes, linked, pk: (
        Agreement.objects.within(codes)
        .filter(Q(pk__in_array=linked) | Q(amends_id=pk) | Q(implements_id=pk) | Q(renewal_of_id=pk))
        .order_by("signed_on", "pk")
    )
)


def agreement_context(agreement, user):
    """What the detail page and the PDF summary show besides the agreement's own fields."""
    # The chain both ways — the agreements this one points to and those pointing to it (its addenda,
    # implementing PKS and renewals) — shown only when the user may see them, in one query.
    linked_ids = [pk for pk in (agreement.amends_id, agreement.implements_id, agreement.renewal_of_id) if pk]
    chain = AGREEMENT_CHAIN(read_scope(user), linked_ids, agreement.pk)
    linked = {other.pk: other for other in chain}
    signatories = list(agreement.signatories.all())
    # Days left only mean something while the agreement is (or is about to be) in force.
    days_left = agreement.days_left if agreement.status in DATED_STATUSES else None
    return {
        "parties": list(agreement.parties.all()),
        "signers": [s for s in signatories if s.role == SignatoryRole.SIGNATORY],
        "witnesses": [s for s in signatories if s.role == SignatoryRole.WITNESS],
        "amends": linked.get(agreement.amends_id),
        "implements": linked.get(agreement.implements_id),
        "renewal_of": linked.get(agreement.renewal_of_id),
        "addenda": [other for other in chain if other.amends_id == agreement.pk],
        "implementing_agreements": [other for other in chain if other.implements_id == agreement.pk],
        "renewals": [other for other in chain if other.renewal_of_id == agreement.pk],
        "status_badge": STATUS_BADGES.get(agreement.status, ""),
        "days_left": days_left,
        "expiring_soon": days_left is not None and 0 <= days_left <= settings.AGREEMENT_EXPIRY_WARNING_DAYS,
    }


# --- List and detail -------------------------------------------------------


class AgreementListView(ScopedListView):
    model = Agreement
    table_class = AgreementTable
    filterset_class = AgreementFilter
    export_name = "perjanjian"
    template_name = "agreements/agreement_list.html"
    extra_context = {"title": _("Perjanjian: MoU, PKS dan adendum")}

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("issuer")
            .prefetch_related(
                Prefetch("parties", queryset=AgreementParty.objects.select_related("organisation")),
                Prefetch("regencies", queryset=Regency.objects.only("code", "name")),
            )
        )

    def list_query_state(self):
        return ()


# An agreement the user may see, with its issuer (the detail page and the PDF summary).
AGREEMENT = Prepared(lambda codes, pk: Agreement.objects.within(codes).select_related("issuer").filter(pk=pk))


class AgreementDetailView(PreparedObjectMixin, HistoryMixin, CanEditMixin, DetailView):
    """An agreement: parties, signatories and witnesses, dates, coverage, the chain both ways,
    commitments, documents and the history timeline."""

    model = Agreement
    record_query = AGREEMENT
    template_name = "agreements/agreement_detail.html"

    def get_object(self, queryset=None):
        return with_related(super().get_object(queryset))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(agreement_context(self.object, self.request.user))
        context.update(breadcrumbs=agreement_crumbs(), actions=agreement_actions(self.object))
        return context


class AgreementPdfView(PreparedObjectMixin, DetailView):
    """A one-page summary as a PDF attachment (WeasyPrint; nothing is fetched from outside the page)."""

    model = Agreement
    record_query = AGREEMENT
    template_name = "agreements/agreement_summary_pdf.html"

    def get_object(self, queryset=None):
        return with_related(super().get_object(queryset))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(agreement_context(self.object, self.request.user))
        return context

    def render_to_response(self, context, **response_kwargs):
        html = render_to_string(self.template_name, context, request=self.request)
        fetcher = weasyprint.URLFetcher(allowed_protocols=("data",))
        pdf = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
        response = HttpResponse(pdf, content_type="application/pdf")
        name = slugify(self.object.number.replace("/", "-").replace(".", "-")) or str(self.object.pk)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"ringkasan-perjanjian-{name}.pdf"
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- Create and edit -------------------------------------------------------


class AgreementFormMixin(VersionedFormMixin):
    """The agreement form with its two inline formsets (parties; signatories and witnesses).

    A “refresh” button (more rows, the villages of the chosen regencies) shows the
    page again without saving; a submission saves everything in one transaction
    through `agreement_save`, or nothing.
    """

    model = Agreement
    form_class = AgreementForm
    template_name = "agreements/agreement_form.html"
    # Blank rows offered: a new agreement usually has two parties, two signatories and witnesses.
    party_rows, signatory_rows = 2, 4

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "user": self.request.user}
        if getattr(self, "posted", None) is not None:
            kwargs["data"] = self.posted
        return kwargs

    def get_formsets(self, data=None):
        instance = self.object if self.object is not None else Agreement()
        extra_parties = self.party_rows if instance.pk is None else 1
        extra_signatories = self.signatory_rows if instance.pk is None else 2
        user = self.request.user
        return (
            party_formset(data=data, instance=instance, user=user, extra=extra_parties),
            signatory_formset(data=data, instance=instance, user=user, extra=extra_signatories),
        )

    def get_context_data(self, **kwargs):
        if "parties" not in kwargs:
            kwargs["parties"], kwargs["signatories"] = self.get_formsets()
        kwargs.setdefault("breadcrumbs", agreement_crumbs(self.object))
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object() if self.editing else None
        refresh = request.POST.get("_refresh")
        data = self.posted = request.POST.copy()
        if refresh in ("pihak", "penandatangan") and data.get(f"{refresh}-TOTAL_FORMS", "").isdigit():
            # One more blank row in that formset.
            data[f"{refresh}-TOTAL_FORMS"] = str(int(data[f"{refresh}-TOTAL_FORMS"]) + 1)
        form = self.get_form()
        parties, signatories = self.get_formsets(data)
        if refresh:
            shown_unvalidated(form, parties, signatories)
            return self.render(form, parties, signatories)
        self.formsets = parties, signatories
        if form.is_valid() and parties.is_valid() and signatories.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def form_invalid(self, form):
        return self.render(form, *self.formsets)

    def render(self, form, parties, signatories):
        return self.render_to_response(self.get_context_data(form=form, parties=parties, signatories=signatories))

    def save(self, form):
        parties, signatories = self.formsets
        return agreement_save(
            agreement=form.instance,
            parties=parties.parties(),
            signatories=signatories.signatories(),
            user=self.request.user,
            **form.coverage(),
        )


class AgreementCreateView(EditorRequiredMixin, AgreementFormMixin, CreateView):
    editing = False
    success_message = _("Perjanjian ditambahkan sebagai draf.")


class AgreementUpdateView(EditableObjectMixin, AgreementFormMixin, UpdateView):
    editing = True

    def get_editable_queryset(self):
        return Agreement.objects.prefetch_related("regencies", "villages", "areas")


# --- Lifecycle steps -------------------------------------------------------


class AgreementLoadMixin(EditableObjectMixin):
    """Act on the agreement named in the URL, or on what hangs under it (commitments, documents),
    loaded through the write rule."""

    editable_name = "agreement"

    def get_editable_queryset(self):
        return Agreement.objects.select_related("issuer")


class AgreementActionView(AgreementLoadMixin, FormView):
    """One step of the lifecycle on an agreement loaded through the user's scope.

    The page explains when the step is not possible now; a submission the
    lifecycle refuses is shown again with the service's message, nothing changed.
    """

    template_name = "agreements/agreement_action.html"
    action = None
    heading = intro = submit_label = success_message = ""
    submit_class = "btn-primary"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "agreement": self.agreement}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            agreement=self.agreement,
            available=self.action in agreement_actions(self.agreement),
            heading=self.heading,
            intro=self.intro,
            submit_label=self.submit_label,
            submit_class=self.submit_class,
            status_badge=STATUS_BADGES.get(self.agreement.status, ""),
            breadcrumbs=agreement_crumbs(self.agreement),
            **kwargs,
        )

    def form_valid(self, form):
        # A renewal or an addendum is a new agreement: saved_or_refused checks it too is the user's to change.
        target = saved_or_refused(form, self.request.user, lambda: self.act(**form.cleaned_data))
        if target is None:
            return self.form_invalid(form)
        messages.success(self.request, self.success_message % {"number": target.number})
        return redirect(self.next_url(target))

    def act(self, **data):
        raise NotImplementedError

    def next_url(self, target):
        return target.get_absolute_url()


class AgreementSignView(AgreementActionView):
    form_class = SignForm
    action = "sign"
    heading = _("Tandatangani perjanjian")
    intro = _(
        "Catat penandatanganan: perjanjian memerlukan minimal dua pihak dan satu penandatangan. "
        "Setelah ditandatangani, statusnya mengikuti masa berlaku."
    )
    submit_label = _("Catat penandatanganan")
    success_message = _("Perjanjian %(number)s dicatat sebagai telah ditandatangani.")

    def act(self, signed_on, signed_place):
        return agreement_sign(
            agreement=self.agreement, signed_on=signed_on, signed_place=signed_place, user=self.request.user
        )


class AgreementTerminateView(AgreementActionView):
    form_class = TerminateForm
    action = "terminate"
    heading = _("Akhiri perjanjian")
    intro = _("Perjanjian yang diakhiri tidak dapat diberlakukan lagi; catat tanggal dan alasannya.")
    submit_label = _("Akhiri perjanjian")
    submit_class = "btn-danger"
    success_message = _("Perjanjian %(number)s diakhiri.")

    def act(self, terminated_on, reason):
        return agreement_terminate(
            agreement=self.agreement, terminated_on=terminated_on, reason=reason, user=self.request.user
        )


class AgreementRenewView(AgreementActionView):
    form_class = RenewForm
    action = "renew"
    heading = _("Perpanjang perjanjian")
    intro = _(
        "Perpanjangan dibuat sebagai perjanjian baru berstatus draf yang merujuk perjanjian ini, "
        "dengan para pihak dan cakupan wilayah yang sama. Lengkapi penandatangan dan masa berlakunya setelah itu."
    )
    submit_label = _("Buat perpanjangan")
    success_message = _("Draf perpanjangan %(number)s dibuat; lengkapi datanya.")

    def act(self, number, title):
        return agreement_renew(agreement=self.agreement, number=number, title=title, user=self.request.user)

    def next_url(self, target):
        return reverse("agreements:agreement_update", args=[target.pk])


class AgreementAddendumView(AgreementActionView):
    form_class = AddendumForm
    action = "addendum"
    heading = _("Tambah adendum")
    intro = _(
        "Adendum dibuat sebagai perjanjian baru berstatus draf yang mengubah perjanjian ini, "
        "dengan para pihak dan cakupan wilayah yang sama."
    )
    submit_label = _("Buat adendum")
    success_message = _("Draf adendum %(number)s dibuat; lengkapi datanya.")

    def act(self, number, title, subject):
        return agreement_add_addendum(
            agreement=self.agreement, number=number, title=title, subject=subject, user=self.request.user
        )

    def next_url(self, target):
        return reverse("agreements:agreement_update", args=[target.pk])


@never_cache
@require_GET
def agreement_search(request):
    """/perjanjian/cari/?q=…: an agreement picker's search, as JSON: the agreements the user may see whose
    number or title holds `q`, newest first (percontohan.forms.RecordPicker)."""
    agreements = Agreement.objects.visible_to(request.user).order_by("-signed_on", "number", "pk")
    return picker_search(request, agreements, ("number", "title"))


urlpatterns = [
    path("", AgreementListView.as_view(), name="agreement_list"),
    # The agreement picker's search (JSON).
    path("cari/", agreement_search, name="agreement_search"),
    path("tambah/", AgreementCreateView.as_view(), name="agreement_create"),
    path("<int:pk>/", AgreementDetailView.as_view(), name="agreement_detail"),
    path("<int:pk>/ubah/", AgreementUpdateView.as_view(), name="agreement_update"),
    path("<int:pk>/tandatangani/", AgreementSignView.as_view(), name="agreement_sign"),
    path("<int:pk>/akhiri/", AgreementTerminateView.as_view(), name="agreement_terminate"),
    path("<int:pk>/perpanjang/", AgreementRenewView.as_view(), name="agreement_renew"),
    path("<int:pk>/adendum/", AgreementAddendumView.as_view(), name="agreement_addendum"),
    path("<int:pk>/ringkasan.pdf", AgreementPdfView.as_view(), name="agreement_pdf"),
]
