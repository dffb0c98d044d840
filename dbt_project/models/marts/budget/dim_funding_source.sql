with

funding_sources as (

    select * from {{ ref('funding_sources') }}

),

final as (

    select
        funding_source_code,
        funding_source_name,
        cast(column_order as integer) as column_order,
        is_total,
        description
    from funding_sources

)

select * from final
