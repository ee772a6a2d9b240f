"""`manage.py rotate_nik_keys`: re-encrypt every NIK with the first key of NIK_ENCRYPTION_KEYS and
recompute every lookup hash with NIK_HASH_KEY.

Rotating the encryption key: put the new Fernet key first in NIK_ENCRYPTION_KEYS and keep the old ones
after it (every key decrypts), run this command, then drop the old keys. Changing NIK_HASH_KEY: set the
new one and run this command at once (until then, NIK lookups and duplicate checks find nobody).
Everything happens in one transaction, batch by batch, while new NIKs wait: it ends rotated, or as it was.
"""

from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from percontohan.imports import copy_update
from trainings import nik as niks
from trainings.fields import nik_fernet
from trainings.models import Person


class Command(BaseCommand):
    help = _(
        "Enkripsi ulang setiap NIK dengan kunci pertama NIK_ENCRYPTION_KEYS dan hitung ulang sidik NIK "
        "dengan NIK_HASH_KEY."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000, help=_("Jumlah NIK per kelompok."))

    def handle(self, *args, batch_size, **options):
        if batch_size < 1:
            raise CommandError(_("--batch-size harus lebih dari 0."))
        fernet = nik_fernet()
        table = connection.ops.quote_name(Person._meta.db_table)
        id_column = connection.ops.quote_name(Person._meta.pk.column)
        nik_column = connection.ops.quote_name(Person._meta.get_field("nik").column)
        rotated, last = 0, 0
        with transaction.atomic():
            with connection.cursor() as cursor:
                # No NIK is written with an old key (or hashed with an old hash key) while this runs.
                cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
            while True:
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT {id_column}, {nik_column} FROM {table} "  # noqa: S608 — names from the model
                        f"WHERE {id_column} > %s AND {nik_column} IS NOT NULL ORDER BY {id_column} LIMIT %s",
                        [last, batch_size],
                    )
                    rows = cursor.fetchall()
                if not rows:
                    break
                updates = []
                for pk, token in rows:
                    try:
                        digits = fernet.decrypt(token.encode()).decode()
                    except (InvalidToken, UnicodeError):
                        # Never the NIK or its token in the message: only which record.
                        raise CommandError(
                            _(
                                "NIK peserta id %(pk)s tidak dapat dibuka dengan kunci mana pun di "
                                "NIK_ENCRYPTION_KEYS; tidak ada yang diubah."
                            )
                            % {"pk": pk}
                        ) from None
                    updates.append((pk, fernet.encrypt(digits.encode()).decode(), niks.nik_hash(digits)))
                copy_update(Person, ["id"], ["nik", "nik_hash"], updates)
                rotated += len(updates)
                last = rows[-1][0]
        # This process's NIK field reads with the keys of now.
        field = Person._meta.get_field("nik")
        for cached in ("f", "keys"):
            field.__dict__.pop(cached, None)
        self.stdout.write(
            _("%(n)s NIK dienkripsi ulang dengan kunci pertama; sidik NIK dihitung ulang.") % {"n": rotated}
        )
