{#- No two rows share the same values of `combination` (a model's compound key). -#}
{% test unique_combination_of_columns(model, combination) %}

select {{ combination | join(', ') }}, count(*) as row_count
from {{ model }}
group by {{ combination | join(', ') }}
having count(*) > 1

{% endtest %}
