"""API of 结对帮扶 and 企业帮扶: branch and kin pairings (made, ended, deleted), their supports, enterprises and
their help to villages by year (the pages' scope and rules; docs/resources-pairings.md, Contracts)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from wuzaicun.accounts.scope import get_for_user
from wuzaicun.core.api import Page, PageNumber, PageSize, paged
from wuzaicun.core.bounds import Id, Year, range_of
from wuzaicun.core.params import region_param
from wuzaicun.responsibility.selectors import working_year

from ..models.pairings import EnterpriseHelp, PairingSupport
from ..selectors.pairings import (
    branch_pairings,
    enterprises_for,
    get_branch_for_user,
    get_enterprise_for_user,
    get_kin_for_user,
    helps_for,
    kin_page_rows,
    kin_pairings,
    supports_for,
)
from ..services.pairings import (
    add_support,
    create_branch_pairing,
    create_kin_pairing,
    delete_branch_pairing,
    delete_help,
    delete_kin_pairing,
    end_branch_pairing,
    end_kin_pairing,
    record_help,
    remove_support,
    save_enterprise,
)

FEN = Decimal("0.01")
SupportAmount = Annotated[Decimal, range_of(PairingSupport, "amount", low=0, label="折合金额（元）")]
Pledged = Annotated[Decimal, range_of(EnterpriseHelp, "pledged", low=0, label="承诺资金（元）")]
Paid = Annotated[Decimal, range_of(EnterpriseHelp, "paid", low=0, label="到位资金（元）")]
router = Router(tags=["结对帮扶与企业帮扶"])


class BranchPairingOut(Schema):
    id: int
    helper_id: int
    helper_name: str
    helped_id: int
    helped_name: str
    village_code: str
    village_name: str
    since: int
    until: int | None

    @staticmethod
    def resolve_helper_name(obj: Any) -> str:
        return str(obj.helper.name)

    @staticmethod
    def resolve_helped_name(obj: Any) -> str:
        return str(obj.helped.name)

    @staticmethod
    def resolve_village_code(obj: Any) -> str:
        return str(obj.helped.region_id)

    @staticmethod
    def resolve_village_name(obj: Any) -> str:
        return str(obj.helped.region.name)


class BranchPairingIn(Schema):
    helper_id: Id
    helped_id: Id
    since: Year


class PairingEndIn(Schema):
    until: Year


class KinPairingOut(Schema):
    id: int
    person_id: int
    person_name: str
    household_id: int
    head_name: str
    resident_id_masked: str
    poverty_status: str
    village_code: str
    village_name: str
    since: int
    until: int | None

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return str(obj.person.name)

    @staticmethod
    def resolve_head_name(obj: Any) -> str:
        return str(obj.household.head_name)

    @staticmethod
    def resolve_resident_id_masked(obj: Any) -> str:
        return str(obj.household.resident_id_masked)

    @staticmethod
    def resolve_poverty_status(obj: Any) -> str:
        return str(obj.household.status)

    @staticmethod
    def resolve_village_code(obj: Any) -> str:
        return str(obj.village_id)

    @staticmethod
    def resolve_village_name(obj: Any) -> str:
        return str(obj.household.region.name)


class KinPairingIn(Schema):
    person_id: Id
    household_id: Id
    since: Year


class PairingSupportOut(Schema):
    id: int
    branch_pairing_id: int | None
    kin_pairing_id: int | None
    village_code: str
    village_name: str
    year: int
    kind: str
    kind_label: str
    description: str
    amount: Decimal

    @staticmethod
    def resolve_village_code(obj: Any) -> str:
        return str(obj.village_id)

    @staticmethod
    def resolve_village_name(obj: Any) -> str:
        return str(obj.village.name)

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())


class PairingSupportIn(Schema):
    branch_pairing_id: Id | None = None
    kin_pairing_id: Id | None = None
    year: Year
    kind: str
    description: str
    amount: SupportAmount = Decimal(0)


class EnterpriseOut(Schema):
    id: int
    name: str
    credit_code: str
    region_code: str
    region_name: str
    villages: int
    poor_villages: int
    pledged: Decimal
    paid: Decimal

    @staticmethod
    def resolve_region_code(obj: Any) -> str:
        return str(obj.region_id)

    @staticmethod
    def resolve_region_name(obj: Any) -> str:
        return str(obj.region.name)

    @staticmethod
    def resolve_villages(obj: Any) -> int:
        return int(getattr(obj, "villages", 0))

    @staticmethod
    def resolve_poor_villages(obj: Any) -> int:
        return int(getattr(obj, "poor_villages", 0))

    @staticmethod
    def resolve_pledged(obj: Any) -> Decimal:
        return Decimal(getattr(obj, "pledged", 0)).quantize(FEN)

    @staticmethod
    def resolve_paid(obj: Any) -> Decimal:
        return Decimal(getattr(obj, "paid", 0)).quantize(FEN)


class EnterpriseIn(Schema):
    name: str
    credit_code: str
    region_code: str


class EnterpriseHelpOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str
    credit_code: str
    village_code: str
    village_name: str
    year: int
    pledged: Decimal
    paid: Decimal
    note: str

    @staticmethod
    def resolve_enterprise_name(obj: Any) -> str:
        return str(obj.enterprise.name)

    @staticmethod
    def resolve_credit_code(obj: Any) -> str:
        return str(obj.enterprise.credit_code)

    @staticmethod
    def resolve_village_code(obj: Any) -> str:
        return str(obj.village_id)

    @staticmethod
    def resolve_village_name(obj: Any) -> str:
        return str(obj.village.name)


class EnterpriseHelpIn(Schema):
    enterprise_id: Id
    village_code: str
    year: Year
    pledged: Pledged = Decimal(0)
    paid: Paid = Decimal(0)
    note: str = ""


def _year(year: int | None) -> int:
    return year if year is not None else working_year()


# --- 支部结对 -------------------------------------------------------------------------------------------------

@router.get("/branch-pairings", response=Page[BranchPairingOut], summary="支部结对（`year` 为在该年度有效的结对）")
def list_branch_pairings(request: HttpRequest, region: str = "", q: str = "", year: int | None = None,
                         page: PageNumber = 1, page_size: PageSize = 20) -> dict[str, Any]:
    return paged(branch_pairings(request.user, year=year, region=region_param(region), q=q), page=page,
                 page_size=page_size)


@router.post("/branch-pairings", response={201: BranchPairingOut}, summary="新增支部结对")
def create_branch(request: HttpRequest, payload: BranchPairingIn) -> Status[Any]:
    made = create_branch_pairing(actor=request.user, **payload.dict())
    return Status(201, get_branch_for_user(request.user, made.pk))


@router.get("/branch-pairings/{pairing_id}", response=BranchPairingOut, summary="支部结对")
def get_branch(request: HttpRequest, pairing_id: Id) -> Any:
    return get_branch_for_user(request.user, pairing_id)


@router.post("/branch-pairings/{pairing_id}/end", response=BranchPairingOut, summary="结束支部结对")
def end_branch(request: HttpRequest, pairing_id: Id, payload: PairingEndIn) -> Any:
    end_branch_pairing(actor=request.user, pairing_id=pairing_id, until=payload.until)
    return get_branch_for_user(request.user, pairing_id)


@router.delete("/branch-pairings/{pairing_id}", response={204: None}, summary="删除支部结对（连同帮扶记录）")
def remove_branch(request: HttpRequest, pairing_id: Id) -> Status[None]:
    delete_branch_pairing(actor=request.user, pairing_id=pairing_id)
    return Status(204, None)


# --- 干群结亲 -------------------------------------------------------------------------------------------------

@router.get("/kin-pairings", response=Page[KinPairingOut],
            summary="干群结亲（`year` 为在该年度有效的结亲；`q` 干部或户主姓名）")
def list_kin_pairings(request: HttpRequest, region: str = "", q: str = "", year: int | None = None,
                      page: PageNumber = 1, page_size: PageSize = 20) -> dict[str, Any]:
    return paged(kin_page_rows(kin_pairings(request.user, year=year, region=region_param(region), q=q)), page=page,
                 page_size=page_size)


@router.post("/kin-pairings", response={201: KinPairingOut}, summary="新增干群结亲")
def create_kin(request: HttpRequest, payload: KinPairingIn) -> Status[Any]:
    made = create_kin_pairing(actor=request.user, **payload.dict())
    return Status(201, get_kin_for_user(request.user, made.pk))


@router.get("/kin-pairings/{pairing_id}", response=KinPairingOut, summary="干群结亲")
def get_kin(request: HttpRequest, pairing_id: Id) -> Any:
    return get_kin_for_user(request.user, pairing_id)


@router.post("/kin-pairings/{pairing_id}/end", response=KinPairingOut, summary="结束干群结亲")
def end_kin(request: HttpRequest, pairing_id: Id, payload: PairingEndIn) -> Any:
    end_kin_pairing(actor=request.user, pairing_id=pairing_id, until=payload.until)
    return get_kin_for_user(request.user, pairing_id)


@router.delete("/kin-pairings/{pairing_id}", response={204: None}, summary="删除干群结亲（连同帮扶记录）")
def remove_kin(request: HttpRequest, pairing_id: Id) -> Status[None]:
    delete_kin_pairing(actor=request.user, pairing_id=pairing_id)
    return Status(204, None)


# --- 帮扶记录 -------------------------------------------------------------------------------------------------

@router.get("/supports", response=Page[PairingSupportOut], summary="结对帮扶记录（`kind` project/money/goods）")
def list_supports(request: HttpRequest, region: str = "", year: int | None = None, kind: str = "",
                  page: PageNumber = 1, page_size: PageSize = 20) -> dict[str, Any]:
    return paged(supports_for(request.user, year=year, region=region_param(region), kind=kind), page=page,
                 page_size=page_size)


@router.post("/supports", response={201: PairingSupportOut}, summary="登记结对帮扶（指定支部结对或干群结亲之一）")
def create_support(request: HttpRequest, payload: PairingSupportIn) -> Status[Any]:
    made = add_support(actor=request.user, **payload.dict())
    return Status(201, supports_for(request.user).get(pk=made.pk))


@router.get("/supports/{support_id}", response=PairingSupportOut, summary="结对帮扶记录")
def get_support(request: HttpRequest, support_id: Id) -> Any:
    return get_for_user(supports_for(request.user), request.user, pk=support_id)


@router.delete("/supports/{support_id}", response={204: None}, summary="删除结对帮扶记录")
def delete_support(request: HttpRequest, support_id: Id) -> Status[None]:
    remove_support(actor=request.user, support_id=support_id)
    return Status(204, None)


# --- 企业帮扶 -------------------------------------------------------------------------------------------------

@router.get("/enterprises", response=Page[EnterpriseOut],
            summary="帮扶企业，含该年度帮扶村数、贫困村数、承诺与到位资金（`year` 默认工作年度）")
def list_enterprises(request: HttpRequest, region: str = "", q: str = "", year: int | None = None,
                     page: PageNumber = 1, page_size: PageSize = 20) -> dict[str, Any]:
    return paged(enterprises_for(request.user, year=_year(year), region=region_param(region), q=q), page=page,
                 page_size=page_size)


def _enterprise(request: HttpRequest, pk: int, year: int | None = None) -> Any:
    return get_for_user(enterprises_for(request.user, year=_year(year)), request.user, pk=pk)


@router.post("/enterprises", response={201: EnterpriseOut}, summary="登记帮扶企业（统一社会信用代码按GB 32100校验）")
def create_enterprise(request: HttpRequest, payload: EnterpriseIn) -> Status[Any]:
    made = save_enterprise(actor=request.user, **payload.dict())
    return Status(201, _enterprise(request, made.pk))


@router.get("/enterprises/{enterprise_id}", response=EnterpriseOut, summary="帮扶企业")
def get_enterprise(request: HttpRequest, enterprise_id: Id, year: int | None = None) -> Any:
    return _enterprise(request, enterprise_id, year)


@router.put("/enterprises/{enterprise_id}", response=EnterpriseOut, summary="修改帮扶企业")
def edit_enterprise(request: HttpRequest, enterprise_id: Id, payload: EnterpriseIn) -> Any:
    get_enterprise_for_user(request.user, enterprise_id)
    save_enterprise(actor=request.user, enterprise_id=enterprise_id, **payload.dict())
    return _enterprise(request, enterprise_id)


@router.get("/enterprise-helps", response=Page[EnterpriseHelpOut], summary="企业帮扶记录（按受帮扶村的管辖范围）")
def list_helps(request: HttpRequest, region: str = "", year: int | None = None, page: PageNumber = 1,
               page_size: PageSize = 20) -> dict[str, Any]:
    return paged(helps_for(request.user, year=year, region=region_param(region)), page=page, page_size=page_size)


@router.post("/enterprise-helps", response={200: EnterpriseHelpOut, 201: EnterpriseHelpOut},
             summary="登记企业帮扶（同一企业、村、年度再次登记即更新：201 新增，200 更新）")
def upsert_help(request: HttpRequest, payload: EnterpriseHelpIn) -> Status[Any]:
    found, created = record_help(actor=request.user, **payload.dict())
    return Status(201 if created else 200, helps_for(request.user).get(pk=found.pk))


@router.get("/enterprise-helps/{help_id}", response=EnterpriseHelpOut, summary="企业帮扶记录")
def get_help(request: HttpRequest, help_id: Id) -> Any:
    return get_for_user(helps_for(request.user), request.user, pk=help_id)


@router.delete("/enterprise-helps/{help_id}", response={204: None}, summary="删除企业帮扶记录")
def remove_help(request: HttpRequest, help_id: Id) -> Status[None]:
    delete_help(actor=request.user, help_id=help_id)
    return Status(204, None)
