"""“Lấy tin ngay”: fetch one source now from the back office (POST, CSRF, permission)."""

import pytest
from django.test import Client
from django.urls import reverse

from doingoai.accounts.services import roles_sync, user_create_with_role
from doingoai.monitoring.models import Item, Source
from doingoai.monitoring.services import monitoring_grant_permissions

from .factories import SourceFactory

pytestmark = pytest.mark.django_db


def fetch_url(source_or_pk) -> str:
    pk = getattr(source_or_pk, "pk", source_or_pk)
    return reverse("monitoring_fetch_now", args=[pk])


@pytest.fixture
def roles(db):
    roles_sync()
    monitoring_grant_permissions()


@pytest.fixture
def admin_user(roles):
    return user_create_with_role(username="quantri", password="x-2026", role="administrator")


@pytest.fixture
def editor(roles):
    return user_create_with_role(username="bientap", password="x-2026", role="editor")


@pytest.fixture
def paper(site, gazetteer):
    return SourceFactory(name="Báo Biên Cương", url=site.url("/feed.rss"))


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_administrator_fetches_a_source_now(client, admin_user, paper, site):
    client.force_login(admin_user)
    response = client.post(fetch_url(paper), follow=True)
    assert response.redirect_chain[0] == (reverse("monitoring_sources:index"), 302)
    assert Item.objects.filter(source=paper).count() == 3
    assert messages_of(response) == ["Đã lấy tin từ Báo Biên Cương: 3 tin mới, 0 tin đã có."]
    assert site.hits["/feed.rss"] == 1
    paper.refresh_from_db()
    assert paper.last_status == Source.Status.OK and paper.last_new_items == 3
    again = client.post(fetch_url(paper), follow=True)  # conditional GET: 304
    assert messages_of(again) == ["Báo Biên Cương không có thay đổi kể từ lần tải trước."]


def test_a_failing_source_shows_its_error(client, admin_user, site, gazetteer):
    broken = SourceFactory(name="Nguồn hỏng", url=site.url("/broken.rss"))
    client.force_login(admin_user)
    response = client.post(fetch_url(broken), follow=True)
    (message,) = messages_of(response)
    assert message.startswith("Không lấy được tin từ Nguồn hỏng: ")
    assert "RSS" in message
    broken.refresh_from_db()
    assert broken.consecutive_failures == 1


def test_goes_back_to_the_page_it_came_from_but_never_off_site(client, admin_user, paper):
    client.force_login(admin_user)
    inspect = reverse("monitoring_sources:inspect", args=[paper.pk])
    response = client.post(fetch_url(paper), {"next": inspect})
    assert response.status_code == 302 and response["Location"] == inspect
    response = client.post(fetch_url(paper), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("monitoring_sources:index")


def test_get_is_refused_and_fetches_nothing(client, admin_user, paper, site):
    client.force_login(admin_user)
    response = client.get(fetch_url(paper))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "Lấy tin ngay" in response.content.decode()
    assert site.hits["/feed.rss"] == 0


def test_inactive_and_unknown_sources_are_refused_clearly(client, admin_user, paper, site):
    paper.active = False
    paper.save()
    client.force_login(admin_user)
    response = client.post(fetch_url(paper), follow=True)
    assert messages_of(response) == [
        "Báo Biên Cương đang tạm dừng theo dõi: hãy bật theo dõi trước khi lấy tin."
    ]
    response = client.post(fetch_url(987654), follow=True)
    assert messages_of(response) == ["Không có nguồn tin số 987654."]
    social = SourceFactory(name="Trang Zalo", kind=Source.Kind.SOCIAL, url="", platform="zalo")
    response = client.post(fetch_url(social), follow=True)
    assert messages_of(response) == [
        "Trang Zalo không có địa chỉ: hãy nhập tệp dữ liệu xuất của nguồn này."
    ]
    assert site.hits["/feed.rss"] == 0
    assert not Item.objects.exists()


def test_anonymous_users_are_sent_to_sign_in(client, paper, site):
    response = client.post(fetch_url(paper))
    assert response.status_code == 302 and response["Location"].startswith("/quan-tri/login/")
    assert site.hits["/feed.rss"] == 0


@pytest.mark.parametrize("role", ["reporter"])
def test_users_without_fetch_permission_are_refused(client, roles, paper, site, role):
    client.force_login(user_create_with_role(username=f"u_{role}", password="x-2026", role=role))
    response = client.post(fetch_url(paper))
    assert response.status_code == 302 and response["Location"] == "/quan-tri/"
    assert site.hits["/feed.rss"] == 0


@pytest.mark.parametrize("role", ["editor", "approver"])
def test_editors_and_approvers_may_fetch_without_editing_sources(client, roles, paper, role):
    user = user_create_with_role(username=f"u_{role}", password="x-2026", role=role)
    assert not user.has_perm("monitoring.change_source")
    client.force_login(user)
    response = client.post(fetch_url(paper), follow=True)
    assert messages_of(response)[0].startswith("Đã lấy tin từ Báo Biên Cương: 3 tin mới")


def test_csrf_token_is_required(admin_user, paper, site):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin_user)
    assert browser.post(fetch_url(paper)).status_code == 403
    assert site.hits["/feed.rss"] == 0
    listing = browser.get(reverse("monitoring_sources:index"))
    token = listing.cookies["csrftoken"].value
    response = browser.post(fetch_url(paper), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert site.hits["/feed.rss"] == 1


def test_listing_and_inspect_page_show_the_button_to_managers_only(client, admin_user, paper):
    social = SourceFactory(name="Trang Zalo", kind=Source.Kind.SOCIAL, url="", platform="zalo")
    client.force_login(admin_user)
    listing = client.get(reverse("monitoring_sources:index")).content.decode()
    assert f'action="{fetch_url(paper)}"' in listing
    assert 'name="csrfmiddlewaretoken"' in listing
    assert "Lấy tin ngay" in listing
    assert f"{reverse('monitoring_social_import')}?nguon={social.pk}" in listing
    inspect = client.get(reverse("monitoring_sources:inspect", args=[paper.pk])).content.decode()
    assert f'action="{fetch_url(paper)}"' in inspect
    social_page = reverse("monitoring_sources:inspect", args=[social.pk])
    assert "Nhập dữ liệu mạng xã hội" in client.get(social_page).content.decode()
    client.force_login(user_create_with_role(username="pv", password="x-2026", role="reporter"))
    listing = client.get(reverse("monitoring_sources:index")).content.decode()
    assert fetch_url(paper) not in listing and "Lấy tin ngay" not in listing


def test_a_queued_fetch_says_it_is_queued(client, admin_user, paper, site, monkeypatch):
    """With a worker backend (RQ), the task is only queued: the message says so."""
    from doingoai.monitoring import tasks

    class Queued:
        is_finished = False
        status = "READY"

    class QueueOnly:
        @staticmethod
        def enqueue(**kwargs):
            return Queued()

    monkeypatch.setattr(tasks, "fetch_source", QueueOnly)
    client.force_login(admin_user)
    response = client.post(fetch_url(paper), follow=True)
    assert messages_of(response) == [
        "Đã đưa việc lấy tin từ Báo Biên Cương vào hàng đợi; hãy tải lại trang sau ít phút."
    ]
    assert site.hits["/feed.rss"] == 0
