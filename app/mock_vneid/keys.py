"""The mock provider's RS256 signing key, generated once and kept under instance/."""

import json
import os
from pathlib import Path

from joserfc.jwk import KeySet, RSAKey

_KEY_FILE = "mock_vneid_signing_key.json"


def load_signing_key(instance_path: str) -> RSAKey:
    """Load the signing key, creating it atomically so that racing workers share one key."""
    path = Path(instance_path) / _KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = RSAKey.generate_key(2048, private=True, auto_kid=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(key.as_dict(private=True), fh)
        try:
            # link() fails if another worker won the race; then everyone uses the winner's key.
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return RSAKey.import_key(json.loads(path.read_text()))


def public_jwks(key: RSAKey) -> dict:
    """Return the JWKS document with the public half of the key."""
    return KeySet([key]).as_dict(private=False)
