with

indicators as (

    select * from {{ ref('stg_budget__indicators') }}

),

categories as (

    select * from {{ ref('indicator_categories') }}

),

level1_categories as (

    select distinct level1_code, level1_name from categories

),

-- 数量指标 and 数量 are the same name: compare without the trailing 指标
compared as (

    select
        indicators.*,
        regexp_replace(coalesce(indicators.level1_name_normalized, ''), '指标$', '') as level1_stem,
        regexp_replace(coalesce(indicators.level2_name_normalized, ''), '指标$', '') as level2_stem

    from indicators

),

level1_resolved as (

    select
        compared.*,
        coalesce(
            compared.level1_code,
            -- one-level tables print the 一级 name only
            by_name.level1_code,
            case
                when compared.level1_stem like '%产出%' then '1'
                when compared.level1_stem like '%效益%' then '2'
                when compared.level1_stem like '%满意%' then '3'
                when compared.level1_stem like '%成本%' then '4'
            end
        ) as resolved_level1_code

    from compared
    left join level1_categories as by_name
        on compared.level1_stem = regexp_replace(by_name.level1_name, '指标$', '')

),

resolved as (

    select
        level1_resolved.*,
        level1.level1_name as canonical_level1_name,
        level2.level2_code as canonical_level2_code,
        level2.level2_name as canonical_level2_name,
        coalesce(level2.counts_as_cost, level1_resolved.resolved_level1_code = '4') as counts_as_cost

    from level1_resolved
    left join level1_categories as level1 on level1_resolved.resolved_level1_code = level1.level1_code
    left join categories as level2 on level1_resolved.level2_code = level2.level2_code

),

flagged as (

    select
        *,
        case
            when canonical_level1_name is null then 'unknown_level1'
            when level2_code is not null and canonical_level2_code is null then 'unknown_level2_code'
            when level2_code is not null and left(level2_code, 1) <> resolved_level1_code then 'level2_outside_level1'
            when level1_code is not null and level1_stem <> regexp_replace(canonical_level1_name, '指标$', '')
                then 'level1_name_mismatch'
            when level2_code is not null and level2_stem = '' then 'level2_name_blank'
            when level2_code is not null and level2_stem <> regexp_replace(canonical_level2_name, '指标$', '')
                then 'level2_name_mismatch'
        end as category_flag

    from resolved

),

final as (

    select
        indicator_id,
        project_id,
        document_id,
        indicator_seq,
        case when canonical_level1_name is not null then resolved_level1_code end as level1_code,
        canonical_level1_name as level1_name,
        canonical_level2_code as level2_code,
        canonical_level2_name as level2_name,
        case when level1_code is not null then 'printed_codes' else 'level1_name_only' end as category_source,
        category_flag,
        category_flag is not null as is_category_flagged,
        coalesce(counts_as_cost, false) as counts_as_cost,
        level1_code as printed_level1_code,
        level1_name as printed_level1_name,
        level2_code as printed_level2_code,
        level2_name as printed_level2_name,
        indicator_name,
        -- a code printed inside the name (222064102-参加培训人数) is kept apart
        nullif(regexp_extract(indicator_name_normalized, '^(\d{5,})\s*-', 1), '') as indicator_name_code,
        regexp_replace(indicator_name_normalized, '^\d{5,}\s*-\s*', '') as indicator_name_normalized

    from flagged

)

select * from final
