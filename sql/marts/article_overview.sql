-- One row per article with how much was extracted from it.
with articles as (
    select * from stg_articles
),

mentions as (
    select
        article_id,
        count(*) as mention_count,
        count(distinct entity_id) as entity_count
    from stg_entity_mentions
    group by article_id
),

quotes as (
    select
        article_id,
        count(*) as quote_count,
        count(*) filter (where quote_type = 'direct') as direct_quote_count,
        count(distinct coalesce(speaker_entity_id, lower(speaker_name), lower(speaker_text))) as speaker_count
    from stg_quotes
    group by article_id
),

metrics as (
    select
        article_id,
        count(*) as metric_count,
        count(*) filter (where equivalent_of is null) as distinct_figure_count
    from stg_metrics
    group by article_id
),

final as (
    select
        articles.article_id,
        articles.title,
        articles.url,
        articles.source,
        articles.source_domain,
        articles.source_type,
        articles.byline,
        articles.published_at,
        articles.ingested_at,
        articles.article_date,
        articles.date_source,
        articles.language,
        articles.word_count,
        coalesce(mentions.mention_count, 0) as mention_count,
        coalesce(mentions.entity_count, 0) as entity_count,
        coalesce(quotes.quote_count, 0) as quote_count,
        coalesce(quotes.direct_quote_count, 0) as direct_quote_count,
        coalesce(quotes.speaker_count, 0) as speaker_count,
        coalesce(metrics.metric_count, 0) as metric_count,
        coalesce(metrics.distinct_figure_count, 0) as distinct_figure_count
    from articles
    left join mentions on mentions.article_id = articles.article_id
    left join quotes on quotes.article_id = articles.article_id
    left join metrics on metrics.article_id = articles.article_id
)

select * from final
