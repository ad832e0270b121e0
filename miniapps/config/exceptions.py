"""Miniapp config errors (domain exceptions; app/errors.py maps them to HTTP)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.errors import (
    Conflict,
    FieldError,
    NotFound,
    ValidationFailed,
    field_error_details,
    join_field_errors,
)

if TYPE_CHECKING:
    from miniapps.config.document import ConfigValidationError


class InvalidConfig(ValidationFailed):
    """A config document (or a template) breaks the schema; details name the fields.

    `details.fields` maps each dotted path to its messages (as before); `details.errors` gives
    each message with its field's label, and the message names the fields by label.
    """

    def __init__(
        self,
        errors: dict[str, list[str]],
        *,
        what: str = "Cấu hình miniapp",
        field_errors: list[FieldError] | None = None,
    ) -> None:
        field_errors = field_errors or [
            FieldError(path, "", message)
            for path, messages in errors.items()
            for message in messages
        ]
        super().__init__(
            f"{what} không hợp lệ. {join_field_errors(field_errors)}",
            details=field_error_details(field_errors, fields=errors),
        )

    @classmethod
    def of(cls, error: ConfigValidationError, *, what: str = "Cấu hình miniapp") -> InvalidConfig:
        """Return the refusal of a document that failed validation."""
        return cls(error.errors, what=what, field_errors=error.field_errors)


class TemplateBreaksWards(ValidationFailed):
    """A template change would make some wards' configs (published or draft) invalid."""

    code = "template_breaks_wards"

    def __init__(self, wards: dict[str, dict[str, list[str]]]) -> None:
        super().__init__(
            "Mẫu chung mới làm cấu hình của một số phường, xã không hợp lệ: "
            + ", ".join(sorted(wards))
            + ".",
            details={"wards": wards},
        )


class NoDraft(Conflict):
    """There is no draft to publish."""

    code = "no_draft"


class NoChanges(Conflict):
    """The document to publish is the one already published."""

    code = "no_changes"


class ConcurrentChange(Conflict):
    """Someone else published (or saved) at the same moment."""

    code = "concurrent_change"


class NoPublishedVersion(NotFound):
    """The ward has no published config: its database was never synced (`flask wards sync`)."""

    code = "miniapp_not_published"

    def __init__(self) -> None:
        super().__init__(
            "Phường, xã này chưa có cấu hình miniapp được xuất bản; "
            "quản trị hệ thống cần chạy `flask wards sync`."
        )


class VersionNotFound(NotFound):
    """The ward has no published version with that number."""

    code = "version_not_found"


class TemplateNotFound(NotFound):
    """There is no template for that ward type."""

    code = "template_not_found"
