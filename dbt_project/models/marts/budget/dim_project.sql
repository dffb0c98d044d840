with

matched as (

    select * from {{ ref('int_projects_matched') }}

),

documents as (

    select document_id, loaded_at from {{ ref('stg_budget__documents') }}

),

latest_row as (

    select matched.*
    from matched
    inner join documents on matched.document_id = documents.document_id
    qualify row_number() over (
        partition by matched.project_key
        order by matched.fiscal_year desc nulls last, documents.loaded_at desc, matched.project_id
    ) = 1

),

history as (

    select
        project_key,
        string_agg(distinct project_name, '; ' order by project_name) as printed_names,
        min(fiscal_year) as first_fiscal_year,
        max(fiscal_year) as last_fiscal_year,
        count(distinct fiscal_year) as year_count,
        count(*) as document_count,
        bool_or(is_doubtful_match) as has_doubtful_match
    from matched
    group by project_key

),

final as (

    select
        latest_row.project_key,
        latest_row.unit_key,
        latest_row.project_name,
        history.printed_names,
        latest_row.match_name,
        latest_row.series_key,
        latest_row.series_name,
        history.first_fiscal_year,
        history.last_fiscal_year,
        cast(history.year_count as integer) as year_count,
        cast(history.document_count as integer) as document_count,
        history.year_count > 1 as is_recurring,
        history.has_doubtful_match,
        latest_row.project_id as latest_project_id
    from latest_row
    inner join history on latest_row.project_key = history.project_key

)

select * from final
