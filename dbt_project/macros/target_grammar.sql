{#-
  The grammar of a target value (指标值) after normalize_text: one or more measures, each
      [frequency] [comparator word] [filler] [comparator symbol] number [- upper] [万|亿] [unit | (unit)] [suffix]
  e.g. 每年不少于2次, ≥20万人次, 90%以上, 约154人, 10分钟内, 不小于90(%), 1000万(笔), 2次/天, 3~5个.
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

{% macro target_comparator_suffixes() -%}
    {{ return([
        ('或以上', '≥'), ('及以上', '≥'), ('以上', '≥'),
        ('或以下', '≤'), ('及以下', '≤'), ('以下', '≤'), ('以内', '≤'), ('之内', '≤'), ('内', '≤')
    ]) }}
{%- endmacro %}

{% macro target_units() -%}
    {{ return([
        '平方米', '立方米', '人/班', '次/天', '次/日', '次/周', '次/月', '次/年', '个工作日', '工作日', '个月',
        '人次', '户次', '毫秒', '分钟', '小时', '学时', '课时', '公里', '千米', '平米', '万元', '年级',
        'Mbps', 'Gbps', 'MB', 'GB', 'TB', 'KB', 'M', 'G',
        '%', '‰', '元', '人', '次', '个', '台', '件', '篇', '门', '份', '套', '场', '讲', '项', '所', '名', '间',
        '秒', '天', '日', '周', '月', '年', '分', '条', '笔', '户', '家', '本', '册', '期', '批', '节', '部',
        '辆', '张', '座', '栋', '层', '米', '届', '班', '校', '处', '类', '种', '位', '课', '集', '卷', '盒', '对'
    ]) }}
{%- endmacro %}

{% macro _alternation(items) -%}
    {%- for item in items -%}{{ modules.re.escape(item) }}{% if not loop.last %}|{% endif %}{%- endfor -%}
{%- endmacro %}

{#- The measure pattern; with `capture` its groups are target_measure_groups() for regexp_extract. -#}
{% macro target_measure_pattern(capture=false) -%}
    {%- set g = '(' if capture else '(?:' -%}
    {%- set words = _alternation(target_comparator_words() | map(attribute=0) | list) -%}
    {%- set suffixes = _alternation(target_comparator_suffixes() | map(attribute=0) | list) -%}
    {%- set units = _alternation(target_units()) -%}
    {%- set number = '(?:\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)' -%}
    {%- set pattern = g ~ '每天|每日|每周|每月|每年|每学期)?'
        ~ g ~ words ~ ')?(?:全年|共|平均|总计)?\\s*'
        ~ g ~ '≥|≤|>|<|=|≈)?\\s*'
        ~ '(' ~ number ~ ')'
        ~ '(?:%?\\s*(?:-|~|至|到)\\s*' ~ g ~ number ~ '))?'
        ~ '\\s*' ~ g ~ '万|亿)?\\s*'
        ~ '(?:\\(' ~ g ~ units ~ ')\\)|' ~ g ~ units ~ '))?'
        ~ g ~ suffixes ~ ')?' -%}
    {{- pattern -}}
{%- endmacro %}

{% macro target_measure_groups() -%}
    {{ return(['frequency', 'word', 'symbol', 'number', 'upper', 'multiplier', 'unit_in_brackets', 'unit', 'suffix']) }}
{%- endmacro %}

{#- SQL case expression: a comparator word or suffix to its symbol. -#}
{% macro target_comparator_symbol(expression, pairs) -%}
    case {{ expression }}
        {%- for word, symbol in pairs %}
        when '{{ word }}' then '{{ symbol }}'
        {%- endfor %}
    end
{%- endmacro %}
