with source as (
    select * from main.metrics
),

renamed as (
    select
        metric_id,
        article_id,
        lower(trim(metric_type)) as metric_type,
        raw_text,
        cast(value as double) as value,
        nullif(trim(unit), '') as unit,
        trim(qualifier) as qualifier,
        cast(lower_bound as double) as lower_bound,
        cast(upper_bound as double) as upper_bound,
        nullif(trim(period), '') as period,
        period_start,
        period_end,
        nullif(trim(subject), '') as subject,
        subject_entity_id,
        equivalent_of,
        sentence_index,
        start_char,
        end_char,
        cast(base_value as double) as base_value,
        nullif(trim(base_unit), '') as base_unit
    from source
)

select * from renamed
