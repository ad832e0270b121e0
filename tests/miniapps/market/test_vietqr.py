"""VietQR payloads against the NAPAS spec's worked examples, its limits and random round trips."""

import binascii
import dataclasses
import random
import string

import pytest

from miniapps.market.vietqr import (
    AMOUNT_MAX,
    VietQRError,
    crc16_ccitt_false,
    decode,
    encode,
    fold_ascii,
)


def crc_hex(body: str) -> str:
    """CRC of a payload body by the standard library (binascii.crc_hqx is CRC-CCITT, init given)."""
    return f"{binascii.crc_hqx(body.encode('utf-8'), 0xFFFF):04X}"


def with_crc(body_without_crc: str) -> str:
    """Close a hand-built payload body with "6304" and its CRC, independently of the module."""
    body = body_without_crc + "6304"
    return body + crc_hex(body)


# Spec section 6, strings copied from the text. Each one's CRC was checked independently (a
# separate bitwise implementation and binascii.crc_hqx); test_spec_vectors_are_self_consistent
# re-checks them.

# 6.1.1, static to an account. ERRATUM: the spec's literal string gives the 13-character account
# "0011012345678" the length "12", and its CRC F4E5 is computed over that broken string. The
# expected string here is built from the example's breakdown table instead (38.01.01 = "13"), which
# changes the CRC to 9E6F (computed independently; with_crc closes it with binascii.crc_hqx).
SPEC_6_1_1_LITERAL = (
    "00020101021138570010A00000072701270006970403011200110123456780208QRIBFTTA53037045802VN6304F4E5"
)
SPEC_6_1_1_FROM_TABLE = with_crc(
    "000201"  # 00 02 01
    "010211"  # 01 02 11
    "3857"  # 38 57
    "0010A000000727"  # 38.00 GUID
    "0127000697040301130011012345678"  # 38.01: 00 06 970403, 01 13 0011012345678
    "0208QRIBFTTA"  # 38.02
    "5303704"  # 53 03 704
    "5802VN"  # 58 02 VN
)
# 6.1.2, static to a card (literal and table agree).
SPEC_6_1_2 = (
    "00020101021138600010A00000072701300006970403011697040311012345670208QRIBFTTC"
    "53037045802VN63044F52"
)
# 6.1.3, dynamic to an account with a bill number and a purpose (literal and table agree).
SPEC_6_1_3 = (
    "00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA530370454061800005802VN"
    "62340107NPS68690819thanh toan don hang63042E2E"
)
# 6.1.4, dynamic to a card. ERRATUM: the headline string is 6.1.2's static payload with the CRC A203
# pasted on (its real CRC would be 4F52). The step table's string matches the breakdown table
# (01 = 12, amount 180000, tag 62) and its CRC A203 checks out, so that one is the vector.
SPEC_6_1_4_HEADLINE = (
    "00020101021138600010A00000072701300006970403011697040311012345670208QRIBFTTC"
    "53037045802VN6304A203"
)
SPEC_6_1_4 = (
    "00020101021238600010A00000072701300006970403011697040311012345670208QRIBFTTC530370454061800005802VN"
    "62340107NPS68690819thanh toan don hang6304A203"
)

SPEC_EXAMPLES = [
    pytest.param(
        {"bank_bin": "970403", "account": "0011012345678"}, SPEC_6_1_1_FROM_TABLE, id="6.1.1-table"
    ),
    pytest.param(
        {"bank_bin": "970403", "account": "9704031101234567", "service": "card"},
        SPEC_6_1_2,
        id="6.1.2",
    ),
    pytest.param(
        {
            "bank_bin": "970403",
            "account": "0011012345678",
            "amount": 180000,
            "bill_number": "NPS6869",
            "purpose": "thanh toan don hang",
        },
        SPEC_6_1_3,
        id="6.1.3",
    ),
    pytest.param(
        {
            "bank_bin": "970403",
            "account": "9704031101234567",
            "service": "card",
            "amount": 180000,
            "bill_number": "NPS6869",
            "purpose": "thanh toan don hang",
        },
        SPEC_6_1_4,
        id="6.1.4-steps",
    ),
]


def test_crc_check_value():
    assert crc16_ccitt_false(b"123456789") == 0x29B1


def test_crc_of_empty_input_is_the_initial_value():
    assert crc16_ccitt_false(b"") == 0xFFFF


def bitwise_crc(data: bytes) -> int:
    """CRC-16/CCITT-FALSE the slow way, bit by bit, as an independent reference."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def test_crc_agrees_with_a_bitwise_reference_on_random_data():
    rng = random.Random(1021)
    for _ in range(300):
        data = rng.randbytes(rng.randint(0, 200))
        assert crc16_ccitt_false(data) == bitwise_crc(data)


def test_spec_vectors_are_self_consistent():
    for vector in (SPEC_6_1_1_LITERAL, SPEC_6_1_2, SPEC_6_1_3, SPEC_6_1_4):
        assert crc_hex(vector[:-4]) == vector[-4:]
    assert SPEC_6_1_1_FROM_TABLE.endswith("63049E6F")
    assert crc_hex(SPEC_6_1_4_HEADLINE[:-4]) == "4F52" != SPEC_6_1_4_HEADLINE[-4:]


@pytest.mark.parametrize(("kwargs", "expected"), SPEC_EXAMPLES)
def test_encode_reproduces_spec_example(kwargs, expected):
    assert encode(**kwargs) == expected


@pytest.mark.parametrize(("kwargs", "payload"), SPEC_EXAMPLES)
def test_decode_reads_spec_example(kwargs, payload):
    result = decode(payload)
    assert result.bank_bin == kwargs["bank_bin"]
    assert result.account == kwargs["account"]
    assert result.service == kwargs.get("service", "account")
    assert result.amount == kwargs.get("amount")
    assert result.dynamic is ("amount" in kwargs)
    assert result.purpose == kwargs.get("purpose")
    assert result.bill_number == kwargs.get("bill_number")
    assert result.tags["53"] == "704"
    assert result.tags["58"] == "VN"
    assert result.tags["63"] == payload[-4:]


def test_spec_tag_38_example_for_an_account():
    # Section 5.2.3.2.4: BNB 970468, consumer ID 0011009950446, service QRIBFTTA.
    tag_38 = "38570010A00000072701270006970468011300110099504460208QRIBFTTA"
    assert tag_38 in encode(bank_bin="970468", account="0011009950446")


def test_spec_table_4_beneficiary_example():
    # Table 4: "000697040301162112995044604025" = 00 06 970403, 01 16 2112995044604025.
    payload = encode(bank_bin="970403", account="2112995044604025")
    assert "0130000697040301162112995044604025" in payload


def test_spec_6_1_1_literal_is_rejected_for_its_broken_length():
    # Its CRC is right (checked above), so what decode refuses is the account's length "12".
    with pytest.raises(VietQRError) as caught:
        decode(SPEC_6_1_1_LITERAL)
    assert caught.value.field == "payload"
    assert "38.01" in caught.value.message


def test_spec_6_1_4_headline_is_rejected_for_its_crc():
    with pytest.raises(VietQRError, match="CRC"):
        decode(SPEC_6_1_4_HEADLINE)


def test_static_round_trip():
    payload = encode(bank_bin="970436", account="1234567890")
    assert payload[6:12] == "010211"
    assert "54" not in decode(payload).tags
    result = decode(payload)
    assert (result.bank_bin, result.account, result.service) == ("970436", "1234567890", "account")
    assert result.amount is None
    assert result.purpose is None
    assert result.dynamic is False


def test_dynamic_round_trip_with_every_optional_field():
    payload = encode(
        bank_bin="970415",
        account="101874563210",
        amount=25_000,
        purpose="Mua rau chợ Đa Phúc",
        bill_number="HD-0001",
        store_label="Sạp 12",
        merchant_name="Cô Hằng rau sạch",
        merchant_city="Hà Nội",
        mcc="5411",
    )
    assert payload[6:12] == "010212"
    result = decode(payload)
    assert result.amount == 25_000
    assert result.dynamic is True
    assert result.purpose == "Mua rau cho Da Phuc"
    assert result.bill_number == "HD-0001"
    assert result.store_label == "Sap 12"
    assert result.merchant_name == "Co Hang rau sach"
    assert result.merchant_city == "Ha Noi"
    assert result.mcc == "5411"
    assert result.tags["54"] == "25000"
    assert list(result.tags) == ["00", "01", "38", "52", "53", "54", "58", "59", "60", "62", "63"]


def test_payload_is_ascii_with_uppercase_crc():
    payload = encode(bank_bin="970422", account="0901234567", amount=99_000, purpose="Đậu phụ")
    assert payload.isascii()
    assert payload[-8:-4] == "6304"
    assert payload[-4:] == crc_hex(payload[:-4])
    assert payload[-4:] == payload[-4:].upper()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thanh toán đơn hàng", "Thanh toan don hang"),
        ("ĐẶNG THỊ ĐÀO", "DANG THI DAO"),
        ("àáảãạăằắẳẵặâầấẩẫậđ", "aaaaaaaaaaaaaaaaad"),
        ("ÈÉẺẼẸÊỀẾỂỄỆ ÌÍỈĨỊ", "EEEEEEEEEEE IIIII"),
        ("òóỏõọôồốổỗộơờớởỡợ", "ooooooooooooooooo"),
        ("ùúủũụưừứửữự ỳýỷỹỵ", "uuuuuuuuuuu yyyyy"),
        ("Phở bò 🍜 50k", "Pho bo 50k"),
        ("  Trả\ttiền\n hàng  ", "Tra tien hang"),
        ("Cô Hoà’s “quán” – 24/7…", 'Co Hoa\'s "quan" - 24/7...'),
        ("北京", ""),
        ("A-Z a-z 0-9 !#$%&()*+,./:;<=>?@[]^_{|}~", "A-Z a-z 0-9 !#$%&()*+,./:;<=>?@[]^_{|}~"),
    ],
)
def test_fold_ascii(text, expected):
    assert fold_ascii(text) == expected


def test_fold_ascii_treats_composed_and_decomposed_input_alike():
    composed = "Nguyễn Thị Hường"
    decomposed = "Nguye\u0302\u0303n Thi\u0323 Hu\u031bo\u031b\u0300ng"
    assert fold_ascii(composed) == fold_ascii(decomposed) == "Nguyen Thi Huong"


def test_encode_folds_a_vietnamese_purpose():
    payload = encode(bank_bin="970403", account="0011012345678", purpose="Thanh toán đơn hàng")
    assert "62230819Thanh toan don hang" in payload
    assert decode(payload).purpose == "Thanh toan don hang"


VALID = {"bank_bin": "970403", "account": "0011012345678"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": 0}, "amount"),
        ({"amount": -5_000}, "amount"),
        ({"amount": AMOUNT_MAX + 1}, "amount"),
        ({"amount": 10_000_000_000}, "amount"),
        ({"amount": True}, "amount"),
        ({"amount": 1500.0}, "amount"),
        ({"amount": "15000"}, "amount"),
        ({"purpose": "x" * 26}, "purpose"),
        # 24 characters and an ellipsis that folds to "...": 27 after folding.
        ({"purpose": "Tien hang thang 7 cho ba…"}, "purpose"),
        ({"purpose": "Trả tiền hàng cho bà Tư Đức"}, "purpose"),
        ({"purpose": "北京"}, "purpose"),
        ({"purpose": "   "}, "purpose"),
        ({"purpose": ""}, "purpose"),
        ({"bank_bin": "97040"}, "bank_bin"),
        ({"bank_bin": "9704031"}, "bank_bin"),
        ({"bank_bin": "97040A"}, "bank_bin"),
        ({"bank_bin": "９７０４０３"}, "bank_bin"),
        ({"bank_bin": "970403\n"}, "bank_bin"),
        ({"bank_bin": 970403}, "bank_bin"),
        ({"account": ""}, "account_number"),
        ({"account": "1" * 20}, "account_number"),
        ({"account": "0011 0123"}, "account_number"),
        ({"account": "tàikhoản"}, "account_number"),
        ({"account": "0011-0123"}, "account_number"),
        ({"account": 11012345678}, "account_number"),
        ({"account": "97040311ABC", "service": "card"}, "account_number"),
        ({"service": "wallet"}, "service"),
        ({"mcc": "541"}, "mcc"),
        ({"mcc": "54111"}, "mcc"),
        ({"merchant_name": "N" * 26}, "merchant_name"),
        ({"merchant_city": "Thành phố Hà Nội"}, "merchant_city"),
        ({"bill_number": "B" * 26}, "bill_number"),
        ({"store_label": "S" * 26}, "store_label"),
    ],
)
def test_encode_refuses_input_outside_the_limits(changes, field):
    with pytest.raises(VietQRError) as caught:
        encode(**(VALID | changes))
    error = caught.value
    assert error.field == field
    assert isinstance(error, ValueError)
    assert str(error) == error.message
    assert not error.message.isascii()  # Vietnamese, with its diacritics


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("amount", 1, 1),
        ("amount", AMOUNT_MAX, 9_999_999_999),
        ("purpose", "x" * 25, "x" * 25),
        # 30 code points as typed (emoji, and NFD combining marks), 23 once folded.
        (
            "purpose",
            "Tra\u0309 tie\u0302\u0300n ha\u0300ng cho ba\u0300 Tu\u031b 🙏🙏",
            "Tra tien hang cho ba Tu",
        ),
        ("purpose", "***", "***"),  # the spec's "ask the payer" value
        ("account", "9" * 19, "9" * 19),
        ("account", "NGUYENVANA2024", "NGUYENVANA2024"),
        ("merchant_name", "N" * 25, "N" * 25),
        ("merchant_city", "Thanh pho HN 01", "Thanh pho HN 01"),
    ],
)
def test_encode_accepts_the_limits_themselves(name, value, expected):
    assert getattr(decode(encode(**(VALID | {name: value}))), name) == expected


def test_encode_arguments_are_keyword_only():
    with pytest.raises(TypeError):
        encode("970403", "0011012345678")  # type: ignore[misc]


def flip_last_hex_digit(payload: str) -> str:
    """Change the CRC's last digit to a different hex digit."""
    last = payload[-1]
    return payload[:-1] + ("0" if last != "0" else "1")


@pytest.mark.parametrize("payload", [SPEC_6_1_2, SPEC_6_1_3, SPEC_6_1_4])
def test_decode_rejects_a_flipped_crc_digit(payload):
    with pytest.raises(VietQRError) as caught:
        decode(flip_last_hex_digit(payload))
    assert caught.value.field == "payload"
    assert "CRC" in caught.value.message


def test_decode_rejects_a_tampered_amount():
    tampered = SPEC_6_1_3.replace("5406180000", "5406980000")
    assert tampered != SPEC_6_1_3
    with pytest.raises(VietQRError, match="CRC"):
        decode(tampered)


def test_decode_rejects_a_tampered_account():
    tampered = SPEC_6_1_3.replace("0011012345678", "0011012345679")
    with pytest.raises(VietQRError, match="CRC"):
        decode(tampered)


def test_crc_is_integrity_not_authenticity():
    # Whoever recomputes the CRC gets a valid payload: posters must come from the server, not users.
    body = SPEC_6_1_3[:-8].replace("5406180000", "5406980000")
    assert decode(with_crc(body)).amount == 980000


ACCOUNT_38 = "38570010A00000072701270006970403011300110123456780208QRIBFTTA"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("", id="empty"),
        pytest.param("010211" + ACCOUNT_38 + "53037045802VN", id="no-payload-format"),
        pytest.param("000202010211" + ACCOUNT_38 + "53037045802VN", id="payload-format-02"),
        pytest.param("000201" + ACCOUNT_38 + "53037045802VN", id="no-initiation"),
        pytest.param("000201010213" + ACCOUNT_38 + "53037045802VN", id="initiation-13"),
        pytest.param("00020101021153037045802VN", id="no-tag-38"),
        pytest.param("000201010211" + ACCOUNT_38 + "5802VN", id="no-currency"),
        pytest.param("000201010211" + ACCOUNT_38 + "5303840" + "5802VN", id="usd"),
        pytest.param("000201010211" + ACCOUNT_38 + "5303704", id="no-country"),
        pytest.param(
            "000201010211" + ACCOUNT_38.replace("A000000727", "A000000728") + "53037045802VN",
            id="wrong-guid",
        ),
        pytest.param(
            "000201010211" + ACCOUNT_38.replace("QRIBFTTA", "QRIBFTTX") + "53037045802VN",
            id="unknown-service",
        ),
        pytest.param(
            "000201010211" + "3826" + "0010A000000727" + "0208QRIBFTTA" + "53037045802VN",
            id="no-beneficiary",
        ),
        pytest.param(
            "000201010211"
            + "3856"
            + "0010A000000727"
            + "0126"
            + "000597040"
            + "01130011012345678"
            + "0208QRIBFTTA"
            + "53037045802VN",
            id="five-digit-bin",
        ),
        pytest.param("000201010211" + ACCOUNT_38 + "53037045802VN" + "5802VN", id="duplicate-tag"),
        pytest.param("000201010211" + ACCOUNT_38 + "5303704540105802VN", id="amount-zero"),
        pytest.param(
            "000201010211" + ACCOUNT_38 + "53037045405125.55802VN", id="amount-with-decimals"
        ),
        pytest.param(
            "000201010211" + ACCOUNT_38 + "5303704" + "541412345678901234" + "5802VN",
            id="amount-14-digits",
        ),
        # 59 claims 15 characters; only "Rau" and the closing "6304" + CRC are left.
        pytest.param("000201010211" + ACCOUNT_38 + "53037045802VN" + "5915Rau", id="short-value"),
        # 62.08 claims 19 characters and holds 5.
        pytest.param(
            "000201010211" + ACCOUNT_38 + "53037045802VN" + "62090819thanh", id="short-nested-value"
        ),
        pytest.param("000201010211" + ACCOUNT_38 + "53037045802VN" + "5900", id="zero-length"),
        pytest.param("000201010211" + ACCOUNT_38 + "53037045802VN" + "5X01a", id="bad-header"),
    ],
)
def test_decode_rejects_a_malformed_payload_with_a_valid_crc(body):
    with pytest.raises(VietQRError) as caught:
        decode(with_crc(body))
    assert caught.value.field == "payload"


def test_decode_rejects_a_crc_swallowed_by_another_value():
    # The CRC checks out, but tag 59 ("Rau" + "6304" + CRC) takes it in, so 63 is not last.
    payload = with_crc("000201010211" + ACCOUNT_38 + "53037045802VN" + "5911Rau")
    with pytest.raises(VietQRError, match="ID 63"):
        decode(payload)


@pytest.mark.parametrize(
    "payload",
    ["", "6304", "hello", "000201" + "6304ZZZZ", "\ud800" + SPEC_6_1_2, 42, None],
)
def test_decode_rejects_what_is_not_a_payload(payload):
    with pytest.raises(VietQRError) as caught:
        decode(payload)
    assert caught.value.field == "payload"


def test_decode_accepts_any_tag_order_and_the_spec_amount_forms():
    # Spec 5.1: only 00 (first) and 63 (last) have fixed places; "50000." is a valid amount.
    body = "000201" + "5802VN" + "540650000." + "010212" + "5303704" + ACCOUNT_38
    result = decode(with_crc(body))
    assert result.amount == 50000
    assert result.dynamic is True
    assert (result.bank_bin, result.account) == ("970403", "0011012345678")


def test_decode_accepts_a_missing_service_code():
    # Table 4 makes 38.02 conditional.
    body = "000201010211" + "38450010A0000007270127000697040301130011012345678" + "53037045802VN"
    result = decode(with_crc(body))
    assert result.service is None
    assert result.account == "0011012345678"


def test_decode_accepts_a_lowercase_crc():
    payload = SPEC_6_1_3[:-4] + SPEC_6_1_3[-4:].lower()
    assert decode(payload).amount == 180000


def test_decoded_payload_is_immutable():
    result = decode(SPEC_6_1_3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.amount = 1  # type: ignore[misc]
    with pytest.raises(TypeError):
        result.tags["54"] = "1"  # type: ignore[index]
    assert result == decode(SPEC_6_1_3)
    assert hash(result) == hash(decode(SPEC_6_1_3))


# Vietnamese words with their ASCII folding, written out by hand so the property test does not take
# its expected values from fold_ascii.
WORDS = [
    ("Thanh", "Thanh"),
    ("toán", "toan"),
    ("đơn", "don"),
    ("hàng", "hang"),
    ("Chợ", "Cho"),
    ("Đồng", "Dong"),
    ("Xuân", "Xuan"),
    ("rau", "rau"),
    ("cải", "cai"),
    ("thịt", "thit"),
    ("lợn", "lon"),
    ("bún", "bun"),
    ("chả", "cha"),
    ("phở", "pho"),
    ("tháng", "thang"),
    ("7", "7"),
    ("HĐ-0042", "HD-0042"),
    ("Giảng", "Giang"),
    ("Võ", "Vo"),
    ("Từ", "Tu"),
    ("Liêm", "Liem"),
    ("nước", "nuoc"),
    ("mắm", "mam"),
    ("ĐẶC", "DAC"),
    ("SẢN", "SAN"),
]


def random_purpose(rng: random.Random) -> tuple[str, str]:
    """Return a random Vietnamese purpose of at most 25 folded characters and its folding."""
    while True:
        chosen = rng.choices(WORDS, k=rng.randint(1, 5))
        folded = " ".join(ascii_word for _, ascii_word in chosen)
        if len(folded) <= 25:
            return " ".join(word for word, _ in chosen), folded


def test_random_round_trips():
    rng = random.Random(20250701)
    alphanumeric = string.ascii_letters + string.digits
    for _ in range(1000):
        service = rng.choice(["account", "card"])
        alphabet = string.digits if service == "card" else alphanumeric
        account = "".join(rng.choices(alphabet, k=rng.randint(1, 19)))
        bank_bin = "".join(rng.choices(string.digits, k=6))
        amount = rng.choice(
            [None, 1, AMOUNT_MAX, rng.randint(1, AMOUNT_MAX), rng.randint(1, 10**6)]
        )
        purpose, folded = random_purpose(rng) if rng.random() < 0.7 else (None, None)

        payload = encode(
            bank_bin=bank_bin, account=account, service=service, amount=amount, purpose=purpose
        )

        assert payload.isascii()
        assert payload[-4:] == crc_hex(payload[:-4])
        assert payload[6:12] == ("010211" if amount is None else "010212")
        result = decode(payload)
        assert result.bank_bin == bank_bin
        assert result.account == account
        assert result.service == service
        assert result.amount == amount
        assert result.dynamic is (amount is not None)
        assert result.purpose == folded
