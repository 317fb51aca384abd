"""The unscoped managers are used only where reads cannot leak: never in views, APIs or selectors.

Every scoped read goes through `wuzaicun.accounts.scope.scoped`; a model's unscoped manager is
named `objects_unscoped` so that this walk of the code can find each use and fail on a new one.
"""

import ast
from pathlib import Path

import wuzaicun

ROOT = Path(wuzaicun.__file__).parent
READ_LAYERS = {"views.py", "api.py", "selectors.py", "forms.py", "schemas.py", "navigation.py"}
# Reads that are public by design, each with its reason: (module, function).
PUBLIC_READS = {
    ("regions/selectors.py", "region_names"): "names of administrative divisions are public (统计用区划代码)",
    ("verification/selectors.py", "plans_for"): "plans of the user's area (scoped), plus those naming the user or revealed and covering the user's area",
    ("verification/selectors.py", "public_register"): "the public register: every plan's parameters and commitment",
    ("verification/selectors.py", "plan_strata"): "stratum sizes of a frozen population (public at the draw)",
    ("verification/selectors.py", "plan_population"): "entry numbers, kinds and counties of a revealed plan",
    ("verification/selectors.py", "plan_pick_ids"): "entry numbers picked by a revealed plan",
    ("organization/selectors/rectification.py", "rounds_for"): "ranking rounds of the user's area and of the regions above it (year, region, count; the picks stay scoped)",
    ("responsibility/selectors.py", "count_households"): "link counts of a page of entries the caller took from scoped()",
    ("responsibility/selectors.py", "households_helped"): "a link count correlated (OuterRef) to each entry of a query the caller took from scoped()",
    ("cadres/selectors/dispatch.py", "units_for"): "sending units of the user's area and of the regions above it (市直、省直单位 send 第一书记 down; unit names are public)",
    ("cadres/selectors/training.py", "attended_in"): "whether a person the caller took from scoped() attended a session that year, wherever held (a city session counts for a county's cadre)",
}
# Modules allowed to touch the unscoped managers, and why.
ALLOWED = {
    "accounts/scope.py": "the scoping function itself",
    "accounts/services.py": "user creation and token look-up (not region-scoped data)",
    "accounts/signals.py": "the scope of the account a failed login names, for its audit row",
    "audit/services.py": "appends audit rows",
    "audit/chain.py": "the hash chain: appends, verifies and purges the whole trail (command line, audit perm)",
    "core/commands.py": "resolves --as USER for the command line",
    "regions/services.py": "writes regions and village years",
    "regions/imports.py": "the regions and villages import sinks (writes)",
    "registry/services.py": "writes after a scoped get_for_user; duplicate checks across scopes",
    "registry/imports.py": "import sinks: duplicate checks across scopes (unique numbers), writes",
    "responsibility/services/lists.py": "writes entries after scoped look-ups",
    "responsibility/services/ledger.py": "locks rows (select_for_update) after a scoped get_for_user",
    "responsibility/services/helper_counts.py": "recounts the households a write touched (derived counts, D23)",
    "responsibility/imports.py": "the assignments import sink (writes)",
    "responsibility/synth.py": "synthetic lists (writes)",
    "verification/services.py": "draws and verifies plans: the frozen population and picks are the plan's own",
    "verification/synth.py": "synthetic findings (writes)",
    "verification/imports.py": "the entered-scores import sink (writes) for subjects it took from scoped()",
    "verification/assessment.py": "writes and ranks results for subjects it took from scoped()",
    "verification/indicators.py": "an assessment indicator: computed for subject codes the caller scoped",
    "responsibility/indicators.py": "assessment indicators: computed for subject codes the caller scoped",
    "registry/indicators.py": "assessment indicators: computed for subject codes the caller scoped",
    "resources/indicators/shares.py": "an assessment indicator: computed for subject codes the caller scoped",
    "regions/synth.py": "synthetic data (writes)",
    "registry/synth.py": "synthetic data (writes)",
    "core/synth.py": "synthetic data (writes)",
    "core/management/commands/synth.py": "synthetic data (writes)",
    "core/management/commands/demo.py": "demo set-up (writes)",
    "organization/services/guarantees.py": "writes guarantees after a scoped look-up; standards cover every village",
    "organization/services/economy.py": "writes entities after a scoped look-up; a credit code is unique everywhere",
    "organization/imports/guarantees.py": "the guarantees import sink (writes)",
    "organization/imports/economy.py": "the entities import sink: credit codes are unique everywhere, writes",
    "organization/indicators/guarantees.py": "an assessment indicator: computed for subject codes the caller scoped",
    "organization/indicators/economy.py": "an assessment indicator: computed for subject codes the caller scoped",
    "organization/synth/guarantees.py": "synthetic guarantees (writes)",
    "organization/synth/economy.py": "synthetic entities and incomes (writes)",
    "organization/services/rectification.py": "倒排整顿 writes after scoped look-ups (rounds, picks, cases, village years)",
    "organization/imports/rectification.py": "the 民主评议 import sink (writes) for villages it took from scoped()",
    "organization/indicators/rectification.py": "an assessment indicator: computed for subject codes the caller scoped",
    "organization/synth/rectification.py": "synthetic 倒排整顿 (writes)",
    "resources/synth/groups.py": "synthetic 十户一体 groups (writes)",
    "resources/services/groups.py": "十户一体 writes after scoped look-ups; a household is in one group whatever the scope",
    "resources/synth/shares.py": "synthetic 三变 contributions and dividends (writes)",
    "resources/synth/pairings.py": "synthetic pairings, supports, enterprises and their help (writes)",
    "resources/services/pairings.py": "pairing and enterprise writes after scoped look-ups; a pair once a year and a credit code once, whatever the scope",
    "resources/imports/pairings.py": "the pairings and enterprise-help import sinks: duplicates and credit codes checked everywhere, writes",
    "resources/services/shares.py": "三变 writes after a scoped look-up of the entity; a year's holdings are the entity's own",
    "resources/services/decisions.py": "资金使用决策 writes after a scoped, locked look-up of the decision; its steps and payments are its own",
    "resources/synth/decisions.py": "synthetic 资金使用决策 (writes)",
    "resources/indicators/decisions.py": "an assessment indicator: computed for subject codes the caller scoped",
    "cadres/services/dispatch.py": "writes dispatches, groups and placements after scoped look-ups",
    "cadres/imports/dispatch.py": "the dispatches import sink (writes) for people, units and villages it took in scope",
    "cadres/synth/dispatch.py": "synthetic dispatches, working groups and placements (writes)",
    "cadres/indicators/training.py": "a person indicator: computed for person ids the caller scoped (sessions of any region count)",
    "cadres/synth/training.py": "synthetic sessions and attendance (writes)",
    "cadres/services/grading.py": "六定一化考核 writes after scoped look-ups (grades, scores, outcomes); a confirmed grade anywhere is kept",
    "cadres/imports/grading.py": "the cadre_scores import sink (writes) for people it took from scoped()",
    "cadres/indicators/grading.py": "a person indicator: computed for person ids the caller scoped",
    "cadres/synth/grading.py": "synthetic grades, entered scores and outcomes (writes)",
    "resources/services/projects.py": "整合项目 writes after scoped look-ups; a project's county and township are read whatever the scope",
    "resources/imports/projects.py": "the projects import sink (writes) for regions it took from scoped()",
    "resources/indicators/projects.py": "assessment indicators: computed for subject codes the caller scoped",
    "resources/synth/projects.py": "synthetic 整合项目 (writes)",
}


def _scoped_model_names() -> set[str]:
    """Models of scoped data (they declare `scope_path`); configuration tables are not scoped."""
    from django.apps import apps

    return {m.__name__ for m in apps.get_models() if getattr(m, "scope_path", None)}


def _uses(path: Path, names: set[str] | None = None) -> list[int]:
    """Lines where a scoped model's unscoped manager (or `objects`) is touched, outside PUBLIC_READS."""
    names = _scoped_model_names() if names is None else names
    tree = ast.parse(path.read_text(), filename=str(path))
    relative = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name
    public = [
        (node.lineno, node.end_lineno or node.lineno) for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and (relative, node.name) in PUBLIC_READS
    ]
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in ("objects_unscoped", "objects", "_default_manager")
        and isinstance(node.value, ast.Name) and node.value.id in names
        and not any(start <= node.lineno <= end for start, end in public)
    ]


def _app_files() -> list[Path]:
    return [
        p for p in ROOT.rglob("*.py")
        if "tests" not in p.parts and "migrations" not in p.parts and "testing" not in p.parts
    ]


def test_read_layers_never_use_an_unscoped_manager():
    offenders = [f"{p.relative_to(ROOT)}:{line}" for p in _app_files() if p.name in READ_LAYERS for line in _uses(p)]
    assert offenders == []


def test_every_other_use_is_on_the_short_allowlist():
    offenders = []
    for path in _app_files():
        relative = str(path.relative_to(ROOT))
        if path.name == "models.py" or relative in ALLOWED:
            continue
        offenders += [f"{relative}:{line}" for line in _uses(path)]
    assert offenders == []


def test_the_guard_would_catch_a_use(tmp_path):
    sample = tmp_path / "views.py"
    sample.write_text("from x import Household\nrows = Household.objects_unscoped.all()\n")
    assert _uses(sample) == [2]
    assert "Household" in _scoped_model_names() and "RuleSetting" not in _scoped_model_names()
