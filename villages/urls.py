from django.urls import path

from villages import views

app_name = "villages"

urlpatterns = [
    path("", views.RegionIndexView.as_view(), name="index"),
    path("provinsi/<str:code>/", views.ProvinceView.as_view(), name="province"),
    path("kabupaten/<str:code>/", views.RegencyView.as_view(), name="regency"),
    path("kecamatan/<str:code>/", views.DistrictView.as_view(), name="district"),
    path("desa/<str:code>/", views.VillageView.as_view(), name="village"),
]
