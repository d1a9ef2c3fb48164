from django.apps import AppConfig


class SeoConfig(AppConfig):
    name = "doingoai.seo"
    label = "seo"
    verbose_name = "Feeds, sitemaps and metadata"
