{#- One row per unit row of a loaded document, with the unit's canonical name through renamings. -#}
with

units as (

    select * from {{ ref('stg_budget__units') }}

),

documents as (

    select * from {{ ref('stg_budget__documents') }}

),

aliases as (

    select
        {{ normalize_text('alias_name') }} as alias_name_normalized,
        {{ normalize_text('unit_name') }} as unit_name
    from {{ ref('unit_aliases') }}

),

resolved as (

    select
        units.unit_id,
        units.document_id,
        units.unit_seq,
        units.unit_name,
        units.unit_name_normalized,
        coalesce(aliases.unit_name, units.unit_name_normalized) as canonical_unit_name,
        coalesce(aliases.unit_name, units.unit_name_normalized) <> units.unit_name_normalized as is_former_name,
        documents.department_name_normalized as department_name,
        documents.fiscal_year,
        documents.fiscal_year_source,
        units.total_amount,
        units.fiscal_amount,
        units.special_account_amount,
        units.other_amount,
        units.component_amounts,
        units.funding_attribution,
        units.pages,
        units.line_start,
        units.line_end

    from units
    inner join documents on units.document_id = documents.document_id
    left join aliases on units.unit_name_normalized = aliases.alias_name_normalized

),

keyed as (

    select
        *,
        {{ surrogate_key(['canonical_unit_name']) }} as unit_key,
        case when department_name is not null then {{ surrogate_key(['department_name']) }} end as department_key
    from resolved

)

select * from keyed
