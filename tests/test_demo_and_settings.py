"""Demo content loads idempotently; settings switch engines by environment alone;
Vietnamese formats."""

import json
import os
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import formats, translation

from doingoai.demo.loader import demo_articles

pytestmark = pytest.mark.django_db


def test_demo_content_is_complete_and_vietnamese():
    articles = demo_articles()
    assert len(articles) >= 50
    slugs = [item["slug"] for item in articles]
    assert len(slugs) == len(set(slugs))
    assert {item["kind"] for item in articles} == {"article", "photo", "video"}
    translated = [item for item in articles if item.get("translations")]
    assert sum("en" in item["translations"] for item in translated) >= 8
    assert sum("zh-hans" in item["translations"] for item in translated) >= 4
    assert all(
        any(ch in item["title"] for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệ") for item in articles[:10]
    )


def test_load_demo_twice_creates_nothing_new(settings):
    from django.core.management import call_command

    from doingoai.monitoring.models import Cluster, Item
    from doingoai.portal.models import ArticlePage, HomePage
    from doingoai.visitors.models import SiteDailyVisits

    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    counts = (
        ArticlePage.objects.count(),
        HomePage.objects.count(),
        SiteDailyVisits.objects.count(),
        Item.objects.count(),
        Cluster.objects.count(),
    )
    assert counts[0] >= 60  # ~52 Vietnamese articles + translations
    assert counts[1] == 4
    assert counts[3] == 25  # every demo post and comment went through the import pipeline
    # The border-gate rumour, republished by four accounts, is one story with four mentions.
    rumour = Cluster.objects.order_by("-mention_count").select_related("representative")[0]
    assert rumour.mention_count >= 4
    assert "đóng cửa hoàn toàn từ tuần sau" in rumour.representative.text
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert (
        ArticlePage.objects.count(),
        HomePage.objects.count(),
        SiteDailyVisits.objects.count(),
        Item.objects.count(),
        Cluster.objects.count(),
    ) == counts
    assert ArticlePage.objects.live().filter(locale__language_code="zh-hans").exists()


def settings_under(env: dict) -> dict:
    """Import the settings in a fresh interpreter with ``env`` and report the engines."""
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps({'db': settings.DATABASES['default']['ENGINE'],"
        "'cache': settings.CACHES['default']['BACKEND'],"
        "'sessions': settings.SESSION_ENGINE,"
        "'tasks': settings.TASKS['default']['BACKEND'], 'visits': settings.VISITS_STORE}))"
    )
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "TASKS_BACKEND")
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="doingoai.settings.dev")
    output = subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def test_embedded_defaults():
    assert settings_under({}) == {
        "db": "django.db.backends.sqlite3",
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "sessions": "django.contrib.sessions.backends.db",
        "tasks": "django_tasks.backends.immediate.ImmediateBackend",
        "visits": "memory",
    }


def test_real_engines_by_environment_alone():
    assert settings_under(
        {
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/doingoai",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "TASKS_BACKEND": "rq",
        }
    ) == {
        "db": "django.db.backends.postgresql",
        "cache": "django_redis.cache.RedisCache",
        "sessions": "django.contrib.sessions.backends.cache",
        "tasks": "django_tasks_rq.RQBackend",
        "visits": "redis",
    }


def test_vietnamese_dates_and_numbers():
    with translation.override("vi"):
        assert formats.date_format(date(2026, 11, 24), "SHORT_DATE_FORMAT") == "24/11/2026"
        assert (
            formats.date_format(datetime(2026, 11, 24, 9, 5), "SHORT_DATETIME_FORMAT")
            == "24/11/2026 09:05"
        )
        assert (
            formats.number_format(Decimal("1234.5"), 1, use_l10n=True, force_grouping=True)
            == "1.234,5"
        )


def test_vietnamese_date_input_is_day_first():
    from django import forms

    class Form(forms.Form):
        day = forms.DateField()

    with translation.override("vi"):
        form = Form({"day": "05/11/2026"})
        assert form.is_valid()
        assert form.cleaned_data["day"] == date(2026, 11, 5)
        assert not Form({"day": "31/02/2026"}).is_valid()
