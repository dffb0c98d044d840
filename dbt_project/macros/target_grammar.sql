{#-
  The grammar of a target value (指标值) after normalize_text: one or more parts, each a deadline or a measure.
  A measure is
      [(unit) [:]] [frequency] [comparator word [… 的]] [filler] [comparator symbol] number [- upper] [万|亿]
      [unit | (unit)] [suffix]
  e.g. 每年不少于2次, ≥20万人次, 90%以上, 约154人, 10分钟内, 不小于90(%), 1000万(笔), 2次/天, 3~5个,
  新增业务数据(条)≥300 (the unit in brackets in the label), 低于总投资金额的5% (a comparator word a few words
  before its number, tied to it by 的), 30元/人/天 (a unit per unit per unit).
  A deadline is [不晚于|截至 …] year 年 month 月 [day 日] [底|末] [前], or month 月 [day 日] 底/前, or year 年底,
  or year 年前 (not 2025年前三季度), or 年底前: 2025年12月前, 12月底前, 2025年底前.
  Alternatives are listed longest first: RE2 takes the first alternative that matches at a position.
-#}

{% macro target_comparator_words() -%}
    {{ return([
        ('小于等于', '≤'), ('大于等于', '≥'), ('不少于', '≥'), ('不低于', '≥'), ('不小于', '≥'), ('可达到', '≥'),
        ('不超过', '≤'), ('不高于', '≤'), ('不大于', '≤'), ('不多于', '≤'), ('不超出', '≤'),
        ('至少', '≥'), ('达到', '≥'), ('最多', '≤'), ('最高', '≤'), ('最低', '≥'),
        ('大于', '>'), ('高于', '>'), ('超过', '>'), ('多于', '>'),
        ('小于', '<'), ('低于', '<'), ('少于', '<'),
        ('大约', '≈'), ('约为', '≈'), ('约', '≈'), ('近', '≈'),
        ('等于', '='), ('为', '=')
    ]) }}
{%- endmacro %}

{#- Words that compare even when a few words stand between them and the number (低于总投资金额的5%). -#}
{% macro target_separable_comparator_words() -%}
    {{ return(target_comparator_words() | rejectattr(0, 'in', ['大约', '约为', '约', '近', '等于', '为']) | list) }}
{%- endmacro %}

{% macro target_comparator_suffixes() -%}
    {{ return([
        ('或以上', '≥'), ('及以上', '≥'), ('以上', '≥'),
        ('或以下', '≤'), ('及以下', '≤'), ('以下', '≤'), ('以内', '≤'), ('之内', '≤'), ('内', '≤')
    ]) }}
{%- endmacro %}

{% macro target_units() -%}
    {{ return([
        '平方公里', '平方千米', '平方米', '立方米', '个工作日', '工作日', '个月', '公顷',
        '人次', '户次', '毫秒', '分钟', '秒钟', '小时', '学时', '课时', '公里', '千米', '平米', '万元', '年级',
        'Mbps', 'Gbps', 'MB', 'GB', 'TB', 'KB', 'M', 'G', 'ms', 'min', 'h', 's', '㎡', 'm²',
        '%', '‰', '元', '人', '次', '个', '台', '件', '篇', '门', '份', '套', '场', '讲', '项', '所', '名', '间',
        '秒', '天', '日', '周', '月', '年', '分', '条', '笔', '户', '家', '本', '册', '期', '批', '节', '部', '亩',
        '辆', '张', '座', '栋', '层', '米', '届', '班', '校', '处', '类', '种', '位', '课', '集', '卷', '盒', '对'
    ]) }}
{%- endmacro %}

{#- What a rate unit may be per besides a unit (元/生/学年). -#}
{% macro target_rate_denominators() -%}
    {{ return(['学年', '学期', '生']) }}
{%- endmacro %}

{#- Deadline words before a date (不晚于2025年6月) that make it ≤. -#}
{% macro target_deadline_words() -%}
    {{ return(['不晚于', '不迟于', '最迟', '最晚', '截至', '截止']) }}
{%- endmacro %}

{% macro _alternation(items) -%}
    {%- for item in items -%}{{ modules.re.escape(item) }}{% if not loop.last %}|{% endif %}{%- endfor -%}
{%- endmacro %}

{#- A unit, or a rate of units (次/天, 元/人/天, 万元/人); a unit in Latin letters ends at a word boundary (5h, not 5hz). -#}
{% macro target_unit_pattern() -%}
    {%- set alternatives = [] -%}
    {%- for unit in target_units() -%}
        {%- do alternatives.append(modules.re.escape(unit) ~ ('\\b' if modules.re.search('[A-Za-z]$', unit) else '')) -%}
    {%- endfor -%}
    {%- set units = alternatives | join('|') -%}
    {{- '(?:' ~ units ~ ')(?:/(?:' ~ units ~ '|' ~ _alternation(target_rate_denominators()) ~ '))*' -}}
{%- endmacro %}

{#- The measure pattern; with `capture` its groups are target_measure_groups() for regexp_extract. -#}
{% macro target_measure_pattern(capture=false) -%}
    {%- set g = '(' if capture else '(?:' -%}
    {%- set words = _alternation(target_comparator_words() | map(attribute=0) | list) -%}
    {%- set separable = _alternation(target_separable_comparator_words() | map(attribute=0) | list) -%}
    {%- set suffixes = _alternation(target_comparator_suffixes() | map(attribute=0) | list) -%}
    {%- set units = target_unit_pattern() -%}
    {%- set number = '(?:\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)' -%}
    {%- set bracketed = '(?:万|亿)?' ~ units -%}
    {%- set pattern = '(?:\\(' ~ g ~ bracketed ~ ')\\)\\s*:?\\s*)?'
        ~ g ~ '每天|每日|每周|每月|每年|每学期)?'
        ~ '(?:' ~ g ~ separable ~ ')[^0-9,;:!?。()\\s≥≤<>=≈%]{1,12}?的|' ~ g ~ words ~ '))?'
        ~ '(?:全年|共|平均|总计)?\\s*'
        ~ g ~ '≥|≤|>|<|=|≈)?\\s*'
        ~ '(' ~ number ~ ')'
        ~ '(?:%?\\s*(?:-|~|至|到)\\s*' ~ g ~ number ~ '))?'
        ~ '\\s*' ~ g ~ '万|亿)?\\s*'
        ~ '(?:\\(' ~ g ~ bracketed ~ ')\\)|' ~ g ~ units ~ '))?'
        ~ g ~ suffixes ~ ')?' -%}
    {{- pattern -}}
{%- endmacro %}

{% macro target_measure_groups() -%}
    {{ return(['label_unit', 'frequency', 'separated_word', 'word', 'symbol', 'number', 'upper', 'multiplier',
               'unit_in_brackets', 'unit', 'suffix']) }}
{%- endmacro %}

{#- The deadline pattern (no groups): the date parts are read from a matched deadline by target_deadline_date. -#}
{% macro target_deadline_pattern() -%}
    {%- set year = '(?:19|20)\\d{2}\\s*年\\s*' -%}
    {%- set month = '(?:1[0-2]|0?[1-9])\\s*月' -%}
    {%- set day = '(?:\\s*(?:3[01]|[12]\\d|0?[1-9])\\s*[日号])?' -%}
    {%- set before = '(?:之|以)?前' -%}
    {{- '(?:(?:' ~ _alternation(target_deadline_words()) ~ ')\\s*)?(?:'
        ~ year ~ month ~ day ~ '(?:[底末])?(?:' ~ before ~ ')?'
        ~ '|' ~ year ~ '(?:[底末](?:' ~ before ~ ')?|' ~ before ~ '(?:$|[^0-9一二三四五六七八九十两个季]))'
        ~ '|' ~ month ~ day ~ '(?:[底末](?:' ~ before ~ ')?|' ~ before ~ ')'
        ~ '|年[底末]' ~ before ~ ')' -}}
{%- endmacro %}

{#- SQL: a matched deadline as an ISO 8601 date of the precision printed: 2025-12-31, 2025-12, 2025, or --12
    (XML Schema gMonth) when the year is not printed. 年底/年末 is month 12. -#}
{% macro target_deadline_date(expression) -%}
    {%- set year = "nullif(regexp_extract(" ~ expression ~ ", '((?:19|20)\\d{2})\\s*年', 1), '')" -%}
    {%- set month = "nullif(regexp_extract(" ~ expression ~ ", '(\\d{1,2})\\s*月', 1), '')" -%}
    {%- set day = "nullif(regexp_extract(" ~ expression ~ ", '月\\s*(\\d{1,2})\\s*[日号]', 1), '')" -%}
    case
        when {{ month }} is null and not regexp_matches({{ expression }}, '年\s*[底末]') then {{ year }}
        else coalesce({{ year }}, '-') || '-' || lpad(coalesce({{ month }}, '12'), 2, '0')
            || coalesce('-' || lpad({{ day }}, 2, '0'), '')
    end
{%- endmacro %}

{#- SQL: a matched deadline's comparator: ≤ for 前 (之前, 以前, 底前) or a deadline word, else =. -#}
{% macro target_deadline_comparator(expression) -%}
    case when regexp_matches({{ expression }}, '前|^(?:{{ _alternation(target_deadline_words()) }})') then '≤' else '=' end
{%- endmacro %}

{#- SQL: the magnitude a unit carries (万人次, 万元/人: 10,000; 亿: 100,000,000), null when none. -#}
{% macro target_scale(unit) -%}
    case when {{ unit }} like '万%' then 10000 when {{ unit }} like '亿%' then 100000000 end
{%- endmacro %}

{#- SQL case expression: a comparator word or suffix to its symbol. -#}
{% macro target_comparator_symbol(expression, pairs) -%}
    case {{ expression }}
        {%- for word, symbol in pairs %}
        when '{{ word }}' then '{{ symbol }}'
        {%- endfor %}
    end
{%- endmacro %}
