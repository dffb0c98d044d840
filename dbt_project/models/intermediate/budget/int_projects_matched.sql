with

projects as (

    select * from {{ ref('stg_budget__projects') }}

),

units as (

    select * from {{ ref('int_units_resolved') }}

),

documents as (

    select document_id, loaded_at from {{ ref('stg_budget__documents') }}

),

aliases as (

    select
        {{ compact_text('alias_name') }} as alias_name,
        {{ normalize_text('unit_name') }} as canonical_unit_name
    from {{ ref('unit_aliases') }}

),

-- every name a unit goes by: printed unit names, its canonical name and the aliases in the seed
unit_names as (

    select distinct canonical_unit_name, replace(unit_name_normalized, ' ', '') as unit_name from units
    union
    select distinct canonical_unit_name, replace(canonical_unit_name, ' ', '') from units
    union
    select canonical_unit_name, alias_name from aliases

),

unit_name_patterns as (

    select
        canonical_unit_name,
        -- longest first, so 广州市广播电视大学 goes before 市广播电视大学
        string_agg(regexp_escape(unit_name), '|' order by length(unit_name) desc, unit_name) as unit_name_pattern
    from unit_names
    where unit_name is not null
    group by canonical_unit_name

),

named as (

    select
        projects.project_id,
        projects.document_id,
        projects.unit_id,
        projects.project_seq,
        projects.project_name,
        {{ compact_text('projects.project_name') }} as name_compact,
        units.unit_key,
        units.canonical_unit_name,
        units.fiscal_year,
        documents.loaded_at,
        unit_name_patterns.unit_name_pattern

    from projects
    inner join units on projects.unit_id = units.unit_id
    inner join documents on projects.document_id = documents.document_id
    left join unit_name_patterns on units.canonical_unit_name = unit_name_patterns.canonical_unit_name

),

stripped as (

    select
        *,
        -- 1. a tranche suffix (2023) at the end, 2. the spelling of year ranges, 3. the unit's own names
        regexp_replace(
            regexp_replace(
                regexp_replace(name_compact, '\(20\d{2}\)$', ''),
                '(20\d{2})年?(?:-|~|至|到)(20\d{2})年', '\1-\2年', 'g'
            ),
            coalesce(unit_name_pattern, '^$'), '', 'g'
        ) as stripped_name

    from named

),

named_for_matching as (

    select
        * exclude (stripped_name),
        coalesce(nullif(stripped_name, ''), name_compact) as match_name,
        -- the series drops every year as well: 2023年-2024年信息化运维项目 and 2025年-2026年… are one series
        coalesce(
            nullif(regexp_replace(
                coalesce(nullif(stripped_name, ''), name_compact),
                '\(20\d{2}\)|20\d{2}(?:-20\d{2})?年度?', '', 'g'
            ), ''),
            coalesce(nullif(stripped_name, ''), name_compact)
        ) as series_name

    from stripped

),

keyed as (

    select
        *,
        row_number() over (
            partition by document_id, unit_key, match_name order by project_seq
        ) as occurrence_in_document,
        count(*) over (partition by document_id, unit_key, match_name) as same_name_in_document

    from named_for_matching

),

with_keys as (

    select
        *,
        {{ surrogate_key(['unit_key', 'match_name', 'occurrence_in_document']) }} as project_key,
        {{ surrogate_key(['unit_key', 'series_name']) }} as series_key

    from keyed

),

key_years as (

    select project_key, count(distinct fiscal_year) as key_year_count
    from with_keys
    group by project_key

),

predecessors as (

    select
        current_year.project_id,
        previous_year.project_id as previous_project_id,
        previous_year.fiscal_year as previous_fiscal_year,
        previous_year.name_compact as previous_name_compact
    from with_keys as current_year
    inner join with_keys as previous_year
        on current_year.project_key = previous_year.project_key
        and previous_year.fiscal_year < current_year.fiscal_year
    qualify row_number() over (
        partition by current_year.project_id
        order by previous_year.fiscal_year desc, previous_year.loaded_at desc, previous_year.project_id
    ) = 1

),

-- for each project: the nearest earlier year in which its series occurs, and how many projects it has there
series_candidates as (

    select
        current_year.project_id,
        previous_year.fiscal_year as series_previous_fiscal_year,
        count(*) as series_candidate_count
    from with_keys as current_year
    inner join with_keys as previous_year
        on current_year.series_key = previous_year.series_key
        and previous_year.fiscal_year < current_year.fiscal_year
    group by current_year.project_id, previous_year.fiscal_year
    qualify row_number() over (partition by current_year.project_id order by previous_year.fiscal_year desc) = 1

),

final as (

    select
        with_keys.project_id,
        with_keys.document_id,
        with_keys.unit_id,
        with_keys.project_seq,
        with_keys.project_name,
        with_keys.unit_key,
        with_keys.canonical_unit_name,
        with_keys.fiscal_year,
        with_keys.name_compact,
        with_keys.match_name,
        with_keys.series_name,
        with_keys.project_key,
        with_keys.series_key,
        key_years.key_year_count,
        predecessors.previous_project_id,
        predecessors.previous_fiscal_year,
        case
            when predecessors.previous_project_id is null then 'none'
            when predecessors.previous_name_compact = with_keys.name_compact then 'exact_name'
            else 'stripped_name'
        end as match_basis,
        series_candidates.series_previous_fiscal_year,
        coalesce(series_candidates.series_candidate_count, 0) as series_candidate_count,
        with_keys.same_name_in_document,
        (
            predecessors.previous_project_id is not null
            and (
                predecessors.previous_name_compact <> with_keys.name_compact
                or series_candidates.series_candidate_count > 1
            )
        ) or with_keys.same_name_in_document > 1 as is_doubtful_match,
        nullif(concat_ws('; ',
            case
                when predecessors.previous_project_id is not null
                    and predecessors.previous_name_compact <> with_keys.name_compact
                    then 'matched ' || predecessors.previous_fiscal_year
                        || ' only after removing unit names, a (year) suffix or year-range spelling'
            end,
            case
                when series_candidates.series_candidate_count > 1
                    then series_candidates.series_candidate_count || ' projects of ' || series_candidates.series_previous_fiscal_year
                        || ' share the name without years'
            end,
            case
                when predecessors.previous_project_id is null and series_candidates.series_candidate_count > 0
                    then 'not linked: only the name without years recurs in ' || series_candidates.series_previous_fiscal_year
            end,
            case
                when with_keys.same_name_in_document > 1
                    then with_keys.same_name_in_document || ' projects of the document share the matching name'
            end
        ), '') as match_note

    from with_keys
    inner join key_years on with_keys.project_key = key_years.project_key
    left join predecessors on with_keys.project_id = predecessors.project_id
    left join series_candidates on with_keys.project_id = series_candidates.project_id

)

select * from final
