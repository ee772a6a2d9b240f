from villages import views_index, views_programme, views_selection, views_village

app_name = "villages"

# The pages of the app keep their URL patterns beside their views.
urlpatterns = [
    *views_village.urlpatterns,
    *views_programme.urlpatterns,
    *views_selection.urlpatterns,
    *views_index.urlpatterns,
]
