with

source as (

    select * from {{ source('budget', 'indicators') }}

),

loaded_documents as (

    {{ current_document_ids() }}

),

renamed as (

    select
        source.document_id || '-' || source.unit_seq || '-' || source.project_seq
            || '-' || source.indicator_seq as indicator_id,
        source.document_id || '-' || source.unit_seq || '-' || source.project_seq as project_id,
        source.document_id,
        source.unit_seq,
        source.project_seq,
        source.indicator_seq,
        nullif(trim(source.level1_code), '') as level1_code,
        source.level1 as level1_name,
        {{ normalize_text('source.level1') }} as level1_name_normalized,
        nullif(trim(source.level2_code), '') as level2_code,
        source.level2 as level2_name,
        {{ normalize_text('source.level2') }} as level2_name_normalized,
        source.indicator_name,
        {{ normalize_text('source.indicator_name') }} as indicator_name_normalized,
        source.period_value,
        {{ normalize_text('source.period_value') }} as period_value_normalized,
        source.annual_value,
        {{ normalize_text('source.annual_value') }} as annual_value_normalized,
        source.source_text,
        source.pages,
        source.line_start,
        source.line_end

    from source
    inner join loaded_documents using (document_id)

)

select * from renamed
