with

units as (

    select * from {{ ref('int_units_resolved') }}

),

projects as (

    select * from {{ ref('fct_project_budget') }}

),

dim_units as (

    select unit_key, unit_name from {{ ref('dim_unit') }}

),

funding_sources as (

    select * from {{ ref('dim_funding_source') }}

),

-- the unit row as printed, one row per funding source (null where the column is unknown)
unit_amounts as (

    select * from (
        select
            unit_id,
            total_amount as total,
            {{ funding_amount('fiscal_amount') }} as fiscal,
            {{ funding_amount('special_account_amount') }} as special_account,
            {{ funding_amount('other_amount') }} as other,
            {{ unattributed_amount() }} as unattributed
        from units
    ) unpivot include nulls (
        printed_amount for funding_source_code in (total, fiscal, special_account, other, unattributed)
    )

),

project_amounts as (

    select * from (
        select
            document_id || '-' || unit_seq as unit_id,
            total_amount as total,
            fiscal_amount as fiscal,
            special_account_amount as special_account,
            other_amount as other,
            unattributed_amount as unattributed
        from projects
    ) unpivot include nulls (
        project_amount for funding_source_code in (total, fiscal, special_account, other, unattributed)
    )

),

-- a column sum is known only when every project tells its amount in that column
project_sums as (

    select
        unit_id,
        funding_source_code,
        count(*) as project_count,
        case when count(*) = count(project_amount) then sum(project_amount) end as projects_amount
    from project_amounts
    group by unit_id, funding_source_code

),

summary as (

    select
        unit_amounts.unit_id || '-' || unit_amounts.funding_source_code as summary_id,
        unit_amounts.unit_id,
        units.document_id,
        units.unit_key,
        dim_units.unit_name,
        units.unit_name as printed_unit_name,
        units.department_key,
        units.fiscal_year,
        unit_amounts.funding_source_code,
        funding_sources.funding_source_name,
        funding_sources.column_order,
        units.funding_attribution,
        cast(coalesce(project_sums.project_count, 0) as integer) as project_count,
        cast(unit_amounts.printed_amount as decimal(18, 2)) as printed_amount,
        cast(
            case when project_sums.project_count is null then 0 else project_sums.projects_amount end
            as decimal(18, 2)
        ) as projects_amount

    from unit_amounts
    inner join units on unit_amounts.unit_id = units.unit_id
    inner join dim_units on units.unit_key = dim_units.unit_key
    inner join funding_sources on unit_amounts.funding_source_code = funding_sources.funding_source_code
    left join project_sums
        on unit_amounts.unit_id = project_sums.unit_id
        and unit_amounts.funding_source_code = project_sums.funding_source_code

),

previous_year as (

    select
        current_year.summary_id,
        earlier.fiscal_year as previous_fiscal_year,
        earlier.printed_amount as previous_printed_amount,
        earlier.projects_amount as previous_projects_amount
    from summary as current_year
    inner join summary as earlier
        on current_year.unit_key = earlier.unit_key
        and current_year.funding_source_code = earlier.funding_source_code
        and earlier.fiscal_year < current_year.fiscal_year
    qualify row_number() over (
        partition by current_year.summary_id order by earlier.fiscal_year desc, earlier.document_id
    ) = 1

),

final as (

    select
        summary.*,
        cast(summary.printed_amount - summary.projects_amount as decimal(18, 2)) as reconciliation_gap,
        abs(summary.printed_amount - summary.projects_amount) < 0.005 as is_reconciled,
        previous_year.previous_fiscal_year,
        previous_year.previous_printed_amount,
        previous_year.previous_projects_amount,
        cast(summary.projects_amount - previous_year.previous_projects_amount as decimal(18, 2))
            as projects_amount_change
    from summary
    left join previous_year on summary.summary_id = previous_year.summary_id

)

select * from final
