{#-
  A total must equal the sum of its parts, within `tolerance` (万元 rounding).
  Two forms:
  * children: `column_name` of each row of `model` against the sum of `child_column` over the rows of
    `child_model` that share `join_column` (a unit's printed total against its projects);
  * parts: `column_name` against the sum of the `parts` columns of the same row (总计 against the
    funding columns).
  Real tables do not always reconcile, so use it with severity warn: the failures are findings, not bugs.
  Failing rows carry the printed total, the sum and the gap.
-#}
{% test reconciles(model, column_name, child_model=none, child_column=none, join_column=none, parts=none,
                   tolerance=0.005) %}

{% if parts %}

select
    *,
    {% for part in parts %}coalesce({{ part }}, 0){% if not loop.last %} + {% endif %}{% endfor %} as parts_sum,
    {{ column_name }} - ({% for part in parts %}coalesce({{ part }}, 0){% if not loop.last %} + {% endif %}{% endfor %}) as gap
from {{ model }}
where abs({{ column_name }} - ({% for part in parts %}coalesce({{ part }}, 0){% if not loop.last %} + {% endif %}{% endfor %})) > {{ tolerance }}

{% else %}

with children as (

    select {{ join_column }}, sum({{ child_column }}) as children_sum
    from {{ child_model }}
    group by {{ join_column }}

)

select
    parent.{{ join_column }},
    parent.{{ column_name }} as printed_total,
    coalesce(children.children_sum, 0) as children_sum,
    parent.{{ column_name }} - coalesce(children.children_sum, 0) as gap
from {{ model }} as parent
left join children on parent.{{ join_column }} = children.{{ join_column }}
where abs(parent.{{ column_name }} - coalesce(children.children_sum, 0)) > {{ tolerance }}

{% endif %}

{% endtest %}
