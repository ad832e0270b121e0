"""The mock provider's demo citizens (fake people in the pilot wards)."""

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Citizen:
    """A fake VNeID account."""

    sub: str
    name: str
    birthdate: str
    gender: str
    phone_number: str
    personal_id: str
    vneid_level: int
    ward_code: str

    def get_user_id(self) -> str:
        """Return the subject identifier (Authlib's user protocol)."""
        return self.sub


@cache
def all_citizens() -> tuple[Citizen, ...]:
    """Load the demo citizens from the package's data file."""
    raw = resources.files("app.mock_vneid").joinpath("data/citizens.json").read_text("utf-8")
    return tuple(Citizen(**row) for row in json.loads(raw)["citizens"])


def find(sub: str | None) -> Citizen | None:
    """Find a demo citizen by subject identifier."""
    return next((c for c in all_citizens() if c.sub == sub), None)
