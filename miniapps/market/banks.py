"""The banks a VietQR code can name: the State Bank's BIN list shipped in `data/bank-bins.csv`.

The list (letter 1589/NHNN-TT, BINs issued up to 31/12/2023) is read once per process. A BIN
missing from it is not necessarily wrong: digital banks issued later exist, so callers should not
refuse a BIN only because this list does not know it.
"""

import csv
import dataclasses
import functools
import io
import re
from importlib import resources

__all__ = ["Bank", "get_bank", "list_banks"]

_PACKAGE = "miniapps.market"
_BIN = re.compile(r"[0-9]{6}")

# BINs that outlived a rename (reference/README.md): BIN → (current short name, former short name).
# Only the short names are corrected; the legal name stays as the State Bank's letter gives it.
_RENAMES = {
    "970406": ("Vikki Bank", "DongA Bank"),
    "970414": ("MBV", "OceanBank"),
    "970449": ("LPBank", "LienVietPostBank"),
}


@dataclasses.dataclass(frozen=True, slots=True)
class Bank:
    """A card issuer with its BIN, legal name and (when it has one) short trading name."""

    bin: str
    name: str
    short_name: str | None
    former_short_name: str | None = None

    @property
    def label(self) -> str:
        """Return the name to show a resident: the short name, else the legal name."""
        return self.short_name or self.name


def list_banks() -> list[Bank]:
    """List every bank on the BIN list, in BIN order."""
    return list(_load())


def get_bank(bank_bin: str) -> Bank | None:
    """Return the bank with this BIN, or None when the list does not know it."""
    return _by_bin().get(bank_bin)


@functools.cache
def _load() -> tuple[Bank, ...]:
    """Read and check the shipped CSV (columns bin, short_name, official_name)."""
    text = (resources.files(_PACKAGE) / "data" / "bank-bins.csv").read_text(encoding="utf-8")
    banks = []
    seen = set()
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        bank_bin = row["bin"].strip()
        name = row["official_name"].strip()
        if not _BIN.fullmatch(bank_bin) or bank_bin in seen or not name:
            raise ValueError(f"bank-bins.csv line {line}: bad or repeated BIN, or no name")
        seen.add(bank_bin)
        short_name = row["short_name"].strip() or None
        former = None
        if bank_bin in _RENAMES:
            short_name, former = _RENAMES[bank_bin]
        banks.append(Bank(bank_bin, name, short_name, former))
    return tuple(sorted(banks, key=lambda bank: bank.bin))


@functools.cache
def _by_bin() -> dict[str, Bank]:
    """Index the list by BIN."""
    return {bank.bin: bank for bank in _load()}
