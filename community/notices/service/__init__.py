"""The notices service, by concern: publishing, reading, reach, pictures, personal data.

Views and other modules call `service.<function>`; each function lives in the file of its
concern, and this package re-exports the public ones.
"""

from community.notices.service import broadcasts
from community.notices.service.personal_data import erase, export_data
from community.notices.service.pictures import MAX_IMAGES, add_image, delete_image, get_image
from community.notices.service.publishing import (
    address_newcomer,
    create,
    deliver,
    due_notice_ids,
    publish,
    withdraw,
    withdraw_from_leaver,
)
from community.notices.service.reading import (
    BACKFILL_LIMIT,
    backfill,
    can_read,
    feed_page,
    get,
    has_read,
    is_live,
    list_for_ward,
    mark_delivered,
    mark_read,
    notices_by_id,
    read_ids,
    unread_count,
)
from community.notices.service.stats import recount_reach, stats

__all__ = [
    "BACKFILL_LIMIT",
    "MAX_IMAGES",
    "add_image",
    "address_newcomer",
    "backfill",
    "broadcasts",
    "can_read",
    "create",
    "delete_image",
    "deliver",
    "due_notice_ids",
    "erase",
    "export_data",
    "feed_page",
    "get",
    "get_image",
    "has_read",
    "is_live",
    "list_for_ward",
    "mark_delivered",
    "mark_read",
    "notices_by_id",
    "publish",
    "read_ids",
    "recount_reach",
    "stats",
    "unread_count",
    "withdraw",
    "withdraw_from_leaver",
]
