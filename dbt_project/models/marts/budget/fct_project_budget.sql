{#- One column per printed funding amount, for BI tools that cannot read a list: the table prints at most
    three (财政拨款, 财政专户拨款, 其他资金); component_count says how many a row has. -#}
{%- set component_columns = 3 -%}

with

projects as (

    select * from {{ ref('stg_budget__projects') }}

),

matched as (

    select * from {{ ref('int_projects_matched') }}

),

units as (

    select * from {{ ref('int_units_resolved') }}

),

documents as (

    select * from {{ ref('stg_budget__documents') }}

),

indicator_counts as (

    select project_id, count(*) as indicator_count
    from {{ ref('stg_budget__indicators') }}
    group by project_id

),

final as (

    select
        projects.project_id,
        matched.project_key,
        projects.document_id,
        units.unit_key,
        units.department_key,
        units.fiscal_year,
        projects.unit_seq,
        projects.project_seq,
        projects.project_name,
        units.unit_name as printed_unit_name,
        projects.total_amount,
        cast({{ funding_amount('projects.fiscal_amount', 'projects.funding_attribution') }} as decimal(18, 2)) as fiscal_amount,
        cast({{ funding_amount('projects.special_account_amount', 'projects.funding_attribution') }} as decimal(18, 2))
            as special_account_amount,
        cast({{ funding_amount('projects.other_amount', 'projects.funding_attribution') }} as decimal(18, 2)) as other_amount,
        cast({{ unattributed_amount('projects.total_amount', 'projects.fiscal_amount', 'projects.special_account_amount',
                                    'projects.other_amount', 'projects.funding_attribution') }} as decimal(18, 2))
            as unattributed_amount,
        projects.funding_attribution,
        projects.component_amounts,
        cast(len(projects.component_amounts) as integer) as component_count,
        {%- for position in range(1, component_columns + 1) %}
        projects.component_amounts[{{ position }}] as component_{{ position }}_amount,
        {%- endfor %}
        cast(coalesce(indicator_counts.indicator_count, 0) as integer) as indicator_count,
        projects.goal,
        matched.match_basis,
        matched.is_doubtful_match,
        documents.document_name,
        projects.line_start,
        projects.line_end,
        projects.pages,
        list_min(projects.pages) as first_page,
        list_max(projects.pages) as last_page

    from projects
    inner join matched on projects.project_id = matched.project_id
    inner join units on projects.unit_id = units.unit_id
    inner join documents on projects.document_id = documents.document_id
    left join indicator_counts on projects.project_id = indicator_counts.project_id

)

select * from final
