"""The trainings' URLs, under /pelatihan/; each area keeps its patterns beside its views.

The public certificate check (/verifikasi/<code>/, the one page without login) is in urls_public.py,
included at the site's root by percontohan/urls.py.
"""

from trainings import (
    views_batches,
    views_catalogue,
    views_certificates,
    views_followups,
    views_imports,
    views_people,
    views_results,
    views_sheets,
)

app_name = "trainings"

urlpatterns = [
    *views_catalogue.urlpatterns,
    *views_batches.urlpatterns,
    *views_people.urlpatterns,
    *views_imports.urlpatterns,
    *views_sheets.urlpatterns,
    *views_certificates.urlpatterns,
    *views_followups.urlpatterns,
    *views_results.urlpatterns,
]
