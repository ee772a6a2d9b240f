from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from percontohan import views, views_exports, views_notifications

urlpatterns = [
    path("", views.home, name="home"),
    path("akun/masuk/", views.LoginView.as_view(), name="login"),
    path("akun/keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path("akun/sandi/selesai/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("bahasa/", views.switch_language, name="set_language"),
    path("", include("regions.urls")),
    path("", include("villages.urls")),
    path("mitra/", include("partners.urls")),
    path("perjanjian/", include("agreements.urls")),
    path("pelatihan/", include("trainings.urls")),
    path("", include("trainings.urls_public")),
    *views_notifications.urlpatterns,
    *views_exports.urlpatterns,
    path("admin/", admin.site.urls),
]
