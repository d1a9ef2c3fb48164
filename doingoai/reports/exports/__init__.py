"""Report files: DOCX (Decree 30 layout), XLSX (summary and one sheet per register), PDF, and
the charts embedded in them. Every writer lays out the same ``document.ReportDocument``."""

from __future__ import annotations

from dataclasses import dataclass

from .document import ReportDocument, report_document


@dataclass(frozen=True)
class ExportedFile:
    content: bytes
    content_type: str
    file_name: str


FORMATS = ("docx", "xlsx", "pdf")


def report_export(report, fmt: str, *, document: ReportDocument | None = None) -> ExportedFile:
    """The report as a ``docx``, ``xlsx`` or ``pdf`` file."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    document = document or report_document(report, charts=fmt != "xlsx")
    if fmt == "docx":
        from .docx import CONTENT_TYPE, report_docx

        content = report_docx(document)
    elif fmt == "pdf":
        from .pdf import CONTENT_TYPE, report_pdf

        content = report_pdf(document)
    else:
        from .xlsx import CONTENT_TYPE, report_xlsx

        content = report_xlsx(document, unit=report.unit)
    return ExportedFile(content, CONTENT_TYPE, f"{document.file_stem}.{fmt}")


__all__ = ["FORMATS", "ExportedFile", "ReportDocument", "report_document", "report_export"]
