{%- set words = target_comparator_words() -%}
{%- set suffixes = target_comparator_suffixes() -%}
{%- set measure = target_measure_pattern() -%}
{%- set measure_groups = target_measure_groups() -%}
{%- set deadline = target_deadline_pattern() -%}
{%- set typed_kinds = "('quantitative', 'compound', 'deadline')" -%}

with

indicators as (

    select * from {{ ref('stg_budget__indicators') }}

),

targets as (

    select indicator_id, 'annual' as target_period, annual_value as target_text, annual_value_normalized as target_normalized
    from indicators
    where annual_value is not null

    union all

    select indicator_id, 'period' as target_period, period_value, period_value_normalized
    from indicators
    where period_value is not null

),

measures as (

    select
        *,
        -- a deadline first: 2025年12月前 is a date, not 2025 年 and 12 月
        regexp_extract_all(coalesce(target_normalized, ''), '{{ deadline }}|{{ measure }}') as all_measures

    from targets

),

chosen as (

    select
        *,
        -- a measure with a comparator, unit or frequency beats a bare number (500用户…≤3秒 is ≤3秒)
        list_filter(all_measures, lambda m: regexp_matches(m, '[^0-9.,\s]')) as qualified_measures

    from measures

),

counted as (

    select
        *,
        case when len(qualified_measures) > 0 then len(qualified_measures) else len(all_measures) end as part_count,
        coalesce(qualified_measures[1], all_measures[1]) as first_measure

    from chosen

),

split as (

    select
        *,
        regexp_extract(
            first_measure, '^\s*{{ target_measure_pattern(capture=true) }}\s*$',
            [{% for name in measure_groups %}'{{ name }}'{% if not loop.last %}, {% endif %}{% endfor %}]
        ) as parts,
        coalesce(regexp_full_match(first_measure, '{{ deadline }}'), false) as is_deadline

    from counted

),

typed as (

    select
        indicator_id,
        target_period,
        target_text,
        target_normalized,
        part_count,
        first_measure,
        is_deadline,
        case when is_deadline then {{ target_deadline_date('first_measure') }} end as target_date,
        case when is_deadline then {{ target_deadline_comparator('first_measure') }} end as deadline_comparator,
        nullif(parts.frequency, '') as frequency,
        coalesce(nullif(parts.separated_word, ''), nullif(parts.word, '')) as comparator_word,
        nullif(parts.separated_word, '') is not null as is_comparator_apart,
        nullif(parts.label_unit, '') is not null
            and coalesce(parts.unit_in_brackets, '') = '' and coalesce(parts.unit, '') = '' as is_unit_from_label,
        nullif(parts.symbol, '') as comparator_symbol,
        nullif(parts.suffix, '') as comparator_suffix,
        try_cast(replace(nullif(parts.number, ''), ',', '') as decimal(18, 4)) as number_value,
        try_cast(replace(nullif(parts.upper, ''), ',', '') as decimal(18, 4)) as upper_value,
        nullif(
            coalesce(parts.multiplier, '')
            -- the unit after the number, else the one in brackets in the label (新增业务数据(条)≥300)
            || coalesce(nullif(parts.unit_in_brackets, ''), nullif(parts.unit, ''), parts.label_unit, '')
            || case nullif(parts.frequency, '')
                when '每天' then '/天' when '每日' then '/天' when '每周' then '/周'
                when '每月' then '/月' when '每年' then '/年' when '每学期' then '/学期' else ''
            end,
            ''
        ) as unit,
        -- a comparator word the grammar could not tie to the number (单系统最高并发用户数5000人)
        regexp_matches(
            coalesce(target_normalized, ''),
            '{% for word, _ in words if word not in ('为', '近', '约') %}{{ word }}|{% endfor %}以上|以下|以内'
        ) as has_comparator_word

    from split

),

classified as (

    select
        *,
        {{ target_scale('unit') }} as scale,
        case
            when is_deadline then deadline_comparator
            when upper_value is not null then 'between'
            when comparator_symbol is not null then comparator_symbol
            when comparator_word is not null then {{ target_comparator_symbol('comparator_word', words) }}
            when comparator_suffix is not null then {{ target_comparator_symbol('comparator_suffix', suffixes) }}
            when number_value is not null then '='
        end as comparator,
        case
            when target_normalized is null or not regexp_matches(target_normalized, '[0-9A-Za-z\p{Han}]') then 'unparsed'
            when part_count >= 2 then 'compound'
            when is_deadline then 'deadline'
            when not regexp_matches(target_normalized, '[0-9]') then 'qualitative'
            when number_value is null then 'unparsed'
            when comparator_word is null and comparator_symbol is null and comparator_suffix is null
                and upper_value is null and has_comparator_word then 'unparsed'
            else 'quantitative'
        end as target_kind

    from typed

),

final as (

    select
        indicator_id,
        target_period,
        target_text,
        target_normalized,
        target_kind,
        case when target_kind in {{ typed_kinds }} then comparator end as comparator,
        case when target_kind in {{ typed_kinds }} and not is_deadline then number_value end as number_value,
        case when target_kind in {{ typed_kinds }} and not is_deadline then upper_value end as upper_value,
        case when target_kind in {{ typed_kinds }} and not is_deadline then unit end as unit,
        cast(case when target_kind in {{ typed_kinds }} and not is_deadline then scale end as integer) as scale,
        case when target_kind in {{ typed_kinds }} then target_date end as target_date,
        cast(case when target_kind in {{ typed_kinds }} then part_count else 0 end as integer) as part_count,
        case
            when target_kind = 'qualitative' then 'no number'
            when target_kind = 'unparsed' and has_comparator_word then 'comparator word not next to the number'
            when target_kind = 'unparsed' then 'no target found'
            when target_kind = 'compound' then part_count || ' targets; the first is typed: ' || first_measure
            when is_deadline then 'deadline ' || first_measure
            when upper_value is not null then 'range'
            when comparator_symbol is not null then 'symbol ' || comparator_symbol
            when comparator_word is not null then 'word ' || comparator_word
                || case when is_comparator_apart then ' (a few words before the number)' else '' end
            when comparator_suffix is not null then 'suffix ' || comparator_suffix
            else 'no comparator: ='
        end || case when is_unit_from_label and target_kind in {{ typed_kinds }} then '; unit from the label' else '' end
            as parse_rule

    from classified

)

select * from final
