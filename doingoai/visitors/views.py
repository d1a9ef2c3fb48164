"""Back-office statistics (thống kê truy cập): visits per day, top articles, languages,
sources; exportable as CSV (every value written as text, never as a formula: issue #14)."""

import csv

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from doingoai.text.spreadsheets import neutralise_formula

from . import selectors

PERIODS = (7, 30, 90, 365)


def _period(request) -> int:
    try:
        days = int(request.GET.get("ngay", 30))
    except ValueError:
        days = 30
    return days if days in PERIODS else 30


def bar_chart(rows: list[selectors.DayViews], width: int = 720, height: int = 180) -> dict:
    """Geometry for an inline SVG bar chart (no JavaScript, readable without colour)."""
    peak = max((row.views for row in rows), default=0) or 1
    step = width / max(len(rows), 1)
    bars = [
        {
            "x": round(index * step, 2),
            "width": round(max(step - 1, 1), 2),
            "height": round(row.views / peak * (height - 20), 2),
            "y": round(height - row.views / peak * (height - 20), 2),
            "row": row,
        }
        for index, row in enumerate(rows)
    ]
    return {"bars": bars, "width": width, "height": height, "peak": peak}


def statistics(request):
    days = _period(request)
    per_day = selectors.visits_per_day(days=days)
    context = {
        "days": days,
        "periods": PERIODS,
        "per_day": per_day,
        "chart": bar_chart(per_day),
        "total_views": sum(row.views for row in per_day),
        "counter": selectors.visit_counter(),
        "top_pages": selectors.top_pages(days=days),
        "languages": [
            (dict(settings.LANGUAGES).get(code, code), views)
            for code, views in selectors.views_by_language(days=days)
        ],
        "referrers": selectors.views_by_referrer(days=days),
    }
    if request.GET.get("dinh-dang") == "csv":
        return statistics_csv(context)
    return render(request, "visitors/statistics.html", context)


def statistics_csv(context) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="thong-ke-truy-cap-{context["days"]}-ngay.csv"'
    )
    response.write("\ufeff")  # so that Excel opens UTF-8 Vietnamese correctly
    writer = csv.writer(response)

    def write(values):  # a page title such as =HYPERLINK(…) is written as text
        writer.writerow([neutralise_formula(value) for value in values])

    write([_("Day"), _("Page views"), _("Visitors")])
    for row in context["per_day"]:
        write([row.day.strftime("%d/%m/%Y"), row.views, row.visitors])
    write([])
    write([_("Page"), _("Language"), _("Page views")])
    for item in context["top_pages"]:
        write([item["page"].title if item["page"] else "—", item["language"], item["views"]])
    return response
