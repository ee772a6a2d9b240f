"""Private files: uploaded documents and generated exports live outside MEDIA_URL and are served only by
views that check who asks (e.g. agreements' documents, a user's own exports)."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible(path="percontohan.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, which have no URL."""

    def __init__(self, **kwargs):
        super().__init__(location=settings.PRIVATE_MEDIA_ROOT, base_url=None, **kwargs)

    def url(self, name):
        # FileSystemStorage falls back to MEDIA_URL; a private file has no URL at all.
        raise ValueError("Private files have no URL; they are served by access-checked download views.")


private_storage = PrivateStorage()
