"""组织在村建强: the models of each area, one module an area."""

from .economy import CollectiveEntity, EntityIncome, EntityKind
from .guarantees import Guarantee, GuaranteeStandard
from .orgs import (
    CommitteeDuty,
    CommitteeMember,
    EcommerceStation,
    Membership,
    OrgCategory,
    OrgType,
    PartyOrganisation,
    ServiceKind,
    ServiceRecord,
    SocialOrganisation,
    SocialOrgKind,
    SupervisoryCommittee,
)
from .rectification import (
    CaseEvidence,
    CaseProgress,
    CaseStatus,
    DemocraticScore,
    RankingPick,
    RankingRound,
    RankingWeight,
    RectificationCase,
    RoundStatus,
)

__all__ = [
    "CaseEvidence", "CaseProgress", "CaseStatus", "CollectiveEntity", "CommitteeDuty", "CommitteeMember",
    "DemocraticScore", "EcommerceStation", "EntityIncome", "EntityKind", "Guarantee", "GuaranteeStandard",
    "Membership", "OrgCategory", "OrgType", "PartyOrganisation", "RankingPick", "RankingRound", "RankingWeight",
    "RectificationCase", "RoundStatus", "ServiceKind", "ServiceRecord", "SocialOrgKind", "SocialOrganisation",
    "SupervisoryCommittee",
]
