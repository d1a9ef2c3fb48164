"""Refused with a clear Vietnamese message, and nothing lost: bad uploads, clashing slugs."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from doingoai.media.models import PortalImage
from doingoai.portal.models import SectionPage
from tests.factories import jpeg_bytes

pytestmark = pytest.mark.django_db


def png_bytes(size) -> bytes:
    out = io.BytesIO()
    Image.new("1", size).save(out, format="PNG", optimize=True)
    return out.getvalue()


def upload(client, portal, name, data, content_type="image/jpeg"):
    client.force_login(portal.users["approver"])
    return client.post(
        "/quan-tri/images/add/",
        {
            "title": "Ảnh thử tải lên",
            "description": "Mô tả ảnh",
            "collection": "1",
            "file": SimpleUploadedFile(name, data, content_type=content_type),
        },
    )


def errors_of(response) -> str:
    """The text of the form's error messages, as the user sees them."""
    from bs4 import BeautifulSoup

    html = BeautifulSoup(response.content, "html.parser")
    return " ".join(e.get_text(" ", strip=True) for e in html.select(".error-message"))


def test_valid_image_is_accepted(client, portal):
    before = PortalImage.objects.count()
    response = upload(client, portal, "anh.jpg", jpeg_bytes())
    assert response.status_code == 302
    assert PortalImage.objects.count() == before + 1


def test_text_file_posing_as_image_is_refused(client, portal):
    before = PortalImage.objects.count()
    response = upload(client, portal, "anh.jpg", b"day khong phai la anh " * 50)
    assert response.status_code == 200
    assert PortalImage.objects.count() == before
    assert "không phải là hình ảnh" in errors_of(response)


def test_unknown_extension_is_refused(client, portal):
    response = upload(client, portal, "tai-lieu.exe", jpeg_bytes(), "application/octet-stream")
    assert response.status_code == 200
    assert "Định dạng ảnh không được hỗ trợ" in errors_of(response)


def test_too_large_image_is_refused(client, portal, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024
    before = PortalImage.objects.count()
    response = upload(client, portal, "lon.jpg", jpeg_bytes(size=(800, 800)) + b"\0" * 20_000)
    assert response.status_code == 200
    assert PortalImage.objects.count() == before
    assert "quá lớn" in errors_of(response)


def test_decompression_bomb_is_refused(client, portal):
    before = PortalImage.objects.count()
    bomb = png_bytes((10_000, 10_000))  # 100 million pixels in a few kilobytes
    assert len(bomb) < 100_000
    response = upload(client, portal, "bom.png", bomb, "image/png")
    assert response.status_code == 200
    assert PortalImage.objects.count() == before
    assert "điểm ảnh" in errors_of(response)


def test_alt_text_is_required_for_images(client, portal):
    client.force_login(portal.users["approver"])
    response = client.post(
        "/quan-tri/images/add/",
        {
            "title": "Ảnh không mô tả",
            "description": "",
            "collection": "1",
            "file": SimpleUploadedFile("anh.jpg", jpeg_bytes(), content_type="image/jpeg"),
        },
    )
    assert response.status_code == 200
    assert not PortalImage.objects.filter(title="Ảnh không mô tả").exists()


def section_form(slug):
    return nested_form_data(
        {
            "title": "Chuyên mục trùng",
            "slug": slug,
            "intro": "",
            "comments": inline_formset([]),
        }
    )


def test_clashing_slug_is_a_form_error_and_overwrites_nothing(client, portal):
    home = portal.homes["vi"]
    existing = portal.sections["thoi-su"]
    client.force_login(portal.users["administrator"])
    response = client.post(
        f"/quan-tri/pages/add/portal/sectionpage/{home.pk}/", section_form("thoi-su")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "đã được sử dụng" in html
    assert SectionPage.objects.child_of(home).filter(slug="thoi-su").count() == 1
    existing.refresh_from_db()
    assert existing.title == "Thời sự"


def test_unique_slug_is_accepted(client, portal):
    home = portal.homes["vi"]
    client.force_login(portal.users["administrator"])
    response = client.post(
        f"/quan-tri/pages/add/portal/sectionpage/{home.pk}/", section_form("chuyen-muc-moi")
    )
    assert response.status_code == 302
    assert SectionPage.objects.child_of(home).filter(slug="chuyen-muc-moi").exists()
