with

projects as (

    select * from {{ ref('fct_project_budget') }}

),

matched as (

    select * from {{ ref('int_projects_matched') }}

),

indicators as (

    select * from {{ ref('fct_indicator_target') }}

),

coverage as (

    select project_id, quantified_share from {{ ref('rpt_project_indicator_coverage') }}

),

-- an indicator is the same between years when its category and normalised name are (nth occurrence with nth)
indicator_names as (

    select
        project_id,
        level1_category_code,
        replace(indicator_name_normalized, ' ', '') as indicator_name_key,
        row_number() over (
            partition by project_id, level1_category_code, replace(indicator_name_normalized, ' ', '')
            order by indicator_seq
        ) as occurrence,
        indicator_name,
        annual_value,
        annual_kind,
        annual_comparator,
        annual_number,
        annual_unit
    from indicators

),

pairs as (

    select
        matched.project_id,
        matched.previous_project_id
    from matched
    where matched.previous_project_id is not null

),

indicator_pairs as (

    select
        pairs.project_id,
        current_year.indicator_name,
        current_year.annual_value as annual_value,
        earlier.annual_value as previous_annual_value,
        current_year.annual_kind is not distinct from earlier.annual_kind
            and current_year.annual_comparator is not distinct from earlier.annual_comparator
            and current_year.annual_number is not distinct from earlier.annual_number
            and current_year.annual_unit is not distinct from earlier.annual_unit
            and (current_year.annual_kind in ('quantitative', 'compound')
                 or replace(current_year.annual_value, ' ', '') = replace(earlier.annual_value, ' ', ''))
            as is_same_target
    from pairs
    inner join indicator_names as current_year on pairs.project_id = current_year.project_id
    inner join indicator_names as earlier
        on pairs.previous_project_id = earlier.project_id
        and current_year.level1_category_code is not distinct from earlier.level1_category_code
        and current_year.indicator_name_key = earlier.indicator_name_key
        and current_year.occurrence = earlier.occurrence

),

indicator_changes as (

    select
        project_id,
        count(*) as common_indicator_count,
        count(*) filter (where not is_same_target) as changed_target_count,
        string_agg(
            case when not is_same_target then indicator_name || ': ' || previous_annual_value || ' → ' || annual_value end,
            '; ' order by indicator_name
        ) as target_changes
    from indicator_pairs
    group by project_id

),

final as (

    select
        projects.project_id,
        projects.project_key,
        projects.document_id,
        projects.unit_key,
        projects.fiscal_year,
        projects.project_name,
        projects.total_amount,
        projects.fiscal_amount,
        projects.special_account_amount,
        projects.other_amount,
        projects.unattributed_amount,
        projects.indicator_count,
        coverage.quantified_share,
        matched.previous_project_id,
        matched.previous_fiscal_year,
        earlier.project_name as previous_project_name,
        earlier.total_amount as previous_total_amount,
        earlier.fiscal_amount as previous_fiscal_amount,
        earlier.special_account_amount as previous_special_account_amount,
        earlier.other_amount as previous_other_amount,
        earlier.unattributed_amount as previous_unattributed_amount,
        earlier.indicator_count as previous_indicator_count,
        previous_coverage.quantified_share as previous_quantified_share,
        cast(projects.total_amount - earlier.total_amount as decimal(18, 2)) as total_amount_change,
        cast(
            case when earlier.total_amount <> 0
                then (projects.total_amount - earlier.total_amount) / earlier.total_amount
            end as double
        ) as total_amount_change_ratio,
        cast(coalesce(indicator_changes.common_indicator_count, 0) as integer) as common_indicator_count,
        cast(coalesce(indicator_changes.changed_target_count, 0) as integer) as changed_target_count,
        cast(projects.indicator_count - coalesce(indicator_changes.common_indicator_count, 0) as integer)
            as new_indicator_count,
        cast(earlier.indicator_count - coalesce(indicator_changes.common_indicator_count, 0) as integer)
            as dropped_indicator_count,
        indicator_changes.target_changes,
        matched.match_basis,
        matched.is_doubtful_match,
        matched.match_note

    from projects
    inner join matched on projects.project_id = matched.project_id
    left join coverage on projects.project_id = coverage.project_id
    left join projects as earlier on matched.previous_project_id = earlier.project_id
    left join coverage as previous_coverage on matched.previous_project_id = previous_coverage.project_id
    left join indicator_changes on projects.project_id = indicator_changes.project_id

)

select * from final
