"""The BIN list shipped with the market package."""

import csv
from importlib import resources
from pathlib import Path

import pytest

from miniapps.market import banks
from miniapps.market.banks import Bank, get_bank, list_banks
from miniapps.market.vietqr import decode, encode

CSV_PATH = Path(banks.__file__).parent / "data" / "bank-bins.csv"


def csv_rows() -> list[dict[str, str]]:
    """Read the shipped CSV directly, without the module under test."""
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_csv_ships_as_package_data():
    data = resources.files("miniapps.market") / "data" / "bank-bins.csv"
    assert data.is_file()
    assert data.read_text(encoding="utf-8").startswith("bin,short_name,official_name\n")


def test_every_row_becomes_one_bank_in_bin_order():
    rows = csv_rows()
    listed = list_banks()
    assert len(rows) == 56
    assert [bank.bin for bank in listed] == sorted(row["bin"] for row in rows)
    assert len({bank.bin for bank in listed}) == len(listed)
    assert all(len(bank.bin) == 6 and bank.bin.isdigit() for bank in listed)
    assert all(isinstance(bank, Bank) for bank in listed)


def test_legal_names_come_from_the_csv():
    by_bin = {row["bin"]: row["official_name"] for row in csv_rows()}
    for bank in list_banks():
        assert bank.name == by_bin[bank.bin]


def test_get_bank_reads_names_with_their_diacritics():
    vietcombank = get_bank("970436")
    assert vietcombank == Bank(
        bin="970436", name="Ngân hàng TMCP Ngoại thương Việt Nam", short_name="Vietcombank"
    )
    assert vietcombank.label == "Vietcombank"
    assert get_bank("970415").short_name == "VietinBank"
    assert get_bank("970405").name == "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam"


@pytest.mark.parametrize(
    ("bank_bin", "short_name", "former", "legal_name"),
    [
        ("970449", "LPBank", "LienVietPostBank", "Ngân hàng TMCP Bưu Điện Liên Việt"),
        ("970414", "MBV", "OceanBank", "Ngân hàng TNHH Một Thành Viên Đại Dương"),
        ("970406", "Vikki Bank", "DongA Bank", "Ngân hàng TMCP Đông Á"),
    ],
)
def test_renamed_banks_show_their_current_short_name(bank_bin, short_name, former, legal_name):
    bank = get_bank(bank_bin)
    assert bank.short_name == short_name
    assert bank.former_short_name == former
    assert bank.name == legal_name
    assert bank.label == short_name


def test_only_the_renamed_banks_have_a_former_name():
    renamed = {bank.bin for bank in list_banks() if bank.former_short_name}
    assert renamed == {"970449", "970414", "970406"}


def test_a_bank_without_short_name_is_labelled_by_its_legal_name():
    bank = get_bank("970462")
    assert bank.short_name is None
    assert bank.label == "Ngân hàng Kookmin - Chi nhánh Hà Nội"
    blank_in_csv = {row["bin"] for row in csv_rows() if not row["short_name"]}
    assert {bank.bin for bank in list_banks() if bank.short_name is None} == blank_in_csv


@pytest.mark.parametrize("bank_bin", ["970999", "", "97043", "9704366", "abcdef", " 970436"])
def test_get_bank_returns_none_for_an_unknown_bin(bank_bin):
    assert get_bank(bank_bin) is None


def test_list_is_loaded_once_and_handed_out_as_a_copy():
    first = list_banks()
    first.clear()
    second = list_banks()
    assert len(second) == 56
    assert second[0] is list_banks()[0]


def test_banks_are_immutable():
    bank = get_bank("970403")
    with pytest.raises(AttributeError):
        bank.short_name = "Other"  # type: ignore[misc]


def test_every_listed_bin_makes_a_readable_vietqr():
    for bank in list_banks():
        assert decode(encode(bank_bin=bank.bin, account="0123456789")).bank_bin == bank.bin
