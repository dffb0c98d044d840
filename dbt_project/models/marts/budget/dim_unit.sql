with

units as (

    select * from {{ ref('int_units_resolved') }}

),

latest_row as (

    select unit_key, canonical_unit_name, department_key, department_name
    from units
    qualify row_number() over (partition by unit_key order by fiscal_year desc nulls last, document_id) = 1

),

history as (

    select
        unit_key,
        string_agg(distinct unit_name_normalized, '; ' order by unit_name_normalized) as printed_names,
        bool_or(is_former_name) as has_former_names,
        min(fiscal_year) as first_fiscal_year,
        max(fiscal_year) as last_fiscal_year,
        count(distinct document_id) as document_count
    from units
    group by unit_key

),

final as (

    select
        latest_row.unit_key,
        latest_row.canonical_unit_name as unit_name,
        history.printed_names,
        history.has_former_names,
        latest_row.department_key,
        latest_row.department_name,
        history.first_fiscal_year,
        history.last_fiscal_year,
        cast(history.document_count as integer) as document_count
    from latest_row
    inner join history on latest_row.unit_key = history.unit_key

)

select * from final
