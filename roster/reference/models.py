"""Tables of reference data that seeds load and admins may extend."""

from __future__ import annotations

from sqlmodel import Field, SQLModel

from roster import limits
from roster.db import one_of

TOPIC_AREAS = ("human-security", "wps", "cross-cutting")
COMMAND_KINDS = ("strategic", "operational", "tactical", "headquarters", "centre")


class Topic(SQLModel, table=True):
    """A subject of the HS/WPS taxonomy an expert can know and a request can ask for."""

    __tablename__ = "topic"
    __table_args__ = (one_of("area", TOPIC_AREAS),)

    code: str = Field(primary_key=True, max_length=limits.TOPIC_CODE)
    name: str = Field(max_length=limits.REFERENCE_NAME)
    area: str = Field(max_length=20)
    position: int = Field(default=0)


class ClearanceLevel(SQLModel, table=True):
    """A security clearance level; rank orders them from NU (0) to CTS (4)."""

    __tablename__ = "clearance_level"

    code: str = Field(primary_key=True, max_length=4)
    name: str = Field(max_length=60)
    rank: int = Field(unique=True)


class Command(SQLModel, table=True):
    """A command or headquarters that LNOs and focal points belong to."""

    __tablename__ = "command"
    __table_args__ = (one_of("kind", COMMAND_KINDS),)

    id: int = Field(default=None, primary_key=True)  # assigned when the insert is flushed
    code: str = Field(unique=True, max_length=limits.COMMAND_CODE)
    name: str = Field(max_length=limits.REFERENCE_NAME)
    kind: str = Field(max_length=20)
