with

source as (

    select * from {{ source('budget', 'documents') }}
    where document_id not in ({{ superseded_document_ids() }})

),

names as (

    select
        document_id,
        list(document_name order by document_name) as file_names,
        any_value(unit_key) as unit_key,
        any_value(table_key) as table_key
    from {{ source('budget', 'document_names') }}
    group by document_id

),

renamed as (

    select
        document_id,
        document_name,
        names.file_names,
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
        loaded_at,
        -- one current document per unit and year, and per table: the gate's unique tests on these keys
        -- stop the marts before a unit-year is counted twice
        case when status = 'loaded' then names.unit_key || ' ' || fiscal_year end as unit_year_key,
        case when status = 'loaded' then names.table_key end as table_key

    from source
    left join names using (document_id)

)

select * from renamed
