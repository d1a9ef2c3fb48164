"""Our audit-log actions beyond Wagtail's own (wagtail.create / edit / delete / publish…),
registered with Wagtail's ``register_log_actions`` hook so that every history screen and the
audit log name them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.log_actions import LogFormatter

IMPORT = "doingoai.import"
EXPORT = "doingoai.export"
DOWNLOAD = "doingoai.download"
FINALISE = "doingoai.finalise"
REOPEN = "doingoai.reopen"
CASE_STATUS = "doingoai.case_status"
CASE_COMMENT = "doingoai.case_comment"
FETCH_NOW = "doingoai.fetch_now"


class _Formatter(LogFormatter):
    def format_message(self, log_entry):
        try:
            return self.detailed(log_entry.data or {})
        except (KeyError, TypeError, ValueError):
            return self.message

    def detailed(self, data: dict) -> str:
        return self.message


class ImportFormatter(_Formatter):
    label = _("Import from a file")
    message = _("Imported from a file")

    def detailed(self, data):
        if "row" in data:
            return _("Imported from %(file)s (row %(row)s)") % data
        return _("Imported from %(file)s (%(created)s new items)") % data


class ExportFormatter(_Formatter):
    label = pgettext_lazy("audit log", "Export")
    message = _("Exported")

    def detailed(self, data):
        return _("Exported %(rows)s records as %(format)s") % {
            "rows": data["rows"],
            "format": str(data["format"]).upper(),
        }


class DownloadFormatter(_Formatter):
    label = pgettext_lazy("audit log", "Download")
    message = _("Downloaded")

    def detailed(self, data):
        return _("Downloaded as %(format)s") % {"format": str(data["format"]).upper()}


class CaseStatusFormatter(_Formatter):
    label = _("Move a case")
    message = _("Case moved")

    def detailed(self, data):
        return _("Moved from “%(from)s” to “%(to)s”") % {
            "from": data["from_label"],
            "to": data["to_label"],
        }


def register_actions(actions) -> None:
    actions.register_action(IMPORT)(ImportFormatter)
    actions.register_action(EXPORT)(ExportFormatter)
    actions.register_action(DOWNLOAD)(DownloadFormatter)
    actions.register_action(FINALISE, _("Finalise a report"), _("Report finalised"))
    actions.register_action(REOPEN, _("Return a report to draft"), _("Report returned to draft"))
    actions.register_action(CASE_STATUS)(CaseStatusFormatter)
    actions.register_action(CASE_COMMENT, _("Comment on a case"), _("Comment added"))
    actions.register_action(FETCH_NOW, _("Fetch a source now"), _("Fetch started"))
