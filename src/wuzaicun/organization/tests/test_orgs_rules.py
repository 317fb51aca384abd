"""The orgs area's pure rules: membership, the tree, categories, committee posts and duties."""

from __future__ import annotations

import pytest

from wuzaicun.organization.rules.orgs import (
    COMMITTEE_DUTIES,
    category_problem,
    children_problem,
    committee_member_problems,
    cycle_problem,
    duty_problem,
    parent_problem,
    party_member_problem,
)


@pytest.mark.parametrize(("status", "refused"), [
    ("中共党员", False), ("中共预备党员", False), ("群众", True), ("共青团员", True), ("民主党派", True)])
def test_only_party_members_may_be_members(status, refused):
    problem = party_member_problem("王五", status)
    assert (problem is not None) == refused
    if refused:
        assert "王五" in problem and status in problem


@pytest.mark.parametrize(("org_type", "parent_type", "expected"), [
    ("branch", None, None),
    ("branch", "committee", None),
    ("branch", "general_branch", None),
    ("general_branch", "committee", None),
    ("committee", "committee", None),
    ("branch", "branch", "党支部不能设下级组织"),
    ("general_branch", "branch", "党支部不能设下级组织"),
    ("committee", "general_branch", "党委的上级组织只能是党委"),
])
def test_parent_rules(org_type, parent_type, expected):
    problem = parent_problem(org_type=org_type, parent_type=parent_type)
    assert (problem is None) if expected is None else (expected in problem)


def test_an_organisation_with_children_cannot_become_a_branch():
    assert children_problem(org_type="branch", has_children=True)
    assert children_problem(org_type="general_branch", has_children=True) is None
    assert children_problem(org_type="branch", has_children=False) is None


@pytest.mark.parametrize(("org", "parent", "parents", "loops"), [
    (1, 1, {}, True),  # itself
    (1, 3, {3: 2, 2: 1}, True),  # its grandchild
    (1, 3, {3: 2, 2: None}, False),
    (1, None, {}, False),
    (None, 3, {}, False),  # a new organisation cannot close a loop
    (1, 3, {3: 4, 4: 3}, False),  # a loop elsewhere does not hang the check
])
def test_cycles_are_found(org, parent, parents, loops):
    assert (cycle_problem(org, parent, parents) is not None) == loops


@pytest.mark.parametrize(("category", "org_type", "product", "expected"), [
    ("ecommerce", "branch", "辣椒", None),
    ("ecommerce", "branch", " ", "特色产品"),
    ("ecommerce", "committee", "白酒", "组织类型须为党支部"),
    ("village", "general_branch", "", None),
])
def test_ecommerce_branches_name_their_product(category, org_type, product, expected):
    problem = category_problem(category=category, org_type=org_type, product=product)
    assert (problem is None) if expected is None else (expected in problem)


def test_committee_posts():
    assert committee_member_problems(["chair", "member", "member"]) == []
    assert committee_member_problems(["chair", "chair"]) == ["村务监督委员会只能有一名主任"]
    assert "不是可选值" in committee_member_problems(["boss"])[0]


def test_standard_duties():
    assert "监督财务管理" in COMMITTEE_DUTIES and len(set(COMMITTEE_DUTIES)) == len(COMMITTEE_DUTIES) >= 5
    assert duty_problem("监督村务公开") is None
    assert "不是村务监督委员会的标准职责" in duty_problem("喝茶")
