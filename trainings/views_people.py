"""People and their enrolments: the person list and page (a NIK shown masked; Admin may reveal one, each
reveal recorded), registering and changing a person, a batch's participants, enrolling people in a batch
(found by NIK or name, or registered on the spot) and an enrolment's status step.

A NIK never reaches an address, a message or a log: the exact NIK searches are POSTed, the list's
address carries the NIK's keyed hash, forms never write a typed NIK back into the page, and the one
page showing a NIK in clear is the Admin's reveal response (not cached, not stored in messages).
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import CreateView, UpdateView
from django_htmx.http import HttpResponseClientRedirect

from percontohan.history import history_of
from percontohan.roles import Role
from percontohan.scoping import can_edit, check_can_save, get_editable_or_404, get_visible_or_404
from percontohan.views_base import (
    EditableObjectMixin,
    EditorRequiredMixin,
    ScopedListView,
    VersionedFormMixin,
    posted_version,
    saved_or_refused,
)
from trainings import nik as niks
from trainings import services
from trainings.filters_people import EnrolmentFilter, PersonFilter
from trainings.forms_people import (
    EnrolmentStatusForm,
    EnrolPersonForm,
    NikRevealForm,
    NikSearchForm,
    PersonFindForm,
    PersonForm,
)
from trainings.models import Batch, BatchStatus, Enrolment, EnrolmentStatus, NikReveal, Person
from trainings.tables_people import EnrolmentTable, PersonTable, status_badge, with_waiting_position

FOUND_SHOWN = 20  # people a name search offers at a time
# A batch in one of these states takes registrations (services.enrol).
TAKING_REGISTRATIONS = (BatchStatus.PLANNED, BatchStatus.REGISTRATION, BatchStatus.RUNNING)


def is_admin(user):
    """Only an Admin may see a NIK in clear."""
    return user.is_authenticated and user.is_active and (user.is_superuser or user.role == Role.ADMIN)


def person_queryset():
    return Person.objects.select_related("village__district__regency")


def visible_enrolments(user, person):
    """The person's trainings in the batches `user` may see, most recent first."""
    return (
        Enrolment.objects.visible_to(user)
        .filter(person=person)
        .select_related("batch__programme", "batch__blm")
        .order_by("-batch__starts_on", "-pk")
    )


def nik_list_url(digits):
    """The person list found by a NIK's keyed hash (the address never carries the NIK)."""
    return f"{reverse('trainings:person_list')}?{urlencode({'nik': niks.nik_hash(digits)})}"


# --- The person list ------------------------------------------------------------------------


class PersonListView(ScopedListView):
    """/pelatihan/peserta/: the people the user may see (through their village's regency), searched by name
    or — by POST, looked up by its keyed hash — by exact NIK; exported with the masked NIK only."""

    model = Person
    table_class = PersonTable
    filterset_class = PersonFilter
    export_name = "peserta-pelatihan"
    template_name = "trainings/person_list.html"
    extra_context = {"title": gettext_lazy("Peserta pelatihan")}
    # Half a million people: a common name's COUNT stops at 1,000 ("more than 1,000 rows").
    count_limit = 1000
    nik_form = None

    def get_queryset(self):
        return super().get_queryset().select_related("village__district__regency")

    def list_query_state(self):
        return ()

    def get(self, request, *args, **kwargs):
        digits = niks.normalise(request.GET.get("q", ""))
        if len(digits) == 16 and digits.isascii() and digits.isdigit():
            # A NIK typed into the name search: found by its hash, and the page's address carries the hash.
            url = nik_list_url(digits)
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        """The exact NIK search (a POST, so the NIK is in no address): to the list found by its hash."""
        self.nik_form = NikSearchForm(request.POST)
        if self.nik_form.is_valid():
            return redirect(nik_list_url(self.nik_form.cleaned_data["nik"]))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["nik_form"] = self.nik_form or NikSearchForm()
        context["nik_searched"] = bool(self.request.GET.get("nik"))
        context["can_create"] = self.request.user.is_editor
        return context


# --- A person's page and the NIK reveal -----------------------------------------------------------


def render_person(request, person, *, reveal_form=None, status=200):
    admin = is_admin(request.user)
    if admin and reveal_form is None and not person.nik_missing:
        reveal_form = NikRevealForm()
    context = {
        "person": person,
        "enrolments": visible_enrolments(request.user, person),
        "can_edit": can_edit(request.user, person),
        "reveal_form": reveal_form if admin else None,
        "reveals": person.reveals.select_related("user")[:20] if admin else None,
        "history": history_of(person),
        "title": person.full_name,
    }
    return render(request, "trainings/person_detail.html", context, status=status)


@require_http_methods(["GET"])
def person_detail(request, pk):
    """/pelatihan/peserta/<pk>/: the person's data, masked NIK, trainings (in batches the user may see), history."""
    return render_person(request, get_visible_or_404(person_queryset(), request.user, pk=pk))


@require_POST
def person_reveal(request, pk):
    """/pelatihan/peserta/<pk>/buka-nik/: an Admin sees the NIK once, with a reason that is recorded.

    The NIK is on this response only: never in an address, a message or a log, and the page is not cached.
    """
    if not is_admin(request.user):
        raise PermissionDenied
    person = get_visible_or_404(person_queryset(), request.user, pk=pk)
    form = NikRevealForm(request.POST)
    if person.nik_missing:
        form.add_error(None, _("Orang ini terdaftar tanpa NIK; tidak ada NIK untuk dibuka."))
    if not form.is_valid():
        return render_person(request, person, reveal_form=form)
    NikReveal.objects.create(person=person, user=request.user, reason=form.cleaned_data["reason"])
    response = render(
        request, "trainings/person_reveal.html", {"person": person, "nik": person.nik, "title": person.full_name}
    )
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, private"
    return response


# --- Registering and changing a person ---------------------------------------------------------------


class PersonFormMixin(VersionedFormMixin):
    """The person form, saved through services.person_save.

    Before saving: a NIK someone already holds links to that person instead (with their trainings);
    someone without NIK who resembles people already registered (same village and birth date, a
    similar name) is saved only once the user confirms they are someone else.
    """

    model = Person
    form_class = PersonForm
    template_name = "trainings/person_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def save(self, form):
        return services.person_save(
            person=form.instance if form.instance.pk else None, nik=form.nik_digits, **form.person_fields()
        )

    def form_valid(self, form):
        refusal = person_step(self.request, form)
        if refusal is not None:
            return self.render_to_response(self.get_context_data(form=form, **refusal))
        response = super().form_valid(form)
        for warning in form.warnings:
            messages.warning(self.request, warning)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        crumbs = [(_("Peserta pelatihan"), reverse("trainings:person_list"))]
        if self.object is not None:
            crumbs.append((self.object.full_name, self.object.get_absolute_url()))
        context["breadcrumbs"] = crumbs
        return context


def person_step(request, form):
    """What stops a valid person form from being saved at once, as context for showing it again, or None:
    the NIK belongs to someone already registered (`existing`, with their trainings the user may see, or
    an error when that person lies outside the user's regions), or possible duplicates to confirm."""
    existing = form.existing_person
    if existing is not None and not form.instance.pk:
        if not Person.objects.visible_to(request.user).filter(pk=existing.pk).exists():
            form.add_error(
                "nik",
                _("NIK ini sudah tercatat untuk peserta di luar wilayah kerja Anda; hubungi Admin untuk menautkannya."),
            )
            return {}
        existing = person_queryset().get(pk=existing.pk)
        return {"existing": existing, "existing_enrolments": visible_enrolments(request.user, existing)}
    if form.nik_digits or form.instance.nik_hash or form.cleaned_data.get("confirm_new"):
        return None
    duplicates = services.possible_duplicates(
        full_name=form.cleaned_data["full_name"],
        birth_date=form.cleaned_data["birth_date"],
        village=form.cleaned_data["village"],
        exclude=form.instance,
    )
    if not duplicates:
        return None
    form.confirm_step()
    return {"duplicates": duplicates}


class PersonCreateView(EditorRequiredMixin, PersonFormMixin, CreateView):
    """/pelatihan/peserta/tambah/: register a person (with a NIK, or flagged "tanpa NIK")."""

    success_message = gettext_lazy("Peserta didaftarkan.")


class PersonUpdateView(EditableObjectMixin, PersonFormMixin, UpdateView):
    """/pelatihan/peserta/<pk>/ubah/: change a person's data (their NIK is kept unless another is typed)."""

    editable_model = Person

    def get_editable_queryset(self):
        return person_queryset()


# --- A batch's participants ----------------------------------------------------------------------


def batch_queryset():
    return Batch.objects.select_related("programme", "blm", "venue_village__district")


class BatchParticipantsView(ScopedListView):
    """/pelatihan/angkatan/<pk>/peserta/: the batch's enrolments — masked NIK, village, status, result or
    withdrawal reason, waiting-list turn — with the status step for those who may change the batch."""

    model = Enrolment
    table_class = EnrolmentTable
    filterset_class = EnrolmentFilter
    template_name = "trainings/batch_participants.html"

    def dispatch(self, request, *args, **kwargs):
        self.batch = get_visible_or_404(batch_queryset(), request.user, pk=kwargs["pk"])
        self.can_edit = can_edit(request.user, self.batch)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        enrolments = super().get_queryset().filter(batch=self.batch).select_related("person__village__district")
        return with_waiting_position(enrolments)

    def list_query_state(self):
        return ()  # the batch is the URL's

    def get_table_kwargs(self):
        return {"can_edit": self.can_edit}

    def get_export_filename(self, export_format):
        return f"peserta-angkatan-{self.batch.pk}.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = services.batch_counts([self.batch]).get(self.batch.pk, {})
        context.update(
            batch=self.batch,
            places=counts.get("places", 0),
            waiting=counts.get("waiting", 0),
            can_edit=self.can_edit,
            taking_registrations=self.batch.status in TAKING_REGISTRATIONS,
            title=_("Peserta — %(batch)s") % {"batch": self.batch.name},
        )
        return context


# --- Enrolling people in a batch ---------------------------------------------------------------------


def find_people(user, form, batch):
    """People matching a search (by NIK hash, or by name), those the user may see, marked when enrolled already."""
    people = person_queryset().visible_to(user)
    if form.nik:
        people = people.filter(nik_hash=niks.nik_hash(form.nik))
    else:
        people = people.filter(full_name__icontains=form.cleaned_data["find"])
    found = list(people.order_by("full_name", "pk")[:FOUND_SHOWN])
    enrolled = set(
        Enrolment.objects.filter(batch=batch, person__in=[p.pk for p in found]).values_list("person_id", flat=True)
    )
    for person in found:
        person.in_batch = person.pk in enrolled
    return found


def enrolled_message(request, enrolment):
    if enrolment.status == EnrolmentStatus.WAITING:
        position = (
            with_waiting_position(Enrolment.objects.filter(pk=enrolment.pk)).values_list("waiting_position", flat=True)
        ).first()
        messages.warning(
            request,
            _("Kuota penuh: %(name)s masuk daftar tunggu (urutan %(position)s).")
            % {"name": enrolment.person.full_name, "position": position},
        )
    else:
        messages.success(request, _("%(name)s didaftarkan sebagai peserta.") % {"name": enrolment.person.full_name})


@require_http_methods(["GET", "POST"])
def batch_enrol(request, pk):
    """/pelatihan/angkatan/<pk>/peserta/daftar/: enrol someone found by NIK (its hash) or name, or register
    a new person and enrol them (quota first, then the waiting list)."""
    batch = get_editable_or_404(batch_queryset(), request.user, pk=pk)
    action = request.POST.get("action") if request.method == "POST" else None
    find_form = PersonFindForm(request.POST if action == "find" else None)
    person_form = PersonForm(request.POST if action == "register" else None, user=request.user, prefix="new")
    enrol_form = EnrolPersonForm(request.POST if action == "enrol" else None, user=request.user)
    context = {"batch": batch, "title": _("Daftarkan peserta"), "action": action}

    if action == "enrol" and enrol_form.is_valid():
        person = enrol_form.cleaned_data["person"]
        enrolment = saved_or_refused(enrol_form, request.user, lambda: services.enrol(batch=batch, person=person))
        if enrolment is not None:
            enrolled_message(request, enrolment)
            return redirect("trainings:batch_participants", pk=batch.pk)
    elif action == "find" and find_form.is_valid():
        context["found"] = find_people(request.user, find_form, batch)
    elif action == "register" and person_form.is_valid():
        refusal = person_step(request, person_form)
        if refusal is None:

            def register():
                person = services.person_save(nik=person_form.nik_digits, **person_form.person_fields())
                check_can_save(request.user, person)
                return services.enrol(batch=batch, person=person)

            enrolment = saved_or_refused(person_form, request.user, register)
            if enrolment is not None:
                for warning in person_form.warnings:
                    messages.warning(request, warning)
                enrolled_message(request, enrolment)
                return redirect("trainings:batch_participants", pk=batch.pk)
        else:
            context.update(refusal)
            if "existing" in refusal:
                existing = refusal["existing"]
                existing.in_batch = Enrolment.objects.filter(batch=batch, person=existing).exists()

    context.update(
        find_form=find_form,
        person_form=person_form,
        enrol_form=enrol_form,
        taking_registrations=batch.status in TAKING_REGISTRATIONS,
    )
    return render(request, "trainings/batch_enrol.html", context)


# --- An enrolment's status -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def enrolment_status(request, pk):
    """/pelatihan/keikutsertaan/<pk>/status/: confirm or withdraw (with a reason) an enrolment; a place
    freed goes to the first on the waiting list."""
    enrolment = get_editable_or_404(
        Enrolment.objects.select_related("person__village", "batch__programme"), request.user, pk=pk
    )
    form = EnrolmentStatusForm(request.POST if request.method == "POST" else None, enrolment=enrolment)
    if request.method == "POST":
        enrolment.version = posted_version(request.POST)
        if form.is_valid():
            waiting = set(
                enrolment.batch.enrolments.filter(status=EnrolmentStatus.WAITING).values_list("pk", flat=True)
            )

            def set_status():
                return services.enrolment_set_status(
                    enrolment=enrolment, status=form.cleaned_data["status"], reason=form.cleaned_data["reason"]
                )

            if saved_or_refused(form, request.user, set_status, instance=enrolment) is not None:
                messages.success(
                    request,
                    _("Status %(name)s diubah menjadi “%(status)s”.")
                    % {"name": enrolment.person.full_name, "status": enrolment.get_status_display()},
                )
                promoted = Enrolment.objects.filter(pk__in=waiting).exclude(status=EnrolmentStatus.WAITING)
                for moved in promoted.select_related("person"):
                    messages.info(
                        request,
                        _("%(name)s naik dari daftar tunggu menjadi peserta.") % {"name": moved.person.full_name},
                    )
                return redirect("trainings:batch_participants", pk=enrolment.batch_id)
            enrolment = (
                Enrolment.objects.select_related("person__village", "batch__programme").filter(pk=pk).first()
                or enrolment
            )
    context = {
        "enrolment": enrolment,
        "batch": enrolment.batch,
        "badge": status_badge(enrolment),
        "form": form,
        "title": _("Ubah status peserta"),
    }
    return render(request, "trainings/enrolment_status.html", context)


urlpatterns = [
    path("peserta/", PersonListView.as_view(), name="person_list"),
    path("peserta/tambah/", PersonCreateView.as_view(), name="person_create"),
    path("peserta/<int:pk>/", person_detail, name="person_detail"),
    path("peserta/<int:pk>/ubah/", PersonUpdateView.as_view(), name="person_update"),
    path("peserta/<int:pk>/buka-nik/", person_reveal, name="person_reveal"),
    path("angkatan/<int:pk>/peserta/", BatchParticipantsView.as_view(), name="batch_participants"),
    path("angkatan/<int:pk>/peserta/daftar/", batch_enrol, name="batch_enrol"),
    path("keikutsertaan/<int:pk>/status/", enrolment_status, name="enrolment_status"),
]
