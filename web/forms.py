"""A submitted form: what was typed, what was wrong with it, and the status to answer.

Fields are checked by a marshmallow schema whose fields call the domain's own value
rules (``Cleaned``), so the web and the domain agree on every limit and message.
Errors a service raises after that are placed beside the field they concern.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load

from domain.errors import CoopError, InvalidValue
from web.errors import status_for

# Never sent back into a page, even when the form has to be shown again.
SECRET_FIELDS = frozenset({"password", "password_again", "current_password",
                           "new_password", "new_password_again", "csrf_token"})

FORM_LEVEL = ""


class FormSchema(Schema):
    """A schema for an HTML form: blank fields count as not given, extra fields ignored."""

    class Meta:
        unknown = EXCLUDE

    @pre_load
    def drop_blanks(self, data: Mapping[str, Any], **kwargs: Any) -> dict[str, Any]:
        return {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}


class Cleaned(fields.Field):
    """A field whose value the domain cleans: its error message becomes the field's."""

    def __init__(self, clean: Callable[[Any], Any], label: str, **kwargs: Any) -> None:
        messages = {"required": f"{label} is required", "null": f"{label} is required"}
        super().__init__(error_messages=messages, **kwargs)
        self.clean = clean

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        try:
            return self.clean(value)
        except InvalidValue as error:
            raise ValidationError(str(error)) from None


def text(label: str, *, max_length: int, required: bool = True) -> Cleaned:
    """Return a text field with the domain's limits and wording."""
    from domain.values import clean_text

    extra: dict[str, Any] = {"required": True} if required else {"load_default": ""}
    return Cleaned(lambda v: clean_text(v, label, max_length=max_length, required=required),
                   label, **extra)


def identifier(label: str) -> fields.UUID:
    """Return an optional id field (of an ask, an offer, a circle)."""
    return fields.UUID(load_default=None, error_messages={
        "invalid_uuid": f"{label} is not a valid id (it looks like 1b4e28ba-2fa1-11d2-...)",
    })


def secret(label: str) -> fields.String:
    """Return a (required) password field; its rules are the account service's to check."""
    return fields.String(required=True, error_messages={"required": f"{label} is required"})


class Form:
    """One form on a page, blank or as submitted."""

    def __init__(self, schema: Schema, data: Mapping[str, Any] | None = None, *,
                 prefix: str = "", fields_for: Mapping[type[CoopError], str] | None = None):
        self.schema = schema
        self.raw = {k: v for k, v in (data or {}).items() if k not in SECRET_FIELDS}
        self.prefix = prefix
        self.fields_for = fields_for or {}
        self.errors: dict[str, str] = {}
        self.data: dict[str, Any] = {}
        self.status = 200
        self._submitted = dict(data or {})

    def validate(self) -> bool:
        """Load the submitted values through the schema; False (and a 400) if any is wrong."""
        try:
            self.data = self.schema.load(self._submitted)
        except ValidationError as error:
            for field, messages in _flatten(error.messages).items():
                self.errors.setdefault(FORM_LEVEL if field == "_schema" else field, messages)
            self.status = 400
            return False
        return True

    def fail(self, error: CoopError) -> None:
        """Show a service's refusal beside its field (or above the form)."""
        field = next((f for kind, f in self.fields_for.items() if isinstance(error, kind)),
                     FORM_LEVEL)
        self.errors[field] = str(error)
        self.status = status_for(error)

    # What the templates ask

    def id(self, name: str) -> str:
        return f"{self.prefix}-{name}" if self.prefix else name

    def value(self, name: str, default: Any = "") -> Any:
        return self.raw.get(name, default)

    def error(self, name: str) -> str | None:
        return self.errors.get(name)

    @property
    def summary(self) -> list[tuple[str | None, str]]:
        """Return (field id or None, message) pairs for the error summary."""
        return [(self.id(name) if name else None, message)
                for name, message in self.errors.items()]


def _flatten(messages: Any) -> dict[str, str]:
    if isinstance(messages, dict):
        return {str(k): _first(v) for k, v in messages.items()}
    return {"_schema": _first(messages)}


def _first(value: Any) -> str:
    while isinstance(value, (list, tuple)) and value:
        value = value[0]
    if isinstance(value, dict):
        return _first(next(iter(value.values()), ""))
    return str(value)
