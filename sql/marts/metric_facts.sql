-- One row per reported figure, with the article's date, the subject entity, and the figure
-- it restates when it is a conversion (e.g. "1.8 trillion yuan ($253.3 billion)").
with metrics as (
    select * from stg_metrics
),

articles as (
    select * from stg_articles
),

entities as (
    select * from stg_entities
),

final as (
    select
        metrics.metric_id,
        metrics.article_id,
        articles.title as article_title,
        articles.url as article_url,
        articles.published_at,
        articles.article_date,
        articles.date_source,
        metrics.metric_type,
        metrics.raw_text,
        metrics.value,
        metrics.unit,
        metrics.qualifier,
        metrics.lower_bound,
        metrics.upper_bound,
        metrics.base_value,
        metrics.base_unit,
        metrics.period,
        metrics.period_start,
        metrics.period_end,
        metrics.subject,
        metrics.subject_entity_id,
        subject_entity.canonical_name as subject_entity,
        subject_entity.entity_type as subject_entity_type,
        metrics.equivalent_of,
        metrics.equivalent_of is not null as is_restatement,
        original.value as original_value,
        original.unit as original_unit,
        metrics.sentence_index
    from metrics
    inner join articles on articles.article_id = metrics.article_id
    left join entities as subject_entity on subject_entity.entity_id = metrics.subject_entity_id
    left join metrics as original on original.metric_id = metrics.equivalent_of
)

select * from final
