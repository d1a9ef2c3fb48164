"""StreamField blocks for article bodies and plain pages."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = [
    "bold",
    "italic",
    "link",
    "document-link",
    "ol",
    "ul",
    "h3",
    "h4",
    "blockquote",
]
YOUTUBE_ID = re.compile(
    r"^(?:https?://)?(?:www\.|m\.)?(?:youtube\.com/(?:watch\?v=|embed/|shorts/)|youtu\.be/)"
    r"(?P<id>[A-Za-z0-9_-]{11})"
)


def youtube_id(url: str) -> str | None:
    match = YOUTUBE_ID.match(url or "")
    return match.group("id") if match else None


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alt text"),
        required=False,
        max_length=255,
        help_text=_("Leave empty to use the image's own description."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=500)
    credit = blocks.CharBlock(label=_("Photo credit"), required=False, max_length=255)

    class Meta:
        icon = "image"
        label = _("Image with caption")
        template = "portal/blocks/captioned_image.html"

    def clean(self, value):
        value = super().clean(value)
        image = value.get("image")
        if image is not None and not (value.get("alt_text") or image.description):
            raise StructBlockValidationError(
                block_errors={
                    "alt_text": ValidationError(
                        _("This image has no description: write alternative text for it.")
                    )
                }
            )
        return value


class VideoBlock(blocks.StructBlock):
    """A video: an uploaded file (MP4/WebM) or a YouTube link, embedded without tracking."""

    video_file = DocumentChooserBlock(label=_("Video file"), required=False)
    url = blocks.URLBlock(label=_("YouTube link"), required=False)
    poster = ImageChooserBlock(label=_("Poster image"), required=False)
    title = blocks.CharBlock(label=_("Title"), max_length=255)
    transcript = blocks.TextBlock(label=_("Transcript or summary"), required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "portal/blocks/video.html"

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if not value.get("video_file") and not value.get("url"):
            errors["url"] = ValidationError(_("Choose a video file or give a YouTube link."))
        elif value.get("url") and not youtube_id(value["url"]):
            errors["url"] = ValidationError(_("This is not a YouTube video link."))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["youtube_id"] = youtube_id(value.get("url") or "")
        return context


class AttachmentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=255)

    class Meta:
        icon = "doc-full"
        label = _("Attached document")
        template = "portal/blocks/attachment.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False, max_length=255)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "portal/blocks/quote.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=RICH_TEXT_FEATURES)
    heading = blocks.CharBlock(
        label=_("Heading"), form_classname="title", template="portal/blocks/heading.html"
    )
    image = CaptionedImageBlock()
    video = VideoBlock()
    quote = QuoteBlock()
    attachment = AttachmentBlock()

    class Meta:
        block_counts = {}


class PhotoBlock(CaptionedImageBlock):
    class Meta:
        icon = "image"
        label = _("Photo")
        template = "portal/blocks/photo.html"
