"""The encrypted NIK column: django-fernet-encrypted-fields, with keys of its own.

The library derives its key from SECRET_KEY; a NIK is kept under NIK_ENCRYPTION_KEYS instead (Fernet
keys from the environment), so that the site's SECRET_KEY can change without touching personal data.
The first key encrypts; every key decrypts (MultiFernet). Rotating: put a new key first, keep the old
ones after it, run `manage.py rotate_nik_keys` (re-encrypts every NIK with the first key and recomputes
the lookup hashes with NIK_HASH_KEY), then drop the old keys.
"""

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.utils.functional import cached_property
from encrypted_fields.fields import EncryptedCharField


def nik_fernet():
    return MultiFernet([Fernet(key) for key in settings.NIK_ENCRYPTION_KEYS])


class NikField(EncryptedCharField):
    """A NIK, stored as a Fernet token (never in clear), read back as the 16 digits."""

    @cached_property
    def keys(self):
        return [key.encode() if isinstance(key, str) else key for key in settings.NIK_ENCRYPTION_KEYS]

    @cached_property
    def f(self):
        return nik_fernet()
