"""The search page's GET parameters, read leniently: a bad value becomes a message and the
search goes on without it (the page is never an error page)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.utils.translation import gettext as _

# Parameter names (Vietnamese, like the rest of the portal's URLs).
QUERY = "q"
SECTION = "chuyen-muc"
DATE_FROM = "tu"
DATE_TO = "den"
LANGUAGE = "ngon-ngu"
PAGE = "trang"
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
MAX_PARAM_LENGTH = 2000  # anything longer is cut before parsing (the query keeps 200)


@dataclass
class SearchParams:
    q: str = ""
    language: str = ""
    section_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    page: str = "1"
    raw_from: str = ""
    raw_to: str = ""
    raw_section: str = ""
    problems: list[str] = field(default_factory=list)


def _param(data, name: str) -> str:
    value = data.get(name, "")
    return value[:MAX_PARAM_LENGTH] if isinstance(value, str) else ""


def parse_date(value: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            parsed = datetime.strptime(value, fmt).date()  # a calendar date, no time zone
        except ValueError:
            continue
        if parsed.year >= 1900:
            return parsed
    return None


def read_params(data, *, default_language: str) -> SearchParams:
    """Read the query string (``request.GET``)."""
    params = SearchParams(
        q=_param(data, QUERY),
        page=_param(data, PAGE)[:10] or "1",
        raw_from=_param(data, DATE_FROM).strip()[:20],
        raw_to=_param(data, DATE_TO).strip()[:20],
        raw_section=_param(data, SECTION).strip()[:20],
    )
    language = _param(data, LANGUAGE).strip()
    codes = [code for code, _name in settings.LANGUAGES]
    if language and language not in codes:
        params.problems.append(
            _("That language is not available: the search is in this page's language.")
        )
        language = ""
    params.language = language or default_language
    if params.raw_section:
        if params.raw_section.isdigit():
            params.section_id = int(params.raw_section)
        else:
            params.problems.append(_("That section was not found: all sections are searched."))
    for raw, attribute in ((params.raw_from, "date_from"), (params.raw_to, "date_to")):
        if not raw:
            continue
        parsed = parse_date(raw)
        if parsed is None:
            params.problems.append(
                _("“%(value)s” is not a date: write it as dd/mm/yyyy, for example 15/12/2024.")
                % {"value": raw}
            )
        setattr(params, attribute, parsed)
    if params.date_from and params.date_to and params.date_from > params.date_to:
        params.date_from, params.date_to = params.date_to, params.date_from
        params.raw_from, params.raw_to = params.raw_to, params.raw_from
        params.problems.append(_("The start date was after the end date: they were swapped."))
    return params
