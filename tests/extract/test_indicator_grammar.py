"""The indicator grammar on each trap DOMAIN.md lists, with the seeds' own text."""

from __future__ import annotations

from extract.grammar.indicators import parse_indicators


def one(text: str):
    parsed = parse_indicators(text)
    assert not parsed.leftovers, parsed.leftovers
    assert len(parsed.indicators) == 1
    return parsed.indicators[0]


def test_three_level_item():
    ind = one("1、1-产出指标；11-数量指标；日常保洁频率；实施周期指标值:每天2次；年度指标值:2次/天。")
    assert (ind.seq, ind.level1_code, ind.level1, ind.level2_code, ind.level2) == (1, "1", "产出指标", "11", "数量指标")
    assert (ind.name, ind.period_value, ind.annual_value) == ("日常保洁频率", "每天2次", "2次/天")


def test_one_level_item():
    ind = one("1、效益指标：校园绿化保持率，年度指标值：90%以上。")
    assert (ind.level1_code, ind.level1, ind.level2_code, ind.level2, ind.period_value) == (None, "效益指标", None, None, None)
    assert (ind.name, ind.annual_value) == ("校园绿化保持率", "90%以上")


def test_value_containing_semicolons():
    ind = one(
        "4、1-产出指标；12-质量指标；处理能力；实施周期指标值:服务期间CPU平均使用率应高于8%；内存使用率应高于10%；"
        "储容量应高于30%；年度指标值:服务期间CPU平均使用率应高于8%；内存使用率应高于10%；储容量应高于30%。"
    )
    assert ind.name == "处理能力"
    assert ind.period_value == "服务期间CPU平均使用率应高于8%；内存使用率应高于10%；储容量应高于30%"
    assert ind.annual_value == ind.period_value


def test_name_containing_colon_and_comma():
    ind = one("1、产出指标：课程视频的配套资源包数：小学、初中、高中三个学段共12个年级所有学科的课程配套资源包，年度指标值：8877个。")
    assert ind.name == "课程视频的配套资源包数：小学、初中、高中三个学段共12个年级所有学科的课程配套资源包"
    assert ind.annual_value == "8877个"
    ind = one("2、效益指标：应用与推广情况，覆盖全市，年度指标值：广州市教师科研管理系统服务对象：市区教育局。")
    assert ind.name == "应用与推广情况，覆盖全市"
    assert ind.annual_value == "广州市教师科研管理系统服务对象：市区教育局"


def test_ascii_punctuation():
    ind = one("1、产出指标:对广州继教网进行服务管理咨询,年度指标值:≥95%。")
    assert (ind.level1, ind.name, ind.annual_value) == ("产出指标", "对广州继教网进行服务管理咨询", "≥95%")
    ind = one("1、产出指标：交通事故发生率(%), 年度指标值：1%以下。")
    assert (ind.name, ind.annual_value) == ("交通事故发生率(%)", "1%以下")


def test_label_without_colon():
    ind = one("3、满意度指标：服务对象满意度，年度指标值≥98%。")
    assert ind.annual_value == "≥98%"
    ind = one("3、1-产出指标；12-质量指标；设备故障率；实施周期指标值＜20%；年度指标值＜20%。")
    assert (ind.period_value, ind.annual_value) == ("＜20%", "＜20%")


def test_doubled_full_stop():
    parsed = parse_indicators("5、效益指标：项目提供服务对象，年度指标值：全市150万中小学生、老师。。6、效益指标：投诉次数，年度指标值：小于3次。")
    assert [i.annual_value for i in parsed.indicators] == ["全市150万中小学生、老师", "小于3次"]
    assert not parsed.leftovers


def test_blank_level2_name():
    ind = one("8、2-效益指标；24-；校园应急情况配合处理及时性；实施周期指标值:及时；年度指标值:及时。")
    assert (ind.level2_code, ind.level2, ind.name) == ("24", "", "校园应急情况配合处理及时性")


def test_code_inside_name():
    ind = one("1、产出指标：222064102-参加培训人数，年度指标值：不少于300名教师。")
    assert (ind.name, ind.annual_value) == ("222064102-参加培训人数", "不少于300名教师")


def test_number_broken_across_lines_is_joined_by_the_reader():
    # Wrapped lines are joined with no separator before parsing: "约154" + "人" is one value.
    ind = one("1、1-产出指标；11-数量指标；经费保障人数；实施周期指标值:约154" + "人；年度指标值:约154人。")
    assert ind.period_value == "约154人"


def test_sequence_number_split_from_its_mark():
    parsed = parse_indicators(
        "9、2-效益指标；22-社会效益；系统稳定性；实施周期指标值:事故为0；年度指标值:事故为0。10"
        "、3-满意度指标；31-服务对象满意度；用户满意度；实施周期指标值:≥98%；年度指标值:≥98%。"
    )
    assert [i.seq for i in parsed.indicators] == [9, 10]
    assert parsed.indicators[0].annual_value == "事故为0"


def test_running_sequence_and_period_value_ending_in_full_stop():
    parsed = parse_indicators(
        "1、2-效益指标；21-经济效益；经济效益；实施周期指标值:降低人工成本，提高工作效能和经办效率。；"
        "年度指标值:降低人工成本，提高工作效能和经办效率。2、1-产出指标；13-时效指标；维修时长；"
        "实施周期指标值:在4小时内替换；年度指标值:在4小时内替换。"
    )
    assert [i.seq for i in parsed.indicators] == [1, 2]
    assert parsed.indicators[0].period_value == "降低人工成本，提高工作效能和经办效率。"
    assert parsed.indicators[0].annual_value == "降低人工成本，提高工作效能和经办效率"


def test_unparseable_text_is_reported_not_dropped():
    parsed = parse_indicators("前言文字1、效益指标：推广性，年度指标值：是。2、胡乱的内容")
    assert [i.name for i in parsed.indicators] == ["推广性"]
    reported = "".join(x.text for x in parsed.leftovers)
    assert "前言文字" in reported and "胡乱的内容" in reported
