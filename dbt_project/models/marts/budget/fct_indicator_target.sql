{%- set target_columns = ['target_kind', 'comparator', 'number_value', 'upper_value', 'unit', 'scale', 'target_date',
                         'part_count'] -%}
{%- set renamed = {'target_kind': 'kind', 'comparator': 'comparator', 'number_value': 'number',
                   'upper_value': 'upper_number', 'unit': 'unit', 'scale': 'scale', 'target_date': 'target_date',
                   'part_count': 'part_count'} -%}

with

indicators as (

    select * from {{ ref('stg_budget__indicators') }}

),

categorized as (

    select * from {{ ref('int_indicators_categorized') }}

),

targets as (

    select * from {{ ref('int_indicator_targets_parsed') }}

),

projects as (

    select * from {{ ref('fct_project_budget') }}

),

final as (

    select
        indicators.indicator_id,
        indicators.project_id,
        projects.project_key,
        indicators.document_id,
        projects.unit_key,
        projects.fiscal_year,
        categorized.level1_code as level1_category_code,
        categorized.level2_code as level2_category_code,
        categorized.category_source,
        categorized.category_flag,
        categorized.counts_as_cost,
        indicators.indicator_seq,
        indicators.indicator_name,
        categorized.indicator_name_normalized,
        categorized.indicator_name_code,
        indicators.annual_value,
        {%- for column in target_columns %}
        annual.{{ column }} as annual_{{ renamed[column] }},
        {%- endfor %}
        indicators.period_value,
        {%- for column in target_columns %}
        period.{{ column }} as period_{{ renamed[column] }},
        {%- endfor %}
        coalesce(annual.target_kind in ('quantitative', 'deadline', 'compound'), false) as is_quantified,
        projects.document_name,
        indicators.source_text,
        indicators.line_start,
        indicators.line_end,
        indicators.pages,
        list_min(indicators.pages) as first_page,
        list_max(indicators.pages) as last_page

    from indicators
    inner join categorized on indicators.indicator_id = categorized.indicator_id
    inner join projects on indicators.project_id = projects.project_id
    left join targets as annual
        on indicators.indicator_id = annual.indicator_id and annual.target_period = 'annual'
    left join targets as period
        on indicators.indicator_id = period.indicator_id and period.target_period = 'period'

)

select * from final
