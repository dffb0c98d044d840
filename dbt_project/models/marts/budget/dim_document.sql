with

documents as (

    select * from {{ ref('stg_budget__documents') }}

),

final as (

    select
        document_id,
        document_name,
        file_names,
        source_path,
        source_format,
        document_status,
        is_loaded,
        title,
        header_label,
        header_name,
        currency_unit,
        case when department_name_normalized is not null
            then {{ surrogate_key(['department_name_normalized']) }} end as department_key,
        department_name_normalized as department_name,
        fiscal_year,
        fiscal_year_source,
        fiscal_year_source = 'inferred' as is_fiscal_year_inferred,
        indicator_format,
        department_total_amount,
        unit_count,
        project_count,
        indicator_count,
        error_count,
        warning_count,
        page_count,
        line_count,
        size_bytes,
        extractor_version,
        loaded_at
    from documents

)

select * from final
