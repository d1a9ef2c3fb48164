"""Back office of the monitoring module: screens, permissions, Vietnamese."""

from pathlib import Path

import pytest
from django.urls import reverse

from doingoai.accounts.services import roles_sync, user_create_with_role
from doingoai.monitoring.models import Cluster, Item, Source, WatchTerm
from doingoai.monitoring.services import (
    monitoring_grant_permissions,
    social_export_import,
    source_fetch,
)
from doingoai.monitoring.viewsets import MonitoringGroup
from tests.admin_i18n import crawl_admin, record_missed_strings

from .factories import SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def found(site, gazetteer):
    """Sources in every state, items of every status, stories with several mentions."""
    roles_sync()
    monitoring_grant_permissions()
    source_fetch(source=SourceFactory(name="Báo Biên Cương", url=site.url("/feed.rss")))
    source_fetch(source=SourceFactory(name="Tin lỗi", url=site.url("/errors.rss")))
    source_fetch(source=SourceFactory(name="Nguồn hỏng", url=site.url("/broken.rss")))
    source_fetch(
        source=SourceFactory(
            name="Trang tin tức", kind=Source.Kind.LISTING, url=site.url("/tin-tuc/")
        )
    )
    social = SourceFactory(
        name="Trang Facebook", kind=Source.Kind.SOCIAL, url="", platform="facebook"
    )
    social_export_import(
        source=social, data=b"id,text\nf1,Lao Cai hom nay co mua to\n", filename="f.csv"
    )
    return Source.objects.all()


def start_urls() -> list[str]:
    urls = ["/quan-tri/"]
    for viewset_class in MonitoringGroup.items:
        viewset = viewset_class()
        index = reverse(viewset.get_url_name("index"))
        urls += [index, index + "?q=Lao"]
        obj = viewset.model.objects.order_by("pk").first()
        for view in ("inspect", "edit", "history", "usage"):
            try:
                urls.append(reverse(viewset.get_url_name(view), args=[obj.pk]))
            except Exception:  # noqa: S112 - the viewset has no such view
                continue
        urls.append(reverse(viewset.get_url_name("delete"), args=[obj.pk]) + "?")
    urls.append(reverse("monitoring_sources:add"))
    urls.append(reverse("monitoring_watch_terms:add"))
    urls.append(reverse("monitoring_sources:index") + "?last_status=error&kind=feed")
    urls.append(reverse("monitoring_items:index") + "?extraction_status=no_text")
    return urls


def translated_in_other_apps() -> set[str]:
    """Strings other apps translate in their own catalogue (their menu items show on our
    screens too); whether those are compiled is checked by tests/test_admin_vietnamese.py."""
    import polib

    root = Path(__file__).resolve().parents[2] / "doingoai"
    strings = set()
    for path in root.glob("*/locale/vi/LC_MESSAGES/django.po"):
        if path.parts[-5] != "monitoring":
            strings |= {e.msgid for e in polib.pofile(str(path)) if e.msgstr}
    return strings


@pytest.mark.parametrize("role", ["administrator", "editor"])
def test_monitoring_screens_have_no_untranslated_strings(client, found, role):
    client.force_login(user_create_with_role(username=f"u_{role}", password="x-2026", role=role))
    with record_missed_strings() as missed:
        visited, errors = crawl_admin(client, missed, start=start_urls(), limit=60)
    assert errors == []
    assert len(visited) > 15
    others = translated_in_other_apps()
    where = {text: urls for text, urls in missed.where.items() if text not in others}
    report = "\n".join(f"{text!r} on {sorted(urls)[0]}" for text, urls in sorted(where.items()))
    assert not where, f"{len(where)} untranslated strings:\n{report}"


def test_source_list_shows_health_in_vietnamese(client, found):
    client.force_login(
        user_create_with_role(username="qt", password="x-2026", role="administrator")
    )
    html = client.get(reverse("monitoring_sources:index")).content.decode()
    for text in (
        "Nguồn hỏng",
        "Lỗi",
        "Hoạt động tốt",
        "Số lần lỗi liên tiếp",
        "Lỗi gần nhất",
        "Không đọc được nguồn tin RSS/Atom",
        "Lần tải gần nhất",
    ):
        assert text in html, text
    dashboard = client.get("/quan-tri/").content.decode()
    assert "Theo d\\u00f5i th\\u00f4ng tin" in dashboard  # the sidebar menu, as JSON


def test_story_page_shows_its_mentions_per_day(client, found, site):
    client.force_login(
        user_create_with_role(username="qt", password="x-2026", role="administrator")
    )
    story = Item.objects.get(canonical_url=site.url("/articles/a1.html")).cluster
    html = client.get(reverse("monitoring_clusters:inspect", args=[story.pk])).content.decode()
    assert "Lượt nhắc đến theo ngày" in html and "12/03/2024" in html
    assert "Tạp chí Vùng cao" not in html  # site names are not items; the sources are listed
    assert "Báo Biên Cương" in html


def test_found_data_is_read_only(client, found):
    client.force_login(
        user_create_with_role(username="qt", password="x-2026", role="administrator")
    )
    item = Item.objects.first()
    assert client.get(reverse("monitoring_items:add")).status_code == 302  # permission denied
    assert client.get(reverse("monitoring_items:edit", args=[item.pk])).status_code == 302
    assert client.get(reverse("monitoring_items:inspect", args=[item.pk])).status_code == 200
    cluster = Cluster.objects.first()
    assert client.get(reverse("monitoring_clusters:edit", args=[cluster.pk])).status_code == 302
    listing = client.get(reverse("monitoring_items:index")).content.decode()
    assert reverse("monitoring_items:add") not in listing


def test_editors_read_but_do_not_manage(client, found):
    client.force_login(user_create_with_role(username="bt", password="x-2026", role="editor"))
    assert client.get(reverse("monitoring_sources:index")).status_code == 200
    assert client.get(reverse("monitoring_sources:add")).status_code == 302
    reporter = user_create_with_role(username="pv", password="x-2026", role="reporter")
    client.force_login(reporter)
    assert client.get(reverse("monitoring_items:index")).status_code == 302


def test_sources_and_watch_terms_are_managed_in_the_back_office(client, found):
    client.force_login(
        user_create_with_role(username="qt", password="x-2026", role="administrator")
    )
    response = client.post(
        reverse("monitoring_sources:add"),
        {
            "name": "Cổng thông tin tỉnh",
            "kind": "listing",
            "url": "",
            "platform": "",
            "link_pattern": "([",
            "fetch_interval_minutes": "2",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Loại nguồn tin này cần có địa chỉ." in html
    assert "Biểu thức chính quy không hợp lệ" in html
    response = client.post(
        reverse("monitoring_sources:add"),
        {
            "name": "Cổng thông tin tỉnh",
            "kind": "listing",
            "url": "https://laocai.gov.vn/tin-tuc",
            "platform": "",
            "link_pattern": r"/tin-tuc/\d+",
            "fetch_interval_minutes": "30",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert Source.objects.get(name="Cổng thông tin tỉnh").next_fetch_at is None  # due now
    response = client.post(
        reverse("monitoring_watch_terms:add"),
        {"term": "Bản Xèo", "kind": "commune", "weight": "1.5", "active": "on", "note": ""},
    )
    assert response.status_code == 302
    assert WatchTerm.objects.get(term="Bản Xèo").kind == "commune"


@pytest.mark.django_db
def test_a_fresh_migrate_grants_the_monitoring_roles():
    """As on a new database: this app's permissions do not exist yet when migrate's
    post_migrate signal starts; the roles must still end up with them."""
    from django.contrib.auth.models import Group, Permission
    from django.core.management.sql import emit_post_migrate_signal

    from doingoai.accounts.roles import APPROVER, EDITOR
    from doingoai.accounts.services import roles_sync

    roles_sync()
    Permission.objects.filter(content_type__app_label="monitoring").delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    for role in (EDITOR, APPROVER):
        codenames = set(
            Group.objects.get(name=role.group_name).permissions.values_list("codename", flat=True)
        )
        assert {"view_item", "view_cluster", "fetch_source", "add_itemlabel"} <= codenames
