{#- Documents a revised file replaces: the manifest's `supersedes` names them (raw.document_names). -#}
{% macro superseded_document_ids() %}
    select older.document_id
    from {{ source('budget', 'document_names') }} as newer
    inner join {{ source('budget', 'document_names') }} as older on older.document_name = newer.supersedes
    where older.document_id <> newer.document_id
{% endmacro %}

{#- The documents whose rows flow on: loaded, and not replaced by a revised file. -#}
{% macro current_document_ids() %}
    select document_id from {{ source('budget', 'documents') }}
    where status = 'loaded' and document_id not in ({{ superseded_document_ids() }})
{% endmacro %}
