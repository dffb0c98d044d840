{%- set threshold = var('large_project_threshold') -%}

with

projects as (

    select * from {{ ref('fct_project_budget') }}

),

indicators as (

    select * from {{ ref('fct_indicator_target') }}

),

categories as (

    select category_code, category_name from {{ ref('dim_indicator_category') }} where category_level = 1

),

counts as (

    select
        project_id,
        count(*) as indicator_count,
        count(*) filter (where level1_category_code = '1') as output_indicator_count,
        count(*) filter (where level1_category_code = '2') as outcome_indicator_count,
        count(*) filter (where level1_category_code = '3') as satisfaction_indicator_count,
        count(*) filter (where counts_as_cost) as cost_indicator_count,
        count(*) filter (where annual_kind = 'quantitative') as quantitative_count,
        count(*) filter (where annual_kind = 'compound') as compound_count,
        count(*) filter (where annual_kind = 'deadline') as deadline_count,
        count(*) filter (where annual_kind = 'qualitative') as qualitative_count,
        count(*) filter (where annual_kind = 'unparsed') as unparsed_count,
        count(*) filter (where category_flag is not null) as flagged_category_count
    from indicators
    group by project_id

),

coverage as (

    select
        projects.project_id,
        projects.project_key,
        projects.document_id,
        projects.unit_key,
        projects.fiscal_year,
        projects.project_name,
        projects.total_amount,
        coalesce(projects.total_amount >= {{ threshold }}, false) as is_large_project,
        cast(coalesce(counts.indicator_count, 0) as integer) as indicator_count,
        cast(coalesce(counts.output_indicator_count, 0) as integer) as output_indicator_count,
        cast(coalesce(counts.outcome_indicator_count, 0) as integer) as outcome_indicator_count,
        cast(coalesce(counts.satisfaction_indicator_count, 0) as integer) as satisfaction_indicator_count,
        cast(coalesce(counts.cost_indicator_count, 0) as integer) as cost_indicator_count,
        cast(coalesce(counts.quantitative_count, 0) as integer) as quantitative_count,
        cast(coalesce(counts.compound_count, 0) as integer) as compound_count,
        cast(coalesce(counts.deadline_count, 0) as integer) as deadline_count,
        cast(coalesce(counts.qualitative_count, 0) as integer) as qualitative_count,
        cast(coalesce(counts.unparsed_count, 0) as integer) as unparsed_count,
        cast(coalesce(counts.flagged_category_count, 0) as integer) as flagged_category_count

    from projects
    left join counts on projects.project_id = counts.project_id

),

missing as (

    select
        coverage.project_id,
        list_sort(list_filter(
            [
                case when output_indicator_count = 0 then '1' end,
                case when outcome_indicator_count = 0 then '2' end,
                case when satisfaction_indicator_count = 0 then '3' end,
                case when is_large_project and cost_indicator_count = 0 then '4' end
            ],
            lambda code: code is not null
        )) as missing_category_codes
    from coverage

),

final as (

    select
        coverage.*,
        array_to_string(missing.missing_category_codes, ',') as missing_category_codes,
        (
            select string_agg(categories.category_name, '、' order by categories.category_code)
            from categories
            where list_contains(missing.missing_category_codes, categories.category_code)
        ) as missing_categories,
        cast(len(missing.missing_category_codes) as integer) as missing_category_count,
        len(missing.missing_category_codes) = 0 as has_required_categories,
        cast(
            case when coverage.indicator_count > 0
                then (coverage.quantitative_count + coverage.compound_count + coverage.deadline_count)
                    / coverage.indicator_count
            end as double
        ) as quantified_share
    from coverage
    inner join missing on coverage.project_id = missing.project_id

)

select * from final
