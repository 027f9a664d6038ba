"""Secrets at rest: Fernet (AES-128-CBC with HMAC-SHA256, from ``cryptography``).

What is encrypted: identity providers' client secrets and the TOTP keys of second factors. The
keys come from ``SECRETS_ENCRYPTION_KEYS`` (url-safe base64 Fernet keys, comma-separated): the
first encrypts, every one decrypts, so a new key is put first to rotate and the old one kept
until ``manage.py rotate_secrets`` has re-encrypted the rows. Without the setting one key is
derived from ``SECRET_KEY`` (HKDF-SHA256), so changing ``SECRET_KEY`` then needs the old key
listed in ``SECRETS_ENCRYPTION_KEYS`` first.
"""

import base64
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

#: Prefix of an encrypted value, so a clear value from before encryption is told apart.
PREFIX = "fernet:"


def _derived_key(secret_key: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"itsms-secrets-at-rest")
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode()))


@cache
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    material = [k.encode() for k in keys if k] or [_derived_key(secret_key)]
    return MultiFernet([Fernet(k) for k in material])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.SECRETS_ENCRYPTION_KEYS), settings.SECRET_KEY)


def encrypt(text: str) -> str:
    """The encrypted form of ``text`` to store (an empty text stays empty)."""
    if not text:
        return ""
    return PREFIX + fernet().encrypt(text.encode()).decode()


def decrypt(stored: str) -> str:
    """The clear text of a value written by ``encrypt`` (raises ``InvalidToken`` on a wrong key
    or a tampered value). A value without the prefix was stored before encryption: returned as
    it is, and re-encrypted by ``rotate``."""
    if not stored:
        return ""
    if not stored.startswith(PREFIX):
        return stored
    return fernet().decrypt(stored[len(PREFIX) :].encode()).decode()


def rotate(stored: str) -> str:
    """``stored`` re-encrypted with the first key."""
    if not stored:
        return ""
    if not stored.startswith(PREFIX):
        return encrypt(stored)
    return PREFIX + fernet().rotate(stored[len(PREFIX) :].encode()).decode()


__all__ = ["InvalidToken", "decrypt", "encrypt", "rotate"]
