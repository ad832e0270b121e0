"""CSV downloads open in Excel with Vietnamese intact and never run a cell as a formula."""

import csv
import io

from app.spreadsheet import csv_bytes


def test_a_csv_has_a_bom_crlf_lines_and_vietnamese_text():
    data = csv_bytes(["Tên", "Số phiếu"], [["Nguyễn Văn Ân", 3], ["Đặng Thị Bé", None]])

    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.endswith("\r\n")
    assert list(csv.reader(io.StringIO(text))) == [
        ["Tên", "Số phiếu"],
        ["Nguyễn Văn Ân", "3"],
        ["Đặng Thị Bé", ""],
    ]


def test_text_that_looks_like_a_formula_stays_text():
    data = csv_bytes(["Ý kiến"], [['=HYPERLINK("http://x")'], ["+84 912"], ["-"], ["@SUM"]])

    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1:]

    assert [row[0][0] for row in rows] == ["'", "'", "'", "'"]
