"""The miniapp config service by concern: version 1, public read, publishing, history, templates.

Departments hold configs through the same functions as wards (`records.Unit`): their type is
"so", with a template of its own. A ward's published config is always
`effective_config(template, published overrides, ward)` at the time it was published; the
bytes served to the public are computed once, at publication, and stored with their strong
ETag in the version row. Every ward has a version
from its first moment: `wards sync` publishes version 1 in the transaction that creates the
ward (and `departments sync` for a department), so that no read ever writes.

Views and other modules call `service.<function>`; each function lives in the file of its
concern, and this package re-exports the public ones.
"""

from miniapps.config.service.city_templates import (
    TEMPLATE_SUMMARY_PREFIX,
    TemplateImpact,
    get_template,
    template_impact,
    update_template,
)
from miniapps.config.service.history import get_version, list_audit, list_versions
from miniapps.config.service.initial import (
    INITIAL_SUMMARY,
    ensure_initial_department_versions,
    ensure_initial_version,
    ensure_initial_versions,
    ensure_units,
    on_departments_synced,
    on_wards_synced,
)
from miniapps.config.service.personal_data import export_personal_data
from miniapps.config.service.public_read import (
    PublishedRef,
    live_department_ref,
    live_ref,
    published_body,
    published_department_ref,
    published_ref,
)
from miniapps.config.service.publishing import (
    discard_draft,
    get_draft,
    publish,
    restore,
    save_draft,
)
from miniapps.config.service.records import DRAFT, PUBLISHED, current_template

__all__ = [
    "DRAFT",
    "INITIAL_SUMMARY",
    "PUBLISHED",
    "TEMPLATE_SUMMARY_PREFIX",
    "PublishedRef",
    "TemplateImpact",
    "current_template",
    "discard_draft",
    "ensure_initial_department_versions",
    "ensure_initial_version",
    "ensure_initial_versions",
    "ensure_units",
    "export_personal_data",
    "get_draft",
    "get_template",
    "get_version",
    "list_audit",
    "list_versions",
    "live_department_ref",
    "live_ref",
    "on_departments_synced",
    "on_wards_synced",
    "publish",
    "published_body",
    "published_department_ref",
    "published_ref",
    "restore",
    "save_draft",
    "template_impact",
    "update_template",
]
