"""The person indicator `training_attendance` (参加培训) for the 六定一化 grading: 100 when the person attended at
least one session that started in the year, 0 when none (no attendance is data, never a missing value); its
sources are the sessions attended. Computed for the person ids the caller took from scoped(): a session of any
region counts (a county's cadre at the city's session is trained)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.urls import reverse

from wuzaicun.accounts.scope import scoped
from wuzaicun.core.indicators import PersonIndicatorProvider, Source, register_person_indicator

from ..models.training import Attendance
from ..rules.training import attendance_score

CODE = "training_attendance"


def compute(year: int, person_ids: Sequence[int]) -> dict[int, Decimal | None]:
    """One aggregate query over the year's attendance (≈ 12,000 person-times a city, 120,000 a province),
    whatever the number of people asked: cheaper than sending 50,000 ids as parameters."""
    counts = dict(Attendance.objects_unscoped.filter(session__year=year).order_by().values("person_id")
                  .annotate(n=Count("*")).values_list("person_id", "n"))  # (session, person) is unique
    return {pk: attendance_score(counts.get(pk, 0)) for pk in person_ids}


def sources(user: Any, year: int, person_id: int) -> list[Source]:
    rows = scoped(Attendance, user).filter(person_id=person_id, session__year=year).select_related(
        "session").order_by("session__start", "session_id")
    return [Source(label="培训班",
                   text=f"{row.session.name}（{row.session.start:%Y-%m-%d} 至 {row.session.end:%Y-%m-%d}，"
                        f"{row.session.get_level_display()}）",
                   outcome="已参训", url=reverse("cadres:training", args=[row.session_id])) for row in rows]


TRAINING_ATTENDANCE = register_person_indicator(PersonIndicatorProvider(
    code=CODE, title="参加培训", owner="cadres", compute=compute, sources=sources,
    description="当年参加过至少一期培训班（市级或县级）记100分，未参加记0分",
))
