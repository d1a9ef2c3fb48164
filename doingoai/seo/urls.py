"""Feeds, sitemaps and robots.txt (URL patterns filled in by the seo app)."""

urlpatterns: list = []  # language-independent: /sitemap.xml, /robots.txt, /news-sitemap.xml
i18n_urlpatterns: list = []  # per language: /<lang>/rss/, /<lang>/atom/, per-section feeds
