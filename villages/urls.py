from django.urls import path

from villages import views, views_index, views_programme, views_selection, views_village

app_name = "villages"

# The region browser; the other pages of the app keep their URL patterns beside their views.
urlpatterns = [
    path("wilayah/", views.RegionIndexView.as_view(), name="index"),
    path("wilayah/provinsi/<str:code>/", views.ProvinceView.as_view(), name="province"),
    path("wilayah/kabupaten/<str:code>/", views.RegencyView.as_view(), name="regency"),
    path("wilayah/kecamatan/<str:code>/", views.DistrictView.as_view(), name="district"),
    *views_village.urlpatterns,
    *views_programme.urlpatterns,
    *views_selection.urlpatterns,
    *views_index.urlpatterns,
]
