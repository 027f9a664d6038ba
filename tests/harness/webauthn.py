"""A security key's registration, built in software (a "none" attestation over a fresh P-256
key), for pages that list or edit keys. The browser tests register real ones with Chromium's
virtual authenticator."""

import hashlib
import json
import os

from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.utils import websafe_encode
from fido2.webauthn import AttestationObject, AttestedCredentialData, AuthenticatorData


def registration(rp_id: str = "testserver") -> dict:
    """The JSON a browser posts after registering a key (as allauth stores it)."""
    public_key = ES256.from_cryptography_key(ec.generate_private_key(ec.SECP256R1()).public_key())
    credential_id = os.urandom(16)
    auth_data = AuthenticatorData.create(
        hashlib.sha256(rp_id.encode()).digest(),
        AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.AT,
        0,
        AttestedCredentialData.create(b"\0" * 16, credential_id, public_key),
    )
    attestation = AttestationObject.create("none", auth_data, {})
    client_data = json.dumps(
        {
            "type": "webauthn.create",
            "challenge": websafe_encode(os.urandom(16)),
            "origin": f"http://{rp_id}",
        }
    ).encode()
    return {
        "id": websafe_encode(credential_id),
        "rawId": websafe_encode(credential_id),
        "type": "public-key",
        "response": {
            "clientDataJSON": websafe_encode(client_data),
            "attestationObject": websafe_encode(bytes(attestation)),
        },
        "clientExtensionResults": {"credProps": {"rk": True}},
    }
