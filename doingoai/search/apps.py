from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "doingoai.search"
    label = "portal_search"
    verbose_name = "Vietnamese search"
