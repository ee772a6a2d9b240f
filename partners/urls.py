from django.urls import path

from partners import views

app_name = "partners"

urlpatterns = [
    path("instansi/", views.organisation_list, name="organisation_list"),
    path("instansi/tambah/", views.organisation_create, name="organisation_create"),
    # The organisation picker's search (JSON).
    path("instansi/cari/", views.organisation_search, name="organisation_search"),
    path("instansi/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("instansi/<int:pk>/ubah/", views.organisation_update, name="organisation_update"),
]
