"""The mock provider's RS256 signing key, generated once and kept under instance/."""

import json
import os
import secrets
from pathlib import Path

from joserfc.jwk import KeySet, RSAKey

from app import cache

_KEY_FILE = "mock_vneid_signing_key.json"
# Parsing an RSA key on every signature is wasteful. Keyed by the file's path and modification
# time, so a file replaced by an operator is a new key, read at once.
_parsed = cache.named("mock_vneid.signing_key", size=8)


def load_signing_key(instance_path: str) -> RSAKey:
    """Load the signing key, creating it atomically so that racing workers share one key."""
    path = Path(instance_path) / _KEY_FILE
    if not path.exists():
        _create(path)
    version = (path, path.stat().st_mtime_ns)
    key = _parsed.get(version)
    if key is None:
        key = RSAKey.import_key(json.loads(path.read_text()))
        _parsed.put(version, key)
    return key


def _create(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = RSAKey.generate_key(2048, private=True, auto_kid=True)
    # A name of its own per attempt: threads of one gthread worker share the process id.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as fh:
            json.dump(key.as_dict(private=True), fh)
        # link() publishes the complete file or fails if another worker won the race; then
        # everyone uses the winner's key.
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)


def public_jwks(key: RSAKey) -> dict:
    """Return the JWKS document with the public half of the key."""
    return KeySet([key]).as_dict(private=False)
