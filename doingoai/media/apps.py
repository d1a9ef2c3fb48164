from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "doingoai.media"
    label = "media"
    verbose_name = "Thư viện ảnh"
