"""The bundled sample household (a JSON export with a fixed as-of date)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

SAMPLE_FILE = Path(__file__).parent / "sample_data" / "household.json"


def sample_today(data: dict[str, Any]) -> dt.date:
    """The demo shows the household as of this day, whenever it is run."""
    return dt.date.fromisoformat(data["as_of"])
