"""Build and read VietQR payloads (NAPAS 247 transfers in the EMVCo merchant-presented QR format).

Pure and standard-library only. The reference is NAPAS's "Tài liệu quy định về định dạng mã
VietQR trong dịch vụ chuyển nhanh NAPAS247" v1.0 (09/2021): tags in section 5, worked examples in
section 6.

A payload is a chain of ID–length–value objects (two-digit ID, two-digit length, 1 to 99 characters
of value); tags 38 and 62 are templates holding objects of their own. Tag 63, always last, is the
CRC-16/CCITT-FALSE of everything before its value, including its own "6304".
"""

from __future__ import annotations

import binascii
import dataclasses
import re
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

__all__ = [
    "AMOUNT_MAX",
    "NAPAS_GUID",
    "SERVICE_CODES",
    "Service",
    "VietQRError",
    "VietQRPayload",
    "crc16_ccitt_false",
    "decode",
    "encode",
    "fold_ascii",
]

Service = Literal["account", "card"]

NAPAS_GUID = "A000000727"
SERVICE_CODES: Mapping[str, str] = MappingProxyType({"account": "QRIBFTTA", "card": "QRIBFTTC"})
_SERVICE_BY_CODE = {code: service for service, code in SERVICE_CODES.items()}

# The public contract's range (whole đồng); the spec itself only caps tag 54 at 13 characters.
AMOUNT_MIN = 1
AMOUNT_MAX = 9_999_999_999

PAYLOAD_FORMAT = "01"
STATIC = "11"
DYNAMIC = "12"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"

# Root IDs (spec table 1).
_ID_PAYLOAD_FORMAT = "00"
_ID_INITIATION = "01"
_ID_MERCHANT_ACCOUNT = "38"
_ID_MCC = "52"
_ID_CURRENCY = "53"
_ID_AMOUNT = "54"
_ID_COUNTRY = "58"
_ID_MERCHANT_NAME = "59"
_ID_MERCHANT_CITY = "60"
_ID_ADDITIONAL = "62"
_ID_CRC = "63"
_MANDATORY = (_ID_INITIATION, _ID_MERCHANT_ACCOUNT, _ID_CURRENCY, _ID_COUNTRY)

# Inside tag 38 (table 4) and its beneficiary object 01.
_ID_GUID = "00"
_ID_BENEFICIARY = "01"
_ID_SERVICE = "02"
_ID_BNB = "00"
_ID_CONSUMER = "01"

# Inside tag 62 (tables 2 and 8).
_ID_BILL_NUMBER = "01"
_ID_STORE_LABEL = "03"
_ID_PURPOSE = "08"

_MAX_VALUE = 99
_MAX_ACCOUNT = 19
_MAX_AMOUNT_CHARS = 13
_MAX_MERCHANT_NAME = 25
_MAX_MERCHANT_CITY = 15
_MAX_ADDITIONAL_ITEM = 25  # every object 01..08 of tag 62, purpose included

_BIN = re.compile(r"[0-9]{6}")
_MCC = re.compile(r"[0-9]{4}")
_ACCOUNT = re.compile(r"[A-Za-z0-9]+")
_CARD = re.compile(r"[0-9]+")
_TLV_HEADER = re.compile(r"[0-9]{4}")
_CRC_VALUE = re.compile(r"[0-9A-Fa-f]{4}")
# VND has no minor unit (ISO 4217 exponent 0): digits, optionally one trailing "." (spec 5.2.6).
_AMOUNT_VALUE = re.compile(r"[0-9]+\.?")

# NFD leaves đ/Đ whole (and Ð, the look-alike some keyboards type); phone keyboards put typographic
# punctuation in ordinary text. Fold them by hand before dropping what is left outside the set.
_HAND_FOLDS = str.maketrans(
    {
        "đ": "d",
        "Đ": "D",
        "Ð": "D",
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "…": "...",
    }
)


class VietQRError(ValueError):
    """A VietQR input or payload breaks the format; `field` names the offending input."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclasses.dataclass(frozen=True, slots=True)
class VietQRPayload:
    """What a VietQR payload says, with its root tags as read."""

    bank_bin: str
    account: str
    service: Service | None
    amount: int | None
    purpose: str | None
    dynamic: bool
    bill_number: str | None = None
    store_label: str | None = None
    merchant_name: str | None = None
    merchant_city: str | None = None
    mcc: str | None = None
    # Root ID → raw value, in payload order; templates (38, 62) stay unparsed strings here.
    tags: Mapping[str, str] = dataclasses.field(default_factory=dict, hash=False, repr=False)


def crc16_ccitt_false(data: bytes) -> int:
    """Compute CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final XOR)."""
    # binascii's CRC-CCITT in C is exactly this CRC when started at 0xFFFF; a bitwise loop in
    # Python cost about a quarter of a cached payment-QR request.
    return binascii.crc_hqx(data, 0xFFFF)


def fold_ascii(text: str) -> str:
    """Fold text into the EMV common character set: diacritics off, đ → d, the rest dropped."""
    decomposed = unicodedata.normalize("NFD", text.translate(_HAND_FOLDS))
    kept = []
    for char in decomposed:
        if char.isspace():
            kept.append(" ")
        elif " " <= char <= "~":
            kept.append(char)
        # Anything else (combining marks, other scripts, emoji, controls) is not in the set.
    # Dropping characters can leave double or edge spaces; a transfer note does not need them.
    return " ".join("".join(kept).split())


def encode(
    *,
    bank_bin: str,
    account: str,
    service: Service = "account",
    amount: int | None = None,
    purpose: str | None = None,
    bill_number: str | None = None,
    store_label: str | None = None,
    merchant_name: str | None = None,
    merchant_city: str | None = None,
    mcc: str | None = None,
) -> str:
    """Build a VietQR payload: dynamic ("12") with an amount, static ("11") without one."""
    bank_bin = _check_bin(bank_bin)
    service_code = _check_service(service)
    account = _check_account(account, service=service)
    if amount is not None:
        amount = _check_amount(amount)
    if mcc is not None and (not isinstance(mcc, str) or not _MCC.fullmatch(mcc)):
        raise VietQRError("Mã danh mục ĐVCNTT (MCC) phải gồm đúng 4 chữ số.", field="mcc")

    beneficiary = _tlv(_ID_BNB, bank_bin) + _tlv(_ID_CONSUMER, account)
    merchant_account = (
        _tlv(_ID_GUID, NAPAS_GUID)
        + _tlv(_ID_BENEFICIARY, beneficiary)
        + _tlv(_ID_SERVICE, service_code)
    )
    additional = "".join(
        _tlv(tag, _check_text(value, field=name, label=label, limit=_MAX_ADDITIONAL_ITEM))
        for tag, value, name, label in (
            (_ID_BILL_NUMBER, bill_number, "bill_number", "Số hóa đơn"),
            (_ID_STORE_LABEL, store_label, "store_label", "Mã cửa hàng"),
            (_ID_PURPOSE, purpose, "purpose", "Nội dung chuyển khoản"),
        )
        if value is not None
    )

    parts = [
        _tlv(_ID_PAYLOAD_FORMAT, PAYLOAD_FORMAT),
        _tlv(_ID_INITIATION, STATIC if amount is None else DYNAMIC),
        _tlv(_ID_MERCHANT_ACCOUNT, merchant_account),
    ]
    if mcc is not None:
        parts.append(_tlv(_ID_MCC, mcc))
    parts.append(_tlv(_ID_CURRENCY, CURRENCY_VND))
    if amount is not None:
        parts.append(_tlv(_ID_AMOUNT, str(amount)))
    parts.append(_tlv(_ID_COUNTRY, COUNTRY_VN))
    if merchant_name is not None:
        name = _check_text(
            merchant_name, field="merchant_name", label="Tên ĐVCNTT", limit=_MAX_MERCHANT_NAME
        )
        parts.append(_tlv(_ID_MERCHANT_NAME, name))
    if merchant_city is not None:
        city = _check_text(
            merchant_city, field="merchant_city", label="Thành phố", limit=_MAX_MERCHANT_CITY
        )
        parts.append(_tlv(_ID_MERCHANT_CITY, city))
    if additional:
        parts.append(_tlv(_ID_ADDITIONAL, additional))
    body = "".join(parts) + _ID_CRC + "04"
    return body + f"{crc16_ccitt_false(body.encode('ascii')):04X}"


def decode(payload: str) -> VietQRPayload:
    """Read a VietQR payload, checking its CRC, its structure and the NAPAS 247 mandatory tags."""
    if not isinstance(payload, str):
        raise _bad("Mã QR phải là một chuỗi ký tự.")
    tail = payload[-8:]
    if len(payload) < 8 or tail[:4] != _ID_CRC + "04" or not _CRC_VALUE.fullmatch(tail[4:]):
        raise _bad("Mã QR không kết thúc bằng mã kiểm tra CRC (ID 63, 4 ký tự).")
    # surrogatepass: a lone surrogate (from a bad scanner) must fail the CRC, not crash the encoder.
    expected = crc16_ccitt_false(payload[:-4].encode("utf-8", errors="surrogatepass"))
    if int(tail[4:], 16) != expected:
        raise _bad("Mã kiểm tra CRC không khớp: mã QR bị đọc sai hoặc đã bị sửa.")

    items = _parse_tlv(payload, where="mã QR")
    if items[0] != (_ID_PAYLOAD_FORMAT, PAYLOAD_FORMAT):
        raise _bad('Mã QR phải bắt đầu bằng phiên bản dữ liệu (ID 00) có giá trị "01".')
    if items[-1][0] != _ID_CRC:
        raise _bad("Mã kiểm tra CRC (ID 63) phải là đối tượng cuối cùng.")
    tags = _unique(items, where="mã QR")
    for tag in _MANDATORY:
        if tag not in tags:
            raise _bad(f"Mã QR thiếu trường bắt buộc ID {tag}.")

    initiation = tags[_ID_INITIATION]
    if initiation not in (STATIC, DYNAMIC):
        raise _bad('Phương thức khởi tạo (ID 01) phải là "11" (tĩnh) hoặc "12" (động).')
    if tags[_ID_CURRENCY] != CURRENCY_VND:
        raise _bad('Chỉ hỗ trợ giao dịch bằng đồng Việt Nam (mã tiền tệ "704").')
    if len(tags[_ID_COUNTRY]) != 2:
        raise _bad("Mã quốc gia (ID 58) phải gồm 2 ký tự.")
    bank_bin, account, service = _read_merchant_account(tags[_ID_MERCHANT_ACCOUNT])
    amount = _read_amount(tags[_ID_AMOUNT]) if _ID_AMOUNT in tags else None
    additional = (
        _unique(_parse_tlv(tags[_ID_ADDITIONAL], where="ID 62"), where="ID 62")
        if _ID_ADDITIONAL in tags
        else {}
    )

    return VietQRPayload(
        bank_bin=bank_bin,
        account=account,
        service=service,
        amount=amount,
        purpose=additional.get(_ID_PURPOSE),
        dynamic=initiation == DYNAMIC,
        bill_number=additional.get(_ID_BILL_NUMBER),
        store_label=additional.get(_ID_STORE_LABEL),
        merchant_name=tags.get(_ID_MERCHANT_NAME),
        merchant_city=tags.get(_ID_MERCHANT_CITY),
        mcc=tags.get(_ID_MCC),
        tags=MappingProxyType(tags),
    )


def _tlv(tag: str, value: str) -> str:
    """Write one ID–length–value object."""
    # Every caller has already capped its value; this guards the format itself.
    if not 1 <= len(value) <= _MAX_VALUE:
        raise VietQRError(f"Giá trị của ID {tag} phải dài 1 đến 99 ký tự.", field="payload")
    return f"{tag}{len(value):02d}{value}"


def _check_bin(bank_bin: object) -> str:
    """Return the BIN if it is six digits."""
    if not isinstance(bank_bin, str) or not _BIN.fullmatch(bank_bin):
        raise VietQRError("Mã BIN ngân hàng phải gồm đúng 6 chữ số.", field="bank_bin")
    return bank_bin


def _check_service(service: object) -> str:
    """Return the NAPAS service code for "account" or "card"."""
    if not isinstance(service, str) or service not in SERVICE_CODES:
        raise VietQRError(
            'Loại dịch vụ phải là "account" (đến tài khoản) hoặc "card" (đến thẻ).',
            field="service",
        )
    return SERVICE_CODES[service]


def _check_account(account: object, *, service: str) -> str:
    """Return the account or card number if it fits the spec's consumer ID (at most 19)."""
    if service == "card":
        if not isinstance(account, str) or not _CARD.fullmatch(account):
            raise VietQRError("Số thẻ chỉ gồm chữ số.", field="account_number")
    elif not isinstance(account, str) or not _ACCOUNT.fullmatch(account):
        raise VietQRError(
            "Số tài khoản chỉ gồm chữ số và chữ cái không dấu, không có khoảng trắng.",
            field="account_number",
        )
    if len(account) > _MAX_ACCOUNT:
        raise VietQRError(
            f"Số tài khoản hoặc số thẻ dài tối đa {_MAX_ACCOUNT} ký tự (hiện có {len(account)}).",
            field="account_number",
        )
    return account


def _check_amount(amount: object) -> int:
    """Return the amount if it is a whole number of đồng within the contract's range."""
    # bool is an int subclass; True đồng is a bug, not an amount.
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise VietQRError("Số tiền phải là một số nguyên (đồng).", field="amount")
    if not AMOUNT_MIN <= amount <= AMOUNT_MAX:
        raise VietQRError("Số tiền phải từ 1 đến 9.999.999.999 đồng.", field="amount")
    return amount


def _check_text(value: object, *, field: str, label: str, limit: int) -> str:
    """Return the text folded to ASCII if something is left and it fits the limit."""
    if not isinstance(value, str):
        raise VietQRError(f"{label} phải là một chuỗi ký tự.", field=field)
    folded = fold_ascii(value)
    if not folded:
        raise VietQRError(f"{label} không còn ký tự nào dùng được sau khi bỏ dấu.", field=field)
    if len(folded) > limit:
        raise VietQRError(
            f"{label} dài tối đa {limit} ký tự sau khi bỏ dấu (hiện có {len(folded)}).",
            field=field,
        )
    return folded


def _bad(message: str) -> VietQRError:
    """Make the error for a payload that cannot be read."""
    return VietQRError(message, field="payload")


def _parse_tlv(text: str, *, where: str) -> list[tuple[str, str]]:
    """Split text into its ID–length–value objects, refusing leftovers and empty values."""
    items = []
    position = 0
    while position < len(text):
        header = text[position : position + 4]
        if not _TLV_HEADER.fullmatch(header):
            raise _bad(f"Sai cấu trúc ID–độ dài–giá trị trong {where} tại ký tự {position + 1}.")
        tag, length = header[:2], int(header[2:])
        if length == 0:
            raise _bad(f"ID {tag} trong {where} có độ dài 0.")
        value = text[position + 4 : position + 4 + length]
        if len(value) != length:
            raise _bad(f"ID {tag} trong {where} khai báo {length} ký tự nhưng chỉ có {len(value)}.")
        items.append((tag, value))
        position += 4 + length
    if not items:
        raise _bad(f"{where.capitalize()} không chứa đối tượng dữ liệu nào.")
    return items


def _unique(items: list[tuple[str, str]], *, where: str) -> dict[str, str]:
    """Map IDs to values, refusing an ID that appears twice."""
    tags: dict[str, str] = {}
    for tag, value in items:
        if tag in tags:
            raise _bad(f"ID {tag} xuất hiện hai lần trong {where}.")
        tags[tag] = value
    return tags


def _read_merchant_account(template: str) -> tuple[str, str, Service | None]:
    """Read BIN, consumer ID and service from tag 38, checking the NAPAS GUID."""
    fields = _unique(_parse_tlv(template, where="ID 38"), where="ID 38")
    if fields.get(_ID_GUID) != NAPAS_GUID:
        raise _bad(f'Mã QR không phải VietQR: ID 38 phải có GUID "{NAPAS_GUID}".')
    if _ID_BENEFICIARY not in fields:
        raise _bad("ID 38 thiếu thông tin người thụ hưởng (ID 01).")
    beneficiary = _unique(_parse_tlv(fields[_ID_BENEFICIARY], where="ID 38.01"), where="ID 38.01")
    bank_bin = beneficiary.get(_ID_BNB, "")
    if not _BIN.fullmatch(bank_bin):
        raise _bad("Mã BIN ngân hàng (ID 38.01.00) phải gồm đúng 6 chữ số.")
    account = beneficiary.get(_ID_CONSUMER)
    if account is None:
        raise _bad("ID 38.01 thiếu số tài khoản hoặc số thẻ (ID 01).")
    if len(account) > _MAX_ACCOUNT:
        raise _bad(f"Số tài khoản hoặc số thẻ dài tối đa {_MAX_ACCOUNT} ký tự.")
    # Table 4 makes the service code conditional, so a payload may leave it out.
    code = fields.get(_ID_SERVICE)
    if code is not None and code not in _SERVICE_BY_CODE:
        raise _bad(f'Mã dịch vụ (ID 38.02) "{code}" không phải QRIBFTTA hay QRIBFTTC.')
    return bank_bin, account, _SERVICE_BY_CODE.get(code) if code is not None else None


def _read_amount(value: str) -> int:
    """Read tag 54 as whole đồng."""
    if len(value) > _MAX_AMOUNT_CHARS or not _AMOUNT_VALUE.fullmatch(value):
        raise _bad("Số tiền (ID 54) chỉ gồm tối đa 13 chữ số, không có phần thập phân.")
    amount = int(value.rstrip("."))
    if amount == 0:
        raise _bad("Số tiền (ID 54) phải khác 0.")
    return amount
