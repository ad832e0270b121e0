"""The mock provider's RS256 signing key, generated once and kept under instance/."""

import json
import os
import secrets
import threading
from pathlib import Path

from joserfc.jwk import KeySet, RSAKey

_KEY_FILE = "mock_vneid_signing_key.json"
# path -> (file modification time, key): parsing an RSA key on every signature is wasteful,
# and a file replaced by an operator is picked up through its new modification time.
_loaded: dict[Path, tuple[int, RSAKey]] = {}
_lock = threading.Lock()


def load_signing_key(instance_path: str) -> RSAKey:
    """Load the signing key, creating it atomically so that racing workers share one key."""
    path = Path(instance_path) / _KEY_FILE
    if not path.exists():
        _create(path)
    mtime = path.stat().st_mtime_ns
    cached = _loaded.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    key = RSAKey.import_key(json.loads(path.read_text()))
    with _lock:
        _loaded[path] = (mtime, key)
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
