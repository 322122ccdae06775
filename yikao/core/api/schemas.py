"""The API's shared shapes: every error answer is one of these two."""

from ninja import Schema


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    type: str
    loc: list[str | int]
    msg: str


class ValidationErrorOut(Schema):
    """A request that does not fit the operation's parameters (422): one entry per field."""

    detail: list[FieldErrorOut]
