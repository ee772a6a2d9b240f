"""The one page of the portal that needs no login: checking a certificate (/verifikasi/<code>/)."""

from trainings import views_certificates

urlpatterns = views_certificates.public_urlpatterns
