{#-
  The funding split of a row (unit or project). Where the layout tells the columns (`explicit`, `inferred`)
  a blank cell is 0; where it does not (`unknown`: wrapped text exports) the columns are null and the
  whole amount is `unattributed`.
-#}
{% macro funding_amount(column, attribution='funding_attribution') -%}
    case when {{ attribution }} = 'unknown' then null else coalesce({{ column }}, 0) end
{%- endmacro %}

{% macro unattributed_amount(total='total_amount', fiscal='fiscal_amount', special_account='special_account_amount',
                             other='other_amount', attribution='funding_attribution') -%}
    case
        when {{ attribution }} = 'unknown'
            then {{ total }} - coalesce({{ fiscal }}, 0) - coalesce({{ special_account }}, 0) - coalesce({{ other }}, 0)
        else 0
    end
{%- endmacro %}
