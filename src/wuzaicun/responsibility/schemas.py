"""API shapes for the lists."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from wuzaicun.core.bounds import Id, Quarter, Year

from .models import PROGRESS_VALUE_RANGE, TARGET_VALUE_RANGE


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
    year: Year
    kind: str
    village_code: str
    person_id: Id | None = None
    team_id: Id | None = None
    household_ids: list[Id] = Field(default=[], max_length=1000)
    duties: list[str] = []
    goal: str = ""
    goal_kind: str = ""
    stationed_post: str = ""


class YearOut(Schema):
    year: int
    due_date: dt.date
    is_working: bool


class YearIn(Schema):
    year: Year
    due_date: dt.date | None = None


class RuleOut(Schema):
    code: str
    title: str
    enabled: bool
    threshold: int | None
    default_threshold: int | None


class RuleIn(Schema):
    enabled: bool = True
    threshold: int | None = Field(default=None, ge=1, le=100)


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


class ReconciliationOut(Schema):
    id: int
    line_id: int
    quarter: int
    progress_value: Decimal | None
    on_track: bool
    narrative: str
    state: str
    review_note: str
    submitted_at: dt.datetime
    reviewed_at: dt.datetime | None
    evidence_count: int

    @staticmethod
    def resolve_evidence_count(obj: Any) -> int:
        return len(obj.evidence.all())


class LedgerLineOut(Schema):
    id: int
    assignment_id: int
    year: int
    commitment: str
    target_value: Decimal | None
    target_unit: str
    status: str
    status_label: str
    carried_from_id: int | None
    accountability: bool
    version: int
    reconciliations: list[ReconciliationOut]

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_reconciliations(obj: Any) -> list[Any]:
        return list(obj.reconciliations.all())


class LedgerLineIn(Schema):
    assignment_id: Id
    commitment: str = Field(min_length=1, max_length=300)
    target_value: Annotated[Decimal, TARGET_VALUE_RANGE] | None = None
    target_unit: str = Field(default="", max_length=20)


class ReconciliationIn(Schema):
    quarter: Quarter
    narrative: str = Field(min_length=1)
    progress_value: Annotated[Decimal, PROGRESS_VALUE_RANGE] | None = None
    on_track: bool = True


class ReviewIn(Schema):
    decision: str
    note: str = ""


class CloseIn(Schema):
    fulfilled: bool
    note: str = ""


class VisitIn(Schema):
    person_id: Id
    household_id: Id
    visited_on: dt.date
    activity: str = Field(min_length=1, max_length=500)


class VisitOut(Schema):
    id: int
    person_id: int
    household_id: int
    visited_on: dt.date
    activity: str
