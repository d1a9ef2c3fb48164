"""Canonical URLs (doingoai.textproc.urls)."""

import pytest

from doingoai.textproc.urls import InvalidURL, canonical_url, same_site


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://BaoLaoCai.VN/tin-tuc/", "https://baolaocai.vn/tin-tuc"),
        ("https://baolaocai.vn", "https://baolaocai.vn/"),
        ("https://baolaocai.vn/", "https://baolaocai.vn/"),
        ("https://baolaocai.vn/a.html#binh-luan", "https://baolaocai.vn/a.html"),
        (
            "https://baolaocai.vn/a.html?utm_source=fb&utm_medium=social&id=5&fbclid=IwAR0x",
            "https://baolaocai.vn/a.html?id=5",
        ),
        ("https://baolaocai.vn/a?b=2&a=1&gclid=x&zarsrc=30", "https://baolaocai.vn/a?a=1&b=2"),
        ("http://baolaocai.vn:80/a", "http://baolaocai.vn/a"),
        ("https://baolaocai.vn:443/a", "https://baolaocai.vn/a"),
        ("https://baolaocai.vn:8443/a", "https://baolaocai.vn:8443/a"),
        ("https://user:pw@baolaocai.vn/a", "https://baolaocai.vn/a"),
        ("https://baolaocai.vn/tin/lào-cai", "https://baolaocai.vn/tin/l%C3%A0o-cai"),
        ("https://baolaocai.vn/tin/l%c3%a0o-cai", "https://baolaocai.vn/tin/l%C3%A0o-cai"),
        ("https://xn--lo-cai-ova.vn/a", "https://xn--lo-cai-ova.vn/a"),
        ("https://lào-cai.vn/a", "https://xn--lo-cai-ita.vn/a"),
        ("  https://baolaocai.vn/a?q=sa+pa  ", "https://baolaocai.vn/a?q=sa%20pa"),
        ("https://[2001:db8::1]:8080/a/", "https://[2001:db8::1]:8080/a"),
    ],
)
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected


def test_canonical_url_is_idempotent():
    url = "https://Baolaocai.vn/tin/lào-cai/?utm_campaign=x&page=2#top"
    once = canonical_url(url)
    assert canonical_url(once) == once


@pytest.mark.parametrize(
    "url",
    [
        "",
        "baolaocai.vn/a",
        "ftp://baolaocai.vn/a",
        "javascript:alert(1)",
        "https:///a",
        "https://baolaocai.vn:99999/",
        "https://baolaocai.vn/" + "a" * 3000,
    ],
)
def test_canonical_url_refuses(url):
    with pytest.raises(InvalidURL):
        canonical_url(url)


def test_same_site_ignores_www_only():
    assert same_site("https://www.baolaocai.vn/a", "https://baolaocai.vn/b")
    assert not same_site("https://baolaocai.vn/a", "https://laocai.gov.vn/b")
    assert not same_site("https://evil-baolaocai.vn/a", "https://baolaocai.vn/")
