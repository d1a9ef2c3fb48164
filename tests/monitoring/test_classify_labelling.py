"""Staff label items in the back office (gán nhãn): permissions, CSRF, Vietnamese."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from doingoai.accounts.services import roles_sync, user_create_with_role
from doingoai.monitoring.classification import item_classify
from doingoai.monitoring.models import ItemLabel
from doingoai.monitoring.services import monitoring_grant_permissions
from tests.admin_i18n import crawl_admin, record_missed_strings

from .factories import ItemFactory, ItemLabelFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item():
    roles_sync()
    monitoring_grant_permissions()
    item = ItemFactory(
        title="Tin đồn đóng cửa khẩu Kim Thành",
        text="Tin đồn lan truyền trên mạng xã hội khiến thương lái hoang mang. Bịa đặt.",
    )
    item_classify(item)
    item.save()
    return item


def login(client, role: str):
    user = user_create_with_role(username=f"u_{role}", password="x-2026", role=role)
    client.force_login(user)
    return user


def label_url(item) -> str:
    return reverse("monitoring_items:label", args=[item.pk])


def test_anonymous_visitors_are_sent_to_sign_in(client, item):
    for url in (label_url(item), reverse("monitoring_items:labels")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/quan-tri/login/")
    response = client.post(label_url(item), {"topic": "bien-gioi", "risk": "false"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not ItemLabel.objects.exists()


def test_reporters_cannot_label(client, item):
    login(client, "reporter")
    response = client.post(label_url(item), {"topic": "bien-gioi", "risk": "false"})
    assert response.status_code == 302 and "/login/" not in response["Location"]
    assert client.get(label_url(item)).status_code == 302
    assert client.get(reverse("monitoring_items:labels")).status_code == 302
    assert not ItemLabel.objects.exists()


@pytest.mark.parametrize("role", ["editor", "approver"])
def test_editors_and_approvers_label_an_item(client, item, role):
    user = login(client, role)
    inspect = client.get(reverse("monitoring_items:inspect", args=[item.pk])).content.decode()
    assert label_url(item) in inspect and "Gán nhãn" in inspect
    assert "Chưa gán nhãn" in inspect
    assert "tin đồn (risk:false" in inspect  # the explanation: matched terms

    page = client.get(label_url(item)).content.decode()
    assert "Gán nhãn tin bài" in page and "Kết quả phân loại tự động" in page
    # A new label starts from the classifier's guess.
    form = BeautifulSoup(page, "html.parser")
    assert form.select_one("select[name=topic] option[selected]")["value"] == "bien-gioi"
    assert form.select_one("input[name=risk][checked]")["value"] == "false"

    response = client.post(label_url(item), {"topic": "bien-gioi", "risk": "false"})
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring_items:inspect", args=[item.pk])
    label = ItemLabel.objects.get(item=item)
    assert (label.topic, label.risk, label.labelled_by) == ("bien-gioi", "false", user)
    # Relabelling replaces the one current label.
    client.post(label_url(item), {"topic": "thoi-su", "risk": "negative"})
    assert ItemLabel.objects.filter(item=item).count() == 1
    assert ItemLabel.objects.get(item=item).risk == "negative"

    listing = client.get(reverse("monitoring_items:labels")).content.decode()
    assert "Nhãn tin bài" in listing and "Thời sự" in listing and "Tiêu cực" in listing
    assert "1 tin bài đã gán nhãn." in listing


def test_invalid_label_is_refused_in_vietnamese(client, item):
    login(client, "editor")
    response = client.post(label_url(item), {"topic": "the-thao", "risk": "gia"})
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert not ItemLabel.objects.exists()


def test_label_form_needs_the_csrf_token(item):
    client = Client(enforce_csrf_checks=True)
    login(client, "editor")
    response = client.post(label_url(item), {"topic": "bien-gioi", "risk": "false"})
    assert response.status_code == 403
    assert not ItemLabel.objects.exists()
    page = client.get(label_url(item)).content.decode()
    assert "csrfmiddlewaretoken" in page


def test_label_list_filters_by_risk(client, item):
    ItemLabelFactory(item__title="Du khách đến Sa Pa", risk="none")
    ItemLabelFactory(item__title="Tin giả về Bát Xát", risk="false", topic="thoi-su")
    login(client, "editor")
    url = reverse("monitoring_items:labels")
    page = client.get(url + "?risk=false").content.decode()
    assert "Tin giả về Bát Xát" in page and "Du khách đến Sa Pa" not in page
    assert "Du khách đến Sa Pa" in client.get(url).content.decode()
    items = client.get(reverse("monitoring_items:index")).content.decode()
    assert url in items  # the "Nhãn" button on the item listing


def test_labelling_screens_have_no_untranslated_strings(client, item):
    ItemLabelFactory(item__title="Du khách đến Sa Pa", risk="none")
    login(client, "editor")
    start = [
        label_url(item),
        reverse("monitoring_items:labels"),
        reverse("monitoring_items:labels") + "?risk=false",
        reverse("monitoring_items:inspect", args=[item.pk]),
        reverse("monitoring_items:index"),
    ]
    with record_missed_strings() as missed:
        visited, errors = crawl_admin(client, missed, start=start, limit=len(start))
    assert errors == []
    assert len(visited) == len(start)
    report = "\n".join(f"{text!r} on {sorted(urls)[0]}" for text, urls in missed.where.items())
    assert not missed.where, report
