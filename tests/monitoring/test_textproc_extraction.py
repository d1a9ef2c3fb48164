"""Extraction with trafilatura (doingoai.textproc.extraction)."""

from datetime import UTC, datetime

from doingoai.textproc.extraction import NO_TEXT, OK, extract_article, guess_language

from .site import A3_BODY, article_html


def test_extracts_title_text_date_author_and_language():
    html = article_html(
        "Sa Pa đón gần 600 nghìn lượt khách",
        A3_BODY,
        date="2024-03-13T08:00:00+07:00",
        author="Minh Châu",
        site="Báo Biên Cương",
    )
    extracted = extract_article(html, url="https://baobiencuong.vn/a3.html")
    assert extracted.status == OK
    assert extracted.title == "Sa Pa đón gần 600 nghìn lượt khách"
    assert "Fansipan" in extracted.text
    assert "Giấy phép" not in extracted.text  # boilerplate left out
    assert "Trang chủ" not in extracted.text
    assert extracted.author == "Minh Châu"
    assert extracted.published == datetime(2024, 3, 13, 1, 0, tzinfo=UTC)
    assert extracted.language == "vi"


def test_a_page_without_text_keeps_its_metadata():
    html = (
        "<html lang='vi'><head><title>Video: chợ phiên</title></head>"
        "<body><video src='v.mp4'></video></body></html>"
    ).encode()
    extracted = extract_article(html, url="https://baobiencuong.vn/video.html")
    assert extracted.status == NO_TEXT
    assert extracted.text == ""
    assert extracted.title == "Video: chợ phiên"
    assert extract_article(b"", url="").status == NO_TEXT


def test_guess_language():
    assert guess_language("Tỉnh Lào Cai đón hơn một triệu lượt khách du lịch trong năm") == "vi"
    assert guess_language("khong biet nguoi ta noi gi ve lao cai nhe ban oi") == "vi"
    assert guess_language("The province of Lao Cai borders Yunnan in the north") == "en"
    assert guess_language("老街省位于越南西北部，与中国云南省接壤。") == "zh"
    assert guess_language("ແຂວງລາວກາຍ ຕັ້ງຢູ່ພາກເໜືອ") == "lo"
    assert guess_language("", html_lang="vi-VN") == "vi"
