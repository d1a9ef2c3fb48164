"""Anything a public page can show changed: make the page cache stale and purge the front-end
cache (nginx, Varnish, a CDN) of the affected URLs when one is configured."""

from django.db.models.signals import post_delete, post_save
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .models import Banner, RelatedPortalLink
from .page_cache import frontend_cache_purge, frontend_cache_purge_home, page_cache_invalidate
from .routing import forget_page

page_published.connect(page_cache_invalidate, dispatch_uid="pagecache-published")
page_unpublished.connect(page_cache_invalidate, dispatch_uid="pagecache-unpublished")
post_page_move.connect(page_cache_invalidate, dispatch_uid="pagecache-moved")
# Sites (routing, URLs), view restrictions (who may see a page), images and documents (alt
# text, captions, files shown in pages and cached fragments) change what is served too.
for model in (
    Banner,
    RelatedPortalLink,
    Site,
    PageViewRestriction,
    get_image_model(),
    get_document_model(),
):
    post_save.connect(page_cache_invalidate, sender=model, dispatch_uid=f"pagecache-{model}")
    post_delete.connect(page_cache_invalidate, sender=model, dispatch_uid=f"pagecache-del-{model}")


def _page_saved(sender, instance, **kwargs):
    """A draft save changes no live content, but the row the router keeps must be re-read."""
    if isinstance(instance, Page):
        forget_page(instance.pk)


post_save.connect(_page_saved, dispatch_uid="portal-page-saved")


def _page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        forget_page(instance.pk)
        page_cache_invalidate()
        # Once per page: the deletion also sends the signal for each parent-model row.
        if type(instance) is instance.specific_class:
            frontend_cache_purge(instance)


post_delete.connect(_page_deleted, dispatch_uid="pagecache-page-deleted")


def _page_changed(sender, instance, **kwargs):
    frontend_cache_purge(instance, url_path_before=kwargs.get("url_path_before"))


page_published.connect(_page_changed, dispatch_uid="frontendcache-published")
page_unpublished.connect(_page_changed, dispatch_uid="frontendcache-unpublished")
post_page_move.connect(_page_changed, dispatch_uid="frontendcache-moved")


def _home_block_changed(sender, instance, **kwargs):
    frontend_cache_purge_home(locale_id=instance.locale_id)


for model in (Banner, RelatedPortalLink):
    post_save.connect(_home_block_changed, sender=model, dispatch_uid=f"frontendcache-{model}")
    post_delete.connect(
        _home_block_changed, sender=model, dispatch_uid=f"frontendcache-del-{model}"
    )
