"""Anything a public page can show changed: make the page cache stale."""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from .models import Banner, RelatedPortalLink
from .page_cache import page_cache_invalidate

page_published.connect(page_cache_invalidate, dispatch_uid="pagecache-published")
page_unpublished.connect(page_cache_invalidate, dispatch_uid="pagecache-unpublished")
post_page_move.connect(page_cache_invalidate, dispatch_uid="pagecache-moved")
for model in (Banner, RelatedPortalLink):
    post_save.connect(page_cache_invalidate, sender=model, dispatch_uid=f"pagecache-{model}")
    post_delete.connect(page_cache_invalidate, sender=model, dispatch_uid=f"pagecache-del-{model}")


def _page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        page_cache_invalidate()


post_delete.connect(_page_deleted, dispatch_uid="pagecache-page-deleted")
