"""What the services hand out: each output shape declared once, as a pydantic model.

The screens read the fields; `--json` prints `to_json()` and `--csv` flattens it, so the
three never drift apart."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, PlainSerializer

# ISO 8601 with the offset written out (+00:00), as the command line has always printed
Time = Annotated[datetime, PlainSerializer(datetime.isoformat, return_type=str, when_used="json")]


class View(BaseModel):
    model_config = ConfigDict(frozen=True)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)
