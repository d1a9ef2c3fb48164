"""bakerydemo-style models: a home page, a blog index and blog pages, people, a footer."""

from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Orderable, Page
from wagtail.snippets.models import register_snippet


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False)
    attribution = blocks.CharBlock(required=False)

    class Meta:
        template = "blog/image_block.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(template="blog/heading_block.html")
    paragraph = blocks.RichTextBlock()
    image = ImageBlock()
    quote = blocks.BlockQuoteBlock()


class HomePage(Page):
    introduction = models.TextField(blank=True)


class BlogIndexPage(Page):
    introduction = models.TextField(blank=True)


@register_snippet
class Person(models.Model):
    first_name = models.CharField(max_length=254)
    last_name = models.CharField(max_length=254)
    image = models.ForeignKey("wagtailimages.Image", null=True, on_delete=models.SET_NULL)

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


@register_snippet
class FooterText(models.Model):
    body = RichTextField()

    def __str__(self):
        return "Footer text"


class BlogPersonRelationship(Orderable, models.Model):
    page = ParentalKey("BlogPage", related_name="blog_person_relationship")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    def __str__(self):
        return str(self.person)


class BlogPageTag(TaggedItemBase):
    content_object = ParentalKey("BlogPage", related_name="tagged_items", on_delete=models.CASCADE)


class BlogPage(Page):
    introduction = models.TextField(blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = StreamField(BodyBlock(), blank=True)
    subtitle = models.CharField(blank=True, max_length=255)
    tags = ClusterTaggableManager(through=BlogPageTag, blank=True)
    date_published = models.DateField(null=True, blank=True)

    def authors(self):
        return [rel.person for rel in self.blog_person_relationship.all()]

    @property
    def get_tags(self):
        return list(self.tags.all())
