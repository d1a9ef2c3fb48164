"""Import files as officers really have them (issue #14): Excel's CSV with ";" and CRLF, tabs,
a byte order mark, Windows-1258 text; and XLSX files that unpack to millions of rows or
thousands of columns, refused quickly and in little memory."""

import io
import time
import tracemalloc
import unicodedata
import zipfile

import pytest

from doingoai.registers.imports import readers
from doingoai.registers.imports.layouts import LAYOUTS
from doingoai.registers.imports.service import ImportIssue, import_check, import_run
from doingoai.registers.models import OutgoingDelegation

HEADERS = [
    "STT",
    "Đơn vị",
    "Nước đến",
    "Địa điểm",
    "Mục đích",
    "Trưởng đoàn",
    "Số cán bộ",
    "Số cá nhân khác",
    "Ngày đi",
    "Ngày về",
    "Văn bản cho phép",
]
EXPECTED = [column.header for column in LAYOUTS["outgoing-delegations"].columns]
UTF8_HELP = (
    "Tệp CSV không được lưu dạng văn bản UTF-8 và không xác định chắc chắn được bảng mã của "
    "tệp. Hãy lưu lại tệp bằng Excel: Tệp > Lưu thành > CSV UTF-8 (Phân cách bằng dấu phẩy), "
    "rồi tải lên lại."
)


def run(office, data, name="so-lieu.csv"):
    layout = LAYOUTS["outgoing-delegations"]
    return import_run(layout=layout, user=office.users["a"], name=name, data=data)


def check(office, data, name):
    layout = LAYOUTS["outgoing-delegations"]
    return import_check(layout=layout, user=office.users["a"], name=name, data=data)


# --- CSV as Excel writes it ---------------------------------------------------------------------

# Excel with Vietnamese regional settings: ";" between cells, CRLF, no BOM, quotes only around
# cells holding a ";" or a quote (doubled), the last cell of the row quoted.
EXCEL_SEMICOLON = (
    "STT;Đơn vị;Nước đến;Địa điểm;Mục đích;Trưởng đoàn;Số cán bộ;Số cá nhân khác;Ngày đi;"
    "Ngày về;Văn bản cho phép\r\n"
    '1;;Lào;"Phông-sa-lỳ; Luông-pha-bang";Hội đàm, ký kết;Ông A;1.624;1;03/04/2024;'
    '05/04/2024;"1/QĐ-UBND; 2/QĐ-UBND"\r\n'
    '2;;Trung Quốc;Vân Nam;"Dự hội chợ ""Côn Minh"", ký thoả thuận";Bà B;3;0;10/04/2024;'
    "12/04/2024;5/QĐ-UBND\r\n"
)


@pytest.mark.django_db
def test_excel_semicolon_csv_with_crlf_and_quoted_separators(office):
    data = EXCEL_SEMICOLON.encode("utf-8")
    table = readers.read_csv(data)
    assert table.headers == [readers.normalise_header(h) for h in HEADERS]
    report = run(office, data)
    assert report.ok, report.errors
    first, second = OutgoingDelegation.objects.order_by("start_date")
    assert first.destination_place == "Phông-sa-lỳ; Luông-pha-bang"
    assert first.purpose == "Hội đàm, ký kết"
    assert first.authorising_document == "1/QĐ-UBND; 2/QĐ-UBND"
    assert first.officials_count == 1624
    assert second.purpose == 'Dự hội chợ "Côn Minh", ký thoả thuận'


def test_semicolon_file_whose_rows_all_hold_one_comma_is_not_read_as_commas():
    # csv.Sniffer prefers "," when both separators occur equally often on every line.
    text = "Nước đến;Mục đích\r\nLào;Hội đàm, ký kết\r\nLào;Thăm, làm việc\r\n"
    table = readers.read_csv(text.encode("utf-8"))
    assert table.headers == ["nước đến", "mục đích"]
    assert table.rows[1] == (3, {"nước đến": "Lào", "mục đích": "Thăm, làm việc"})


def test_tab_separated_with_quoted_tab_and_line_break():
    text = 'Nước đến\tMục đích\tTrưởng đoàn\r\nLào\t"Hội đàm\tký kết\r\nlần 2"\tÔng A\r\n'
    table = readers.read_csv(text.encode("utf-8"))
    assert table.headers == ["nước đến", "mục đích", "trưởng đoàn"]
    assert table.rows == [
        (2, {"nước đến": "Lào", "mục đích": "Hội đàm\tký kết\nlần 2", "trưởng đoàn": "Ông A"})
    ]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_utf8_with_byte_order_mark(delimiter):
    text = delimiter.join(["STT", "Nước đến", "Mục đích"]) + "\r\n"
    text += delimiter.join(["1", "Lào", f'"Hội đàm{delimiter} ký kết"']) + "\r\n"
    table = readers.read_csv(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert table.headers == ["stt", "nước đến", "mục đích"]  # no "\ufeff" on the first
    assert table.rows[0][1]["mục đích"] == f"Hội đàm{delimiter} ký kết"


def test_one_column_file():
    table = readers.read_csv("Nước đến\nLào\nCam-pu-chia\n".encode())
    assert table.headers == ["nước đến"]
    assert [values["nước đến"] for _n, values in table.rows] == ["Lào", "Cam-pu-chia"]


# --- encodings ----------------------------------------------------------------------------------

TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258(text: str) -> bytes:
    """Text as Windows writes it in Windows-1258: â ê ô ă ơ ư đ precomposed, tone marks apart.

    Python's codec only maps characters one to one, so a letter it cannot encode is split
    (NFD) into its base letter, recomposed without the tone mark, and the tone mark after it.
    """
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
            tones = "".join(c for c in parts if c in TONE_MARKS)
            out.append((base + tones).encode("cp1258"))
    return b"".join(out)


def test_the_cp1258_helper_writes_combining_tone_marks():
    data = cp1258("Trưởng đoàn")
    assert b"\xfd" in data and b"\xd2" in data  # ư, then the combining hook above
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert unicodedata.normalize("NFC", data.decode("cp1258")) == "Trưởng đoàn"


@pytest.mark.django_db
def test_windows_1258_file_is_converted(office):
    data = cp1258(EXCEL_SEMICOLON)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    report = run(office, data)
    assert report.ok, report.errors
    first = OutgoingDelegation.objects.order_by("start_date").first()
    assert first.destination_place == "Phông-sa-lỳ; Luông-pha-bang"
    assert first.head == "Ông A"
    assert first.authorising_document == "1/QĐ-UBND; 2/QĐ-UBND"
    assert unicodedata.is_normalized("NFC", first.destination_place)


def test_the_code_page_that_alone_gives_the_expected_headers_is_taken():
    # 0xE3 is "ã" in Windows-1252 and "ă" in Windows-1258: each reading gives another header.
    data = "São Tomé;No\r\nSão Tomé;1\r\n".encode("cp1252")
    assert readers.decode_csv(data, ["São Tomé", "No"]).startswith("São Tomé;No")
    assert readers.decode_csv(data, ["Săo Tomé", "No"]).startswith("Săo Tomé;No")
    with pytest.raises(readers.UnreadableFile):
        readers.decode_csv(data, ["Sơn La", "No"])  # neither does: "No" alone proves nothing


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        # Windows-1258, but the header row is plain ASCII: nothing tells the code page
        cp1258("STT;Nuoc den;Muc dich\r\n1;Lào;Hội đàm\r\n"),
        # Windows-1258 headers that are not this register's
        cp1258("Họ và tên;Chức vụ\r\nNguyễn Văn A;Trưởng phòng\r\n"),
        # UTF-16, as Excel's "Unicode text"
        "Nước đến\tMục đích\r\nLào\tHội đàm\r\n".encode("utf-16"),
        # bytes no single-byte code page in the list can decode (0x81 is undefined in both)
        b"Ng\x81y \x90i;M\x81c\r\n",
    ],
    ids=["ascii-headers", "other-headers", "utf-16", "undecodable"],
)
def test_files_whose_encoding_cannot_be_told_are_refused_with_how_to_save_as_utf8(office, data):
    report = run(office, data)
    assert report.errors == [ImportIssue(0, "", UTF8_HELP)]
    assert not OutgoingDelegation.objects.exists()


def test_without_the_registers_headers_only_utf8_is_accepted():
    with pytest.raises(readers.UnreadableFile) as error:
        readers.read_csv(cp1258(EXCEL_SEMICOLON))
    assert error.value.code == "bad_encoding"


@pytest.mark.django_db
def test_csv_with_too_many_rows_names_the_limit(office, monkeypatch):
    monkeypatch.setattr(readers, "MAX_ROWS", 3)
    lines = [";".join(HEADERS)] + [f"{n};;Lào" for n in range(1, 6)]
    report = check(office, "\r\n".join(lines).encode(), "a.csv")
    assert report.errors == [
        ImportIssue(0, "", "Tệp có hơn 3 dòng dữ liệu; hãy chia thành các tệp nhỏ hơn.")
    ]


# --- XLSX bombs ---------------------------------------------------------------------------------

_PACKAGE = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def xlsx_by_hand(
    headers, row: bytes, count: int, *, dimension: str | None = None, extra: dict | None = None
) -> bytes:
    """A minimal XLSX: ``headers`` in row 1, then ``row`` (sheet XML) ``count`` times.

    Streamed into the zip in blocks: a two-million-row sheet costs a fraction of a second and
    a few hundred KB, as the file an officer uploaded did.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in {**_PACKAGE, **(extra or {})}.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/')
            sheet.write(b'main">')
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData><row>")
            for header in headers:
                sheet.write(f'<c t="inlineStr"><is><t>{header}</t></is></c>'.encode())
            sheet.write(b"</row>")
            whole, rest = divmod(count, 10_000)
            block = row * 10_000
            for _ in range(whole):
                sheet.write(block)
            sheet.write(row * rest)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def measured(function, *args):
    """(result or raised UnreadableFile, seconds, peak traced memory in MB)."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        outcome = function(*args)
    except readers.UnreadableFile as error:
        outcome = error
    finally:
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return outcome, seconds, peak


@pytest.mark.django_db
def test_xlsx_of_two_million_rows_is_refused_quickly_in_little_memory(office):
    # No <dimension>, rows and cells without "r": openpyxl used to parse the whole sheet when
    # the file was opened, keeping every row, then the reader listed every row (96 s, 900 MB).
    data = xlsx_by_hand(HEADERS, b"<row><c><v>1</v></c></row>", 2_000_000)
    assert len(data) < 1_000_000
    outcome, seconds, peak = measured(readers.read_xlsx, data)
    assert isinstance(outcome, readers.UnreadableFile)
    assert (outcome.code, outcome.limit) == ("too_many_rows", readers.MAX_ROWS)
    assert peak < 50, f"peak {peak:.0f} MB"
    assert seconds < 20, f"{seconds:.1f} s"  # about 1 s, several with tracemalloc on
    report = check(office, data, "bom.xlsx")
    assert report.errors == [
        ImportIssue(0, "", "Tệp có hơn 20.000 dòng dữ liệu; hãy chia thành các tệp nhỏ hơn.")
    ]


@pytest.mark.django_db
def test_xlsx_of_two_million_blank_rows_is_refused_at_the_sheet_limit(office, monkeypatch):
    monkeypatch.setattr(readers, "MAX_SHEET_ROWS", 5_000)  # 100.000 by default; keep it fast
    data = xlsx_by_hand(HEADERS, b"<row/>", 2_000_000)
    outcome, _seconds, peak = measured(readers.read_xlsx, data)
    assert (outcome.code, outcome.limit) == ("too_many_sheet_rows", 5_000)
    assert peak < 50
    report = check(office, data, "trong.xlsx")
    assert report.errors == [
        ImportIssue(
            0,
            "",
            "Trang tính có hơn 5.000 dòng, kể cả dòng trống; hãy xoá các dòng trống hoặc chia "
            "thành các tệp nhỏ hơn.",
        )
    ]


def test_xlsx_declaring_16384_columns_is_read_only_up_to_the_last_header():
    # Every row was padded to the declared width: 5,000 rows x 16,384 columns = 650 MB.
    row = b'<row><c t="inlineStr"><is><t>L\xc3\xa0o</t></is></c><c><v>2</v></c></row>'
    data = xlsx_by_hand(["Nước đến", "Số cán bộ"], row, 5_000, dimension="A1:XFD5001")
    table, _seconds, peak = measured(readers.read_xlsx, data)
    assert len(table.rows) == 5_000
    assert table.rows[-1] == (5_001, {"nước đến": "Lào", "số cán bộ": 2})
    assert peak < 50, f"peak {peak:.0f} MB"


def test_xlsx_cells_beyond_the_last_header_are_not_read():
    far = b'<row><c r="A{n}"><v>1</v></c><c r="XFD{n}"><v>9</v></c></row>'
    data = xlsx_by_hand(["Số cán bộ"], far.replace(b"{n}", b"2"), 1, dimension="A1:XFD2")
    assert readers.read_xlsx(data).rows == [(2, {"số cán bộ": 1})]


def test_xlsx_whose_declared_size_is_too_small_is_read_whole():
    data = xlsx_by_hand(["Số cán bộ"], b"<row><c><v>7</v></c></row>", 30, dimension="A1")
    assert len(readers.read_xlsx(data).rows) == 30


@pytest.mark.django_db
def test_xlsx_header_row_across_every_column_is_refused(office):
    data = xlsx_by_hand(["Nước đến"] * 16_384, b"", 0)
    report = check(office, data, "rong.xlsx")
    assert report.errors == [
        ImportIssue(0, "", "Dòng tiêu đề có hơn 64 cột; hãy xoá các cột không cần thiết.")
    ]


@pytest.mark.django_db
def test_xlsx_whose_shared_strings_unpack_too_large_is_refused(office, monkeypatch):
    # openpyxl reads the shared strings whole when the file is opened: their size is checked
    # before (the limit is 100 MB; 2 MB here to keep the test small).
    monkeypatch.setattr(readers, "MAX_XLSX_PART_BYTES", 2 * 1024 * 1024)
    strings = "<sst>" + "<si><t>Phông-sa-lỳ</t></si>" * 100_000 + "</sst>"
    data = xlsx_by_hand(HEADERS, b"", 0, extra={"xl/sharedStrings.xml": strings})
    assert len(data) < 100_000
    report = check(office, data, "chuoi.xlsx")
    assert report.errors == [
        ImportIssue(0, "", "Tệp XLSX khi giải nén lớn hơn 2 MB; hãy chia thành các tệp nhỏ hơn.")
    ]


def test_damaged_xlsx_is_refused():
    good = xlsx_by_hand(["Số cán bộ"], b"<row><c><v>7</v></c></row>", 3)
    broken = good.replace(b"PK\x01\x02", b"XX\x01\x02")  # the central directory
    for data in (b"", b"PK\x03\x04 truncated", broken):
        with pytest.raises(readers.UnreadableFile) as error:
            readers.read_xlsx(data)
        assert error.value.code == "bad_xlsx"
