"""The market's data rules as pure functions: account numbers, account names, phones, stalls."""

import pytest

from miniapps.market import validation
from miniapps.market.validation import InvalidValue


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0011001234567", "0011001234567"),
        ("0011 0012 34567", "0011001234567"),
        ("0011.0012.34567", "0011001234567"),
        ("0011-0012-34567", "0011001234567"),
        (" 123456 ", "123456"),
        ("1" * 19, "1" * 19),
        ("1234\u00a05678", "12345678"),  # a non-breaking space pasted from a web page
    ],
)
def test_account_numbers_keep_their_digits(typed, stored):
    """Spaces, dots and dashes between the digits are dropped."""
    assert validation.normalise_account_number(typed) == stored


@pytest.mark.parametrize(
    "typed", ["12ab", "12345", "1" * 20, "", "   ", "0011O01234567", "１２３４５６", "+84912345"]
)
def test_account_numbers_refuse_letters_and_bad_lengths(typed):
    """Letters (even a letter O for a zero), full-width digits, 5 or 20 digits are refused."""
    with pytest.raises(InvalidValue) as refused:
        validation.normalise_account_number(typed)
    assert refused.value.message == "Số tài khoản chỉ gồm chữ số, từ 6 đến 19 số."
    assert not validation.is_valid_account_number(typed)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("nguyễn văn an", "NGUYEN VAN AN"),
        ("Đỗ  Thị   Đào ", "DO THI DAO"),
        ("CÔNG TY TNHH CÀ PHÊ MỘC", "CONG TY TNHH CA PHE MOC"),
        ("Hộ KD Bà Tư - Chợ 2", "HO KD BA TU - CHO 2"),
        ("NGUYEN VAN AN", "NGUYEN VAN AN"),
    ],
)
def test_account_names_fold_as_banks_print_them(typed, stored):
    """Upper-case ASCII, đ → D, one space between words."""
    assert validation.fold_account_name(typed) == stored
    assert validation.is_valid_account_name(stored)


@pytest.mark.parametrize("typed", ["Nguyễn ☕", "阮文安", "an@mail", "   ", "A" * 71])
def test_account_names_refuse_what_cannot_be_folded(typed):
    """Signs, other scripts, an empty name and more than 70 characters are refused."""
    with pytest.raises(InvalidValue):
        validation.fold_account_name(typed)


def test_a_stored_lower_case_name_is_not_valid():
    """A row written before the rule (lower case, accents) fails the stored-value check."""
    assert not validation.is_valid_account_name("nguyễn văn an")
    assert validation.payment_problem(account_number="12ab", account_name="NGUYEN VAN AN") == (
        "account_number",
        validation.MSG_ACCOUNT_NUMBER,
    )
    assert validation.payment_problem(account_number="123456", account_name="nguyễn văn an") == (
        "account_name",
        validation.MSG_ACCOUNT_NAME,
    )
    assert validation.payment_problem(account_number="123456", account_name="AN") is None


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("0912-345-678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("(024) 3825 3536", "02438253536"),
        ("1900 1234", "19001234"),
    ],
)
def test_phones_are_normalised(typed, stored):
    """Vietnamese numbers with separators or +84 are kept as their digits, 0 first."""
    assert validation.normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["call me", "12345678", "+1 202 555 0100", "0912 345 67a"])
def test_phones_refuse_what_is_not_a_vietnamese_number(typed):
    """Letters and foreign or too short numbers are refused."""
    with pytest.raises(InvalidValue):
        validation.normalise_phone(typed)


def test_stall_keys_ignore_case_diacritics_and_punctuation():
    """The same stall typed three ways gives one key."""
    keys = {validation.stall_key(s) for s in ("Ki-ốt A12", "kiot a12", "KIOT A-12")}
    assert keys == {"kiota12"}
    assert validation.stall_key("Ki-ốt A13") != "kiota12"


def test_every_input_field_has_a_vietnamese_label():
    """Each field of the market's request schemas carries `metadata["label"]`."""
    from app.pagination import PageArgsSchema
    from miniapps.market import MarketSettingsSchema, schemas

    inputs = [
        schemas.ZoneCreateSchema,
        schemas.ZoneSearchArgsSchema,
        schemas.ProductCreateSchema,
        schemas.ProductUpdateSchema,
        schemas.MerchantCreateSchema,
        schemas.MerchantUpdateSchema,
        schemas.MerchantSearchArgsSchema,
        schemas.ReasonSchema,
        schemas.SupportFlagsSchema,
        schemas.PaymentQrArgsSchema,
        schemas.PaymentQrImageArgsSchema,
        schemas.PosterArgsSchema,
        schemas.ReportArgsSchema,
        MarketSettingsSchema,
    ]
    shared = set(PageArgsSchema().fields)  # limit, cursor: the core's, labelled there
    missing = [
        f"{schema.__name__}.{name}"
        for schema in inputs
        for name, field in schema().fields.items()
        if name not in shared and not field.metadata.get("label")
    ]
    assert missing == []
