with

source as (

    select * from {{ source('budget', 'projects') }}

),

loaded_documents as (

    {{ current_document_ids() }}

),

renamed as (

    select
        source.document_id || '-' || source.unit_seq || '-' || source.project_seq as project_id,
        source.document_id || '-' || source.unit_seq as unit_id,
        source.document_id,
        source.unit_seq,
        source.project_seq,
        source.project_name,
        {{ normalize_text('source.project_name') }} as project_name_normalized,
        cast(source.total as decimal(18, 2)) as total_amount,
        cast(source.fiscal as decimal(18, 2)) as fiscal_amount,
        cast(source.special_account as decimal(18, 2)) as special_account_amount,
        cast(source.other as decimal(18, 2)) as other_amount,
        source.components as component_amounts,
        source.attribution as funding_attribution,
        source.goal,
        {{ normalize_text('source.goal') }} as goal_normalized,
        source.pages,
        source.line_start,
        source.line_end

    from source
    inner join loaded_documents using (document_id)

)

select * from renamed
