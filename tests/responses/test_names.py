"""A response case's timeline names its officers family name first ("Trần Văn Minh")."""

from datetime import date

from bs4 import BeautifulSoup
from django.urls import reverse

from doingoai.responses.services import case_open


def test_case_timeline_names_the_officer_family_name_first(client, office):
    editor = office.users["editor"]
    editor.first_name, editor.last_name = "Minh", "Trần Văn"
    editor.save(update_fields=["first_name", "last_name"])
    case = case_open(user=editor, title="Tin sai về cửa khẩu", deadline=date(2099, 1, 1))
    client.force_login(editor)
    html = client.get(reverse("responses_cases:inspect", args=[case.pk])).content.decode()
    cells = [td.get_text(strip=True) for td in BeautifulSoup(html, "html.parser").find_all("td")]
    assert "Trần Văn Minh" in cells
    assert "Minh Trần Văn" not in html and editor.username not in cells
