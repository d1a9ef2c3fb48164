"""Load the demo province (idempotent): locales, home pages, sections, ~50 articles with
translations, plain pages, banners, roles, demo staff and a history of visits."""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
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
    Banner,
    HomePage,
    PhotoStoryPage,
    RelatedPortalLink,
    SectionPage,
    StandardPage,
    VideoStoryPage,
)
from doingoai.portal.site_address import apply_to_site
from doingoai.visitors.models import PageDailyVisits, ReferrerDailyVisits, SiteDailyVisits

from .images import draw_picture

DATA_DIR = Path(__file__).parent / "data"
LANGUAGES = ("vi", "en", "zh-hans", "lo")
DEMO_PASSWORD = "doingoai-demo-2026"

HOME_TEXT = {
    "vi": (
        "Cổng thông tin đối ngoại tỉnh Lào Cai",
        "Lào Cai - Cửa ngõ giao thương với ASEAN và Trung Quốc",
        "Ủy ban nhân dân tỉnh Lào Cai — Sở Thông tin và Truyền thông",
    ),
    "en": (
        "Lao Cai Province External Information Portal",
        "Lao Cai - a gateway between ASEAN and China",
        "Lao Cai Provincial People's Committee — Department of Information and Communications",
    ),
    "zh-hans": (
        "老街省对外信息门户网站",
        "老街——连接东盟与中国的门户",
        "老街省人民委员会 — 信息与传媒厅",
    ),
    "lo": (
        "ເວັບໄຊຂໍ້ມູນຂ່າວສານຕ່າງປະເທດ ແຂວງລາວກາຍ",
        "ລາວກາຍ - ປະຕູການຄ້າລະຫວ່າງອາຊຽນ ແລະ ຈີນ",
        "ຄະນະກຳມະການປະຊາຊົນແຂວງລາວກາຍ",
    ),
}
SECTIONS = {
    "thoi-su": ("Thời sự - Chính trị", "Politics", "时政", "ການເມືອງ"),
    "kinh-te": ("Kinh tế - Đầu tư", "Economy and investment", "经济与投资", "ເສດຖະກິດ ແລະ ການລົງທຶນ"),
    "du-lich": ("Du lịch - Văn hoá", "Tourism and culture", "旅游与文化", "ທ່ອງທ່ຽວ ແລະ ວັດທະນະທຳ"),
    "bien-gioi": (
        "Biên giới - Chủ quyền",
        "Border and sovereignty",
        "边境与主权",
        "ຊາຍແດນ ແລະ ອະທິປະໄຕ",
    ),
    "hop-tac": ("Hợp tác quốc tế", "International cooperation", "国际合作", "ການຮ່ວມມືສາກົນ"),
    "quoc-phong": (
        "Quốc phòng - An ninh",
        "Defence and security",
        "国防与安全",
        "ປ້ອງກັນຊາດ ແລະ ຄວາມສະຫງົບ",
    ),
    "xa-hoi": ("Xã hội", "Society", "社会", "ສັງຄົມ"),
    "anh": ("Phóng sự ảnh", "Photo stories", "图片报道", "ພາບຂ່າວ"),
    "video": ("Video", "Videos", "视频", "ວິດີໂອ"),
}
SECTION_SLUGS = {
    "en": {
        "thoi-su": "politics",
        "kinh-te": "economy",
        "du-lich": "tourism",
        "bien-gioi": "border",
        "hop-tac": "cooperation",
        "quoc-phong": "defence",
        "xa-hoi": "society",
        "anh": "photos",
        "video": "videos",
    }
}
DEMO_USERS = (
    ("phongvien", "reporter", "Lan", "Nguyễn Thị"),
    ("canbo_batxat", "reporter", "Sáng", "Lý Seo"),
    ("bientap", "editor", "Minh", "Trần Văn"),
    ("lanhdao", "approver", "Hùng", "Lê Quang"),
    ("quantri", "administrator", "Hà", "Phạm Thu"),
)
# Visit history per language: articles read on a day, and the most views of one on a day.
PAGE_VISITS = {"vi": (12, 120), "en": (8, 40), "zh-hans": (6, 25), "lo": (5, 15)}
RELATED_PORTALS = (
    ("Cổng thông tin điện tử Chính phủ", "https://chinhphu.vn/"),
    ("Bộ Ngoại giao", "https://www.mofa.gov.vn/"),
    ("Bộ Thông tin và Truyền thông", "https://mic.gov.vn/"),
    ("Cổng thông tin điện tử tỉnh Lào Cai", "https://www.laocai.gov.vn/"),
)


@dataclass
class LoadReport:
    pages_created: int = 0
    pages_updated: int = 0
    pages_merged: int = 0
    images_created: int = 0
    users: tuple = ()


def _read(name: str) -> list[dict]:
    path = DATA_DIR / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def demo_articles() -> list[dict]:
    return [
        item
        for name in sorted(p.name for p in DATA_DIR.glob("articles_*.json"))
        for item in _read(name)
    ]


def _paragraphs(paragraphs: list[str]) -> list[tuple[str, str]]:
    return [("paragraph", f"<p>{escape(text)}</p>") for text in paragraphs]


def _publish(page: Page, published_at: datetime | None = None) -> None:
    revision = page.save_revision(log_action=False)
    revision.publish(log_action=False)
    if published_at is not None:
        Page.objects.filter(pk=page.pk).update(
            first_published_at=published_at, last_published_at=published_at
        )


STREAM_FIELDS = ("body", "photos", "video")
FOREIGN_KEYS = ("hero_image",)


def _stream_data(model, name: str, value) -> list:
    """A stream field's stored form without the block ids: ``value`` is the page's own
    (a StreamValue) or what the loader would write (a list of (type, value) pairs)."""
    stream = getattr(model(**{name: value}), name)
    return [(block["type"], block["value"]) for block in stream.get_prep_value()]


def _differs(page: Page, name: str, value) -> bool:
    current = getattr(page, name)
    if name in STREAM_FIELDS:
        model = type(page)
        return _stream_data(model, name, current) != _stream_data(model, name, value)
    if name in FOREIGN_KEYS:
        return getattr(current, "pk", None) != getattr(value, "pk", None)
    return current != value


def _written_by_loader(page: Page) -> bool:
    """True unless a person has saved the page since (then the loader leaves it alone)."""
    revision = page.latest_revision
    return revision is None or revision.user_id is None


def _page_paths(page: Page) -> list[tuple[int, str]]:
    """(site id, path) of the page's public address, as a Redirect stores it."""
    parts = page.get_url_parts()
    if not parts or not parts[2]:
        return []
    site_id, _root, path = parts
    return [(site_id, Redirect.normalise_path(path))]


def _redirect(paths: list[tuple[int, str]], target: Page) -> None:
    """Keep old addresses working. Wagtail also writes one when a slug changes (once the
    transaction commits); writing it here covers pages merged into another, and a load
    that runs inside an outer transaction (tests)."""
    for site_id, old_path in paths:
        Redirect.objects.update_or_create(
            old_path=old_path,
            site_id=site_id,
            defaults={
                "redirect_page": target,
                "redirect_link": "",
                "is_permanent": True,
                "automatically_created": True,
            },
        )


class DemoLoader:
    def __init__(self, progress: Callable[[str], None] = lambda message: None) -> None:
        self.progress = progress
        self.report = LoadReport()
        self.now = timezone.now()
        self.locales = {}
        self.homes = {}

    # --- building blocks ---------------------------------------------------------------
    def image(self, *, title: str, alt: str, palette: str, seed_text: str) -> PortalImage:
        existing = PortalImage.objects.filter(title=title).first()
        if existing:
            return existing
        seed = int(hashlib.sha1(seed_text.encode()).hexdigest()[:8], 16)  # noqa: S324
        name = f"demo-{seed:08x}.jpg"
        data = draw_picture(palette, seed)
        image = PortalImage(title=title[:255], description=alt[:255], credit="doingoai demo")
        image.file.save(name, ContentFile(data), save=False)
        image.width, image.height, image.file_size = 1280, 720, len(data)
        image.save()
        self.report.images_created += 1
        return image

    def child(self, parent: Page, model, slug: str, **fields) -> tuple[Page, bool]:
        existing = model.objects.child_of(parent).filter(slug=slug).first()
        if existing is not None:
            return existing, False
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        self.report.pages_created += 1
        return page, True

    def translate(self, page: Page, language: str, **fields) -> tuple[Page, bool]:
        locale = self.locales[language]
        existing = page.get_translation_or_none(locale)
        if existing is not None:
            return existing.specific, False
        translated = page.copy_for_translation(locale)
        for name, value in fields.items():
            setattr(translated, name, value)
        translated.save()
        self.report.pages_created += 1
        return translated, True

    # --- steps ---------------------------------------------------------------------------
    def load(self) -> LoadReport:
        roles_sync()
        self.progress("Ngôn ngữ")
        for code in LANGUAGES:
            self.locales[code], _ = Locale.objects.get_or_create(language_code=code)
        homes = self.load_homes()
        self.progress("Chuyên mục")
        sections = self.load_sections(homes)
        self.progress("Tin bài")
        self.load_articles(sections)
        self.progress("Trang giới thiệu")
        self.load_standard_pages(homes["vi"])
        self.progress("Banner và liên kết")
        self.load_snippets(homes)
        self.progress("Vai trò, quy trình duyệt và tài khoản")
        for home in homes.values():
            roles_grant_page_permissions(root=home)
        workflow_ensure_default(roots=list(homes.values()))
        self.report.users = tuple(
            user_create_with_role(
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                first_name=first,
                last_name=last,
            )
            for username, role, first, last in DEMO_USERS
        )
        self.progress("Lịch sử truy cập")
        self.load_visits()
        self.progress("Sổ theo dõi đối ngoại")
        from .registers_demo import registers_demo_load

        registers_demo_load()
        self.progress("Từ khoá theo dõi thông tin")
        from django.core.management import call_command

        call_command("load_gazetteer", verbosity=0)
        self.progress("Tin theo dõi trên mạng xã hội")
        from .monitoring_demo import monitoring_demo_load

        monitoring_demo_load()
        self.progress("Quy tắc cảnh báo và vụ việc xử lý thông tin")
        from doingoai.responses.demo import responses_demo

        responses_demo()
        return self.report

    @transaction.atomic
    def load_homes(self) -> dict[str, HomePage]:
        root = Page.get_first_root_node()
        home = HomePage.objects.filter(locale=self.locales["vi"], depth=2).first()
        if home is None:
            site_name, tagline, footer = HOME_TEXT["vi"]
            home = HomePage(
                title="Trang chủ",
                slug="trang-chu",
                site_name=site_name,
                tagline=tagline,
                footer_text=f"<p>{escape(footer)}</p>",
                locale=self.locales["vi"],
            )
            root.add_child(instance=home)
            _publish(home)
            self.report.pages_created += 1
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            site = Site(hostname="localhost", port=80, is_default_site=True)
        if apply_to_site(site) and site.pk:  # the configured PORTAL_BASE_URL
            site.save(update_fields=["hostname", "port"])
        if site.root_page_id != home.pk:
            old_root = site.root_page_id
            site.root_page = home
            site.site_name = HOME_TEXT["vi"][0]
            site.save()
            # Wagtail's placeholder "Welcome" page is not part of the portal.
            Page.objects.filter(pk=old_root, depth=2).exclude(pk=home.pk).exclude(
                content_type__model="homepage"
            ).delete()
        homes = {"vi": home}
        titles = {"en": "Home", "zh-hans": "首页", "lo": "ໜ້າຫຼັກ"}
        for code in LANGUAGES[1:]:
            site_name, tagline, footer = HOME_TEXT[code]
            translated, created = self.translate(
                home,
                code,
                title=titles[code],
                site_name=site_name,
                tagline=tagline,
                footer_text=f"<p>{escape(footer)}</p>",
            )
            if created:
                _publish(translated)
            homes[code] = translated
        self.homes = homes
        return homes

    @transaction.atomic
    def load_sections(self, homes) -> dict[str, SectionPage]:
        sections = {}
        for key, names in SECTIONS.items():
            section, created = self.child(
                homes["vi"], SectionPage, key, title=names[0], show_in_menus=True
            )
            if created:
                _publish(section)
            sections[key] = section
            for index, code in enumerate(LANGUAGES[1:], start=1):
                slug = SECTION_SLUGS.get(code, {}).get(key, key)
                translated, created = self.translate(section, code, title=names[index], slug=slug)
                if created:
                    _publish(translated)
        return sections

    def _story_fields(self, item: dict, text: dict, images: list[PortalImage]) -> dict:
        """A story's fields in the language of ``text`` (the item itself for Vietnamese,
        else one of its translations): words, the main image's description and caption,
        the photos' and the video's texts."""
        body = _paragraphs(text["body"])
        quote = text.get("quote") if text is not item else item.get("quote")
        if quote:
            body.insert(min(2, len(body)), ("quote", {"quote": quote, "attribution": ""}))
        image_text = text.get("image") or {}
        fields = {
            "title": text["title"],
            "lead": text["lead"],
            "body": body,
            "hero_image": images[0],
            "hero_alt": image_text.get("alt", "")[:255],
            "hero_caption": image_text.get("caption", "")[:500],
            "author": item.get("author", ""),
            "source": item.get("source", ""),
        }
        if item["kind"] == "photo":
            photo_texts = text.get("photos") or item.get("photos") or []
            fields["photos"] = [
                (
                    "photo",
                    {
                        "image": image,
                        "alt_text": photo["alt"],
                        "caption": photo["caption"],
                        "credit": "",
                    },
                )
                for image, photo in zip(images[1:], photo_texts, strict=False)
            ]
        if item["kind"] == "video":
            video_text = {**item["video"], **(text.get("video") or {})}
            fields["video"] = [
                (
                    "video",
                    {
                        "video_file": self.demo_video(),
                        "url": "",
                        "poster": images[0],
                        "title": text["title"],
                        "transcript": video_text.get("transcript", ""),
                    },
                )
            ]
            fields["duration"] = item["video"].get("duration", "")
        return fields

    def demo_video(self):
        document_model = get_document_model()
        existing = document_model.objects.filter(title="Video trình diễn").first()
        if existing:
            return existing
        path = DATA_DIR / "media" / "demo-video.mp4"
        if not path.exists():
            return None
        document = document_model(title="Video trình diễn")
        document.file.save("demo-video.mp4", ContentFile(path.read_bytes()), save=False)
        document.save()
        return document

    def load_articles(self, sections) -> None:
        models = {"article": ArticlePage, "photo": PhotoStoryPage, "video": VideoStoryPage}
        for number, item in enumerate(demo_articles(), start=1):
            with transaction.atomic():
                self._load_article(item, sections, models)
            if number % 10 == 0:
                self.progress(f"  … {number} tin bài")
        if self.report.pages_updated or self.report.pages_merged:
            self.progress(
                f"  cập nhật {self.report.pages_updated} trang, "
                f"gộp {self.report.pages_merged} tin trùng vào tin cùng sự kiện"
            )

    def _article_images(self, item: dict) -> list[PortalImage]:
        images = [
            self.image(
                title=item["image"].get("caption") or item["title"],
                alt=item["image"]["alt"],
                palette=item["image"]["palette"],
                seed_text=item["slug"],
            )
        ]
        for index, photo in enumerate(item.get("photos") or []):
            images.append(
                self.image(
                    title=photo.get("caption") or f"{item['title']} {index}",
                    alt=photo["alt"],
                    palette=photo["palette"],
                    seed_text=f"{item['slug']}-{index}",
                )
            )
        return images

    def _existing_article(self, item: dict, model) -> tuple[Page | None, list[Page]]:
        """The story's page if an earlier load made it, under its slug or one it had before
        (``former_slugs``), and the other pages listed there: stories merged into it."""
        slugs = [item["slug"], *item.get("former_slugs", [])]
        found = {
            page.slug: page
            for page in ArticlePage.objects.descendant_of(self.homes["vi"])
            .filter(slug__in=slugs)
            .specific()
        }
        pages = [found[slug] for slug in slugs if slug in found]
        page = next((page for page in pages if type(page) is model), None)
        return page, [other for other in pages if other is not page]

    def _load_article(self, item, sections, models) -> None:
        model = models[item["kind"]]
        section = sections[item["section"]]
        page, merged = self._existing_article(item, model)
        images = self._article_images(item)
        fields = self._story_fields(item, item, images)
        fields["is_featured"] = item.get("featured", False)
        hours, minutes = (int(part) for part in item.get("published_time", "08:00").split(":"))
        day = (self.now - timedelta(days=item.get("published_days_ago", 0))).date()
        published_at = timezone.make_aware(datetime.combine(day, time(hours, minutes)))
        published_at = min(published_at, self.now)
        if page is None:
            page, _ = self.child(section, model, item["slug"], published_at=published_at, **fields)
            page.tags.set(item.get("tags", []))
            page.save()
            _publish(page, published_at)
        else:
            page = self._update(
                page, fields, slug=item["slug"], tags=item.get("tags", []), section=section
            )
        for code, text in (item.get("translations") or {}).items():
            if code not in self.locales:
                continue
            fields = self._story_fields(item, text, images)
            fields["is_featured"] = item.get("featured", False)
            slug = text.get("slug", page.slug)
            existing = page.get_translation_or_none(self.locales[code])
            if existing is not None:
                self._update(existing.specific, fields, slug=slug, tags=text.get("tags", []))
                continue
            translated, _ = self.translate(page, code, slug=slug, **fields)
            translated.tags.set(text.get("tags", []))
            translated.save()
            _publish(translated, page.published_at)
        for other in merged:
            self._merge_into(other, page)

    def _update(self, page, fields: dict, *, slug: str, tags: list[str], section=None):
        """Bring a page of an earlier load up to date: a new address (the old one redirects
        to it), another section, new words or picture texts. Publishes a revision only when
        something changed, so a second load changes nothing."""
        if not _written_by_loader(page):
            self.progress(f"  (bỏ qua «{page.title}»: đã được sửa trong trang quản trị)")
            return page
        old_paths = _page_paths(page)
        if section is not None and page.get_parent().pk != section.pk:
            page.move(section, pos="last-child")
            page = type(page).objects.get(pk=page.pk)
        changed = {name: value for name, value in fields.items() if _differs(page, name, value)}
        if page.slug != slug:
            changed["slug"] = slug
        new_tags = sorted(tags) != sorted(tag.name for tag in page.tags.all())
        if changed or new_tags:
            for name, value in changed.items():
                setattr(page, name, value)
            if new_tags:
                page.tags.set(tags)  # kept in the revision, written when it is published
            _publish(page, page.published_at)
            page = type(page).objects.get(pk=page.pk)  # as published: new url_path, revision
            self.report.pages_updated += 1
        if old_paths != _page_paths(page):
            _redirect(old_paths, page)
        return page

    def _merge_into(self, duplicate: Page, kept: Page) -> None:
        """An older demo story about the same event as ``kept``: each language's address
        now leads to ``kept`` in that language (or in Vietnamese), and the page goes."""
        for page in duplicate.get_translations(inclusive=True).specific():
            target = kept.get_translation_or_none(page.locale) or kept
            _redirect(_page_paths(page), target)
        for page in duplicate.get_translations(inclusive=True).exclude(pk=duplicate.pk):
            PageDailyVisits.objects.filter(page_id=page.pk).delete()
            page.delete()
        PageDailyVisits.objects.filter(page_id=duplicate.pk).delete()
        duplicate.delete()
        self.report.pages_merged += 1

    def load_standard_pages(self, home) -> None:
        for item in _read("pages.json"):
            with transaction.atomic():
                page, created = self.child(
                    home,
                    StandardPage,
                    item["slug"],
                    title=item["title"],
                    intro=item.get("intro", ""),
                    body=_paragraphs(item["body"]),
                    show_in_menus=False,
                )
                if created:
                    _publish(page)
                for code, text in (item.get("translations") or {}).items():
                    translated, created = self.translate(
                        page,
                        code,
                        slug=text.get("slug", item["slug"]),
                        title=text["title"],
                        intro=text.get("intro", ""),
                        body=_paragraphs(text["body"]),
                    )
                    if created:
                        _publish(translated)

    @transaction.atomic
    def load_snippets(self, homes) -> None:
        if Banner.objects.exists():
            return
        banners = [
            ("Thông tin đối ngoại - Lào Cai hội nhập và phát triển", "top", "festival"),
            ("Tuyên truyền Hiệp ước biên giới đất liền Việt Nam - Trung Quốc", "side", "border"),
            ("Lào Cai - Điểm đến an toàn, thân thiện", "side", "mountain"),
        ]
        about = StandardPage.objects.filter(locale=self.locales["vi"]).first()
        for order, (title, slot, palette) in enumerate(banners):
            image = self.image(
                title=f"Banner: {title}", alt=title, palette=palette, seed_text=f"banner-{order}"
            )
            Banner.objects.create(
                title=title,
                image=image,
                slot=slot,
                sort_order=order,
                link_page=about,
                link_url="",
                locale=self.locales["vi"],
            )
        for order, (title, url) in enumerate(RELATED_PORTALS):
            RelatedPortalLink.objects.create(
                title=title, url=url, sort_order=order, locale=self.locales["vi"]
            )

    @transaction.atomic
    def load_visits(self) -> None:
        """A synthetic history so the counter and "most read" have figures: 120 days of the
        whole site, 30 days of each article in every language (fewer readers in the foreign
        languages). Each part is written once; a language whose articles have no history yet
        (an older demo database) gets its own."""
        rng = random.Random(2026)  # deterministic demo figures
        today = timezone.localdate()
        if not SiteDailyVisits.objects.exists():
            SiteDailyVisits.objects.bulk_create(
                SiteDailyVisits(
                    day=today - timedelta(days=offset),
                    views=rng.randint(1800, 3200),
                    visitors=rng.randint(900, 1600),
                )
                for offset in range(1, 121)
            )
            shares = {
                "direct": 0.35,
                "search": 0.4,
                "social": 0.15,
                "internal": 0.07,
                "other": 0.03,
            }
            ReferrerDailyVisits.objects.bulk_create(
                ReferrerDailyVisits(day=row.day, kind=kind, views=int(row.views * share))
                for row in SiteDailyVisits.objects.all()
                for kind, share in shares.items()
            )
        for code, (per_day, most) in PAGE_VISITS.items():
            if PageDailyVisits.objects.filter(locale=code).exists():
                continue
            articles = list(
                ArticlePage.objects.live()
                .filter(locale=self.locales[code])
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            rng = random.Random(f"2026-{code}")
            PageDailyVisits.objects.bulk_create(
                PageDailyVisits(
                    page_id=page_id,
                    locale=code,
                    day=today - timedelta(days=offset),
                    views=rng.randint(max(1, most // 20), most),
                )
                for offset in range(1, 31)
                for page_id in rng.sample(articles, min(per_day, len(articles)))
            )


def demo_load(progress: Callable[[str], None] = lambda message: None) -> LoadReport:
    return DemoLoader(progress).load()
