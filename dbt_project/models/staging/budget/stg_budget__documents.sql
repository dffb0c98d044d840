with

source as (

    select * from {{ source('budget', 'documents') }}

),

renamed as (

    select
        document_id,
        document_name,
        source_path,
        source_format,
        status as document_status,
        status = 'loaded' as is_loaded,
        title,
        header_label,
        header_name,
        {{ normalize_text('header_name') }} as header_name_normalized,
        currency_unit,
        department as department_name,
        {{ normalize_text('department') }} as department_name_normalized,
        fiscal_year,
        year_source as fiscal_year_source,
        indicator_format,
        cast(department_total as decimal(18, 2)) as department_total_amount,
        cast(department_fiscal as decimal(18, 2)) as department_fiscal_amount,
        cast(department_special_account as decimal(18, 2)) as department_special_account_amount,
        cast(department_other as decimal(18, 2)) as department_other_amount,
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

    from source

)

select * from renamed
