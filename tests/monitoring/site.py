"""A small news site for the monitoring tests, served on 127.0.0.1 by ``http.server``.

The articles are short Vietnamese texts written for these tests. ``a2`` is ``a1``
republished by another paper with a new headline and one sentence changed (a near-duplicate);
``/khac/a3-ban-sao.html`` is ``a3`` word for word at another address (an exact duplicate).
"""

from __future__ import annotations

import gzip
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

A1_BODY = [
    "Sáng 12/3, tại cửa khẩu quốc tế Lào Cai, đoàn công tác của tỉnh Lào Cai đã có buổi làm "
    "việc với chính quyền châu Hồng Hà, tỉnh Vân Nam, Trung Quốc về việc tăng cường hợp tác "
    "thương mại qua biên giới.",
    "Hai bên thống nhất đẩy nhanh thủ tục thông quan hàng nông sản, kéo dài thời gian làm việc "
    "tại cửa khẩu Kim Thành trong mùa cao điểm và phối hợp chặt chẽ trong công tác quản lý "
    "xuất nhập cảnh.",
    "Phát biểu tại buổi làm việc, lãnh đạo tỉnh cho biết năm qua kim ngạch xuất nhập khẩu qua "
    "các cửa khẩu của tỉnh tiếp tục tăng, trong đó nông sản là mặt hàng chủ lực của người dân "
    "các huyện Bát Xát, Mường Khương và Bảo Thắng.",
    "Phía bạn đánh giá cao sự chủ động của tỉnh trong việc trao đổi thông tin, đồng thời đề "
    "nghị hai bên sớm tổ chức hội chợ thương mại quốc tế luân phiên tại thành phố Lào Cai và "
    "thị trấn Hà Khẩu vào cuối năm nay.",
]
A2_BODY = [
    *A1_BODY[:3],
    "Phía bạn đánh giá cao sự chủ động của tỉnh trong việc trao đổi thông tin, đồng thời đề "
    "nghị hai bên sớm tổ chức hội chợ thương mại quốc tế luân phiên tại thành phố Lào Cai và "
    "thị trấn Hà Khẩu trong quý IV.",
]
A3_BODY = [
    "Trong hai tháng đầu năm, thị xã Sa Pa đón gần 600 nghìn lượt khách du lịch, tăng mạnh so "
    "với cùng kỳ năm trước; nhiều du khách lên đỉnh Fansipan để ngắm băng tuyết.",
    "Các bản Cát Cát, Tả Van và Lao Chải được du khách quốc tế lựa chọn để trải nghiệm văn hoá "
    "của đồng bào Mông, Dao đỏ. Chính quyền địa phương khuyến cáo du khách không tự ý leo núi "
    "khi thời tiết xấu và chỉ đi theo các tuyến đã được cấp phép.",
    "Ngành du lịch tỉnh đang phối hợp với các hãng lữ hành đưa ra nhiều gói sản phẩm mới, gắn "
    "với chợ phiên Bắc Hà và các lễ hội truyền thống vào dịp đầu xuân.",
]
A4_BODY = [
    "Mưa lớn kéo dài trong đêm đã gây sạt lở tại một số tuyến đường liên xã của huyện Văn Bàn. "
    "Lực lượng chức năng đã có mặt để khắc phục, bảo đảm giao thông thông suốt.",
    "Ban Chỉ huy phòng chống thiên tai của huyện yêu cầu các xã rà soát những khu vực có nguy "
    "cơ cao, chủ động di dời các hộ dân đến nơi an toàn và thông báo kịp thời trên hệ thống "
    "truyền thanh cơ sở.",
    "Người dân được khuyến cáo không đi qua các ngầm tràn khi nước dâng cao và theo dõi thông "
    "tin dự báo thời tiết trên các phương tiện thông tin đại chúng.",
]
SECRET_BODY = [
    "Trang này chỉ dành cho nội bộ và không được phép thu thập tự động theo tệp robots.txt của "
    "trang tin. Nội dung chỉ để kiểm tra rằng hệ thống tôn trọng quy định này."
]


def article_html(title: str, paragraphs: list[str], *, date: str, author: str, site: str) -> bytes:
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        f"<title>{title} | {site}</title>"
        f'<meta name="author" content="{author}">'
        f'<meta property="article:published_time" content="{date}">'
        "</head><body><header><nav><a href='/'>Trang chủ</a> <a href='/tin-tuc/'>Tin tức</a>"
        "</nav></header>"
        f"<main><article><h1>{title}</h1>{body}</article></main>"
        f"<footer>© {site}. Giấy phép số 12/GP-BTTTT.</footer></body></html>"
    ).encode()


def rss(base: str, items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link>"
        f"<pubDate>{date}</pubDate><description>{title}</description></item>"
        for path, title, date in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Báo Biên Cương</title><link>{base}/</link><description>Tin tức</description>"
        f"{entries}</channel></rss>"
    ).encode()


def atom(base: str, items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(
        f'<entry><title>{title}</title><link href="{base}{path}"/><id>{base}{path}</id>'
        f"<updated>{date}</updated><author><name>Phóng viên</name></author></entry>"
        for path, title, date in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Tạp chí Vùng cao</title><id>{base}/atom</id>"
        "<updated>2024-03-13T00:00:00Z</updated>"
        f"{entries}</feed>"
    ).encode()


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # before the headers
    drip: float = 0.0  # between body bytes
    header_drip: float = 0.0  # between bytes of the status line and headers
    no_length: bool = False  # no Content-Length: the client only learns the size by reading


class TestSite:
    """Routes of the test site; tests may add or change routes and read the hit counts."""

    __test__ = False

    def __init__(self) -> None:
        self.base = ""
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, dict]] = []
        self.routes: dict = {}
        self.flaky_failures = 0

    def reset(self) -> None:
        self.hits.clear()
        self.requests.clear()
        self.flaky_failures = 0
        self.routes = self.default_routes()

    def url(self, path: str) -> str:
        return self.base + path

    def default_routes(self) -> dict:
        base = self.base
        feed_items = [
            (
                "/articles/a1.html",
                "Lào Cai và Vân Nam tăng cường hợp tác thương mại",
                "Tue, 12 Mar 2024 09:00:00 +0700",
            ),
            (
                "/articles/a2.html",
                "Đẩy mạnh thông quan nông sản qua cửa khẩu Lào Cai",
                "Tue, 12 Mar 2024 15:30:00 +0700",
            ),
            (
                "/articles/a3.html",
                "Sa Pa đón gần 600 nghìn lượt khách",
                "Wed, 13 Mar 2024 08:00:00 +0700",
            ),
        ]
        atom_items = [
            ("/articles/a3.html", "Sa Pa đón gần 600 nghìn lượt khách", "2024-03-13T01:00:00Z"),
            ("/articles/a4.html", "Sạt lở đường liên xã ở Văn Bàn", "2024-03-14T02:00:00Z"),
        ]
        sitemap = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{base}/articles/a1.html</loc><lastmod>2024-03-12</lastmod></url>"
            f"<url><loc>{base}/articles/a4.html</loc><lastmod>2024-03-14</lastmod></url>"
            "<url><loc>https://other.example/elsewhere.html</loc></url>"
            "</urlset>"
        ).encode()
        news_sitemap = gzip.compress(
            (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
                f"<url><loc>{base}/articles/a3.html</loc><news:news>"
                "<news:publication_date>2024-03-13T08:00:00+07:00</news:publication_date>"
                "<news:title>Sa Pa đón gần 600 nghìn lượt khách</news:title></news:news></url>"
                "</urlset>"
            ).encode()
        )
        sitemap_index = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{base}/sitemap.xml</loc><lastmod>2024-03-14</lastmod></sitemap>"
            f"<sitemap><loc>{base}/sitemap-news.xml.gz</loc><lastmod>2024-03-13</lastmod></sitemap>"
            "<sitemap><loc>https://other.example/sitemap.xml</loc></sitemap>"
            "</sitemapindex>"
        ).encode()
        listing = (
            "<html lang='vi'><head><title>Tin tức</title></head><body>"
            "<a href='/articles/a1.html'>Lào Cai và Vân Nam tăng cường hợp tác</a>"
            "<a href='/articles/a1.html#binh-luan'>Bình luận</a>"
            "<a href='/articles/a4.html?utm_source=trang-chu'>Sạt lở ở Văn Bàn</a>"
            "<a href='/khac/a3-ban-sao.html'>Sa Pa đón khách (bản đăng lại)</a>"
            "<a href='/articles/video.html'>Video: chợ phiên</a>"
            "<a href='/anh/cho-phien.jpg'>Ảnh</a>"
            "<a href='https://other.example/tin.html'>Trang khác</a>"
            "<a href='mailto:toasoan@example.vn'>Thư</a><a href='#'>Lên đầu</a>"
            "</body></html>"
        ).encode()
        a3 = article_html(
            "Sa Pa đón gần 600 nghìn lượt khách",
            A3_BODY,
            date="2024-03-13T08:00:00+07:00",
            author="Minh Châu",
            site="Báo Biên Cương",
        )
        return {
            "/robots.txt": Response(
                body=b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"
            ),
            "/feed.rss": Response(
                body=rss(base, feed_items),
                content_type="application/rss+xml; charset=utf-8",
                headers={"ETag": '"feed-v1"', "Last-Modified": "Wed, 13 Mar 2024 08:00:00 GMT"},
            ),
            "/all.rss": Response(
                body=rss(
                    base, [*feed_items, (*atom_items[1][:2], "Thu, 14 Mar 2024 09:00:00 +0700")]
                ),
                content_type="application/rss+xml",
                headers={"ETag": '"all-v1"'},
            ),
            "/errors.rss": Response(
                body=rss(
                    base,
                    [
                        ("/missing.html", "Bài đã bị gỡ", "Fri, 15 Mar 2024 09:00:00 +0700"),
                        ("/private/secret.html", "Tin nội bộ", "Fri, 15 Mar 2024 10:00:00 +0700"),
                        (
                            "/articles/video.html",
                            "Video: chợ phiên",
                            "Fri, 15 Mar 2024 11:00:00 +0700",
                        ),
                    ],
                ),
                content_type="application/rss+xml",
            ),
            "/feed.atom": Response(
                body=atom(base, atom_items), content_type="application/atom+xml"
            ),
            "/broken.rss": Response(
                body=b"<html><body><h1>500</h1>Not a feed at all",
                content_type="application/rss+xml",
            ),
            "/truncated.rss": Response(
                body=rss(base, feed_items)[:-60], content_type="application/rss+xml"
            ),
            "/sitemap.xml": Response(body=sitemap, content_type="application/xml"),
            "/sitemap-news.xml.gz": Response(body=news_sitemap, content_type="application/gzip"),
            "/sitemap_index.xml": Response(body=sitemap_index, content_type="application/xml"),
            "/tin-tuc/": Response(body=listing),
            "/articles/a1.html": Response(
                body=article_html(
                    "Lào Cai và Vân Nam tăng cường hợp tác thương mại",
                    A1_BODY,
                    date="2024-03-12T09:00:00+07:00",
                    author="Thu Hà",
                    site="Báo Biên Cương",
                )
            ),
            "/articles/a2.html": Response(
                body=article_html(
                    "Đẩy mạnh thông quan nông sản qua cửa khẩu Lào Cai",
                    A2_BODY,
                    date="2024-03-12T15:30:00+07:00",
                    author="Quốc Hưng",
                    site="Tạp chí Vùng cao",
                )
            ),
            "/articles/a3.html": Response(body=a3),
            "/khac/a3-ban-sao.html": Response(
                body=a3.replace(b"B\xc3\xa1o Bi\xc3\xaan C\xc6\xb0\xc6\xa1ng", b"Trang tin X")
            ),
            "/articles/a4.html": Response(
                body=article_html(
                    "Sạt lở đường liên xã ở Văn Bàn",
                    A4_BODY,
                    date="2024-03-14T09:00:00+07:00",
                    author="Văn Long",
                    site="Báo Biên Cương",
                )
            ),
            "/articles/video.html": Response(
                body=(
                    "<html lang='vi'><head><title>Video: chợ phiên</title></head>"
                    "<body><video src='/v.mp4'></video></body></html>"
                ).encode()
            ),
            "/private/secret.html": Response(
                body=article_html("Nội bộ", SECRET_BODY, date="2024-03-01", author="", site="X")
            ),
            "/huge.html": Response(body=b"<p>" + b"x" * (2 * 1024 * 1024) + b"</p>"),
            "/huge-stream.html": Response(body=b"<p>" + b"z" * (2 * 1024 * 1024), no_length=True),
            "/bomb.html": Response(
                body=gzip.compress(b"0" * 20_000_000), headers={"Content-Encoding": "gzip"}
            ),
            "/slow.html": Response(body=b"<p>cham</p>", delay=2.0),
            "/drip.html": Response(body=b"<p>" + b"y" * 40 + b"</p>", drip=0.05),
            # A byte every half second: never a read timeout, yet the page never arrives.
            "/drip-headers.html": Response(body=b"<p>nho giot</p>", header_drip=0.5),
            "/drip-slow.html": Response(body=b"<p>" + b"y" * 40 + b"</p>", drip=0.5),
            "/image.png": Response(body=b"\x89PNG....", content_type="image/png"),
            "/redirect/1": Response(status=302, headers={"Location": "/redirect/2"}),
            "/redirect/2": Response(status=301, headers={"Location": f"{base}/articles/a1.html"}),
            "/loop/a": Response(status=302, headers={"Location": "/loop/b"}),
            "/loop/b": Response(status=302, headers={"Location": "/loop/a"}),
            "/to-private": Response(status=302, headers={"Location": "http://10.0.0.7/admin"}),
            "/to-metadata": Response(
                status=307, headers={"Location": "http://169.254.169.254/latest/meta-data/"}
            ),
            "/to-ftp": Response(status=302, headers={"Location": "ftp://example.vn/file"}),
            **{
                f"/chain/{n}": Response(status=302, headers={"Location": f"/chain/{n + 1}"})
                for n in range(10)
            },
            "/error-500": Response(status=500, body=b"loi"),
            "/missing.html": Response(status=404, body=b"khong co"),
        }

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?", 1)[0]
        self.hits[path] += 1
        self.requests.append((handler.path, dict(handler.headers)))
        if path == "/flaky":
            if self.flaky_failures > 0:
                self.flaky_failures -= 1
                self._send(handler, Response(status=503, body=b"busy"))
                return
            self._send(handler, Response(body=b"<p>on roi</p>"))
            return
        response = self.routes.get(path)
        if response is None:
            self._send(handler, Response(status=404, body=b"not found"))
            return
        etag = response.headers.get("ETag")
        if etag and handler.headers.get("If-None-Match") == etag:
            self._send(handler, Response(status=304, headers={"ETag": etag}))
            return
        self._send(handler, response)

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, response: Response) -> None:
        if response.delay:
            time.sleep(response.delay)
        if response.header_drip:
            TestSite._send_dripping_headers(handler, response)
            return
        try:
            handler.send_response(response.status)
            if response.status != 304:
                handler.send_header("Content-Type", response.content_type)
            for name, value in response.headers.items():
                handler.send_header(name, value)
            if not (response.drip or response.no_length):
                handler.send_header("Content-Length", str(len(response.body)))
            handler.send_header("Connection", "close")
            handler.end_headers()
            if response.status == 304:
                return
            if response.drip:
                for byte in response.body:
                    handler.wfile.write(bytes([byte]))
                    handler.wfile.flush()
                    time.sleep(response.drip)
            else:
                handler.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    @staticmethod
    def _send_dripping_headers(handler: BaseHTTPRequestHandler, response: Response) -> None:
        head = (
            f"HTTP/1.1 {response.status} OK\r\nContent-Type: {response.content_type}\r\n"
            f"Content-Length: {len(response.body)}\r\nConnection: close\r\n\r\n"
        ).encode()
        try:
            for byte in head:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                time.sleep(response.header_drip)
            handler.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        handler.close_connection = True


def start_site() -> tuple[TestSite, ThreadingHTTPServer, threading.Thread]:
    site = TestSite()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            site.handle(self)

        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    site.reset()
    thread = threading.Thread(target=server.serve_forever, name="monitoring-test-site", daemon=True)
    thread.start()
    return site, server, thread
