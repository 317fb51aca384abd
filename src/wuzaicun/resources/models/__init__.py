"""资源在村整合: the models of each area, one module an area."""

from .decisions import (
    DecisionFlow,
    DecisionMinutes,
    DecisionPayment,
    DecisionStatus,
    DecisionStep,
    FundDecision,
    FundKind,
)
from .groups import BusinessKind, GroupEntity, GroupMember, TenHouseholdGroup
from .pairings import (
    BranchPairing,
    Enterprise,
    EnterpriseHelp,
    KinPairing,
    KinPairingTally,
    PairingSupport,
    SupportKind,
)
from .projects import FundSource, Project, ProjectBeneficiary, ProjectEvidence, ProjectFunding, ProjectStage
from .shares import Contribution, ContributionKind, Dividend, DividendPart

__all__ = [
    "BranchPairing", "BusinessKind", "Contribution", "ContributionKind", "DecisionFlow", "DecisionMinutes",
    "DecisionPayment", "DecisionStatus", "DecisionStep", "Dividend", "DividendPart", "Enterprise", "EnterpriseHelp",
    "FundDecision", "FundKind", "FundSource", "GroupEntity", "GroupMember", "KinPairing", "KinPairingTally",
    "PairingSupport", "Project", "ProjectBeneficiary", "ProjectEvidence", "ProjectFunding", "ProjectStage",
    "SupportKind", "TenHouseholdGroup",
]
