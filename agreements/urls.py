from agreements import views_agreements, views_commitments, views_documents

app_name = "agreements"

# Each area keeps its URL patterns beside its views.
urlpatterns = [
    *views_agreements.urlpatterns,
    *views_documents.urlpatterns,
    *views_commitments.urlpatterns,
]
