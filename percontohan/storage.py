"""Private files: uploaded documents and generated exports live outside MEDIA_URL and are served only by
views that check who asks (e.g. agreements' documents, a user's own exports)."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property


@deconstructible(path="percontohan.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, which have no URL."""

    @cached_property
    def base_location(self):
        # Read when first needed (and again after a test changes the setting), not when imported.
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        # FileSystemStorage falls back to MEDIA_URL; a private file has no URL at all.
        raise ValueError("Private files have no URL; they are served by access-checked download views.")


private_storage = PrivateStorage()
