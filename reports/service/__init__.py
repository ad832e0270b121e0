"""The field-reports service, by concern: categories, receiving, handling, lists, personal data.

Views, the web pages and Open311 call `service.<function>`; each function lives in the file of
its concern, and this package re-exports the public ones.
"""

from reports.service.categories import (
    Category,
    category_row,
    create_category,
    ensure_categories,
    list_categories,
    update_category,
)
from reports.service.handling import (
    allowed_statuses,
    can_reopen,
    change_status,
    hide,
    is_overdue,
    moderation_log,
    rate,
    recategorize,
    reopen,
)
from reports.service.listing import (
    BoardFilters,
    latest_notes,
    list_board,
    list_mine,
    list_queue,
    mark_seen,
    unseen_count,
)
from reports.service.personal_data import erase, export_data
from reports.service.reporting import clean_photos, create_report, get, get_photo

__all__ = [
    "BoardFilters",
    "Category",
    "allowed_statuses",
    "can_reopen",
    "category_row",
    "change_status",
    "clean_photos",
    "create_category",
    "create_report",
    "ensure_categories",
    "erase",
    "export_data",
    "get",
    "get_photo",
    "hide",
    "is_overdue",
    "latest_notes",
    "list_board",
    "list_categories",
    "list_mine",
    "list_queue",
    "mark_seen",
    "moderation_log",
    "rate",
    "recategorize",
    "reopen",
    "unseen_count",
    "update_category",
]
