"""Portal search (per language)."""

i18n_urlpatterns: list = []
