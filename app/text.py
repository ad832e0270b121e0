"""Vietnamese text helpers: ASCII folding for search and slugs."""

import re
import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})


def fold(text: str) -> str:
    """Fold Vietnamese text to lower-case ASCII (diacritics and đ removed) for search."""
    # NFD does not decompose đ/Đ, so map them by hand first.
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return re.sub(r"\s+", " ", stripped).strip().lower()


def slugify(text: str) -> str:
    """Make an ASCII slug such as 'van-mieu-quoc-tu-giam'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def escape_like(text: str) -> str:
    """Escape LIKE wildcards so that user text matches literally (use escape='\\\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
