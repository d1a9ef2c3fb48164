# ruff: noqa: E501 - the sentence templates are data, kept one per line
"""Synthetic Vietnamese news pages for the monitoring ingest benchmark (no Django).

Each page is a full news-site page as provincial and national papers publish them: a header
with the site's menu, breadcrumbs, a headline, a lead (sapo), a byline and date, 3-14 body
paragraphs, a photo caption, "related news" links, a comment form, a footer and the usual
inline scripts and styles, so that extraction has boilerplate to strip. The sentences are
assembled from hand-written templates and slot words (places of Lào Cai, agencies, figures,
dates) per topic, so no two stories are alike unless planted:

- ``dup_rate`` of the pages republish an earlier story on another site with a new headline
  and one paragraph rewritten (near-duplicates the pipeline should join);
- ``copy_rate`` of the pages copy an earlier story word for word on another site (exact
  duplicates).
"""

from __future__ import annotations

import html
import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

SITES = (
    ("bao-bien-cuong", "Báo Biên Cương"),
    ("tin-vung-cao", "Tin Vùng Cao"),
    ("dai-phat-thanh", "Đài Phát thanh – Truyền hình tỉnh"),
    ("tap-chi-que-huong", "Tạp chí Quê Hương"),
    ("cong-tin-huyen", "Cổng tin huyện"),
    ("bao-kinh-te-mien-nui", "Báo Kinh tế Miền núi"),
)
PLACES = (
    "Lào Cai",
    "Sa Pa",
    "Bát Xát",
    "Mường Khương",
    "Bắc Hà",
    "Bảo Thắng",
    "Bảo Yên",
    "Văn Bàn",
    "Si Ma Cai",
    "Y Tý",
    "Tả Van",
    "Cốc Lếu",
    "Kim Thành",
    "Bản Vược",
    "Phong Niên",
)
AGENCIES = (
    "UBND tỉnh",
    "Sở Du lịch",
    "Sở Công Thương",
    "Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
    "Sở Nông nghiệp và Môi trường",
    "Ban Quản lý khu kinh tế",
    "Sở Ngoại vụ",
    "Công an tỉnh",
    "Hội Nông dân tỉnh",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Ban Dân tộc tỉnh",
)
PEOPLE = ("Thu Hà", "Quốc Hưng", "Minh Châu", "Văn Long", "Thanh Tâm", "Đức Anh", "Lan Phương")
GOODS = ("thanh long", "chuối", "vải thiều", "dứa", "quế", "chè Shan tuyết", "mận Bắc Hà")

TOPICS = {
    "du-lich": {
        "titles": (
            "{place} đón {n} nghìn lượt khách trong dịp lễ",
            "Phát triển du lịch cộng đồng ở {place}",
            "Lễ hội mùa xuân thu hút du khách đến {place}",
            "{agency} ra mắt tour trải nghiệm mới tại {place}",
        ),
        "sentences": (
            "Trong {days} ngày nghỉ lễ, {place} đón khoảng {n} nghìn lượt khách, tăng {pct}% so với cùng kỳ năm trước.",
            "Nhiều homestay ở {place} kín phòng từ sớm, giá dịch vụ được niêm yết công khai theo hướng dẫn của {agency}.",
            "Du khách quốc tế chủ yếu đến từ châu Âu, Hàn Quốc và Trung Quốc; nhiều người chọn ở lại bản để trải nghiệm văn hoá của đồng bào Mông, Dao.",
            "{agency} phối hợp với các hãng lữ hành xây dựng sản phẩm gắn với chợ phiên, ẩm thực và nghề thủ công truyền thống.",
            "Lực lượng chức năng bố trí {m} tổ công tác bảo đảm an ninh trật tự và hướng dẫn giao thông trên các tuyến đường lên {place}.",
            "Doanh thu từ du lịch ước đạt {money} tỷ đồng, trong đó dịch vụ lưu trú và ăn uống chiếm phần lớn.",
        ),
    },
    "kinh-te": {
        "titles": (
            "Xuất khẩu {good} qua cửa khẩu {place} tăng mạnh",
            "{agency} tháo gỡ khó khăn cho doanh nghiệp ở {place}",
            "Kim ngạch xuất nhập khẩu quý {q} đạt {money} triệu USD",
            "Nông dân {place} thu hoạch {good} đạt năng suất cao",
        ),
        "sentences": (
            "Từ đầu năm đến nay, mỗi ngày có khoảng {m} xe {good} được làm thủ tục thông quan qua cửa khẩu {place}.",
            "{agency} cho biết kim ngạch xuất nhập khẩu quý {q} ước đạt {money} triệu USD, tăng {pct}% so với cùng kỳ.",
            "Các doanh nghiệp kiến nghị tiếp tục cải cách thủ tục hành chính, kéo dài thời gian làm việc tại cửa khẩu trong mùa cao điểm.",
            "Vùng trồng {good} của huyện {place} đã được cấp {m} mã số vùng trồng phục vụ xuất khẩu chính ngạch.",
            "Giá {good} đầu vụ dao động từ {n} đến {n2} nghìn đồng mỗi ki-lô-gam, cao hơn năm trước.",
            "Tỉnh đặt mục tiêu thu hút thêm {m} dự án đầu tư mới vào khu kinh tế cửa khẩu trong năm nay.",
        ),
    },
    "bien-gioi": {
        "titles": (
            "Tuần tra song phương trên tuyến biên giới {place}",
            "Đồn Biên phòng {place} tuyên truyền pháp luật cho bà con",
            "Giữ vững chủ quyền, an ninh biên giới ở {place}",
        ),
        "sentences": (
            "Bộ đội Biên phòng tỉnh phối hợp với lực lượng quản lý biên giới nước bạn tổ chức tuần tra song phương đoạn biên giới qua {place}.",
            "Trong năm, các đồn biên phòng tổ chức {m} buổi tuyên truyền về Hiệp định quản lý biên giới và quy chế cửa khẩu cho hơn {n} nghìn lượt người dân.",
            "Các tổ tự quản đường biên, cột mốc ở {place} duy trì tuần tra định kỳ, kịp thời báo cáo các vụ việc bất thường.",
            "Hai bên trao đổi {m} thư hội đàm, thống nhất tăng cường phối hợp phòng chống buôn lậu và xuất nhập cảnh trái phép.",
            "Đồn biên phòng {place} giúp người dân sửa nhà, làm đường và hỗ trợ học sinh nghèo trước năm học mới.",
        ),
    },
    "xa-hoi": {
        "titles": (
            "Mưa lớn gây sạt lở tại {place}",
            "{place} hỗ trợ học sinh vùng cao đến trường",
            "Bảo đảm nước sạch cho bà con {place} mùa khô",
            "Cảnh báo thông tin sai sự thật về {place} trên mạng xã hội",
        ),
        "sentences": (
            "Mưa lớn kéo dài gây sạt lở {m} điểm trên các tuyến đường liên xã của {place}; lực lượng chức năng đã khắc phục, bảo đảm giao thông.",
            "Ban Chỉ huy phòng chống thiên tai yêu cầu các xã rà soát khu vực nguy cơ cao, chủ động di dời {m} hộ dân đến nơi an toàn.",
            "Năm học này, {place} có hơn {n} nghìn học sinh bán trú được hỗ trợ gạo và tiền ăn theo chính sách của Nhà nước.",
            "Một số tài khoản mạng xã hội lan truyền tin đồn thất thiệt về vụ việc ở {place}; {agency} khẳng định đây là thông tin sai sự thật.",
            "Người dân được khuyến cáo không chia sẻ thông tin chưa được kiểm chứng và theo dõi thông báo chính thức trên hệ thống truyền thanh cơ sở.",
            "Công trình cấp nước sinh hoạt tập trung ở {place} đưa vào sử dụng, phục vụ {m} hộ dân.",
        ),
    },
    "hop-tac": {
        "titles": (
            "Lào Cai và Vân Nam tăng cường hợp tác thương mại",
            "{agency} tiếp đoàn công tác nước ngoài",
            "Ký kết bản ghi nhớ hợp tác truyền thông giai đoạn {year}–{year2}",
        ),
        "sentences": (
            "Đoàn công tác của tỉnh có buổi làm việc với chính quyền châu Hồng Hà về hợp tác thương mại, du lịch và giao lưu nhân dân qua biên giới.",
            "Hai bên thống nhất tổ chức hội chợ thương mại quốc tế luân phiên tại thành phố Lào Cai và Hà Khẩu vào quý {q}.",
            "{agency} cho biết trong năm đã đón {m} đoàn khách quốc tế với hơn {n} lượt người đến làm việc, tìm hiểu cơ hội đầu tư.",
            "Bản ghi nhớ về hợp tác truyền thông giai đoạn {year}–{year2} mở ra cơ hội trao đổi tin bài, đào tạo phóng viên và sản xuất chương trình chung.",
            "Phía bạn đánh giá cao sự chủ động của tỉnh trong trao đổi thông tin và đề nghị sớm khai trương tuyến du lịch xuyên biên giới.",
        ),
    },
    "quoc-phong": {
        "titles": (
            "Diễn tập khu vực phòng thủ huyện {place}",
            "Bảo đảm an ninh trật tự dịp lễ hội ở {place}",
        ),
        "sentences": (
            "Cuộc diễn tập khu vực phòng thủ huyện {place} huy động {m} lượt cán bộ, chiến sĩ và dân quân tự vệ tham gia.",
            "Công an tỉnh triển khai {m} tổ công tác bảo đảm an ninh trật tự tại các điểm du lịch và lễ hội ở {place}.",
            "Qua diễn tập, lực lượng vũ trang địa phương nâng cao khả năng phối hợp xử lý các tình huống phức tạp về an ninh nông thôn.",
            "Các lực lượng tuyên truyền người dân cảnh giác với các đối tượng lợi dụng mạng xã hội để xuyên tạc, kích động.",
        ),
    },
}
COMMON = (
    "Phát biểu tại buổi làm việc, lãnh đạo {agency} đề nghị các đơn vị tiếp tục phối hợp chặt chẽ, triển khai đồng bộ các giải pháp đã đề ra.",
    "Theo kế hoạch, đến cuối năm {year}, tỉnh phấn đấu hoàn thành {pct}% chỉ tiêu của chương trình.",
    "Ông {person}, người dân thôn {place}, cho biết cuộc sống của gia đình đã khá hơn nhiều so với những năm trước.",
    "Cũng trong dịp này, {agency} trao {m} suất quà cho các hộ gia đình có hoàn cảnh khó khăn.",
)


@dataclass
class Page:
    number: int
    site: str
    site_name: str
    title: str
    lead: str
    paragraphs: list[str]
    published: datetime
    author: str
    kind: str = "new"  # new, near (republished with edits) or copy (word for word)
    origin: int | None = None
    html: bytes = field(default=b"", repr=False)

    @property
    def path(self) -> str:
        return f"/{self.site}/tin/{self.number:05d}.html"


def _fill(template: str, rng: random.Random) -> str:
    year = rng.randint(2022, 2026)
    return template.format(
        place=rng.choice(PLACES),
        agency=rng.choice(AGENCIES),
        person=rng.choice(PEOPLE),
        good=rng.choice(GOODS),
        n=rng.randint(2, 600),
        n2=rng.randint(601, 900),
        m=rng.randint(3, 250),
        pct=rng.randint(3, 95),
        money=f"{rng.randint(10, 990)},{rng.randint(0, 9)}",
        days=rng.randint(3, 9),
        q=rng.choice(("I", "II", "III", "IV")),
        year=year,
        year2=year + 5,
    )


def _paragraph(topic: dict, rng: random.Random) -> str:
    pool = topic["sentences"] + COMMON
    return " ".join(_fill(rng.choice(pool), rng) for _ in range(rng.randint(2, 4)))


def new_story(number: int, rng: random.Random, now: datetime) -> Page:
    topic = TOPICS[rng.choice(list(TOPICS))]
    site, site_name = rng.choice(SITES)
    return Page(
        number=number,
        site=site,
        site_name=site_name,
        title=_fill(rng.choice(topic["titles"]), rng),
        lead=_paragraph(topic, rng),
        paragraphs=[_paragraph(topic, rng) for _ in range(rng.randint(3, 14))],
        published=now - timedelta(minutes=rng.randint(5, 60 * 24 * 3)),
        author=rng.choice(PEOPLE),
    )


def republish(number: int, origin: Page, rng: random.Random, *, exact: bool) -> Page:
    site, site_name = rng.choice([s for s in SITES if s[0] != origin.site])
    paragraphs = list(origin.paragraphs)
    title = origin.title
    if not exact:
        topic = TOPICS[rng.choice(list(TOPICS))]
        paragraphs[rng.randrange(len(paragraphs))] = _paragraph(topic, rng)
        title = f"{origin.title} ({rng.choice(('cập nhật', 'tin mới', 'ảnh'))})"
    return Page(
        number=number,
        site=site,
        site_name=site_name,
        title=title,
        lead=origin.lead,
        paragraphs=paragraphs,
        published=origin.published + timedelta(minutes=rng.randint(10, 300)),
        author=rng.choice(PEOPLE),
        kind="copy" if exact else "near",
        origin=origin.number,
    )


def _menu(site_name: str) -> str:
    sections = (
        "Thời sự",
        "Kinh tế",
        "Du lịch",
        "Biên giới",
        "Quốc phòng – an ninh",
        "Xã hội",
        "Hợp tác quốc tế",
        "Video",
        "Ảnh",
        "English",
        "中文",
    )
    links = "".join(f'<li><a href="/chuyen-muc/{n}/">{s}</a></li>' for n, s in enumerate(sections))
    return (
        f'<header class="site-header"><div class="logo"><a href="/">{site_name}</a></div>'
        f'<nav aria-label="Chuyên mục"><ul class="menu">{links}</ul></nav>'
        '<form class="search" action="/tim-kiem/"><input name="q" placeholder="Tìm kiếm">'
        "<button>Tìm</button></form></header>"
    )


def _related(page: Page, rng: random.Random) -> str:
    items = "".join(
        f'<li><a href="/{page.site}/tin/{rng.randint(1, 99999):05d}.html">'
        f"{html.escape(_fill(rng.choice(TOPICS['du-lich']['titles']), rng))}</a></li>"
        for _ in range(rng.randint(4, 10))
    )
    return f'<aside class="related"><h3>Tin liên quan</h3><ul>{items}</ul></aside>'


SCRIPT = (
    "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}"
    "gtag('js',new Date());gtag('config','G-XXXX');"
    "(function(){var a=document.querySelectorAll('.share a');for(var i=0;i<a.length;i++)"
    "{a[i].addEventListener('click',function(e){e.preventDefault();window.open(this.href,'s',"
    "'width=600,height=400')})}})();</script>"
)
STYLE = (
    "<style>body{font-family:Arial,sans-serif;margin:0}.menu{display:flex;gap:1rem;"
    "list-style:none}.article h1{font-size:2rem}.sapo{font-weight:bold}.related li{margin:.3rem 0}"
    ".footer{background:#222;color:#eee;padding:2rem}</style>"
)


SUBSECTIONS = (
    "Chính trị",
    "Xây dựng Đảng",
    "Nông nghiệp",
    "Đầu tư",
    "Doanh nghiệp",
    "Thị trường",
    "Điểm đến",
    "Ẩm thực",
    "Lễ hội",
    "Cửa khẩu",
    "Đối ngoại",
    "An ninh trật tự",
    "Pháp luật",
    "Giáo dục",
    "Y tế",
    "Văn hoá",
    "Thể thao",
    "Dân tộc – miền núi",
    "Khoa học – công nghệ",
    "Môi trường",
    "Bạn đọc",
    "Phóng sự",
    "Ảnh",
    "Video",
    "Podcast",
    "Infographic",
)


def _mega_menu(rng: random.Random) -> str:
    groups = []
    for start in range(0, len(SUBSECTIONS), 4):
        links = "".join(
            f'<li class="sub"><a href="/chuyen-muc/{start + k}/" title="{name}">'
            f'<svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><path d="M4 2l8 6-8 6z"/>'
            f"</svg><span>{name}</span></a></li>"
            for k, name in enumerate(SUBSECTIONS[start : start + 4])
        )
        groups.append(f'<li class="group"><ul class="submenu">{links}</ul></li>')
    return f'<nav class="mega-menu" aria-label="Tất cả chuyên mục"><ul>{"".join(groups)}</ul></nav>'


def _news_list(title: str, css: str, rng: random.Random, count: int, *, leads: bool) -> str:
    items = []
    for _ in range(count):
        topic = TOPICS[rng.choice(list(TOPICS))]
        headline = html.escape(_fill(rng.choice(topic["titles"]), rng))
        number = rng.randint(1, 99999)
        lead = (
            f'<p class="lead">{html.escape(_fill(rng.choice(topic["sentences"]), rng))}</p>'
            if leads
            else ""
        )
        items.append(
            f'<li class="story"><a class="thumb" href="/tin/{number:05d}.html">'
            f'<img src="/anh/thumb-{number}.jpg" alt="{headline}" loading="lazy" width="120" '
            f'height="80"></a><div class="info"><a class="title" href="/tin/{number:05d}.html">'
            f'{headline}</a><span class="time">{rng.randint(1, 23)} giờ trước</span>{lead}</div></li>'
        )
    return f'<section class="{css}"><h3>{title}</h3><ul>{"".join(items)}</ul></section>'


def _footer_sitemap() -> str:
    columns = []
    for start in range(0, len(SUBSECTIONS), 6):
        links = "".join(
            f'<li><a href="/chuyen-muc/{start + k}/">{name}</a></li>'
            for k, name in enumerate(SUBSECTIONS[start : start + 6])
        )
        columns.append(f'<ul class="col">{links}</ul>')
    return f'<div class="footer-sitemap">{"".join(columns)}</div>'


def _json_ld(page: Page) -> str:
    return (
        '<script type="application/ld+json">{"@context":"https://schema.org","@type":'
        f'"NewsArticle","headline":{json.dumps(page.title, ensure_ascii=False)},'
        f'"datePublished":"{page.published.isoformat()}","author":{{"@type":"Person","name":'
        f'{json.dumps(page.author, ensure_ascii=False)}}},"publisher":{{"@type":"Organization",'
        f'"name":{json.dumps(page.site_name, ensure_ascii=False)}}}}}</script>'
    )


ADS = (
    '<div class="ad" data-slot="{slot}"><script>(window.adq=window.adq||[]).push({{slot:'
    '"{slot}",sizes:[[300,250],[300,600]],targeting:{{section:"tin-tuc",lang:"vi"}}}});'
    '</script><noscript><a href="/quang-cao/"><img src="/qc/{slot}.jpg" alt="Quảng cáo">'
    "</a></noscript></div>"
)


def _full_chrome(page: Page, rng: random.Random) -> tuple[str, str, str]:
    """(head, before the article, after the article) of a full news-site page."""
    head = _json_ld(page) + SCRIPT * 3
    top = _mega_menu(rng) + ADS.format(slot="top-banner")
    side = (
        '<aside class="sidebar">'
        + _news_list("Đọc nhiều", "most-read", rng, 10, leads=False)
        + ADS.format(slot="sidebar-1")
        + _news_list("Tin mới", "latest", rng, 15, leads=False)
        + ADS.format(slot="sidebar-2")
        + "</aside>"
    )
    tags = "".join(
        f'<a class="tag" href="/tu-khoa/{n}/">#{html.escape(place)}</a>'
        for n, place in enumerate(rng.sample(PLACES, 5))
    )
    bottom = (
        f'<div class="tags">{tags}</div>'
        + _news_list("Cùng chuyên mục", "same-section", rng, 8, leads=True)
        + side
        + _footer_sitemap()
    )
    return head, top, bottom


def render(page: Page, rng: random.Random, *, full: bool = True) -> bytes:
    esc = html.escape
    date = page.published.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    shown = page.published.strftime("%d/%m/%Y %H:%M")
    body = "".join(f"<p>{esc(text)}</p>" for text in page.paragraphs)
    if len(page.paragraphs) > 4:
        body = body.replace(
            "</p>",
            '</p><figure><img src="/anh/1.jpg" alt=""><figcaption>Ảnh: '
            f"{esc(page.author)}</figcaption></figure>",
            1,
        )
    head, top, bottom = _full_chrome(page, rng) if full else ("", "", "")
    document = (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        f"<title>{esc(page.title)} | {esc(page.site_name)}</title>"
        f'<meta name="description" content="{esc(page.lead[:160])}">'
        f'<meta name="author" content="{esc(page.author)}">'
        f'<meta property="og:title" content="{esc(page.title)}">'
        f'<meta property="article:published_time" content="{date}">'
        f"{STYLE}{SCRIPT}{head}</head><body>{_menu(page.site_name)}{top}"
        '<div class="breadcrumb"><a href="/">Trang chủ</a> › <a href="/chuyen-muc/0/">Thời sự</a>'
        '</div><main><article class="article">'
        f'<h1>{esc(page.title)}</h1><div class="meta"><span class="date">{shown}</span> '
        f'<span class="author">{esc(page.author)}</span></div>'
        f'<p class="sapo">{esc(page.lead)}</p>{body}'
        f'<p class="signature"><strong>{esc(page.author)}</strong></p>'
        '<div class="share"><a href="https://facebook.com/sharer">Chia sẻ</a> '
        '<a href="https://zalo.me/share">Zalo</a></div></article>'
        f"{_related(page, rng)}"
        '<section class="comments"><h3>Bình luận</h3><form><textarea name="c"></textarea>'
        f"<button>Gửi bình luận</button></form></section>{bottom}</main>"
        f'<footer class="footer">© {esc(page.site_name)}. Giấy phép số {rng.randint(1, 300)}/GP-BTTTT. '
        "Địa chỉ: đường Hoàng Liên, phường Cốc Lếu. Điện thoại: 0214 3840 000.</footer>"
        f"{SCRIPT}</body></html>"
    )
    return document.encode()


def build_corpus(
    n: int,
    *,
    seed: int = 20261124,
    dup_rate: float = 0.15,
    copy_rate: float = 0.05,
    full: bool = True,
) -> list[Page]:
    """``n`` pages, rendered; republications point at an earlier page of another site."""
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    pages: list[Page] = []
    originals: list[Page] = []
    for number in range(1, n + 1):
        draw = rng.random()
        if originals and draw < dup_rate:
            page = republish(number, rng.choice(originals), rng, exact=False)
        elif originals and draw < dup_rate + copy_rate:
            page = republish(number, rng.choice(originals), rng, exact=True)
        else:
            page = new_story(number, rng, now)
            originals.append(page)
        page.html = render(page, rng, full=full)
        pages.append(page)
    return pages


def rss(base: str, title: str, pages: list[Page]) -> bytes:
    items = "".join(
        f"<item><title>{html.escape(p.title)}</title><link>{base}{p.path}</link>"
        f"<guid>{base}{p.path}</guid>"
        f"<pubDate>{p.published.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
        f"<description>{html.escape(p.lead[:200])}</description></item>"
        for p in pages
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{html.escape(title)}</title><link>{base}/</link>"
        f"<description>Tin mới</description>{items}</channel></rss>"
    ).encode()
