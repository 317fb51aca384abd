"""API of 组织保障: village-years, the compliance report, the year's standards (the pages' scope and rules)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from wuzaicun.core.api import Page, PageNumber, PageSize, paged
from wuzaicun.core.bounds import Id, Version, Year
from wuzaicun.core.errors import DomainError
from wuzaicun.core.params import region_param

from ..models.guarantees import Guarantee
from ..rules.guarantees import STANDARDS, STANDARDS_BY_CODE, shortfalls
from ..selectors.guarantees import (
    MISSING,
    compliance_counts,
    get_guarantee_for_user,
    guarantees_for,
    shortfall_rows,
    standard_rows,
    standard_values,
    values_of,
)
from ..services.guarantees import (
    RANGES,
    STANDARD_RANGE,
    delete_guarantee,
    save_guarantee,
    set_standards,
    update_guarantee,
)

router = Router(tags=["组织保障"])

Pay = Annotated[Decimal, RANGES["cadre_monthly_pay"]]
Operating = Annotated[Decimal, RANGES["operating_funds"]]
Service = Annotated[Decimal, RANGES["service_funds"]]
Activity = Annotated[Decimal, RANGES["activity_funds_per_member"]]
Training = Annotated[Decimal, RANGES["training_funds_per_cadre"]]
Area = Annotated[Decimal, RANGES["home_area"]]


class GuaranteeValues(Schema):
    cadre_monthly_pay: Pay | None = None
    operating_funds: Operating | None = None
    service_funds: Service | None = None
    activity_funds_per_member: Activity | None = None
    training_funds_per_cadre: Training | None = None
    home_area: Area | None = None


class GuaranteeIn(GuaranteeValues):
    year: Year
    village_code: str


class GuaranteePatch(GuaranteeValues):
    version: Version | None = None


class ShortfallOut(Schema):
    code: str
    message: str


class GuaranteeOut(Schema):
    id: int
    year: int
    village_code: str = Field(alias="village_id")
    village_name: str
    cadre_monthly_pay: Decimal | None
    operating_funds: Decimal | None
    service_funds: Decimal | None
    activity_funds_per_member: Decimal | None
    training_funds_per_cadre: Decimal | None
    home_area: Decimal | None
    version: int
    shortfalls: list[ShortfallOut]

    @staticmethod
    def resolve_village_name(obj: Any) -> str:
        return str(obj.village.name)

    @staticmethod
    def resolve_shortfalls(obj: Any) -> list[dict[str, str]]:
        thresholds = getattr(obj, "_thresholds", None) or standard_values(obj.year)
        return [{"code": s.code, "message": s.message} for s in shortfalls(values_of(obj), thresholds)]


class StandardOut(Schema):
    code: str
    title: str
    unit: str
    comparison: str
    value: Decimal
    default: Decimal
    configured: bool


class StandardIn(Schema):
    value: Annotated[Decimal, STANDARD_RANGE]


class StandardCountOut(Schema):
    code: str
    title: str
    rule: str
    count: int


class ComplianceOut(Schema):
    year: int
    villages: int
    recorded: int
    below_any: int
    missing: int
    by_standard: list[StandardCountOut]


def _with_thresholds(rows: list[Guarantee], year: int) -> list[Guarantee]:
    thresholds = standard_values(year)
    for row in rows:
        row._thresholds = thresholds  # type: ignore[attr-defined]
    return rows


@router.get("/guarantees", response=Page[GuaranteeOut], summary="组织保障（每村每年）")
def list_guarantees(request: HttpRequest, year: Year, region: str = "", q: str = "", standard: str = "",
                    page: PageNumber = 1, page_size: PageSize = 20) -> dict[str, Any]:
    """`standard`: a standard's code lists the villages below it; `any` those below any standard."""
    if standard and standard != "any" and standard not in STANDARDS_BY_CODE:
        raise DomainError(f"保障标准“{standard}”无效，可选：any、{'、'.join(STANDARDS_BY_CODE)}", code="invalid")
    code = region_param(region)
    rows = (shortfall_rows(request.user, year=year, region=code, standard="" if standard == "any" else standard, q=q)
            if standard else guarantees_for(request.user, year=year, region=code, q=q))
    result = paged(rows, page=page, page_size=page_size)
    result["results"] = _with_thresholds(result["results"], year)
    return result


@router.get("/guarantees/compliance", response=ComplianceOut, summary="组织保障达标情况（各标准未达标村数）")
def compliance(request: HttpRequest, year: Year, region: str = "") -> dict[str, Any]:
    counts = compliance_counts(request.user, year=year, region=region_param(region))
    return {"year": year, **counts, "missing": counts[MISSING]}


@router.get("/guarantees/standards/{year}", response=list[StandardOut], summary="年度组织保障标准")
def get_standards(request: HttpRequest, year: Year) -> list[dict[str, Any]]:
    return standard_rows(year)


@router.put("/guarantees/standards/{year}/{code}", response=list[StandardOut],
            summary="设置年度组织保障标准的一项")
def put_standard(request: HttpRequest, year: Year, code: str, payload: StandardIn) -> list[dict[str, Any]]:
    set_standards(actor=request.user, year=year, values={code: payload.value})
    return standard_rows(year)


@router.post("/guarantees", response={201: GuaranteeOut}, summary="登记（或更新）一村一年的组织保障")
def add_guarantee(request: HttpRequest, payload: GuaranteeIn) -> Status[Guarantee]:
    values = payload.dict(include={s.code for s in STANDARDS})
    row = save_guarantee(actor=request.user, village_code=payload.village_code, year=payload.year, values=values)
    return Status(201, get_guarantee_for_user(request.user, row.pk))


@router.get("/guarantees/{guarantee_id}", response=GuaranteeOut, summary="一村一年的组织保障")
def get_guarantee(request: HttpRequest, guarantee_id: Id) -> Guarantee:
    return get_guarantee_for_user(request.user, guarantee_id)


@router.patch("/guarantees/{guarantee_id}", response=GuaranteeOut, summary="修改组织保障（给出的项目）")
def patch_guarantee(request: HttpRequest, guarantee_id: Id, payload: GuaranteePatch) -> Guarantee:
    current = values_of(get_guarantee_for_user(request.user, guarantee_id))
    given = payload.dict(exclude_unset=True)
    version = given.pop("version", None)
    update_guarantee(actor=request.user, guarantee_id=guarantee_id, values=current | given, expected_version=version)
    return get_guarantee_for_user(request.user, guarantee_id)


@router.delete("/guarantees/{guarantee_id}", response={204: None}, summary="删除组织保障")
def remove_guarantee(request: HttpRequest, guarantee_id: Id) -> Status[None]:
    delete_guarantee(actor=request.user, guarantee_id=guarantee_id)
    return Status(204, None)
