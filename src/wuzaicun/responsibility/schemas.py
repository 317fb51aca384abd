"""API shapes for the lists."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema


class EntryOut(Schema):
    id: int
    year: int
    kind: str
    kind_label: str
    person_id: int | None
    person_name: str | None
    team_id: int | None
    team_name: str | None
    village_code: str = Field(alias="village_id")
    village_name: str
    household_ids: list[int]
    duties: list[str]
    goal: str
    goal_kind: str
    stationed_post: str
    created_at: dt.datetime

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_person_name(obj: Any) -> str | None:
        return obj.person.name if obj.person_id else None

    @staticmethod
    def resolve_team_name(obj: Any) -> str | None:
        return obj.team.name if obj.team_id else None

    @staticmethod
    def resolve_village_name(obj: Any) -> str:
        return str(obj.village.name)

    @staticmethod
    def resolve_household_ids(obj: Any) -> list[int]:
        return [link.household_id for link in obj.household_links.all()]


class EntryIn(Schema):
    year: int
    kind: str
    village_code: str
    person_id: int | None = None
    team_id: int | None = None
    household_ids: list[int] = []
    duties: list[str] = []
    goal: str = ""
    goal_kind: str = ""
    stationed_post: str = ""


class YearOut(Schema):
    year: int
    due_date: dt.date


class GapOut(Schema):
    rule: str
    subject_type: str
    subject_id: str
    region_code: str
    message: str


class CoverageOut(Schema):
    year: int
    region: str | None
    summary: dict[str, dict[str, int]]
    gaps: list[GapOut]
