"""What every report file shows, in the order it shows it (Decree 30/2020/NĐ-CP layout).

``report_document`` gathers a report's header, figures, notable events and charts into one
plain :class:`ReportDocument`; the DOCX, PDF and XLSX writers only lay it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ..formatting import date_line, format_date, format_number, format_percent
from ..indicators import Figure, ReportFigures

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DOCUMENT_TYPE = "BÁO CÁO"


@dataclass
class ReportDocument:
    superior_body: str
    issuing_body: str
    reference: str  # "Số: 12/BC-STTTT"
    date_line: str  # "Lào Cai, ngày 15 tháng 12 năm 2024"
    subject: str
    introduction: str
    figures: ReportFigures
    notable_events: list[str]
    recipients: list[str]
    signer_authority: str
    signer_title: str
    signer_name: str
    file_stem: str
    charts: dict[str, bytes] = field(default_factory=dict)  # name → PNG
    national_name: str = NATIONAL_NAME
    motto: str = MOTTO
    document_type: str = DOCUMENT_TYPE
    # Headings and table headers, resolved in Vietnamese.
    words: dict[str, str] = field(default_factory=dict)

    @property
    def table_header(self) -> list[str]:
        header = [
            self.words["no"],
            self.words["indicator"],
            self.figures.period.label,
            self.figures.previous_period.label,
            self.words["change"],
        ]
        if self.figures.shows_year_to_date:
            header.append(self.words["year_to_date"])
        header += [self.words["target"], self.words["target_percent"]]
        return header

    def table_rows(self) -> list[tuple[str, list[str], int]]:
        """(group title, None, -1) rows and (number, cells, level) rows of the main table."""
        rows = []
        roman = ["I", "II", "III", "IV", "V", "VI", "VII"]
        for g_index, group in enumerate(self.figures.groups):
            rows.append((roman[g_index], [group.title], -1))
            number = 0
            for figure in group.figures:
                if figure.level == 0:
                    number += 1
                    label = str(number)
                else:
                    label = ""
                rows.append((label, self.figure_cells(figure), figure.level))
        return rows

    def figure_cells(self, figure: Figure) -> list[str]:
        cells = [
            ("– " if figure.level else "") + figure.label,
            format_number(figure.value),
            format_number(figure.previous),
            format_percent(figure.change_percent, signed=True),
        ]
        if self.figures.shows_year_to_date:
            cells.append(format_number(figure.year_to_date))
        cells += [
            format_number(figure.target) if figure.target is not None else "",
            format_percent(figure.target_percent) if figure.target else "",
        ]
        return cells

    def summary_paragraphs(self) -> list[str]:
        """A few sentences with the main figures (the body reads before the table)."""
        f = self.figures

        def n(code):
            return format_number(f.figure(code).value)

        lines = [
            _(
                "Press work: %(briefings)s weekly press briefings and %(meetings)s press "
                "meetings and conferences were held; the press raised %(raised)s questions, "
                "%(answered)s of them answered; %(releases)s press releases were issued."
            )
            % {
                "briefings": n("press_briefings"),
                "meetings": n("press_meetings"),
                "raised": n("press_questions_raised"),
                "answered": n("press_questions_answered"),
                "releases": n("press_releases"),
            },
            _(
                "Delegations: %(out)s outgoing delegations with %(officials)s officials and "
                "%(others)s other individuals; %(in)s incoming delegations with %(visitors)s "
                "foreign visitors; %(agreements)s agreements and memoranda signed."
            )
            % {
                "out": n("outgoing_delegations"),
                "officials": n("outgoing_officials"),
                "others": n("outgoing_others"),
                "in": n("incoming_delegations"),
                "visitors": n("foreign_visitors"),
                "agreements": n("agreements_signed"),
            },
            _(
                "Border: %(letters)s letters exchanged, %(patrols)s joint patrols and %(talks)s "
                "periodic talks with the neighbouring side; %(sessions)s outreach sessions with "
                "%(officers)s officer participations reached %(residents)s border residents."
            )
            % {
                "letters": n("border_letters"),
                "patrols": n("joint_patrols"),
                "talks": n("periodic_talks"),
                "sessions": n("outreach_sessions"),
                "officers": n("outreach_officers"),
                "residents": n("outreach_residents"),
            },
            _(
                "Media: %(products)s media products were made (%(ethnic)s in ethnic-minority "
                "languages); the province took part in %(events)s events, festivals and fairs."
            )
            % {
                "products": n("media_products"),
                "ethnic": n("ethnic_language_products"),
                "events": n("events_attended"),
            },
        ]
        if f.includes_portal:
            lines.append(
                _(
                    "Portal: %(items)s news items were published (%(foreign)s in foreign "
                    "languages), with %(views)s page views."
                )
                % {
                    "items": n("items_published"),
                    "foreign": n("foreign_language_items"),
                    "views": n("page_views"),
                }
            )
        return lines


def _words() -> dict[str, str]:
    return {
        "no": _("No."),
        "indicator": _("Indicator"),
        "change": pgettext("report", "Change"),
        "year_to_date": _("Year to date"),
        "target": _("Annual target"),
        "target_percent": _("% of target"),
        "figures_heading": _("RESULTS IN FIGURES"),
        "events_heading": _("NOTABLE EVENTS"),
        "breakdowns_heading": _("DETAILS"),
        "charts_heading": _("CHARTS"),
        "recipients": _("Recipients:"),
        "archive": _("Archive: VT."),
        "no_events": _("No notable events were chosen."),
        "previous": _("Previous period"),
        "value": _("This period"),
        "total": _("Total"),
        "scope": _("Reporting unit"),
        "period": pgettext("report", "Period"),
        "no_portal": _(
            "Portal figures (items published, visits) are reported for the whole province only."
        ),
    }


def report_document(report, *, figures: ReportFigures | None = None, charts: bool = True):
    """The document of ``report`` (figures computed afresh for a draft, stored for a final
    report), in Vietnamese."""
    from ..services import report_current_figures
    from .charts import report_charts

    figures = figures or report_current_figures(report=report)
    with translation.override(settings.LANGUAGE_CODE):
        words = _words()
        events = [event.text for event in report.notable_events.all()]
        words["events_count"] = _("%(count)s notable events of %(period)s") % {
            "count": format_number(len(events)),
            "period": figures.period.phrase,
        }
        words["as_of"] = _("Figures computed from the registers and the portal up to %(day)s.") % {
            "day": format_date(figures.as_of)
        }
        document = ReportDocument(
            superior_body=report.superior_body.upper(),
            issuing_body=report.issuing_body.upper(),
            reference=f"Số: {report.reference}",
            date_line=date_line(report.place, report.issued_on),
            subject=report.title,
            introduction=report.introduction,
            figures=figures,
            notable_events=events,
            recipients=report.recipient_lines,
            signer_authority=report.signer_authority.upper(),
            signer_title=report.signer_title.upper(),
            signer_name=report.signer_name,
            file_stem=f"bao-cao-{figures.period.slug}-{report.pk}",
            words=words,
        )
        if charts:
            document.charts = report_charts(figures)
    return document
