"""Generate the baseline's content: a bakerydemo-like tree with blog posts (idempotent)."""

import io
from datetime import date, timedelta

from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Page, Site

from ...models import BlogIndexPage, BlogPage, BlogPersonRelationship, FooterText, HomePage, Person

PARAGRAPH = (
    "<p>Lào Cai welcomed a delegation from Yunnan to discuss <b>border trade</b>, tourism and "
    "the railway link. The two sides reviewed the results of the previous year and agreed on "
    "a plan of joint events, with <i>exhibitions</i>, exchanges of students and a "
    '<a href="https://example.org/">programme of cultural visits</a>.</p>'
)


def picture(name: str, colour) -> Image:
    existing = Image.objects.filter(title=name).first()
    if existing:
        return existing
    out = io.BytesIO()
    PILImage.new("RGB", (1600, 1000), colour).save(out, format="JPEG", quality=80)
    return Image.objects.create(title=name, file=ImageFile(out, name=f"{name}.jpg"))


class Command(BaseCommand):
    help = "Create the plain-Wagtail baseline's pages (bakerydemo-like blog)."

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, default=20)

    def handle(self, *args, posts, **options):
        if BlogPage.objects.exists():
            self.stdout.write(BlogPage.objects.live().order_by("-pk").first().url)
            return
        images = [picture(f"picture-{n}", (40 * n % 255, 90, 160 - 10 * n)) for n in range(1, 7)]
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="Home", slug="home-baseline"))
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "B"},
        )
        Page.objects.filter(depth=2).exclude(pk=home.pk).delete()
        for title in ("Breads", "Locations", "Gallery", "About", "Contact"):
            page = home.add_child(
                instance=BlogIndexPage(title=title, show_in_menus=True, introduction=title)
            )
            page.add_child(instance=BlogIndexPage(title=f"{title} child", show_in_menus=True))
        blog = home.add_child(instance=BlogIndexPage(title="Blog", slug="blog", show_in_menus=True))
        people = [
            Person.objects.create(first_name=f"Author{n}", last_name="Nguyen", image=images[n])
            for n in range(3)
        ]
        FooterText.objects.create(body="<p>Baseline site, <b>plain Wagtail</b>.</p>")
        for n in range(posts):
            body = [
                ("heading", "The visit"),
                ("paragraph", PARAGRAPH),
                ("paragraph", PARAGRAPH),
                ("image", {"image": images[n % 6], "caption": "Delegates", "attribution": "P"}),
                ("heading", "Agreements"),
                ("paragraph", PARAGRAPH),
                ("quote", "We will keep the border open and friendly."),
                ("image", {"image": images[(n + 1) % 6], "caption": "Market", "attribution": "P"}),
                ("paragraph", PARAGRAPH),
            ]
            post = blog.add_child(
                instance=BlogPage(
                    title=f"Blog post number {n} about border cooperation",
                    slug=f"post-{n}",
                    introduction="A short introduction to the post. " * 3,
                    subtitle="Cooperation",
                    image=images[n % 6],
                    body=body,
                    date_published=date(2026, 1, 1) + timedelta(days=n),
                )
            )
            post.tags.add("border", "trade", f"topic-{n % 4}")
            for order, person in enumerate(people[:2]):
                BlogPersonRelationship.objects.create(page=post, person=person, sort_order=order)
            post.save_revision().publish()
        self.stdout.write(BlogPage.objects.live().order_by("-pk").first().url)
