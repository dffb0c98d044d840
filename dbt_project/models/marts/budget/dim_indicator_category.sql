with

categories as (

    select * from {{ ref('indicator_categories') }}

),

level1 as (

    select distinct
        level1_code as category_code,
        1 as category_level,
        level1_name as category_name,
        cast(null as varchar) as parent_category_code,
        level1_code,
        level1_name,
        level1_code = '4' as counts_as_cost
    from categories

),

level2 as (

    select
        level2_code as category_code,
        2 as category_level,
        level2_name as category_name,
        level1_code as parent_category_code,
        level1_code,
        level1_name,
        counts_as_cost
    from categories

),

nodes as (

    select * from level1
    union all
    select * from level2

),

final as (

    select
        category_code,
        cast(category_level as integer) as category_level,
        category_name,
        parent_category_code,
        level1_code,
        level1_name,
        counts_as_cost,
        case
            when category_level = 1 and level1_code in ('1', '2', '3') then 'every project'
            when category_level = 1 and level1_code = '4'
                then 'projects of {{ var("large_project_threshold") }} 万元 or more'
        end as requirement
    from nodes

)

select * from final
