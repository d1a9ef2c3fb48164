"""Listing-page link patterns run on RE2: a pathological pattern cannot backtrack for ever,
and a pattern the safe engine cannot compile is refused at save time (issue #12)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from doingoai.monitoring.connectors import ConnectorError, get_connector
from doingoai.monitoring.connectors.listing import (
    LinkPatternError,
    link_pattern_compile,
    listing_links,
)
from doingoai.monitoring.models import Source

ROOT = Path(__file__).resolve().parents[2]


def test_a_pathological_pattern_returns_at_once_on_a_long_address():
    # Python's re needs about 2^n steps for (a+)+$ on n letters a followed by another
    # character; a child process keeps a runaway match from freezing the test run.
    code = textwrap.dedent(
        """
        import time
        from doingoai.monitoring.connectors.listing import listing_links
        html = b"<a href='/" + b"a" * 5000 + b"!'>x</a><a href='/aaa'>y</a>"
        start = time.perf_counter()
        entries = listing_links(html, base_url="https://baolaocai.vn/", pattern=r"(a+)+$")
        print(time.perf_counter() - start, [e.url for e in entries])
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"DJANGO_SETTINGS_MODULE": "doingoai.settings.test", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    seconds, urls = done.stdout.split(" ", 1)
    assert float(seconds) < 0.5
    assert urls.strip() == "['https://baolaocai.vn/aaa']"


def test_rejected_constructs_are_refused_with_a_vietnamese_message(settings):
    settings.LANGUAGE_CODE = "vi"
    from django.utils import translation

    with translation.override("vi"), pytest.raises(LinkPatternError) as caught:
        link_pattern_compile(r"/(tin)/\1")
    assert "Biểu thức chính quy không hợp lệ" in str(caught.value)
    assert link_pattern_compile(r"/tin-tuc/\d+").search("https://x.vn/tin-tuc/12")


@pytest.mark.django_db
@pytest.mark.parametrize("pattern", [r"/(tin)/\1", r"(?<=tin)/\d+", r"/tin(?!-anh)/", "(["])
def test_source_form_refuses_patterns_that_cannot_compile(pattern):
    source = Source(name="Báo", kind="listing", url="https://baolaocai.vn/", link_pattern=pattern)
    with pytest.raises(ValidationError) as caught:
        source.clean()
    assert "link_pattern" in caught.value.message_dict


@pytest.mark.django_db
def test_the_pathological_pattern_itself_can_be_saved(settings):
    settings.MONITORING_ALLOW_LOOPBACK = False
    source = Source(
        name="Báo", kind="listing", url="https://93.184.215.14/", link_pattern=r"(a+)+$"
    )
    source.clean()  # RE2 runs it in linear time: nothing to refuse


def test_an_older_pattern_the_engine_refuses_is_a_source_error(fetcher, site):
    source = Source(name="Cũ", kind="listing", url=site.url("/tin-tuc/"), link_pattern=r"(a)\1")
    with pytest.raises(ConnectorError):
        get_connector("listing", fetcher=fetcher).discover(source)


def test_patterns_still_select_links():
    html = b"<a href='/tin/1.html'>a</a><a href='/gioi-thieu/'>b</a>"
    entries = listing_links(html, base_url="https://baolaocai.vn/", pattern=r"/tin/\d+")
    assert [e.url for e in entries] == ["https://baolaocai.vn/tin/1.html"]
