"""A model field that stores text encrypted (see yikao.core.crypto)."""

from django.db import models

from yikao.core import crypto


class EncryptedTextField(models.TextField):
    """Encrypts on write, decrypts on read. Not searchable: pair it with a hash column."""

    def __init__(self, *args, purpose: str, **kwargs):
        self.purpose = purpose
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return crypto.decrypt(value, purpose=self.purpose)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return crypto.encrypt(value, purpose=self.purpose)
