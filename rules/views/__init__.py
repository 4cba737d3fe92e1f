"""Rule administration pages, one module per concern; urls.py takes the views from here.

Each view makes one service (or selector) call, like rules.apis, so the pages and the API behave the same.
"""
from .cases import case_edit, case_library
from .clauses import clause_edit
from .previews import checks_page, impact_page
from .spreadsheets import export_xlsx, export_yaml, import_page
from .versions import (
    draft_create,
    job_progress,
    version_amend,
    version_list,
    version_page,
    version_publish,
    version_reject,
    version_rollback,
    version_submit,
)

__all__ = [
    "case_edit", "case_library", "checks_page", "clause_edit", "draft_create", "export_xlsx", "export_yaml",
    "impact_page", "import_page", "job_progress", "version_amend", "version_list", "version_page", "version_publish", "version_reject",
    "version_rollback", "version_submit",
]
