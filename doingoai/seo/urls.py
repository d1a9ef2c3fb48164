"""Feeds, sitemaps and robots.txt."""

from django.urls import path

from . import views
from .feeds import LatestNewsAtomFeed, LatestNewsFeed

# language-independent
urlpatterns = [
    path("robots.txt", views.robots_txt, name="seo_robots"),
    path("sitemap.xml", views.sitemap, name="seo_sitemap"),
    path("news-sitemap.xml", views.news_sitemap, name="seo_news_sitemap"),
    path("favicon.ico", views.favicon, name="seo_favicon"),
]

# inside i18n_patterns: /<lang>/rss/, /<lang>/atom/ and per section
i18n_urlpatterns = [
    path("manifest.webmanifest", views.web_manifest, name="seo_manifest"),
    path("rss/", LatestNewsFeed(), name="seo_rss"),
    path("atom/", LatestNewsAtomFeed(), name="seo_atom"),
    path("rss/<slug:section>/", LatestNewsFeed(), name="seo_rss_section"),
    path("atom/<slug:section>/", LatestNewsAtomFeed(), name="seo_atom_section"),
]
