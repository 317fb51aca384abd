"""Pages of the lists: board counts, coverage drill-down (scoped), rules edited by a city admin only."""

from wuzaicun.audit.models import AuditEntry
from wuzaicun.responsibility.models import RuleSetting
from wuzaicun.testing.lists import VILLAGE, YEAR, cover_village


def test_board_shows_the_five_lists_with_counts(world, year_open, client_for):
    cover_village(world, VILLAGE)
    page = client_for("county_a").get(f"/responsibility/?year={YEAR}").text
    for label in ("帮村清单", "联村清单", "驻村清单", "助村清单", "带村清单"):
        assert label in page
    assert "均在截止日期前制定" in page


def test_coverage_page_drills_down_and_stays_in_scope(world, year_open, client_for):
    client = client_for("city")
    city = client.get(f"/responsibility/coverage/520300000000/?year={YEAR}").text
    assert "红花岗区" in city and "汇川区" in city and "village_bangcun" in city
    county = client_for("county_a").get(f"/responsibility/coverage/?year={YEAR}")
    assert "甲村" in county.text and "丙村" not in county.text
    assert client_for("county_a").get(f"/responsibility/coverage/520303000000/?year={YEAR}").status_code == 404


def test_only_a_city_admin_changes_rules_and_each_change_is_audited(world, year_open, client_for):
    setting = RuleSetting.objects_unscoped.get(year__year=YEAR, code="household_helpers_min3")
    refused = client_for("county_a").post(f"/responsibility/rules/household_helpers_min3/?year={YEAR}",
                                          {"enabled": "on", "threshold": 5, "version": setting.version})
    assert refused.status_code == 403
    done = client_for("city").post(f"/responsibility/rules/household_helpers_min3/?year={YEAR}",
                                   {"enabled": "on", "threshold": 5, "version": setting.version})
    assert done.status_code == 302
    assert RuleSetting.objects_unscoped.get(pk=setting.pk).threshold == 5
    entry = AuditEntry.objects_unscoped.get(object_type="rule_setting", object_id=str(setting.pk))
    assert entry.changes == {"threshold": [3, 5]}
    stale = client_for("city").post(f"/responsibility/rules/household_helpers_min3/?year={YEAR}",
                                    {"enabled": "on", "threshold": 4, "version": setting.version})
    assert stale.status_code == 409 and RuleSetting.objects_unscoped.get(pk=setting.pk).threshold == 5


def test_the_entry_form_refuses_what_the_lists_refuse(world, year_open, client_for):
    from wuzaicun.testing import factories

    member = factories.person(world.regions[VILLAGE], name="非能人", rank="农村党员")
    client = client_for("township_a")
    page = client.post(f"/responsibility/entries/new/?year={YEAR}", {
        "kind": "group_head", "village_code": VILLAGE, "person_id": member.pk, "duties": "带领"})
    assert page.status_code == 200 and "带村清单的责任人须为能人党员" in page.text
    ok = client.post(f"/responsibility/entries/new/?year={YEAR}", {
        "kind": "helper", "village_code": VILLAGE, "person_id": member.pk, "duties": ["走访", "结对"],
        "household_ids": str(world.households[VILLAGE][0].pk)})
    assert ok.status_code == 302
    listing = client.get(f"/responsibility/entries/?year={YEAR}&kind=helper").text
    assert "非能人" in listing and "走访、结对" in listing


def test_the_lists_export_in_the_layout_of_a_responsibility_list(world, year_open, client_for):
    import io

    from openpyxl import load_workbook

    from wuzaicun.audit.models import AuditEntry

    cover_village(world, VILLAGE)
    cover_village(world, "520303100201")
    response = client_for("county_a").post("/responsibility/lists/export/", {"year": YEAR})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["帮村清单", "联村清单", "驻村清单", "助村清单", "带村清单"]
    sheet = book["助村清单"]
    rows = list(sheet.iter_rows(values_only=True))
    assert "红花岗区2016年度助村责任清单" in rows[0][0]
    assert rows[1][:5] == ("序号", "责任人（责任主体）", "职务", "村", "帮扶户数")
    assert len(rows) == 2 + 3 and all(r[3] == "甲村" for r in rows[2:])
    assert [r[4] for r in rows[2:]] == [len(world.households[VILLAGE])] * 3  # each helper's households
    leaders = list(book["联村清单"].iter_rows(min_row=3, values_only=True))
    assert [(r[1], r[4]) for r in leaders] == [("甲村联村领导", 2)]
    stationed = list(book["驻村清单"].iter_rows(min_row=3, values_only=True))
    assert [(r[1], r[2], r[4], r[6]) for r in stationed] == [("甲村第一书记", "第一书记", 0, "发展茶叶产业")]
    assert [r[1] for r in book["帮村清单"].iter_rows(min_row=3, values_only=True)] == ["甲村帮扶班子"]
    assert AuditEntry.objects_unscoped.filter(action="export", object_type="assignment").count() == 1
    refused = client_for("county_a").post("/responsibility/lists/export/", {"year": YEAR, "region": "520303"})
    assert refused.status_code == 404


def test_the_export_buttons_are_forms_and_a_get_exports_nothing(world, year_open, client_for):
    from wuzaicun.audit.models import AuditEntry

    cover_village(world, VILLAGE)
    client = client_for("county_a")
    for page in (f"/responsibility/?year={YEAR}", f"/responsibility/entries/?year={YEAR}&region=520302001001"):
        text = client.get(page).text
        assert 'method="post" action="/responsibility/lists/export/"' in text and "csrfmiddlewaretoken" in text
    response = client.get(f"/responsibility/lists/export/?year={YEAR}&region=520302001001", follow=True)
    assert response.redirect_chain == [(f"/responsibility/entries/?year={YEAR}&region=520302001001", 302)]
    assert "请点击“导出责任清单”按钮导出" in response.text
    assert not AuditEntry.objects_unscoped.filter(action="export").exists()


def test_a_city_admin_cannot_set_rules_that_reach_beyond_the_city(world, year_open, client_for):
    from wuzaicun.regions.models import Region, VillageYear

    setting = RuleSetting.objects_unscoped.get(year__year=YEAR, code="household_helpers_min3")
    other_city = Region.objects_unscoped.create(code="520100000000", name="贵阳市", level=2,
                                                parent=world.regions["520000000000"])
    village = Region.objects_unscoped.create(code="520102001001", name="外市村", level=5, parent=other_city)
    VillageYear.objects_unscoped.create(village=village, year=YEAR, is_poor=True)
    refused = client_for("city").post(f"/responsibility/rules/household_helpers_min3/?year={YEAR}",
                                      {"enabled": "on", "threshold": 5, "version": setting.version})
    assert refused.status_code == 403
    assert RuleSetting.objects_unscoped.get(pk=setting.pk).threshold == 3
    done = client_for("sysadmin").post(f"/responsibility/rules/household_helpers_min3/?year={YEAR}",
                                       {"enabled": "on", "threshold": 5, "version": setting.version})
    assert done.status_code == 302


def test_an_entry_is_edited_with_its_households_and_a_stale_edit_is_refused(world, year_open, client_for):
    from wuzaicun.responsibility.models import Assignment, AssignmentHousehold

    made = cover_village(world, VILLAGE)
    helper = made["helper0"]
    keep = world.households[VILLAGE][0].pk
    client = client_for("township_a")
    page = client.post(f"/responsibility/entries/{helper.pk}/edit/", {
        "household_ids": str(keep), "duties": "走访", "goal": "每季度走访一次", "version": helper.version})
    assert page.status_code == 302
    entry = Assignment.objects_unscoped.get(pk=helper.pk)
    assert entry.duties == ["走访"] and entry.version == helper.version + 1
    assert list(AssignmentHousehold.objects_unscoped.filter(assignment=entry).values_list("household_id", flat=True)) == [keep]
    stale = client.post(f"/responsibility/entries/{helper.pk}/edit/", {
        "household_ids": "", "duties": "结对", "version": helper.version})
    assert stale.status_code == 409 and Assignment.objects_unscoped.get(pk=helper.pk).duties == ["走访"]
