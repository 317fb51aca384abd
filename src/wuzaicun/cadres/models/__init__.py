"""干部在村成长: the models of each area, one module an area."""

from .dispatch import Dispatch, DispatchKind, Placement, PlacementKind, WorkingGroup
from .grading import (
    CadreGrade,
    CadreIndicator,
    CadreOutcome,
    CadreRole,
    CadreScore,
    Dimension,
    GradePolicy,
    GradeStatus,
    OutcomeKind,
)
from .talents import (
    ProjectRole,
    ProjectSecretary,
    SecretaryProject,
    Talent,
    TalentField,
    TalentVillage,
    TalentVisit,
    VisitPlan,
)
from .training import Attendance, TargetGroup, TrainingLevel, TrainingSession

__all__ = [
    "Attendance", "CadreGrade", "CadreIndicator", "CadreOutcome", "CadreRole", "CadreScore", "Dimension",
    "Dispatch", "DispatchKind", "GradePolicy", "GradeStatus", "OutcomeKind", "Placement", "PlacementKind",
    "ProjectRole", "ProjectSecretary", "SecretaryProject", "Talent", "TalentField", "TalentVillage",
    "TalentVisit", "TargetGroup", "TrainingLevel", "TrainingSession", "VisitPlan", "WorkingGroup",
]
