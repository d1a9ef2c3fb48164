"""“Nhập dữ liệu mạng xã hội”: upload a Facebook/YouTube/Zalo export in the back office."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from doingoai.accounts.services import roles_sync, user_create_with_role
from doingoai.monitoring import forms
from doingoai.monitoring.models import Item, Source
from doingoai.monitoring.services import monitoring_grant_permissions

from .factories import SourceFactory

pytestmark = pytest.mark.django_db

URL = "/quan-tri/theo-doi-thong-tin/nhap-mang-xa-hoi/"
GOOD_CSV = (
    "id,text,type,parent_id,author,published,likes\n"
    "p1,Lào Cai khai mạc tuần văn hoá du lịch Sa Pa,post,,Trang tin tỉnh,12/03/2024 08:00,120\n"
    "c1,Rất mong được lên Sa Pa dịp này,comment,p1,Minh Anh,12/03/2024 09:15,3\n"
    "c2,,comment,p1,Ẩn danh,12/03/2024 09:20,\n"
    "c3,Đường lên Bát Xát đã thông chưa ạ,comment,p1,Văn Hùng,ngày mai,\n"
    "p2,Cửa khẩu Kim Thành kéo dài giờ làm việc,post,,Trang tin tỉnh,13/03/2024,1.234\n"
).encode()


def upload(name: str, data: bytes, content_type: str = "text/csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def roles(db):
    roles_sync()
    monitoring_grant_permissions()


@pytest.fixture
def admin_client(client, roles):
    client.force_login(
        user_create_with_role(username="quantri", password="x-2026", role="administrator")
    )
    return client


@pytest.fixture
def facebook(db):
    return SourceFactory(
        name="Trang Facebook Sở Du lịch", kind=Source.Kind.SOCIAL, url="", platform="facebook"
    )


def post(client, source, file):
    return client.post(URL, {"source": source.pk, "file": file})


def test_upload_imports_rows_and_reports_bad_ones(admin_client, facebook):
    response = post(admin_client, facebook, upload("bai-viet.csv", GOOD_CSV))
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["report"]["created"] == 3
    assert response.context["report"]["existing"] == 0
    assert "Kết quả nhập vào Trang Facebook Sở Du lịch" in html
    assert "Dòng 4: nội dung trống (cột text)" in html
    assert "Dòng 5: ngày &#x27;ngày mai&#x27; không hợp lệ" in html
    assert Item.objects.filter(source=facebook).count() == 3
    post_item = Item.objects.get(canonical_url="social:facebook:p1")
    assert post_item.kind == Item.Kind.POST and post_item.extra["likes"] == 120
    assert Item.objects.get(canonical_url="social:facebook:c1").kind == Item.Kind.COMMENT
    assert Item.objects.get(canonical_url="social:facebook:p2").extra["likes"] == 1234


def test_importing_the_same_file_again_skips_what_is_stored(admin_client, facebook):
    post(admin_client, facebook, upload("bai-viet.csv", GOOD_CSV))
    response = post(admin_client, facebook, upload("bai-viet.csv", GOOD_CSV))
    report = response.context["report"]
    assert (report["created"], report["existing"], len(report["problems"])) == (0, 3, 2)
    html = response.content.decode()
    assert "Bỏ qua (đã nhập trước đó)" in html
    assert Item.objects.count() == 3


def test_json_exports_are_imported(admin_client, facebook):
    data = {
        "data": [
            {"id": "v1", "message": "Video lễ hội Gầu Tào ở Mường Khương", "platform": "youtube"},
            {"id": "z1", "noi_dung": "Thông báo lịch tiếp dân tháng 4", "nen_tang": "zalo"},
            {"id": "x1", "message": "Bài trên nền tảng lạ", "platform": "myspace"},
        ]
    }
    response = post(
        admin_client,
        facebook,
        upload("xuat.json", json.dumps(data, ensure_ascii=False).encode(), "application/json"),
    )
    assert response.context["report"]["created"] == 2
    assert "Dòng 3: nền tảng" in response.content.decode()
    assert set(Item.objects.values_list("canonical_url", flat=True)) == {
        "social:youtube:v1",
        "social:zalo:z1",
    }


BAD_UPLOADS = [
    ("trong.csv", b"", "Tệp trống."),
    ("khoang-trang.csv", b"  \n\n ", "Tệp trống."),
    ("bang-tinh.xlsx", b"PK\x03\x04 workbook", "Chỉ nhập được tệp .csv và .json."),
    ("anh.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "Đây không phải tệp văn bản"),
    ("windows.csv", "id,text\n1,Lào Cai\n".encode("cp1258"), "Tệp không phải văn bản mã hoá UTF-8"),
    ("hong.json", b'[{"id": "1", "text": "Sa Pa"', "Tệp không phải JSON hợp lệ (dòng 1)"),
    ("doi-tuong.json", b'{"ket_qua": 3}', "Tệp JSON phải chứa danh sách các bài viết."),
    ("thieu-cot.csv", b"ma_so,binh_luan\n1,Hay\n", "Tệp thiếu cột id, text."),
]


@pytest.mark.parametrize("name, data, error", BAD_UPLOADS, ids=[u[0] for u in BAD_UPLOADS])
def test_bad_files_are_refused_with_a_clear_message_and_nothing_imported(
    admin_client, facebook, name, data, error
):
    response = post(admin_client, facebook, upload(name, data))
    assert response.status_code == 200
    assert response.context["report"] is None
    assert error in response.content.decode()
    assert not Item.objects.exists()
    facebook.refresh_from_db()
    assert facebook.last_status == Source.Status.NEVER  # the source is untouched


def test_files_over_the_size_cap_are_refused(admin_client, facebook, settings, monkeypatch):
    settings.MONITORING_MAX_BYTES = 1000
    monkeypatch.setattr(forms, "SOCIAL_MIN_BYTES_CAP", 1000)
    big = b"id,text\n" + b"".join(b"%d,Lao Cai hom nay\n" % n for n in range(200))
    response = post(admin_client, facebook, upload("lon.csv", big))
    assert "Tệp lớn hơn 1000" in response.content.decode()
    assert not Item.objects.exists()


def test_the_size_cap_is_the_social_export_cap_of_the_module(settings):
    settings.MONITORING_MAX_BYTES = 5 * 1024 * 1024
    assert forms.social_max_bytes() == 20 * 1024 * 1024
    settings.MONITORING_MAX_BYTES = 30 * 1024 * 1024
    assert forms.social_max_bytes() == 30 * 1024 * 1024


def test_only_active_social_sources_can_be_chosen(admin_client, facebook):
    feed = SourceFactory(name="Báo điện tử", kind=Source.Kind.FEED)
    SourceFactory(name="Trang cũ", kind=Source.Kind.SOCIAL, url="", active=False)
    page = admin_client.get(URL).content.decode()
    assert "Trang Facebook Sở Du lịch" in page
    assert "Báo điện tử" not in page and "Trang cũ" not in page
    response = post(admin_client, feed, upload("bai-viet.csv", GOOD_CSV))
    assert response.context["report"] is None
    assert not Item.objects.exists()


def test_missing_source_or_file_is_explained(admin_client, facebook):
    html = admin_client.post(URL, {}).content.decode()
    assert "Hãy chọn nguồn tin mà tệp được xuất ra." in html
    assert "Hãy chọn tệp cần nhập." in html


def test_the_source_is_preselected_from_its_page(admin_client, facebook):
    html = admin_client.get(f"{URL}?nguon={facebook.pk}").content.decode()
    assert f'<option value="{facebook.pk}" selected>' in html
    assert "Nhập dữ liệu mạng xã hội" in html and "Tối đa 20,0" in html


def test_anonymous_users_are_sent_to_sign_in(client, facebook):
    response = client.post(URL, {"source": facebook.pk, "file": upload("a.csv", GOOD_CSV)})
    assert response.status_code == 302 and response["Location"].startswith("/quan-tri/login/")
    assert not Item.objects.exists()


@pytest.mark.parametrize("role", ["reporter"])
def test_users_who_may_not_fetch_sources_are_refused(client, roles, facebook, role):
    client.force_login(user_create_with_role(username=f"u_{role}", password="x-2026", role=role))
    assert client.get(URL)["Location"] == "/quan-tri/"
    response = client.post(URL, {"source": facebook.pk, "file": upload("a.csv", GOOD_CSV)})
    assert response.status_code == 302 and response["Location"] == "/quan-tri/"
    assert not Item.objects.exists()


def test_csrf_token_is_required(roles, facebook):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(
        user_create_with_role(username="quantri", password="x-2026", role="administrator")
    )
    response = browser.post(URL, {"source": facebook.pk, "file": upload("a.csv", GOOD_CSV)})
    assert response.status_code == 403
    assert not Item.objects.exists()
    token = browser.get(URL).cookies["csrftoken"].value
    response = browser.post(
        URL,
        {"source": facebook.pk, "file": upload("a.csv", GOOD_CSV), "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 200 and Item.objects.count() == 3


def test_the_menu_offers_the_import_to_administrators(admin_client):
    html = admin_client.get("/quan-tri/").content.decode()
    assert "Nh\\u1eadp d\\u1eef li\\u1ec7u m\\u1ea1ng x\\u00e3 h\\u1ed9i" in html
    assert reverse("monitoring_social_import") == URL


def test_screens_of_this_module_have_no_untranslated_strings(admin_client, facebook, site):
    """Dashboard (each period), upload (empty, report, errors), fetch-now messages, the
    source listing and pages, as an administrator."""
    from tests.admin_i18n import record_missed_strings

    from .test_admin import translated_in_other_apps

    paper = SourceFactory(name="Báo Biên Cương", url=site.url("/feed.rss"))
    with record_missed_strings() as missed:
        for url in (
            "/quan-tri/",
            "/quan-tri/theo-doi-thong-tin/tong-quan/",
            "/quan-tri/theo-doi-thong-tin/tong-quan/?ky=7d",
            "/quan-tri/theo-doi-thong-tin/tong-quan/?ky=30d",
            URL,
            reverse("monitoring_sources:index"),
            reverse("monitoring_sources:inspect", args=[paper.pk]),
            reverse("monitoring_sources:inspect", args=[facebook.pk]),
        ):
            missed.current_url = url
            assert admin_client.get(url).status_code == 200, url
        missed.current_url = "POST upload"
        post(admin_client, facebook, upload("bai-viet.csv", GOOD_CSV))
        post(admin_client, facebook, upload("hong.json", b"[{"))
        post(admin_client, facebook, upload("x.xlsx", b"PK"))
        missed.current_url = "POST fetch now"
        admin_client.post(reverse("monitoring_fetch_now", args=[paper.pk]), follow=True)
        admin_client.get(reverse("monitoring_fetch_now", args=[paper.pk]))
    others = translated_in_other_apps()
    where = {text: urls for text, urls in missed.where.items() if text not in others}
    assert not where, sorted(where)


def test_a_story_started_by_a_comment_is_named_after_its_words(facebook):
    from doingoai.monitoring.services import social_export_import

    data = (
        "id,type,parent_id,text\n"
        "c-77,comment,p-1,Đường vào bản Tả Van sáng nay bị đất đá lấp một đoạn ngắn\n"
    ).encode()
    social_export_import(source=facebook, data=data, filename="binh-luan.csv")
    story = Item.objects.get().cluster
    assert story.title.startswith("Đường vào bản Tả Van sáng nay")
