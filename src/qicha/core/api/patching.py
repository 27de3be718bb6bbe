"""The body of a PATCH request: the fields it sends (those it leaves out stay as they are) and the version the
editor read. A field that cannot be edited there is refused, not ignored."""

from ninja import Schema
from pydantic import ConfigDict


class PatchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    version: int | None = None

    def sent(self) -> dict:
        """The fields the request sent, with its version."""
        return self.dict(exclude_unset=True)
