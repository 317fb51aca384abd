"""factory_boy factories for the registry and accounts; regions come from `build_world`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from wuzaicun.core.masking import mask_resident_id
from wuzaicun.registry.fields import seal_resident_id
from wuzaicun.registry.models import Household, Person

from .ids import make_resident_id


def _sealed(number: str) -> dict[str, Any]:
    sealed, digest = seal_resident_id(number)
    return {"resident_id_sealed": sealed, "resident_id_hash": digest, "resident_id_masked": mask_resident_id(number)}


_counter = {"n": 0}


def next_resident_id(area: str = "520302") -> str:
    """A fresh valid number each call (unique within a test run)."""
    _counter["n"] += 1
    n = _counter["n"]
    return make_resident_id(area, dt.date(1950, 1, 1) + dt.timedelta(days=n // 400), n % 400, male=n % 2 == 0)


def household(region: Any, **kwargs: Any) -> Household:
    number = kwargs.pop("resident_id", None) or next_resident_id(region.code)
    defaults: dict[str, Any] = {"head_name": f"户主{_counter['n']}", "members": 4, "status": "未脱贫",
                                "identified_year": 2014, "cause": "因病", "income_per_head": 2300}
    return Household.objects_unscoped.create(region=region, **(defaults | kwargs), **_sealed(number))


def person(region: Any, **kwargs: Any) -> Person:
    number = kwargs.pop("resident_id", None) or next_resident_id(region.code)
    defaults: dict[str, Any] = {"name": f"干部{_counter['n']}", "sex": "男" if int(number[16]) % 2 else "女",
                                "political_status": "中共党员", "rank": "一般干部"}
    return Person.objects_unscoped.create(region=region, **(defaults | kwargs), **_sealed(number))
