"""干部在村成长: 第一书记 and 驻村干部 sent, working groups and the villages they cover (三个全覆盖), talents,
项目书记 and their projects, training by level, 六定一化 grades and their outcomes."""

from __future__ import annotations

from typing import Any

from wuzaicun.cadres.selectors.dispatch import dispatch_counts
from wuzaicun.cadres.selectors.grading import grade_summary, outcome_counts
from wuzaicun.cadres.selectors.talents import secretary_totals, talent_counts
from wuzaicun.cadres.selectors.training import figures_of, training_figures

from . import Figure, once


def figures(user: Any, year: int, region: str | None) -> list[Figure]:
    sent = once(dispatch_counts, user, year=year, region=region)
    talents = once(talent_counts, user, year=year, region=region)
    secretaries = once(secretary_totals, user, year=year, region=region)
    training = figures_of(once(training_figures, user, region=region or ""), year)
    grades = once(grade_summary, user, year=year, region=region)
    outcomes = once(outcome_counts, user, year=year, region=region)
    return [
        Figure("dispatched", "选派第一书记和驻村干部", sent["dispatched"], "人", seed=4606),
        Figure("first_secretaries", "其中：第一书记", sent["first_secretaries"], "人"),
        Figure("resident_cadres", "其中：驻村干部", sent["residents"], "人"),
        Figure("working_groups", "驻村工作组", sent["groups"], "个", seed=902),
        Figure("poor_villages_with_group", "驻村工作组覆盖的贫困村", sent["poor_with_group"], "个", seed=871),
        Figure("weak_villages_with_group", "驻村工作组覆盖的党组织软弱涣散村", sent["weak_with_group"], "个", seed=138),
        Figure("ethnic_villages_with_group", "驻村工作组覆盖的少数民族村", sent["ethnic_with_group"], "个", seed=231),
        Figure("poor_villages_with_first_secretary", "有第一书记的贫困村", sent["poor_with_secretary"], "个"),
        Figure("talents", "“千村千人计划”选派人才", talents["talents"], "人", seed=5378),
        Figure("talent_villages", "人才结对帮扶的村次", talents["pairs"], "个"),
        Figure("talent_visits", "人才到村开展帮扶", talents["visits"], "次"),
        Figure("project_secretaries", "村“项目书记”", secretaries["secretaries"], "人", seed=1433),
        Figure("projects_led", "项目书记领办项目", secretaries["led"], "个", seed=918),
        Figure("projects_driven", "项目书记带动实施项目", secretaries["driven"], "个", seed=1240),
        Figure("city_training_sessions", "市级专题培训", training.city.sessions, "期", seed=10),
        Figure("city_training_person_times", "市级专题培训人次", training.city.person_times, "人次", seed=1200),
        Figure("county_training_sessions", "县级培训", training.county.sessions, "期", seed=95),
        Figure("county_training_person_times", "县级培训人次", training.county.person_times, "人次", seed=11000),
        Figure("graded_cadres", "参加“六定一化”综合考评的干部", grades["graded"], "人"),
        Figure("graded_excellent", "考评为“优”", grades["excellent"], "人"),
        Figure("graded_good", "考评为“良”", grades["good"], "人"),
        Figure("graded_fair", "考评为“中”", grades["fair"], "人"),
        Figure("graded_poor", "考评为“差”", grades["poor"], "人"),
        Figure("promotions", "优秀村干部进入乡镇领导班子", outcomes["promotions"], "人", seed=67),
        Figure("treatments", "优秀村干部享受副科级干部待遇", outcomes["treatments"], "人", seed=108),
        Figure("accountability", "评为“差”等次被问责或组织处理", outcomes["accountability"], "人", seed=27),
    ]
