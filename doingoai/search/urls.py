"""Portal search (per language)."""

from django.urls import path

from . import views

i18n_urlpatterns: list = [
    path("tim-kiem/", views.search, name="portal_search"),
]
