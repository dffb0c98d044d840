-- How much of the printed target text the grammar types (run: dbt show -s target_parser_coverage).
-- One row per kind: printed values (annual and period), distinct texts, and their share.
with

targets as (

    select * from {{ ref('int_indicator_targets_parsed') }}

)

select
    target_kind,
    count(*) as target_values,
    count(distinct target_text) as distinct_texts,
    round(count(*) / sum(count(*)) over (), 4) as share_of_values,
    round(count(distinct target_text) / sum(count(distinct target_text)) over (), 4) as share_of_distinct_texts
from targets
group by target_kind
order by target_values desc
