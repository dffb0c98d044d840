with

documents as (

    select * from {{ ref('stg_budget__documents') }}

),

projects as (

    select * from {{ ref('int_projects_matched') }}

),

bounds as (

    select min(fiscal_year) as first_year, max(fiscal_year) as last_year
    from documents

),

-- every year between the first and the last, so gaps in the series show up as years without documents
years as (

    select cast(fiscal_year as integer) as fiscal_year
    from bounds, range(bounds.first_year, bounds.last_year + 1) as years(fiscal_year)
    where bounds.first_year is not null

),

document_years as (

    select
        fiscal_year,
        count(*) as document_count,
        count(*) filter (where is_loaded) as loaded_document_count,
        count(*) filter (where fiscal_year_source = 'inferred') as inferred_document_count
    from documents
    group by fiscal_year

),

project_years as (

    select fiscal_year, count(*) as project_count, count(distinct unit_key) as unit_count
    from projects
    group by fiscal_year

),

final as (

    select
        years.fiscal_year,
        years.fiscal_year - 1 as previous_fiscal_year,
        cast(coalesce(document_years.document_count, 0) as integer) as document_count,
        cast(coalesce(document_years.loaded_document_count, 0) as integer) as loaded_document_count,
        cast(coalesce(document_years.inferred_document_count, 0) as integer) as inferred_document_count,
        cast(coalesce(project_years.unit_count, 0) as integer) as unit_count,
        cast(coalesce(project_years.project_count, 0) as integer) as project_count,
        coalesce(document_years.document_count, 0) > 0 as has_documents
    from years
    left join document_years on years.fiscal_year = document_years.fiscal_year
    left join project_years on years.fiscal_year = project_years.fiscal_year

)

select * from final
