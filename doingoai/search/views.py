"""The portal search page: /<language>/tim-kiem/?q=…"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from doingoai.portal.navigation import locale_ids_by_code

from . import forms
from .query import parse_query
from .selectors import MAX_RESULTS, Filters, Outcome, run_search, sections_of


def search(request):
    """Search the live public pages of one language. Always a normal page: a bad parameter
    or query becomes a message, never an error."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    params = forms.read_params(request.GET, default_language=current)
    problems = list(params.problems)
    locale_id = locale_ids_by_code().get(params.language)
    sections = sections_of(locale_id) if locale_id is not None else []
    section = None
    if params.section_id is not None:
        section = next((s for s in sections if s.pk == params.section_id), None)
        if section is None:
            problems.append(_("That section was not found: all sections are searched."))
    query = parse_query(params.q)
    outcome = Outcome(query=query)
    if locale_id is not None and not query.is_empty:
        filters = Filters(
            locale_id=locale_id,
            section=section,
            date_from=params.date_from,
            date_to=params.date_to,
        )
        outcome = run_search(query, filters, page_number=params.page, sections=sections)
    context = {
        "params": params,
        "query": query,
        "outcome": outcome,
        "problems": problems,
        "sections": sections,
        "selected_section": section,
        "languages": settings.LANGUAGES,
        "results_language": params.language,
        "typed": bool(params.q.strip()),
        "max_results": MAX_RESULTS,
        "names": {
            "q": forms.QUERY,
            "section": forms.SECTION,
            "date_from": forms.DATE_FROM,
            "date_to": forms.DATE_TO,
            "language": forms.LANGUAGE,
            "page": forms.PAGE,
        },
    }
    response = render(request, "search/results.html", context)
    # Residents ask the same things again and again ("lào cai", "sa pa"): the results page
    # of anonymous visitors is kept by the page cache like any page, per query string and
    # content version (a publish makes every cached result stale at once).
    response["X-Robots-Tag"] = "noindex"
    return response
