"""A per-checkout secret key for the embedded mode, so no key is committed."""

import secrets
from pathlib import Path


def embedded_secret_key(var_dir: Path) -> str:
    """Return the key stored in ``var_dir``, creating it on first use."""
    path = var_dir / "secret_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()
