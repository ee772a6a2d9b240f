from django.urls import path

from regions import views

app_name = "regions"

# The region browser: province → regency → district; a village's own page belongs to `villages`.
urlpatterns = [
    path("wilayah/", views.RegionIndexView.as_view(), name="index"),
    path("wilayah/provinsi/<str:code>/", views.ProvinceView.as_view(), name="province"),
    path("wilayah/kabupaten/<str:code>/", views.RegencyView.as_view(), name="regency"),
    path("wilayah/kecamatan/<str:code>/", views.DistrictView.as_view(), name="district"),
    # The village picker's search (JSON).
    path("wilayah/cari/", views.village_search, name="village_search"),
    # The region pickers' search (JSON): provinsi, kabupaten or kecamatan.
    path("wilayah/cari/<str:level>/", views.region_search, name="region_search"),
]
