with

documents as (

    select * from {{ ref('stg_budget__documents') }}

),

units as (

    select * from {{ ref('int_units_resolved') }}

),

departments as (

    select
        department_name_normalized as department_name,
        count(*) as document_count,
        min(fiscal_year) as first_fiscal_year,
        max(fiscal_year) as last_fiscal_year
    from documents
    where department_name_normalized is not null
    group by department_name_normalized

),

department_units as (

    select department_name, count(distinct unit_key) as unit_count
    from units
    group by department_name

),

final as (

    select
        {{ surrogate_key(['departments.department_name']) }} as department_key,
        departments.department_name,
        cast(coalesce(department_units.unit_count, 0) as integer) as unit_count,
        cast(departments.document_count as integer) as document_count,
        departments.first_fiscal_year,
        departments.last_fiscal_year
    from departments
    left join department_units on departments.department_name = department_units.department_name

)

select * from final
