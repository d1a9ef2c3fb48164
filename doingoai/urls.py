from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from doingoai.portal import views as portal_views
from doingoai.search import urls as search_urls
from doingoai.seo import urls as seo_urls

urlpatterns = [
    # Wagtail's "Site history" shows each officer the log of what they may edit: the audit log
    # (doingoai/audit) replaces it for those allowed to read the log.
    path(
        "quan-tri/reports/site-history/",
        RedirectView.as_view(pattern_name="audit_log", query_string=True),
    ),
    path(
        "quan-tri/reports/site-history/results/",
        RedirectView.as_view(pattern_name="audit_log_results", query_string=True),
    ),
    path("quan-tri/", include(wagtailadmin_urls)),
    path("tai-lieu/", include(wagtaildocs_urls)),
    path("phien/", include("session_security.urls")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    *seo_urls.urlpatterns,
]

urlpatterns += i18n_patterns(
    path(
        "chua-dich/<int:page_id>/",
        portal_views.translation_missing,
        name="portal_translation_missing",
    ),
    *seo_urls.i18n_urlpatterns,
    *search_urls.i18n_urlpatterns,
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns = (
        staticfiles_urlpatterns()
        + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
        + urlpatterns
    )
