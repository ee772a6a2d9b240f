"""Private files: uploaded documents and generated exports live outside MEDIA_URL and are served only by
views that check who asks (e.g. agreements' documents, a user's own exports). And the static files'
storage."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from whitenoise.storage import CompressedManifestStaticFilesStorage


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


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """whitenoise's compressed, hashed, long-cached static files, each file's URL worked out once per
    process: every page names a dozen files (its stylesheets and scripts), and the manifest's lookup,
    which parses and quotes the name each time, cost 20 µs a name."""

    def url(self, name, force=False):
        key = (name, force, settings.DEBUG)
        urls = self.__dict__.setdefault("_urls", {})
        if key not in urls:
            urls[key] = super().url(name, force)  # a name the manifest lacks raises, and is not kept
        return urls[key]
