"""Command arguments: one JSON object per command (DESIGN.md), validated into typed values.

pygls hands us the raw `arguments` array; bad input becomes a JSON-RPC InvalidParams error that
names the command, the field and what is wrong, never a crash.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pygls.exceptions import JsonRpcInvalidParams

PositiveId = Annotated[int, Field(gt=0, strict=False)]


class _Arguments(BaseModel):
    # Unknown keys are ignored: editors and wrappers sometimes add their own.
    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True)


class Position(_Arguments):
    line: Annotated[int, Field(ge=0)]
    character: Annotated[int, Field(ge=0)]


class Range(_Arguments):
    start: Position
    end: Position


class TargetArguments(_Arguments):
    chat_id: PositiveId | None = Field(default=None, alias="chatId")
    message_id: PositiveId | None = Field(default=None, alias="messageId")


class SendBufferArguments(TargetArguments):
    uri: Annotated[str, Field(min_length=1)]
    range: Range | None = None


class SendSelectionArguments(TargetArguments):
    uri: Annotated[str, Field(min_length=1)]
    range: Range


class SendFilesArguments(TargetArguments):
    uris: Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]


class ChatArguments(_Arguments):
    chat_id: PositiveId = Field(alias="chatId")


class CreateMessageArguments(ChatArguments):
    message: Annotated[str, Field(min_length=1)]


class NoArguments(_Arguments):
    pass


_Model = TypeVar("_Model", bound=_Arguments)


def _describe(error: ValidationError) -> str:
    problems = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "argument"
        problems.append(f"{where}: {item['msg']}")
    return "; ".join(problems)


def parse(command: str, raw: Sequence[Any], model: type[_Model]) -> _Model:
    """`[]` or `[{}]` for no arguments, `[{...}]` otherwise."""
    if len(raw) > 1:
        raise JsonRpcInvalidParams(
            f"{command} takes one JSON object as its argument, got {len(raw)} arguments."
        )
    value = raw[0] if raw else {}
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise JsonRpcInvalidParams(
            f"{command} takes one JSON object as its argument, got {type(value).__name__}."
        )
    try:
        return model.model_validate(value)
    except ValidationError as error:
        raise JsonRpcInvalidParams(f"{command}: {_describe(error)}") from None
