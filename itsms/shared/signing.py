"""The product's signing key: audit packs and organisation archives are signed with it.

An Ed25519 key pair (``cryptography``). The private key is created on first use under the var
directory (``SIGNING_KEY_PATH``, default ``<ITSMS_VAR_DIR>/keys/signing-ed25519.pem``, mode
0600) and never leaves it; the web server and the Celery worker share that directory (the
``/data`` volume of ``docker-compose.yml``). The public key is published on the page
``/signing-key.pem`` and written into every manifest, so that anyone can check a pack with
OpenSSL alone::

    openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin \
        -in manifest.json -sigfile manifest.sig

A signature proves that the manifest was written by the instance holding the key; compare the
key's fingerprint (``key_id``) with the one the instance publishes.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import secrets
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

ALGORITHM = "Ed25519"


def key_path() -> Path:
    return Path(settings.SIGNING_KEY_PATH)


def _create(path: Path) -> None:
    """Write a new key atomically: a second process racing this one keeps the first key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    try:
        os.link(temporary, path)  # fails if the key exists: never replace a key
    except FileExistsError:
        pass
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()


@cache
def _private_key_at(path: str) -> Ed25519PrivateKey:
    file = Path(path)
    if not file.exists():
        _create(file)
    key = serialization.load_pem_private_key(file.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{file} is not an Ed25519 private key")
    return key


def private_key() -> Ed25519PrivateKey:
    return _private_key_at(str(key_path()))


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def public_key_pem(key: Ed25519PublicKey | None = None) -> str:
    return (
        (key or public_key())
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )


def _raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_base64(key: Ed25519PublicKey | None = None) -> str:
    return base64.b64encode(_raw(key or public_key())).decode("ascii")


def key_id(key: Ed25519PublicKey | None = None) -> str:
    """The key's fingerprint: SHA-256 of the raw public key, in hex (64 characters)."""
    return hashlib.sha256(_raw(key or public_key())).hexdigest()


def describe() -> dict:
    """What a manifest says about the key that signs it."""
    return {
        "algorithm": ALGORITHM,
        "key_id": key_id(),
        "public_key": public_key_base64(),
        "public_key_pem": public_key_pem(),
    }


def sign(data: bytes) -> bytes:
    """The 64-byte Ed25519 signature of ``data``."""
    return private_key().sign(data)


def load_public_key(text: str) -> Ed25519PublicKey:
    """A public key from its PEM or its base64 raw form (as manifests carry it)."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_public_key(text.encode("ascii"))
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("not an Ed25519 public key")
        return key
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))


def verify(key: Ed25519PublicKey, data: bytes, signature: bytes) -> bool:
    try:
        key.verify(signature, data)
    except InvalidSignature:
        return False
    return True
