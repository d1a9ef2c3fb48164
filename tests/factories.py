"""factory_boy factories and a small portal builder for tests."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image
from wagtail.models import Locale, Page, Site

from doingoai.accounts.services import (
    roles_grant_page_permissions,
    roles_sync,
    user_create_with_role,
    workflow_ensure_default,
)
from doingoai.media.models import PortalImage
from doingoai.portal.models import (
    ArticlePage,
    HomePage,
    PhotoStoryPage,
    SectionPage,
    StandardPage,
    VideoStoryPage,
)

LANGUAGES = ("vi", "en", "zh-hans", "lo")
PASSWORD = "mat-khau-thu-nghiem-2026"


def jpeg_bytes(size=(64, 48), colour=(160, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG")
    return out.getvalue()


class PortalImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PortalImage

    title = factory.Sequence(lambda n: f"Ảnh thử {n}")
    description = factory.Sequence(lambda n: f"Cảnh núi rừng Lào Cai số {n}")
    width = 64
    height = 48

    @factory.lazy_attribute
    def file(self):
        return ContentFile(jpeg_bytes(), name="thu.jpg")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")


def add_page(parent: Page, model, *, publish: bool = True, user=None, **fields):
    fields.setdefault("slug", slugify(fields["title"]))
    page = model(live=publish, **fields)
    parent.add_child(instance=page)
    if publish:
        page.save_revision(user=user).publish()
    return model.objects.get(pk=page.pk)


def article_fields(n: int, **extra) -> dict:
    fields = {
        "title": f"Tin thử nghiệm số {n} về Lào Cai",
        "slug": f"tin-thu-nghiem-{n}",
        "lead": f"Tóm tắt tin số {n}: hoạt động đối ngoại của tỉnh.",
        "body": [("paragraph", f"<p>Nội dung tin số {n}.</p>")],
        "published_at": timezone.now() - timedelta(hours=n),
    }
    fields.update(extra)
    return fields


@dataclass
class Portal:
    locales: dict
    homes: dict
    sections: dict
    articles: list = field(default_factory=list)
    photo: PhotoStoryPage | None = None
    video: VideoStoryPage | None = None
    standard: StandardPage | None = None
    users: dict = field(default_factory=dict)

    def translate(self, page: Page, language: str, **fields) -> Page:
        copy = page.copy_for_translation(self.locales[language])
        for name, value in fields.items():
            setattr(copy, name, value)
        copy.save()
        copy.save_revision().publish()
        return copy.specific_class.objects.get(pk=copy.pk)


def _ensure_tree_roots() -> Page:
    """Transactional tests flush the rows Wagtail's migrations create; put the roots back."""
    from wagtail.models import Collection

    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        from django.contrib.contenttypes.models import ContentType

        root = Page.add_root(
            title="Root",
            slug="root",
            content_type=ContentType.objects.get_for_model(Page),
            locale=Locale.objects.get_or_create(language_code="vi")[0],
        )
    return root


def build_portal(n_articles: int = 3) -> Portal:
    _ensure_tree_roots()
    roles_sync()
    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code in LANGUAGES}
    root = _ensure_tree_roots()
    home = add_page(
        root,
        HomePage,
        title="Trang chủ",
        slug="trang-chu",
        site_name="Cổng thông tin đối ngoại tỉnh Lào Cai",
        locale=locales["vi"],
    )
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    portal = Portal(locales=locales, homes={"vi": home}, sections={})
    for code, title in (("en", "Home"), ("zh-hans", "首页"), ("lo", "ໜ້າຫຼັກ")):
        portal.homes[code] = portal.translate(home, code, title=title, site_name=f"Portal {code}")
    for slug, title, en_title in (
        ("thoi-su", "Thời sự", "Politics"),
        ("du-lich", "Du lịch", "Tourism"),
    ):
        section = add_page(home, SectionPage, title=title, slug=slug, show_in_menus=True)
        portal.sections[slug] = section
        for code in LANGUAGES[1:]:
            portal.translate(section, code, title=f"{en_title} ({code})")
    image = PortalImageFactory()
    for n in range(1, n_articles + 1):
        article = add_page(
            portal.sections["thoi-su"], ArticlePage, hero_image=image, **article_fields(n)
        )
        article.tags.set(["Biên giới", f"Chủ đề {n}"])
        article.save_revision().publish()
        portal.articles.append(ArticlePage.objects.get(pk=article.pk))
    portal.translate(portal.articles[0], "en", title="Test article one", slug="test-article-one")
    portal.photo = add_page(
        portal.sections["du-lich"],
        PhotoStoryPage,
        hero_image=image,
        photos=[
            (
                "photo",
                {"image": image, "alt_text": "Ruộng bậc thang", "caption": "Sa Pa", "credit": ""},
            )
        ],
        **article_fields(90, slug="phong-su-anh", title="Phóng sự ảnh Sa Pa"),
    )
    portal.video = add_page(
        portal.sections["du-lich"],
        VideoStoryPage,
        hero_image=image,
        duration="02:10",
        video=[
            (
                "video",
                {
                    "video_file": None,
                    "url": "https://youtu.be/abcdefghijk",
                    "poster": None,
                    "title": "Video thử",
                    "transcript": "Lời thoại.",
                },
            )
        ],
        **article_fields(91, slug="video-thu", title="Video Sa Pa"),
    )
    portal.standard = add_page(
        home,
        StandardPage,
        title="Giới thiệu",
        slug="gioi-thieu",
        intro="Về tỉnh",
        body=[("paragraph", "<p>Lào Cai.</p>")],
    )
    for language in LANGUAGES[1:]:
        portal.translate(portal.standard, language, title=f"About ({language})")
    for home_page in portal.homes.values():
        roles_grant_page_permissions(root=home_page)
    workflow_ensure_default(roots=list(portal.homes.values()))
    for role in ("reporter", "editor", "approver", "administrator"):
        portal.users[role] = user_create_with_role(
            username=f"u_{role}", password=PASSWORD, role=role
        )
    return portal
