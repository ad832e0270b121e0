"""The market's data rules, defined once: account numbers, account names, phones, stall keys.

Pure functions with no Flask or database: the request schemas (create and edit) call them to
normalise what a person typed, the service calls them again before anything reaches a VietQR
payload or a verification, and tests call them directly.

Each `normalise_*` returns the canonical form or raises `InvalidValue` with a Vietnamese message.
"""

import re
import unicodedata

from marshmallow import ValidationError

from app.strict import MSG_PHONE, vietnamese_phone
from app.text import fold

ACCOUNT_MIN, ACCOUNT_MAX = 6, 19
ACCOUNT_NAME_MAX = 70

MSG_ACCOUNT_NUMBER = f"Số tài khoản chỉ gồm chữ số, từ {ACCOUNT_MIN} đến {ACCOUNT_MAX} số."
MSG_ACCOUNT_NAME = (
    "Tên chủ tài khoản chỉ gồm chữ cái, chữ số, khoảng trắng và các dấu . , - & ' ( ) /, "
    "như in trên thẻ ngân hàng."
)
MSG_ACCOUNT_NAME_LENGTH = f"Tên chủ tài khoản dài từ 1 đến {ACCOUNT_NAME_MAX} ký tự."
MSG_BLANK = "Không được để trống hoặc chỉ gồm khoảng trắng."

# What people put between groups of digits when they copy an account number from a card or an
# SMS: spaces (also non-breaking), dots, dashes. Letters are never dropped: "12ab" is refused.
_ACCOUNT_SEPARATORS = re.compile(r"[\s.\-]")
_ACCOUNT = re.compile(rf"[0-9]{{{ACCOUNT_MIN},{ACCOUNT_MAX}}}")
# Banks print account names in upper-case ASCII; business accounts carry digits and a few signs.
_ACCOUNT_NAME = re.compile(r"[A-Z0-9 .,\-&'()/]+")
_HAND_FOLDS = str.maketrans({"đ": "d", "Đ": "D", "Ð": "D", "’": "'", "‘": "'", "–": "-"})


class InvalidValue(ValueError):
    """A value breaks a market data rule; `message` says why in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def normalise_account_number(value: str) -> str:
    """Return the account number as digits only (separators dropped), 6 to 19 of them."""
    compact = _ACCOUNT_SEPARATORS.sub("", value)
    if not _ACCOUNT.fullmatch(compact):
        raise InvalidValue(MSG_ACCOUNT_NUMBER)
    return compact


def is_valid_account_number(value: str | None) -> bool:
    """Tell whether a stored account number is already in its canonical form."""
    return isinstance(value, str) and _ACCOUNT.fullmatch(value) is not None


def fold_account_name(value: str) -> str:
    """Fold an account name to upper-case ASCII as banks print it ("nguyễn văn an" → ...)."""
    # NFD does not decompose đ/Đ: map them by hand (app.text.fold does the same).
    decomposed = unicodedata.normalize("NFD", value.translate(_HAND_FOLDS))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    folded = re.sub(r"\s+", " ", stripped).strip().upper()
    if not folded:
        raise InvalidValue(MSG_BLANK)
    if len(folded) > ACCOUNT_NAME_MAX:
        raise InvalidValue(MSG_ACCOUNT_NAME_LENGTH)
    if not _ACCOUNT_NAME.fullmatch(folded):
        raise InvalidValue(MSG_ACCOUNT_NAME)
    return folded


def is_valid_account_name(value: str | None) -> bool:
    """Tell whether a stored account name is already folded as banks print it."""
    if not isinstance(value, str):
        return False
    try:
        return fold_account_name(value) == value
    except InvalidValue:
        return False


def normalise_phone(value: str) -> str:
    """Return a Vietnamese phone number in its canonical form: "+84 912 345 678" → "0912345678".

    What counts as a phone number is app.strict.vietnamese_phone's rule (landline, mobile, +84,
    short and 1800/1900 numbers, with spaces, dots, dashes or brackets between the digits).
    """
    try:
        vietnamese_phone(value)
    except ValidationError as exc:
        raise InvalidValue(MSG_PHONE) from exc
    digits = re.sub(r"[^0-9]", "", value)
    if value.strip().startswith("+84"):
        return "0" + digits[2:]
    return digits


def stall_key(stall: str) -> str:
    """Return the stall as lower-case ASCII letters and digits only, to spot the same stall.

    "Ki-ốt A12", "kiot a12" and "KIOT A-12" all give "kiota12".
    """
    return re.sub(r"[^a-z0-9]", "", fold(stall))[:120]


def payment_problem(*, account_number: str, account_name: str) -> tuple[str, str] | None:
    """Return (field, message) of the first payment detail that breaks its rule, or None.

    Rows written before these rules existed may hold "12ab" or a lower-case accented name: such
    a merchant can be neither verified nor served a payment code until its owner fixes it.
    """
    if not is_valid_account_number(account_number):
        return "account_number", MSG_ACCOUNT_NUMBER
    if not is_valid_account_name(account_name):
        return "account_name", MSG_ACCOUNT_NAME
    return None
